"""Marginal values: what one more staff member, 10,000 CNY, ten transfers or a point buy.

Each value re-solves the policy stage with one budget moved (``docs/model.md``,
"Shadow prices") and reads the change in planner units: district coverage in
percentage points and hours a year, or CNY under the cost objective. The
re-solves run on the HiGHS model that :meth:`AllocationModel.solve` leaves
behind, warm-started from the plan: a crossover from the plan's values and the
least-change stage's duals gives an optimal basis, and each budget then moves
one bound, which HiGHS's dual simplex repairs in a few iterations.

The duals of stage 1 (``per_staff``, ``per_10k_cny``, ``per_transfer`` and
``TopCenter.hours_per_staff``) are reported as before: covered
(priority-weighted) hours per unit, exact only within their basis' range.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pulp

from govopt.data.dataset import Dataset
from govopt.optimize.allocation import AllocationModel, Solution
from govopt.optimize.cancel import Cancel
from govopt.optimize.families import Family
from govopt.optimize.marginal_common import (
    FUNDS_STEP_CNY,
    MAX_CANDIDATES,
    STAFF_STEP,
    STEPS,
    TARGET_STEP,
    TOP_CENTERS,
    TRANSFERS_STEP,
    Gain,
    Outcome,
    budget_limits,
    center_tops,
    dual_values,
    rank_centers,
    with_budgets,
    with_target_costs,
)
from govopt.optimize.objectives import EQUITY_TOLERANCE, OBJECTIVE_SPECS, coverage_expression
from govopt.optimize.solvers import run_highs, watch
from govopt.plan import MarginalValues

__all__ = [
    "FUNDS_STEP_CNY",
    "MAX_CANDIDATES",
    "STAFF_STEP",
    "TARGET_STEP",
    "TOP_CENTERS",
    "TRANSFERS_STEP",
    "marginal_values",
]

# Rows of the least-change stage, relaxed so that the model is the policy LP again.
_STABILITY_ROWS = (Family.KEEP_OBJECTIVE, Family.MOVE_STAFF, Family.MOVE_FUNDS)
_PRIMAL, _DUAL = 4, 1  # HiGHS simplex_strategy


def _indices(variables: Sequence[pulp.LpVariable]) -> np.ndarray:
    """Columns of ``variables`` in the last HiGHS model (``-1``: not in it).

    :class:`~govopt.optimize.solvers.BulkHiGHS` numbers every column it passes,
    and every variable of an earlier solve is passed again, so an ``index`` is
    current.
    """
    return np.array([getattr(v, "index", -1) for v in variables], dtype=np.int32)


class _PolicyLp:
    """Stage 1's LP in a solved :class:`AllocationModel`'s last HiGHS model.

    Columns and rows are found through the indices the last solve gave the
    PuLP objects. The least-change rows are relaxed and integrality dropped;
    the objective and the bounds are set here and put back around each re-solve.
    """

    def __init__(
        self, model: AllocationModel, highs: Any, deadline: float | None, cancel: Cancel | None
    ) -> None:
        import highspy

        self.hs = highspy
        self.inf = highspy.kHighsInf
        self.m = model
        self.h = highs
        self.deadline = deadline
        self.cancel = cancel
        self.failed = False
        self.infeasible = False
        self.n = int(highs.getNumCol())
        self.all = np.arange(self.n, dtype=np.int32)
        self.staff = _indices(model.staff)
        self.funds = _indices(model.funds)
        self.x = _indices(model.x)
        self.y = _indices(model.y)
        self.y_q = np.asarray(model.y_q, dtype=float)
        self.t = None if model.t is None else int(_indices([model.t])[0])
        self.start = highs.getSolution()
        self.start_ok = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
        self.cost: np.ndarray | None = None
        self._entries: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @classmethod
    def open(
        cls, model: AllocationModel, deadline: float | None, cancel: Cancel | None
    ) -> _PolicyLp | None:
        """The model's HiGHS model when its indices fit the PuLP objects and it holds
        values to start from, else ``None``."""
        try:
            import highspy
        except ImportError:
            return None
        highs = getattr(model.prob, "solverModel", None)
        if not isinstance(highs, highspy.Highs):
            return None
        if highs.getNumRow() != model.prob.numConstraints() or not model.x:
            return None
        columns = [_indices(c) for c in (model.staff, model.funds, model.x, model.y) if len(c)]
        if any(c.max() >= highs.getNumCol() for c in columns) or _indices(model.x).min() < 0:
            return None
        lp = cls(model, highs, deadline, cancel)
        if not lp.start.value_valid:
            return None  # no values to start from: the last stage did not finish
        if model.scenario.integer_staff:
            kind = np.full(lp.n, int(highspy.HighsVarType.kContinuous), dtype=np.uint8)
            highs.changeColsIntegrality(lp.n, lp.all, kind)
        for family in _STABILITY_ROWS:
            lp.set_rows(family, -lp.inf, lp.inf)
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("solver", "simplex")
        highs.setOptionValue("presolve", "choose")
        watch(highs, cancel)
        return lp

    def clone(self) -> _PolicyLp:
        """A second HiGHS model with the same LP and options (no basis)."""
        other = copy.copy(self)
        other.h = type(self.h)()
        other.h.passOptions(self.h.getOptions())
        other.h.passModel(self.h.getLp())
        watch(other.h, self.cancel)
        return other

    # ----- edits ------------------------------------------------------------
    def rows(self, family: Family) -> np.ndarray:
        """HiGHS indices of the rows of ``family`` (empty when it is not in the model)."""
        return np.array([r.index for r in self.m.rows.get(family, [])], dtype=np.int32)

    def set_rows(self, family: Family, lower: float | np.ndarray, upper: float) -> None:
        """Bounds of every row of ``family``."""
        idx = self.rows(family)
        if len(idx):
            lo = np.broadcast_to(np.asarray(lower, dtype=float), idx.shape).copy()
            self.h.changeRowsBounds(len(idx), idx, lo, np.full(len(idx), upper))

    def row_upper(self, family: Family, upper: float, i: int = 0) -> None:
        """Upper bound of row ``i`` of ``family`` (its lower bound kept)."""
        row = self.m.rows[family][i]
        lower = row.getLb()
        self.h.changeRowBounds(row.index, -self.inf if lower is None else lower, upper)

    def fix(self, columns: np.ndarray, values: np.ndarray) -> None:
        """Fix ``columns`` (``-1``: not in the model) at ``values``."""
        keep = columns >= 0
        idx, v = columns[keep], np.asarray(values, dtype=float)[keep]
        self.h.changeColsBounds(len(idx), idx, v, v)

    def free(self, columns: np.ndarray) -> None:
        """Give ``columns`` back their bounds ``[0, inf)``."""
        idx = columns[columns >= 0]
        self.h.changeColsBounds(len(idx), idx, np.zeros(len(idx)), np.full(len(idx), self.inf))

    def hold_t(self, lower: float) -> None:
        """Keep the equity column ``t`` in ``[lower, 1]``."""
        if self.t is not None:
            self.h.changeColBounds(self.t, lower, 1.0)

    def costs(self, expr: pulp.LpAffineExpression, sense: str) -> np.ndarray:
        """HiGHS costs (it minimises) of ``expr`` optimised in ``sense``."""
        c = np.zeros(self.n)
        for v, a in expr.items():
            c[v.index] += a
        return -c if sense == "max" else c

    def set_cost(self, cost: np.ndarray) -> None:
        """Objective costs."""
        if self.cost is None or not np.array_equal(cost, self.cost):
            self.h.changeColsCost(self.n, self.all, cost)
            self.cost = cost

    # ----- solving ----------------------------------------------------------
    def stage_dual(self) -> float | None:
        """``|dual|`` of ``keep_objective`` in the solved least-change stage, if usable."""
        keep = self.rows(Family.KEEP_OBJECTIVE)
        if not (self.start_ok and self.start.dual_valid and len(keep)):
            return None
        lam = abs(float(self.start.row_dual[int(keep[0])]))
        return lam if lam > 1e-12 else None

    def warm_start(self, dual_scale: float | None) -> None:
        """Crossover from the values the model was left with (and its duals, rescaled).

        The least-change stage's row duals divided by ``dual_scale`` (that of
        ``keep_objective``), its own rows set to 0, are duals of stage 1's LP on
        the flow columns, so the crossover lands on or near an optimal basis of
        the current costs; the next re-solve repairs what is left.
        """
        s = self.hs.HighsSolution()
        s.col_value = self.start.col_value
        s.value_valid = True
        if dual_scale is not None and self.cost is not None:
            row_dual = np.asarray(self.start.row_dual, dtype=float) / dual_scale
            for family in _STABILITY_ROWS:
                row_dual[self.rows(family)] = 0.0
            col, row, value = self._matrix()
            reduced = self.cost - np.bincount(col, weights=value * row_dual[row], minlength=self.n)
            s.row_dual = row_dual.tolist()
            s.col_dual = reduced.tolist()
            s.dual_valid = True
        self.h.crossover(s)

    def _matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The model's matrix as (column, row, value) of each entry."""
        if self._entries is None:
            a = self.h.getLp().a_matrix_
            start = np.asarray(a.start_, dtype=np.int64)
            index = np.asarray(a.index_, dtype=np.int64)
            lines = np.repeat(np.arange(len(start) - 1), np.diff(start))
            if a.format_ == self.hs.MatrixFormat.kColwise:
                self._entries = (lines, index, np.asarray(a.value_, dtype=float))
            else:
                self._entries = (index, lines, np.asarray(a.value_, dtype=float))
        return self._entries

    def run(self, cost: np.ndarray, strategy: int = _DUAL) -> np.ndarray | None:
        """Re-solve with ``cost``: column values when optimal, else ``None`` (and why)."""
        if self.failed or (self.cancel is not None and self.cancel.is_set):
            self.failed = True
            return None
        self.set_cost(cost)
        left = self.inf if self.deadline is None else self.deadline - time.perf_counter()
        if left <= 0:
            self.failed = True
            return None
        # HiGHS measures its limit on the model's run time summed over every run.
        self.h.setOptionValue("time_limit", float(self.h.getRunTime() + left))
        self.h.setOptionValue("simplex_strategy", strategy)
        if not run_highs(self.h):
            self.failed = True
            return None
        status = self.h.getModelStatus()
        if status == self.hs.HighsModelStatus.kOptimal:
            return np.asarray(self.h.getSolution().col_value, dtype=float)
        if status == self.hs.HighsModelStatus.kInfeasible:
            self.infeasible = True
        else:
            self.failed = True
        return None

    def supply_duals(self) -> np.ndarray:
        """Objective value of one more hour at each center (0 without a row), last re-solve."""
        duals = np.asarray(self.h.getSolution().row_dual, dtype=float)
        out = np.zeros(self.m.inputs.n_centers)
        out[self.m.served_centers] = np.clip(-duals[self.rows(Family.SUPPLY)], 0.0, None)
        return out

    def served(self, values: np.ndarray) -> float:
        """District served hours: generic plus quality-weighted organization hours."""
        return float(values[self.x].sum() + values[self.y] @ self.y_q)


class _Policy:
    """Stage 1 of ``docs/model.md`` re-solved on one LP, or two for a lexicographic objective.

    For ``equity`` a second model keeps the first step (``max t``) warm while
    the first keeps the second (``max W`` with ``t`` held); each bound moved
    is moved in both.
    """

    def __init__(self, lp: _PolicyLp) -> None:
        m = lp.m
        spec = OBJECTIVE_SPECS[m.objective]
        self.lp = lp
        self.lexicographic = spec.second_step is not None
        self.step_one = lp.costs(spec.expression(m), m.objective.sense)
        self.main = lp.costs(coverage_expression(m), "max") if self.lexicographic else self.step_one
        self.sign = -1.0 if self.lexicographic or m.objective.sense == "max" else 1.0
        self.first: _PolicyLp | None = None

    @property
    def lps(self) -> list[_PolicyLp]:
        return [self.lp] if self.first is None else [self.lp, self.first]

    @property
    def failed(self) -> bool:
        return any(lp.failed for lp in self.lps)

    def outcome(self, values: np.ndarray | None) -> Outcome | None:
        if values is None:
            return None
        return Outcome(self.sign * float(self.main @ values), self.lp.served(values))

    def row_upper(self, family: Family, upper: float) -> None:
        for lp in self.lps:
            lp.row_upper(family, upper)

    def set_rows(self, family: Family, lower: np.ndarray, upper: float) -> None:
        for lp in self.lps:
            lp.set_rows(family, lower, upper)

    def held(self, strategy: int = _DUAL) -> Outcome | None:
        """The objective (for ``equity``, ``W`` with ``t`` where it is held)."""
        return self.outcome(self.lp.run(self.main, strategy))

    def start_first_step(self) -> None:
        """Open the model of the first step (``equity``), from the plan's values."""
        if not self.lexicographic or self.first is not None:
            return
        self.first = self.lp.clone()
        self.first.hold_t(0.0)
        self.first.set_cost(self.step_one)
        self.first.warm_start(None)

    def policy(self, strategy: int = _DUAL) -> Outcome | None:
        """Stage 1 as :meth:`AllocationModel.solve` runs it, from the current bases."""
        if self.first is None:
            return self.held(strategy)
        step = self.first.run(self.step_one, strategy)
        if step is None or self.first.t is None:
            return None
        lowest = float(step[self.first.t])
        self.lp.hold_t(max(0.0, lowest - EQUITY_TOLERANCE))
        got = self.held(strategy)
        return None if got is None else replace(got, lowest=lowest)


def _center_gains(policy: _Policy, solution: Solution, warm: float | None) -> list[Gain] | None:
    """The centers where one more staff member gains most, the rest of the plan kept.

    Staff and funds of every center are fixed at the plan; one center gets one
    more staff member (its ``max_staff`` and the staff budget raised by one if
    needed) and the flows are re-solved (for ``equity`` with ``t`` held),
    ranked by :func:`~govopt.optimize.marginal_common.rank_centers` with the
    fixed-plan LP's ``supply`` duals as bounds.
    """
    lp, m = policy.lp, policy.lp.m
    sc = m.scenario
    staff = np.asarray(solution.staff, dtype=float)
    lp.fix(lp.staff, staff)
    lp.fix(lp.funds, solution.funds)
    if policy.lexicographic and m.t is not None:
        lp.hold_t(float(m.t.lowBound or 0.0))
    if sc.staff_total is not None:
        lp.row_upper(Family.BUDGET_STAFF, sc.staff_total + STAFF_STEP)
    try:
        lp.set_cost(policy.main)
        lp.warm_start(warm)
        base = policy.held(_PRIMAL)
        if base is None:
            return None

        def gain_at(c: int) -> Outcome | None:
            got = _one_more(policy, c, staff)
            return None if got is None else got.minus(base)

        hours = sc.work_hours_per_staff
        duals = lp.supply_duals()
        return rank_centers(m.inputs, solution.x, hours, duals, gain_at, lp.staff >= 0)
    finally:
        if sc.staff_total is not None:
            lp.row_upper(Family.BUDGET_STAFF, sc.staff_total)


def _one_more(policy: _Policy, c: int, staff: np.ndarray) -> Outcome | None:
    """Re-solve with one more staff member at center ``c``, other staff and funds fixed."""
    lp = policy.lp
    cap = float(lp.m.inputs.max_staff[c])
    more = staff[c] + STAFF_STEP
    lp.fix(lp.staff[c : c + 1], np.array([more]))
    if more > cap:
        lp.h.changeRowBounds(lp.m.rows[Family.MAX_STAFF][c].index, -lp.inf, more)
    try:
        return policy.held()
    finally:
        lp.fix(lp.staff[c : c + 1], staff[c : c + 1])
        if more > cap:
            lp.h.changeRowBounds(lp.m.rows[Family.MAX_STAFF][c].index, -lp.inf, cap)


def _budget_gains(policy: _Policy, families: Sequence[Family]) -> dict[Family, Outcome | None]:
    """The change of stage 1's outcome when each budget of ``families`` grows by its step."""
    limits = budget_limits(policy.lp.m.scenario)
    out: dict[Family, Outcome | None] = {}
    base = policy.policy(_PRIMAL)
    if base is None:
        return out
    for family in families:
        limit = limits[family]
        if limit is None or family not in policy.lp.m.rows:
            continue
        policy.row_upper(family, limit + STEPS[family])
        try:
            got = policy.policy()
        finally:
            policy.row_upper(family, limit)
        out[family] = None if got is None else got.minus(base)
    return out


def _target_costs(policy: _Policy) -> tuple[float | None, float | None, bool]:
    """Extra cost of one more point of coverage target, saving of one point less, and
    whether no plan meets one more point."""
    lp, m = policy.lp, policy.lp.m
    base = policy.policy(_PRIMAL)
    if base is None:
        return None, None, False
    demand = m.inputs.grid_demand[m.grids_served]
    target = m.scenario.coverage_target

    def at(share: float) -> Outcome | None:
        policy.set_rows(Family.TARGET, share * demand, lp.inf)
        try:
            return policy.policy()
        finally:
            policy.set_rows(Family.TARGET, target * demand, lp.inf)

    up = at(target + TARGET_STEP) if target + TARGET_STEP <= 1.0 + 1e-12 else None
    cannot_rise = up is None and lp.infeasible
    down = at(target - TARGET_STEP) if target >= TARGET_STEP - 1e-12 else None
    return (
        None if up is None else up.value - base.value,
        None if down is None else base.value - down.value,
        cannot_rise,
    )


def marginal_values(
    model: AllocationModel, solution: Solution, dataset: Dataset, cancel: Cancel | None = None
) -> MarginalValues:
    """What the budget buys at the margin, for the ``solution`` of ``model`` (with values).

    Coverage and equity: the district coverage (points and hours) gained by one
    more staff member, 10,000 CNY and ten more transfers (for equity also the
    lowest coverage of a grid, in points), and the centers where
    one more staff member gains most with the rest of the plan kept. Cost: the
    extra cost of one more point of coverage target and the saving of one point
    less. With whole-number staff the staff stay fixed at the plan: only funds
    and centers are re-solved. A budget not set has no value; a value whose
    re-solve did not finish in ``scenario.time_limit_s`` is ``None`` and
    ``partial`` is set, as when ``cancel`` stops them. Without HiGHS only the
    duals are reported.
    """
    scenario = model.scenario
    duals = dual_values(solution, dataset, scenario)
    if not solution.status.has_values:
        return duals
    limit = scenario.time_limit_s
    lp = _PolicyLp.open(model, None if limit is None else time.perf_counter() + limit, cancel)
    if lp is None:
        return duals
    policy = _Policy(lp)
    warm = lp.stage_dual()
    if not OBJECTIVE_SPECS[scenario.objective].marginal_hours:
        if scenario.integer_staff:
            return duals
        lp.set_cost(policy.main)
        lp.warm_start(warm)
        target = _target_costs(policy)
        return with_target_costs(duals, target, policy.failed)
    gains = _center_gains(policy, solution, warm)
    demand = float(model.inputs.grid_demand.sum())
    tops = duals.top_centers
    if gains is not None:
        tops = center_tops(gains, solution, dataset, scenario, demand)
    families: tuple[Family, ...] = (Family.BUDGET_FUNDS,)
    if not scenario.integer_staff:
        lp.free(lp.staff)
        families = (Family.BUDGET_STAFF, Family.BUDGET_FUNDS, Family.TRANSFERS)
    lp.free(lp.funds)
    lp.set_cost(policy.main)
    lp.warm_start(None if scenario.integer_staff else warm)
    policy.start_first_step()
    budgets = _budget_gains(policy, families)
    return with_budgets(duals, budgets, demand, tops, policy.failed)
