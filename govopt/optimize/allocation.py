"""The allocation model: build (sparse, in bulk), solve, and read the solution back.

The model is an exact reformulation of DESIGN.md's reference model with far
fewer variables and rows. Staff and purchased hours may serve any category, so
instead of ``x_cgk`` and ``s_ck, p_ck`` it uses generic hours ``x_cg`` per link
and one ``supply`` row per center. Organization hours travel along org ->
center -> grid paths; since a center only relays them, each org serves grid g
directly (``y_ogk``) through the nearest center within its reach that links g.
Generic hours can fill any category, so per-category demand rows reduce to
``grid_demand`` (generic plus organization hours within ``D_g``) and
``category_demand`` (organization hours within ``D_gk``, kept only where the
orgs that reach (g, k) could exceed it). Feasible sets and optimal values are
the same; :meth:`AllocationModel._service` maps the solution back to ``x_cgk``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from govopt.data.scenario import Objective, Scenario
from govopt.optimize.families import DEFINE, Family, Role, Rows, grouped
from govopt.optimize.inputs import ModelInputs
from govopt.optimize.objectives import (
    DISTANCE_WEIGHT,
    EQUITY_TOLERANCE,
    OBJECTIVE_SPECS,
    ObjectiveSpec,
)
from govopt.optimize.cancel import Cancel
from govopt.optimize.solvers import MipStart, choose_lp_method, make_solver, run, solver_gap
from govopt.plan import Status

__all__ = ["DISTANCE_WEIGHT", "EQUITY_TOLERANCE", "AllocationModel", "Solution"]

# Families whose dual is a shadow price reported per unit of budget or limit.
_PRICED = (Family.BUDGET_STAFF, Family.BUDGET_FUNDS, Family.TRANSFERS)


@dataclass(frozen=True, eq=False)
class Solution:
    """Values read from a model with values (optimal or feasible; arrays empty otherwise).

    ``gap`` is the relative gap of a feasible whole-number plan to its bound.
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
    gap: float | None = None


def _values(variables: list[pulp.LpVariable]) -> np.ndarray:
    return np.fromiter((v.varValue or 0.0 for v in variables), dtype=float, count=len(variables))


class AllocationModel:
    """The allocation model of DESIGN.md for one dataset and scenario.

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
        (budget, norm and transfer rows), and use the coverage objective.
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
        self.t: pulp.LpVariable | None = None
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
        own = len(self.staff) + len(self.funds) + len(self.x) + len(self.y) + len(self.dec)
        return own + slacks + (self.t is not None)

    # ----- build -----------------------------------------------------------
    def _wants(self, family: Family) -> bool:
        if family.role is Role.OBJECTIVE:
            return family in self.spec.families
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
        """Solve (both steps of a lexicographic objective) and read the solution.

        Values when optimal, or feasible: a whole-number plan found by the time
        limit, with its gap. ``mip_start`` is the whole-number search's first
        plan (see :func:`govopt.optimize.rounding.whole_number_start`);
        ``cancel`` stops the solve (status ``cancelled``). With integer staff
        the duals come from the LP with the staff fixed at the plan's.
        """
        sc = self.scenario
        mip = self.integer
        second = None if self.elastic else self.spec.second_step
        solver, name = make_solver(
            solver_name or sc.solver,
            time_limit_s=sc.time_limit_s,
            mip_gap=sc.mip_gap,
            mip=mip,
            lp_method=choose_lp_method(self.n_columns, max_min=second is not None),
            cancel=cancel,
            start=mip_start,
        )
        start = time.perf_counter()
        status = self._run(solver, name)
        gap = solver_gap(solver) if status is Status.FEASIBLE else None
        t_value: float | None = None
        if status.has_values and second is not None:
            t_value = None if self.t is None else float(self.t.varValue or 0.0)
            second(self)
            solver.start = MipStart.from_values(self.prob) if mip else None
            first, status = status, self._run(solver, name)
            if status is Status.FEASIBLE and first is Status.OPTIMAL:
                gap = solver_gap(solver)
            elif status is Status.OPTIMAL:
                status = first
        if not status.has_values:
            empty = np.zeros(0)
            timings = {"build": self.build_seconds, "solve": time.perf_counter() - start}
            return Solution(
                status, name, None, empty, empty, empty, empty, empty, empty, None, timings=timings
            )
        objective = float(pulp.value(self.prob.objective) or 0.0)
        staff = _values(self.staff)
        funds = _values(self.funds)
        y = _values(self.y)
        x, generic = self._service()
        s_c = np.minimum(generic, sc.work_hours_per_staff * staff)
        slacks = {f: _values(v) for f, v in self.slack_vars.items()}
        duals, hour_duals = self._duals()
        if mip:
            duals, hour_duals = self._lp_duals(staff, name, hour_duals, cancel)
        return Solution(
            status=status,
            solver=name,
            objective=objective,
            x=x,
            staff_hours=s_c,
            purchased_hours=np.clip(generic - s_c, 0.0, None),
            y=y,
            staff=staff,
            funds=funds,
            t=t_value,
            duals=duals,
            staff_hour_duals=hour_duals,
            slacks=slacks,
            timings={"build": self.build_seconds, "solve": time.perf_counter() - start},
            gap=gap,
        )

    def _service(self) -> tuple[np.ndarray, np.ndarray]:
        """Recover ``x_cgk`` (one per entry of ``inputs.x_*``) and ``sum_g x_cg`` per center.

        Generic hours of grid g are split over categories in proportion to the
        demand left after organization hours, ``D_gk - O_gk``, which always fits
        since ``sum_c x_cg <= D_g - sum_k O_gk``; organization hours count at
        the nearest relay center, weighted by the rating quality.
        """
        inp = self.inputs
        n_g, n_k = inp.n_grids, max(len(inp.categories), 1)
        x_link = _values(self.x)
        org = _values(self.y) * self.y_q
        o_gk = np.bincount(inp.y_grid * n_k + inp.y_cat, weights=org, minlength=n_g * n_k)
        rest = np.clip(inp.demand.reshape(-1) - o_gk, 0.0, None) if inp.categories else o_gk * 0
        rest_g = np.bincount(np.arange(len(rest)) // n_k, weights=rest, minlength=n_g)
        link_pos = pd.Index(inp.l_center * n_g + inp.l_grid).get_indexer(
            inp.x_center * n_g + inp.x_grid
        )
        r_e = rest[inp.x_grid * n_k + inp.x_cat]
        total_e = rest_g[inp.x_grid]
        share = np.divide(r_e, total_e, out=np.zeros(len(r_e)), where=total_e > 0)
        out = x_link[link_pos] * share
        entry = pd.Index((inp.x_center * n_g + inp.x_grid) * n_k + inp.x_cat).get_indexer(
            pd.Index((inp.y_center * n_g + inp.y_grid) * n_k + inp.y_cat)
        )
        np.add.at(out, entry, org)
        per_center = np.bincount(inp.l_center, weights=x_link, minlength=inp.n_centers)
        return out, per_center

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
        self,
        staff: np.ndarray,
        name: str,
        mip_hour_duals: np.ndarray,
        cancel: Cancel | None = None,
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
            cancel=cancel,
        )
        if self._run(solver, name) is not Status.OPTIMAL:
            return {}, mip_hour_duals
        duals, hour_duals = self._duals()
        for fam in (Family.BUDGET_STAFF, Family.TRANSFERS):
            duals.pop(fam, None)
        return duals, hour_duals
