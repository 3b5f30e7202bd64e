"""Marginal values of a network plan: re-solved on HiGHS (as before) and on the network.

``python benchmarks/network_marginal.py [DATA_DIR] [--repeat N]`` solves each
objective's plan on the network engine once, then times, best of ``N`` runs
taken in turn, the HiGHS re-solves (the PuLP model built and its stage 1
solved for them, then :func:`govopt.optimize.marginal.marginal_values`) and
:func:`govopt.optimize.network_marginal.network_marginal_values`, and prints
the largest difference between their values.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from govopt.data.scenario import OBJECTIVES, Scenario
from govopt.data.validate import load_dataset
from govopt.optimize.allocation import AllocationModel, Solution
from govopt.optimize.inputs import model_inputs
from govopt.optimize.marginal import marginal_values
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_equity import solve_equity
from govopt.optimize.network_marginal import network_marginal_values
from govopt.optimize.network_solve import solve_network
from govopt.plan import MarginalValues

ROOT = Path(__file__).resolve().parents[1]
_FIELDS = (
    "per_staff_hours",
    "per_10k_hours",
    "per_10_transfers_hours",
    "per_staff_lowest_points",
    "per_10k_lowest_points",
    "per_10_transfers_lowest_points",
    "cost_per_point_cny",
    "saving_per_point_cny",
)


def _difference(a: MarginalValues, b: MarginalValues) -> float:
    out = 0.0
    for name in _FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if (x is None) != (y is None):
            return float("inf")
        if x is not None:
            out = max(out, abs(x - y))
    gains = [(c.center_id, round(c.gain_hours or 0.0, 6)) for c in a.top_centers]
    if gains != [(c.center_id, round(c.gain_hours or 0.0, 6)) for c in b.top_centers]:
        return float("inf")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", nargs="?", default=str(ROOT / "data" / "zhangqiu"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dataset = load_dataset(args.data_dir)
    default = dataset.scenario or Scenario()
    print("| objective | HiGHS re-solves (s) | network re-solves (s) | largest difference |")
    print("|---|---:|---:|---:|")
    for objective in OBJECTIVES:
        scenario = default.replace(objective=objective)
        inputs = model_inputs(dataset, scenario)
        net = NetworkModel(inputs, scenario)
        solve = solve_equity if objective == "equity" else solve_network
        plan: Solution = solve(net)
        highs_best = net_best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            model = AllocationModel(inputs, scenario.replace(solver="highs"))
            model.solve_policy()
            on_highs = marginal_values(model, plan, dataset)
            highs_best = min(highs_best, time.perf_counter() - start)
            start = time.perf_counter()
            on_network = network_marginal_values(net, plan, dataset)
            net_best = min(net_best, time.perf_counter() - start)
        gap = _difference(on_highs, on_network)
        print(f"| {objective} | {highs_best:.2f} | {net_best:.2f} | {gap:.1e} |")


if __name__ == "__main__":
    main()
