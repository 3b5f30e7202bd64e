"""Read and write dataset folders: the one module that touches dataset files.

A folder (or a ``.zip`` of one) is read into a :class:`RawFolder` of text
tables that never raises; :mod:`govopt.data.validate` types and checks it, and
:func:`load_dataset` returns the resulting :class:`~govopt.data.dataset.Dataset`.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
import queue
import shutil
import tempfile
import threading
import tomllib
import warnings
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TypeVar

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyproj

from govopt.data.dataset import Dataset
from govopt.data.errors import Problem, problem
from govopt.data.schema import TABLES
from govopt.data.text_buffers import text_bytes

__all__ = [
    "CSV_TABLES",
    "GRID_FILES",
    "MAX_FILE_BYTES",
    "MAX_STREAMED_BYTES",
    "MAX_UNPACKED_BYTES",
    "READ_SUFFIXES",
    "SHAPEFILE_NAMES",
    "STREAMED_TABLES",
    "TABLE_SUFFIXES",
    "ZIP_READ_ERRORS",
    "RawFolder",
    "RereadAs",
    "StreamedTable",
    "parse_csv_text",
    "read_ahead",
    "read_folder",
    "write_csv_chunks",
    "write_dataset",
    "write_grids",
    "write_table",
]

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 10 * MAX_FILE_BYTES
MAX_STREAMED_BYTES = 16 * 1024**3
ZIP_READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,  # zipfile's answer to an unknown compression method
)
"""What reading a broken, encrypted or unsupported zip raises."""
"""Largest text (unpacked) of a streamed table: about 200 million work orders."""
CSV_TABLES: tuple[str, ...] = tuple(name for name in TABLES if name != "grids")
STREAMED_TABLES: tuple[str, ...] = ("work_orders",)
"""Tables read chunk by chunk (never whole), with :data:`MAX_STREAMED_BYTES` as their limit."""
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
_T = TypeVar("_T")
_BOM = b"\xef\xbb\xbf"
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_HEAD_BYTES = 1 << 16
_CHUNK = 1 << 20
_BLOCK = 1 << 24
_EXCEL_ROWS = 100_000
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
    streams : Mapping[str, StreamedTable]
        Tables of :data:`STREAMED_TABLES` present, to be read chunk by chunk.
    scratch : object
        Keeps the unpacked files of a ``.zip`` while ``streams`` need them.
    """

    source: str
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    grids: gpd.GeoDataFrame | None = None
    scenario_text: str | None = None
    about: Mapping[str, str] = field(default_factory=dict)
    outline: gpd.GeoDataFrame | None = None
    problems: tuple[Problem, ...] = ()
    streams: Mapping[str, StreamedTable] = field(default_factory=dict)
    scratch: object = None


class RereadAs(Exception):
    """The text is not in the encoding it was read in: read it again as ``encoding``."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.encoding = encoding


class _Oversize(OSError):
    """Raised by :class:`_Counted` past its limit."""


class _Counted(io.RawIOBase):
    """A readable stream that stops (``_Oversize``) once more than ``limit`` bytes came out."""

    def __init__(self, src: IO[bytes] | gzip.GzipFile, limit: int) -> None:
        self._src = src
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._src.read(len(buffer))
        self._left -= len(data)
        if self._left < 0:
            raise _Oversize
        buffer[: len(data)] = data
        return len(data)


@dataclass(frozen=True)
class StreamedTable:
    """A table file read in chunks of rows: CSV, ``.csv.gz`` (unpacked while read) or ``.xlsx``.

    Attributes
    ----------
    path : Path
        The file.
    name : str
        File name reported in problems.
    limit : int
        Most bytes of text (unpacked) read before the file is refused.
    """

    path: Path
    name: str
    limit: int = MAX_STREAMED_BYTES

    def _open(self) -> IO[bytes]:
        raw = self.path.open("rb")
        if not self.path.name.endswith(".gz"):
            return raw
        return io.BufferedReader(
            _Counted(gzip.GzipFile(fileobj=raw, mode="rb"), self.limit), _CHUNK
        )

    def chunks(
        self, problems: list[Problem], *, encoding: str | None = None
    ) -> Iterator[pd.DataFrame]:
        """Frames of text cells, indexed by data row from 0 across the whole file.

        Problems met (unreadable, too large, bad row length...) are appended to
        ``problems``; the chunks stop at the first that ends the reading.
        Raises :class:`RereadAs` when text read as UTF-8 turns out not to be.
        """
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            problems.append(_unreadable(self.name, str(exc)))
            return
        if size > self.limit:
            problems.append(_too_big(self.name, size, self.limit))
            return
        try:
            if self.path.suffix == ".xlsx":
                yield from self._excel_chunks(problems)
            else:
                yield from self._csv_chunks(problems, encoding)
        except _Oversize:
            problems.append(_too_big_unpacked(self.name, self.limit))
        except (OSError, EOFError, zlib.error) as exc:
            problems.append(_unreadable(self.name, str(exc) or type(exc).__name__))

    def _csv_chunks(self, problems: list[Problem], encoding: str | None) -> Iterator[pd.DataFrame]:
        with self._open() as fh:
            head: bytes = fh.read(_HEAD_BYTES)
        if len(head) == _HEAD_BYTES and b"\n" in head:
            head = head[: head.rindex(b"\n")]
        if encoding is None:
            encoding, found = _decode(head, self.name)
            if encoding is None:
                problems += found
                return
        text = _strip_boms(head).decode(encoding, errors="replace")
        names, found = _header(text, self.name)
        problems += found
        bad_rows: list[tuple[int | None, int, int]] = []
        with self._open() as fh:
            try:
                yield from read_ahead(_text_frames(_csv_reader(fh, names, encoding, bad_rows)))
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                if encoding == "utf-8" and ("UTF8" in str(exc) or isinstance(exc, UnicodeError)):
                    raise RereadAs("gb18030") from None
                problems.append(_unreadable(self.name, str(exc).splitlines()[0][:200]))
                return
        if any(line is None for line, _, _ in bad_rows):
            bad_rows[:] = self._bad_rows(names, encoding) or bad_rows
        if bad_rows:
            line, actual, expected = bad_rows[0]
            problems.append(
                problem(
                    self.name,
                    code="bad_row_length",
                    row=max((line or 0) - 1, 1),
                    n=len(bad_rows),
                    actual=actual,
                    expected=expected,
                )
            )

    def _bad_rows(self, names: list[str], encoding: str) -> list[tuple[int | None, int, int]]:
        """The rows of the wrong length, with their lines: the file parsed again on one thread."""
        bad_rows: list[tuple[int | None, int, int]] = []
        with self._open() as fh:
            try:
                for _ in _csv_reader(fh, names, encoding, bad_rows, threads=False):
                    pass
            except (pa.ArrowInvalid, UnicodeDecodeError):
                return []
        return bad_rows

    def _excel_chunks(self, problems: list[Problem]) -> Iterator[pd.DataFrame]:
        import openpyxl

        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on broken files
            problems.append(_unreadable(self.name, f"{type(exc).__name__}: {exc}"[:200]))
            return
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            first = next(rows, None)
            if first is None:
                problems.append(problem(self.name, code="empty_file"))
                return
            header = [f"Unnamed: {i}" if v is None else _excel_text(v) for i, v in enumerate(first)]
            names, found = _clean_names([str(h) for h in header], self.name)
            problems += found
            start = 0
            block: list[list[str | None]] = []
            for values in rows:
                cells = [_excel_cell(v) for v in values[: len(names)]]
                if all(c is None for c in cells):
                    continue
                block.append(cells + [None] * (len(names) - len(cells)))
                if len(block) == _EXCEL_ROWS:
                    yield _excel_frame(block, names, start)
                    start += len(block)
                    block = []
            if block:
                yield _excel_frame(block, names, start)
        finally:
            book.close()


def read_ahead(items: Iterator[_T], most: int = 2) -> Iterator[_T]:
    """The items of ``items``, made on a second thread up to ``most`` items in advance.

    What ``items`` raises is raised here, at the item it stopped at; closing this
    iterator stops the second thread and closes ``items``.
    """
    made: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=most)
    stop = threading.Event()

    def put(kind: str, value: object) -> bool:
        while not stop.is_set():
            try:
                made.put((kind, value), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not put("item", item):
                    return
            put("end", None)
        except BaseException as exc:  # handed over to the reading thread
            put("error", exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=make, name="govopt-ahead", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = made.get()
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            if kind == "end":
                return
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


def _text_frames(batches: Iterable[pa.RecordBatch]) -> Iterator[pd.DataFrame]:
    """Frames of text cells (see :func:`_text_frame`), indexed by row from 0 across the batches."""
    start = 0
    for batch in batches:
        frame = _text_frame(batch.schema.names, batch.columns)
        frame.index = pd.RangeIndex(start, start + len(frame))
        start += len(frame)
        yield frame


def _csv_reader(
    fh: IO[bytes],
    names: list[str],
    encoding: str,
    bad_rows: list[tuple[int | None, int, int]],
    *,
    threads: bool = True,
) -> pacsv.CSVStreamingReader:
    """Batches of text cells of a CSV file past its header; rows of the wrong length are skipped.

    Each skipped row is noted in ``bad_rows`` as (line, cells, cells expected); the
    line is None when parsed on several threads.
    """

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad_rows.append((row.number, row.actual_columns, row.expected_columns))
        return "skip"

    return pacsv.open_csv(
        fh,
        read_options=pacsv.ReadOptions(
            column_names=names,
            skip_rows=1,
            block_size=_BLOCK,
            use_threads=threads,
            encoding=encoding,
        ),
        parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
        convert_options=_text_options(names),
    )


# ----- reading ------------------------------------------------------------


def _too_big(name: str, size: int, limit: int | None = None) -> Problem:
    limit = MAX_FILE_BYTES if limit is None else limit
    return problem(name, code="file_too_large", size_bytes=size, limit_bytes=limit)


def _too_big_unpacked(name: str, limit: int | None = None) -> Problem:
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    return problem(name, code="file_too_large", variant="unpacked", limit_bytes=limit)


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


def _text_options(names: list[str]) -> pacsv.ConvertOptions:
    return pacsv.ConvertOptions(
        column_types={n: pa.large_string() for n in names},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )


def _text_frame(names: list[str], columns: Sequence[pa.Array | pa.ChunkedArray]) -> pd.DataFrame:
    """Cells trimmed of spaces, empty cells missing."""
    trimmed_columns = {}
    for col_name, col in zip(names, columns, strict=True):
        trimmed = pc.utf8_trim_whitespace(col)
        if text_bytes(trimmed) != text_bytes(col):
            trimmed = pc.if_else(pc.equal(trimmed, ""), None, trimmed)
        trimmed_columns[col_name] = trimmed
    frame: pd.DataFrame = pa.table(trimmed_columns).to_pandas(types_mapper=_STR_TYPES.get)
    return frame


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
                column_names=names, skip_rows=1, block_size=_BLOCK, use_threads=threads
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=_text_options(names),
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
    return _text_frame(names, table.columns), problems


def _excel_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return str(pd.Timestamp(value))
    return str(value)


def _excel_cell(value: object) -> str | None:
    """A cell as ``pandas.read_excel(dtype=str)`` gives it, trimmed; empty as ``None``."""
    if value is None:
        return None
    text = _excel_text(value).strip()
    return text or None


def _excel_frame(block: list[list[str | None]], names: list[str], start: int) -> pd.DataFrame:
    frame = pd.DataFrame(block, columns=names, dtype=object)
    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


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


def _orders_and_counts(folder: Path) -> tuple[bool, list[Problem]]:
    """Whether a work-order log is present; with counts beside it, that they are ignored."""
    log = _find(folder, tuple("work_orders" + s for s in TABLE_SUFFIXES))
    counts = _find(folder, tuple("work_order_counts" + s for s in TABLE_SUFFIXES))
    if log is None or counts is None:
        return log is not None, []
    return True, [
        problem(
            counts.name,
            code="several_files",
            severity="warning",
            variant="counts",
            used=log.name,
            ignored=counts.name,
        )
    ]


def _read_dir(folder: Path, source: str) -> RawFolder:
    problems: list[Problem] = []
    grids, grids_file, found = _read_grids(folder)
    problems += found
    tables: dict[str, pd.DataFrame] = {}
    streams: dict[str, StreamedTable] = {}
    files: dict[str, str] = {"grids": grids_file}
    has_log, found = _orders_and_counts(folder)
    problems += found
    for name in CSV_TABLES:
        path = _find(folder, tuple(name + s for s in TABLE_SUFFIXES))
        files[name] = path.name if path else TABLES[name].filename
        if path is None:
            if TABLES[name].required:
                problems.append(problem(TABLES[name].filename, code="missing_file"))
            continue
        if name == "work_order_counts" and has_log:
            continue
        problems += _shadowed(folder, tuple(name + s for s in TABLE_SUFFIXES), path)
        if name in STREAMED_TABLES:
            streams[name] = StreamedTable(path, path.name, MAX_STREAMED_BYTES)
            continue
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
        streams,
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
            if rest.startswith(tuple(t + "." for t in STREAMED_TABLES)):
                with zf.open(info) as src, open(folder / rest, "wb") as dst:
                    if not _copy_bounded(src, dst, MAX_STREAMED_BYTES):
                        return [_too_big_unpacked(rest, MAX_STREAMED_BYTES)]
                continue
            if info.file_size > MAX_FILE_BYTES:
                return [_too_big(rest, info.file_size)]
            with zf.open(info) as src, open(folder / rest, "wb") as dst:
                if not _copy_bounded(src, dst, min(MAX_FILE_BYTES, MAX_UNPACKED_BYTES - total)):
                    return [_too_big_unpacked(path.name)]
                total += dst.tell()
    return []


class _Scratch:
    """A temporary folder removed when the last reference to it goes."""

    def __init__(self) -> None:
        self.name = tempfile.mkdtemp(prefix="govopt-")
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.name, ignore_errors=True)

    def cleanup(self) -> None:
        self._finalizer()


def _read_zip(path: Path, source: str) -> RawFolder:
    scratch = _Scratch()
    try:
        problems = _extract_dataset(path, Path(scratch.name))
    except ZIP_READ_ERRORS as exc:
        why = str(exc) or type(exc).__name__
        problems = [problem(path.name, code="unreadable_file", variant="zip", why=why)]
    if problems:
        scratch.cleanup()
        return RawFolder(source, problems=tuple(problems))
    raw = _read_dir(Path(scratch.name), source)
    if not raw.streams:
        scratch.cleanup()
        return raw
    return replace(raw, scratch=scratch)


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
        Text tables, grids as read, the streamed tables to read chunk by
        chunk, and every problem met while reading.
    """
    path = Path(path)
    source = str(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        return _read_zip(path, source)
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


def _arrow_csv(frame: pd.DataFrame, *, header: bool = True) -> bytes | None:
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        columns = {}
        for name, col in zip(table.column_names, table.columns, strict=True):
            if pa.types.is_timestamp(col.type):
                col = pc.cast(pc.cast(col, pa.timestamp("s")), pa.string())
            elif pa.types.is_dictionary(col.type):
                col = pc.cast(col, col.type.value_type)
            columns[name] = col
        table = pa.table(columns)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    include_header = header
    header_text = io.StringIO()
    csv.writer(header_text, lineterminator="\n").writerow(table.column_names)
    for quoting in ("none", "needed"):
        out = pa.BufferOutputStream()
        options = pacsv.WriteOptions(include_header=False, quoting_style=quoting)
        try:
            pacsv.write_csv(table, out, options)
        except pa.ArrowException:
            continue
        head = header_text.getvalue().encode("utf-8") if include_header else b""
        return head + bytes(out.getvalue())
    return None


def _csv_bytes(frame: pd.DataFrame, *, header: bool = True) -> bytes:
    """CSV text of ``frame`` in UTF-8 with BOM; dates as ``2024-03-01 08:30:00``.

    Without ``header``: the rows alone, no BOM (a later chunk of the same file).
    """
    fast = _arrow_csv(frame, header=header)
    if fast is not None:
        return _BOM + fast if header else fast
    text = frame.to_csv(index=False, header=header, date_format=_DATE_FORMAT)
    return (_BOM if header else b"") + text.encode("utf-8")


def write_csv_chunks(frames: Iterable[pd.DataFrame], path: Path, *, compresslevel: int = 6) -> int:
    """Write frames of the same columns one after the other as one CSV (or ``.csv.gz``) file.

    Like :func:`write_table` (UTF-8 with BOM, atomic, the same bytes for the
    same rows), but only one chunk is in memory at a time. Returns the number
    of rows written; at least one frame is needed (for the header).
    ``compresslevel`` is gzip's (1 fastest, 9 smallest) for a ``.gz`` path.
    """
    path = Path(path)
    rows = -1
    with _atomic(path) as tmp, tmp.open("wb") as raw, ThreadPoolExecutor(1) as writer:
        out: IO[bytes] | gzip.GzipFile = raw
        if path.name.endswith(".gz"):
            out = gzip.GzipFile("", "wb", compresslevel, raw, mtime=0)
        pending: Future[int] | None = None
        for frame in frames:
            data = _csv_bytes(frame, header=rows < 0)
            rows = max(rows, 0) + len(frame)
            if pending is not None:
                pending.result()
            pending = writer.submit(out.write, data)  # compresses while the next chunk is built
        if pending is not None:
            pending.result()
        if out is not raw:
            out.close()
        if rows < 0:
            raise ValueError("write_csv_chunks needs at least one frame")
    return rows


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
            with tmp.open("wb") as raw, gzip.GzipFile("", "wb", 6, raw, mtime=0) as fh:
                fh.write(data)
        else:
            tmp.write_bytes(_csv_bytes(frame))


def _toml_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _write_text(text: str, path: Path) -> None:
    with _atomic(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _log_files(name: str) -> tuple[str, ...]:
    return tuple(name + s for s in TABLE_SUFFIXES)


def write_dataset(
    dataset: Dataset,
    folder: Path,
    *,
    gzip_tables: tuple[str, ...] = (),
    orders: Iterable[pd.DataFrame] | None = None,
    compresslevel: int = 6,
) -> None:
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
    orders : iterable of pandas.DataFrame, optional
        The raw work-order log in chunks (``work_orders`` columns), written
        chunk by chunk as ``work_orders.csv`` in place of
        ``work_order_counts.csv``. Without it the dataset's counts are written
        (the raw rows are not kept in a :class:`Dataset`). Either way the other
        of the two files is removed, so the folder reads back as written.
    compresslevel : int
        gzip level of the raw log, when it is gzipped.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_grids(dataset.grids, folder / "grids.geojson")
    skipped = "work_order_counts" if orders is not None else "work_orders"
    for name in _log_files(skipped):
        (folder / name).unlink(missing_ok=True)
    for name in CSV_TABLES:
        if name == skipped:
            continue
        gz = name in gzip_tables
        path = folder / (name + (".csv.gz" if gz else ".csv"))
        if name == "work_orders" and orders is not None:
            write_csv_chunks(orders, path, compresslevel=compresslevel)
        else:
            write_table(getattr(dataset, name), path)
        for stale in _log_files(name):
            if stale != path.name and stale.endswith((".csv", ".csv.gz")):
                (folder / stale).unlink(missing_ok=True)
    for name in ("scenario.toml", "outline.geojson", "about.toml"):
        (folder / name).unlink(missing_ok=True)
    if dataset.scenario is not None:
        _write_text(dataset.scenario.to_toml(), folder / "scenario.toml")
    if dataset.outline is not None:
        write_grids(dataset.outline, folder / "outline.geojson")
    if dataset.meta:
        lines = [f"{k} = {_toml_value(str(v))}" for k, v in dataset.meta.items()]
        _write_text("\n".join(lines) + "\n", folder / "about.toml")
