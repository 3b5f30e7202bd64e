"""The named constraint families of the allocation model and how each is built.

Row ``i`` of family ``f`` is named ``f"{f}_{i}"``. Each family is built by one
``define_*`` function that returns its rows (``None`` when the scenario does
not ask for it); :class:`~govopt.optimize.allocation.AllocationModel` adds
them in the order of :class:`Family`, in bulk.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import pulp

from govopt.optimize.columns import ModelColumns

__all__ = ["DEFINE", "STABILITY_TOLERANCE", "Family", "Role", "Rows", "grouped"]


class Role(StrEnum):
    """Where a family belongs: the model itself, a planner's policy, or one objective."""

    MODEL = "model"
    POLICY = "policy"
    OBJECTIVE = "objective"
    STABILITY = "stability"


class Family(StrEnum):
    """One named family of rows.

    ``role`` says when the family is in the model: ``model`` rows always,
    ``policy`` rows (budgets, norms, transfers) except in the baseline,
    ``objective`` rows only under the objectives that list them in
    :data:`govopt.optimize.objectives.OBJECTIVE_SPECS`, ``stability`` rows
    only in the least-change stage (``docs/model.md``, stage 2). ``weight`` is the
    penalty per unit of slack (per person, per CNY, per hour) when the elastic
    model relaxes the family; ``None`` means it is never relaxed.

    The weights decide where the elastic model puts its slack when several
    policies could give way: a budget first (1 per staff member, 1e-4 per
    CNY), then a norm per center (``min_staff``, ``max_staff``,
    ``min_funds``: 1 % dearer per unit), then a limit on change
    (``transfers``, ``funds_moved``: 2 % dearer). In a conflict between a
    budget and a norm or limit on the same resource one unit of slack on
    either removes one unit of shortfall, so equal weights would leave a tie
    the solver breaks either way; the steps break it the same way every
    time, onto the budget, whose shortfall reads as "the other policies need
    N; the budget allows M". Funds rows share one rate per CNY, so a funds
    floor trades against the funds budget and the funds-moved limit CNY for
    CNY. Every policy of a conflict is found by
    :func:`govopt.optimize.infeasibility.find_conflicts`; the weights only
    pick where the slack lands.
    """

    role: Role
    weight: float | None

    def __new__(cls, value: str, role: Role = Role.MODEL, weight: float | None = None) -> Family:
        member = str.__new__(cls, value)
        member._value_ = value
        member.role = role
        member.weight = weight
        return member

    SUPPLY = "supply", Role.MODEL
    ORG_HOURS = "org_hours", Role.MODEL
    GRID_DEMAND = "grid_demand", Role.MODEL
    CATEGORY_DEMAND = "category_demand", Role.MODEL
    BUDGET_STAFF = "budget_staff", Role.POLICY, 1.0
    BUDGET_FUNDS = "budget_funds", Role.POLICY, 1e-4
    MIN_STAFF = "min_staff", Role.POLICY, 1.01
    MAX_STAFF = "max_staff", Role.POLICY, 1.01
    TRANSFER_DEC = "transfer_dec", Role.POLICY
    TRANSFERS = "transfers", Role.POLICY, 1.02
    MIN_FUNDS = "min_funds", Role.POLICY, 1.01e-4
    FUNDS_DEC = "funds_dec", Role.POLICY
    FUNDS_MOVED = "funds_moved", Role.POLICY, 1.02e-4
    EQUITY = "equity", Role.OBJECTIVE
    TARGET = "target", Role.OBJECTIVE, 1e-3
    KEEP_OBJECTIVE = "keep_objective", Role.STABILITY
    MOVE_STAFF = "move_staff", Role.STABILITY
    MOVE_FUNDS = "move_funds", Role.STABILITY

    @property
    def policy(self) -> bool:
        """Whether the family is a planner's policy (left out of the baseline)."""
        return self.role is Role.POLICY


Sense = Literal[-1, 0, 1]


@dataclass(frozen=True, eq=False)
class Rows:
    """The rows of one family: ``expression <sense> rhs`` per row."""

    exprs: list[pulp.LpAffineExpression]
    sense: Sense
    rhs: list[float]


_LE: Sense = pulp.LpConstraintLE
_GE: Sense = pulp.LpConstraintGE
_EQ: Sense = pulp.LpConstraintEQ


def grouped(
    n_rows: int, row: np.ndarray, var: list[pulp.LpVariable], coef: np.ndarray
) -> list[pulp.LpAffineExpression]:
    """One expression per row from parallel (row, variable, coefficient) lists."""
    order = np.argsort(row, kind="stable")
    row_s = np.asarray(row)[order]
    var_s = [var[i] for i in order.tolist()]
    coef_s = np.asarray(coef, dtype=float)[order].tolist()
    bounds = np.searchsorted(row_s, np.arange(n_rows + 1)).tolist()
    return [
        pulp.LpAffineExpression(zip(var_s[a:b], coef_s[a:b], strict=True))
        for a, b in itertools.pairwise(bounds)
    ]


def _sum(variables: list[pulp.LpVariable]) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(zip(variables, [1.0] * len(variables), strict=True))


def define_supply(m: ModelColumns) -> Rows:
    """``supply[c]: sum_g x_cg <= work_hours_per_staff * staff_c + fund_c / cost_per_hour``.

    One row per center that links a grid with demand.
    """
    sc = m.scenario
    x_row = m.link_center_row
    n = len(m.served_centers)
    staff = [m.staff[c] for c in m.served_centers.tolist()]
    funds = [m.funds[c] for c in m.served_centers.tolist()]
    rows = np.concatenate([x_row, np.arange(n), np.arange(n)])
    per_hour = [np.full(n, -sc.work_hours_per_staff), np.full(n, -1.0 / sc.cost_per_hour_cny)]
    coefs = np.concatenate([np.ones(len(x_row)), *per_hour])
    return Rows(grouped(n, rows, m.x + staff + funds, coefs), _LE, [0.0] * n)


def define_org_hours(m: ModelColumns) -> Rows:
    """``org_hours[o]: sum_{g,k} y_ogk <= H_o``, one row per org that reaches a grid."""
    inp = m.inputs
    orgs, row = np.unique(inp.y_org, return_inverse=True)
    exprs = grouped(len(orgs), row, m.y, np.ones(len(m.y)))
    return Rows(exprs, _LE, inp.org_hours[orgs].tolist())


def define_grid_demand(m: ModelColumns) -> Rows:
    """``grid_demand[g]: sum_c x_cg + sum_{o,k} q(o) * y_ogk <= D_g`` per served grid."""
    return Rows(m.grid_sums(), _LE, m.inputs.grid_demand[m.grids_served].tolist())


def define_category_demand(m: ModelColumns) -> Rows:
    """``category_demand[g,k]: sum_o q(o) * y_ogk <= D_gk``.

    Only where the orgs that can reach (g, k) could together exceed ``D_gk``.
    """
    inp = m.inputs
    n_k = max(len(inp.categories), 1)
    gk = inp.y_grid * n_k + inp.y_cat
    ugk, gk_row = np.unique(gk, return_inverse=True)
    dem = inp.demand.reshape(-1)[ugk] if len(ugk) else np.zeros(0)
    reach = np.bincount(gk_row, weights=m.y_q * inp.org_hours[inp.y_org], minlength=len(ugk))
    tight = np.flatnonzero(reach > dem)
    pos = np.full(len(ugk), -1)
    pos[tight] = np.arange(len(tight))
    sel = pos[gk_row] >= 0
    y = [v for v, keep in zip(m.y, sel.tolist(), strict=True) if keep]
    return Rows(grouped(len(tight), pos[gk_row][sel], y, m.y_q[sel]), _LE, dem[tight].tolist())


def define_budget_staff(m: ModelColumns) -> Rows | None:
    """``budget_staff: sum_c staff_c <= staff_total`` (when a staff budget is set)."""
    total = m.scenario.staff_total
    return None if total is None else Rows([_sum(m.staff)], _LE, [total])


def define_budget_funds(m: ModelColumns) -> Rows | None:
    """``budget_funds: sum_c fund_c <= funds_total`` (when a funds budget is set)."""
    total = m.scenario.funds_total_cny
    return None if total is None else Rows([_sum(m.funds)], _LE, [total])


def define_min_staff(m: ModelColumns) -> Rows:
    """``min_staff[c]: staff_c >= min_staff_c`` for centers with a minimum above 0."""
    need = np.flatnonzero(m.inputs.min_staff > 0)
    exprs = [pulp.LpAffineExpression([(m.staff[c], 1.0)]) for c in need.tolist()]
    return Rows(exprs, _GE, m.inputs.min_staff[need].tolist())


def define_max_staff(m: ModelColumns) -> Rows:
    """``max_staff[c]: staff_c <= max_staff_c`` for every center."""
    exprs = [pulp.LpAffineExpression([(v, 1.0)]) for v in m.staff]
    return Rows(exprs, _LE, m.inputs.max_staff.tolist())


def define_transfer_dec(m: ModelColumns) -> Rows | None:
    """``transfer_dec[c]: dec_c + staff_c >= staff0_c``: ``dec_c`` counts staff moved out.

    Adds the ``dec_c`` columns (when a transfer limit is set).
    """
    if m.scenario.max_transfers is None:
        return None
    m.dec = [m.prob.add_variable(f"dec_{c}", 0) for c in range(m.inputs.n_centers)]
    exprs = [
        pulp.LpAffineExpression([(d, 1.0), (s, 1.0)]) for d, s in zip(m.dec, m.staff, strict=True)
    ]
    return Rows(exprs, _GE, m.inputs.staff0.tolist())


def define_transfers(m: ModelColumns) -> Rows | None:
    """``transfers: sum_c dec_c <= max_transfers`` (when a transfer limit is set)."""
    limit = m.scenario.max_transfers
    return None if limit is None else Rows([_sum(m.dec)], _LE, [limit])


def define_min_funds(m: ModelColumns) -> Rows | None:
    """``min_funds[c]: fund_c >= min_funds_c`` for centers with a floor above 0 (by level).

    Not in the model when no level has a floor.
    """
    need = np.flatnonzero(m.inputs.min_funds > 0)
    if len(need) == 0:
        return None
    exprs = [pulp.LpAffineExpression([(m.funds[c], 1.0)]) for c in need.tolist()]
    return Rows(exprs, _GE, m.inputs.min_funds[need].tolist())


def define_funds_dec(m: ModelColumns) -> Rows | None:
    """``funds_dec[c]: fund_dec_c + fund_c >= funds0_c``: ``fund_dec_c`` counts funds taken away.

    Adds the ``fund_dec_c >= 0`` columns, for centers with funds today (when a
    limit on funds moved is set); at most ``fund_dec_c = max(0, funds0_c - fund_c)``
    is needed.
    """
    if m.scenario.max_funds_moved_cny is None:
        return None
    have = np.flatnonzero(m.inputs.funds0 > 0)
    m.fund_dec = [m.prob.add_variable(f"fund_dec_{c}", 0) for c in have.tolist()]
    exprs = [
        pulp.LpAffineExpression([(d, 1.0), (m.funds[c], 1.0)])
        for d, c in zip(m.fund_dec, have.tolist(), strict=True)
    ]
    return Rows(exprs, _GE, m.inputs.funds0[have].tolist())


def define_funds_moved(m: ModelColumns) -> Rows | None:
    """``funds_moved: sum_c fund_dec_c <= max_funds_moved_cny`` (when the limit is set).

    With ``funds_dec`` this is ``sum_c max(0, funds0_c - fund_c) <= max_funds_moved_cny``.
    """
    limit = m.scenario.max_funds_moved_cny
    return None if limit is None else Rows([_sum(m.fund_dec)], _LE, [limit])


def define_equity(m: ModelColumns) -> Rows:
    """``equity[g]: sum_{c,k} x_cgk >= t * D_g`` per served grid.

    Adds the column ``0 <= t <= 1``, the share of demand every served grid gets.
    """
    m.t = m.prob.add_variable("t", 0, 1)
    exprs = m.grid_sums()
    for e, d in zip(exprs, m.inputs.grid_demand[m.grids_served].tolist(), strict=True):
        e.addterm(m.t, -d)
    return Rows(exprs, _GE, [0.0] * len(exprs))


def define_target(m: ModelColumns) -> Rows:
    """``target[g]: sum_{c,k} x_cgk >= coverage_target * D_g`` per served grid."""
    dg = m.inputs.grid_demand[m.grids_served]
    return Rows(m.grid_sums(), _GE, (m.scenario.coverage_target * dg).tolist())


STABILITY_TOLERANCE = 1e-12


def define_keep_objective(m: ModelColumns) -> Rows:
    """``keep_objective: f(x) >= f* - tol`` (``<= f* + tol`` when minimising).

    ``f`` is the policy objective of stage 1 and ``f*`` its optimum;
    ``tol = STABILITY_TOLERANCE * max(1, |f*|)``.
    """
    assert m.policy_optimum is not None
    expr, best, sense = m.policy_optimum
    tol = STABILITY_TOLERANCE * max(1.0, abs(best))
    if sense == "max":
        return Rows([expr.copy()], _GE, [best - tol])
    return Rows([expr.copy()], _LE, [best + tol])


def _moves(
    m: ModelColumns, name: str, own: list[pulp.LpVariable], today: np.ndarray
) -> tuple[Rows, list[pulp.LpVariable], list[pulp.LpVariable]]:
    add = m.prob.add_variable
    up = [add(f"{name}_up_{c}", 0) for c in range(len(own))]
    down = [add(f"{name}_down_{c}", 0) for c in range(len(own))]
    exprs = [
        pulp.LpAffineExpression([(v, 1.0), (u, -1.0), (d, 1.0)])
        for v, u, d in zip(own, up, down, strict=True)
    ]
    return Rows(exprs, _EQ, today.tolist()), up, down


def define_move_staff(m: ModelColumns) -> Rows:
    """``move_staff[c]: staff_c - up_c + down_c = staff0_c``.

    Adds the ``up``/``down`` columns; at the optimum of stage 2, which
    minimises their sum, ``up_c + down_c = |staff_c - staff0_c|``.
    """
    rows, up, down = _moves(m, "staff", m.staff, m.inputs.staff0)
    m.moved_staff = up + down
    return rows


def define_move_funds(m: ModelColumns) -> Rows:
    """``move_funds[c]: fund_c - up_c + down_c = funds0_c`` (moved funds, in CNY)."""
    rows, up, down = _moves(m, "funds", m.funds, m.inputs.funds0)
    m.moved_funds = up + down
    return rows


DEFINE: Mapping[Family, Callable[[ModelColumns], Rows | None]] = {
    Family.SUPPLY: define_supply,
    Family.ORG_HOURS: define_org_hours,
    Family.GRID_DEMAND: define_grid_demand,
    Family.CATEGORY_DEMAND: define_category_demand,
    Family.BUDGET_STAFF: define_budget_staff,
    Family.BUDGET_FUNDS: define_budget_funds,
    Family.MIN_STAFF: define_min_staff,
    Family.MAX_STAFF: define_max_staff,
    Family.TRANSFER_DEC: define_transfer_dec,
    Family.TRANSFERS: define_transfers,
    Family.MIN_FUNDS: define_min_funds,
    Family.FUNDS_DEC: define_funds_dec,
    Family.FUNDS_MOVED: define_funds_moved,
    Family.EQUITY: define_equity,
    Family.TARGET: define_target,
    Family.KEEP_OBJECTIVE: define_keep_objective,
    Family.MOVE_STAFF: define_move_staff,
    Family.MOVE_FUNDS: define_move_funds,
}
