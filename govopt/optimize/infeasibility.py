"""Why a scenario is infeasible: every policy in each conflict, with its numbers.

An elastic copy of the model (``docs/model.md``, infeasible scenarios) gives
each relaxable family penalised slacks. Its first solve says which policies
give way; a deletion filter over families then finds, for each of them, an
irreducible set of policies that cannot hold together: a family stays in the
set only if the set without it (the family left out entirely) becomes
feasible. Each policy of a set is then measured with the others of the set
hard: the least it must give way is its shortfall, ``need - allowed``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
import pulp

from govopt.data.scenario import Scenario
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.families import Family
from govopt.optimize.inputs import ModelInputs
from govopt.optimize.solvers import choose_lp_method, make_solver, status_of
from govopt.plan import Conflict, Status

__all__ = ["EXPLAIN_TIME_LIMIT_S", "find_conflicts"]

EXPLAIN_TIME_LIMIT_S = 10.0
"""Seconds the search for conflicts may take (or the scenario's own time limit, if less)."""

_EPS = 1e-6


class _Unsure(Exception):
    """A probe neither found a plan nor proved there is none (time limit, solver error)."""


class _Probe:
    """The elastic model re-solved with each policy family hard, measured or left out.

    A family in ``hard`` keeps its rows (slacks fixed at 0); the ``measured``
    family's slacks are free and minimised; every other family is left out
    (free slacks at no cost). Sets found feasible or infeasible are kept, so
    a subset of a feasible set or a superset of an infeasible one costs no
    solve. With HiGHS the model solved first stays loaded and each probe
    changes only the slacks' bounds and costs, so the simplex starts from the
    last basis; other solvers rebuild the model for each probe.
    """

    def __init__(self, model: AllocationModel, solver_name: str, deadline: float) -> None:
        self.model = model
        self.solver_name = solver_name
        self.deadline = deadline
        self.families = frozenset(f for f, v in model.slack_vars.items() if v)
        self.feasible: list[frozenset[Family]] = []
        self.infeasible: list[frozenset[Family]] = []
        self.slack: dict[Family, np.ndarray] = {}
        self._order = [f for f in Family if f in self.families]
        loaded = getattr(model.prob, "solverModel", None) if solver_name == "highs" else None
        self._highs: Any = loaded

    def _bounds(
        self, hard: frozenset[Family], measured: Family | None
    ) -> tuple[np.ndarray, np.ndarray]:
        upper = [
            np.full(len(self.model.slack_vars[f]), 0.0 if f in hard else np.inf)
            for f in self._order
        ]
        cost = [np.full(len(self.model.slack_vars[f]), float(f is measured)) for f in self._order]
        return np.concatenate(upper), np.concatenate(cost)

    def _solve(self, hard: frozenset[Family], measured: Family | None = None) -> Status:
        left = self.deadline - time.perf_counter()
        if left <= 0:
            raise _Unsure
        upper, cost = self._bounds(hard, measured)
        columns = [v for f in self._order for v in self.model.slack_vars[f]]
        if self._highs is not None:
            values, status = self._solve_loaded(columns, upper, cost, left)
        else:
            values, status = self._solve_again(columns, upper, cost, left)
        if status not in (Status.OPTIMAL, Status.INFEASIBLE):
            raise _Unsure
        sizes = np.cumsum([len(self.model.slack_vars[f]) for f in self._order])[:-1]
        self.slack = dict(zip(self._order, np.split(values, sizes), strict=True))
        return status

    def _solve_loaded(
        self, columns: list[pulp.LpVariable], upper: np.ndarray, cost: np.ndarray, left: float
    ) -> tuple[np.ndarray, Status]:
        import highspy

        h = self._highs
        index = np.array([v.index for v in columns], dtype=np.int32)
        h.changeColsBounds(
            len(index),
            index,
            np.zeros(len(index)),
            np.where(np.isinf(upper), highspy.kHighsInf, upper),
        )
        h.changeColsCost(len(index), index, cost)
        h.setOptionValue("time_limit", float(left))
        h.run()
        status = status_of(self.model.prob, "highs")
        solution = h.getSolution()
        values = (
            np.asarray(solution.col_value)[index] if solution.value_valid else np.zeros(len(index))
        )
        return values, status

    def _solve_again(
        self, columns: list[pulp.LpVariable], upper: np.ndarray, cost: np.ndarray, left: float
    ) -> tuple[np.ndarray, Status]:
        for v, u in zip(columns, upper.tolist(), strict=True):
            v.upBound = None if u == np.inf else u
        self.model.prob.setObjective(
            pulp.LpAffineExpression(zip(columns, cost.tolist(), strict=True))
        )
        solver, name = make_solver(
            self.solver_name, time_limit_s=left, lp_method=choose_lp_method(self.model.n_columns)
        )
        self.model.prob.solve(solver)
        values = np.array([v.varValue or 0.0 for v in columns])
        return values, status_of(self.model.prob, name)

    def conflicts(self, hard: frozenset[Family]) -> bool:
        """Whether the families ``hard`` cannot hold together (all others left out)."""
        if any(known <= hard for known in self.infeasible):
            return True
        if any(hard <= known for known in self.feasible):
            return False
        if self._solve(hard) is Status.INFEASIBLE:
            self.infeasible.append(hard)
            return True
        # The families whose rows this plan meets anyway hold together with ``hard``.
        met = frozenset(f for f, v in self.slack.items() if (v <= _EPS).all())
        self.feasible.append(hard | met)
        return False

    def shortfall(self, family: Family, hard: frozenset[Family]) -> np.ndarray:
        """The least slack per row of ``family`` with ``hard`` held and the rest left out."""
        if self._solve(hard - {family}, family) is not Status.OPTIMAL:
            raise _Unsure
        return self.slack[family]


def _record(
    model: AllocationModel,
    family: Family,
    slack: np.ndarray,
    others: tuple[str, ...],
    *,
    all_rows: bool,
) -> Conflict:
    """A family's numbers from its slack per row.

    A budget or limit (``<=``): ``allowed`` is its value on the rows that give
    way, ``need = allowed + slack``. A floor (``>=``): ``need`` is the floor
    over all its rows (``all_rows``) or those that give way, ``allowed = need
    - slack``.
    """
    rows = model.rows[family]
    rhs = np.array([-float(r.constant) for r in rows])
    extra = float(slack.sum())
    short = slack > _EPS
    if not short.any():
        short = np.ones(len(rows), dtype=bool)
    if rows and rows[0].sense == pulp.LpConstraintGE:
        pick = np.ones(len(rows), dtype=bool) if all_rows else short
        need = float(rhs[pick].sum())
        return Conflict(family, need, need - extra, int(pick.sum()), extra, None, others)
    allowed = float(rhs[short].sum())
    return Conflict(family, allowed + extra, allowed, int(short.sum()), extra, None, others)


def _elastic(model: AllocationModel, slacks: dict[Family, np.ndarray]) -> tuple[Conflict, ...]:
    """One record per family whose slack the penalised solve uses (when the search stops).

    A budget names ``min_staff`` as its ``cause`` when the minimum staffing
    alone exceeds it, and ``target`` under the cost objective.
    """
    out: list[Conflict] = []
    min_staff = float(model.inputs.min_staff.sum())
    for family, slack in slacks.items():
        if slack.sum() <= _EPS:
            continue
        c = _record(model, family, slack, (), all_rows=False)
        if family is Family.BUDGET_STAFF and min_staff > c.allowed + _EPS:
            c = replace(c, need=min_staff, cause=str(Family.MIN_STAFF))
        elif family in (Family.BUDGET_STAFF, Family.BUDGET_FUNDS) and Family.TARGET in slacks:
            c = replace(c, cause=str(Family.TARGET))
        out.append(c)
    return tuple(out)


def _filter(probe: _Probe, pool: frozenset[Family], last: Family) -> frozenset[Family]:
    """Deletion filter: drop each family (``last`` tried last) whose set conflicts without it."""
    keep = pool
    for family in [*(f for f in Family if f in pool and f is not last), last]:
        trial = keep - {family}
        if probe.conflicts(trial):
            keep = trial
    return keep


def _conflict_sets(probe: _Probe, gave_way: list[Family]) -> list[frozenset[Family]]:
    """An irreducible conflicting set of families for each family that gave way."""
    every = probe.families
    probe.infeasible.append(every)
    probe.feasible.append(every - set(gave_way))
    sets: list[frozenset[Family]] = []
    for family in gave_way:
        if any(family in s for s in sets):
            continue
        pool = (every - set(gave_way)) | {family}
        if not probe.conflicts(pool):
            pool = every  # it gives way only together with another that did
        found = _filter(probe, pool, family)
        if found not in sets:
            sets.append(found)
    return sets


def find_conflicts(
    inputs: ModelInputs,
    scenario: Scenario,
    solver_name: str | None = None,
    *,
    time_limit_s: float = EXPLAIN_TIME_LIMIT_S,
) -> tuple[Conflict, ...]:
    """The policies that an infeasible scenario cannot meet together, with numbers.

    Returns
    -------
    tuple of Conflict
        One record per policy of each conflicting set, its ``others`` the rest
        of the set, in the order of :class:`~govopt.optimize.families.Family`.
        When the search does not finish within ``time_limit_s``, one record
        per policy that the penalised solve relaxes (``others`` empty). Empty
        when the elastic model itself fails, or when only whole-number
        staffing makes the scenario infeasible (its linear relaxation is
        feasible).
    """
    start = time.perf_counter()
    model = AllocationModel(inputs, scenario.replace(integer_staff=False), elastic=True)
    sol = model.solve(solver_name)
    if sol.status is not Status.OPTIMAL:
        return ()
    gave_way = [f for f in Family if f in sol.slacks and sol.slacks[f].sum() > _EPS]
    if not gave_way:
        return ()
    limit = min(time_limit_s, scenario.time_limit_s or time_limit_s)
    probe = _Probe(model, sol.solver, start + limit)
    try:
        out: list[Conflict] = []
        for found in _conflict_sets(probe, gave_way):
            members = [f for f in Family if f in found]
            for family in members:
                others = tuple(str(f) for f in members if f is not family)
                slack = probe.shortfall(family, found)
                out.append(_record(model, family, slack, others, all_rows=True))
        return tuple(out)
    except _Unsure:
        return _elastic(model, sol.slacks)
