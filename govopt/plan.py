"""Results: the frozen outputs of one solve (status, figures, marginal values, plan tables)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from govopt.data.scenario import Scenario
from govopt.i18n import Lang

__all__ = ["Conflict", "Kpis", "MarginalValues", "Plan", "Status", "TopCenter"]


class Status(StrEnum):
    """Outcome of a solve.

    Values are read from a model when ``OPTIMAL`` or ``FEASIBLE``: a
    whole-number plan found before the time limit whose optimality is not
    proven (its gap to the best bound is :attr:`Plan.gap`).
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time_limit"
    NOT_SOLVED = "not_solved"
    ERROR = "error"
    CANCELLED = "cancelled"

    @property
    def has_values(self) -> bool:
        """Whether a plan with this status carries values (optimal or feasible)."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True)
class Conflict:
    """One policy of an infeasible scenario's conflict, with its numbers.

    Parameters
    ----------
    family : str
        The constraint family (``budget_staff``, ``budget_funds``, ``min_staff``,
        ``max_staff``, ``transfers``, ``min_funds``, ``funds_moved`` or ``target``).
    need : float
        For a budget or limit, what the other policies of the conflict ask of
        it; for a floor (``min_staff``, ``min_funds``, ``target``), what the
        floor asks. In the family's unit (staff, CNY, hours).
    allowed : float
        For a budget or limit, its value; for a floor, the most the other
        policies of the conflict leave for it.
    count : int
        Rows of the family concerned: the floor's centers or grids, the
        centers whose ``max_staff`` gives way, 1 for a budget or limit.
    extra : float
        ``need - allowed``, the least this policy must give way.
    cause : str or None
        Only in records without ``others`` (saved plans, a search that did not
        finish): for a budget, ``min_staff`` when the minimum staffing alone
        exceeds it, ``target`` under the cost objective, else ``None``.
    others : tuple of str
        The other families of the same conflict: with them held, this policy
        falls short by ``extra``; without any one of them the conflict is gone.
    """

    family: str
    need: float
    allowed: float
    count: int = 1
    extra: float = 0.0
    cause: str | None = None
    others: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Plain text, whether given a Family or read back from JSON (``others`` as a list).
        object.__setattr__(self, "family", str(self.family))
        object.__setattr__(self, "cause", None if self.cause is None else str(self.cause))
        object.__setattr__(self, "others", tuple(str(f) for f in self.others))


@dataclass(frozen=True)
class TopCenter:
    """A center where one more staff member raises coverage most.

    ``gain_points`` and ``gain_hours``: district coverage gained (percentage
    points, hours a year) by one more staff member there while every other
    center keeps the plan's staff and funds. ``hours_per_staff``: the dual of
    the center's ``supply`` row times the yearly hours of a staff member.
    Plans saved before the gains were computed have ``None``.
    """

    center_id: str
    name: str
    level: str
    hours_per_staff: float
    gain_points: float | None = None
    gain_hours: float | None = None


@dataclass(frozen=True)
class MarginalValues:
    """What the budget buys at the margin (``docs/model.md``, "Shadow prices").

    Re-solves of the policy stage with one budget moved: district coverage
    gained, in percentage points and hours a year, by one more staff member
    (``per_staff_*``), 10,000 CNY (``per_10k_*``) and ten more transfers
    (``per_10_transfers_*``); under ``equity`` also the lowest share of demand
    a grid is served, ``t`` (``*_lowest_points``); under the cost objective, the extra cost of one
    more point of coverage target (``cost_per_point_cny``) and the saving of one
    point less (``saving_per_point_cny``); ``target_cannot_rise`` when one more
    point has no feasible plan. A budget that is not set, an objective the
    value does not apply to, or a re-solve that did not finish (``partial``)
    leaves ``None``. ``per_staff``, ``per_10k_cny`` and ``per_transfer`` are the
    duals of stage 1 in covered (priority-weighted) hours a year, exact only
    within their basis' range. Fields missing from a saved plan are ``None``.
    """

    per_staff: float | None
    per_10k_cny: float | None
    per_transfer: float | None
    top_centers: tuple[TopCenter, ...] = ()
    per_staff_points: float | None = None
    per_staff_hours: float | None = None
    per_10k_points: float | None = None
    per_10k_hours: float | None = None
    per_10_transfers_points: float | None = None
    per_10_transfers_hours: float | None = None
    per_staff_lowest_points: float | None = None
    per_10k_lowest_points: float | None = None
    per_10_transfers_lowest_points: float | None = None
    cost_per_point_cny: float | None = None
    saving_per_point_cny: float | None = None
    target_cannot_rise: bool = False
    partial: bool = False


@dataclass(frozen=True)
class Kpis:
    """District-level indicators of a plan.

    ``moved_staff`` and ``moved_funds_cny`` add up every change from today
    (``sum |staff - staff0|``, ``sum |funds - funds0|``); ``centers_changed``
    counts the centers whose staff or funds change. ``lowest_share`` is the
    equity objective's ``t``. Plans saved before these were reported have
    ``None``.
    """

    coverage: float
    min_coverage: float
    grids_below_target: int
    coverage_gini: float
    staff_used: float
    funds_used_cny: float
    demand_hours: float
    served_hours: float
    unreachable_grids: int
    staff_transfers: float
    moved_staff: float | None = None
    moved_funds_cny: float | None = None
    centers_changed: int | None = None
    lowest_share: float | None = None


@dataclass(frozen=True, eq=False)
class Plan:
    """Frozen outputs of one solve.

    ``centers`` has one row per center: ``center_id, name, level, staff0,
    staff, staff_change, funds0_cny, funds_cny, funds_change, staff_hours,
    purchased_hours, org_hours, org_hours_<category>..., served_hours,
    workload_hours, wisn_need, wisn_ratio_before, wisn_ratio_after`` (WISN:
    see :func:`govopt.optimize.results.workload`).
    ``grids`` has one row per grid: ``grid_id, name, street, demand_hours,
    served_hours, coverage, baseline_coverage, unreachable``. Both are empty
    and ``kpis`` is ``None`` unless the plan :attr:`has_values`; an infeasible
    plan carries the ``conflicts`` that explain it. ``flows`` lists the service
    hours used: ``center_id, grid_id, category, hours``. ``saved_explanation``
    holds the sentences, by language, that a store written before conflicts
    existed kept for an infeasible plan. A ``feasible`` plan (whole-number
    staffing stopped at the time limit) carries ``gap``, the relative distance
    of its objective to the best proven bound (``None`` when the solver reports
    none); ``notes`` are codes about how the plan was found (``start_*``: why
    the whole-number search did not start from a rounded LP plan).
    """

    scenario: Scenario
    status: Status
    objective: float | None
    solver: str
    timings: Mapping[str, float]
    centers: pd.DataFrame
    grids: pd.DataFrame
    kpis: Kpis | None
    marginal: MarginalValues | None
    conflicts: tuple[Conflict, ...] = ()
    flows: pd.DataFrame | None = None
    saved_explanation: Mapping[Lang, tuple[str, ...]] = field(default_factory=dict)
    gap: float | None = None
    notes: tuple[str, ...] = ()

    @property
    def optimal(self) -> bool:
        """Whether the plan is proven optimal."""
        return self.status is Status.OPTIMAL

    @property
    def has_values(self) -> bool:
        """Whether the plan's values may be read: optimal, or feasible with its gap."""
        return self.status.has_values
