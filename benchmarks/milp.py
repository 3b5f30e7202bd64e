"""Whole-number staffing (``integer_staff = true``) on a dataset folder, per objective.

``python benchmarks/milp.py [DATA_DIR] [--time-limit S] [--cancel-after S]``
prints three tables in Markdown:

1. the first whole-number plan: the LP relaxation's optimum (a bound on every
   whole-number plan), the rounded and repaired plan
   (:func:`govopt.optimize.rounding.whole_number_start`), the seconds to it from
   the built model and its gap to the LP bound; then, for comparison, when
   HiGHS alone (no start) finds its first whole-number plan, that plan's gap
   to the LP bound, and when it first finds one as good as the rounded plan;
2. :func:`govopt.optimize.solve` end to end under the time limit: status, the
   proven gap, the objective's gap to the LP bound and the stage times;
3. how long a solve takes to return after its :class:`~govopt.optimize.Cancel`
   token is set ``--cancel-after`` seconds into the solve.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path
from typing import Any

import pulp

from govopt.data.dataset import Dataset
from govopt.data.scenario import OBJECTIVES, Scenario
from govopt.data.validate import load_dataset
from govopt.optimize import Cancel, solve
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.inputs import model_inputs
from govopt.optimize.rounding import whole_number_start
from govopt.optimize.solvers import BulkHiGHS, make_solver

ROOT = Path(__file__).resolve().parents[1]


def _gap(value: float | None, bound: float | None) -> float | None:
    if value is None or bound is None:
        return None
    return abs(value - bound) / max(abs(value), 1e-9)


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.2f}%" if value < 1 else "> 100%"


def first_plans(dataset: Dataset, scenario: Scenario, time_limit_s: float) -> dict[str, Any]:
    """The rounded start, and HiGHS's own first whole-number plan without it."""
    inputs = model_inputs(dataset, scenario)
    start = whole_number_start(AllocationModel(inputs, scenario))
    model = AllocationModel(inputs, scenario)
    found: list[tuple[float, float]] = []
    sign = -1.0 if model.prob.sense == pulp.LpMaximize else 1.0
    began = [0.0]

    class Watched(BulkHiGHS):  # type: ignore[misc]
        def callSolver(self, lp: pulp.LpProblem) -> None:
            def improved(event: Any) -> None:
                value = sign * float(event.data_out.objective_function_value)
                found.append((time.perf_counter() - began[0], value))

            lp.solverModel.cbMipImprovingSolution.subscribe(improved)
            began[0] = time.perf_counter()
            super().callSolver(lp)

    solver, _ = make_solver("highs", time_limit_s=time_limit_s, mip_gap=scenario.mip_gap, mip=True)
    watched = Watched(msg=False, timeLimit=time_limit_s, gapRel=scenario.mip_gap)
    watched.optionsDict = dict(solver.optionsDict)
    model.prob.solve(watched)
    first = found[0] if found else (None, None)
    better = 1.0 if model.prob.sense == pulp.LpMaximize else -1.0
    good = [
        s for s, v in found if start.objective is not None and better * (v - start.objective) >= 0
    ]
    return {
        "bound": start.bound,
        "start": start.objective,
        "start_s": start.seconds,
        "start_gap": start.gap,
        "start_note": start.note,
        "highs_first_s": first[0],
        "highs_first_gap": _gap(first[1], start.bound),
        "highs_as_good_s": good[0] if good else None,
    }


def end_to_end(dataset: Dataset, scenario: Scenario) -> dict[str, Any]:
    """``solve`` under the scenario's time limit."""
    began = time.perf_counter()
    plan = solve(dataset, scenario)
    return {"plan": plan, "seconds": time.perf_counter() - began}


def cancel_latency(dataset: Dataset, scenario: Scenario, after_s: float) -> tuple[float, str]:
    """Seconds from setting the token to ``solve`` returning, and the status it returned."""
    cancel = Cancel()
    timer = threading.Timer(after_s, cancel.set)
    began = time.perf_counter()
    timer.start()
    plan = solve(dataset, scenario, cancel=cancel)
    timer.cancel()
    return time.perf_counter() - began - after_s, plan.status.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", nargs="?", default=str(ROOT / "data" / "zhangqiu"))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--cancel-after", type=float, default=5.0)
    args = parser.parse_args()
    dataset = load_dataset(args.data_dir)
    default = (dataset.scenario or Scenario()).replace(
        integer_staff=True, time_limit_s=args.time_limit
    )
    rows = {}
    for objective in OBJECTIVES:
        scenario = default.replace(objective=objective)
        rows[objective] = (
            first_plans(dataset, scenario, args.time_limit),
            end_to_end(dataset, scenario),
            cancel_latency(dataset, scenario, args.cancel_after),
        )
    print("| objective | LP bound | first plan (rounded) | seconds | gap to LP bound |")
    print("|---|---:|---:|---:|---:|")
    for objective, (first, _, _) in rows.items():
        print(
            f"| {objective} | {first['bound']:,.4f} | {first['start'] or float('nan'):,.4f} | "
            f"{first['start_s']:.2f} | {_pct(first['start_gap'])} {first['start_note']} |"
        )
    print()
    print(
        "| objective | HiGHS alone: first plan after (s) | its gap to LP bound | "
        "first plan as good as the rounded one after (s) |"
    )
    print("|---|---:|---:|---:|")
    for objective, (first, _, _) in rows.items():
        when, good = first["highs_first_s"], first["highs_as_good_s"]
        shown = "none" if when is None else f"{when:.2f}"
        as_good = f"not within {args.time_limit:g}" if good is None else f"{good:.2f}"
        print(f"| {objective} | {shown} | {_pct(first['highs_first_gap'])} | {as_good} |")
    print()
    print(
        f"| objective | status at {args.time_limit:g} s | proven gap | gap to LP bound | "
        "total (s) | start | policy | stability |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for objective, (first, done, _) in rows.items():
        plan, tm = done["plan"], done["plan"].timings
        value = plan.kpis.lowest_share if objective == "equity" and plan.kpis else plan.objective
        cells = [tm.get(k, float("nan")) for k in ("start", "solve.policy", "solve.stability")]
        print(
            f"| {objective} | {plan.status.value} | {_pct(plan.gap)} | "
            f"{_pct(_gap(value, first['bound']))} | {done['seconds']:.1f} | "
            + " | ".join(f"{c:.1f}" for c in cells)
            + " |"
        )
    print()
    print(f"| objective | returned after cancel at {args.cancel_after:g} s (s) | status |")
    print("|---|---:|---|")
    for objective, (_, _, (latency, status)) in rows.items():
        print(f"| {objective} | {latency:.2f} | {status} |")


if __name__ == "__main__":
    main()
