"""Work orders as counts per grid, category and year, and problems merged across chunks.

A city's work-order log has tens of millions of rows; the dataset keeps only
its counts (a few rows per grid), built chunk by chunk while the log is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from govopt.data.errors import Params, Problem

__all__ = [
    "COUNT_COLUMNS",
    "CountTally",
    "count_orders",
    "empty_counts",
    "merge_problems",
    "shift_problem",
    "tidy_counts",
]

COUNT_COLUMNS: tuple[str, ...] = ("grid_id", "category", "year", "count")
_KEYS = ["grid_id", "category", "year"]
_SHOW_ROWS = 5
_COMPACT_ROWS = 1_000_000


def empty_counts() -> pd.DataFrame:
    """Counts of no work order: the columns of :data:`COUNT_COLUMNS`, typed."""
    return tidy_counts(pd.DataFrame({c: [] for c in COUNT_COLUMNS}))


def tidy_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per grid, category and year (counts added), in that order, compactly typed.

    ``grid_id`` and ``category`` become categorical, ``year`` nullable ``Int16``
    (missing when unknown) and ``count`` ``int64``; rows that count nothing are dropped.
    """
    year = pd.to_numeric(frame["year"], errors="coerce") if len(frame) else frame["year"]
    work = pd.DataFrame(
        {
            "grid_id": frame["grid_id"].astype(str).to_numpy(),
            "category": frame["category"].astype(str).to_numpy(),
            "year": pd.Series(year).astype("Int16").to_numpy(),
            "count": frame["count"].to_numpy(np.int64),
        }
    )
    work = work.loc[work["count"] > 0]
    summed = work.groupby(_KEYS, sort=True, dropna=False, observed=True)["count"].sum()
    out = summed.reset_index()
    return pd.DataFrame(
        {
            "grid_id": pd.Categorical(out["grid_id"].astype(str)),
            "category": pd.Categorical(out["category"].astype(str)),
            "year": out["year"].astype("Int16"),
            "count": out["count"].to_numpy(np.int64),
        }
    )


def count_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Count typed work-order rows (``grid_id``, ``category``, ``created_at``) per key."""
    if not len(orders):
        return empty_counts()
    when = (
        orders["created_at"] if "created_at" in orders.columns else pd.Series(pd.NaT, orders.index)
    )
    year = pd.to_datetime(when, errors="coerce").dt.year.fillna(0).to_numpy(np.int64)
    year = np.where((year > 0) & (year < 10_000), year, 0)
    g, grids = pd.factorize(orders["grid_id"].astype(str))
    k, cats = pd.factorize(orders["category"].astype(str))
    key = (g.astype(np.int64) * len(cats) + k) * 10_000 + year
    keys, count = np.unique(key, return_counts=True)
    frame = pd.DataFrame(
        {
            "grid_id": np.asarray(grids, dtype=object)[keys // 10_000 // len(cats)],
            "category": np.asarray(cats, dtype=object)[keys // 10_000 % len(cats)],
            "year": pd.Series(keys % 10_000).where(keys % 10_000 > 0),
            "count": count,
        }
    )
    return tidy_counts(frame)


@dataclass
class CountTally:
    """Counts added up over the chunks of a log, kept small as they come."""

    parts: list[pd.DataFrame] = field(default_factory=list)
    rows: int = 0

    def add(self, counts: pd.DataFrame) -> None:
        """Add the counts of one chunk."""
        self.parts.append(counts)
        self.rows += len(counts)
        if self.rows > _COMPACT_ROWS and len(self.parts) > 1:
            self.parts = [tidy_counts(pd.concat(self.parts, ignore_index=True))]
            self.rows = len(self.parts[0])

    def result(self) -> pd.DataFrame:
        """Every chunk's counts as one tidy frame."""
        if not self.parts:
            return empty_counts()
        return tidy_counts(pd.concat([p.astype(object) for p in self.parts], ignore_index=True))


def shift_problem(p: Problem, offset: int) -> Problem:
    """``p`` with its row numbers moved down by ``offset`` rows (a chunk's first row - 1)."""
    if not offset or p.row is None:
        return p
    params = dict(p.params)
    rows = params.get("rows")
    if isinstance(rows, tuple):
        params["rows"] = tuple(int(r) + offset for r in rows)
    return Problem(p.severity, p.file, p.row + offset, p.column, p.code, Params(params))


_ADDED = ("count", "n")
_MERGED = ("count", "n", "rows", "values")


def _key(p: Problem) -> tuple[object, ...]:
    rest = tuple((k, v) for k, v in p.params.items() if k not in _MERGED)
    return (p.severity, p.file, p.column, p.code, rest)


def merge_problems(problems: Iterable[Problem]) -> list[Problem]:
    """One problem per kind and column: counts added, first rows kept (at most five).

    Problems found chunk by chunk read as if the whole file had been checked at
    once; the example values are those of the first chunk that had any.
    """
    merged: dict[tuple[object, ...], Problem] = {}
    for p in problems:
        key = _key(p)
        old = merged.get(key)
        if old is None:
            merged[key] = p
            continue
        params = dict(old.params)
        for k in _ADDED:
            if isinstance(p.params.get(k), int) and isinstance(params.get(k), int):
                params[k] = int(params[k]) + int(p.params[k])  # type: ignore[call-overload]
        rows_old, rows_new = params.get("rows"), p.params.get("rows")
        if isinstance(rows_old, tuple) and isinstance(rows_new, tuple):
            params["rows"] = tuple(sorted({*rows_old, *rows_new}))[:_SHOW_ROWS]
        rows = [r for r in (old.row, p.row) if r is not None]
        row = min(rows) if rows else None
        merged[key] = Problem(old.severity, old.file, row, old.column, old.code, Params(params))
    return list(merged.values())
