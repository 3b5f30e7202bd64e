"""Read and write dataset folders: the one module that touches dataset files.

A folder (or a ``.zip`` of one) is read into a :class:`RawFolder` of text
tables that never raises; :mod:`govopt.data.validate` types and checks it, and
:func:`load_dataset` returns the resulting :class:`~govopt.data.dataset.Dataset`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import tempfile
import tomllib
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyproj

from govopt.data.dataset import Dataset
from govopt.data.errors import Problem, problem
from govopt.data.schema import TABLES

__all__ = [
    "CSV_TABLES",
    "GRID_FILES",
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "READ_SUFFIXES",
    "SHAPEFILE_NAMES",
    "TABLE_SUFFIXES",
    "RawFolder",
    "parse_csv_text",
    "read_folder",
    "write_dataset",
    "write_grids",
    "write_table",
]

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 10 * MAX_FILE_BYTES
CSV_TABLES: tuple[str, ...] = tuple(name for name in TABLES if name != "grids")
GRID_FILES: tuple[str, ...] = ("grids.geojson", "grids.gpkg", "grids.zip", "grids.shp")
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".xlsx")
READ_SUFFIXES: tuple[str, ...] = (
    *TABLE_SUFFIXES,
    ".geojson",
    ".gpkg",
    ".zip",
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".toml",
)
"""Every kind of file the reader reads, by how its name ends (lower case)."""
SHAPEFILE_NAMES: dict[str, str] = {
    "urban_rural": "urban_rura",
    "households": "households",
    "party_members": "party_memb",
    "party_members_60plus": "party_m60",
    "key_families": "key_famili",
}
_SHAPEFILE_READ = {short: long for long, short in SHAPEFILE_NAMES.items()} | {
    "party_me_1": "party_members_60plus",
}
_BOM = b"\xef\xbb\xbf"
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_HEAD_BYTES = 1 << 16
_CHUNK = 1 << 20
_BIG5_ODD_SHARE = 0.2
_STR_TYPES = {pa.large_string(): pd.StringDtype("pyarrow", na_value=float("nan"))}


@dataclass(frozen=True, eq=False)
class RawFolder:
    """The files of a dataset folder as read, before typing and checks.

    Attributes
    ----------
    source : str
        Folder or archive read.
    tables : Mapping[str, pandas.DataFrame]
        Text tables by table name, every cell a string or missing; a table
        whose file is absent or unreadable is left out.
    files : Mapping[str, str]
        Table name -> file name actually read (``centers.xlsx``, ...).
    grids : geopandas.GeoDataFrame or None
        Grid polygons as read, columns lower-cased.
    scenario_text : str or None
        Text of ``scenario.toml``.
    about : Mapping[str, str]
        Entries of ``about.toml``.
    outline : geopandas.GeoDataFrame or None
        ``outline.geojson``, if present and readable.
    problems : tuple of Problem
        What could not be read.
    """

    source: str
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    grids: gpd.GeoDataFrame | None = None
    scenario_text: str | None = None
    about: Mapping[str, str] = field(default_factory=dict)
    outline: gpd.GeoDataFrame | None = None
    problems: tuple[Problem, ...] = ()


# ----- reading ------------------------------------------------------------


def _too_big(name: str, size: int) -> Problem:
    return problem(name, code="file_too_large", size_bytes=size, limit_bytes=MAX_FILE_BYTES)


def _too_big_unpacked(name: str) -> Problem:
    return problem(name, code="file_too_large", variant="unpacked", limit_bytes=MAX_UNPACKED_BYTES)


def _read_bytes(path: Path) -> tuple[bytes | None, list[Problem]]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [_too_big(path.name, size)]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [_unreadable(path.name, str(exc))]


def _unreadable(name: str, why: str) -> Problem:
    return problem(name, code="unreadable_file", why=why)


def _strip_boms(data: bytes) -> bytes:
    """``data`` without the byte-order marks at its start (some tools write two)."""
    while data.startswith(_BOM):
        data = data[len(_BOM) :]
    return data


_CONTROL = bytes([*range(0, 9), 11, 12, *range(14, 32)])


def _is_binary(data: bytes) -> bool:
    """Many control bytes (UTF-16, images, executables), not a stray NUL in text."""
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > max(8, len(sample) // 100)


def _common_gb(ch: str) -> bool:
    """A full-width sign or a hanzi of GB2312 levels 1-2, as Simplified Chinese text uses."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and (0xA1 <= code[0] <= 0xA3 or 0xB0 <= code[0] <= 0xF7)


def _looks_big5(data: bytes, as_gb: str | None) -> bool:
    """Whether ``data`` is Big5 text (traditional Chinese) rather than GB18030."""
    try:
        data.decode("big5")
    except UnicodeDecodeError:
        return False
    if as_gb is None:
        return True
    wide = [ch for ch in as_gb if ord(ch) > 0x7F]
    odd = sum(1 for ch in wide if not _common_gb(ch))
    return bool(wide) and odd > _BIG5_ODD_SHARE * len(wide)


def _decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Return the encoding of ``data`` (a whole file or its start), or the problem."""
    data = _strip_boms(data)
    if not data.strip():
        return None, [problem(name, code="empty_file")]
    if data.startswith(b"PK\x03\x04"):
        return None, [problem(name, code="not_csv", variant="excel")]
    if _is_binary(data):
        return None, [problem(name, code="not_csv", variant="binary")]
    try:
        data.decode("utf-8")
        return "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        as_gb: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        as_gb = None
    if _looks_big5(data, as_gb):
        return None, [problem(name, code="big5_text")]
    return ("gb18030", []) if as_gb is not None else (None, [_bad_encoding(name)])


def _bad_encoding(name: str) -> Problem:
    return problem(name, code="bad_encoding")


def _header(text: str, name: str) -> tuple[list[str], list[Problem]]:
    line = text.lstrip("\ufeff").splitlines()[:1]
    try:
        first = next(csv.reader(line), [])
    except csv.Error as exc:
        return [], [_unreadable(name, str(exc))]
    return _clean_names(first, name)


def _clean_names(raw: list[str], name: str) -> tuple[list[str], list[Problem]]:
    names = [str(h).replace("\ufeff", "").strip().lower() for h in raw]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(names):
        if not h:
            names[i] = f"unnamed_{i + 1}"
        elif h in seen:
            seen[h] += 1
            names[i] = f"{h}.{seen[h]}"
            problems.append(problem(name, code="duplicate_column", column=h))
        else:
            seen[h] = 0
    return names, problems


def _parse_csv(
    open_source: Callable[[], io.BytesIO | pa.NativeFile], names: list[str], name: str
) -> tuple[pd.DataFrame, list[Problem]]:
    bad_rows: list[tuple[int, int, int]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad_rows.append((row.number or 0, row.actual_columns, row.expected_columns))
        return "skip"

    def parse(threads: bool) -> pa.Table:
        return pacsv.read_csv(
            open_source(),
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, block_size=1 << 24, use_threads=threads
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    table = parse(True)
    if bad_rows and not bad_rows[0][0]:
        bad_rows.clear()
        table = parse(False)
    problems: list[Problem] = []
    if bad_rows:
        line, actual, expected = bad_rows[0]
        problems.append(
            problem(
                name,
                code="bad_row_length",
                row=max(line - 1, 1),
                n=len(bad_rows),
                actual=actual,
                expected=expected,
            )
        )
    columns = {}
    for col_name, col in zip(names, table.columns, strict=True):
        trimmed = pc.utf8_trim_whitespace(col)
        if pc.sum(pc.binary_length(trimmed)).as_py() != pc.sum(pc.binary_length(col)).as_py():
            trimmed = pc.if_else(pc.equal(trimmed, ""), None, trimmed)
        columns[col_name] = trimmed
    frame = pa.table(columns).to_pandas(types_mapper=_STR_TYPES.get)
    return frame, problems


def parse_csv_text(text: str, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse CSV text into a frame of strings (missing cells as NaN)."""
    names, problems = _header(text, name)
    try:
        data = text.encode("utf-8")
        frame, found = _parse_csv(lambda: io.BytesIO(data), names, name)
    except (pa.ArrowException, ValueError) as exc:
        return None, [*problems, _unreadable(name, str(exc).splitlines()[0][:200])]
    return frame, problems + found


def _read_head(path: Path) -> tuple[bytes | None, list[Problem]]:
    try:
        with path.open("rb") as fh:
            head: bytes = fh.read(_HEAD_BYTES)
    except OSError as exc:
        return None, [_unreadable(path.name, str(exc))]
    if len(head) == _HEAD_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n")]
    return head, []


def _copy_bounded(src: IO[bytes] | gzip.GzipFile, dst: IO[bytes], limit: int) -> bool:
    """Copy ``src`` to ``dst`` in chunks; ``False`` (and stop) past ``limit`` bytes."""
    written = 0
    while chunk := src.read(_CHUNK):
        written += len(chunk)
        if written > limit:
            return False
        dst.write(chunk)
    return True


@contextmanager
def _gunzipped(path: Path) -> Iterator[tuple[Path | None, list[Problem]]]:
    """The text of a ``.gz`` file in a temporary file, unpacked up to ``MAX_UNPACKED_BYTES``.

    The size is counted while unpacking, so a file of many gzip members (whose
    last header states only the last member's size) is stopped at the limit.
    """
    with tempfile.TemporaryDirectory(prefix="govopt-") as tmp:
        plain = Path(tmp) / path.name.removesuffix(".gz")
        try:
            with gzip.open(path, "rb") as src, plain.open("wb") as dst:
                complete = _copy_bounded(src, dst, MAX_UNPACKED_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            yield None, [_unreadable(path.name, str(exc))]
            return
        if not complete:
            yield None, [_too_big_unpacked(path.name)]
            return
        yield plain, []


def _read_excel(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        frame = pd.read_excel(
            path, dtype=str, engine="openpyxl", keep_default_na=False, na_values=[""]
        )
    except Exception as exc:  # openpyxl raises many kinds on broken files
        return None, [_unreadable(path.name, f"{type(exc).__name__}: {exc}"[:200])]
    names, problems = _clean_names([str(c) for c in frame.columns], path.name)
    frame.columns = pd.Index(names)
    frame = frame.astype("str").apply(lambda s: s.str.strip())
    return frame.where(frame != "", None), problems


def _read_table(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [_unreadable(path.name, str(exc))]
    if size > MAX_FILE_BYTES:
        return None, [_too_big(path.name, size)]
    if path.suffix == ".xlsx":
        return _read_excel(path)
    if path.name.endswith(".gz"):
        with _gunzipped(path) as (plain, problems):
            return (None, problems) if plain is None else _read_csv(plain, path.name)
    return _read_csv(path, path.name)


def _read_csv(path: Path, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read the CSV text at ``path`` (reported as file ``name``)."""
    head, problems = _read_head(path)
    if head is None:
        return None, problems
    encoding, problems = _decode(head, name)
    if encoding is None:
        return None, problems
    if encoding == "utf-8":
        names, problems = _header(_strip_boms(head).decode("utf-8"), name)
        try:
            frame, found = _parse_csv(lambda: pa.input_stream(str(path)), names, name)
            return frame, problems + found
        except (pa.ArrowException, ValueError, OSError):
            pass
    try:
        data = _strip_boms(path.read_bytes())
    except OSError as exc:
        return None, [_unreadable(name, str(exc))]
    for enc in ("utf-8", "gb18030"):
        try:
            return parse_csv_text(data.decode(enc), name)
        except UnicodeDecodeError:
            continue
    return None, [_bad_encoding(name)]


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        path = folder / name
        if path.is_file():
            return path
    return None


def _shadowed(folder: Path, names: tuple[str, ...], used: Path) -> list[Problem]:
    others = [n for n in names if n != used.name and (folder / n).is_file()]
    if not others:
        return []
    return [
        problem(
            used.name,
            code="several_files",
            severity="warning",
            used=used.name,
            ignored=", ".join(others),
        )
    ]


def _read_geo(path: Path) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gpd.read_file(path, engine="pyogrio")


def _read_grids(folder: Path) -> tuple[gpd.GeoDataFrame | None, str, list[Problem]]:
    path = _find(folder, GRID_FILES)
    if path is None:
        return (
            None,
            "grids.geojson",
            [problem("grids.geojson", code="missing_file", variant="grids")],
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, path.name, [_too_big(path.name, size)]
    if size == 0:
        return None, path.name, [_decode(b"", path.name)[1][0]]
    shadowed = _shadowed(folder, GRID_FILES, path)
    if path.suffix == ".geojson":
        shadowed += _geojson_crs_problems(path)
    try:
        grids = _read_geo(path)
    except Exception as exc:  # GDAL reports broken files with several exception types
        return None, path.name, [_unreadable(path.name, str(exc).splitlines()[0][:200])]
    if not isinstance(grids, gpd.GeoDataFrame):
        return None, path.name, [problem(path.name, code="unreadable_file", variant="no_geometry")]
    shapefile = path.suffix in (".zip", ".shp")
    renamed = {}
    for col in grids.columns:
        if col == grids.geometry.name:
            continue
        low = str(col).strip().lower()
        renamed[col] = _SHAPEFILE_READ.get(low, low) if shapefile else low
    grids = grids.rename(columns=renamed)
    if grids.geometry.name != "geometry":
        grids = grids.rename_geometry("geometry")
    if any(p.code == "unknown_crs" for p in shadowed):
        grids = grids.set_crs(None, allow_override=True)
    return grids, path.name, shadowed


def _geojson_crs_name(path: Path) -> str | None:
    """The ``crs`` member's name of a GeoJSON file (read from its start or end), if any."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
        fh.seek(max(0, path.stat().st_size - _HEAD_BYTES))
        tail = fh.read()
    for part in (head, tail):
        text = part.decode("utf-8", errors="replace")
        at = text.find('"crs"')
        start = text.find("{", at) if at >= 0 else -1
        if start < 0:
            continue
        try:
            member, _ = json.JSONDecoder().raw_decode(text, start)
        except ValueError:
            continue
        name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
        if isinstance(name, str):
            return name
    return None


def _geojson_crs_problems(path: Path) -> list[Problem]:
    """An unknown CRS named in a GeoJSON file (GDAL would silently read it as WGS84)."""
    try:
        name = _geojson_crs_name(path)
    except OSError:
        return []
    if name is None:
        return []
    try:
        pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError:
        return [problem(path.name, code="unknown_crs", column="geometry", name=name)]
    return []


def _read_toml(path: Path) -> tuple[dict[str, object], list[Problem]]:
    data, problems = _read_bytes(path)
    if data is None:
        return {}, problems
    try:
        return tomllib.loads(data.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        return {}, [problem(path.name, code="unreadable_file", variant="not_utf8")]
    except tomllib.TOMLDecodeError as exc:
        return {}, [problem(path.name, code="unreadable_file", variant="toml", why=str(exc))]


def _read_outline(folder: Path) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    path = folder / "outline.geojson"
    if not path.is_file():
        return None, []
    try:
        outline = _read_geo(path)
    except Exception as exc:  # an optional basemap layer: never fatal
        found = _unreadable(path.name, str(exc).splitlines()[0][:200] if str(exc) else "")
        return None, [replace(found, severity="warning")]
    return outline, []


def _read_dir(folder: Path, source: str) -> RawFolder:
    problems: list[Problem] = []
    grids, grids_file, found = _read_grids(folder)
    problems += found
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {"grids": grids_file}
    for name in CSV_TABLES:
        path = _find(folder, tuple(name + s for s in TABLE_SUFFIXES))
        files[name] = path.name if path else TABLES[name].filename
        if path is None:
            if TABLES[name].required:
                problems.append(problem(TABLES[name].filename, code="missing_file"))
            continue
        problems += _shadowed(folder, tuple(name + s for s in TABLE_SUFFIXES), path)
        frame, found = _read_table(path)
        problems += found
        if frame is not None:
            tables[name] = frame
    scenario_text = None
    scenario_path = folder / "scenario.toml"
    if scenario_path.is_file():
        data, found = _read_bytes(scenario_path)
        problems += found
        if data is not None:
            scenario_text = data.decode("utf-8-sig", errors="replace")
    about: dict[str, str] = {}
    if (folder / "about.toml").is_file():
        parsed, found = _read_toml(folder / "about.toml")
        problems += [replace(p, severity="warning") for p in found]
        about = {str(k): str(v) for k, v in parsed.items() if not isinstance(v, dict)}
    outline, found = _read_outline(folder)
    problems += found
    return RawFolder(
        source,
        tables,
        files,
        grids,
        scenario_text,
        about,
        outline,
        tuple(problems),
    )


def _zip_root(names: list[str]) -> str:
    files = [n for n in names if not n.endswith("/") and not n.startswith("__MACOSX/")]
    for n in files:
        base = n.rsplit("/", 1)[-1]
        if base.startswith(("grids.", "centers.", "standards.")):
            return n[: len(n) - len(base)]
    return ""


def _extract_dataset(path: Path, folder: Path) -> list[Problem]:
    """Unpack the dataset files of the zip at ``path`` into ``folder``; the problems met."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        root = _zip_root([i.filename for i in infos])
        total = 0
        for info in infos:
            name = info.filename
            if info.is_dir() or not name.startswith(root) or name.startswith("__MACOSX/"):
                continue
            rest = name[len(root) :]
            if "/" in rest or rest in ("", ".", ".."):
                continue
            if info.file_size > MAX_FILE_BYTES:
                return [_too_big(rest, info.file_size)]
            with zf.open(info) as src, open(folder / rest, "wb") as dst:
                if not _copy_bounded(src, dst, min(MAX_FILE_BYTES, MAX_UNPACKED_BYTES - total)):
                    return [_too_big_unpacked(path.name)]
                total += dst.tell()
    return []


@contextmanager
def _unzipped(path: Path) -> Iterator[tuple[Path | None, list[Problem]]]:
    with tempfile.TemporaryDirectory(prefix="govopt-") as tmp:
        try:
            problems = _extract_dataset(path, Path(tmp))
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            why = str(exc) or type(exc).__name__
            problems = [problem(path.name, code="unreadable_file", variant="zip", why=why)]
        yield (None, problems) if problems else (Path(tmp), [])


def read_folder(path: str | Path) -> RawFolder:
    """Read every file of a dataset folder or ``.zip`` without raising.

    Parameters
    ----------
    path : str or Path
        A dataset folder, or a zip archive holding the files at its root or
        inside one sub-folder.

    Returns
    -------
    RawFolder
        Text tables, grids as read, and every problem met while reading.
    """
    path = Path(path)
    source = str(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        with _unzipped(path) as (folder, problems):
            if folder is None:
                return RawFolder(source, problems=tuple(problems))
            return _read_dir(folder, source)
    if not path.exists():
        return RawFolder(
            source,
            problems=(problem(path.name or source, code="missing_folder", path=str(path)),),
        )
    if not path.is_dir():
        return RawFolder(
            source,
            problems=(problem(path.name, code="not_a_folder"),),
        )
    try:
        return _read_dir(path, source)
    except OSError as exc:
        return RawFolder(source, problems=(_unreadable(path.name, str(exc)),))


# ----- writing ------------------------------------------------------------


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix="".join(path.suffixes), dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _is_geographic(grids: gpd.GeoDataFrame) -> bool:
    return grids.crs is None or bool(grids.crs.is_geographic)


def write_grids(grids: gpd.GeoDataFrame, path: Path) -> None:
    """Write grid polygons as GeoJSON, GeoPackage or a zipped Shapefile (by suffix).

    Coordinates are rounded to 1e-6 degrees (1 cm in a projected CRS) in
    GeoJSON; Shapefile column names are shortened as in ``SHAPEFILE_NAMES``.
    """
    path = Path(path)
    frame = grids.copy()
    for col in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].dt.strftime(_DATE_FORMAT)
    with _atomic(path) as tmp:
        if path.suffix == ".geojson":
            digits = 6 if _is_geographic(frame) else 2
            frame.to_file(
                tmp,
                driver="GeoJSON",
                engine="pyogrio",
                layer=path.stem,
                COORDINATE_PRECISION=digits,
                RFC7946="NO",
            )
        elif path.suffix == ".gpkg":
            frame.to_file(tmp, driver="GPKG", engine="pyogrio", layer="grids")
        elif path.suffix == ".zip":
            short = frame.rename(columns=SHAPEFILE_NAMES)
            with tempfile.TemporaryDirectory(prefix="govopt-") as shp_dir:
                shp = Path(shp_dir) / "grids.shp"
                short.to_file(shp, driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8")
                with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                    for part in sorted(Path(shp_dir).iterdir()):
                        zf.write(part, part.name)
        else:
            raise ValueError(f"unknown grids format {path.suffix!r}: use .geojson, .gpkg or .zip")


def _arrow_csv(frame: pd.DataFrame) -> bytes | None:
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        columns = {}
        for name, col in zip(table.column_names, table.columns, strict=True):
            if pa.types.is_timestamp(col.type):
                col = pc.cast(pc.cast(col, pa.timestamp("s")), pa.string())
            columns[name] = col
        table = pa.table(columns)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(table.column_names)
    for quoting in ("none", "needed"):
        out = pa.BufferOutputStream()
        options = pacsv.WriteOptions(include_header=False, quoting_style=quoting)
        try:
            pacsv.write_csv(table, out, options)
        except pa.ArrowException:
            continue
        return header.getvalue().encode("utf-8") + bytes(out.getvalue())
    return None


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV text of ``frame`` in UTF-8 with BOM; dates as ``2024-03-01 08:30:00``."""
    fast = _arrow_csv(frame)
    if fast is not None:
        return _BOM + fast
    text = frame.to_csv(index=False, date_format=_DATE_FORMAT)
    return _BOM + text.encode("utf-8")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as CSV (UTF-8 with BOM), ``.csv.gz`` or ``.xlsx`` (by suffix)."""
    path = Path(path)
    with _atomic(path) as tmp:
        if path.suffix == ".xlsx":
            out = frame.copy()
            for col in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[col]):
                    out[col] = out[col].dt.strftime(_DATE_FORMAT)
            out.to_excel(tmp, index=False, engine="openpyxl")
        elif path.name.endswith(".gz"):
            data = _csv_bytes(frame)
            with gzip.GzipFile(tmp, "wb", compresslevel=6, mtime=0) as fh:
                fh.write(data)
        else:
            tmp.write_bytes(_csv_bytes(frame))


def _toml_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _write_text(text: str, path: Path) -> None:
    with _atomic(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_dataset(dataset: Dataset, folder: Path, *, gzip_tables: tuple[str, ...] = ()) -> None:
    """Write ``dataset`` as a dataset folder (see ``docs/data-dictionary.md``).

    Parameters
    ----------
    dataset : Dataset
        What to write.
    folder : Path
        Created if missing; existing files of the same names are replaced
        atomically (a crash never leaves half a file), and a ``scenario.toml``,
        ``outline.geojson`` or ``about.toml`` the dataset lacks is removed.
    gzip_tables : tuple of str
        Table names written as ``<name>.csv.gz`` instead of ``<name>.csv``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_grids(dataset.grids, folder / "grids.geojson")
    for name in CSV_TABLES:
        frame: pd.DataFrame = getattr(dataset, name)
        gz = name in gzip_tables
        write_table(frame, folder / (name + (".csv.gz" if gz else ".csv")))
        stale = folder / (name + (".csv" if gz else ".csv.gz"))
        if stale.exists():
            stale.unlink()
    for name in ("scenario.toml", "outline.geojson", "about.toml"):
        (folder / name).unlink(missing_ok=True)
    if dataset.scenario is not None:
        _write_text(dataset.scenario.to_toml(), folder / "scenario.toml")
    if dataset.outline is not None:
        write_grids(dataset.outline, folder / "outline.geojson")
    if dataset.meta:
        lines = [f"{k} = {_toml_value(str(v))}" for k, v in dataset.meta.items()]
        _write_text("\n".join(lines) + "\n", folder / "about.toml")
