"""Re-optimise a min-cost flow after a few bounds moved, from its optimum and potentials.

A marginal value re-solves stage 1 with a few bounds moved a step: one more
staff member at a center, a budget one step larger, the lowest share or the
coverage target a step higher or lower. The solved flow with its node
potentials is a start: the arcs whose new room has a negative reduced cost
are pushed to their new bound, a flow outside its new bounds is put at the
bound (its reduced cost then still has the right sign), and the imbalances
this and the new supplies leave are sent in primal-dual phases:
Dijkstra on reduced costs (which stay at least 0) raises the potentials by the
distances, then one max-flow sends the most it can on the arcs of zero reduced
cost, the shortest paths. The result is an optimal flow of the moved network,
exactly, in integers (``docs/model.md``, "Shadow prices"). When more than
``max_phases`` phases would be needed, or no feasible flow is found,
:func:`reoptimize` returns ``None`` and the caller solves the moved network
from scratch.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from govopt.optimize.network import FlowResult
from govopt.plan import Status

__all__ = ["MAX_PHASES", "reoptimize"]

MAX_PHASES = 40
_EXACT_FLOAT = 2.0**52


def _residual(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    rc: np.ndarray,
    flow: np.ndarray,
) -> tuple[csr_matrix, np.ndarray]:
    """The residual network as a CSR of reduced costs, one entry per node pair (the cheapest
    residual arc between them), and those costs."""
    fwd = flow < cap
    bwd = flow > lower
    u = np.concatenate([tail[fwd], head[bwd]])
    v = np.concatenate([head[fwd], tail[bwd]])
    w = np.concatenate([rc[fwd], -rc[bwd]])
    key = u * n + v
    order = np.lexsort((w, key))
    key, w = key[order], w[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, w = key[first], w[first]
    return csr_matrix((w.astype(float), (key // n, key % n)), shape=(n, n)), w


def _admissible_flow(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    room: np.ndarray,
    excess: np.ndarray,
) -> np.ndarray:
    """The most flow from the nodes of positive ``excess`` to those of negative, on residual
    arcs ``tail -> head`` of ``room`` (one max-flow through a super source and sink)."""
    src, snk = n, n + 1
    give = np.flatnonzero(excess > 0)
    take = np.flatnonzero(excess < 0)
    mf = max_flow.SimpleMaxFlow()
    mf.add_arcs_with_capacity(
        np.concatenate([tail, np.full(len(give), src), take]),
        np.concatenate([head, give, np.full(len(take), snk)]),
        np.concatenate([room, excess[give], -excess[take]]),
    )
    if mf.solve(src, snk) != mf.OPTIMAL:
        return np.zeros(len(tail), dtype=np.int64)
    return np.asarray(mf.flows(np.arange(len(tail))), dtype=np.int64)


def reoptimize(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    cost: np.ndarray,
    old: tuple[np.ndarray, np.ndarray, np.ndarray],
    new: tuple[np.ndarray, np.ndarray, np.ndarray],
    flow: np.ndarray,
    d: np.ndarray,
    *,
    max_phases: int = MAX_PHASES,
) -> FlowResult | None:
    """An optimal flow of ``new = (lower, cap, supply)`` from ``flow``, optimal for ``old``.

    Parameters
    ----------
    n, tail, head, cost
        The network (integer arrays); the same in both problems.
    old, new : tuple of numpy.ndarray
        ``(lower, cap, supply)`` in flow units.
    flow, d : numpy.ndarray
        The optimal flow of ``old`` and node potentials that prove it
        (``cost + d[tail] - d[head]`` at least 0 where ``flow < cap``, at most 0
        where ``flow > lower``).
    max_phases : int
        Shortest-path phases to run at most.

    Returns
    -------
    FlowResult or None
        The new optimum, with its cost; ``None`` when no flow could be found
        this way (infeasible, or more than ``max_phases`` phases), or the costs
        are too large for exact float paths.
    """
    lower0, cap0, _ = old
    lower, cap, supply = new
    if np.any(lower > cap):
        return None
    flow = flow.copy()
    d = d.astype(np.int64).copy()
    rc = cost + d[tail] - d[head]
    up = (cap > cap0) & (rc < 0)
    flow[up] = cap[up]
    down = (lower < lower0) & (rc > 0)
    flow[down] = lower[down]
    np.clip(flow, lower, cap, out=flow)
    excess = supply - np.bincount(tail, weights=flow, minlength=n).astype(np.int64)
    excess += np.bincount(head, weights=flow, minlength=n).astype(np.int64)
    for _ in range(max_phases + 1):
        sources = np.flatnonzero(excess > 0)
        if len(sources) == 0:
            return FlowResult(Status.OPTIMAL, flow, int(cost @ flow))
        rc = cost + d[tail] - d[head]
        graph, w = _residual(n, tail, head, lower, cap, rc, flow)
        if len(w) and float(np.abs(w).max()) * n > _EXACT_FLOAT:
            return None
        dist = dijkstra(graph, directed=True, indices=sources, min_only=True)
        sinks = np.flatnonzero((excess < 0) & np.isfinite(dist))
        if len(sinks) == 0:
            return None
        reach = float(dist[sinks].min())
        d += np.round(np.where(np.isfinite(dist), np.minimum(dist, reach), reach)).astype(np.int64)
        # Every arc of zero reduced cost now lies on a shortest path: send the most along them.
        rc = cost + d[tail] - d[head]
        fwd = np.flatnonzero((flow < cap) & (rc == 0))
        bwd = np.flatnonzero((flow > lower) & (rc == 0))
        sent = _admissible_flow(
            n,
            np.concatenate([tail[fwd], head[bwd]]),
            np.concatenate([head[fwd], tail[bwd]]),
            np.concatenate([cap[fwd] - flow[fwd], flow[bwd] - lower[bwd]]),
            excess,
        )
        if not sent.any():
            return None
        flow[fwd] += sent[: len(fwd)]
        flow[bwd] -= sent[len(fwd) :]
        excess = supply - np.bincount(tail, weights=flow, minlength=n).astype(np.int64)
        excess += np.bincount(head, weights=flow, minlength=n).astype(np.int64)
    return None
