"""Descriptive coverage metrics per grid: nearest center, 2SFCA accessibility, staff ratios.

All distances are Euclidean metres in the dataset's metric CRS, from a center to
the centroid of a grid. Links are found with a spatial index, never a dense
center-by-grid matrix.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from govopt.analysis import demand
from govopt.analysis.geo import center_grid_links, centers_xy, metric_crs
from govopt.data.dataset import Dataset
from govopt.data.schema import DEFAULT_RADIUS_M, LEVELS, LevelValues

__all__ = [
    "demand_hours",
    "grid_centroids",
    "links_within",
    "metric_crs_of",
    "nearest_center_m",
    "staff_per_10k",
    "two_step_fca",
    "unreachable",
]


_CRS_CACHE: weakref.WeakKeyDictionary[Dataset, CRS] = weakref.WeakKeyDictionary()
_CENTROID_CACHE: weakref.WeakKeyDictionary[Dataset, np.ndarray] = weakref.WeakKeyDictionary()


def metric_crs_of(dataset: Dataset) -> CRS:
    """Return the metric CRS used for distances (UTM zone of the grids), once per dataset."""
    crs = _CRS_CACHE.get(dataset)
    if crs is None:
        crs = metric_crs(dataset.grids)
        _CRS_CACHE[dataset] = crs
    return crs


def grid_centroids(dataset: Dataset) -> np.ndarray:
    """Grid centroids as shapely points in the metric CRS, one per grid row."""
    points = _CENTROID_CACHE.get(dataset)
    if points is None:
        metric = dataset.grids.to_crs(metric_crs_of(dataset))
        points = np.asarray(metric.geometry.centroid.values, dtype=object)
        _CENTROID_CACHE[dataset] = points
    return points


def _center_points(dataset: Dataset, centers: pd.DataFrame) -> np.ndarray:
    return np.asarray(shapely.points(centers_xy(centers, metric_crs_of(dataset))), dtype=object)


def nearest_center_m(dataset: Dataset, level: str) -> pd.Series:
    """Distance in metres from each grid centroid to the nearest center of ``level``.

    Parameters
    ----------
    dataset : Dataset
        The district.
    level : {"street", "community", "grid"}
        Center level.

    Returns
    -------
    pandas.Series
        Indexed by ``grid_id``; NaN when the district has no center of that level.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown center level {level!r}: use one of {', '.join(LEVELS)}")
    ids = dataset.grids["grid_id"].astype(str).to_numpy()
    centers = dataset.centers[dataset.centers["level"] == level]
    if centers.empty or len(ids) == 0:
        return pd.Series(np.nan, index=pd.Index(ids, name="grid_id"), name=f"dist_{level}")
    tree = shapely.STRtree(_center_points(dataset, centers))
    grid_idx, _, dist = _nearest(tree, grid_centroids(dataset))
    out = np.full(len(ids), np.nan)
    out[grid_idx] = dist
    return pd.Series(out, index=pd.Index(ids, name="grid_id"), name=f"dist_{level}")


def _nearest(
    tree: shapely.STRtree, points: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pairs, dist = tree.query_nearest(points, return_distance=True, all_matches=False)
    return pairs[0], pairs[1], np.asarray(dist, dtype=float)


def links_within(
    dataset: Dataset,
    radius_m: LevelValues = DEFAULT_RADIUS_M,
    *,
    grids: np.ndarray | None = None,
) -> pd.DataFrame:
    """Center-grid pairs within the service radius of the center's level.

    The same links the allocation model uses (:func:`govopt.analysis.geo.center_grid_links`).
    With ``grids`` (row positions), only the links of those grids, found
    without projecting or searching the others.

    Returns
    -------
    pandas.DataFrame
        Columns ``center``, ``grid`` (row positions in ``dataset.centers`` and
        ``dataset.grids``) and ``distance_m``.
    """
    center_xy = centers_xy(dataset.centers, metric_crs_of(dataset))
    levels = dataset.centers["level"].astype(str).tolist()
    if grids is None:
        grid_xy = shapely.get_coordinates(grid_centroids(dataset))
        return center_grid_links(grid_xy, center_xy, levels, radius_m)
    rows = np.unique(np.asarray(grids, dtype=np.int64))
    cached = _CENTROID_CACHE.get(dataset)
    if cached is not None:
        points = cached[rows]
    else:
        part = dataset.grids.geometry.iloc[rows].to_crs(metric_crs_of(dataset))
        points = np.asarray(part.centroid.values, dtype=object)
    links = center_grid_links(shapely.get_coordinates(points), center_xy, levels, radius_m)
    links["grid"] = rows[links["grid"].to_numpy(np.int64)]
    return links


def two_step_fca(
    dataset: Dataset,
    supply: pd.Series | None = None,
    radius_m: LevelValues = DEFAULT_RADIUS_M,
    *,
    links: pd.DataFrame | None = None,
) -> pd.Series:
    """Two-step floating catchment accessibility of center supply per resident.

    Step 1: each center's supply over the residents of the grids within its
    radius. Step 2: each grid sums the ratios of the centers that reach it.

    Parameters
    ----------
    dataset : Dataset
        The district.
    supply : pandas.Series, optional
        Supply per center, indexed by ``center_id``; defaults to today's staff.
    radius_m : LevelValues
        Service radius per center level.
    links : pandas.DataFrame, optional
        Precomputed :func:`links_within` for ``radius_m``.

    Returns
    -------
    pandas.Series
        Supply per resident, indexed by ``grid_id`` (0 where no center reaches).
    """
    centers = dataset.centers.reset_index(drop=True)
    if supply is None:
        s = centers["staff"].astype(float).to_numpy()
    else:
        s = supply.reindex(centers["center_id"].astype(str)).fillna(0.0).to_numpy(dtype=float)
    residents = dataset.grids["residents"].astype(float).to_numpy()
    links = links if links is not None else links_within(dataset, radius_m)
    ids = pd.Index(dataset.grids["grid_id"].astype(str), name="grid_id")
    access: np.ndarray = np.zeros(len(ids))
    if not links.empty:
        c = links["center"].to_numpy(dtype=int)
        g = links["grid"].to_numpy(dtype=int)
        pop = np.bincount(c, weights=residents[g], minlength=len(centers))
        ratio = np.divide(s, pop, out=np.zeros(len(centers)), where=pop > 0)
        access = np.bincount(g, weights=ratio[c], minlength=len(ids))
    return pd.Series(access, index=ids, name="access")


def staff_per_10k(
    dataset: Dataset,
    radius_m: LevelValues = DEFAULT_RADIUS_M,
    *,
    links: pd.DataFrame | None = None,
) -> pd.Series:
    """Staff within reach per 10,000 residents (2SFCA on today's staff), by ``grid_id``."""
    access = two_step_fca(dataset, None, radius_m, links=links)
    return (access * 10_000).rename("staff_per_10k")


def unreachable(
    dataset: Dataset,
    radius_m: LevelValues = DEFAULT_RADIUS_M,
    *,
    links: pd.DataFrame | None = None,
) -> pd.Series:
    """Whether no center of any level reaches the grid, by ``grid_id``."""
    ids = pd.Index(dataset.grids["grid_id"].astype(str), name="grid_id")
    reached = np.zeros(len(ids), dtype=bool)
    links = links if links is not None else links_within(dataset, radius_m)
    reached[links["grid"].to_numpy(dtype=int)] = True
    return pd.Series(~reached, index=ids, name="unreachable")


def demand_hours(dataset: Dataset) -> pd.Series:
    """Service demand in hours per year per grid, summed over categories, by ``grid_id``."""
    return demand.demand_hours(dataset).sum(axis=1).astype(float).rename("demand_hours")
