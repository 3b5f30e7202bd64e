"""How each :class:`~govopt.data.scenario.Objective` enters the allocation model.

An objective is its rows (families of role ``objective``, see
:mod:`govopt.optimize.families`), the expression of its first step, an
optional second step run after an optimal first one, and whether its shadow
prices read as covered hours per unit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pulp

from govopt.data.scenario import Objective
from govopt.optimize.columns import ModelColumns
from govopt.optimize.families import Family

__all__ = [
    "EQUITY_TOLERANCE",
    "OBJECTIVE_SPECS",
    "ObjectiveSpec",
    "coverage_expression",
]

EQUITY_TOLERANCE = 1e-7


@dataclass(frozen=True)
class ObjectiveSpec:
    """One objective in the model.

    Attributes
    ----------
    expression : callable
        ``expression(model)``: the first step's objective (sense from
        :attr:`Objective.sense`), once the model's rows are in.
    families : tuple of Family
        Rows only this objective adds (built by ``families.DEFINE``).
    second_step : callable, optional
        ``second_step(model)`` after an optimal first step: holds its optimum
        and sets the next objective; present exactly when
        :attr:`Objective.lexicographic`.
    marginal_hours : bool
        Shadow prices are covered (priority-weighted) hours per unit; when
        false no marginal values are reported.
    """

    expression: Callable[[ModelColumns], pulp.LpAffineExpression]
    families: tuple[Family, ...] = ()
    second_step: Callable[[ModelColumns], None] | None = None
    marginal_hours: bool = True


def coverage_expression(m: ModelColumns) -> pulp.LpAffineExpression:
    """``W = sum_g w_g * served_g``: priority-weighted covered hours.

    ``served_g = sum_c x_cg + sum_{o,k} q(o) * y_ogk``. Which center serves a
    grid is left to the assignment stage (``docs/model.md``, stage 3).
    """
    inp = m.inputs
    wx = inp.priority[inp.l_grid]
    wy = inp.priority[inp.y_grid] * m.y_q
    terms = zip(m.x + m.y, np.concatenate([wx, wy]).tolist(), strict=True)
    return pulp.LpAffineExpression(terms)


def _lowest_share(m: ModelColumns) -> pulp.LpAffineExpression:
    """``t * sum_g D_g``: the lowest share ``t`` (rows ``equity``) in hours of demand.

    Maximising ``t`` itself is the same problem, but its objective of at most 1
    against primal values of millions of hours let HiGHS stop, within its
    absolute dual tolerance, well short of the optimum (10,000 grids: "optimal"
    ``t = 0.8246`` with presolve, ``0.82819`` without, where ``0.82822`` is
    feasible); measured in hours the objective has the scale of the flows.
    """
    assert m.t is not None
    demand = float(m.inputs.grid_demand[m.grids_served].sum())
    return pulp.LpAffineExpression([(m.t, max(demand, 1.0))])


def _hold_lowest_share(m: ModelColumns) -> None:
    """Keep ``t >= t* - EQUITY_TOLERANCE`` and maximise coverage."""
    assert m.t is not None
    m.t.lowBound = max(0.0, float(m.t.varValue or 0.0) - EQUITY_TOLERANCE)
    m.prob.setObjective(coverage_expression(m))


def _cost(m: ModelColumns) -> pulp.LpAffineExpression:
    """``sum_c wage_per_staff * staff_c + fund_c``, with the coverage target as rows ``target``."""
    wage = m.scenario.wage_per_staff_cny
    n_c = m.inputs.n_centers
    return pulp.LpAffineExpression(
        list(zip(m.staff, [wage] * n_c, strict=True)) + list(zip(m.funds, [1.0] * n_c, strict=True))
    )


OBJECTIVE_SPECS: Mapping[Objective, ObjectiveSpec] = {
    Objective.COVERAGE: ObjectiveSpec(coverage_expression),
    Objective.EQUITY: ObjectiveSpec(
        _lowest_share, families=(Family.EQUITY,), second_step=_hold_lowest_share
    ),
    Objective.COST: ObjectiveSpec(_cost, families=(Family.TARGET,), marginal_hours=False),
}
