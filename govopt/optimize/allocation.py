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

import itertools
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from govopt.data.scenario import Scenario
from govopt.optimize.inputs import ModelInputs
from govopt.optimize.solvers import choose_lp_method, make_solver, status_of
from govopt.plan import Status

__all__ = ["DISTANCE_WEIGHT", "EQUITY_TOLERANCE", "AllocationModel", "Solution"]

DISTANCE_WEIGHT = 1e-6
EQUITY_TOLERANCE = 1e-7

# Penalty per unit of slack in the elastic model (per person, per CNY, per hour).
_ELASTIC_WEIGHT = {
    "budget_staff": 1.0,
    "budget_funds": 1e-4,
    "min_staff": 1.01,
    "max_staff": 1.01,
    "transfers": 1.02,
    "target": 1e-3,
}


@dataclass(frozen=True, eq=False)
class Solution:
    """Values read from an optimal model (arrays empty otherwise)."""

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
    duals: dict[str, float] = field(default_factory=dict)
    staff_hour_duals: np.ndarray = field(default_factory=lambda: np.zeros(0))
    slacks: dict[str, np.ndarray] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""


def _grouped(
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


def _values(variables: list[pulp.LpVariable]) -> np.ndarray:
    return np.fromiter((v.varValue or 0.0 for v in variables), dtype=float, count=len(variables))


class AllocationModel:
    """The allocation model of DESIGN.md for one dataset and scenario.

    Parameters
    ----------
    inputs : ModelInputs
        Arrays from :func:`govopt.optimize.inputs.model_inputs`.
    scenario : Scenario
        Budgets, norms, standards, objective and solver options.
    baseline : bool
        Fix staff and funds to today's values, drop budget, norm and transfer
        rows, and use the coverage objective.
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
        self.objective_kind = "coverage" if baseline else scenario.objective
        self.rows: dict[str, list[pulp.LpConstraint]] = {}
        self.slack_vars: dict[str, list[pulp.LpVariable]] = {}
        self.dec: list[pulp.LpVariable] = []
        self.t: pulp.LpVariable | None = None
        sense = (
            pulp.LpMinimize if self.objective_kind == "cost" or self.elastic else pulp.LpMaximize
        )
        self.prob = pulp.LpProblem("allocation", sense)
        self._build()
        self.build_seconds = time.perf_counter() - start

    @property
    def n_columns(self) -> int:
        """Number of variables in the model."""
        slacks = sum(len(v) for v in self.slack_vars.values())
        own = len(self.staff) + len(self.funds) + len(self.x) + len(self.y) + len(self.dec)
        return own + slacks + (self.t is not None)

    # ----- build -----------------------------------------------------------
    def _add(
        self, family: str, exprs: list[pulp.LpAffineExpression], sense: int, rhs: list[float]
    ) -> None:
        rows = [
            pulp.LpConstraint(e, sense, f"{family}_{i}", float(r))
            for i, (e, r) in enumerate(zip(exprs, rhs, strict=True))
        ]
        self.rows[family] = rows
        self.prob.extend({r.name: r for r in rows})

    def _slack(self, family: str, n: int) -> list[pulp.LpVariable]:
        vs = [self.prob.add_variable(f"e_{family}_{i}", 0) for i in range(n)]
        self.slack_vars[family] = vs
        return vs

    def _build(self) -> None:
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
        n_l = len(inp.l_center)
        self.x = [add(f"x_{i}", 0) for i in range(n_l)]
        # Organization hours y_ogk on org -> grid paths (k = the org's domain).
        self.y = [add(f"y_{i}", 0) for i in range(len(inp.y_org))]
        self.y_q = inp.org_quality[inp.y_org]

        # supply[c]: sum_g x_cg <= work_hours_per_staff * staff_c + fund_c / cost_per_hour
        self.served_centers, l_row = np.unique(inp.l_center, return_inverse=True)
        m = len(self.served_centers)
        staff_sc = [self.staff[c] for c in self.served_centers.tolist()]
        funds_sc = [self.funds[c] for c in self.served_centers.tolist()]
        rows = np.concatenate([l_row, np.arange(m), np.arange(m)])
        per_hour = [np.full(m, -sc.work_hours_per_staff), np.full(m, -1.0 / sc.cost_per_hour_cny)]
        coefs = np.concatenate([np.ones(n_l), *per_hour])
        le = pulp.LpConstraintLE
        self._add("supply", _grouped(m, rows, self.x + staff_sc + funds_sc, coefs), le, [0.0] * m)
        # org_hours[o]
        self.y_orgs, y_org_row = np.unique(inp.y_org, return_inverse=True)
        self._add(
            "org_hours",
            _grouped(len(self.y_orgs), y_org_row, self.y, np.ones(len(self.y))),
            le,
            inp.org_hours[self.y_orgs].tolist(),
        )
        # grid_demand[g]: sum_c x_cg + sum_o q(o) * y_og <= D_g
        self.grids_served, g_row = np.unique(inp.l_grid, return_inverse=True)
        y_grid = np.searchsorted(self.grids_served, inp.y_grid)
        self._grid_rows = np.concatenate([g_row, y_grid])
        self._grid_coefs = np.concatenate([np.ones(n_l), self.y_q])
        self._add(
            "grid_demand",
            self._grid_sums(),
            le,
            inp.grid_demand[self.grids_served].tolist(),
        )
        # category_demand[g,k]: sum_o q(o) * y_ogk <= D_gk, only where the orgs
        # that can reach (g, k) could together exceed D_gk.
        n_k = max(len(inp.categories), 1)
        gk = inp.y_grid * n_k + inp.y_cat
        ugk, gk_row = np.unique(gk, return_inverse=True)
        dem = inp.demand.reshape(-1)[ugk] if len(ugk) else np.zeros(0)
        reach = np.bincount(gk_row, weights=self.y_q * inp.org_hours[inp.y_org], minlength=len(ugk))
        tight = np.flatnonzero(reach > dem)
        pos = np.full(len(ugk), -1)
        pos[tight] = np.arange(len(tight))
        sel = pos[gk_row] >= 0
        self._add(
            "category_demand",
            _grouped(
                len(tight),
                pos[gk_row][sel],
                [v for v, keep in zip(self.y, sel.tolist(), strict=True) if keep],
                self.y_q[sel],
            ),
            le,
            dem[tight].tolist(),
        )
        if not self.baseline:
            self._policy_rows()
        self._objective()

    def _policy_rows(self) -> None:
        inp, sc = self.inputs, self.scenario
        n_c = inp.n_centers
        el = self.elastic
        le, ge = pulp.LpConstraintLE, pulp.LpConstraintGE
        ones = [1.0] * n_c
        if sc.staff_total is not None:
            e = pulp.LpAffineExpression(zip(self.staff, ones, strict=True))
            if el:
                e.addterm(self._slack("budget_staff", 1)[0], -1.0)
            self._add("budget_staff", [e], le, [sc.staff_total])
        if sc.funds_total_cny is not None:
            e = pulp.LpAffineExpression(zip(self.funds, ones, strict=True))
            if el:
                e.addterm(self._slack("budget_funds", 1)[0], -1.0)
            self._add("budget_funds", [e], le, [sc.funds_total_cny])
        need = np.flatnonzero(inp.min_staff > 0)
        self.min_rows = need
        sl = self._slack("min_staff", len(need)) if el else []
        exprs = [
            pulp.LpAffineExpression([(self.staff[c], 1.0)] + ([(sl[i], 1.0)] if el else []))
            for i, c in enumerate(need.tolist())
        ]
        self._add("min_staff", exprs, ge, inp.min_staff[need].tolist())
        sl = self._slack("max_staff", n_c) if el else []
        exprs = [
            pulp.LpAffineExpression([(self.staff[c], 1.0)] + ([(sl[c], -1.0)] if el else []))
            for c in range(n_c)
        ]
        self._add("max_staff", exprs, le, inp.max_staff.tolist())
        if sc.max_transfers is not None:
            self.dec = [self.prob.add_variable(f"dec_{c}", 0) for c in range(n_c)]
            exprs = [
                pulp.LpAffineExpression([(self.dec[c], 1.0), (self.staff[c], 1.0)])
                for c in range(n_c)
            ]
            self._add("transfer_dec", exprs, ge, inp.staff0.tolist())
            e = pulp.LpAffineExpression(zip(self.dec, ones, strict=True))
            if el:
                e.addterm(self._slack("transfers", 1)[0], -1.0)
            self._add("transfers", [e], le, [sc.max_transfers])

    def _grid_sums(self) -> list[pulp.LpAffineExpression]:
        """``sum_{c,k} x_cgk`` per served grid: generic plus organization hours."""
        return _grouped(len(self.grids_served), self._grid_rows, self.x + self.y, self._grid_coefs)

    def _coverage_objective(self) -> pulp.LpAffineExpression:
        inp = self.inputs
        wx = inp.priority[inp.l_grid] - DISTANCE_WEIGHT * inp.l_dist
        wy = (inp.priority[inp.y_grid] - DISTANCE_WEIGHT * inp.y_dist) * self.y_q
        terms = zip(self.x + self.y, np.concatenate([wx, wy]).tolist(), strict=True)
        return pulp.LpAffineExpression(terms)

    def _objective(self) -> None:
        inp, sc = self.inputs, self.scenario
        dg = inp.grid_demand[self.grids_served]
        if self.objective_kind == "equity":
            self.t = self.prob.add_variable("t", 0, 1)
            exprs = self._grid_sums()
            for e, d in zip(exprs, dg.tolist(), strict=True):
                e.addterm(self.t, -d)
            self._add("equity", exprs, pulp.LpConstraintGE, [0.0] * len(exprs))
        if self.objective_kind == "cost":
            exprs = self._grid_sums()
            if self.elastic:
                sl = self._slack("target", len(exprs))
                for e, v in zip(exprs, sl, strict=True):
                    e.addterm(v, 1.0)
            self._add("target", exprs, pulp.LpConstraintGE, (sc.coverage_target * dg).tolist())
        if self.elastic:
            terms = [(v, _ELASTIC_WEIGHT[fam]) for fam, vs in self.slack_vars.items() for v in vs]
            self.prob.setObjective(pulp.LpAffineExpression(terms))
        elif self.objective_kind == "cost":
            n_c = inp.n_centers
            self.prob.setObjective(
                pulp.LpAffineExpression(
                    list(zip(self.staff, [sc.wage_per_staff_cny] * n_c, strict=True))
                    + list(zip(self.funds, [1.0] * n_c, strict=True))
                )
            )
        elif self.objective_kind == "equity":
            assert self.t is not None
            self.prob.setObjective(pulp.LpAffineExpression([(self.t, 1.0)]))
        else:
            self.prob.setObjective(self._coverage_objective())

    # ----- solve -----------------------------------------------------------
    def _run(self, solver: pulp.LpSolver, name: str) -> Status:
        self.prob.solve(solver)
        return status_of(self.prob, name)

    def solve(self, solver_name: str | None = None) -> Solution:
        """Solve (both stages for ``equity``) and read the solution; values only when optimal."""
        sc = self.scenario
        mip = sc.integer_staff and not self.baseline
        n_columns = self.n_columns
        equity = self.objective_kind == "equity" and not self.elastic

        solver, name = make_solver(
            solver_name or sc.solver,
            time_limit_s=sc.time_limit_s,
            mip_gap=sc.mip_gap,
            mip=mip,
            lp_method=choose_lp_method(n_columns, max_min=equity),
        )
        start = time.perf_counter()
        status = self._run(solver, name)
        t_value: float | None = None
        if status is Status.OPTIMAL and equity:
            assert self.t is not None
            t_value = float(self.t.varValue or 0.0)
            self.t.lowBound = max(0.0, t_value - EQUITY_TOLERANCE)
            self.prob.setObjective(self._coverage_objective())
            status = self._run(solver, name)
        objective = pulp.value(self.prob.objective) if status is Status.OPTIMAL else None
        solve_seconds = time.perf_counter() - start
        timings = {"build": self.build_seconds, "solve": solve_seconds}
        if status is not Status.OPTIMAL:
            empty = np.zeros(0)
            return Solution(
                status, name, None, empty, empty, empty, empty, empty, empty, None, timings=timings
            )
        sol = self._read(status, name, float(objective or 0.0), t_value)
        if sc.integer_staff and not self.baseline:
            self._lp_duals(sol, name)
        sol.timings.update(timings)
        sol.timings["solve"] = time.perf_counter() - start
        return sol

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

    def _read(self, status: Status, name: str, objective: float, t: float | None) -> Solution:
        staff = _values(self.staff)
        funds = _values(self.funds)
        x, generic = self._service()
        s_c = np.minimum(generic, self.scenario.work_hours_per_staff * staff)
        p_c = np.clip(generic - s_c, 0.0, None)
        sol = Solution(
            status=status,
            solver=name,
            objective=objective,
            x=x,
            staff_hours=s_c,
            purchased_hours=p_c,
            y=_values(self.y),
            staff=staff,
            funds=funds,
            t=t,
        )
        sol.slacks.update({f: _values(v) for f, v in self.slack_vars.items()})
        self._store_duals(sol)
        return sol

    def _store_duals(self, sol: Solution) -> None:
        sign = -1.0 if self.prob.sense == pulp.LpMaximize else 1.0
        sol.duals.clear()
        for fam in ("budget_staff", "budget_funds", "transfers"):
            if fam in self.rows:
                sol.duals[fam] = sign * float(self.rows[fam][0].pi or 0.0) + 0.0
        hd = np.zeros(self.inputs.n_centers)
        rows = self.rows.get("supply", [])
        if rows:
            hd[self.served_centers] = [sign * float(r.pi or 0.0) for r in rows]
        object.__setattr__(sol, "staff_hour_duals", hd)

    def _lp_duals(self, sol: Solution, name: str) -> None:
        """Fix the integer staff, re-solve the LP and store its duals."""
        for v, value in zip(self.staff, sol.staff.tolist(), strict=True):
            v.cat = pulp.LpContinuous
            v.lowBound = v.upBound = round(value)
        solver, name = make_solver(
            name,
            time_limit_s=self.scenario.time_limit_s,
            lp_method=choose_lp_method(self.n_columns),
        )
        if self._run(solver, name) is Status.OPTIMAL:
            self._store_duals(sol)
            for fam in ("budget_staff", "transfers"):
                sol.duals.pop(fam, None)
        else:
            sol.duals.clear()
