"""Centers a plan changes on the network engine and on HiGHS, per objective.

``python benchmarks/changed_centers.py [--grids N]`` solves the bundled sample
(or a generated district of ``N`` grids) with :func:`govopt.optimize.solve`
under ``coverage``, ``equity`` and ``cost``, solver ``auto`` (the network
engine) and ``highs``, and prints the centers changed, the staff moved, the
centers whose staff change by less than 0.01 (a few hours: crumbs no office
can act on), the least change ``M`` and the stage-1 objective.
"""

from __future__ import annotations

import argparse

import numpy as np
from districts import district

from govopt.data.scenario import Objective, Scenario
from govopt.optimize import baseline, solve
from govopt.optimize.results import CHANGE_STAFF

CRUMB_STAFF = 0.01


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grids", type=int, default=None)
    args = parser.parse_args()
    dataset = district(args.grids)
    default = (dataset.scenario or Scenario()).replace(solver="auto", time_limit_s=None)
    today = baseline(dataset, default)
    print(f"grids: {len(dataset.grids)}")
    print("| objective | engine | centers changed | moved staff | crumbs | M | objective |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for objective in (Objective.COVERAGE, Objective.EQUITY, Objective.COST):
        for name in ("auto", "highs"):
            sc = default.replace(objective=objective, solver=name)
            plan = solve(dataset, sc, baseline=today)
            c = plan.centers
            staff = np.abs(c["staff"] - c["staff0"]).to_numpy()
            funds = np.abs(c["funds_cny"] - c["funds0_cny"]).to_numpy()
            crumbs = int(((staff > CHANGE_STAFF) & (staff < CRUMB_STAFF)).sum())
            moved = staff.sum() + funds.sum() / sc.wage_per_staff_cny
            print(
                f"| {objective} | {plan.solver} | {plan.kpis.centers_changed} | "
                f"{plan.kpis.moved_staff:.2f} | {crumbs} | {moved:.4f} | {plan.objective:.2f} |"
            )


if __name__ == "__main__":
    main()
