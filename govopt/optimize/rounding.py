"""A first whole-number plan: the LP relaxation's staff rounded, repaired and completed.

:func:`round_staff` turns fractional staff into whole staff that meet the
staffing norms, the staff budget and the transfer limit; :func:`whole_number_start`
solves the LP relaxation, rounds its staff, solves the LP with those staff fixed
for funds and service hours, checks the result against every row and returns it
as a start for the whole-number search (:class:`~govopt.optimize.solvers.MipStart`).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np
import pulp

from govopt.optimize.cancel import Cancel
from govopt.optimize.solvers import MipStart, choose_lp_method, make_solver, status_of
from govopt.plan import Status

if TYPE_CHECKING:
    from govopt.optimize.allocation import AllocationModel

__all__ = ["round_staff", "row_violations", "transfers", "whole_number_start"]

_TOL = 1e-6


def transfers(staff: np.ndarray, staff0: np.ndarray) -> float:
    """Staff moved out of their centers: ``sum_c max(0, staff0_c - staff_c)``."""
    return float(np.clip(np.asarray(staff0, float) - np.asarray(staff, float), 0.0, None).sum())


def _pick(score: np.ndarray, allowed: np.ndarray, *, largest: bool) -> int:
    masked = np.where(allowed, score, -np.inf if largest else np.inf)
    return int(np.argmax(masked) if largest else np.argmin(masked))


def round_staff(
    staff: np.ndarray,
    staff0: np.ndarray,
    min_staff: np.ndarray,
    max_staff: np.ndarray,
    *,
    staff_total: float | None = None,
    max_transfers: float | None = None,
    fill: bool = False,
) -> np.ndarray | None:
    """Whole staff per center near ``staff`` that meet the norms, budget and transfer limit.

    Staff are rounded down, then up where the fraction is at least one half
    while the budget allows; the minimum staffing is met by rounding up. A
    budget overrun is taken from centers that keep at least their staff today
    when possible; transfers over the limit are undone one at a time at the
    center that gave up the most (another center's extra person pays for it
    when the budget is used up). With ``fill`` (objectives that never lose by
    more staff) the budget left is handed back where the LP wanted the most.

    Returns
    -------
    numpy.ndarray or None
        Whole staff per center, or ``None`` when no whole staffing meets the
        norms, budget and transfer limit together (the greedy repair is exact
        for these rows when today's staff are whole).
    """
    s = np.asarray(staff, float)
    base = np.asarray(staff0, float)
    lo = np.maximum(np.ceil(np.asarray(min_staff, float) - _TOL), 0.0)
    hi = np.floor(np.asarray(max_staff, float) + _TOL)
    if np.any(lo > hi):
        return None
    budget = math.inf if staff_total is None else math.floor(staff_total + _TOL)
    limit = math.inf if max_transfers is None else max_transfers + _TOL
    r = np.clip(np.floor(s + _TOL), lo, hi)
    for c in np.argsort(-(s - r), kind="stable").tolist():
        if s[c] - r[c] < 0.5 - _TOL:
            break
        if r[c] < hi[c] and r.sum() + 1 <= budget:
            r[c] += 1
    while r.sum() > budget:
        down = r > lo
        if not down.any():
            return None
        keeps = down & (r - 1 >= base - _TOL)
        r[_pick(s - r, keeps if keeps.any() else down, largest=False)] -= 1
    while transfers(r, base) > limit:
        up = (r < base - _TOL) & (r < hi)
        if not up.any():
            return None
        c = _pick(base - r, up, largest=True)
        if r.sum() + 1 > budget:
            down = (r > lo) & (r - 1 >= base - _TOL)
            down[c] = False
            if not down.any():
                return None
            r[_pick(s - r, down, largest=False)] -= 1
        r[c] += 1
    if fill:
        while r.sum() + 1 <= budget:
            more = (s - r > _TOL) & (r < hi)
            if not more.any():
                break
            r[_pick(s - r, more, largest=True)] += 1
    return r


def row_violations(prob: pulp.LpProblem, values: dict[str, float], tol: float = 1e-6) -> list[str]:
    """Names of the rows and columns of ``prob`` that ``values`` (by column name) break.

    A row is broken when it misses its right-hand side by more than ``tol``
    times ``max(1, |rhs|)``; a column when it leaves its bounds or, for an
    integer column, is not whole.
    """
    broken: list[str] = []
    for row in prob.constraints():
        activity = sum(coef * values.get(v.name, 0.0) for v, coef in row.items())
        rhs = -row.constant
        slack = tol * max(1.0, abs(rhs))
        low = row.sense == pulp.LpConstraintLE and activity > rhs + slack
        high = row.sense == pulp.LpConstraintGE and activity < rhs - slack
        off = row.sense == pulp.LpConstraintEQ and abs(activity - rhs) > slack
        if low or high or off:
            broken.append(row.name)
    for v in prob.variables():
        x = values.get(v.name, 0.0)
        if (
            (v.lowBound is not None and x < v.lowBound - tol)
            or (v.upBound is not None and x > v.upBound + tol)
            or (v.cat == pulp.LpInteger and abs(x - round(x)) > tol)
        ):
            broken.append(v.name)
    return broken


def _relaxed_status(model: AllocationModel, solver: pulp.LpSolver, name: str) -> Status:
    solver.mip = False
    try:
        model.prob.solve(solver)
    finally:
        solver.mip = True
    return status_of(model.prob, name)


def _complete(
    model: AllocationModel, staff: np.ndarray, solver: pulp.LpSolver, name: str
) -> tuple[Status, dict[str, float], float]:
    """Solve the LP with staff fixed at ``staff``; values of every column and the objective."""
    bounds = [(v.lowBound, v.upBound) for v in model.staff]
    for v, value in zip(model.staff, staff.tolist(), strict=True):
        v.lowBound = v.upBound = value
    try:
        status = _relaxed_status(model, solver, name)
        values = {v.name: float(v.varValue or 0.0) for v in model.prob.variables()}
        objective = float(pulp.value(model.prob.objective) or 0.0)
    finally:
        for v, (lo, hi) in zip(model.staff, bounds, strict=True):
            v.lowBound, v.upBound = lo, hi
    for v, value in zip(model.staff, staff.tolist(), strict=True):
        values[v.name] = value
    return status, values, objective


def whole_number_start(model: AllocationModel, cancel: Cancel | None = None) -> MipStart:
    """A whole-number plan for ``model`` (integer staff) to start the search from.

    Solves the LP relaxation (its optimum bounds every whole-number plan),
    rounds its staff with :func:`round_staff` (rounding every fraction up if
    rounding to the nearest leaves no feasible completion), completes funds
    and service hours with the LP at those staff, and keeps the result only
    when it meets every row. The LPs share ``scenario.time_limit_s``, and so
    does the search after them (``MipStart.seconds``). ``MipStart.note`` says
    why there is no start when ``values`` is ``None``.
    """
    start = time.perf_counter()
    inp, sc = model.inputs, model.scenario

    def done(
        status: Status,
        note: str,
        bound: float | None = None,
        found: tuple[dict[str, float], float] | None = None,
    ) -> MipStart:
        values, objective = found if found is not None else (None, None)
        seconds = time.perf_counter() - start
        return MipStart(status, note, values, objective, bound, seconds)

    solver, name = make_solver(
        sc.solver,
        time_limit_s=sc.time_limit_s,
        lp_method=choose_lp_method(model.n_columns, max_min=model.spec.second_step is not None),
        cancel=cancel,
    )
    if name != "highs":
        return done(Status.NOT_SOLVED, "start_needs_highs")
    status = _relaxed_status(model, solver, name)
    if status in (Status.INFEASIBLE, Status.UNBOUNDED, Status.CANCELLED):
        return done(status, "")  # the search ends the same way and says so itself
    if status is not Status.OPTIMAL:
        return done(status, "start_lp_not_solved")
    bound = float(pulp.value(model.prob.objective) or 0.0)
    lp_staff = np.fromiter((v.varValue or 0.0 for v in model.staff), float, len(model.staff))
    note = "start_rounding_failed"
    for wanted in (lp_staff, np.ceil(lp_staff - _TOL)):
        staff = round_staff(
            wanted,
            inp.staff0,
            inp.min_staff,
            inp.max_staff,
            staff_total=sc.staff_total,
            max_transfers=sc.max_transfers,
            fill=model.objective.sense == "max",
        )
        if staff is None:
            continue
        if sc.time_limit_s is not None:
            solver.timeLimit = max(sc.time_limit_s - (time.perf_counter() - start), 1e-9)
        status, values, objective = _complete(model, staff, solver, name)
        if status is Status.CANCELLED:
            return done(status, "start_cancelled", bound)
        if status is not Status.OPTIMAL:
            note = "start_completion_failed"
            continue
        if row_violations(model.prob, values):
            note = "start_infeasible"
            continue
        return done(Status.OPTIMAL, "", bound, (values, objective))
    return done(Status.OPTIMAL, note, bound)
