"""Turn a solved model into the frozen :class:`~govopt.data.scenario.Plan` tables and KPIs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from govopt.analysis.demand import responsible_workload, wisn_need, wisn_ratio
from govopt.analysis.geo import responsible_centers
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.optimize.inputs import ModelInputs
from govopt.plan import Kpis

__all__ = [
    "CENTER_BASE_COLUMNS",
    "CHANGE_FUNDS_CNY",
    "CHANGE_STAFF",
    "center_table",
    "changed_centers",
    "flow_table",
    "gini",
    "grid_table",
    "kpis",
    "today_kpis",
    "workload",
]


CENTER_BASE_COLUMNS: tuple[str, ...] = (
    "center_id",
    "name",
    "level",
    "staff0",
    "staff",
    "staff_change",
    "funds0_cny",
    "funds_cny",
    "funds_change",
)
"""The columns of :func:`center_table` every view of a plan's centers starts with."""


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = all equal); 0 for an empty input."""
    v = np.sort(np.asarray(values, dtype=float))
    n = len(v)
    if n == 0 or v.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * v).sum()) / (n * v.sum()) - (n + 1) / n)


def workload(inputs: ModelInputs, levels: Sequence[str]) -> np.ndarray:
    """WISN workload per center: demand hours of the grids it is responsible for.

    See :func:`govopt.analysis.geo.responsible_centers`; the hours a plan
    assigns play no part.
    """
    responsible = responsible_centers(inputs.links.center_grid, levels)
    return responsible_workload(inputs.grid_demand, responsible, inputs.n_centers)


def center_table(
    dataset: Dataset,
    inputs: ModelInputs,
    scenario: Scenario,
    *,
    staff: np.ndarray,
    funds: np.ndarray,
    staff_hours: np.ndarray,
    purchased_hours: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
) -> pd.DataFrame:
    """One row per center: staff, funds, changes, hours by source, WISN before/after.

    WISN need rests on the demand of the grids a center is responsible for
    (:func:`workload`), so it is the same before and after.
    """
    c = dataset.centers
    n_c = inputs.n_centers
    staff0, funds0 = inputs.staff0, inputs.funds0
    out = pd.DataFrame(
        {
            "center_id": c["center_id"].astype(str).to_numpy(),
            "name": c["name"].astype(str).to_numpy(),
            "level": c["level"].astype(str).to_numpy(),
            "staff0": staff0,
            "staff": staff,
            "staff_change": staff - staff0,
            "funds0_cny": funds0,
            "funds_cny": funds,
            "funds_change": funds - funds0,
            "staff_hours": staff_hours,
            "purchased_hours": purchased_hours,
            "org_hours": np.bincount(inputs.y_center, weights=y, minlength=n_c),
            "org_effective_hours": np.bincount(
                inputs.y_center, weights=y * inputs.org_quality[inputs.y_org], minlength=n_c
            ),
        }
    )
    n_k = len(inputs.categories)
    for k, name in enumerate(inputs.categories):
        sel = inputs.y_cat == k
        out[f"org_hours_{name}"] = np.bincount(inputs.y_center[sel], weights=y[sel], minlength=n_c)
    del n_k
    out["served_hours"] = np.bincount(inputs.x_center, weights=x, minlength=n_c)
    load = workload(inputs, out["level"].tolist())
    need = wisn_need(load, scenario.work_hours_per_staff)
    out["workload_hours"] = load
    out["wisn_need"] = need
    out["wisn_ratio_before"] = wisn_ratio(staff0, need)
    out["wisn_ratio_after"] = wisn_ratio(staff, need)
    return out


def grid_table(
    dataset: Dataset, inputs: ModelInputs, x: np.ndarray, baseline_x: np.ndarray
) -> pd.DataFrame:
    """One row per grid: demand, served hours, coverage now and in the plan, reachability."""
    g = dataset.grids
    dem = inputs.grid_demand
    served = np.bincount(inputs.x_grid, weights=x, minlength=inputs.n_grids)
    served0 = np.bincount(inputs.x_grid, weights=baseline_x, minlength=inputs.n_grids)
    cov = np.full(len(dem), np.nan)
    cov0 = np.full(len(dem), np.nan)
    np.divide(served, dem, out=cov, where=dem > 0)
    np.divide(served0, dem, out=cov0, where=dem > 0)
    return pd.DataFrame(
        {
            "grid_id": g["grid_id"].astype(str).to_numpy(),
            "name": g["name"].astype(str).to_numpy(),
            "street": g["street"].astype(str).to_numpy(),
            "priority": inputs.priority,
            "demand_hours": dem,
            "served_hours": served,
            "coverage": np.minimum(cov, 1.0),
            "baseline_coverage": np.minimum(cov0, 1.0),
            "unreachable": inputs.unreachable,
        }
    )


def flow_table(dataset: Dataset, inputs: ModelInputs, x: np.ndarray) -> pd.DataFrame:
    """Service hours ``x_cgk`` that are used: ``center_id, grid_id, category, hours``."""
    used = x > 1e-9
    cats = np.asarray(inputs.categories, dtype=object)
    return pd.DataFrame(
        {
            "center_id": dataset.centers["center_id"].astype(str).to_numpy()[inputs.x_center[used]],
            "grid_id": dataset.grids["grid_id"].astype(str).to_numpy()[inputs.x_grid[used]],
            "category": cats[inputs.x_cat[used]] if len(cats) else np.empty(0, dtype=object),
            "hours": x[used],
        }
    )


CHANGE_STAFF = 1e-6
CHANGE_FUNDS_CNY = 0.5


def changed_centers(centers: pd.DataFrame) -> np.ndarray:
    """Whether each center's staff (by more than 1e-6) or funds (by 0.5 CNY or more) change."""
    staff = np.abs(centers["staff_change"].to_numpy(float)) > CHANGE_STAFF
    funds = np.abs(centers["funds_change"].to_numpy(float)) >= CHANGE_FUNDS_CNY
    return np.asarray(staff | funds)


def kpis(
    grids: pd.DataFrame, centers: pd.DataFrame, scenario: Scenario, t: float | None = None
) -> Kpis:
    """District indicators of a plan's tables (``t``: the equity objective's lowest share)."""
    dem = grids["demand_hours"].to_numpy(float)
    served = grids["served_hours"].to_numpy(float)
    cov = grids["coverage"].to_numpy(float)
    reach = (dem > 0) & ~grids["unreachable"].to_numpy(bool)
    total = float(dem.sum())
    return Kpis(
        coverage=float(served.sum() / total) if total > 0 else float("nan"),
        min_coverage=float(cov[reach].min()) if reach.any() else float("nan"),
        grids_below_target=int(
            ((dem > 0) & (np.nan_to_num(cov) < scenario.coverage_target - 1e-9)).sum()
        ),
        coverage_gini=gini(cov[reach]),
        staff_used=float(centers["staff"].sum()),
        funds_used_cny=float(centers["funds_cny"].sum()),
        demand_hours=total,
        served_hours=float(served.sum()),
        unreachable_grids=int(grids["unreachable"].sum()),
        staff_transfers=float(np.maximum(-centers["staff_change"].to_numpy(float), 0).sum()),
        moved_staff=float(np.abs(centers["staff_change"].to_numpy(float)).sum()),
        moved_funds_cny=float(np.abs(centers["funds_change"].to_numpy(float)).sum()),
        centers_changed=int(changed_centers(centers).sum()),
        lowest_share=t,
    )


def today_kpis(grids: pd.DataFrame, centers: pd.DataFrame, scenario: Scenario) -> Kpis | None:
    """District indicators of today read from a plan's tables: today's staff and funds
    (``staff0``, ``funds0_cny``) serving as in the baseline (``baseline_coverage``).

    Nothing changes today, so transfers and changes are 0. ``None`` when the
    tables are empty or today's coverage is unknown (the baseline was not solved).
    """
    if grids.empty or centers.empty or "baseline_coverage" not in grids.columns:
        return None
    dem = grids["demand_hours"].to_numpy(float)
    cov0 = grids["baseline_coverage"].to_numpy(float)
    if np.isnan(cov0[dem > 0]).any():
        return None
    today_grids = grids.assign(coverage=cov0, served_hours=np.nan_to_num(cov0) * dem)
    today_centers = centers.assign(
        staff=centers["staff0"], funds_cny=centers["funds0_cny"], staff_change=0.0, funds_change=0.0
    )
    return kpis(today_grids, today_centers, scenario)
