"""Why a scenario is infeasible: an elastic re-solve with penalised slacks on policy rows."""

from __future__ import annotations

import numpy as np

from govopt.data.scenario import Scenario
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.families import Family
from govopt.optimize.inputs import ModelInputs
from govopt.plan import Conflict, Status

__all__ = ["find_conflicts"]

_EPS = 1e-6


def _conflicts(model: AllocationModel, slacks: dict[Family, np.ndarray]) -> list[Conflict]:
    inputs, scenario = model.inputs, model.scenario
    out: list[Conflict] = []
    total = {fam: float(v.sum()) for fam, v in slacks.items()}
    cause = Family.TARGET if Family.TARGET in slacks else None
    if total.get(Family.BUDGET_STAFF, 0.0) > _EPS:
        allowed = float(scenario.staff_total or 0.0)
        extra = total[Family.BUDGET_STAFF]
        min_need = float(inputs.min_staff.sum())
        if min_need > allowed + _EPS:
            out.append(Conflict(Family.BUDGET_STAFF, min_need, allowed, 1, extra, Family.MIN_STAFF))
        else:
            out.append(Conflict(Family.BUDGET_STAFF, allowed + extra, allowed, 1, extra, cause))
    if total.get(Family.BUDGET_FUNDS, 0.0) > _EPS:
        allowed = float(scenario.funds_total_cny or 0.0)
        extra = total[Family.BUDGET_FUNDS]
        out.append(Conflict(Family.BUDGET_FUNDS, allowed + extra, allowed, 1, extra, cause))
    if total.get(Family.MIN_STAFF, 0.0) > _EPS:
        short = slacks[Family.MIN_STAFF]
        rows = np.flatnonzero(inputs.min_staff > 0)
        staff = float(inputs.min_staff[rows][short > _EPS].sum())
        extra = total[Family.MIN_STAFF]
        n = int((short > _EPS).sum())
        out.append(Conflict(Family.MIN_STAFF, staff, staff - extra, n, extra))
    if total.get(Family.MAX_STAFF, 0.0) > _EPS:
        over = slacks[Family.MAX_STAFF]
        cap = float(inputs.max_staff[over > _EPS].sum())
        extra = total[Family.MAX_STAFF]
        n = int((over > _EPS).sum())
        out.append(Conflict(Family.MAX_STAFF, cap + extra, cap, n, extra))
    if total.get(Family.TRANSFERS, 0.0) > _EPS:
        allowed = float(scenario.max_transfers or 0.0)
        extra = total[Family.TRANSFERS]
        out.append(Conflict(Family.TRANSFERS, allowed + extra, allowed, 1, extra))
    if total.get(Family.TARGET, 0.0) > _EPS:
        short = slacks[Family.TARGET]
        demand = inputs.grid_demand[model.grids_served][short > _EPS]
        hours = float(scenario.coverage_target * demand.sum())
        extra = total[Family.TARGET]
        n = int((short > _EPS).sum())
        out.append(Conflict(Family.TARGET, hours, hours - extra, n, extra))
    return out


def find_conflicts(
    inputs: ModelInputs, scenario: Scenario, solver_name: str | None = None
) -> tuple[Conflict, ...]:
    """The policy families that an infeasible scenario cannot meet together, with numbers.

    Returns
    -------
    tuple of Conflict
        One per family whose slack the elastic re-solve uses; empty when the
        re-solve itself fails (the conflict could not be located).
    """
    model = AllocationModel(inputs, scenario.replace(integer_staff=False), elastic=True)
    sol = model.solve(solver_name)
    if sol.status is not Status.OPTIMAL:
        return ()
    return tuple(_conflicts(model, sol.slacks))
