"""Equity on the network engine: the largest lowest share ``t`` by Newton's method on min cuts.

``max t`` subject to ``served_g >= t D_g`` on every served grid (rows
``equity``) and every policy row is a parametric feasibility problem on the
flow network of :mod:`govopt.optimize.network`: the grid arcs ``g -> T`` get
lower bounds ``t D_g`` (in whole flow units, ``floor(t * D_g)``), and a flow
meeting every lower bound, capacity and supply exists exactly when no node set
``X`` is *deficient* (Gale–Hoffman):

``d_X(t) = supply(X) + L(not X -> X) - U(X -> not X) <= 0``.

``d_X`` is linear in ``t`` with slope ``sum D_g`` over the grid arcs entering
``X``, and ``max_X d_X(t)`` is convex and non-decreasing, so Newton's method
from ``t = 1`` reaches the largest feasible ``t`` from above in a few steps:
check feasibility by one max-flow (the lower bounds shifted into supplies, a
super source and sink); if it fails, its min cut ``X`` is deficient, and the
next ``t`` is the root of ``d_X``. Every step is exact in integer units; the
``t`` it stops at is feasible in the flow network, and no larger ``t`` passes
the cut of the step before (``docs/model.md``, equity on the network).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import max_flow

from govopt.optimize.allocation import Solution
from govopt.optimize.cancel import Cancel
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_solve import SOLVER, solve_network
from govopt.plan import Status

__all__ = [
    "MAX_NEWTON_STEPS",
    "LowestShare",
    "held_share",
    "lowest_share",
    "model_lowest_share",
    "solve_equity",
]

MAX_NEWTON_STEPS = 60


@dataclass(frozen=True, eq=False)
class LowestShare:
    """The largest lowest share ``t`` a flow network allows.

    Attributes
    ----------
    status : Status
        ``OPTIMAL``; ``INFEASIBLE`` when no flow meets the other lower bounds
        even at ``t = 0``; ``CANCELLED``; ``ERROR`` when a max-flow failed or
        the steps did not converge.
    t : float, optional
        The share the last (feasible) step tried.
    lower : numpy.ndarray
        Lower bound per grid arc at ``t``, in flow units (``floor(t * D_g)``).
    max_flows : int
        Max-flow solves it took.
    """

    status: Status
    t: float | None
    lower: np.ndarray
    max_flows: int


class _Feasibility:
    """One max-flow network that checks whether a flow meets given lower bounds.

    Arcs ``0..m-1`` are the network's (capacity ``cap - lower``), then
    ``s* -> v`` and ``v -> t*`` for every node, with the capacities of the
    node's positive and negative excess.
    """

    def __init__(
        self,
        tail: np.ndarray,
        head: np.ndarray,
        lower: np.ndarray,
        cap: np.ndarray,
        supply: np.ndarray,
    ) -> None:
        self.tail, self.head = tail.astype(np.int64), head.astype(np.int64)
        self.lower, self.cap = lower.astype(np.int64), cap.astype(np.int64)
        self.supply = supply.astype(np.int64)
        n = len(self.supply)
        self.n, self.m = n, len(self.tail)
        self.source, self.sink = n, n + 1
        nodes = np.arange(n, dtype=np.int64)
        self.flow = max_flow.SimpleMaxFlow()
        zeros = np.zeros(n, dtype=np.int64)
        self.flow.add_arcs_with_capacity(
            np.concatenate([self.tail, np.full(n, self.source), nodes]),
            np.concatenate([self.head, nodes, np.full(n, self.sink)]),
            np.concatenate([self.cap - self.lower, zeros, zeros]),
        )
        self.all_arcs = np.arange(self.m + 2 * n, dtype=np.int64)

    def feasible(self, lower: np.ndarray) -> tuple[bool, np.ndarray]:
        """Whether a flow meets ``lower`` (per arc); else the source side of a min cut."""
        excess = self.supply.copy()
        np.add.at(excess, self.head, lower)
        np.subtract.at(excess, self.tail, lower)
        caps = np.concatenate([self.cap - lower, np.maximum(excess, 0), np.maximum(-excess, 0)])
        self.flow.set_arcs_capacity(self.all_arcs, caps)
        status = self.flow.solve(self.source, self.sink)
        if status != self.flow.OPTIMAL:
            raise ArithmeticError(f"max-flow failed with status {status}")
        need = int(np.maximum(excess, 0).sum())
        if self.flow.optimal_flow() >= need:
            return True, np.zeros(0, dtype=bool)
        side = np.asarray(self.flow.get_source_side_min_cut(), dtype=np.int64)
        inside = np.zeros(self.n + 2, dtype=bool)
        inside[side] = True
        return False, inside[: self.n]


def lowest_share(
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    supply: np.ndarray,
    grid_arcs: np.ndarray,
    demand: np.ndarray,
    *,
    cancel: Cancel | None = None,
) -> LowestShare:
    """The largest ``t`` in ``[0, 1]`` for which a flow meets ``floor(t * demand)`` on grid arcs.

    Parameters
    ----------
    tail, head, lower, cap : numpy.ndarray
        The network's arcs; bounds in whole flow units (``lower <= cap``).
    supply : numpy.ndarray
        Supply per node (negative: demand), summing to 0.
    grid_arcs : numpy.ndarray
        Indices of the arcs ``g -> T`` that carry the equity rows.
    demand : numpy.ndarray
        ``D_g`` in flow units per grid arc (float); the lower bound of a grid
        arc at ``t`` is ``max(lower, floor(t * D_g))``, at most its capacity.
    cancel : Cancel, optional
        Checked before every max-flow.
    """
    none = np.zeros(0, dtype=np.int64)
    if np.any(lower > cap):
        return LowestShare(Status.INFEASIBLE, None, none, 0)
    net = _Feasibility(tail, head, lower, cap, supply)
    demand = np.asarray(demand, dtype=float)
    grid_arcs = np.asarray(grid_arcs, dtype=np.int64)
    if (net.lower[grid_arcs] != 0).any():
        raise ValueError("grid arcs must have no lower bound of their own")
    head_g, tail_g = net.head[grid_arcs], net.tail[grid_arcs]
    t = 1.0
    for step in range(1, MAX_NEWTON_STEPS + 1):
        if cancel is not None and cancel.is_set:
            return LowestShare(Status.CANCELLED, None, none, step - 1)
        on_grid = np.minimum(np.floor(t * demand).astype(np.int64), net.cap[grid_arcs])
        low = net.lower.copy()
        low[grid_arcs] = on_grid
        try:
            ok, inside = net.feasible(low)
        except ArithmeticError:
            return LowestShare(Status.ERROR, None, none, step)
        if ok:
            return LowestShare(Status.OPTIMAL, t, on_grid, step)
        # d_X(t) = supply(X) + L(not X -> X) - U(X -> not X); t D_g on grid arcs entering X.
        enters = ~inside[net.tail] & inside[net.head]
        leaves = inside[net.tail] & ~inside[net.head]
        constant = float(net.supply[inside].sum()) + float(net.lower[enters].sum())
        constant -= float(net.cap[leaves].sum())
        slope = float(demand[~inside[tail_g] & inside[head_g]].sum())
        if t == 0.0 or slope <= 0.0:
            return LowestShare(Status.INFEASIBLE, None, none, step)
        t = max(0.0, min(-constant / slope, float(np.nextafter(t, 0.0))))
    return LowestShare(Status.ERROR, None, none, MAX_NEWTON_STEPS)


def model_lowest_share(model: NetworkModel, *, cancel: Cancel | None = None) -> LowestShare:
    """:func:`lowest_share` on the ``grid`` arcs of ``model`` (every served grid, ``D_g``)."""
    part = model.arcs["grid"]
    demand = model.inputs.grid_demand[model.grids] * model.units
    grid_arcs = np.arange(part.start, part.stop, dtype=np.int64)
    args = (model.tail, model.head, model.lower, model.cap, model.supply)
    return lowest_share(*args, grid_arcs, demand, cancel=cancel)


def held_share(model: NetworkModel, share: LowestShare) -> np.ndarray:
    """Hours per grid that hold ``share`` (``grid_lower`` of :meth:`NetworkModel.solve_policy`)."""
    held = np.zeros(model.inputs.n_grids)
    # Half a unit below the whole units found, so that rounding up to units gives them back.
    held[model.grids] = np.maximum(share.lower - 0.5, 0.0) / model.units
    return held


def solve_equity(model: NetworkModel, *, cancel: Cancel | None = None) -> Solution:
    """The ``equity`` objective on the network: largest ``t``, then the stages with ``t`` held.

    Step one is :func:`model_lowest_share`; then :func:`solve_network` maximises
    ``W`` with the grid arcs' lower bounds of that ``t`` held, finds the least
    change on that optimal face and assigns the nearest centers. ``t`` in the
    solution is the lowest coverage ``served_g / D_g`` over the served grids of
    the final plan, at least the ``t`` step one proved feasible less one flow
    unit per grid. Past ``scenario.time_limit_s`` (counted from the model's
    build) after step one the plan is ``time_limit`` without values.
    """
    began = time.perf_counter()
    share = model_lowest_share(model, cancel=cancel)
    seconds = time.perf_counter() - began
    limit = model.scenario.time_limit_s
    late = limit is not None and model.build_seconds + seconds > limit
    if share.status is not Status.OPTIMAL or late:
        status = Status.TIME_LIMIT if share.status is Status.OPTIMAL else share.status
        e = np.zeros(0)
        timings = {"build": model.build_seconds, "lowest_share": seconds, "solve": seconds}
        return Solution(status, SOLVER, None, e, e, e, e, e, e, None, timings=timings)
    sol = solve_network(model, cancel=cancel, grid_lower=held_share(model, share))
    timings = {**sol.timings, "lowest_share": seconds}
    timings["solve"] = timings.get("solve", 0.0) + seconds
    if not sol.status.has_values:
        return replace(sol, timings=timings)
    inp = model.inputs
    served = np.bincount(inp.x_grid, weights=sol.x, minlength=inp.n_grids)[model.grids]
    cover = np.minimum(served / inp.grid_demand[model.grids], 1.0)
    t = float(np.min(cover, initial=1.0))
    policy = None if sol.policy is None else replace(sol.policy, lowest=share.t)
    return replace(sol, t=t, timings=timings, policy=policy)
