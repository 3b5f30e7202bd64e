"""Re-optimise a min-cost flow after a few bounds moved, from its optimum and potentials.

A marginal value re-solves stage 1 with a few bounds moved a step: one more
staff member at a center, a budget one step larger, the lowest share or the
coverage target a step higher or lower. The solved flow with its node
potentials is a start: the arcs whose new room has a negative reduced cost
are pushed to their new bound, a flow outside its new bounds is put at the
bound (its reduced cost then still has the right sign), and the imbalances
this and the new supplies leave are sent in primal-dual phases
(:func:`govopt.optimize.flow_phases.phases`). The result is an optimal flow
of the moved network, exactly, in integers (``docs/model.md``, "Shadow
prices"). When no flow is found that way, :func:`reoptimize` returns ``None``
and the caller solves the moved network from scratch.
"""

from __future__ import annotations

import numpy as np

from govopt.optimize.flow_phases import MAX_PHASES, phases
from govopt.optimize.network import FlowResult
from govopt.plan import Status

__all__ = ["reoptimize"]


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
    got = phases(n, tail, head, lower, cap, cost, supply, flow, d, max_phases=max_phases)
    if got is None:
        return None
    return FlowResult(Status.OPTIMAL, got[0], int(cost @ got[0]))
