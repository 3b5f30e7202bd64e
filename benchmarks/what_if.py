"""What-if solve time on a dataset folder with today's plan cached, as the app runs it.

``python benchmarks/what_if.py [DATA_DIR] [--repeat N]`` prints one row per
objective: the best of ``N`` runs of :func:`govopt.optimize.solve` end to end
(demand, links, build, the three stages, the marginal values, extract), with
the stage times of that run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from govopt.data.scenario import OBJECTIVES, Scenario
from govopt.data.validate import load_dataset
from govopt.optimize import baseline, solve

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", nargs="?", default=str(ROOT / "data" / "zhangqiu"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dataset = load_dataset(args.data_dir)
    default = dataset.scenario or Scenario()
    today = baseline(dataset, default)
    print(
        "| objective | what-if (s) | build | policy | stability | assignment | marginal "
        "| centers changed |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for objective in OBJECTIVES:
        scenario = default.replace(objective=objective)
        best = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            plan = solve(dataset, scenario, baseline=today)
            seconds = time.perf_counter() - start
            if best is None or seconds < best[0]:
                best = (seconds, plan)
        assert best is not None
        seconds, plan = best
        tm = plan.timings
        changed = plan.kpis.centers_changed if plan.kpis is not None else None
        cells = [tm.get(f"solve.{k}", float("nan")) for k in ("policy", "stability", "assignment")]
        cells.append(tm.get("marginal", float("nan")))
        print(
            f"| {objective} | {seconds:.2f} | {tm.get('build', 0):.2f} | "
            + " | ".join(f"{c:.2f}" for c in cells)
            + f" | {changed} |"
        )


if __name__ == "__main__":
    main()
