"""A basic (spanning-tree) flow from any feasible flow, by cancelling cycles of free arcs.

An arc is *free* when its flow lies strictly between its bounds. A flow is
basic (a vertex of the flow polytope) exactly when its free arcs form a
forest. :func:`basic_flow` pushes flow around each cycle of free arcs, in the
direction that does not raise the cost, until one of its arcs reaches a
bound; on an optimal flow every such cycle costs nothing, so the optimum and
every node's balance are kept exactly (``docs/model.md``, "Network engine").

The free arcs are kept as a spanning forest of parent pointers; an arc that
closes a cycle is a pivot as in the network simplex method: the arc that
reaches its bound leaves the forest and the new arc takes its place, so the
forest's components never change and each free arc is looked at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govopt.optimize.network import FlowResult
from govopt.plan import Status

__all__ = ["Basis", "basic_flow", "basic_stage", "free_cycles"]


@dataclass(frozen=True, eq=False)
class Basis:
    """A basic flow: flow per arc (integer units), cycles cancelled, cost change.

    ``cost_change`` is ``cost . (flow - start)``: at most 0, and 0 when the
    starting flow was optimal.
    """

    flow: np.ndarray
    cycles: int
    cost_change: int


def _find(parent: list[int], x: int) -> int:
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


def _meet(over: list[int], u: int, v: int) -> int:
    """The lowest common ancestor of ``u`` and ``v`` in the forest ``over`` (one tree).

    Both climb one step at a time; the first node one of them reaches that the
    other has passed is the lowest they share, so the walk is as long as the
    cycle, not as deep as the tree.
    """
    if u == v:
        return u
    up_u, up_v = {u}, {v}
    x, y = u, v
    while True:
        if x != -1:
            x = over[x]
            if x in up_v:
                return x
            up_u.add(x)
        if y != -1:
            y = over[y]
            if y in up_u:
                return y
            up_v.add(y)


def free_cycles(tail: np.ndarray, head: np.ndarray, free: np.ndarray, n_nodes: int) -> int:
    """Independent cycles among the ``free`` arcs: free arcs less those of a spanning forest."""
    parent = list(range(n_nodes))
    cycles = 0
    for u, v in zip(tail[free].tolist(), head[free].tolist(), strict=True):
        ru, rv = _find(parent, u), _find(parent, v)
        if ru == rv:
            cycles += 1
        else:
            parent[ru] = rv
    return cycles


def basic_flow(
    n_nodes: int,
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    flow: np.ndarray,
    cost: np.ndarray,
) -> Basis:
    """A basic flow with the same node balances as ``flow`` and a cost no higher.

    Parameters
    ----------
    n_nodes : int
        Number of nodes.
    tail, head, lower, cap, flow, cost : numpy.ndarray
        Arcs, their bounds, a flow within them and costs per unit (integers).

    Returns
    -------
    Basis
        A flow whose free arcs form a forest.
    """
    flow = np.asarray(flow, dtype=np.int64).copy()
    free = np.flatnonzero((flow > lower) & (flow < cap))
    # Only free arcs change, and only their ends are visited: both renumbered from 0.
    ends, local = np.unique(np.concatenate([tail[free], head[free]]), return_inverse=True)
    tails, heads = local[: len(free)].tolist(), local[len(free) :].tolist()
    low, up, unit = lower[free].tolist(), cap[free].tolist(), cost[free].tolist()
    f = flow[free].tolist()
    n_nodes = len(ends)
    # Spanning forest of the free arcs: union-find picks its arcs, the rest close cycles.
    comp = list(range(n_nodes))
    adjacent: dict[int, list[int]] = {}
    closing: list[int] = []
    for a in range(len(free)):
        u, v = tails[a], heads[a]
        ru, rv = _find(comp, u), _find(comp, v)
        if ru == rv:
            closing.append(a)
            continue
        comp[ru] = rv
        adjacent.setdefault(u, []).append(a)
        adjacent.setdefault(v, []).append(a)
    # Parent pointers: up[node] is the arc to its parent (-1 at a root), over[node] the parent.
    over = [-1] * n_nodes
    via = [-1] * n_nodes
    seen = [False] * n_nodes
    for root in adjacent:
        if seen[root]:
            continue
        seen[root] = True
        stack = [root]
        while stack:
            x = stack.pop()
            for a in adjacent[x]:
                y = heads[a] if tails[a] == x else tails[a]
                if not seen[y]:
                    seen[y] = True
                    over[y], via[y] = x, a
                    stack.append(y)
    change = 0
    for e in closing:
        u, v = tails[e], heads[e]
        # The cycle: e from u to v, then the forest path from v back to u.
        top = _meet(over, u, v)
        # Arcs along the cycle u -> v -> ... -> top -> ... -> u, +1 where the cycle runs
        # along an arc, and the node below each arc in the forest (v's side first).
        arcs, signs, below = [e], [1], [-1]
        price = unit[e]
        x = v
        while x != top:  # from x up to its parent
            a = via[x]
            s = 1 if tails[a] == x else -1
            arcs.append(a)
            signs.append(s)
            below.append(x)
            price += s * unit[a]
            x = over[x]
        on_v = len(arcs)
        side_u: list[int] = []
        x = u
        while x != top:
            side_u.append(x)
            x = over[x]
        for y in reversed(side_u):  # from the parent down to y
            a = via[y]
            s = 1 if heads[a] == y else -1
            arcs.append(a)
            signs.append(s)
            below.append(y)
            price += s * unit[a]
        turn = -1 if price > 0 else 1
        step, leave = up[e] + 1 - low[e], 0
        for i, a in enumerate(arcs):
            room = up[a] - f[a] if signs[i] == turn else f[a] - low[a]
            if room < step:
                step, leave = room, i
        push = turn * step
        for a, s in zip(arcs, signs, strict=True):
            f[a] += s * push
        change += turn * price * step
        if leave == 0:
            continue
        # e enters the forest and the arc that reached its bound leaves: the subtree below
        # it is hung from e, re-rooted at e's end inside it.
        bottom = below[leave]
        x, parent, arc = (v, u, e) if leave < on_v else (u, v, e)
        while True:
            nxt, nxt_arc = over[x], via[x]
            over[x], via[x] = parent, arc
            if x == bottom:
                break
            x, parent, arc = nxt, x, nxt_arc
    flow[free] = f
    return Basis(flow, len(closing), int(change))


def basic_stage(
    n_nodes: int,
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    cost: np.ndarray,
    optimum: FlowResult,
) -> FlowResult:
    """The optimal flow ``optimum`` of a min-cost flow made basic: same cost, same balances.

    ``optimum`` itself if a cycle changed the cost (it was not optimal after all).
    """
    basis = basic_flow(n_nodes, tail, head, lower, cap, optimum.flow, cost)
    if basis.cost_change != 0:
        return optimum
    return FlowResult(Status.OPTIMAL, basis.flow, optimum.cost)
