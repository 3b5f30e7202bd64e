"""Work orders as counts per grid, category and year, and problems merged across chunks.

A city's work-order log has tens of millions of rows; the dataset keeps only
its counts (a few rows per grid), built chunk by chunk while the log is read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govopt.data.errors import Params, Problem
from govopt.data.text_buffers import text_array

__all__ = [
    "COUNT_COLUMNS",
    "CountTally",
    "Labels",
    "count_orders",
    "empty_counts",
    "merge_problems",
    "order_years",
    "shift_problem",
    "tidy_counts",
]

COUNT_COLUMNS: tuple[str, ...] = ("grid_id", "category", "year", "count")
_KEYS = ["grid_id", "category", "year"]
_SHOW_ROWS = 5
_COMPACT_ROWS = 1_000_000
_SAMPLE_ROWS = 2_000


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


def order_years(when: pd.Series) -> np.ndarray:
    """The year of each date (``int64``), 0 where it is missing or outside years 1-9999."""
    if not pd.api.types.is_datetime64_dtype(when):
        when = pd.to_datetime(when, errors="coerce")
    if pd.api.types.is_datetime64_dtype(when):
        stamps = pa.array(when.to_numpy(), from_pandas=True)
        year = np.asarray(pc.year(stamps).fill_null(0), dtype=np.int64)
    else:
        year = when.dt.year.fillna(0).to_numpy(np.int64)
    return np.where((year > 0) & (year < 10_000), year, 0)


class Labels:
    """Text labels numbered from 0, the ``known`` ones first: a column of them as codes.

    Parameters
    ----------
    known : iterable of str
        Labels numbered first, in this order (e.g. the grid ids of the grid file).
    """

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.values: list[str] = list(dict.fromkeys(known))
        self.known = len(self.values)
        self._set = pa.array(self.values, type=pa.large_string())
        self._index = pd.Index(self.values, dtype=object)
        self._codes = {v: i for i, v in enumerate(self.values)}

    def codes(self, column: pd.Series, *, extend: bool = True) -> np.ndarray:
        """The code of each value (``int64``); -1 where it is missing.

        Values that are not known get new codes, in the order met, or -1
        when ``extend`` is false.
        """
        values = text_array(column)
        if not len(values):
            return np.zeros(0, dtype=np.int64)
        if _few_distinct(values):
            # a log sorted by grid: look up each distinct value once
            encoded = pc.dictionary_encode(values.combine_chunks())
            known = self._index.get_indexer(encoded.dictionary.to_numpy(zero_copy_only=False))
            index = np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)
            out = np.append(known, -1).astype(np.int64)[index]
        else:
            found = pc.index_in(values, value_set=self._set).fill_null(-1)
            out = np.asarray(found, dtype=np.int64)
        if extend:
            other = np.flatnonzero(out < 0)
            if len(other):
                out[other] = self._new_codes(values.take(pa.array(other)))
        return out

    def _new_codes(self, values: pa.ChunkedArray) -> np.ndarray:
        encoded = pc.dictionary_encode(values.combine_chunks())
        lookup = np.array(
            [self._code(v) for v in encoded.dictionary.to_pylist()] + [-1], dtype=np.int64
        )
        index = np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)
        return lookup[index]

    def _code(self, value: str) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self.values)
            self.values.append(value)
        return code


def _few_distinct(values: pa.ChunkedArray) -> bool:
    """Whether the first rows of ``values`` repeat a few values (under one in ten distinct)."""
    head = values.slice(0, _SAMPLE_ROWS)
    return len(head) >= _SAMPLE_ROWS and pc.count_distinct(head).as_py() * 10 < len(head)


def _sum_by(
    keys: Sequence[np.ndarray], weights: np.ndarray | None
) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of ``keys`` (columns of non-negative ints) and the weight of each.

    The weight is the number of rows, or the sum of ``weights``.
    """
    n = len(keys[0])
    if not n:
        return [k[:0].astype(np.int64) for k in keys], np.zeros(0, dtype=np.int64)
    low = [int(k.min()) for k in keys]
    spans = [int(k.max()) - lo + 1 for k, lo in zip(keys, low, strict=True)]
    if math.prod(spans) <= 4 * n + 1024:
        flat = keys[0] - low[0]
        for k, lo, span in zip(keys[1:], low[1:], spans[1:], strict=True):
            flat *= span
            flat += k
            flat -= lo
        total = np.bincount(flat, weights=weights, minlength=math.prod(spans))
        where = np.flatnonzero(total)
        parts = np.unravel_index(where, spans)
        found = [p.astype(np.int64) + lo for p, lo in zip(parts, low, strict=True)]
        return found, total[where].astype(np.int64)
    order = np.lexsort(keys[::-1])
    ordered = [k[order] for k in keys]
    same = np.ones(n, dtype=bool)
    same[0] = False
    for k in ordered:
        same[1:] &= k[1:] == k[:-1]
    starts = np.flatnonzero(~same)
    found = [k[starts].astype(np.int64) for k in ordered]
    if weights is None:
        return found, np.diff(np.append(starts, n)).astype(np.int64)
    return found, np.add.reduceat(weights[order], starts).astype(np.int64)


@dataclass
class CountTally:
    """Orders counted per grid, category and year over the chunks of a log, kept small.

    ``grids`` and ``categories`` name the codes that :meth:`add` is given.
    """

    grids: Labels = field(default_factory=Labels)
    categories: Labels = field(default_factory=Labels)
    parts: list[tuple[list[np.ndarray], np.ndarray]] = field(default_factory=list)
    rows: int = 0

    def add(self, grid: np.ndarray, category: np.ndarray, year: np.ndarray) -> None:
        """Count the orders of one chunk: codes of their grid and category, and their year.

        Orders with a missing grid or category (code -1) are not counted.
        """
        ok = (grid >= 0) & (category >= 0)
        if not ok.all():
            grid, category, year = grid[ok], category[ok], year[ok]
        if not len(grid):
            return
        part = _sum_by([grid, category, year], None)
        self.parts.append(part)
        self.rows += len(part[1])
        if self.rows > _COMPACT_ROWS and len(self.parts) > 1:
            self.parts = [self._merged()]
            self.rows = len(self.parts[0][1])

    def _merged(self) -> tuple[list[np.ndarray], np.ndarray]:
        keys = [np.concatenate([p[0][i] for p in self.parts]) for i in range(3)]
        return _sum_by(keys, np.concatenate([p[1] for p in self.parts]).astype(np.float64))

    def result(self) -> pd.DataFrame:
        """Every chunk's counts as one tidy frame (see :func:`tidy_counts`)."""
        if not self.parts:
            return empty_counts()
        (grid, category, year), count = self._merged()
        frame = pd.DataFrame(
            {
                "grid_id": np.asarray(self.grids.values, dtype=object)[grid],
                "category": np.asarray(self.categories.values, dtype=object)[category],
                "year": pd.Series(year).where(year > 0),
                "count": count,
            }
        )
        return tidy_counts(frame)


def count_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Count typed work-order rows (``grid_id``, ``category``, ``created_at``) per key.

    Rows without a grid or a category are not counted.
    """
    if not len(orders):
        return empty_counts()
    when = (
        orders["created_at"] if "created_at" in orders.columns else pd.Series(pd.NaT, orders.index)
    )
    tally = CountTally()
    tally.add(
        tally.grids.codes(orders["grid_id"].astype(str)),
        tally.categories.codes(orders["category"].astype(str)),
        order_years(when),
    )
    return tally.result()


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
