"""Why a scenario is infeasible: an elastic re-solve with penalised slacks on policy rows."""

from __future__ import annotations

import numpy as np

from govopt.data.scenario import Scenario
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.inputs import ModelInputs
from govopt.plan import Conflict, Status

__all__ = ["find_conflicts"]

_EPS = 1e-6


def _conflicts(model: AllocationModel, slacks: dict[str, np.ndarray]) -> list[Conflict]:
    inputs, scenario = model.inputs, model.scenario
    out: list[Conflict] = []
    total = {fam: float(v.sum()) for fam, v in slacks.items()}
    cause = "target" if scenario.objective == "cost" else None
    if total.get("budget_staff", 0.0) > _EPS:
        allowed = float(scenario.staff_total or 0.0)
        extra = total["budget_staff"]
        min_need = float(inputs.min_staff.sum())
        if min_need > allowed + _EPS:
            out.append(Conflict("budget_staff", min_need, allowed, 1, extra, "min_staff"))
        else:
            out.append(Conflict("budget_staff", allowed + extra, allowed, 1, extra, cause))
    if total.get("budget_funds", 0.0) > _EPS:
        allowed = float(scenario.funds_total_cny or 0.0)
        extra = total["budget_funds"]
        out.append(Conflict("budget_funds", allowed + extra, allowed, 1, extra, cause))
    if total.get("min_staff", 0.0) > _EPS:
        short = slacks["min_staff"]
        staff = float(inputs.min_staff[model.min_rows][short > _EPS].sum())
        extra = total["min_staff"]
        n = int((short > _EPS).sum())
        out.append(Conflict("min_staff", staff, staff - extra, n, extra))
    if total.get("max_staff", 0.0) > _EPS:
        over = slacks["max_staff"]
        cap = float(inputs.max_staff[over > _EPS].sum())
        extra = total["max_staff"]
        out.append(Conflict("max_staff", cap + extra, cap, int((over > _EPS).sum()), extra))
    if total.get("transfers", 0.0) > _EPS:
        allowed = float(scenario.max_transfers or 0.0)
        extra = total["transfers"]
        out.append(Conflict("transfers", allowed + extra, allowed, 1, extra))
    if total.get("target", 0.0) > _EPS:
        short = slacks["target"]
        demand = inputs.grid_demand[model.grids_served][short > _EPS]
        hours = float(scenario.coverage_target * demand.sum())
        extra = total["target"]
        out.append(Conflict("target", hours, hours - extra, int((short > _EPS).sum()), extra))
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
