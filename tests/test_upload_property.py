"""Random corruption of uploads (zips and single files) never escapes as anything but a
``DataError`` and never leaves files behind; what is accepted can be checked without raising."""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import write_tiny_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govopt.data.errors import DataError
from govopt.data.io import read_folder
from govopt.data.upload import save_upload, uploads_dir
from govopt.data.validate import check_raw

names = st.sampled_from(
    ["centers.csv", "grids.geojson", "work_orders.csv.gz", "a/../b.csv", "x" * 300 + ".csv"]
) | st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12)

byte_ops = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("flag"), st.integers(0, 0xFFFF)),
)

entry_ops = st.one_of(
    st.tuples(st.just("rename"), st.integers(0, 10), names),
    st.tuples(st.just("duplicate"), st.integers(0, 10)),
    st.tuples(st.just("nest"), st.integers(1, 12)),
    st.tuples(st.just("junk"), names, st.binary(max_size=64)),
)


@functools.cache
def _template() -> dict[str, bytes]:
    folder = Path(tempfile.mkdtemp(prefix="govopt-tiny-"))
    atexit.register(shutil.rmtree, folder, True)
    write_tiny_dataset(folder)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _entries(ops: list[tuple[Any, ...]]) -> list[tuple[str, bytes]]:
    entries = list(_template().items())
    for op in ops:
        if op[0] == "rename" and entries:
            i = op[1] % len(entries)
            entries[i] = (op[2], entries[i][1])
        elif op[0] == "duplicate" and entries:
            entries.append(entries[op[1] % len(entries)])
        elif op[0] == "nest":
            entries = [("d/" * op[1] + n, data) for n, data in entries]
        elif op[0] == "junk":
            entries.append((op[1], op[2]))
    return entries


def _corrupt(data: bytes, ops: list[tuple[Any, ...]]) -> bytes:
    out = bytearray(data)
    for op in ops:
        at = min(int(len(out) * op[1]), max(len(out) - 1, 0)) if op[0] != "flag" else 0
        if op[0] == "flip" and out:
            out[at] = op[2]
        elif op[0] == "truncate":
            del out[at:]
        elif op[0] == "insert":
            out[at:at] = op[2]
        elif op[0] == "flag":
            central = out.find(b"PK\x01\x02")
            if central >= 0 and len(out) >= central + 10:
                out[central + 8 : central + 10] = op[1].to_bytes(2, "little")
    return bytes(out)


def _zip(entries: list[tuple[str, bytes]], method: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, data in entries:
            try:
                z.writestr(name, data)
            except (ValueError, UnicodeEncodeError, IndexError):  # a name zipfile cannot write
                continue
    return buf.getvalue()


def _left_behind(home: Path) -> list[str]:
    root = uploads_dir(home)
    if not root.exists():
        return []
    return [p.name for p in root.iterdir() if not p.name.startswith("upload-")]


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entry_changes=st.lists(entry_ops, max_size=3),
    byte_changes=st.lists(byte_ops, max_size=3),
    zipped=st.booleans(),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]),
)
def test_corrupted_uploads_are_refused_cleanly(
    entry_changes: list[tuple[Any, ...]],
    byte_changes: list[tuple[Any, ...]],
    zipped: bool,
    method: int,
) -> None:
    entries = _entries(entry_changes)
    if zipped:
        files = [("district.zip", _corrupt(_zip(entries, method), byte_changes))]
    else:
        files = [
            (n, _corrupt(d, byte_changes) if i == 0 else d) for i, (n, d) in enumerate(entries)
        ]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        try:
            folder = save_upload(files, home)
        except DataError as exc:
            assert exc.problems and all(p.file and p.code for p in exc.problems)
            kept = {home, uploads_dir(home)}
            assert [p for p in Path(tmp).rglob("*") if p not in kept] == []
        else:
            assert folder.is_dir() and folder.is_relative_to(uploads_dir(home))
            assert _left_behind(home) == []
            report, dataset = check_raw(read_folder(folder))
            assert (dataset is not None) == report.ok
        if zipped:
            archive = Path(tmp) / "district.zip"
            archive.write_bytes(files[0][1])
            report, dataset = check_raw(read_folder(archive))
            assert (dataset is not None) == report.ok
            archive.unlink()
        assert _left_behind(home) == []
