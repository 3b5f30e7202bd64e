"""The assignment stage (stage 3) by network simplex against OR-Tools on one stage-2 flow.

``python benchmarks/assignment.py [--grids N] [--objective coverage]`` generates
a district in memory (:func:`govopt.data.sample.generate`; without ``--grids``
the bundled sample), solves stages 1 and 2 on the network engine, then stage 3
on that flow by :func:`govopt.optimize.assignment_simplex.assign_simplex` and by
:func:`govopt.optimize.assignment.assign_flow` (OR-Tools), each timed in wall
and CPU seconds, and prints both distance totals in the stage's integer units
(equal when both are optimal). Results: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from districts import district

from govopt.data.scenario import Scenario
from govopt.optimize.assignment import Assignment, assign_flow, stage_network
from govopt.optimize.assignment_simplex import assign_simplex
from govopt.optimize.inputs import model_inputs
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_solve import _stability, potentials, stage_three_units

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grids", type=int, default=None)
    parser.add_argument("--objective", default="coverage")
    args = parser.parse_args()
    ds = district(args.grids)
    sc = Scenario.from_toml(ROOT / "data" / "zhangqiu" / "scenario.toml")
    sc = sc.replace(objective=args.objective, time_limit_s=None)
    inp = model_inputs(ds, sc)
    model = NetworkModel(inp, sc)
    first = model.solve_policy()
    second = _stability(model, first, model.lower, potentials(model, first.flow, model.lower))
    stage = stage_three_units(model, second.flow)
    net = stage_network(inp, *stage)
    print(f"arcs {len(net.tails):,}, nodes {len(net.supplies):,}")
    for name, solver in (("network simplex", assign_simplex), ("OR-Tools", assign_flow)):
        wall, cpu = time.perf_counter(), time.process_time()
        result: Assignment = solver(inp, *stage, model.units)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        first_link, n_l = net.first_link, net.n_links
        links = np.round(result.link_hours * model.units).astype(np.int64)
        paths = np.round(result.org_hours * inp.org_quality[inp.y_org] * model.units)
        cost = links @ net.costs[first_link : first_link + n_l]
        cost += paths.astype(np.int64) @ net.costs[first_link + n_l : first_link + n_l + len(paths)]
        print(f"{name}: {result.status}, {wall:.2f} s wall, {cpu:.2f} s CPU, cost {int(cost)}")


if __name__ == "__main__":
    main()
