"""Why a grid is below the coverage target of an optimal plan: a cause code and its numbers.

For each grid with demand whose coverage is under ``scenario.coverage_target``:

- ``no_center_in_reach``: no center lies within its level's radius of the grid;
- ``centers_full``: every center that reaches the grid uses all its hours
  (load = served staff and purchased hours / available hours is 1) and is at
  its ``max_staff``;
- ``budget_binds``: every reaching center uses all its hours, some could take
  more staff, but the staff budget is used up;
- ``served_elsewhere``: a reaching center has spare hours, or room for staff
  with budget left, and the plan's objective spends them on other grids.

``one_more`` says what one more staff member at the best reaching center (the
nearest with room under ``max_staff``) would do for the grid: at most
``min(work_hours_per_staff, unmet hours) / D_g`` coverage points, an upper
bound, since the plan could give those hours to other grids. Words live at
the edges (``govopt.i18n``); this module returns codes and numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from govopt.analysis import coverage
from govopt.data.dataset import Dataset
from govopt.plan import Plan

__all__ = [
    "CAUSES",
    "Cause",
    "CenterLoad",
    "GridDiagnosis",
    "OneMoreStaff",
    "cause_counts",
    "diagnose",
]

_TOL = 1e-6


class Cause(StrEnum):
    """Why a grid is below the coverage target (words: ``why.cause.<value>``)."""

    NO_CENTER_IN_REACH = "no_center_in_reach"
    CENTERS_FULL = "centers_full"
    BUDGET_BINDS = "budget_binds"
    SERVED_ELSEWHERE = "served_elsewhere"


CAUSES: tuple[Cause, ...] = tuple(Cause)


@dataclass(frozen=True)
class CenterLoad:
    """A center that reaches the grid, and how much of its hours the plan uses."""

    center_id: str
    name: str
    level: str
    distance_m: float
    staff: float
    max_staff: float
    served_hours: float
    available_hours: float

    @property
    def load(self) -> float | None:
        """Served over available hours (``None`` when the center has no hours at all)."""
        return self.served_hours / self.available_hours if self.available_hours > 0 else None

    @property
    def full(self) -> bool:
        """Whether every available hour is used (a center with no hours is full)."""
        return self.served_hours >= self.available_hours * (1 - _TOL) - _TOL

    @property
    def staff_room(self) -> float:
        """Staff the center could still take under its ``max_staff``."""
        return max(self.max_staff - self.staff, 0.0)


@dataclass(frozen=True)
class OneMoreStaff:
    """One more staff member at the best reaching center: its hours and the grid's gain."""

    center_id: str
    name: str
    level: str
    distance_m: float
    hours: float
    coverage_gain: float


@dataclass(frozen=True)
class GridDiagnosis:
    """One grid below the coverage target: cause, numbers, reaching centers (nearest first)."""

    grid_id: str
    name: str
    street: str
    cause: Cause
    coverage: float
    target: float
    demand_hours: float
    unmet_hours: float
    centers: tuple[CenterLoad, ...]
    one_more: OneMoreStaff | None
    staff_budget_used: bool
    funds_budget_used: bool


def _used(total: float | None, used: float, step: float) -> bool:
    return total is not None and total - used < step


def _one_more(
    loads: tuple[CenterLoad, ...], hours_per_staff: float, unmet: float, demand: float
) -> OneMoreStaff | None:
    room = [c for c in loads if c.staff_room > _TOL]
    if not room:
        return None
    best = room[0]
    hours = min(hours_per_staff * min(1.0, best.staff_room), unmet)
    return OneMoreStaff(
        best.center_id, best.name, best.level, best.distance_m, hours, hours / demand
    )


def _cause(loads: tuple[CenterLoad, ...], staff_budget_used: bool) -> Cause:
    if not loads:
        return Cause.NO_CENTER_IN_REACH
    if not all(c.full for c in loads):
        return Cause.SERVED_ELSEWHERE
    if all(c.staff_room <= _TOL for c in loads):
        return Cause.CENTERS_FULL
    return Cause.BUDGET_BINDS if staff_budget_used else Cause.SERVED_ELSEWHERE


def diagnose(
    dataset: Dataset, plan: Plan, *, links: pd.DataFrame | None = None
) -> tuple[GridDiagnosis, ...]:
    """Every grid with demand below the plan's coverage target, with its cause.

    Parameters
    ----------
    dataset : Dataset
        The district the plan was solved on.
    plan : Plan
        An optimal plan.
    links : pandas.DataFrame, optional
        :func:`govopt.analysis.coverage.links_within` for the plan's radii.

    Returns
    -------
    tuple of GridDiagnosis
        In the order of :data:`CAUSES`, lowest coverage first within a cause.

    Raises
    ------
    ValueError
        If the plan has no values (neither optimal nor feasible).
    """
    if not plan.has_values:
        raise ValueError(
            f"only an optimal plan, or a feasible whole-number one, can be diagnosed; "
            f"this one is {plan.status}"
        )
    sc = plan.scenario
    grids, centers = plan.grids, plan.centers
    dem = grids["demand_hours"].to_numpy(float)
    cov = np.nan_to_num(grids["coverage"].to_numpy(float))
    below = np.flatnonzero((dem > 0) & (cov < sc.coverage_target - 1e-9))
    if len(below) == 0:
        return ()
    staff = centers["staff"].to_numpy(float)
    served = (centers["staff_hours"] + centers["purchased_hours"]).to_numpy(float)
    available = sc.work_hours_per_staff * staff + centers["funds_cny"].to_numpy(float) / (
        sc.cost_per_hour_cny
    )
    max_staff = dataset.centers["max_staff"].to_numpy(float)
    step = 1.0 if sc.integer_staff else _TOL
    staff_used = _used(sc.staff_total, float(staff.sum()), step)
    funds_used = _used(sc.funds_total_cny, float(centers["funds_cny"].sum()), _TOL)
    lk = links if links is not None else coverage.links_within(dataset, sc.radius_m, grids=below)
    lk = lk[lk["grid"].isin(below)].sort_values(["grid", "distance_m", "center"], kind="stable")
    link_grid = lk["grid"].to_numpy(np.int64)
    link_center = lk["center"].to_numpy(np.int64).tolist()
    link_dist = lk["distance_m"].to_numpy(float).tolist()
    ids = centers["center_id"].astype(str).to_numpy()
    names = centers["name"].astype(str).to_numpy()
    levels = centers["level"].astype(str).to_numpy()
    out: list[GridDiagnosis] = []
    for g in below.tolist():
        a, b = np.searchsorted(link_grid, [g, g + 1]).tolist()
        pairs = zip(link_center[a:b], link_dist[a:b], strict=True)
        loads = tuple(
            CenterLoad(
                str(ids[c]), str(names[c]), str(levels[c]), float(d),
                float(staff[c]), float(max_staff[c]), float(served[c]), float(available[c]),
            )
            for c, d in pairs
        )  # fmt: skip
        unmet = max(float(dem[g] - grids["served_hours"].iat[g]), 0.0)
        out.append(
            GridDiagnosis(
                grid_id=str(grids["grid_id"].iat[g]),
                name=str(grids["name"].iat[g]),
                street=str(grids["street"].iat[g]),
                cause=_cause(loads, staff_used),
                coverage=float(cov[g]),
                target=float(sc.coverage_target),
                demand_hours=float(dem[g]),
                unmet_hours=unmet,
                centers=loads,
                one_more=_one_more(loads, sc.work_hours_per_staff, unmet, float(dem[g])),
                staff_budget_used=staff_used,
                funds_budget_used=funds_used,
            )
        )
    order = {c: i for i, c in enumerate(CAUSES)}
    return tuple(sorted(out, key=lambda d: (order[d.cause], d.coverage, d.grid_id)))


def cause_counts(diagnoses: Iterable[GridDiagnosis]) -> dict[Cause, int]:
    """Number of grids per cause, every cause listed (in :data:`CAUSES` order)."""
    counts = dict.fromkeys(CAUSES, 0)
    for d in diagnoses:
        counts[d.cause] += 1
    return counts
