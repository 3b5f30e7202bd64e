"""The network engine against HiGHS: what-if end to end and the engines alone.

``python benchmarks/network.py [--grids N] [--repeat R] [--highs]`` prints two
tables. First, :func:`govopt.optimize.solve` end to end (today's plan cached,
marginal values included) under ``coverage`` and ``cost`` with solver ``auto``
(the network engine) and ``highs``. Second, the engines alone on the same
inputs: :func:`govopt.optimize.network_solve.solve_network` (build, policy,
duals, stability, assignment) and :meth:`AllocationModel.solve` (build and the
three stages), with the stage-1 objectives and their relative difference.
Without ``--grids`` the bundled sample; with it a generated district (built
in memory with :func:`govopt.data.sample.generate`). ``--highs`` adds the
HiGHS columns at sizes where they take minutes.
"""

from __future__ import annotations

import argparse
import time

from districts import district

from govopt.data.scenario import Objective, Scenario
from govopt.optimize import baseline, solve
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.inputs import model_inputs
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_solve import solve_network

OBJECTIVES = (Objective.COVERAGE, Objective.COST)


def _best(repeat: int, fn: object) -> tuple[float, object]:
    best: tuple[float, object] | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()  # type: ignore[operator]
        seconds = time.perf_counter() - start
        if best is None or seconds < best[0]:
            best = (seconds, out)
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grids", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--highs", action="store_true", help="HiGHS too at any size")
    args = parser.parse_args()
    dataset = district(args.grids)
    default = (dataset.scenario or Scenario()).replace(solver="auto", time_limit_s=None)
    highs_too = args.grids is None or args.highs
    solvers = ("auto", "highs") if highs_too else ("auto",)
    print(f"grids: {len(dataset.grids)}")
    print("| objective | solver | what-if (s) | solve | marginal | objective |")
    print("|---|---|---:|---:|---:|---:|")
    today = baseline(dataset, default)
    for objective in OBJECTIVES:
        for name in solvers:
            sc = default.replace(objective=objective, solver=name)
            seconds, plan = _best(args.repeat, lambda sc=sc: solve(dataset, sc, baseline=today))
            tm = plan.timings  # type: ignore[attr-defined]
            print(
                f"| {objective} | {plan.solver} | {seconds:.2f} | {tm.get('solve', 0):.2f} | "  # type: ignore[attr-defined]
                f"{tm.get('marginal', 0) + tm.get('marginal_start', 0):.2f} | "
                f"{plan.objective:.6f} |"  # type: ignore[attr-defined]
            )
    print()
    print("| objective | network (s) | policy | duals | stability | HiGHS (s) | rel. diff |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for objective in OBJECTIVES:
        sc = default.replace(objective=objective)
        inputs = model_inputs(dataset, sc)
        net_s, net = _best(
            args.repeat, lambda sc=sc, inputs=inputs: solve_network(NetworkModel(inputs, sc))
        )
        tm = net.timings  # type: ignore[attr-defined]
        cells = f"{tm['policy']:.2f} | {tm['duals']:.2f} | {tm.get('stability', 0):.2f}"
        if highs_too:
            on = sc.replace(solver="highs")
            hi_s, hi = _best(1, lambda on=on, inputs=inputs: AllocationModel(inputs, on).solve())
            a, b = net.objective, hi.objective  # type: ignore[attr-defined]
            diff = abs(a - b) / max(abs(b), 1.0)
            print(f"| {objective} | {net_s:.2f} | {cells} | {hi_s:.2f} | {diff:.1e} |")
        else:
            print(f"| {objective} | {net_s:.2f} | {cells} | | |")


if __name__ == "__main__":
    main()
