"""District indicators and the table by street, from a dataset and its baseline plan."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from govopt.data.dataset import Dataset
from govopt.data.schema import LEVELS, RATINGS
from govopt.plan import Plan

__all__ = ["STREET_COLUMNS", "DistrictKpis", "center_streets", "district_kpis", "street_table"]

STREET_COLUMNS: tuple[str, ...] = (
    "street",
    "grids",
    "residents",
    "elderly_share",
    "centers",
    "staff",
    "funds_cny",
    "work_orders",
    "orders_per_1000",
    "coverage",
    "unreachable_grids",
)


@dataclass(frozen=True)
class DistrictKpis:
    """Headline numbers of a district; coverage fields are ``None`` without a solved baseline."""

    grids: int
    streets: int
    residents: int
    elderly_share: float | None
    centers_by_level: dict[str, int] = field(default_factory=dict)
    staff: float = 0.0
    funds_cny: float = 0.0
    orgs_by_rating: dict[str, int] = field(default_factory=dict)
    work_orders: int = 0
    orders_per_1000: float | None = None
    baseline_coverage: float | None = None
    unreachable_grids: int | None = None

    @property
    def centers(self) -> int:
        """All centers, every level."""
        return sum(self.centers_by_level.values())

    @property
    def orgs(self) -> int:
        """All social organizations."""
        return sum(self.orgs_by_rating.values())


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def district_kpis(dataset: Dataset, baseline: Plan | None = None) -> DistrictKpis:
    """Count grids, people, centers, staff, funds, organizations and orders.

    Parameters
    ----------
    dataset : Dataset
        The district.
    baseline : Plan, optional
        Today's resources solved against today's demand; adds coverage and
        unreachable grids when it is optimal.
    """
    grids = dataset.grids
    residents = float(grids["residents"].sum())
    levels = dataset.centers["level"].astype(str).value_counts()
    ratings = dataset.social_orgs["rating"].astype(str).value_counts()
    orders = dataset.orders_total
    kpis = baseline.kpis if baseline is not None and baseline.optimal else None
    per_1000 = _share(orders, residents)
    return DistrictKpis(
        grids=len(grids),
        streets=int(grids["street"].nunique()),
        residents=int(residents),
        elderly_share=_share(float(grids["elderly"].sum()), residents),
        centers_by_level={lv: int(levels.get(lv, 0)) for lv in LEVELS},
        staff=float(dataset.staff_today.sum()),
        funds_cny=float(dataset.funds_today.sum()),
        orgs_by_rating={r: int(ratings.get(r, 0)) for r in RATINGS},
        work_orders=orders,
        orders_per_1000=None if per_1000 is None else per_1000 * 1000,
        baseline_coverage=None if kpis is None else kpis.coverage,
        unreachable_grids=None if kpis is None else kpis.unreachable_grids,
    )


_CENTER_STREETS: weakref.WeakKeyDictionary[Dataset, pd.Series] = weakref.WeakKeyDictionary()


def center_streets(dataset: Dataset) -> pd.Series:
    """Street of each center (the street of the grid it stands in, else of the nearest grid),
    indexed like ``centers``; worked out once per dataset."""
    cached = _CENTER_STREETS.get(dataset)
    if cached is not None:
        return cached.copy()
    centers = dataset.centers
    if centers.empty or dataset.grids.empty:
        return pd.Series([""] * len(centers), index=centers.index, dtype=object)
    grids = dataset.grids
    if grids.crs is None:
        grids = grids.set_crs("EPSG:4326")
    grids = grids.to_crs("EPSG:4326")
    streets = grids["street"].astype(str).to_numpy(dtype=object)
    points = np.asarray(
        shapely.points(centers["lon"].to_numpy(float), centers["lat"].to_numpy(float)), dtype=object
    )
    inside, grid = shapely.STRtree(np.asarray(grids.geometry.array)).query(
        points, predicate="within"
    )
    first = np.unique(inside, return_index=True)[1]
    out = np.full(len(centers), None, dtype=object)
    out[inside[first]] = streets[grid[first]]
    rest = np.flatnonzero(pd.isna(out))
    if rest.size:
        crs = grids.estimate_utm_crs()
        far = gpd.GeoDataFrame(
            {"_row": rest}, geometry=gpd.GeoSeries(points[rest], crs="EPSG:4326")
        ).to_crs(crs)
        joined = gpd.sjoin_nearest(far, grids[["street", "geometry"]].to_crs(crs), how="left")
        joined = joined.drop_duplicates("_row").sort_values("_row")
        out[joined["_row"].to_numpy()] = joined["street"].astype(str).to_numpy()
    result = pd.Series(out, index=centers.index, dtype=object)
    _CENTER_STREETS[dataset] = result
    return result.copy()


def street_table(dataset: Dataset, baseline: Plan | None = None) -> pd.DataFrame:
    """One row per street (columns :data:`STREET_COLUMNS`), largest population first."""
    grids = pd.DataFrame(dataset.grids.drop(columns="geometry"))
    grids["street"] = grids["street"].astype(str)
    by = grids.groupby("street", sort=False)
    out = pd.DataFrame(
        {
            "grids": by.size(),
            "residents": by["residents"].sum(),
            "elderly": by["elderly"].sum(),
        }
    )
    out["elderly_share"] = out["elderly"] / out["residents"].where(out["residents"] > 0)
    centers = dataset.centers.assign(street=center_streets(dataset).to_numpy())
    cby = centers.groupby("street")
    out["centers"] = cby.size().reindex(out.index).fillna(0).astype(int)
    out["staff"] = cby["staff"].sum().reindex(out.index).fillna(0.0)
    out["funds_cny"] = cby["funds_cny"].sum().reindex(out.index).fillna(0.0)
    street_of = grids.set_index(grids["grid_id"].astype(str))["street"]
    counts = dataset.work_order_counts
    order_streets = counts["grid_id"].astype(str).map(street_of)
    per_street = counts["count"].groupby(order_streets.to_numpy()).sum()
    out["work_orders"] = per_street.reindex(out.index).fillna(0).astype(int)
    out["orders_per_1000"] = out["work_orders"] / out["residents"].where(out["residents"] > 0) * 1e3
    out["coverage"] = float("nan")
    out["unreachable_grids"] = pd.NA
    if baseline is not None and baseline.optimal and not baseline.grids.empty:
        g = baseline.grids.assign(street=baseline.grids["grid_id"].astype(str).map(street_of))
        gby = g.groupby("street")
        served = gby["served_hours"].sum()
        demand = gby["demand_hours"].sum()
        out["coverage"] = (served / demand.where(demand > 0)).reindex(out.index)
        out["unreachable_grids"] = gby["unreachable"].sum().reindex(out.index).fillna(0).astype(int)
    out = out.drop(columns="elderly").reset_index(names="street")
    return out.sort_values("residents", ascending=False, kind="stable").reset_index(drop=True)[
        list(STREET_COLUMNS)
    ]
