"""Tables behind the plan charts: coverage by street, resources by level, coverage histogram.

Each function compares two states of the district, ``before`` and ``after``:
today and a plan (``before`` omitted: today's figures are read from the plan
itself), or two plans A (``before``) and B (``after``). The result is a long
table with a ``series`` column (``"before"`` or ``"after"``), ready to chart.
Both plans must be optimal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govopt.analysis.plan_summary import level_summary
from govopt.plan import Plan

__all__ = [
    "HISTOGRAM_BINS",
    "LEVEL_ORDER",
    "SERIES",
    "coverage_by_street",
    "coverage_histogram",
    "resources_by_level",
]

SERIES: tuple[str, str] = ("before", "after")
LEVEL_ORDER: tuple[str, ...] = ("street", "community", "grid")
HISTOGRAM_BINS = 10


def _optimal(*plans: Plan | None) -> None:
    for plan in plans:
        if plan is not None and not plan.optimal:
            raise ValueError(f"the plan {plan.scenario.name!r} is not optimal: nothing to chart")


def _served(after: Plan, before: Plan | None) -> dict[str, pd.DataFrame]:
    """Per series: ``grid_id, street, demand_hours, served_hours, coverage`` of every grid."""
    cols = ["grid_id", "street", "demand_hours"]
    now = after.grids[[*cols, "coverage"]].copy()
    if before is None:
        then = after.grids[[*cols, "baseline_coverage"]].rename(
            columns={"baseline_coverage": "coverage"}
        )
    else:
        then = before.grids[[*cols, "coverage"]].copy()
    out = {}
    for name, frame in zip(SERIES, (then, now), strict=True):
        frame = frame.assign(
            grid_id=frame["grid_id"].astype(str),
            street=frame["street"].astype(str),
            demand_hours=frame["demand_hours"].astype(float),
            coverage=frame["coverage"].astype(float),
        )
        frame["served_hours"] = frame["coverage"].fillna(0.0) * frame["demand_hours"]
        out[name] = frame
    return out


def coverage_by_street(after: Plan, before: Plan | None = None) -> pd.DataFrame:
    """Coverage of each street before and after: its served hours over its demand hours.

    Returns
    -------
    pandas.DataFrame
        ``street, series, demand_hours, served_hours, coverage``; streets in
        the order of their coverage after (lowest first), streets without
        demand left out.
    """
    _optimal(after, before)
    parts = []
    for name, frame in _served(after, before).items():
        by = frame.groupby("street", sort=True)[["demand_hours", "served_hours"]].sum()
        by = by[by["demand_hours"] > 0]
        by["coverage"] = by["served_hours"] / by["demand_hours"]
        parts.append(by.reset_index().assign(series=name))
    out = pd.concat(parts, ignore_index=True)
    after_cov = out[out["series"] == "after"].set_index("street")["coverage"]
    order = {s: i for i, s in enumerate(after_cov.sort_values(kind="stable").index)}
    out["_rank"] = out["street"].map(order)
    out = out.sort_values(["_rank", "series"], key=_series_key, kind="stable")
    return out[["street", "series", "demand_hours", "served_hours", "coverage"]].reset_index(
        drop=True
    )


def _series_key(col: pd.Series) -> pd.Series:
    if col.name == "series":
        return col.map({s: i for i, s in enumerate(SERIES)})
    return col


def resources_by_level(after: Plan, before: Plan | None = None) -> pd.DataFrame:
    """Staff and funds at each center level, before and after (from ``level_summary``).

    Returns
    -------
    pandas.DataFrame
        ``level, series, centers, staff, funds_cny``; levels street,
        community, grid (those present), ``before`` first.
    """
    _optimal(after, before)
    now = level_summary(after).set_index("level")
    if before is None:
        then = now[["centers", "staff0", "funds0_cny"]].rename(
            columns={"staff0": "staff", "funds0_cny": "funds_cny"}
        )
    else:
        then = level_summary(before).set_index("level")
    cols = ["centers", "staff", "funds_cny"]
    rows = []
    for level in LEVEL_ORDER:
        for name, frame in zip(SERIES, (then[cols], now[cols]), strict=True):
            if level in frame.index:
                centers, staff, funds = frame.loc[level, cols].to_numpy(float)
                rows.append(
                    {
                        "level": level,
                        "series": name,
                        "centers": int(centers),
                        "staff": float(staff),
                        "funds_cny": float(funds),
                    }
                )
    return pd.DataFrame(rows, columns=["level", "series", *cols])


def coverage_histogram(
    after: Plan, before: Plan | None = None, bins: int = HISTOGRAM_BINS
) -> pd.DataFrame:
    """How many grids fall in each coverage band, before and after.

    Bands are ``bins`` equal steps of [0, 1], closed on the left
    (``[0, 0.1)``, ..., ``[0.9, 1]``: full coverage counts in the last one).
    Grids without demand have no coverage and are left out.

    Returns
    -------
    pandas.DataFrame
        ``bin, lower, upper, series, grids``; every band of both series, zero
        counts included.
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    _optimal(after, before)
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for name, frame in _served(after, before).items():
        cov = frame.loc[frame["demand_hours"] > 0, "coverage"].to_numpy(float)
        cov = cov[np.isfinite(cov)]
        idx = np.clip(np.floor(cov * bins + 1e-9).astype(int), 0, bins - 1)
        counts = np.bincount(idx, minlength=bins)
        for i in range(bins):
            rows.append(
                {
                    "bin": i,
                    "lower": float(edges[i]),
                    "upper": float(edges[i + 1]),
                    "series": name,
                    "grids": int(counts[i]),
                }
            )
    out = pd.DataFrame(rows, columns=["bin", "lower", "upper", "series", "grids"])
    return out.sort_values(["bin", "series"], key=_series_key, kind="stable").reset_index(drop=True)
