"""What leaves govopt: plan exports, maps and the scenario store."""
