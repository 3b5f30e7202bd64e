"""Equity on the network engine on generated districts, optionally against HiGHS.

``python benchmarks/network_equity.py [--grids N ...] [--highs]`` prints one row
per district (``0``: the bundled sample): arcs, the max-flows of the lowest-share
step, the seconds of each stage (``equity``: build and every stage, end to end on the
model inputs), the network's ``t`` (the lowest coverage of the
final plan) and, with ``--highs``, HiGHS's ``t`` of stage 1 and its seconds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from govopt.data.sample import generate
from govopt.data.scenario import Objective, Scenario
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.inputs import model_inputs
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_equity import model_lowest_share, solve_equity
from govopt.optimize.solvers import choose_lp_method, make_solver, run
from govopt.plan import Status


def _highs_t(model: AllocationModel) -> tuple[float, float]:
    solver, name = make_solver("highs", lp_method=choose_lp_method(model.n_columns, max_min=True))
    start = time.perf_counter()
    status = run(model.prob, solver, name)
    seconds = time.perf_counter() - start
    assert status is Status.OPTIMAL and model.t is not None
    return float(model.t.varValue or 0.0), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grids", type=int, nargs="+", default=[0, 10_000])
    parser.add_argument("--highs", action="store_true")
    args = parser.parse_args()
    print(
        "| grids | arcs | max-flows | lowest share (s) | W, t held | stability | assignment "
        "| equity (s) | t network | t HiGHS | HiGHS stage 1 (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|")
    for n in args.grids:
        ds = generate(n or None, seed=0)
        sc = (ds.scenario or Scenario()).replace(objective=Objective.EQUITY, time_limit_s=None)
        inputs = model_inputs(ds, sc)
        start = time.perf_counter()
        model = NetworkModel(inputs, sc)
        sol = solve_equity(model)
        total = time.perf_counter() - start
        share = model_lowest_share(model)
        assert sol.status is Status.OPTIMAL and sol.t is not None
        served = np.bincount(inputs.x_grid, weights=sol.x, minlength=inputs.n_grids)
        grids = model.grids
        assert abs(sol.t - float((served[grids] / inputs.grid_demand[grids]).min())) <= 1e-12
        tm = sol.timings
        t_highs, s_highs = "", ""
        if args.highs:
            value, seconds = _highs_t(AllocationModel(inputs, sc))
            t_highs, s_highs = f"{value:.10f}", f"{seconds:.1f}"
        print(
            f"| {inputs.n_grids:,} | {len(model.tail):,} | {share.max_flows} "
            f"| {tm['lowest_share']:.2f} | {tm['policy']:.2f} | {tm.get('stability', 0):.2f} "
            f"| {tm.get('assignment', 0):.2f} | {total:.2f} | {sol.t:.10f} | {t_highs} "
            f"| {s_highs} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
