"""``govopt solve``: load a dataset folder, solve a scenario, write the plan files."""

from __future__ import annotations

import sys
from pathlib import Path

from govopt.data.errors import DataError
from govopt.data.scenario import Scenario, ScenarioError
from govopt.i18n import problem_text
from govopt.plan import Status

__all__ = ["run_solve"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_INFEASIBLE = 2


def _scenario(
    data_dir: Path, scenario_path: Path | None, dataset_scenario: Scenario | None
) -> Scenario:
    if scenario_path is not None:
        if not scenario_path.is_file():
            raise ScenarioError(["file not found: check the --scenario path"], str(scenario_path))
        return Scenario.from_toml(scenario_path)
    if dataset_scenario is not None:
        return dataset_scenario
    default = data_dir / "scenario.toml"
    return Scenario.from_toml(default) if default.is_file() else Scenario()


def run_solve(
    data_dir: Path,
    scenario_path: Path | None,
    out_dir: Path,
    *,
    solver: str | None,
    time_limit_s: float | None,
) -> int:
    """Run ``govopt solve``; return 0 when optimal, 2 when infeasible, 1 otherwise."""
    from govopt.data.validate import load_dataset
    from govopt.optimize import solve
    from govopt.output.export import write_plan

    try:
        dataset = load_dataset(data_dir)
    except DataError as exc:
        print(f"{data_dir}: the dataset cannot be used:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem_text(problem)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        scenario = _scenario(Path(data_dir), scenario_path, dataset.scenario)
        changes: dict[str, object] = {}
        if solver is not None:
            changes["solver"] = solver
        if time_limit_s is not None:
            changes["time_limit_s"] = time_limit_s
        if changes:
            scenario = scenario.replace(**changes)
    except ScenarioError as exc:
        print(f"{exc.source}: the scenario cannot be used:", file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return EXIT_BAD_INPUT

    plan = solve(dataset, scenario)
    written = write_plan(plan, dataset, out_dir)
    print(
        f"scenario {scenario.name!r} ({scenario.objective}), solver {plan.solver}: "
        f"{plan.status.value}"
    )
    if plan.status is Status.INFEASIBLE:
        print("the scenario is infeasible:")
        for line in plan.explanation:
            print(f"  {line}")
        print(f"wrote {', '.join(p.name for p in written)} to {out_dir}")
        return EXIT_INFEASIBLE
    if not plan.optimal or plan.kpis is None:
        print(
            f"no optimal plan ({plan.status.value}); nothing but summary.json was written. "
            "Try a longer --time-limit or the other --solver."
        )
        return EXIT_BAD_INPUT
    k = plan.kpis
    g = plan.grids
    today = (g["baseline_coverage"].fillna(0) * g["demand_hours"]).sum() / max(k.demand_hours, 1e-9)
    print(
        f"objective {plan.objective or 0:,.2f}; district coverage {k.coverage:.1%} "
        f"(today {today:.1%}); "
        f"lowest grid {k.min_coverage:.1%}; {k.unreachable_grids} grids out of reach"
    )
    print(
        f"staff {k.staff_used:,.1f}, funds {k.funds_used_cny:,.0f} CNY, "
        f"transfers {k.staff_transfers:,.1f}; total time {plan.timings.get('total', 0):.2f} s"
    )
    print(f"wrote {', '.join(p.name for p in written)} to {out_dir}")
    return EXIT_OK
