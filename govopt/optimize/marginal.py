"""Shadow prices of the allocation LP, in planner units."""

from __future__ import annotations

import numpy as np

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.optimize.allocation import Solution
from govopt.optimize.families import Family
from govopt.optimize.objectives import OBJECTIVE_SPECS
from govopt.plan import MarginalValues, TopCenter

__all__ = ["marginal_values"]

TOP_CENTERS = 5


def marginal_values(solution: Solution, dataset: Dataset, scenario: Scenario) -> MarginalValues:
    """Duals as covered (priority-weighted) hours per extra staff, 10,000 CNY and transfer.

    Only the coverage and equity objectives measure covered hours; under ``cost``
    every value is ``None``.
    """
    if not OBJECTIVE_SPECS[scenario.objective].marginal_hours:
        return MarginalValues(None, None, None, ())
    d = solution.duals
    per_staff = d.get(Family.BUDGET_STAFF)
    per_funds = d.get(Family.BUDGET_FUNDS)
    per_10k = None if per_funds is None else per_funds * 10_000
    per_center = solution.staff_hour_duals * scenario.work_hours_per_staff
    order = np.argsort(-per_center, kind="stable")[:TOP_CENTERS]
    c = dataset.centers
    top = tuple(
        TopCenter(
            str(c["center_id"].iat[i]),
            str(c["name"].iat[i]),
            str(c["level"].iat[i]),
            float(per_center[i]),
        )
        for i in order.tolist()
        if per_center[i] > 1e-9
    )
    return MarginalValues(per_staff, per_10k, d.get(Family.TRANSFERS), top)
