"""The allocation model: build (sparse, in bulk), solve, and read the solution back.

The model (``docs/model.md``) is an exact reformulation of the per-category model with far
fewer variables and rows. Staff and purchased hours may serve any category, so
instead of ``x_cgk`` and ``s_ck, p_ck`` it uses generic hours ``x_cg`` per link
and one ``supply`` row per center. Organization hours travel along org ->
center -> grid paths; since a center only relays them, each org serves grid g
directly (``y_ogk``) through the nearest center within its reach that links g.
Generic hours can fill any category, so per-category demand rows reduce to
``grid_demand`` (generic plus organization hours within ``D_g``) and
``category_demand`` (organization hours within ``D_gk``, kept only where the
orgs that reach (g, k) could exceed it). Feasible sets and optimal values are
the same; :func:`govopt.optimize.service.service_hours` maps the solution back to ``x_cgk``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pulp

from govopt.data.scenario import Objective, Scenario
from govopt.optimize.assignment import assign_nearest
from govopt.optimize.cancel import Cancel
from govopt.optimize.families import DEFINE, Family, Role, Rows, grouped
from govopt.optimize.inputs import ModelInputs
from govopt.optimize.objectives import EQUITY_TOLERANCE, OBJECTIVE_SPECS, ObjectiveSpec
from govopt.optimize.service import hours_by_source, served_hours, service_hours
from govopt.optimize.solvers import MipStart, choose_lp_method, make_solver, run, solver_gap
from govopt.plan import Status

if TYPE_CHECKING:
    from govopt.optimize.network import PolicyFlow

__all__ = ["EQUITY_TOLERANCE", "AllocationModel", "Solution"]

_STABILITY = (Family.KEEP_OBJECTIVE, Family.MOVE_STAFF, Family.MOVE_FUNDS)
_FIRST_STEP_SHARE = 2 / 3

# Families whose dual is a shadow price reported per unit of budget or limit.
_PRICED = (Family.BUDGET_STAFF, Family.BUDGET_FUNDS, Family.TRANSFERS)


@dataclass(frozen=True, eq=False)
class Solution:
    """Values read from a model with values (optimal or feasible; arrays empty otherwise).

    ``objective`` is the policy objective (stage 1; for a lexicographic
    objective its second step); ``stages`` lists the stages that ran, in order.
    ``gap`` is the relative gap of a feasible whole-number plan's stage 1.
    ``policy`` is stage 1's flow on the network engine (``None`` on HiGHS).
    """

    status: Status
    solver: str
    objective: float | None
    x: np.ndarray
    staff_hours: np.ndarray
    purchased_hours: np.ndarray
    y: np.ndarray
    staff: np.ndarray
    funds: np.ndarray
    t: float | None
    duals: dict[Family, float] = field(default_factory=dict)
    staff_hour_duals: np.ndarray = field(default_factory=lambda: np.zeros(0))
    slacks: dict[Family, np.ndarray] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""
    stages: tuple[str, ...] = ()
    gap: float | None = None
    policy: PolicyFlow | None = field(default=None, repr=False)


def _value(v: pulp.LpVariable) -> float:
    """The solver's value; a column in no row has none and keeps its lower bound."""
    if v.varValue is not None:
        return float(v.varValue)
    return float(v.lowBound or 0.0)


def _values(variables: list[pulp.LpVariable]) -> np.ndarray:
    return np.fromiter((_value(v) for v in variables), dtype=float, count=len(variables))


class AllocationModel:
    """The allocation model of ``docs/model.md`` for one dataset and scenario.

    Rows come in named families (:class:`~govopt.optimize.families.Family`),
    each built by its ``define_*`` function; the objective's rows and
    expression come from :data:`~govopt.optimize.objectives.OBJECTIVE_SPECS`.

    Parameters
    ----------
    inputs : ModelInputs
        Arrays from :func:`govopt.optimize.inputs.model_inputs`.
    scenario : Scenario
        Budgets, norms, standards, objective and solver options.
    baseline : bool
        Fix staff and funds to today's values, drop the policy families
        (budget, norm, floor and transfer rows), and use the coverage objective.
    elastic : bool
        Add penalised slacks to the policy rows and minimise them (always
        feasible; used to explain an infeasible scenario).
    """

    def __init__(
        self,
        inputs: ModelInputs,
        scenario: Scenario,
        *,
        baseline: bool = False,
        elastic: bool = False,
    ) -> None:
        start = time.perf_counter()
        self.inputs = inputs
        self.scenario = scenario
        self.baseline = baseline
        self.elastic = elastic and not baseline
        self.objective = Objective.COVERAGE if baseline else Objective(scenario.objective)
        self.spec: ObjectiveSpec = OBJECTIVE_SPECS[self.objective]
        self.rows: dict[Family, list[pulp.LpConstraint]] = {}
        self.slack_vars: dict[Family, list[pulp.LpVariable]] = {}
        self.dec: list[pulp.LpVariable] = []
        self.fund_dec: list[pulp.LpVariable] = []
        self.t: pulp.LpVariable | None = None
        self.policy_optimum: tuple[pulp.LpAffineExpression, float, str] | None = None
        self.moved_staff: list[pulp.LpVariable] = []
        self.moved_funds: list[pulp.LpVariable] = []
        self.cancel: Cancel | None = None
        self.gap: float | None = None
        minimise = self.elastic or self.objective.sense == "min"
        self.prob = pulp.LpProblem("allocation", pulp.LpMinimize if minimise else pulp.LpMaximize)
        self._columns()
        for family in Family:
            if self._wants(family):
                rows = DEFINE[family](self)
                if rows is not None:
                    self.add_rows(family, rows)
        self.prob.setObjective(
            self._elastic_objective() if self.elastic else self.spec.expression(self)
        )
        self.build_seconds = time.perf_counter() - start

    @property
    def n_columns(self) -> int:
        """Number of variables in the model."""
        slacks = sum(len(v) for v in self.slack_vars.values())
        own = len(self.staff) + len(self.funds) + len(self.x) + len(self.y)
        own += len(self.dec) + len(self.fund_dec)
        moves = len(self.moved_staff) + len(self.moved_funds)
        return own + slacks + moves + (self.t is not None)

    # ----- build -----------------------------------------------------------
    def _wants(self, family: Family) -> bool:
        if family.role is Role.OBJECTIVE:
            return family in self.spec.families
        if family.role is Role.STABILITY:
            return False
        return not (self.baseline and family.policy)

    def add_rows(self, family: Family, rows: Rows) -> None:
        """Add the rows of ``family`` (named ``family_i``), with slacks in the elastic model.

        Raises
        ------
        ValueError
            If the family is already in the model.
        """
        if family in self.rows:
            raise ValueError(f"constraint family '{family}' is already in the model")
        if self.elastic and family.weight is not None:
            slacks = [self.prob.add_variable(f"e_{family}_{i}", 0) for i in range(len(rows.exprs))]
            self.slack_vars[family] = slacks
            for e, v in zip(rows.exprs, slacks, strict=True):
                e.addterm(v, float(rows.sense))
        constraints = [
            pulp.LpConstraint(e, rows.sense, f"{family}_{i}", float(r))
            for i, (e, r) in enumerate(zip(rows.exprs, rows.rhs, strict=True))
        ]
        self.rows[family] = constraints
        self.prob.extend({r.name: r for r in constraints})

    def _columns(self) -> None:
        """Staff and funds per center, generic hours ``x_cg`` per link, org hours ``y_ogk``."""
        inp, sc = self.inputs, self.scenario
        n_c = inp.n_centers
        add = self.prob.add_variable
        integer = sc.integer_staff and not self.baseline
        cat = pulp.LpInteger if integer else pulp.LpContinuous
        if self.baseline:
            self.staff = [add(f"staff_{c}", v, v) for c, v in enumerate(inp.staff0.tolist())]
            self.funds = [add(f"fund_{c}", v, v) for c, v in enumerate(inp.funds0.tolist())]
        else:
            self.staff = [add(f"staff_{c}", 0, None, cat) for c in range(n_c)]
            self.funds = [add(f"fund_{c}", 0) for c in range(n_c)]
        # Generic hours x_cg (staff and purchased, any category) on every link with demand.
        self.x = [add(f"x_{i}", 0) for i in range(len(inp.l_center))]
        # Organization hours y_ogk on org -> grid paths (k = the org's domain).
        self.y = [add(f"y_{i}", 0) for i in range(len(inp.y_org))]
        self.y_q = inp.org_quality[inp.y_org]
        self.served_centers, self.link_center_row = np.unique(inp.l_center, return_inverse=True)
        self.grids_served, g_row = np.unique(inp.l_grid, return_inverse=True)
        y_grid = np.searchsorted(self.grids_served, inp.y_grid)
        self._grid_rows = np.concatenate([g_row, y_grid])
        self._grid_coefs = np.concatenate([np.ones(len(self.x)), self.y_q])

    def grid_sums(self) -> list[pulp.LpAffineExpression]:
        """``sum_{c,k} x_cgk`` per served grid: generic plus organization hours."""
        return grouped(len(self.grids_served), self._grid_rows, self.x + self.y, self._grid_coefs)

    def _elastic_objective(self) -> pulp.LpAffineExpression:
        """``sum_f weight_f * sum_i e_f_i`` over the relaxed families."""
        return pulp.LpAffineExpression(
            [(v, float(fam.weight or 0.0)) for fam, vs in self.slack_vars.items() for v in vs]
        )

    # ----- solve -----------------------------------------------------------
    def _run(self, solver: pulp.LpSolver, name: str) -> Status:
        return run(self.prob, solver, name)

    @property
    def integer(self) -> bool:
        """Whether staff are whole numbers in this model (a MIP)."""
        return self.scenario.integer_staff and not self.baseline

    def solve(
        self,
        solver_name: str | None = None,
        *,
        mip_start: MipStart | None = None,
        cancel: Cancel | None = None,
    ) -> Solution:
        """Solve the stages of ``docs/model.md`` and read the solution.

        1. ``policy``: the objective (both steps of a lexicographic one);
        2. ``stability``: the least moved staff and funds that keep it (not in
           the baseline or the elastic model);
        3. ``assignment``: with staff and funds fixed, the nearest centers
           serve each grid the same hours (not in the elastic model).

        Values when optimal, or feasible: whole-number staffing stopped at the
        time limit with a plan in hand (its stage-1 gap in ``gap``; later
        stages start from the plan before them). ``mip_start`` is stage 1's
        first whole-number plan (:func:`govopt.optimize.rounding.whole_number_start`);
        ``cancel`` stops every stage (status ``cancelled``). Duals are those of
        stage 1; with integer staff they come from the LP with the staff fixed
        at the plan's.
        """
        sc = self.scenario
        mip = self.integer
        self.cancel = cancel
        began = time.perf_counter()
        # The time building the whole-number start took counts against the limit.
        start = began - (mip_start.seconds if mip_start is not None else 0.0)
        timings = {"build": self.build_seconds}
        name = solver_name or sc.solver
        status, name = self._policy_stage(name, mip, start, mip_start)
        timings["policy"] = time.perf_counter() - began
        if not status.has_values:
            timings["solve"] = time.perf_counter() - began
            empty = np.zeros(0)
            return Solution(
                status, name, None, empty, empty, empty, empty, empty, empty, None, timings=timings
            )
        objective = float(pulp.value(self.prob.objective) or 0.0)
        t_value = None if self.t is None else float(self.t.varValue or 0.0)
        slacks = {f: _values(v) for f, v in self.slack_vars.items()}
        staff, funds = _values(self.staff), _values(self.funds)
        x_link, y = _values(self.x), _values(self.y)
        duals, hour_duals = self._duals()
        if mip:
            duals, hour_duals = self._lp_duals(staff, name, hour_duals)
        stages = ["policy"]
        if not self.baseline and not self.elastic:
            clock = time.perf_counter()
            # Stage 1's plan stands when the least-change stage does not finish.
            if self._stability_stage(name, objective, mip, start).has_values:
                staff, funds = _values(self.staff), _values(self.funds)
                x_link, y = _values(self.x), _values(self.y)
                stages.append("stability")
            timings["stability"] = time.perf_counter() - clock
        if not self.elastic:
            clock = time.perf_counter()
            hours = sc.work_hours_per_staff * staff + funds / sc.cost_per_hour_cny
            served = self._served(x_link, y)
            nearest = assign_nearest(self.inputs, hours, served)
            if nearest.status is Status.OPTIMAL:
                x_link, y = nearest.link_hours, nearest.org_hours
                stages.append("assignment")
            timings["assignment"] = time.perf_counter() - clock
        x, staff_hours, purchased = hours_by_source(
            self.inputs, x_link, y, staff, sc.work_hours_per_staff
        )
        timings["solve"] = time.perf_counter() - began
        return Solution(
            status=status,
            solver=name,
            objective=objective,
            x=x,
            staff_hours=staff_hours,
            purchased_hours=purchased,
            y=y,
            staff=staff,
            funds=funds,
            t=t_value,
            duals=duals,
            staff_hour_duals=hour_duals,
            slacks=slacks,
            timings=timings,
            stages=tuple(stages),
            gap=self.gap,
        )

    def solve_policy(self, *, cancel: Cancel | None = None) -> Status:
        """Stage 1 alone, continuous (the model the marginal re-solves start from)."""
        self.cancel = cancel
        status, _ = self._policy_stage(self.scenario.solver, False, time.perf_counter())
        return status

    def _solver(
        self,
        name: str,
        mip: bool,
        start: float,
        *,
        max_min: bool = False,
        mip_start: MipStart | None = None,
        share: float = 1.0,
    ) -> tuple[pulp.LpSolver, str]:
        """The solver for the next stage, with ``share`` of the time left of ``time_limit_s``."""
        limit = self.scenario.time_limit_s
        left = None if limit is None else max(share * (limit - (time.perf_counter() - start)), 1e-9)
        return make_solver(
            name,
            time_limit_s=left,
            mip_gap=self.scenario.mip_gap,
            mip=mip,
            lp_method=choose_lp_method(self.n_columns, max_min=max_min),
            cancel=self.cancel,
            start=mip_start if mip else None,
        )

    def _policy_stage(
        self, name: str, mip: bool, start: float, mip_start: MipStart | None = None
    ) -> tuple[Status, str]:
        """Stage 1: the policy objective (and the second step of a lexicographic one).

        A feasible first step's gap is ``self.gap``; so is the second step's
        when the first was optimal. With whole-number staff the first step of
        a lexicographic objective leaves a third of the time to the second,
        which starts from the first step's plan.
        """
        second = None if self.elastic else self.spec.second_step
        share = _FIRST_STEP_SHARE if mip and second is not None else 1.0
        solver, name = self._solver(
            name, mip, start, max_min=second is not None, mip_start=mip_start, share=share
        )
        status = self._run(solver, name)
        self.gap = solver_gap(solver) if status is Status.FEASIBLE else None
        if status.has_values and second is not None:
            second(self)
            held = MipStart.from_values(self.prob)
            solver, name = self._solver(name, mip, start, max_min=True, mip_start=held)
            first, status = status, self._run(solver, name)
            if status is Status.FEASIBLE and first is Status.OPTIMAL:
                self.gap = solver_gap(solver)
            elif status is Status.OPTIMAL:
                status = first
        return status, name

    def _stability_stage(self, name: str, best: float, mip: bool, start: float) -> Status:
        """Stage 2: minimise moved staff plus moved funds in staff-equivalents.

        ``M = sum_c |staff_c - staff0_c| + sum_c |fund_c - funds0_c| / wage``,
        keeping the stage-1 objective within ``STABILITY_TOLERANCE``.
        """
        assert self.prob.objective is not None
        sense = "min" if self.prob.sense == pulp.LpMinimize else "max"
        self.policy_optimum = (self.prob.objective, best, sense)
        for family in _STABILITY:
            rows = DEFINE[family](self)
            assert rows is not None
            self.add_rows(family, rows)
        wage = self.scenario.wage_per_staff_cny
        self.prob.sense = pulp.LpMinimize
        self.prob.setObjective(
            pulp.LpAffineExpression(
                [(v, 1.0) for v in self.moved_staff] + [(v, 1.0 / wage) for v in self.moved_funds]
            )
        )
        held = self._moves_start() if mip else None
        return self._run(*self._solver(name, mip, start, mip_start=held))

    def _moves_start(self) -> MipStart:
        """Stage 1's plan with its moves, to start stage 2 from."""
        for own, today, moved in (
            (self.staff, self.inputs.staff0, self.moved_staff),
            (self.funds, self.inputs.funds0, self.moved_funds),
        ):
            change = _values(own) - today
            up_down = np.concatenate([np.clip(change, 0.0, None), np.clip(-change, 0.0, None)])
            for v, value in zip(moved, up_down.tolist(), strict=True):
                v.varValue = value
        return MipStart.from_values(self.prob)

    def _served(self, x_link: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Hours each grid gets (:func:`govopt.optimize.service.served_hours`)."""
        return served_hours(self.inputs, x_link, y)

    def _service(self, x_link: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``x_cgk`` and hours per center (:func:`govopt.optimize.service.service_hours`)."""
        return service_hours(self.inputs, x_link, y)

    def _duals(self) -> tuple[dict[Family, float], np.ndarray]:
        """Shadow prices of the budget and transfer rows, and of supply per center."""
        sign = -1.0 if self.prob.sense == pulp.LpMaximize else 1.0
        duals = {
            fam: sign * float(self.rows[fam][0].pi or 0.0) + 0.0
            for fam in _PRICED
            if fam in self.rows
        }
        hour_duals = np.zeros(self.inputs.n_centers)
        rows = self.rows.get(Family.SUPPLY, [])
        if rows:
            hour_duals[self.served_centers] = [sign * float(r.pi or 0.0) for r in rows]
        return duals, hour_duals

    def _lp_duals(
        self, staff: np.ndarray, name: str, mip_hour_duals: np.ndarray
    ) -> tuple[dict[Family, float], np.ndarray]:
        """Fix the integer staff, re-solve the LP and read its duals.

        The staff budget and transfer limit have no price once staff are
        fixed, so only the funds price is kept; no prices if the LP fails.
        """
        for v, value in zip(self.staff, staff.tolist(), strict=True):
            v.cat = pulp.LpContinuous
            v.lowBound = v.upBound = round(value)
        solver, name = make_solver(
            name,
            time_limit_s=self.scenario.time_limit_s,
            lp_method=choose_lp_method(self.n_columns),
            cancel=self.cancel,
        )
        solved = self._run(solver, name) is Status.OPTIMAL
        duals, hour_duals = self._duals() if solved else ({}, mip_hour_duals)
        for v in self.staff:
            v.cat = pulp.LpInteger
            v.lowBound, v.upBound = 0, None
        for fam in (Family.BUDGET_STAFF, Family.TRANSFERS):
            duals.pop(fam, None)
        return duals, hour_duals
