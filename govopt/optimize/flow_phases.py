"""Min-cost flow by primal-dual phases: Dijkstra on reduced costs, then one max-flow.

From a flow within its bounds and node potentials ``d`` for which every
residual arc has a reduced cost ``cost + d[tail] - d[head]`` of at least 0,
each phase finds the distances from the nodes with excess (Dijkstra, scipy),
raises the potentials by them (capped at the nearest node short of flow, so
that every reduced cost stays at least 0) and sends the most it can from the
nodes with excess to those short of flow along the arcs of zero reduced cost,
the shortest paths (one max-flow, OR-Tools). A phase ends every path of its
length, so the phases number the distinct shortest-path lengths, which is few
when the costs take few values: stages 1 and 2 of ``docs/model.md`` price
priorities, wages and moves, a handful of values. In integers, the flow is an
optimal one when the last imbalance is gone, proved by the potentials.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

__all__ = ["FEW_COSTS", "MAX_PHASES", "PhaseResult", "few_costs", "imbalance", "phases", "start"]

MAX_PHASES = 40
FEW_COSTS = 16
_EXACT_FLOAT = 2.0**52

PhaseResult = tuple[np.ndarray, np.ndarray]


def imbalance(
    n: int, tail: np.ndarray, head: np.ndarray, flow: np.ndarray, supply: np.ndarray
) -> np.ndarray:
    """Supply each node has left to send (negative: still to receive) under ``flow``."""
    left = supply - np.bincount(tail, weights=flow, minlength=n).astype(np.int64)
    return left + np.bincount(head, weights=flow, minlength=n).astype(np.int64)


def start(lower: np.ndarray, cap: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """A start for :func:`phases` with potentials 0: arcs of negative cost at capacity, the rest
    at their lower bound."""
    return np.where(cost < 0, cap, lower)


def few_costs(cost: np.ndarray) -> bool:
    """Whether the costs take at most :data:`FEW_COSTS` values, so that few phases are likely."""
    return len(np.unique(cost)) <= FEW_COSTS


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
    w = np.concatenate([rc[fwd], -rc[bwd]]).astype(float)
    graph = csr_matrix((w, (u, v)), shape=(n, n))
    if graph.nnz < len(w):  # parallel residual arcs were summed: keep the cheapest instead
        key = u * n + v
        order = np.lexsort((w, key))
        key, w = key[order], w[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        key, w = key[first], w[first]
        graph = csr_matrix((w, (key // n, key % n)), shape=(n, n))
    return graph, w


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


def phases(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    cost: np.ndarray,
    supply: np.ndarray,
    flow: np.ndarray,
    d: np.ndarray | None = None,
    *,
    max_phases: int = MAX_PHASES,
) -> PhaseResult | None:
    """An optimal flow and its potentials, from ``flow`` (within the bounds) and ``d``.

    Parameters
    ----------
    n, tail, head, lower, cap, cost, supply
        The network in integers: nodes, arcs, bounds, costs and supplies.
    flow, d : numpy.ndarray
        A start within ``lower`` and ``cap`` and potentials (``None``: 0) under
        which every residual arc has a reduced cost of at least 0.
    max_phases : int
        Phases to run at most.

    Returns
    -------
    tuple of numpy.ndarray or None
        ``(flow, d)``; ``None`` when no flow meets the supplies from there, more
        than ``max_phases`` phases would be needed, or the costs are too large
        for exact float distances.
    """
    flow = flow.astype(np.int64, copy=True)
    d = np.zeros(n, dtype=np.int64) if d is None else d.astype(np.int64, copy=True)
    excess = imbalance(n, tail, head, flow, supply)
    for _ in range(max_phases + 1):
        sources = np.flatnonzero(excess > 0)
        if len(sources) == 0:
            return flow, d
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
        excess = imbalance(n, tail, head, flow, supply)
    return None
