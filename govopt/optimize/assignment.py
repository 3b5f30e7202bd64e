"""The assignment stage: with staff and funds fixed, serve each grid from the nearest centers.

The stage is a min-cost flow (``docs/model.md``, stage 3), solved exactly by
OR-Tools' cost-scaling min-cost flow on integer units (:func:`hour_units` per
hour, centimetres of distance):

``source -> center c`` (capacity: the center's hours, ``work_hours_per_staff *
staff_c + funds_c / cost_per_hour``), ``center c -> grid g`` for every link
(cost: distance), ``source -> org o`` (capacity: effective hours ``q(o) *
hours_o``), ``org o -> (g, k)`` for every organization path (cost: distance of
the relay center), ``(g, k) -> grid g`` (capacity ``D_gk``); every grid takes
the hours it was served in the earlier stages, in whole flow units: rounded
down, which always fits since capacities are rounded up, except where solver
noise left it a hair below a whole unit.

After a network solve, :func:`assign_flow` builds the same stage from stage
2's integer flow instead, in its own flow units: every grid gets exactly the
units stage 2 served it and stage 2's flow is feasible, so nothing is rounded
but distances (:func:`distance_units`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from govopt.optimize.inputs import ModelInputs
from govopt.plan import Status

__all__ = [
    "DISTANCE_UNITS_PER_M",
    "MAX_HOUR_UNITS",
    "Assignment",
    "StageNetwork",
    "assign_flow",
    "assign_nearest",
    "distance_units",
    "failed",
    "hour_units",
    "read_assignment",
    "stage_network",
]

MAX_HOUR_UNITS = 10**6
DISTANCE_UNITS_PER_M = 100
_INT64_MAX = np.iinfo(np.int64).max
_HEADROOM = 8
_DISTANCE_STEPS = (100.0, 10.0, 1.0, 0.1)


@dataclass(frozen=True, eq=False)
class Assignment:
    """Hours on each link and organization path after the assignment stage.

    ``link_hours`` follows ``inputs.l_center, l_grid``; ``org_hours`` (raw
    organization hours, before the rating quality) follows ``inputs.y_org,
    y_grid``. ``distance_m_hours`` is ``sum d * effective hours``.
    """

    status: Status
    link_hours: np.ndarray
    org_hours: np.ndarray
    distance_m_hours: float


def hour_units(total_hours: float, max_distance_m: float) -> int:
    """Flow units per hour: the finest power of ten (at most 10**6) that cannot overflow.

    The network solver sums ``cost * flow`` in 64-bit integers; the bound
    ``max cost * total flow`` is kept a factor ``_HEADROOM`` below ``2**63``.
    """
    cost = max(max_distance_m * DISTANCE_UNITS_PER_M, 1.0)
    room = _INT64_MAX / _HEADROOM / (cost * max(total_hours, 1.0))
    if room < 1:
        raise OverflowError("distances times hours exceed the integer range of the flow solver")
    return int(min(MAX_HOUR_UNITS, 10 ** np.floor(np.log10(room))))


def _units(hours: np.ndarray, how: str, units: int) -> np.ndarray:
    """Hours in flow units: ``up`` (capacities), ``down`` or ``snap`` (down, except within
    a hundredth of a unit below a whole unit, which is solver noise)."""
    scaled = np.asarray(hours, dtype=float) * units
    if how == "up":
        rounded = np.ceil(scaled - 1e-6)
    else:
        rounded = np.floor(scaled)
        if how == "snap":
            near = np.round(scaled)
            rounded = np.where(np.abs(scaled - near) < 1e-2, near, rounded)
    return np.maximum(rounded, 0).astype(np.int64)


def distance_units(max_distance_m: float, total_units: float, n_nodes: int) -> float:
    """Distance units per metre: centimetres, else the finest of dm, m or 10 m that is safe.

    Kept a factor ``_HEADROOM`` below ``2**63``: ``max cost * total flow`` and
    ``max cost * (n_nodes + 1)`` (OR-Tools' cost scaling).

    Raises
    ------
    OverflowError
        When not even 10 m units fit.
    """
    for per_m in _DISTANCE_STEPS:
        cost = max(max_distance_m * per_m, 1.0)
        if cost * max(total_units, 1.0) * _HEADROOM < _INT64_MAX and (
            cost * (n_nodes + 1) * _HEADROOM < _INT64_MAX
        ):
            return per_m
    raise OverflowError("distances times flow exceed the integer range of the flow solver")


@dataclass(frozen=True, eq=False)
class StageNetwork:
    """The assignment stage as arcs, in flow and distance units (``docs/model.md``, stage 3).

    Arcs in order: ``source -> center`` and ``source -> org`` (``n_supply``),
    the links (``first_link`` on, ``n_links``), the organization paths (``n_paths``),
    then ``(g, k) -> grid``. ``supplies`` balance: the source offers every unit
    the grids need.
    """

    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    first_link: int
    n_links: int
    n_paths: int


def stage_network(
    inputs: ModelInputs,
    supply_c: np.ndarray,
    supply_o: np.ndarray,
    cap_pair: np.ndarray,
    need: np.ndarray,
) -> StageNetwork:
    """Arcs, capacities, costs and supplies of the assignment stage (see :func:`assign_flow`).

    Raises
    ------
    OverflowError
        When no distance unit keeps the sums within 64 bits.
    """
    n_c, n_g = inputs.n_centers, inputs.n_grids
    n_o = len(inputs.org_hours)
    n_k = max(len(inputs.categories), 1)
    gk, gk_row = np.unique(inputs.y_grid * n_k + inputs.y_cat, return_inverse=True)
    off_c, off_o = 1, 1 + n_c
    off_gk = off_o + n_o
    off_g = off_gk + len(gk)
    n_nodes = off_g + n_g
    far = max(float(inputs.l_dist.max(initial=0.0)), float(inputs.y_dist.max(initial=0.0)))
    per_m = distance_units(far, float(need.sum()), n_nodes)
    link_cap = np.minimum(supply_c[inputs.l_center], need[inputs.l_grid])
    path_cap = np.minimum(supply_o[inputs.y_org], cap_pair[gk_row])
    tails = np.concatenate(
        [
            np.zeros(n_c + n_o, dtype=np.int64),
            off_c + inputs.l_center,
            off_o + inputs.y_org,
            off_gk + np.arange(len(gk)),
        ]
    )
    heads = np.concatenate(
        [
            off_c + np.arange(n_c),
            off_o + np.arange(n_o),
            off_g + inputs.l_grid,
            off_gk + gk_row,
            off_g + gk // n_k,
        ]
    )
    caps = np.concatenate([supply_c, supply_o, link_cap, path_cap, cap_pair])
    costs = np.concatenate(
        [
            np.zeros(n_c + n_o, dtype=np.int64),
            np.round(inputs.l_dist * per_m).astype(np.int64),
            np.round(inputs.y_dist * per_m).astype(np.int64),
            np.zeros(len(gk), dtype=np.int64),
        ]
    )
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[off_g:] = -need
    supplies[0] = need.sum()
    return StageNetwork(
        tails=tails.astype(np.int64),
        heads=heads.astype(np.int64),
        caps=caps.astype(np.int64),
        costs=costs,
        supplies=supplies,
        first_link=n_c + n_o,
        n_links=len(inputs.l_center),
        n_paths=len(inputs.y_org),
    )


def read_assignment(
    inputs: ModelInputs, network: StageNetwork, flows: np.ndarray, units: int
) -> Assignment:
    """The optimal :class:`Assignment` from the flow on each arc of ``network`` (flow units)."""
    values = np.asarray(flows, dtype=float) / units
    first, n_l, n_y = network.first_link, network.n_links, network.n_paths
    link_hours = values[first : first + n_l]
    effective = values[first + n_l : first + n_l + n_y]
    quality = inputs.org_quality[inputs.y_org]
    org_hours = np.divide(effective, quality, out=np.zeros(n_y), where=quality > 0)
    distance = float(inputs.l_dist @ link_hours + inputs.y_dist @ effective)
    return Assignment(Status.OPTIMAL, link_hours, org_hours, distance)


def failed(inputs: ModelInputs, status: Status) -> Assignment:
    """An :class:`Assignment` without values, with ``status``."""
    n_l, n_y = len(inputs.l_center), len(inputs.y_org)
    return Assignment(status, np.zeros(n_l), np.zeros(n_y), float("nan"))


def assign_flow(
    inputs: ModelInputs,
    supply_c: np.ndarray,
    supply_o: np.ndarray,
    cap_pair: np.ndarray,
    need: np.ndarray,
    units: int,
) -> Assignment:
    """The assignment stage on integer flow units (``units`` per hour), by OR-Tools.

    Parameters
    ----------
    inputs : ModelInputs
        Links, organization paths and demand.
    supply_c, supply_o : numpy.ndarray
        Units each center (generic hours) and organization (effective hours) offers.
    cap_pair : numpy.ndarray
        Units each ``(g, k)`` pair of the organization paths takes at most (``D_gk``),
        in the order of ``numpy.unique(y_grid * n_k + y_cat)``.
    need : numpy.ndarray
        Units each grid must receive, exactly.

    Returns
    -------
    Assignment
        ``status`` is optimal, or infeasible when ``need`` cannot be met.

    Raises
    ------
    OverflowError
        When no distance unit keeps the sums within 64 bits.
    """
    net = stage_network(inputs, supply_c, supply_o, cap_pair, need)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.caps, net.costs)
    flow.set_nodes_supplies(np.arange(len(net.supplies)), net.supplies)
    result = flow.solve()
    if result != flow.OPTIMAL:
        return failed(inputs, Status.INFEASIBLE if result == flow.INFEASIBLE else Status.ERROR)
    return read_assignment(inputs, net, flow.flows(np.arange(len(net.tails))), units)


def assign_nearest(inputs: ModelInputs, center_hours: np.ndarray, served: np.ndarray) -> Assignment:
    """Serve ``served`` hours per grid from the nearest centers that can, at least distance.

    Parameters
    ----------
    inputs : ModelInputs
        Links, organization paths and demand.
    center_hours : numpy.ndarray
        Generic hours each center offers (staff and purchased), one per center.
    served : numpy.ndarray
        Hours each grid must receive, one per grid (from the policy stages).

    Returns
    -------
    Assignment
        ``status`` is optimal, or infeasible when ``served`` cannot be met.
    """
    n_k = max(len(inputs.categories), 1)
    gk = np.unique(inputs.y_grid * n_k + inputs.y_cat)
    far = max(float(inputs.l_dist.max(initial=0.0)), float(inputs.y_dist.max(initial=0.0)))
    units = hour_units(float(np.sum(served)), far)
    supply_c = _units(center_hours, "up", units)
    supply_o = _units(inputs.org_quality * inputs.org_hours, "up", units)
    cap_gk = _units(inputs.demand.reshape(-1)[gk], "up", units)
    result = assign_flow(inputs, supply_c, supply_o, cap_gk, _units(served, "snap", units), units)
    if result.status is Status.INFEASIBLE:
        # Snapped up by solver noise past a capacity: every grid rounded down always fits.
        need = _units(served, "down", units)
        result = assign_flow(inputs, supply_c, supply_o, cap_gk, need, units)
    return result
