"""Metric coordinates and the sparse links between centers, grids and organizations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from govopt.data.dataset import Dataset
from govopt.data.schema import LevelValues

__all__ = [
    "Links",
    "build_links",
    "center_grid_links",
    "centers_xy",
    "grid_centroids",
    "lonlat_to_xy",
    "metric_crs",
    "org_center_links",
    "pairs_within",
    "responsible_centers",
]


def metric_crs(grids: gpd.GeoDataFrame) -> CRS:
    """Return the UTM CRS that fits the grids (metres).

    Works for geographic (EPSG:4326, EPSG:4490) and projected input.

    Raises
    ------
    ValueError
        If the grids have no CRS.
    """
    if grids.crs is None:
        raise ValueError("grids.geojson has no coordinate reference system: add one (EPSG:4326)")
    crs = grids.estimate_utm_crs()
    if crs is None:
        raise ValueError("grids.geojson: cannot find a metric coordinate system for these grids")
    return CRS.from_user_input(crs)


def grid_centroids(grids: gpd.GeoDataFrame, crs: CRS | None = None) -> np.ndarray:
    """Centroids of the grids in ``crs`` (default :func:`metric_crs`) as an ``(n, 2)`` array."""
    crs = crs or metric_crs(grids)
    geoms = grids.geometry.to_crs(crs)
    return shapely.get_coordinates(shapely.centroid(geoms.values))


def lonlat_to_xy(
    lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray, crs: CRS
) -> np.ndarray:
    """Project WGS84 longitudes/latitudes to ``crs``; return an ``(n, 2)`` array."""
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = tr.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])


def centers_xy(table: pd.DataFrame, crs: CRS) -> np.ndarray:
    """Project the ``lon``/``lat`` columns of a centers or organizations table."""
    if len(table) == 0:
        return np.empty((0, 2))
    return lonlat_to_xy(table["lon"].to_numpy(float), table["lat"].to_numpy(float), crs)


def pairs_within(
    source_xy: np.ndarray, target_xy: np.ndarray, max_distance: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs (i, j) with ``|source_i - target_j| <= max_distance_i``, via a spatial index.

    Parameters
    ----------
    source_xy, target_xy : ndarray of shape (n, 2) and (m, 2)
        Metric coordinates.
    max_distance : ndarray of shape (n,)
        Distance limit of each source point.

    Returns
    -------
    source, target : ndarray of int64
        Indices of linked pairs, sorted by source then target.
    distance : ndarray of float64
        Euclidean distance of each pair.
    """
    if len(source_xy) == 0 or len(target_xy) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), np.empty(0)
    tree = shapely.STRtree(np.asarray(shapely.points(target_xy)))
    limits = np.asarray(max_distance, dtype=float)
    src, dst = tree.query(shapely.points(source_xy), predicate="dwithin", distance=limits)
    dist = np.hypot(*(source_xy[src] - target_xy[dst]).T)
    keep = dist <= limits[src]
    src, dst, dist = src[keep], dst[keep], dist[keep]
    order = np.lexsort((dst, src))
    return src[order].astype(np.int64), dst[order].astype(np.int64), dist[order]


def center_grid_links(
    grid_xy: np.ndarray, center_xy: np.ndarray, levels: Sequence[str], radius_m: LevelValues
) -> pd.DataFrame:
    """Links from each center to the grids whose centroid lies within its level's radius.

    Returns
    -------
    pandas.DataFrame
        Columns ``center`` and ``grid`` (row positions) and ``distance_m``.
    """
    limits = np.array([radius_m[str(lv)] for lv in levels], dtype=float)
    c, g, d = pairs_within(center_xy, grid_xy, limits)
    return pd.DataFrame({"center": c, "grid": g, "distance_m": d})


def responsible_centers(center_grid: pd.DataFrame, levels: Sequence[str]) -> pd.DataFrame:
    """The center responsible for each grid at each level.

    A grid's responsible center of a level is the nearest center of that level
    whose radius reaches it (ties go to the first center in table order); a
    grid has at most one per level and none at a level that does not reach it.

    Parameters
    ----------
    center_grid : pandas.DataFrame
        Links ``center, grid, distance_m`` from :func:`center_grid_links`.
    levels : sequence of str
        Level of each center, in table row order.

    Returns
    -------
    pandas.DataFrame
        The chosen links (same columns), sorted by grid then center.
    """
    if len(center_grid) == 0:
        return center_grid.iloc[0:0].reset_index(drop=True)
    level = np.asarray(levels, dtype=object)[center_grid["center"].to_numpy(np.int64)]
    ranked = center_grid.assign(_level=level).sort_values(
        ["grid", "_level", "distance_m", "center"], kind="stable"
    )
    chosen = ranked.drop_duplicates(["grid", "_level"]).drop(columns="_level")
    return chosen.sort_values(["grid", "center"], kind="stable").reset_index(drop=True)


def org_center_links(
    org_xy: np.ndarray, center_xy: np.ndarray, reach_m: np.ndarray
) -> pd.DataFrame:
    """Links from each social organization to the centers within its ``reach_m``.

    Returns
    -------
    pandas.DataFrame
        Columns ``org`` and ``center`` (row positions) and ``distance_m``.
    """
    o, c, d = pairs_within(org_xy, center_xy, np.asarray(reach_m, dtype=float))
    return pd.DataFrame({"org": o, "center": c, "distance_m": d})


@dataclass(frozen=True, eq=False)
class Links:
    """Metric coordinates and sparse links of one dataset under one set of radii.

    Attributes
    ----------
    crs : pyproj.CRS
        The metric CRS used.
    grid_xy, center_xy, org_xy : ndarray
        Coordinates in ``crs``, in table row order.
    center_grid : pandas.DataFrame
        ``center, grid, distance_m`` (see :func:`center_grid_links`).
    org_center : pandas.DataFrame
        ``org, center, distance_m`` (see :func:`org_center_links`).
    """

    crs: CRS
    grid_xy: np.ndarray
    center_xy: np.ndarray
    org_xy: np.ndarray
    center_grid: pd.DataFrame
    org_center: pd.DataFrame


def build_links(dataset: Dataset, radius_m: LevelValues) -> Links:
    """Project the dataset and link centers to grids and organizations to centers."""
    crs = metric_crs(dataset.grids)
    grid_xy = grid_centroids(dataset.grids, crs)
    center_xy = centers_xy(dataset.centers, crs)
    org_xy = centers_xy(dataset.social_orgs, crs)
    levels = dataset.centers["level"].astype(str).tolist()
    cg = center_grid_links(grid_xy, center_xy, levels, radius_m)
    reach = dataset.social_orgs["reach_m"].to_numpy(float) if len(org_xy) else np.empty(0)
    oc = org_center_links(org_xy, center_xy, reach)
    return Links(crs, grid_xy, center_xy, org_xy, cg, oc)
