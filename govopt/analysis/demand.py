"""Service demand per grid and category, and WISN staffing need per center."""

from __future__ import annotations

import numpy as np
import pandas as pd

from govopt.data.dataset import Dataset

__all__ = [
    "demand_hours",
    "grid_wisn_ratio",
    "order_counts",
    "responsible_workload",
    "wisn_need",
    "wisn_ratio",
]


def order_counts(dataset: Dataset) -> pd.DataFrame:
    """Work orders per grid (rows, in ``grids`` order) and category (columns).

    Read from the dataset's :attr:`~govopt.data.dataset.Dataset.work_order_counts`
    (every year added up); orders whose grid or category is not in the dataset
    are not counted.
    """
    grid_ids = dataset.grids["grid_id"].astype(str).to_numpy()
    cats = list(dataset.categories)
    orders = dataset.work_order_counts
    counts = np.zeros((len(grid_ids), len(cats)), dtype=np.int64)
    if len(orders) and len(cats) and len(grid_ids):
        g = pd.Index(grid_ids).get_indexer(pd.Index(orders["grid_id"].astype(str)))
        k = pd.Index(cats).get_indexer(pd.Index(orders["category"].astype(str)))
        ok = (g >= 0) & (k >= 0)
        flat = g[ok].astype(np.int64) * len(cats) + k[ok]
        weights = orders["count"].to_numpy(np.int64)[ok]
        summed = np.bincount(flat, weights=weights, minlength=counts.size)
        counts = np.rint(summed).astype(np.int64).reshape(counts.shape)
    return pd.DataFrame(counts, index=pd.Index(grid_ids, name="grid_id"), columns=cats)


def demand_hours(dataset: Dataset, *, orders: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hours of service demand per grid and category (WISN activity standards x units).

    ``D_gk = residents_g * hours_per_resident_k + elderly_g * hours_per_elderly_k
    + orders_gk * hours_per_order_k``.

    Parameters
    ----------
    dataset : Dataset
        The district.
    orders : pandas.DataFrame, optional
        :func:`order_counts` of ``dataset``, when already computed.

    Returns
    -------
    pandas.DataFrame
        Index ``grid_id`` in ``grids`` order, one float column per category.
    """
    std = dataset.standards
    residents = dataset.grids["residents"].to_numpy(float)
    elderly = dataset.grids["elderly"].to_numpy(float)
    hpr = std["hours_per_resident"].to_numpy(float)
    hpe = std["hours_per_elderly"].to_numpy(float)
    hpo = std["hours_per_order"].to_numpy(float)
    counts = (order_counts(dataset) if orders is None else orders).to_numpy(float)
    values = np.outer(residents, hpr) + np.outer(elderly, hpe) + counts * hpo
    return pd.DataFrame(
        values,
        index=pd.Index(dataset.grids["grid_id"].astype(str), name="grid_id"),
        columns=list(dataset.categories),
    )


def responsible_workload(
    grid_demand: np.ndarray, responsible: pd.DataFrame, n_centers: int
) -> np.ndarray:
    """WISN workload per center: the demand hours of the grids it is responsible for.

    Parameters
    ----------
    grid_demand : ndarray
        ``D_g`` per grid, in table row order.
    responsible : pandas.DataFrame
        ``center, grid`` from :func:`govopt.analysis.geo.responsible_centers`.
    n_centers : int
        Number of centers.

    Returns
    -------
    ndarray
        Hours per year per center; it does not depend on any plan.
    """
    if len(responsible) == 0:
        return np.zeros(n_centers)
    g = responsible["grid"].to_numpy(np.int64)
    c = responsible["center"].to_numpy(np.int64)
    weights = np.asarray(grid_demand, dtype=float)[g]
    return np.bincount(c, weights=weights, minlength=n_centers).astype(float)


def wisn_need(workload_hours: np.ndarray, work_hours_per_staff: float) -> np.ndarray:
    """WISN staffing need: workload a center is responsible for / work hours per staff."""
    return np.asarray(workload_hours, dtype=float) / float(work_hours_per_staff)


def wisn_ratio(staff: np.ndarray, need: np.ndarray) -> np.ndarray:
    """WISN ratio: staff / needed staff (below 1 means understaffed; NaN when no need)."""
    staff = np.asarray(staff, dtype=float)
    need = np.asarray(need, dtype=float)
    out = np.full(staff.shape, np.nan)
    np.divide(staff, need, out=out, where=need > 0)
    return out


def grid_wisn_ratio(
    center_ratio: np.ndarray, responsible: pd.DataFrame, grid_demand: np.ndarray
) -> np.ndarray:
    """WISN ratio of each grid: staff its responsible centers give it over the staff it needs.

    Each responsible center's staff is shared over its grids in proportion to
    demand, so the grid's ratio is the sum of its responsible centers' ratios
    (0 where no center is responsible; NaN where the grid has no demand).
    """
    dem = np.asarray(grid_demand, dtype=float)
    out = np.zeros(len(dem))
    if len(responsible):
        g = responsible["grid"].to_numpy(np.int64)
        r = np.nan_to_num(np.asarray(center_ratio, dtype=float)[responsible["center"].to_numpy()])
        out = np.bincount(g, weights=r, minlength=len(dem)).astype(float)
    return np.where(dem > 0, out, np.nan)
