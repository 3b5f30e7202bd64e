"""Type and check a dataset folder; report every problem found.

:func:`validate_folder` never raises: whatever the input, it returns a
:class:`Report` listing each problem with its file, row, column, code and
values; ``report_text`` and ``report_frame`` in :mod:`govopt.output.problem_text`
put them in planner words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyproj
import shapely

from govopt.data.dataset import Dataset
from govopt.data.errors import DataError, Problem, Severity, problem
from govopt.data.io import (
    CSV_TABLES,
    STREAMED_TABLES,
    RawFolder,
    RereadAs,
    StreamedTable,
    read_ahead,
    read_folder,
)
from govopt.data.orders import (
    CountTally,
    Labels,
    empty_counts,
    merge_problems,
    order_years,
    shift_problem,
    tidy_counts,
)
from govopt.data.scenario import Scenario, ScenarioError
from govopt.data.schema import TABLES, Column, Table
from govopt.data.text_buffers import has_nul, id_hashes

__all__ = [
    "Report",
    "check_raw",
    "empty_table",
    "load_dataset",
    "read_work_orders",
    "validate_folder",
]

CHINA_LON = (73.0, 135.5)
CHINA_LAT = (3.5, 54.0)
REPAIR_TOLERANCE = 0.01
_SHOW_ROWS = 5
_VERIFY_ROWS = 100_000
_RANK = {"error": 0, "warning": 1, "info": 2}
_FILE_ORDER = ("grids", "centers", "social_orgs", "work_orders", "surveys", "standards", "scenario")


def _order(p: Problem) -> tuple[int, int, int]:
    stem = p.file.split(".", 1)[0]
    place = _FILE_ORDER.index(stem) if stem in _FILE_ORDER else len(_FILE_ORDER)
    return _RANK[p.severity], place, p.row or 0


@dataclass(frozen=True)
class Report:
    """Every problem found in one dataset folder."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that block loading."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Warnings and infos (e.g. a repaired polygon); they do not block loading."""
        return tuple(p for p in self.problems if p.severity != "error")

    @property
    def ok(self) -> bool:
        """Whether the folder can be loaded (no errors)."""
        return not self.errors

    @property
    def ordered(self) -> tuple[Problem, ...]:
        """Problems in reading order: errors first, then by file and row."""
        return tuple(sorted(self.problems, key=_order))


def _rows(mask: pd.Series | np.ndarray) -> tuple[int, list[int]]:
    idx = np.flatnonzero(np.asarray(mask, dtype=bool))
    return len(idx), [int(i) + 1 for i in idx[:_SHOW_ROWS]]


def _rows_problem(
    file: str,
    column: str | None,
    mask: pd.Series | np.ndarray,
    *,
    code: str,
    severity: Severity = "error",
    **params: object,
) -> Problem | None:
    """The problem of the rows where ``mask`` holds (their count and first rows), if any."""
    count, first = _rows(mask)
    if not count:
        return None
    return problem(
        file,
        code=code,
        severity=severity,
        row=first[0],
        column=column,
        count=count,
        rows=tuple(first),
        **params,
    )


# ----- typing one column ----------------------------------------------------


def _whole(value: object) -> object:
    """``7.0`` (as GIS tools write ids) as ``7``; anything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _as_text(s: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(s):
        whole = s.notna() & (s == s.round()) & (s.abs() < 1e15)
        out = s.astype(object).where(~whole, s.where(whole, 0).astype("int64"))
        return out.astype("str").where(s.notna())
    if pd.api.types.is_string_dtype(s) and not pd.api.types.is_object_dtype(s):
        return s
    if pd.api.types.is_object_dtype(s):
        s = s.map(_whole)
    out = s.astype("str").str.strip()
    return out.where(s.notna() & (out != ""))


def _to_float(s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s):
        return pd.Series(np.nan, index=s.index)
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64")
    if pd.api.types.is_string_dtype(s) and not pd.api.types.is_object_dtype(s):
        try:
            arr = pc.cast(pa.array(s, from_pandas=True), pa.float64())
            return pd.Series(arr.to_numpy(zero_copy_only=False), index=s.index)
        except (pa.ArrowException, TypeError):
            pass
    return pd.to_numeric(_as_text(s), errors="coerce").astype("float64")


def _to_datetime(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s
    else:
        try:
            arr = pc.cast(pa.array(s.astype("str"), from_pandas=True), pa.timestamp("us"))
            out = pd.Series(arr.to_pandas(), index=s.index)
        except (pa.ArrowException, TypeError):
            out = _parse_dates(_as_text(s))
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return out.astype("datetime64[us]")


def _parse_dates(text: pd.Series) -> pd.Series:
    for utc in (False, True):
        try:
            out = pd.to_datetime(text, errors="coerce", format="mixed", utc=utc)
        except (ValueError, TypeError, OverflowError):
            continue
        if pd.api.types.is_datetime64_any_dtype(out):
            return out
    return pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")


def _default(col: Column, n: int, index: pd.Index) -> pd.Series:
    if col.dtype == "int":
        return pd.Series(np.full(n, int(col.default or 0), dtype="int64"), index=index)
    if col.dtype == "float":
        value = np.nan if col.default is None else col.default
        return pd.Series(np.full(n, value, dtype="float64"), index=index)
    if col.dtype == "datetime":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[us]")
    return pd.Series(np.nan, index=index, dtype="str")


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of table ``name``."""
    index = pd.RangeIndex(0)
    return pd.DataFrame(
        {c.name: _default(c, 0, index) for c in TABLES[name].columns if c.dtype != "geometry"}
    )


def _type_column(
    col: Column, s: pd.Series, file: str, *, unique: bool = True
) -> tuple[pd.Series, list[Problem]]:
    problems: list[Problem] = []
    missing = s.isna()
    if col.dtype == "str":
        out = _as_text(s)
        missing = out.isna()
        empty = missing
        if has_nul(out):
            nul = out.str.contains("\x00", regex=False).fillna(False).astype(bool)
            p = _rows_problem(file, col.name, nul, code="nul_character")
            problems += [p] if p else []
    elif col.dtype == "datetime":
        empty = missing
        out = _to_datetime(s)
        bad = out.isna() & ~missing
        p = _rows_problem(file, col.name, bad, code="bad_datetime")
        problems += [p] if p else []
    else:
        empty = missing
        out = _to_float(s)
        bad = (out.isna() | ~np.isfinite(out.fillna(0))) & ~missing
        p = _rows_problem(file, col.name, bad, code="not_a_number")
        problems += [p] if p else []
        out = out.where(~bad)
        if col.dtype == "int":
            frac = out.notna() & (out != out.round())
            p = _rows_problem(file, col.name, frac, code="not_whole")
            problems += [p] if p else []
        located = col.unit.startswith("degrees")
        if col.minimum is not None and not located:
            p = _rows_problem(
                file,
                col.name,
                out < col.minimum,
                code="below_minimum",
                minimum=col.minimum,
                variant="negative" if col.minimum == 0 else "",
            )
            problems += [p] if p else []
        if col.maximum is not None and not located:
            p = _rows_problem(
                file, col.name, out > col.maximum, code="above_maximum", maximum=col.maximum
            )
            problems += [p] if p else []
    if col.required:
        p = _rows_problem(file, col.name, empty, code="empty_cell")
        problems += [p] if p else []
    if col.allowed is not None:
        bad_set = out.notna() & ~out.isin(col.allowed)
        p = _rows_problem(
            file,
            col.name,
            bad_set,
            code="not_allowed",
            values=_examples(out[bad_set]),
            allowed=", ".join(col.allowed),
        )
        problems += [p] if p else []
    if unique and col.unique and not _is_unique(out):
        dup = out.notna() & out.duplicated(keep="first")
        p = _rows_problem(file, col.name, dup, code="duplicate_id", values=_examples(out[dup]))
        problems += [p] if p else []
    if col.default is not None and not col.required and col.dtype in ("int", "float"):
        p = _rows_problem(
            file, col.name, missing, code="default_used", severity="warning", default=col.default
        )
        problems += [p] if p else []
        out = out.where(~missing, col.default)
    if col.dtype == "int":
        out = out.where(out.abs() < 2**53).fillna(col.default or 0).round().astype("int64")
    return out, problems


def _is_unique(s: pd.Series) -> bool:
    if pd.api.types.is_string_dtype(s) and not pd.api.types.is_object_dtype(s) and len(s) > 1:
        arr = pa.array(s, from_pandas=True)
        if arr.null_count == 0 and pc.all(pc.less(arr[:-1], arr[1:])).as_py():
            return True
    return bool(s.is_unique)


def _examples(values: pd.Series) -> str:
    shown = list(dict.fromkeys(map(str, values.head(50))))[:3]
    return ", ".join(repr(v) for v in shown) + (" …" if values.nunique() > 3 else "")


def _type_table(
    table: Table, frame: pd.DataFrame, file: str, *, unique: bool = True
) -> tuple[pd.DataFrame | None, list[Problem]]:
    problems: list[Problem] = []
    schema_cols = [c for c in table.columns if c.dtype != "geometry"]
    absent = [c.name for c in schema_cols if c.required and c.name not in frame.columns]
    for name in absent:
        found = ", ".join(str(c) for c in frame.columns if c != "geometry")
        problems.append(
            problem(
                file,
                code="missing_column",
                column=name,
                found=found,
                variant="" if found else "none",
            )
        )
    out: dict[str, pd.Series] = {}
    for col in schema_cols:
        if col.name in frame.columns:
            out[col.name], found_problems = _type_column(col, frame[col.name], file, unique=unique)
            problems += found_problems
        elif not col.required:
            out[col.name] = _default(col, len(frame), frame.index)
    if absent:
        return None, problems
    typed = pd.DataFrame(out, index=frame.index)
    extras = [c for c in frame.columns if c not in out and c != "geometry"]
    for c in extras:
        typed[c] = frame[c]
    return typed, problems


# ----- grids ---------------------------------------------------------------


def _in_china(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (x >= CHINA_LON[0]) & (x <= CHINA_LON[1]) & (y >= CHINA_LAT[0]) & (y <= CHINA_LAT[1])


def _location_problems(
    file: str, x: pd.Series, y: pd.Series, xcol: str, ycol: str
) -> list[Problem]:
    xs, ys = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
    known = np.isfinite(xs) & np.isfinite(ys)
    outside = known & ~_in_china(xs, ys)
    swapped = outside & _in_china(ys, xs)
    problems = [
        _rows_problem(file, xcol, swapped, code="swapped_lonlat", xcol=xcol, ycol=ycol),
        _rows_problem(file, xcol, outside & ~swapped, code="outside_china"),
    ]
    return [p for p in problems if p]


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if merged.geom_type in ("Polygon", "MultiPolygon") else None


def _check_geometry(grids: gpd.GeoDataFrame, file: str) -> tuple[gpd.GeoSeries, list[Problem]]:
    problems: list[Problem] = []
    geoms = grids.geometry.copy()
    values = np.asarray(geoms.values, dtype=object)
    null = shapely.is_missing(values) | shapely.is_empty(values)
    p = _rows_problem(file, "geometry", null, code="empty_geometry")
    problems += [p] if p else []
    kinds = np.array([g.geom_type if g is not None else "" for g in values])
    not_poly = ~null & ~np.isin(kinds, ("Polygon", "MultiPolygon"))
    p = _rows_problem(
        file,
        "geometry",
        not_poly,
        code="not_polygon",
        kinds=", ".join(sorted(set(kinds[not_poly]))),
    )
    problems += [p] if p else []
    check = ~null & ~not_poly
    invalid = check & ~shapely.is_valid(values)
    ids = grids["grid_id"].astype("str") if "grid_id" in grids.columns else None
    for i in np.flatnonzero(invalid):
        geom = values[i]
        gid = str(ids.iloc[i]) if ids is not None else str(i + 1)
        before = float(geom.area)
        repaired = _polygonal(shapely.make_valid(geom))
        if repaired is None or not shapely.is_valid(repaired):
            repaired = _polygonal(geom.buffer(0))
        if (
            repaired is not None
            and before > 0
            and abs(float(shapely.area(repaired)) - before) <= REPAIR_TOLERANCE * before
        ):
            values[i] = repaired
            problems.append(
                problem(
                    file,
                    code="repaired_geometry",
                    severity="warning",
                    row=int(i) + 1,
                    column="geometry",
                    grid=gid,
                )
            )
        else:
            problems.append(
                problem(file, code="invalid_geometry", row=int(i) + 1, column="geometry", grid=gid)
            )
    return gpd.GeoSeries(values, index=geoms.index, crs=grids.crs, name="geometry"), problems


def _lonlat(crs: pyproj.CRS, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of ``crs`` in WGS84 degrees; points that cannot be transformed land far away."""
    if crs.is_geographic:
        return x, y
    to_wgs84 = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
    with np.errstate(all="ignore"):
        lon, lat = to_wgs84.transform(x, y, errcheck=False)
    far = ~(np.isfinite(lon) & np.isfinite(lat)) & np.isfinite(x) & np.isfinite(y)
    return np.where(far, 1e9, lon), np.where(far, 1e9, lat)


def _check_crs(grids: gpd.GeoDataFrame, file: str, ok: np.ndarray) -> list[Problem]:
    crs = grids.crs
    if crs is None:
        return [problem(file, code="missing_crs", column="geometry")]
    if not (crs.is_geographic or crs.is_projected):
        return [problem(file, code="unknown_crs", column="geometry", name=str(crs.name))]
    if not ok.any():
        return []
    b = shapely.bounds(np.asarray(grids.geometry.values, dtype=object))
    lon, lat = _lonlat(crs, (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2)
    found = _location_problems(
        file, pd.Series(lon).where(ok), pd.Series(lat).where(ok), "lon", "lat"
    )
    return [replace(p, column="geometry") for p in found]


def _check_grids(raw: RawFolder) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    grids = raw.grids
    file = raw.files.get("grids", "grids.geojson")
    if grids is None:
        return None, []
    if len(grids) == 0:
        return None, [problem(file, code="empty_file", variant="no_grids")]
    frame = pd.DataFrame(grids.drop(columns="geometry")).reset_index(drop=True)
    typed, problems = _type_table(TABLES["grids"], frame, file)
    geoms, found = _check_geometry(grids.reset_index(drop=True), file)
    problems += found
    ok = ~(shapely.is_missing(geoms.values) | shapely.is_empty(geoms.values))
    if not any(p.code == "unknown_crs" and p.file == file for p in raw.problems):
        problems += _check_crs(grids, file, np.asarray(ok))
    if typed is None:
        return None, problems
    p = _rows_problem(
        file, "elderly", typed["elderly"] > typed["residents"], code="elderly_over_residents"
    )
    problems += [p] if p else []
    return gpd.GeoDataFrame(typed, geometry=geoms, crs=grids.crs), problems


# ----- cross-table checks --------------------------------------------------


def _check_categories(
    tables: dict[str, pd.DataFrame], files: dict[str, str], categories: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    for name, col in (("work_order_counts", "category"), ("social_orgs", "domain")):
        frame = tables.get(name)
        if frame is None or col not in frame.columns or not categories:
            continue
        bad = frame[col].notna() & ~frame[col].isin(categories)
        p = _rows_problem(
            files[name],
            col,
            bad,
            code="unknown_category",
            values=_examples(frame.loc[bad, col]),
            categories=", ".join(sorted(categories)),
        )
        problems += [p] if p else []
    return problems


def _check_orders(
    orders: pd.DataFrame, file: str, grids: Labels | None, tally: CountTally
) -> tuple[np.ndarray, list[Problem]]:
    """Cross-table checks of a chunk of the work-order log, its orders counted; rows of known grids.

    ``grids`` are the grid ids of the grid file (None: not known); the orders
    of other grids are not counted.
    """
    problems: list[Problem] = []
    p = _rows_problem(
        file,
        "closed_at",
        orders["closed_at"] < orders["created_at"],
        code="closed_before_created",
        severity="warning",
    )
    problems += [p] if p else []
    category = orders["category"]
    if tally.categories.known:
        codes = tally.categories.codes(category, extend=False)
        bad = codes < 0
        if bad.any():
            bad &= category.notna().to_numpy()
            p = _rows_problem(
                file,
                "category",
                bad,
                code="unknown_category",
                values=_examples(category[bad]),
                categories=", ".join(sorted(tally.categories.values[: tally.categories.known])),
            )
            problems += [p] if p else []
            if p:
                codes[bad] = tally.categories.codes(category[bad])
    else:
        codes = tally.categories.codes(category)
    ids = orders["grid_id"]
    if grids is None:
        grid = tally.grids.codes(ids)
        known = np.ones(len(orders), dtype=bool)
    else:
        grid = grids.codes(ids, extend=False)
        known = grid >= 0
        if not known.all():
            known |= ids.isna().to_numpy()
        if not known.all():
            p = _unknown_grid_problem(file, ~known, ids)
            problems += [p] if p else []
    years = order_years(orders["created_at"])
    if known.all():
        tally.add(grid, codes, years)
    else:
        tally.add(grid[known], codes[known], years[known])
    return known, problems


def _unknown_grids(ids: pd.Series, grids: Labels) -> np.ndarray:
    """Where a grid id is given but is not one of the grid file's."""
    return (grids.codes(ids, extend=False) < 0) & ids.notna().to_numpy()


def _drop_unknown_grids(
    frame: pd.DataFrame, file: str, grids: Labels | None
) -> tuple[pd.DataFrame, list[Problem]]:
    if grids is None:
        return frame, []
    unknown = _unknown_grids(frame["grid_id"], grids)
    if not unknown.any():
        return frame, []
    p = _unknown_grid_problem(file, unknown, frame["grid_id"])
    return frame.loc[~unknown].reset_index(drop=True), [p] if p else []


def _unknown_grid_problem(file: str, unknown: np.ndarray, ids: pd.Series) -> Problem | None:
    return _rows_problem(
        file,
        "grid_id",
        unknown,
        code="unknown_grid",
        severity="warning",
        variant="orders",
        values=_examples(ids[unknown]),
    )


def _suspect_rows(hashes: list[np.ndarray]) -> np.ndarray:
    """Rows (0-based) whose id hash came earlier in the file."""
    if not hashes:
        return np.zeros(0, dtype=np.int64)
    h = np.concatenate(hashes)
    s = np.sort(h)
    again = s[1:][(s[1:] == s[:-1]) & (s[1:] != 0)]
    del s
    if not len(again):
        return np.zeros(0, dtype=np.int64)
    rows = np.flatnonzero(np.isin(h, np.unique(again)))
    return rows[pd.Series(h[rows]).duplicated(keep="first").to_numpy()]


def _duplicate_ids(
    stream: StreamedTable, encoding: str | None, hashes: list[np.ndarray]
) -> list[Problem]:
    """The ``duplicate_id`` problem of the whole log, ids compared exactly on a second read."""
    later = _suspect_rows(hashes)
    if not len(later):
        return []
    h = np.concatenate(hashes)
    suspects = np.flatnonzero(np.isin(h, np.unique(h[later])))[:_VERIFY_ROWS]
    del h
    picked: list[pd.Series] = []
    for chunk in stream.chunks([], encoding=encoding):
        if "order_id" not in chunk.columns:
            return []
        if not len(chunk):
            continue
        lo = int(chunk.index[0])
        hi = lo + len(chunk)
        inside = suspects[(suspects >= lo) & (suspects < hi)]
        if len(inside):
            picked.append(_as_text(chunk["order_id"]).loc[pd.Index(inside)])
        if len(suspects) and hi > suspects[-1]:
            break
    ids = pd.concat(picked) if picked else pd.Series([], dtype=object)
    dup = ids.notna() & ids.duplicated(keep="first")
    exact = ids.index.to_numpy()[dup.to_numpy()]
    count = len(exact) if len(suspects) < _VERIFY_ROWS else len(later)
    if not count:
        return []
    first = [int(r) + 1 for r in exact[:_SHOW_ROWS]]
    return [
        problem(
            stream.name,
            code="duplicate_id",
            row=first[0],
            column="order_id",
            count=count,
            rows=tuple(first),
            values=_examples(ids[dup]),
        )
    ]


def _typed_chunks(
    stream: StreamedTable, read: list[Problem], encoding: str | None
) -> Iterator[tuple[pd.DataFrame | None, list[Problem], np.ndarray]]:
    """Each chunk of the log typed: the typed rows, the problems located, the id hashes."""
    for chunk in stream.chunks(read, encoding=encoding):
        offset = int(chunk.index[0]) if len(chunk) else 0
        typed, probs = _type_table(
            TABLES["work_orders"], chunk.reset_index(drop=True), stream.name, unique=False
        )
        hashes = id_hashes(typed["order_id"]) if typed is not None else np.zeros(0, np.uint64)
        yield typed, [shift_problem(p, offset) for p in probs], hashes


def _stream_orders_once(
    stream: StreamedTable,
    grids: Labels | None,
    categories: set[str],
    encoding: str | None,
    keep: list[pd.DataFrame] | None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    read: list[Problem] = []
    found: list[Problem] = []
    hashes: list[np.ndarray] = []
    tally = CountTally(grids or Labels(), Labels(sorted(categories)))
    typed_ok = True
    offset = 0
    for typed, probs, ids in read_ahead(_typed_chunks(stream, read, encoding)):
        found += probs
        if typed is None:
            typed_ok = False
            break
        hashes.append(ids)
        known, probs = _check_orders(typed, stream.name, grids, tally)
        found += [shift_problem(p, offset) for p in probs]
        offset += len(typed)
        if keep is not None:
            keep.append(typed.loc[known].reset_index(drop=True))
    problems = read + merge_problems(found)
    if typed_ok and not any(p.severity == "error" and p.code != "duplicate_id" for p in read):
        problems += _duplicate_ids(stream, encoding, hashes)
    del hashes
    if not typed_ok or any(p.severity == "error" for p in problems):
        return None, problems
    return tally.result(), problems


def _stream_orders(
    stream: StreamedTable,
    grids: Labels | None,
    categories: set[str],
    keep: list[pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read the work-order log chunk by chunk: its counts, and every problem located in it.

    ``grids`` are the grid ids of the grid file (None when it could not be read).
    """
    encoding: str | None = None
    while True:
        try:
            return _stream_orders_once(stream, grids, categories, encoding, keep)
        except RereadAs as again:
            if encoding is not None:
                return None, [problem(stream.name, code="bad_encoding")]
            encoding = again.encoding
            if keep is not None:
                keep.clear()


def _check_counts(
    counts: pd.DataFrame, file: str, grids: Labels | None
) -> tuple[pd.DataFrame, list[Problem]]:
    known, problems = _drop_unknown_grids(counts, file, grids)
    year = known["year"].where(known["year"] > 0)
    return tidy_counts(known.assign(year=year)), problems


def _check_surveys(surveys: pd.DataFrame, file: str, grids: Labels | None) -> list[Problem]:
    if grids is None:
        return []
    p = _rows_problem(
        file,
        "grid_id",
        _unknown_grids(surveys["grid_id"], grids),
        code="unknown_grid",
        severity="warning",
        variant="survey",
    )
    return [p] if p else []


def _check_scenario(text: str | None) -> tuple[Scenario | None, list[Problem]]:
    if text is None:
        return None, []
    try:
        return Scenario.from_toml(text), []
    except ScenarioError as exc:
        return None, [
            problem("scenario.toml", code="bad_scenario", detail=msg) for msg in exc.problems
        ]


def _check_not_empty(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    out: list[Problem] = []
    for name in ("centers", "standards"):
        if name in tables and not len(tables[name]):
            out.append(
                problem(
                    files[name],
                    code="empty_table",
                    variant="centers" if name == "centers" else "standards",
                )
            )
    return out


def check_raw(raw: RawFolder) -> tuple[Report, Dataset | None]:
    """Type and check a :class:`~govopt.data.io.RawFolder`.

    Returns
    -------
    (Report, Dataset or None)
        Every problem found, and the dataset when there is no error.
    """
    problems = list(raw.problems)
    files = {name: raw.files.get(name, TABLES[name].filename) for name in TABLES}
    grids, found = _check_grids(raw)
    problems += found
    tables: dict[str, pd.DataFrame] = {}
    for name in CSV_TABLES:
        if name in STREAMED_TABLES:
            continue
        frame = raw.tables.get(name)
        if frame is None:
            if not TABLES[name].required:
                tables[name] = empty_table(name)
            continue
        typed, found = _type_table(TABLES[name], frame, files[name])
        problems += found
        if typed is not None:
            tables[name] = typed
    if "centers" in tables:
        c = tables["centers"]
        problems += _location_problems(files["centers"], c["lon"], c["lat"], "lon", "lat")
        p = _rows_problem(
            files["centers"],
            "max_staff",
            c["staff"] > c["max_staff"],
            code="staff_over_max",
            severity="warning",
        )
        problems += [p] if p else []
    if "social_orgs" in tables:
        o = tables["social_orgs"]
        problems += _location_problems(files["social_orgs"], o["lon"], o["lat"], "lon", "lat")
    categories: set[str] = set()
    problems += _check_not_empty(tables, files)
    if "standards" in tables:
        categories = set(tables["standards"]["category"].dropna())
    problems += _check_categories(tables, files, categories)
    known = Labels(sorted(set(grids["grid_id"].dropna()))) if grids is not None else None
    counts: pd.DataFrame | None = None
    if "work_orders" in raw.streams:
        counts, found = _stream_orders(raw.streams["work_orders"], known, categories)
        problems += found
    elif "work_order_counts" in tables:
        counts, found = _check_counts(
            tables["work_order_counts"], files["work_order_counts"], known
        )
        problems += found
    else:
        counts = empty_counts()
    if "surveys" in tables:
        problems += _check_surveys(tables["surveys"], files["surveys"], known)
    scenario, found = _check_scenario(raw.scenario_text)
    problems += found
    report = Report(tuple(problems))
    needed = [n for n in CSV_TABLES if n not in (*STREAMED_TABLES, "work_order_counts")]
    if not report.ok or grids is None or counts is None or any(n not in tables for n in needed):
        return report, None
    dataset = Dataset(
        grids=grids,
        centers=tables["centers"],
        standards=tables["standards"],
        social_orgs=tables["social_orgs"],
        work_order_counts=counts,
        surveys=tables["surveys"],
        scenario=scenario,
        outline=raw.outline,
        meta=dict(raw.about),
        source=raw.source,
    )
    return report, dataset


def validate_folder(path: str | Path) -> Report:
    """Check a dataset folder (or ``.zip``) and list every problem; never raises.

    Parameters
    ----------
    path : str or Path
        The dataset folder or archive.

    Returns
    -------
    Report
        ``report.ok`` is true when the folder loads (warnings allowed).
    """
    try:
        return check_raw(read_folder(path))[0]
    except Exception as exc:  # the report is the answer for any input, never a traceback
        error = f"{type(exc).__name__}: {exc}"
        return Report((problem(Path(str(path)).name, code="unexpected", error=error),))


def load_dataset(folder: str | Path) -> Dataset:
    """Read, type and validate a dataset folder or ``.zip``.

    Parameters
    ----------
    folder : str or Path
        The dataset folder (or a zip of it).

    Returns
    -------
    Dataset
        Typed tables following :mod:`govopt.data.schema`; the work-order log
        is read chunk by chunk into counts, and orders of unknown grids are
        dropped (see :func:`govopt.data.validate.validate_folder` for the
        warnings).

    Raises
    ------
    DataError
        Listing every problem, when any is an error.
    """
    report, dataset = check_raw(read_folder(folder))
    if dataset is None or not report.ok:
        raise DataError(list(report.problems))
    return dataset


def read_work_orders(folder: str | Path) -> pd.DataFrame:
    """The typed rows of a folder's work-order log, checked as :func:`load_dataset` does.

    The whole log is held in memory: meant for a district's log, not a city's
    (:func:`load_dataset` keeps only its counts). Orders of unknown grids are
    dropped; a folder without a log gives an empty frame.

    Raises
    ------
    DataError
        Listing the problems of the log, when any is an error.
    """
    raw = read_folder(folder)
    stream = raw.streams.get("work_orders")
    if stream is None:
        return empty_table("work_orders")
    _, dataset = check_raw(replace(raw, streams={}))
    grids = Labels(sorted(set(dataset.grids["grid_id"]))) if dataset is not None else None
    keep: list[pd.DataFrame] = []
    counts, problems = _stream_orders(
        stream, grids, set(dataset.categories) if dataset else set(), keep
    )
    if counts is None:
        raise DataError(problems)
    return pd.concat(keep, ignore_index=True) if keep else empty_table("work_orders")
