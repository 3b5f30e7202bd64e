"""The continuous allocation LP as a min-cost flow (``docs/model.md``, "Network engine").

Built straight from :class:`~govopt.optimize.inputs.ModelInputs` as numpy
arrays and solved exactly by OR-Tools' ``SimpleMinCostFlow`` on integer units.

Nodes (offsets in :class:`Layout`): ``S`` source, ``T`` sink, ``STAFF`` and
``FUNDS`` pools, ``KEPT`` and ``FKEPT`` (staff and funds kept at their center),
per center ``c`` a staff node ``cs_c``, a funds node ``cf_c`` and the center
node ``c``; per organization ``o``; per pair ``(g, k)`` on organization paths;
per grid ``g``. Arcs come in named families (:data:`ARC_FAMILIES`, slices in
:attr:`NetworkModel.arcs`), flows in hours:

=================  ==================  ========================================
family             arcs                lower, capacity (hours)
=================  ==================  ========================================
``staff_budget``   S -> STAFF          0, ``H staff_total`` (rows ``budget_staff``)
``staff_kept``     STAFF -> KEPT       ``H max(0, sum staff0 - max_transfers)``,
                                       ``H sum staff0`` (rows ``transfers``)
``staff_today``    KEPT -> cs_c        0, ``H staff0_c``
``staff_new``      STAFF -> cs_c       0, ``H max_staff_c``
``staff``          cs_c -> c           ``H min_staff_c``, ``H max_staff_c``
``funds_budget``   S -> FUNDS          0, ``funds_total / p``
``funds_kept``     FUNDS -> FKEPT      ``max(0, sum funds0 - max_funds_moved) / p``
``funds_today``    FKEPT -> cf_c       0, ``funds0_c / p`` (centers with funds today)
``funds_new``      FUNDS -> cf_c       0, the pool
``funds``          cf_c -> c           ``min_funds_c / p``, the pool
``today``          S -> c              the baseline only: ``H staff0_c + funds0_c / p``
``idle``           c -> T              free disposal (``supply`` rows are ``<=``)
``bypass``         S -> T              budgets are ``<=``
``link``           c -> g              ``x_cg``, one per link
``org``            S -> o              ``q(o) hours_o`` (effective hours)
``path``           o -> (g, k)         ``q(o) y_ogk``, one per organization path
``category``       (g, k) -> g         ``D_gk``
``grid``           g -> T              ``D_g`` (``served_g``), served grids only
=================  ==================  ========================================

``staff_c = flow(staff) / H``, ``fund_c = p flow(funds)``. Without a budget the
pools are capped by a bound no plan needs to pass. Costs per hour: ``-priority_g``
on ``grid`` (coverage, ``W``), ``wage / H`` on ``staff_budget`` and ``p`` on
``funds_budget`` (cost; ``target`` rows are lower bounds ``coverage_target D_g``
on ``grid``). Lower bounds on ``grid`` arcs, per grid in hours, are how callers
hold a share of demand (:meth:`NetworkModel.solve_policy` ``grid_lower``).

Units: :attr:`NetworkModel.units` flow units per hour (a power of ten at most
``10**6``) and integer costs (:func:`integer_costs`), chosen so that neither
``cost * flow`` sums, nor costs times the number of nodes (OR-Tools scales
costs by it), nor the capacities at any node can overflow int64
(:func:`flow_units`). Lower bounds are moved into node supplies and added back
to the flows.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from govopt.data.scenario import Objective, Scenario
from govopt.optimize.flow_phases import few_costs, phases, start
from govopt.optimize.inputs import ModelInputs
from govopt.plan import Status

__all__ = [
    "ARC_FAMILIES",
    "MAX_COST_SCALE",
    "MAX_HOUR_UNITS",
    "FlowResult",
    "Layout",
    "NetworkModel",
    "PolicyFlow",
    "flow_units",
    "integer_costs",
    "solve_flow",
]

ARC_FAMILIES = (
    "staff_budget",
    "staff_kept",
    "staff_today",
    "staff_new",
    "staff",
    "funds_budget",
    "funds_kept",
    "funds_today",
    "funds_new",
    "funds",
    "today",
    "idle",
    "bypass",
    "link",
    "org",
    "path",
    "category",
    "grid",
)

MAX_HOUR_UNITS = 10**6
MAX_COST_SCALE = 10**9
_INT64_MAX = float(np.iinfo(np.int64).max)
_HEADROOM = 8
_SNAP = 1e-6


@dataclass(frozen=True)
class Layout:
    """Node offsets: ``S, T, STAFF, KEPT, FUNDS, FKEPT``, then per center, org, pair, grid."""

    n_centers: int
    n_orgs: int
    n_pairs: int
    n_grids: int
    S: int = 0
    T: int = 1
    STAFF: int = 2
    KEPT: int = 3
    FUNDS: int = 4
    FKEPT: int = 5

    @property
    def cs(self) -> int:
        """First center staff node."""
        return 6

    @property
    def cf(self) -> int:
        """First center funds node."""
        return self.cs + self.n_centers

    @property
    def center(self) -> int:
        """First center node."""
        return self.cf + self.n_centers

    @property
    def org(self) -> int:
        """First organization node."""
        return self.center + self.n_centers

    @property
    def pair(self) -> int:
        """First ``(g, k)`` node."""
        return self.org + self.n_orgs

    @property
    def grid(self) -> int:
        """First grid node."""
        return self.pair + self.n_pairs

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return self.grid + self.n_grids


@dataclass(frozen=True, eq=False)
class FlowResult:
    """One min-cost flow: status, flow per arc in units (lower bounds included), and node
    potentials that prove it optimal when the solver found them."""

    status: Status
    flow: np.ndarray
    cost: int = 0
    potentials: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class PolicyFlow:
    """Stage 1's optimal flow as solved, kept for the marginal values' re-solves.

    ``lower`` are the bounds it was solved with (flow units; for ``equity`` the
    held share), ``potentials`` prove it optimal (:func:`network_solve.potentials`);
    ``value`` and ``served`` are its objective and served hours, ``lowest`` the
    largest lowest share for ``equity``; ``plan_flow`` is the flow the plan's
    staff and funds come from (stage 2's, or stage 1's when it did not run).
    """

    flow: np.ndarray
    lower: np.ndarray
    potentials: np.ndarray
    value: float
    served: float
    lowest: float | None = None
    plan_flow: np.ndarray | None = None


def integer_costs(real: np.ndarray, max_scale: int = MAX_COST_SCALE) -> tuple[np.ndarray, float]:
    """Integers ``k`` and a scale ``s`` with ``real = k / s``.

    Exact when every cost is a decimal with at most ``log10(max_scale)``
    places; otherwise rounded at ``max_scale``. The integers are divided by
    their greatest common divisor.
    """
    real = np.asarray(real, dtype=float)
    if real.size == 0 or not np.any(real):
        return np.zeros(real.shape, dtype=np.int64), 1.0
    # Costs take few distinct values: the scale and the divisor are found on those alone.
    distinct = np.unique(real[real != 0])
    top = float(np.abs(distinct).max())
    scale = 1
    while scale < max_scale and top * scale * 10 < 2**52:
        scaled = distinct * scale
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            break
        scale *= 10
    g = int(np.gcd.reduce(np.abs(np.round(distinct * scale).astype(np.int64))))
    ints = np.zeros(real.shape, dtype=np.int64)
    nonzero = real != 0
    ints[nonzero] = np.round(real[nonzero] * scale).astype(np.int64) // g
    return ints, scale / g


def _present(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for integers in ``[0, size)``, by counting."""
    values = np.asarray(values, dtype=np.int64)
    seen = np.zeros(size, dtype=bool)
    seen[values] = True
    rank = np.cumsum(seen) - 1
    return np.flatnonzero(seen), rank[values]


def flow_units(total_hours: float, max_cost: int, n_nodes: int, node_capacity_hours: float) -> int:
    """Flow units per hour: the finest power of ten (at most :data:`MAX_HOUR_UNITS`) that is safe.

    Kept a factor 8 below ``2**63``: ``max_cost * total flow * 4`` (a unit of
    flow pays at most four costed arcs), ``max_cost * (n_nodes + 1)`` (OR-Tools'
    cost scaling), and the capacities at any one node.

    Raises
    ------
    OverflowError
        When not even one unit per hour fits.
    """
    cost = max(float(max_cost), 1.0)
    if cost * (n_nodes + 1) * _HEADROOM > _INT64_MAX:
        raise OverflowError("costs times nodes exceed the integer range of the flow solver")
    room = _INT64_MAX / _HEADROOM / max(cost * 4 * max(total_hours, 1.0), node_capacity_hours, 1.0)
    if room < 1:
        raise OverflowError("hours times costs exceed the integer range of the flow solver")
    return int(min(MAX_HOUR_UNITS, 10 ** math.floor(math.log10(room))))


def solve_flow(
    n_nodes: int,
    tail: np.ndarray,
    head: np.ndarray,
    lower: np.ndarray,
    cap: np.ndarray,
    cost: np.ndarray,
    supply: np.ndarray,
) -> FlowResult:
    """Min-cost flow with lower bounds (integer arrays).

    Where the costs take few values (stages 1 and 2) by primal-dual phases
    (:func:`govopt.optimize.flow_phases.phases`, a few Dijkstra runs and
    max-flows); otherwise, or when those do not finish in
    :data:`~govopt.optimize.flow_phases.MAX_PHASES` phases or find no flow, by
    OR-Tools ``SimpleMinCostFlow``. There lower bounds move into the supplies
    (``l`` out of the tail, into the head) and come back on the flows.
    ``Status.INFEASIBLE`` when the supplies cannot be met within the bounds (a
    lower bound above its capacity included).
    """
    if np.any(lower > cap):
        return FlowResult(Status.INFEASIBLE, np.zeros(0, dtype=np.int64))
    if few_costs(cost):
        got = phases(n_nodes, tail, head, lower, cap, cost, supply, start(lower, cap, cost))
        if got is not None:
            return FlowResult(Status.OPTIMAL, got[0], int(cost @ got[0]), got[1])
    b = supply.astype(np.int64).copy()
    b -= np.bincount(tail, weights=lower, minlength=n_nodes).astype(np.int64)
    b += np.bincount(head, weights=lower, minlength=n_nodes).astype(np.int64)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tail, head, cap - lower, cost)
    mcf.set_nodes_supplies(np.arange(n_nodes), b)
    result = mcf.solve()
    if result != mcf.OPTIMAL:
        status = Status.INFEASIBLE if result == mcf.INFEASIBLE else Status.ERROR
        return FlowResult(status, np.zeros(0, dtype=np.int64))
    flow = mcf.flows(np.arange(len(tail))) + lower
    return FlowResult(Status.OPTIMAL, flow, int(mcf.optimal_cost()) + int(lower @ cost))


def _sum_bound(values: np.ndarray) -> float:
    return float(np.nan_to_num(values, nan=0.0, posinf=0.0).sum())


@dataclass(eq=False)
class _Arcs:
    """Arcs in hours while the network is built: one block per family."""

    tail: list[np.ndarray] = field(default_factory=list)
    head: list[np.ndarray] = field(default_factory=list)
    lower: list[np.ndarray] = field(default_factory=list)
    cap: list[np.ndarray] = field(default_factory=list)
    slices: dict[str, slice] = field(default_factory=dict)
    n: int = 0

    def add(self, family: str, tail: object, head: object, lower: object, cap: object) -> None:
        size = int(np.broadcast(np.asarray(tail), np.asarray(head), np.asarray(cap)).size)
        self.tail.append(np.broadcast_to(np.asarray(tail, dtype=np.int64), (size,)).copy())
        self.head.append(np.broadcast_to(np.asarray(head, dtype=np.int64), (size,)).copy())
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (size,)).copy())
        self.cap.append(np.broadcast_to(np.asarray(cap, dtype=float), (size,)).copy())
        self.slices[family] = slice(self.n, self.n + size)
        self.n += size


class NetworkModel:
    """The continuous allocation LP of ``docs/model.md`` as a min-cost flow.

    Parameters
    ----------
    inputs : ModelInputs
        Arrays from :func:`govopt.optimize.inputs.model_inputs`.
    scenario : Scenario
        Budgets, norms, standards and objective. ``cost`` minimises
        ``wage sum staff_c + sum fund_c`` with rows ``target``; ``coverage``
        (and ``equity``, whose share the caller holds through ``grid_lower``)
        maximises ``W``.
    baseline : bool
        Today's staff and funds (arcs ``today``), no policy rows, coverage.

    Attributes
    ----------
    layout : Layout
        Node offsets.
    arcs : dict of str to slice
        Arc families (:data:`ARC_FAMILIES` present in this model).
    tail, head : numpy.ndarray
        Arc ends (int64).
    lower_hours, cap_hours : numpy.ndarray
        Bounds in hours (float).
    lower, cap : numpy.ndarray
        Bounds in flow units (int64): lower bounds rounded up, capacities down
        (within ``1e-6`` of a unit: to it).
    units : int
        Flow units per hour.
    cost, cost_scale : numpy.ndarray, float
        Integer costs of stage 1 per flow unit; per hour the real cost is
        ``cost / cost_scale``.
    move_cost, move_scale : numpy.ndarray, float
        Integer costs of the least-change stage, ``M = move_cost . flow /
        (move_scale * units)`` plus a constant.
    grids : numpy.ndarray
        The grid of each ``grid`` arc (the served grids).
    """

    def __init__(self, inputs: ModelInputs, scenario: Scenario, *, baseline: bool = False) -> None:
        start = time.perf_counter()
        self.inputs = inputs
        self.scenario = scenario
        self.baseline = baseline
        self.objective = Objective.COVERAGE if baseline else Objective(scenario.objective)
        self._build()
        self.build_seconds = time.perf_counter() - start

    # ----- build -----------------------------------------------------------
    def _build(self) -> None:
        inp, sc = self.inputs, self.scenario
        H, p = sc.work_hours_per_staff, sc.cost_per_hour_cny
        n_c, n_g = inp.n_centers, inp.n_grids
        n_k = max(len(inp.categories), 1)
        pairs, pair_row = _present(inp.y_grid * n_k + inp.y_cat, n_g * n_k)
        lay = Layout(n_c, len(inp.org_hours), len(pairs), n_g)
        self.layout = lay
        self.pairs, self.pair_row = pairs, pair_row
        centers = np.arange(n_c)
        dem_g = inp.grid_demand
        self.grids = _present(inp.l_grid, n_g)[0]
        orgs = _present(inp.y_org, len(inp.org_hours))[0]
        org_cap = inp.org_quality[orgs] * inp.org_hours[orgs]
        demand = float(dem_g[self.grids].sum())
        arcs = _Arcs()
        if self.baseline:
            today = H * inp.staff0 + inp.funds0 / p
            pool = _sum_bound(today)
            arcs.add("today", lay.S, lay.center + centers, 0.0, today)
            idle = today
        else:
            staff_total, funds_total = sc.staff_total, sc.funds_total_cny
            max_staff = np.where(
                np.isfinite(inp.max_staff),
                inp.max_staff,
                np.maximum(inp.staff0, inp.min_staff) + demand / H,
            )
            staff_pool = H * (_sum_bound(max_staff) if staff_total is None else staff_total)
            kept0 = H * float(inp.staff0.sum())
            limit = sc.max_transfers
            kept_low = 0.0 if limit is None else max(0.0, kept0 - H * limit)
            arcs.add("staff_budget", lay.S, lay.STAFF, 0.0, staff_pool)
            arcs.add("staff_kept", lay.STAFF, lay.KEPT, kept_low, kept0)
            arcs.add("staff_today", lay.KEPT, lay.cs + centers, 0.0, H * inp.staff0)
            arcs.add("staff_new", lay.STAFF, lay.cs + centers, 0.0, H * max_staff)
            arcs.add(
                "staff", lay.cs + centers, lay.center + centers, H * inp.min_staff, H * max_staff
            )
            if funds_total is None:
                floor = np.maximum(inp.funds0, inp.min_funds)
                funds_pool = _sum_bound(floor) / p + demand
            else:
                funds_pool = funds_total / p
            have = np.flatnonzero(inp.funds0 > 0)
            f0 = float(inp.funds0[have].sum()) / p
            moved = sc.max_funds_moved_cny
            f_low = 0.0 if moved is None else max(0.0, f0 - moved / p)
            arcs.add("funds_budget", lay.S, lay.FUNDS, 0.0, funds_pool)
            arcs.add("funds_kept", lay.FUNDS, lay.FKEPT, f_low, f0)
            arcs.add("funds_today", lay.FKEPT, lay.cf + have, 0.0, inp.funds0[have] / p)
            arcs.add("funds_new", lay.FUNDS, lay.cf + centers, 0.0, funds_pool)
            arcs.add("funds", lay.cf + centers, lay.center + centers, inp.min_funds / p, funds_pool)
            pool = staff_pool + funds_pool
            idle = np.minimum(H * max_staff + funds_pool, pool)
        total = pool + float(org_cap.sum())
        arcs.add("idle", lay.center + centers, lay.T, 0.0, idle)
        # One hour more than S can send elsewhere: the bypass always carries flow, so S and T
        # share one potential and a budget's dual is what one more unit of it buys.
        total += 1.0
        arcs.add("bypass", lay.S, lay.T, 0.0, total)
        arcs.add("link", lay.center + inp.l_center, lay.grid + inp.l_grid, 0.0, dem_g[inp.l_grid])
        arcs.add("org", lay.S, lay.org + orgs, 0.0, org_cap)
        d_pair = inp.demand.reshape(-1)[pairs] if len(pairs) else np.zeros(0)
        path_cap = np.minimum(
            inp.org_quality[inp.y_org] * inp.org_hours[inp.y_org], d_pair[pair_row]
        )
        arcs.add("path", lay.org + inp.y_org, lay.pair + pair_row, 0.0, path_cap)
        arcs.add("category", lay.pair + np.arange(len(pairs)), lay.grid + pairs // n_k, 0.0, d_pair)
        lower_g = np.zeros(len(self.grids))
        if self.objective is Objective.COST:
            lower_g = sc.coverage_target * dem_g[self.grids]
        arcs.add("grid", lay.grid + self.grids, lay.T, lower_g, dem_g[self.grids])
        self.arcs = arcs.slices
        self.tail = np.concatenate(arcs.tail)
        self.head = np.concatenate(arcs.head)
        self.lower_hours = np.concatenate(arcs.lower)
        self.cap_hours = np.concatenate(arcs.cap)
        self._costs()
        cap_at = np.bincount(self.tail, weights=self.cap_hours, minlength=lay.n_nodes)
        cap_at += np.bincount(self.head, weights=self.cap_hours, minlength=lay.n_nodes)
        top = int(max(np.abs(self.cost).max(initial=0), np.abs(self.move_cost).max(initial=0)))
        self.units = flow_units(total, top, lay.n_nodes, float(cap_at.max(initial=0.0)))
        self.cap = self.to_units(self.cap_hours, up=False)
        self.lower = self._within_cap(self.to_units(self.lower_hours, up=True), self.lower_hours)
        self.supply = np.zeros(lay.n_nodes, dtype=np.int64)
        self.total_hours = total
        flow_total = int(self.cap[self.arcs["bypass"]][0])
        self.supply[lay.S], self.supply[lay.T] = flow_total, -flow_total

    def _costs(self) -> None:
        """Stage 1's costs per hour (``policy``) and the least-change stage's (``move``)."""
        sc, inp = self.scenario, self.inputs
        H, p, wage = sc.work_hours_per_staff, sc.cost_per_hour_cny, sc.wage_per_staff_cny
        policy = np.zeros(len(self.tail))
        if self.objective is Objective.COST:
            policy[self.arcs["staff_budget"]] = wage / H
            policy[self.arcs["funds_budget"]] = p
        else:
            policy[self.arcs["grid"]] = -inp.priority[self.grids]
        self.cost, self.cost_scale = integer_costs(policy)
        # M = sum |staff_c - staff0_c| + sum |fund_c - funds0_c| / wage, per hour times H wage.
        move = np.zeros(len(self.tail))
        if not self.baseline:
            for fam, sign, rate in (
                ("staff_new", 1.0, wage),
                ("staff_today", -1.0, wage),
                ("funds_new", 1.0, p * H),
                ("funds_today", -1.0, p * H),
            ):
                move[self.arcs[fam]] = sign * rate
        self.move_cost, self.move_scale = integer_costs(move)
        self.move_scale *= H * wage

    def to_units(self, hours: np.ndarray, *, up: bool) -> np.ndarray:
        """Hours in flow units: rounded ``up`` (lower bounds) or down (capacities), snapped to
        a whole unit within ``1e-6``."""
        scaled = np.asarray(hours, dtype=float) * self.units
        near = np.round(scaled)
        rounded = np.ceil(scaled) if up else np.floor(scaled)
        rounded = np.where(np.abs(scaled - near) <= _SNAP, near, rounded)
        return np.clip(rounded, 0, None).astype(np.int64)

    def family(self, name: str, flow: np.ndarray) -> np.ndarray:
        """Flow of arc family ``name`` in hours (empty when the family is not in the model)."""
        part = self.arcs.get(name)
        return np.zeros(0) if part is None else flow[part] / self.units

    # ----- stage 1 ---------------------------------------------------------
    def solve_policy(self, grid_lower: np.ndarray | None = None) -> FlowResult:
        """Stage 1: the min-cost flow of the objective.

        ``grid_lower`` (hours per grid, one per grid of the dataset) raises the
        lower bounds of the ``grid`` arcs, e.g. ``t D_g`` for a held share.
        """
        lower = self._lower(grid_lower)
        return solve_flow(
            self.layout.n_nodes, self.tail, self.head, lower, self.cap, self.cost, self.supply
        )

    def _lower(self, grid_lower: np.ndarray | None) -> np.ndarray:
        if grid_lower is None:
            return self.lower
        lower = self.lower.copy()
        part = self.arcs["grid"]
        hours = np.maximum(self.lower_hours[part], np.asarray(grid_lower, dtype=float)[self.grids])
        lower[part] = self._within_cap(self.to_units(hours, up=True), hours, part)
        return lower

    def _within_cap(
        self, lower: np.ndarray, lower_hours: np.ndarray, part: slice = slice(None)
    ) -> np.ndarray:
        """Lower bounds rounded up, but never above a capacity they do not exceed in hours.

        A bound equal to its capacity (e.g. a coverage target of 100 %) would
        otherwise round up past the capacity rounded down and read as infeasible.
        """
        cap, cap_hours = self.cap[part], self.cap_hours[part]
        fits = lower_hours <= cap_hours * (1 + 1e-12) + 1e-12
        return np.where(fits, np.minimum(lower, cap), lower)

    def objective_value(self, flow: np.ndarray) -> float:
        """Stage 1's objective of ``flow`` in its own units (``W`` or CNY), from the real costs."""
        if self.objective is Objective.COST:
            sc = self.scenario
            staff_hours = float(self.family("staff_budget", flow).sum())
            funds_hours = float(self.family("funds_budget", flow).sum())
            return sc.wage_per_staff_cny * staff_hours / sc.work_hours_per_staff + (
                sc.cost_per_hour_cny * funds_hours
            )
        served = self.family("grid", flow)
        return float(self.inputs.priority[self.grids] @ served)

    def values(self, flow: np.ndarray) -> dict[str, np.ndarray]:
        """Staff and funds per center, link hours ``x_cg`` and organization hours ``y_ogk``."""
        inp, sc = self.inputs, self.scenario
        H, p = sc.work_hours_per_staff, sc.cost_per_hour_cny
        if self.baseline:
            staff, funds = inp.staff0.astype(float), inp.funds0.astype(float)
        else:
            staff = self.family("staff", flow) / H
            funds = self.family("funds", flow) * p
        effective = self.family("path", flow)
        q = inp.org_quality[inp.y_org]
        return {
            "staff": staff,
            "funds": funds,
            "x": self.family("link", flow),
            "y": np.divide(effective, q, out=np.zeros(len(q)), where=q > 0),
        }
