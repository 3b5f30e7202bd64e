"""Marginal values on the network engine: stage 1 re-solved as min-cost flows.

The same values as :func:`govopt.optimize.marginal.marginal_values`
(``docs/model.md``, "Shadow prices"), for a plan of the network engine and
without a PuLP model: each budget moved builds the network of the scenario
with that budget (:class:`~govopt.optimize.network.NetworkModel`) and solves
its stage 1 (for ``equity`` the largest lowest share, then ``W`` with it
held), compared with its own stage 1 re-solved; the centers are re-solved on a
network of the plan's staff and funds fixed, like the baseline's, with ``H``
more hours at one center. The duals are the solution's, from node
potentials; the ``supply`` duals that bound the centers' gains come from the
potentials of the fixed-plan flow. Stage 1 as the plan solved it is the base
of every change, and a re-solve that only relaxes a bound (one more staff
member at a center; a larger budget under ``coverage``) starts from that
optimum (:func:`govopt.optimize.network_reopt.reoptimize`).
"""

from __future__ import annotations

import time

import numpy as np

from govopt.data.dataset import Dataset
from govopt.data.scenario import Objective, Scenario
from govopt.optimize.allocation import Solution
from govopt.optimize.cancel import Cancel
from govopt.optimize.families import Family
from govopt.optimize.marginal_common import (
    STEPS,
    TARGET_STEP,
    Gain,
    Outcome,
    budget_limits,
    center_tops,
    dual_values,
    rank_centers,
    with_budgets,
    with_target_costs,
)
from govopt.optimize.network import FlowResult, NetworkModel, PolicyFlow, solve_flow
from govopt.optimize.network_equity import held_share, model_lowest_share
from govopt.optimize.network_reopt import reoptimize
from govopt.optimize.network_solve import network_duals, residual_potentials, served_total
from govopt.optimize.objectives import OBJECTIVE_SPECS
from govopt.plan import MarginalValues, Status

__all__ = ["network_marginal_values"]

_FIELDS = {
    Family.BUDGET_STAFF: "staff_total",
    Family.BUDGET_FUNDS: "funds_total_cny",
    Family.TRANSFERS: "max_transfers",
}


class _Runs:
    """Re-solves under the time limit and the cancel token, checked before each one.

    ``stopped`` once one did not run or did not finish (the values are then
    partial); ``infeasible`` when the last one had no feasible flow.
    """

    def __init__(self, limit: float | None, cancel: Cancel | None) -> None:
        self.deadline = None if limit is None else time.perf_counter() + limit
        self.cancel = cancel
        self.stopped = False
        self.infeasible = False

    def may_run(self) -> bool:
        cancelled = self.cancel is not None and self.cancel.is_set
        late = self.deadline is not None and time.perf_counter() > self.deadline
        self.stopped = self.stopped or cancelled or late
        return not self.stopped

    def read(self, status: Status) -> bool:
        """Whether ``status`` is optimal; else why not."""
        self.infeasible = status is Status.INFEASIBLE
        if status is not Status.OPTIMAL and not self.infeasible:
            self.stopped = True
        return status is Status.OPTIMAL

    def model(self, model: NetworkModel, scenario: Scenario) -> NetworkModel | None:
        """``model``'s network for ``scenario`` (``None`` when its units would overflow)."""
        if not self.may_run():
            return None
        try:
            return NetworkModel(model.inputs, scenario)
        except OverflowError:
            self.stopped = True
            return None


def _policy(runs: _Runs, model: NetworkModel | None) -> Outcome | None:
    """Stage 1 of ``model`` as the plan's solve runs it (``None``: no value)."""
    if model is None or not runs.may_run():
        return None
    lowest = None
    held = None
    if model.objective is Objective.EQUITY:
        share = model_lowest_share(model, cancel=runs.cancel)
        if not runs.read(share.status) or not runs.may_run():
            return None
        lowest, held = share.t, held_share(model, share)
    result = model.solve_policy(grid_lower=held)
    if not runs.read(result.status):
        return None
    flow = result.flow
    return Outcome(model.objective_value(flow), served_total(model, flow), lowest)


def _base(runs: _Runs, model: NetworkModel, policy: PolicyFlow | None) -> Outcome | None:
    """Stage 1's outcome as the plan's solve found it (re-solved when it was not kept)."""
    if policy is None:
        return _policy(runs, model)
    return Outcome(policy.value, policy.served, policy.lowest)


def _from_stage_one(
    runs: _Runs, model: NetworkModel, policy: PolicyFlow, moved: NetworkModel
) -> Outcome | None:
    """Stage 1 of ``moved`` re-optimised from the plan's stage-1 optimum, when their arcs and
    costs are the same (under ``equity`` after its own lowest share); ``None``: solve it
    afresh."""
    same = (
        moved.units == model.units
        and np.array_equal(moved.tail, model.tail)
        and np.array_equal(moved.head, model.head)
        and np.array_equal(moved.cost, model.cost)
    )
    if not same:
        return None
    lowest = None
    lower = moved.lower
    if model.objective is Objective.EQUITY:
        share = model_lowest_share(moved, cancel=runs.cancel)
        if share.status is not Status.OPTIMAL:
            return None
        lowest, lower = share.t, moved._lower(held_share(moved, share))
    old = (policy.lower, model.cap, model.supply)
    new = (lower, moved.cap, moved.supply)
    arcs = (model.layout.n_nodes, model.tail, model.head, model.cost)
    got = reoptimize(*arcs, old, new, policy.flow, policy.potentials)
    if got is None:
        return None
    return Outcome(moved.objective_value(got.flow), served_total(moved, got.flow), lowest)


def _moved(
    runs: _Runs, model: NetworkModel, policy: PolicyFlow | None, moved: NetworkModel | None
) -> Outcome | None:
    """Stage 1 of the ``moved`` network: from the plan's stage 1 where it can, else afresh."""
    if moved is None or not runs.may_run():
        return None
    got = None if policy is None else _from_stage_one(runs, model, policy, moved)
    return got if got is not None else _policy(runs, moved)


def _binds(model: NetworkModel, policy: PolicyFlow, family: Family) -> bool:
    """Whether ``family``'s budget arc is at its bound in stage 1's flow. One that is not
    stays optimal with more room, for ``W`` and for the lowest share: its step gains 0."""
    if family is Family.TRANSFERS:
        part = model.arcs["staff_kept"]
        return bool(policy.flow[part][0] <= policy.lower[part][0] and policy.lower[part][0] > 0)
    part = model.arcs["staff_budget" if family is Family.BUDGET_STAFF else "funds_budget"]
    return bool(policy.flow[part][0] >= model.cap[part][0])


def _budget_gains(
    runs: _Runs, model: NetworkModel, base: Outcome | None, policy: PolicyFlow | None
) -> dict[Family, Outcome | None]:
    """The change of stage 1's outcome from ``base`` when each budget that is set grows by its
    step."""
    sc = model.scenario
    out: dict[Family, Outcome | None] = {}
    if base is None:
        return out
    for family, limit in budget_limits(sc).items():
        if limit is None:
            continue
        if policy is not None and not _binds(model, policy, family):
            out[family] = Outcome(0.0, 0.0, None if base.lowest is None else 0.0)
            continue
        changed = sc.replace(**{_FIELDS[family]: limit + STEPS[family]})
        moved = runs.model(model, changed)
        got = _moved(runs, model, policy, moved)
        out[family] = None if got is None else got.minus(base)
    return out


def _target_costs(
    runs: _Runs, model: NetworkModel, base: Outcome | None, policy: PolicyFlow | None
) -> tuple[float | None, float | None, bool]:
    """Extra cost of one more point of coverage target, saving of one point less, and
    whether no plan meets one more point."""
    if base is None:
        return None, None, False
    sc = model.scenario
    target = sc.coverage_target

    def at(share: float) -> Outcome | None:
        moved = runs.model(model, sc.replace(coverage_target=share))
        return _moved(runs, model, policy, moved)

    up = at(target + TARGET_STEP) if target + TARGET_STEP <= 1.0 + 1e-12 else None
    cannot_rise = up is None and runs.infeasible
    down = at(target - TARGET_STEP) if target >= TARGET_STEP - 1e-12 else None
    return (
        None if up is None else up.value - base.value,
        None if down is None else base.value - down.value,
        cannot_rise,
    )


class _FixedPlan:
    """The plan's staff and funds fixed on the scenario's network, ``t`` held as stage 1 held it.

    The ``staff`` and ``funds`` arcs are held at the plan's flow (stage 2's), and
    one more arc per center, ``S -> c`` of capacity 0, takes the extra hours of
    a center's gain. The plan's own flow is then optimal, as no flow with its
    staffing does better than its stage-1 optimum, and stage 1's potentials
    prove it: stage 2's flow lies on the face they define.
    """

    def __init__(self, model: NetworkModel, solution: Solution) -> None:
        self.model = model
        lay, n_c = model.layout, model.inputs.n_centers
        policy = solution.policy
        plan = policy.plan_flow if policy is not None else None
        if policy is None or plan is None:
            raise ValueError("the solution carries no network flow")
        lower, cap = policy.lower.copy(), model.cap.copy()
        for family in ("staff", "funds"):
            part = model.arcs[family]
            lower[part] = cap[part] = plan[part]
        zeros = np.zeros(n_c, dtype=np.int64)
        self.extra = len(model.tail)
        self.tail = np.concatenate([model.tail, np.full(n_c, lay.S, dtype=np.int64)])
        self.head = np.concatenate([model.head, lay.center + np.arange(n_c, dtype=np.int64)])
        self.cost = np.concatenate([model.cost, zeros])
        self.lower = np.concatenate([lower, zeros])
        self.cap = np.concatenate([cap, zeros])
        self.start = np.concatenate([plan, zeros])
        self.stage_one = policy.potentials

    def bounds(self, center: int | None, hours: float) -> tuple[np.ndarray, np.ndarray]:
        """Capacities and supplies with ``hours`` more at ``center``."""
        net = self.model
        cap, supply = self.cap, net.supply
        if center is not None:
            extra = int(net.to_units(np.array([hours]), up=False)[0])
            cap, supply = cap.copy(), supply.copy()
            cap[self.extra + center] += extra
            cap[net.arcs["idle"].start + center] += extra
            cap[net.arcs["bypass"].start] += extra
            supply[net.layout.S] += extra
            supply[net.layout.T] -= extra
        return cap, supply

    def solve(self, center: int | None = None, hours: float = 0.0) -> FlowResult:
        """The fixed-plan flow, with ``hours`` more at ``center``."""
        cap, supply = self.bounds(center, hours)
        n = self.model.layout.n_nodes
        return solve_flow(n, self.tail, self.head, self.lower, cap, self.cost, supply)

    def base(self) -> tuple[FlowResult, np.ndarray]:
        """The fixed-plan optimum and potentials that prove it: the plan's own flow, unless
        rounding left it outside the bounds or short of optimal (then solved afresh)."""
        flow, d = self.start, self.stage_one
        if np.all(flow >= self.lower) and np.all(flow <= self.cap):
            rc = self.cost + d[self.tail] - d[self.head]
            if np.all(rc[flow < self.cap] >= 0) and np.all(rc[flow > self.lower] <= 0):
                return FlowResult(Status.OPTIMAL, flow, int(self.cost @ flow)), d
        result = self.solve()
        if result.status is not Status.OPTIMAL:
            return result, np.zeros(0, dtype=np.int64)
        return result, self.potentials(result.flow)

    def resolve(self, base: FlowResult, d: np.ndarray, center: int, hours: float) -> FlowResult:
        """:meth:`solve` with ``hours`` more at ``center``, from the optimum ``base`` and its
        potentials ``d``."""
        cap, supply = self.bounds(center, hours)
        old = (self.lower, self.cap, self.model.supply)
        new = (self.lower, cap, supply)
        n = self.model.layout.n_nodes
        got = reoptimize(n, self.tail, self.head, self.cost, old, new, base.flow, d)
        return self.solve(center, hours) if got is None else got

    def outcome(self, result: FlowResult) -> Outcome:
        flow = result.flow[: self.extra]
        return Outcome(self.model.objective_value(flow), served_total(self.model, flow))

    def potentials(self, flow: np.ndarray) -> np.ndarray:
        """Node potentials that prove ``flow`` optimal (``ValueError`` when it is not)."""
        n = self.model.layout.n_nodes
        return residual_potentials(n, self.tail, self.head, self.lower, self.cap, self.cost, flow)

    def supply_duals(self, base: FlowResult, d: np.ndarray) -> np.ndarray:
        """The objective's value of one more hour at each center (0 where none reaches)."""
        n = self.extra
        hour = network_duals(self.model, base.flow[:n], self.lower[:n], d)[1]
        return np.asarray(np.clip(hour, 0.0, None), dtype=float)


def _center_gains(runs: _Runs, model: NetworkModel, solution: Solution) -> list[Gain] | None:
    """The centers where one more staff member gains most, the rest of the plan kept."""
    if not runs.may_run():
        return None
    fixed = _FixedPlan(model, solution)
    base, d = fixed.base()
    if not runs.read(base.status):
        runs.stopped = True
        return None
    hours = model.scenario.work_hours_per_staff
    start = fixed.outcome(base)

    def gain_at(c: int) -> Outcome | None:
        if not runs.may_run():
            return None
        got = fixed.resolve(base, d, c, hours)
        if not runs.read(got.status):
            runs.stopped = True
            return None
        return fixed.outcome(got).minus(start)

    return rank_centers(model.inputs, solution.x, hours, fixed.supply_duals(base, d), gain_at)


def network_marginal_values(
    model: NetworkModel,
    solution: Solution,
    dataset: Dataset,
    cancel: Cancel | None = None,
) -> MarginalValues:
    """What the budget buys at the margin, for the ``solution`` of the network ``model``.

    The values of :func:`govopt.optimize.marginal.marginal_values`, re-solved
    on the network: coverage and equity, the district coverage (points and
    hours) one more staff member, 10,000 CNY and ten more transfers gain (for
    equity also the lowest coverage) and the centers where one more staff
    member gains most with the rest of the plan kept; cost, the extra cost of
    one more point of coverage target and the saving of one point less. A
    budget not set has no value. ``scenario.time_limit_s`` and ``cancel`` are
    checked before every re-solve; the values not reached are ``None`` and
    ``partial`` is set.
    """
    scenario = model.scenario
    duals = dual_values(solution, dataset, scenario)
    if not solution.status.has_values or model.baseline:
        return duals
    runs = _Runs(scenario.time_limit_s, cancel)
    if not OBJECTIVE_SPECS[scenario.objective].marginal_hours:
        target = _target_costs(runs, model, _base(runs, model, solution.policy), solution.policy)
        return with_target_costs(duals, target, runs.stopped)
    gains = _center_gains(runs, model, solution)
    demand = float(model.inputs.grid_demand.sum())
    tops = duals.top_centers
    if gains is not None:
        tops = center_tops(gains, solution, dataset, scenario, demand)
    base = _base(runs, model, solution.policy)
    budgets = _budget_gains(runs, model, base, solution.policy)
    return with_budgets(duals, budgets, demand, tops, runs.stopped)
