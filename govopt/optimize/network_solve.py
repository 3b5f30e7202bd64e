"""The stages of a plan on the network engine: policy, stability on the optimal face, assignment.

Stage 1 is :meth:`NetworkModel.solve_policy`. Its node potentials
(:func:`potentials`, shortest-path distances over the residual network) prove
it optimal and give its duals (:func:`network_duals`); the arcs of positive
reduced cost stay at their lower bound and those of negative reduced cost at
their capacity (:func:`optimal_face`), so every flow of the face is a stage-1
optimum, exactly. Stage 2 minimises the resources moved on that face, stage 3
is the same least-distance flow on stage 2's integer flow, by network simplex
(:func:`assign_network`, :func:`govopt.optimize.assignment_simplex.assign_simplex`;
``docs/model.md``, "Network engine").
"""

from __future__ import annotations

import time

import numpy as np

from govopt.data.scenario import Objective
from govopt.optimize.allocation import Solution
from govopt.optimize.assignment import Assignment, assign_nearest
from govopt.optimize.assignment_simplex import assign_simplex
from govopt.optimize.cancel import Cancel
from govopt.optimize.families import Family
from govopt.optimize.network import FlowResult, NetworkModel, PolicyFlow, solve_flow
from govopt.optimize.network_basis import basic_stage
from govopt.optimize.service import hours_by_source, served_hours
from govopt.plan import Status

__all__ = [
    "SOLVER",
    "assign_network",
    "moved",
    "network_duals",
    "optimal_face",
    "potentials",
    "residual_potentials",
    "served_total",
    "solve_network",
    "stage_three_units",
]

SOLVER = "network"


def potentials(
    model: NetworkModel, flow: np.ndarray, lower: np.ndarray, cost: np.ndarray | None = None
) -> np.ndarray:
    """Shortest-path distances ``d`` over the residual network of ``flow`` (Bellman-Ford).

    From a root joined to every node at cost 0, so ``cost + d[tail] - d[head]``
    is at least 0 on every arc below its capacity and at most 0 on every arc
    above its lower bound (``lower``, flow units). Each round relaxes only the
    arcs out of the nodes whose distance fell in the round before.

    Raises
    ------
    ValueError
        When the residual network has a negative cycle (``flow`` is not optimal).
    """
    cost = model.cost if cost is None else cost
    n = model.layout.n_nodes
    return residual_potentials(n, model.tail, model.head, lower, model.cap, cost, flow)


def residual_potentials(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    cost: np.ndarray,
    flow: np.ndarray,
) -> np.ndarray:
    """:func:`potentials` of any network given as arrays (``n`` nodes, integer arcs)."""
    fwd, bwd = flow < cap, flow > lower
    u = np.concatenate([tail[fwd], head[bwd]])
    v = np.concatenate([head[fwd], tail[bwd]])
    c = np.concatenate([cost[fwd], -cost[bwd]])
    order = np.argsort(u, kind="stable")
    u, v, c = u[order], v[order], c[order]
    first = np.searchsorted(u, np.arange(n + 1))
    d = np.zeros(n, dtype=np.int64)
    active = np.unique(u[c < 0])
    for _ in range(n + 1):
        if len(active) == 0:
            return d
        lo, hi = first[active], first[active + 1]
        counts = hi - lo
        starts = np.cumsum(counts) - counts
        arcs = np.repeat(lo - starts, counts) + np.arange(int(counts.sum()))
        cand = d[u[arcs]] + c[arcs]
        better = cand < d[v[arcs]]
        heads = v[arcs][better]
        np.minimum.at(d, heads, cand[better])
        active = np.unique(heads)
    raise ValueError("the residual network has a negative cycle: the flow is not optimal")


def optimal_face(
    model: NetworkModel, flow: np.ndarray, lower: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the optimal face: arcs of reduced cost ``> 0`` at ``lower``, ``< 0`` at capacity.

    Returns ``(lower, cap)`` in flow units; arcs of reduced cost 0 keep theirs.
    """
    rc = model.cost + d[model.tail] - d[model.head]
    face_lower = np.where(rc < 0, flow, lower)
    face_cap = np.where(rc > 0, flow, model.cap)
    return face_lower, face_cap


def moved(model: NetworkModel, flow: np.ndarray) -> float:
    """``M = sum_c |staff_c - staff0_c| + sum_c |fund_c - funds0_c| / wage`` of a stage-2 flow."""
    inp, wage = model.inputs, model.scenario.wage_per_staff_cny
    const = float(inp.staff0.sum()) + float(inp.funds0.sum()) / wage
    return float(model.move_cost @ flow) / model.units / model.move_scale + const


def network_duals(
    model: NetworkModel, flow: np.ndarray, lower: np.ndarray, d: np.ndarray
) -> tuple[dict[Family, float], np.ndarray]:
    """Shadow prices of the budget and transfer rows and of supply per center, from potentials.

    Signs as :meth:`AllocationModel._duals`: the change of the objective in
    its own sense per unit of right-hand side (covered hours per staff member
    for ``coverage``, CNY per staff member for ``cost``).
    """
    sc, inp, lay = model.scenario, model.inputs, model.layout
    H, p = sc.work_hours_per_staff, sc.cost_per_hour_cny
    sign = 1.0 if model.objective is Objective.COST else -1.0
    rc = (model.cost + d[model.tail] - d[model.head]) / model.cost_scale

    def arc(name: str) -> float:
        part = model.arcs[name]
        return float(rc[part][0])

    duals: dict[Family, float] = {}
    if not model.baseline:
        if sc.staff_total is not None:
            duals[Family.BUDGET_STAFF] = sign * H * min(0.0, arc("staff_budget")) + 0.0
        if sc.funds_total_cny is not None:
            duals[Family.BUDGET_FUNDS] = sign * min(0.0, arc("funds_budget")) / p + 0.0
        if sc.max_transfers is not None:
            kept = model.arcs["staff_kept"]
            binds = lower[kept][0] > 0
            duals[Family.TRANSFERS] = float(-sign * H * max(0.0, arc("staff_kept")) * binds) + 0.0
    hour = np.zeros(inp.n_centers)
    served = np.unique(inp.l_center)
    node = lay.center + served
    hour[served] = sign * (d[lay.T] - d[node]) / model.cost_scale + 0.0
    return duals, hour


def stage_three_units(
    model: NetworkModel, flow: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stage 3's ``supply_c, supply_o, cap_pair, need`` from ``flow`` (stage 2's, flow units).

    Centers offer the units flowing into them (staff and funds; in the
    baseline all of today's, whatever stage 1 used), organizations and
    ``(g, k)`` pairs keep their capacities, each grid needs exactly the units
    ``flow`` serves it, so ``flow`` itself is feasible.
    """
    lay = model.layout
    if model.baseline:
        supply_c = model.cap[model.arcs["today"]]
    else:
        supply_c = flow[model.arcs["staff"]] + flow[model.arcs["funds"]]
    supply_o = np.zeros(lay.n_orgs, dtype=np.int64)
    org = model.arcs["org"]
    supply_o[model.head[org] - lay.org] = model.cap[org]
    need = np.zeros(lay.n_grids, dtype=np.int64)
    need[model.grids] = flow[model.arcs["grid"]]
    return supply_c, supply_o, model.cap[model.arcs["category"]], need


def assign_network(model: NetworkModel, flow: np.ndarray) -> Assignment:
    """Stage 3 on ``flow`` (stage 2's, in flow units): each grid gets exactly its units.

    The stage of :func:`stage_three_units`, solved by network simplex and
    proved optimal (:func:`assign_simplex`). Where no distance unit fits the
    flow units, the stage is solved from hours (:func:`assign_nearest`).
    """
    inp = model.inputs
    try:
        return assign_simplex(inp, *stage_three_units(model, flow), model.units)
    except OverflowError:
        values = model.values(flow)
        sc = model.scenario
        hours = sc.work_hours_per_staff * values["staff"] + values["funds"] / sc.cost_per_hour_cny
        return assign_nearest(inp, hours, served_hours(inp, values["x"], values["y"]))


def _empty(status: Status, timings: dict[str, float], stages: tuple[str, ...] = ()) -> Solution:
    e = np.zeros(0)
    return Solution(status, SOLVER, None, e, e, e, e, e, e, None, timings=timings, stages=stages)


def solve_network(
    model: NetworkModel,
    *,
    cancel: Cancel | None = None,
    grid_lower: np.ndarray | None = None,
    assign: bool = True,
) -> Solution:
    """Solve the stages of ``docs/model.md`` on the network and read the solution.

    ``policy`` (the min-cost flow, with ``grid_lower`` hours per grid held),
    ``stability`` (least moved staff and funds on stage 1's optimal face; not
    in the baseline), ``assignment`` (unless ``assign`` is false: the served
    hours per grid are then stage 1's, the same, and the split between
    centers is any optimal one). ``cancel`` is checked between stages
    (status ``cancelled``, no values), and so is ``scenario.time_limit_s``,
    counted from the model's build: a flow solve cannot be stopped while it
    runs, so past the limit after stage 1 the plan is ``time_limit`` without
    values, and after stage 2 stage 1's plan is kept.
    """
    sc, inp = model.scenario, model.inputs
    began = time.perf_counter()
    limit = sc.time_limit_s
    deadline = None if limit is None else began - model.build_seconds + limit

    def late() -> bool:
        return deadline is not None and time.perf_counter() > deadline

    timings = {"build": model.build_seconds}
    lower = model._lower(grid_lower)
    first = model.solve_policy(grid_lower)
    timings["policy"] = time.perf_counter() - began
    if first.status is not Status.OPTIMAL:
        timings["solve"] = time.perf_counter() - began
        return _empty(first.status, timings)
    if cancel is not None and cancel.is_set:
        return _empty(Status.CANCELLED, timings)
    if late():
        return _empty(Status.TIME_LIMIT, timings)
    objective = model.objective_value(first.flow)
    clock = time.perf_counter()
    d = first.potentials if first.potentials is not None else potentials(model, first.flow, lower)
    duals, hour_duals = network_duals(model, first.flow, lower, d)
    timings["duals"] = time.perf_counter() - clock
    flow, stages = first.flow, ["policy"]
    if not model.baseline:
        clock = time.perf_counter()
        second = _stability(model, first, lower, d)
        if second.status is Status.OPTIMAL and not late():
            flow = second.flow
            stages.append("stability")
        timings["stability"] = time.perf_counter() - clock
        if cancel is not None and cancel.is_set:
            return _empty(Status.CANCELLED, timings)
    values = model.values(flow)
    staff, funds, x_link, y = values["staff"], values["funds"], values["x"], values["y"]
    if assign:
        clock = time.perf_counter()
        nearest = assign_network(model, flow)
        if nearest.status is Status.OPTIMAL:
            x_link, y = nearest.link_hours, nearest.org_hours
            stages.append("assignment")
        timings["assignment"] = time.perf_counter() - clock
    x, staff_hours, purchased = hours_by_source(inp, x_link, y, staff, sc.work_hours_per_staff)
    timings["solve"] = time.perf_counter() - began
    return Solution(
        status=Status.OPTIMAL,
        solver=SOLVER,
        objective=objective,
        x=x,
        staff_hours=staff_hours,
        purchased_hours=purchased,
        y=y,
        staff=staff,
        funds=funds,
        t=None,
        duals=duals,
        staff_hour_duals=hour_duals,
        timings=timings,
        stages=tuple(stages),
        policy=PolicyFlow(
            first.flow, lower, d, objective, served_total(model, first.flow), plan_flow=flow
        ),
    )


def served_total(model: NetworkModel, flow: np.ndarray) -> float:
    """District served hours: generic plus quality-weighted organization hours."""
    return float(model.family("link", flow).sum() + model.family("path", flow).sum())


def _stability(
    model: NetworkModel, first: FlowResult, lower: np.ndarray, d: np.ndarray
) -> FlowResult:
    """Stage 2: least ``M`` over the flows of stage 1's optimal face, as a basic flow."""
    face_lower, face_cap = optimal_face(model, first.flow, lower, d)
    n = model.layout.n_nodes
    second = solve_flow(
        n, model.tail, model.head, face_lower, face_cap, model.move_cost, model.supply
    )
    if second.status is not Status.OPTIMAL:
        return second
    return basic_stage(n, model.tail, model.head, face_lower, face_cap, model.move_cost, second)
