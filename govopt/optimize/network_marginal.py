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
potentials of the fixed-plan flow.
"""

from __future__ import annotations

import dataclasses
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
from govopt.optimize.network import FlowResult, NetworkModel, solve_flow
from govopt.optimize.network_equity import held_share, model_lowest_share
from govopt.optimize.network_solve import network_duals, potentials
from govopt.optimize.objectives import EQUITY_TOLERANCE, OBJECTIVE_SPECS
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


def _served(model: NetworkModel, flow: np.ndarray) -> float:
    """District served hours: generic plus quality-weighted organization hours."""
    return float(model.family("link", flow).sum() + model.family("path", flow).sum())


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
    return Outcome(model.objective_value(flow), _served(model, flow), lowest)


def _budget_gains(
    runs: _Runs, model: NetworkModel, base: Outcome | None
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
        changed = sc.replace(**{_FIELDS[family]: limit + STEPS[family]})
        got = _policy(runs, runs.model(model, changed))
        out[family] = None if got is None else got.minus(base)
    return out


def _target_costs(
    runs: _Runs, model: NetworkModel, base: Outcome | None
) -> tuple[float | None, float | None, bool]:
    """Extra cost of one more point of coverage target, saving of one point less, and
    whether no plan meets one more point."""
    if base is None:
        return None, None, False
    sc = model.scenario
    target = sc.coverage_target

    def at(share: float) -> Outcome | None:
        return _policy(runs, runs.model(model, sc.replace(coverage_target=share)))

    up = at(target + TARGET_STEP) if target + TARGET_STEP <= 1.0 + 1e-12 else None
    cannot_rise = up is None and runs.infeasible
    down = at(target - TARGET_STEP) if target >= TARGET_STEP - 1e-12 else None
    return (
        None if up is None else up.value - base.value,
        None if down is None else base.value - down.value,
        cannot_rise,
    )


class _FixedPlan:
    """The plan's staff and funds fixed (a network like the baseline's), ``t`` held for equity."""

    def __init__(self, model: NetworkModel, solution: Solution) -> None:
        inputs = dataclasses.replace(model.inputs, staff0=solution.staff, funds0=solution.funds)
        self.net = NetworkModel(inputs, model.scenario, baseline=True)
        held = None
        if model.objective is Objective.EQUITY and solution.t is not None:
            held = max(0.0, solution.t - EQUITY_TOLERANCE) * inputs.grid_demand
        self.lower = self.net._lower(held)

    def solve(self, center: int | None = None, hours: float = 0.0) -> FlowResult:
        """The fixed-plan flow, with ``hours`` more at ``center``."""
        net = self.net
        cap, supply = net.cap, net.supply
        if center is not None:
            extra = int(net.to_units(np.array([hours]), up=False)[0])
            cap, supply = cap.copy(), supply.copy()
            for family, i in (("today", center), ("idle", center), ("bypass", 0)):
                cap[net.arcs[family].start + i] += extra
            supply[net.layout.S] += extra
            supply[net.layout.T] -= extra
        return solve_flow(net.layout.n_nodes, net.tail, net.head, self.lower, cap, net.cost, supply)

    def outcome(self, result: FlowResult) -> Outcome:
        return Outcome(self.net.objective_value(result.flow), _served(self.net, result.flow))

    def supply_duals(self, result: FlowResult) -> np.ndarray:
        """The objective's value of one more hour at each center (0 where none reaches)."""
        d = potentials(self.net, result.flow, self.lower)
        hour = network_duals(self.net, result.flow, self.lower, d)[1]
        return np.asarray(np.clip(hour, 0.0, None), dtype=float)


def _center_gains(runs: _Runs, model: NetworkModel, solution: Solution) -> list[Gain] | None:
    """The centers where one more staff member gains most, the rest of the plan kept."""
    if not runs.may_run():
        return None
    try:
        fixed = _FixedPlan(model, solution)
    except OverflowError:
        runs.stopped = True
        return None
    base = fixed.solve()
    if not runs.read(base.status):
        runs.stopped = True
        return None
    hours = model.scenario.work_hours_per_staff
    start = fixed.outcome(base)

    def gain_at(c: int) -> Outcome | None:
        if not runs.may_run():
            return None
        got = fixed.solve(c, hours)
        if not runs.read(got.status):
            runs.stopped = True
            return None
        return fixed.outcome(got).minus(start)

    return rank_centers(model.inputs, solution.x, hours, fixed.supply_duals(base), gain_at)


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
        target = _target_costs(runs, model, _policy(runs, model))
        return with_target_costs(duals, target, runs.stopped)
    gains = _center_gains(runs, model, solution)
    demand = float(model.inputs.grid_demand.sum())
    tops = duals.top_centers
    if gains is not None:
        tops = center_tops(gains, solution, dataset, scenario, demand)
    budgets = _budget_gains(runs, model, _policy(runs, model))
    return with_budgets(duals, budgets, demand, tops, runs.stopped)
