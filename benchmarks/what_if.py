"""What-if solve time on a dataset folder, first and second what-if, as the app runs them.

``python benchmarks/what_if.py [DATA_DIR] [--repeat N]`` prints one row per
objective and what-if: the best of ``N`` runs of :func:`govopt.optimize.solve`
end to end with the stage times of that run. The first what-if starts from a
fresh :class:`~govopt.optimize.prepared.Prepared` (demand, links and the
baseline are computed, the baseline alongside the scenario); the second is
another scenario (funds budget 5 % higher) on the same prepared dataset, as a
planner's next what-if in the app: demand, links and baseline are reused.
A second table times what the page then does with the plan (``--render``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's govopt, not an installed one

from govopt.data.dataset import Dataset  # noqa: E402
from govopt.data.scenario import OBJECTIVES, Scenario  # noqa: E402
from govopt.data.validate import load_dataset  # noqa: E402
from govopt.optimize import Prepared, baseline, solve  # noqa: E402
from govopt.plan import Plan  # noqa: E402

STAGES = (
    "demand",
    "links",
    "build",
    "solve.policy",
    "solve.stability",
    "solve.assignment",
    "marginal_start",
    "marginal",
    "extract",
    "baseline",
)


def _next(scenario: Scenario) -> Scenario:
    funds = scenario.funds_total_cny
    return scenario.replace(funds_total_cny=None if funds is None else round(funds * 1.05))


def _best(run: Callable[[], Plan], repeat: int) -> tuple[float, float, Plan]:
    """Wall and CPU seconds of the fastest of ``repeat`` runs, and its plan."""
    best: tuple[float, float, Plan] | None = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        plan = run()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if best is None or seconds < best[0]:
            best = (seconds, cpu, plan)
    assert best is not None
    return best


def _row(objective: str, which: str, best: tuple[float, float, Plan]) -> str:
    seconds, cpu, plan = best
    tm = plan.timings
    cells = " | ".join(f"{tm[k]:.2f}" if k in tm else "—" for k in STAGES)
    return f"| {objective} | {which} | {seconds:.2f} | {cpu:.2f} | {cells} | {plan.status.value} |"


def what_if(dataset: Dataset, repeat: int) -> list[tuple[str, Plan, Plan]]:
    """Print the what-if table; return (objective, plan, baseline) per objective."""
    default = dataset.scenario or Scenario()
    heads = " | ".join(k.removeprefix("solve.") for k in STAGES)
    print(f"| objective | what-if | total (s) | CPU (s) | {heads} | status |")
    print("|---|---|" + "---:|" * (len(STAGES) + 2) + "---|")
    out = []
    for objective in OBJECTIVES:
        scenario = default.replace(objective=objective)

        def first(scenario: Scenario = scenario) -> Plan:
            return solve(dataset, scenario, prepared=Prepared(dataset))

        print(_row(objective, "first", _best(first, repeat)))
        prep = Prepared(dataset)
        solve(dataset, scenario, prepared=prep)
        second = _next(scenario)

        def again(second: Scenario = second, prep: Prepared = prep) -> Plan:
            return solve(dataset, second, prepared=prep)

        best = _best(again, repeat)
        print(_row(objective, "second", best))
        plan = best[2]
        out.append((objective, plan, baseline(dataset, second, prepared=prep)))
    return out


def render(dataset: Dataset, plans: list[tuple[str, Plan, Plan]]) -> None:
    """Print what the what-if page computes from a plan, seconds per piece (first call)."""
    from govopt.analysis.diagnosis import diagnose
    from govopt.analysis.plan_charts import (
        coverage_by_street,
        coverage_histogram,
        resources_by_level,
    )
    from govopt.analysis.plan_summary import street_summary
    from govopt.output.export import plan_csv_bytes
    from govopt.output.maps import indicator_map
    from govopt.output.report import report_html
    from govopt.output.words import explain_marginal
    from govopt.output.workbook import plan_workbook_bytes

    pieces: dict[str, Callable[[Plan, Plan], object]] = {
        "map": lambda p, b: indicator_map(dataset, "plan_coverage", lang="zh", plan=p),
        "charts": lambda p, b: (
            coverage_by_street(p),
            resources_by_level(p),
            coverage_histogram(p),
        ),
        "streets": lambda p, b: street_summary(p, dataset),
        "CSV x2": lambda p, b: (plan_csv_bytes(p, "centers"), plan_csv_bytes(p, "grids")),
        "marginal text": lambda p, b: explain_marginal(p, "zh"),
        "below target": lambda p, b: diagnose(dataset, p),
        "workbook": lambda p, b: plan_workbook_bytes(p, dataset, "zh", baseline=b),
        "report": lambda p, b: report_html(p, dataset, "zh", baseline=b),
    }
    print("| objective | " + " | ".join(pieces) + " |")
    print("|---|" + "---:|" * len(pieces))
    for objective, plan, today in plans:
        cells = []
        for piece in pieces.values():
            start = time.perf_counter()
            piece(plan, today)
            cells.append(f"{time.perf_counter() - start:.2f}")
        print(f"| {objective} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", nargs="?", default=str(ROOT / "data" / "zhangqiu"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--render", action="store_true", help="also time the page's pieces")
    args = parser.parse_args()
    dataset = load_dataset(args.data_dir)
    plans = what_if(dataset, args.repeat)
    if args.render:
        print()
        render(dataset, plans)


if __name__ == "__main__":
    main()
