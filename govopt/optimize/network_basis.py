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
        mark: dict[int, int] = {}
        x, i = u, 0
        while x != -1:
            mark[x] = i
            x, i = over[x], i + 1
        side_v: list[int] = []
        x = v
        while x not in mark:
            side_v.append(x)
            x = over[x]
        top = x
        side_u: list[int] = []
        x = u
        while x != top:
            side_u.append(x)
            x = over[x]
        # Arcs along the cycle u -> v -> ... -> top -> ... -> u: (arc, +1 when the cycle runs
        # along it, the node below it in the forest, whether that node is on v's side).
        path: list[tuple[int, int, int, bool]] = [(e, 1, -1, False)]
        for y in side_v:  # from y up to its parent
            a = via[y]
            path.append((a, 1 if tails[a] == y else -1, y, True))
        for y in reversed(side_u):  # from the parent down to y
            a = via[y]
            path.append((a, 1 if heads[a] == y else -1, y, False))
        price = sum(s * unit[a] for a, s, _, _ in path)
        turn = -1 if price > 0 else 1
        step, leave = up[e] + 1 - low[e], 0
        for i, (a, s, _, _) in enumerate(path):
            room = up[a] - f[a] if s * turn > 0 else f[a] - low[a]
            if room < step:
                step, leave = room, i
        for a, s, _, _ in path:
            f[a] += s * turn * step
        change += turn * price * step
        if leave == 0:
            continue
        # e enters the forest and the arc that reached its bound leaves: the subtree below
        # it is hung from e, re-rooted at e's end inside it.
        _, _, below, on_v = path[leave]
        x, parent, arc = (v, u, e) if on_v else (u, v, e)
        while True:
            nxt, nxt_arc = over[x], via[x]
            over[x], via[x] = parent, arc
            if x == below:
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
