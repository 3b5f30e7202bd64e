"""Re-optimise a min-cost flow after a small relaxation, from its optimum and potentials.

A marginal value re-solves stage 1 with one bound moved a step: one more
staff member at a center, a budget one step larger. The moved network is a
relaxation of the solved one (capacities and supplies grow, lower bounds
fall), so the solved flow with its node potentials is a start: the arcs whose
new room has a negative reduced cost are pushed to their new bound, and the
imbalances this and the new supplies leave are sent by successive shortest
paths (Dijkstra on reduced costs, which stay at least 0). The result is an
optimal flow of the moved network, exactly, in integers (``docs/model.md``,
"Shadow prices"). When the move is not a relaxation, or more than
``max_paths`` paths would be needed, :func:`reoptimize` returns ``None`` and
the caller solves the moved network from scratch.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from govopt.optimize.network import FlowResult
from govopt.plan import Status

__all__ = ["MAX_PATHS", "reoptimize"]

MAX_PATHS = 40
_EXACT_FLOAT = 2.0**52


def _residual(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    rc: np.ndarray,
    flow: np.ndarray,
) -> tuple[csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """The residual network as a CSR of reduced costs, one entry per node pair (the cheapest
    residual arc), with the arc each entry stands for (``+a`` forward, ``-a - 1`` backward)."""
    fwd = np.flatnonzero(flow < cap)
    bwd = np.flatnonzero(flow > lower)
    u = np.concatenate([tail[fwd], head[bwd]])
    v = np.concatenate([head[fwd], tail[bwd]])
    w = np.concatenate([rc[fwd], -rc[bwd]])
    ref = np.concatenate([fwd, -bwd - 1])
    key = u * n + v
    order = np.lexsort((w, key))
    key, w, ref = key[order], w[order], ref[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, w, ref = key[first], w[first], ref[first]
    graph = csr_matrix((w.astype(float), (key // n, key % n)), shape=(n, n))
    return graph, key, ref, w


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
    max_paths: int = MAX_PATHS,
) -> FlowResult | None:
    """An optimal flow of ``new = (lower, cap, supply)`` from ``flow``, optimal for ``old``.

    Parameters
    ----------
    n, tail, head, cost
        The network (integer arrays); the same in both problems.
    old, new : tuple of numpy.ndarray
        ``(lower, cap, supply)`` in flow units; ``new`` must relax ``old``
        (lower bounds no higher, capacities no lower).
    flow, d : numpy.ndarray
        The optimal flow of ``old`` and node potentials that prove it
        (``cost + d[tail] - d[head]`` at least 0 where ``flow < cap``, at most 0
        where ``flow > lower``).
    max_paths : int
        Paths to send at most.

    Returns
    -------
    FlowResult or None
        The new optimum, with its cost; ``None`` when ``new`` does not relax
        ``old``, the costs are too large for exact float paths, or more than
        ``max_paths`` paths would be needed.
    """
    lower0, cap0, _ = old
    lower, cap, supply = new
    if np.any(lower > lower0) or np.any(cap < cap0):
        return None
    flow = flow.copy()
    d = d.astype(np.int64).copy()
    rc = cost + d[tail] - d[head]
    up = (cap > cap0) & (rc < 0)
    flow[up] = cap[up]
    down = (lower < lower0) & (rc > 0)
    flow[down] = lower[down]
    excess = supply - np.bincount(tail, weights=flow, minlength=n).astype(np.int64)
    excess += np.bincount(head, weights=flow, minlength=n).astype(np.int64)
    for _ in range(max_paths + 1):
        sources = np.flatnonzero(excess > 0)
        if len(sources) == 0:
            return FlowResult(Status.OPTIMAL, flow, int(cost @ flow))
        rc = cost + d[tail] - d[head]
        graph, key, ref, w = _residual(n, tail, head, lower, cap, rc, flow)
        if len(w) and float(np.abs(w).max()) * n > _EXACT_FLOAT:
            return None
        dist, pred, _ = dijkstra(
            graph, directed=True, indices=sources, return_predecessors=True, min_only=True
        )
        sinks = np.flatnonzero((excess < 0) & np.isfinite(dist))
        if len(sinks) == 0:
            return None
        sink = int(sinks[np.argmin(dist[sinks])])
        path = [sink]
        while pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        nodes = np.array(path[::-1], dtype=np.int64)
        arcs = ref[np.searchsorted(key, nodes[:-1] * n + nodes[1:])]
        forward = arcs >= 0
        index = np.where(forward, arcs, -arcs - 1)
        room = np.where(forward, cap[index] - flow[index], flow[index] - lower[index])
        amount = int(min(excess[nodes[0]], -excess[sink], int(room.min())))
        flow[index[forward]] += amount
        flow[index[~forward]] -= amount
        excess[nodes[0]] -= amount
        excess[sink] += amount
        reach = float(dist[sink])
        step = np.where(np.isfinite(dist), np.minimum(dist, reach), reach)
        d += np.round(step).astype(np.int64)
    return None
