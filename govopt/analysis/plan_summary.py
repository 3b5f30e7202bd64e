"""A plan summed up for a planner: by street, by center level, the centers that change most.

Every function reads an optimal plan's tables (today's values are ``staff0``,
``funds0_cny`` and ``baseline_coverage``) and returns a table with English
snake_case columns; words and rounding are left to ``govopt.output``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govopt.analysis.overview import center_streets
from govopt.data.dataset import Dataset
from govopt.data.schema import LEVELS
from govopt.plan import Plan

__all__ = [
    "LEVEL_COLUMNS",
    "STREET_COLUMNS",
    "changed_most",
    "level_summary",
    "lowest_grids",
    "same_layout",
    "street_summary",
]

STREET_COLUMNS: tuple[str, ...] = (
    "street",
    "grids",
    "residents",
    "demand_hours",
    "served0_hours",
    "served_hours",
    "baseline_coverage",
    "coverage",
    "staff0",
    "staff",
    "funds0_cny",
    "funds_cny",
)
LEVEL_COLUMNS: tuple[str, ...] = ("level", "centers", "staff0", "staff", "funds0_cny", "funds_cny")


def same_layout(plan: Plan, dataset: Dataset) -> bool:
    """Whether the plan's centers and grids are the dataset's, in the same order."""
    if plan.centers.empty or plan.grids.empty:
        return False
    centers = plan.centers["center_id"].astype(str).tolist()
    grids = plan.grids["grid_id"].astype(str).tolist()
    return centers == dataset.centers["center_id"].astype(str).tolist() and grids == (
        dataset.grids["grid_id"].astype(str).tolist()
    )


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return part / whole.where(whole > 0)


def street_summary(plan: Plan, dataset: Dataset) -> pd.DataFrame:
    """One row per street (:data:`STREET_COLUMNS`), the most residents first.

    Demand, served hours and coverage add up the street's grids; staff and
    funds those of the centers in it (the street of the nearest grid, see
    :func:`govopt.analysis.overview.center_streets`). Today's served hours
    are ``baseline_coverage * demand_hours`` (NaN when today is unknown).
    """
    g = plan.grids
    residents = pd.Series(
        dataset.grids["residents"].to_numpy(float),
        index=dataset.grids["grid_id"].astype(str).to_numpy(),
    )
    grids = pd.DataFrame(
        {
            "street": g["street"].astype(str).to_numpy(),
            "residents": g["grid_id"].astype(str).map(residents).fillna(0.0).to_numpy(),
            "demand_hours": g["demand_hours"].to_numpy(float),
            "served0_hours": (g["baseline_coverage"] * g["demand_hours"]).to_numpy(float),
            "served_hours": g["served_hours"].to_numpy(float),
        }
    )
    by = grids.groupby("street", sort=False)
    out = pd.DataFrame(
        {
            "grids": by.size(),
            "residents": by["residents"].sum(),
            "demand_hours": by["demand_hours"].sum(),
            "served0_hours": by["served0_hours"].sum(min_count=1),
            "served_hours": by["served_hours"].sum(),
        }
    )
    out["baseline_coverage"] = _share(out["served0_hours"], out["demand_hours"])
    out["coverage"] = _share(out["served_hours"], out["demand_hours"])
    streets = center_streets(dataset)
    street_of = pd.Series(streets.to_numpy(), index=dataset.centers["center_id"].astype(str))
    c = plan.centers.assign(street=plan.centers["center_id"].astype(str).map(street_of))
    cby = c.groupby("street")
    for col in ("staff0", "staff", "funds0_cny", "funds_cny"):
        out[col] = cby[col].sum().reindex(out.index).fillna(0.0)
    out = out.reset_index(names="street")
    out = out.sort_values(["residents", "street"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)[list(STREET_COLUMNS)]


def level_summary(plan: Plan) -> pd.DataFrame:
    """Centers, staff and funds today and in the plan for each level (:data:`LEVEL_COLUMNS`).

    Levels run street, community, grid; a level the data does not know comes after.
    """
    c = plan.centers
    by = c.groupby(c["level"].astype(str), sort=False)
    out = pd.DataFrame(
        {
            "centers": by.size(),
            "staff0": by["staff0"].sum(),
            "staff": by["staff"].sum(),
            "funds0_cny": by["funds0_cny"].sum(),
            "funds_cny": by["funds_cny"].sum(),
        }
    )
    order = [lv for lv in LEVELS if lv in out.index] + sorted(set(out.index) - set(LEVELS))
    return out.reindex(order).reset_index(names="level")[list(LEVEL_COLUMNS)]


def changed_most(plan: Plan, n: int = 15) -> pd.DataFrame:
    """The ``n`` centers whose staff or funds change most, largest first.

    A center's score is the larger of its staff and funds changes, each over
    the largest change of its kind; centers that do not change (staff by
    1e-6 or less, funds by less than 0.5 CNY) are left out.
    Columns as in ``plan.centers``.
    """
    c = plan.centers
    ds = c["staff_change"].abs().to_numpy(float)
    df = c["funds_change"].abs().to_numpy(float)
    score = np.maximum(
        ds / ds.max() if ds.size and ds.max() > 1e-9 else np.zeros(len(c)),
        df / df.max() if df.size and df.max() >= 0.5 else np.zeros(len(c)),
    )
    changed = (ds > 1e-6) | (df >= 0.5)  # as govopt.optimize.results.changed_centers
    ranked = c.assign(_score=score, _id=c["center_id"].astype(str))[changed]
    ranked = ranked.sort_values(["_score", "_id"], ascending=[False, True], kind="stable")
    return ranked.drop(columns=["_score", "_id"]).head(n).reset_index(drop=True)


def lowest_grids(plan: Plan, n: int = 20) -> pd.DataFrame:
    """The ``n`` grids with demand below the plan's coverage target, lowest coverage first."""
    g = plan.grids
    cov = g["coverage"].fillna(0.0)
    below = (g["demand_hours"] > 0) & (cov < plan.scenario.coverage_target - 1e-9)
    out = g[below].assign(_cov=cov[below], _id=g["grid_id"].astype(str)[below])
    out = out.sort_values(["_cov", "_id"], kind="stable").drop(columns=["_cov", "_id"])
    return out.head(n).reset_index(drop=True)
