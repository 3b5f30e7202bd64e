"""Service demand per grid and category, and WISN staffing need per center."""

from __future__ import annotations

import numpy as np
import pandas as pd

from govopt.data.dataset import Dataset

__all__ = ["demand_hours", "order_counts", "wisn_need", "wisn_ratio"]


def order_counts(dataset: Dataset) -> pd.DataFrame:
    """Work orders per grid (rows, in ``grids`` order) and category (columns).

    Orders whose grid or category is not in the dataset are not counted.
    """
    grid_ids = dataset.grids["grid_id"].astype(str).to_numpy()
    cats = list(dataset.categories)
    orders = dataset.work_orders
    counts = np.zeros((len(grid_ids), len(cats)), dtype=np.int64)
    if len(orders) and len(cats) and len(grid_ids):
        g = pd.Index(grid_ids).get_indexer(pd.Index(orders["grid_id"].astype(str)))
        k = pd.Index(cats).get_indexer(pd.Index(orders["category"].astype(str)))
        ok = (g >= 0) & (k >= 0)
        flat = g[ok].astype(np.int64) * len(cats) + k[ok]
        counts = np.bincount(flat, minlength=counts.size).reshape(counts.shape)
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
