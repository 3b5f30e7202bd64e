"""Random corruption of a valid dataset never escapes validation as an exception.

``check_raw`` is the body of ``validate_folder`` without its last-resort
``except``, so any exception here would have become an ``unexpected`` problem.
"""

from __future__ import annotations

import atexit
import csv
import functools
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import write_tiny_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govopt.data.io import read_folder
from govopt.data.schema import TABLES
from govopt.data.validate import check_raw
from govopt.output.problem_text import problem_fix, problem_message, report_frame, report_text

CSV_FILES = ["centers.csv", "social_orgs.csv", "work_orders.csv", "surveys.csv", "standards.csv"]
FILES = ["grids.geojson", *CSV_FILES, "scenario.toml", "about.toml"]
GRID_KEYS = [c.name for c in TABLES["grids"].columns if c.name != "geometry"]
cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=8) | st.sampled_from(
    ["", "-1", "1e309", "nan", "NA", "=1+1", "３", "117.5", "0203", "5A", "street"]
)

operations = st.one_of(
    st.tuples(st.just("truncate"), st.sampled_from(FILES), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.sampled_from(FILES), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("drop_column"), st.sampled_from(CSV_FILES), st.integers(0, 8)),
    st.tuples(st.just("rename_column"), st.sampled_from(CSV_FILES), st.integers(0, 8), cell),
    st.tuples(
        st.just("inject"), st.sampled_from(CSV_FILES), st.integers(1, 10), st.integers(0, 8), cell
    ),
    st.tuples(st.just("duplicate_row"), st.sampled_from(CSV_FILES), st.integers(1, 10)),
    st.tuples(st.just("delete"), st.sampled_from(FILES)),
    st.tuples(
        st.just("grid_value"),
        st.integers(0, 5),
        st.sampled_from([*GRID_KEYS, "geometry"]),
        st.one_of(
            cell,
            st.integers(-(10**6), 10**6),
            st.floats(),
            st.none(),
            st.booleans(),
            st.lists(st.integers(), max_size=2),
            st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
        ),
    ),
)


@functools.cache
def _template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="govopt-tiny-"))
    atexit.register(shutil.rmtree, folder, True)
    return write_tiny_dataset(folder)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def corrupt(folder: Path, op: tuple[Any, ...]) -> None:
    """Apply one corruption to the folder; a no-op when it no longer applies."""
    kind, target = op[0], op[1]
    path = folder / target if isinstance(target, str) else folder / "grids.geojson"
    if not path.is_file():
        return
    data = path.read_bytes()
    if kind == "truncate":
        path.write_bytes(data[: int(len(data) * op[2])])
    elif kind == "flip" and data:
        i = min(int(len(data) * op[2]), len(data) - 1)
        path.write_bytes(data[:i] + bytes([op[3]]) + data[i + 1 :])
    elif kind == "delete":
        path.unlink()
    elif kind == "grid_value":
        try:
            doc = json.loads(data)
            feature = doc["features"][op[1]]
            if op[2] == "geometry":
                feature["geometry"] = (
                    None if op[3] is None else {"type": "Point", "coordinates": []}
                )
            else:
                feature["properties"][op[2]] = op[3]
            path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        except (ValueError, KeyError, IndexError, TypeError):
            return
    else:
        try:
            rows = _rows(path)
        except (UnicodeDecodeError, csv.Error):
            return
        if not rows:
            return
        if kind == "drop_column":
            rows = [r[: op[2]] + r[op[2] + 1 :] for r in rows]
        elif kind == "rename_column" and op[2] < len(rows[0]):
            rows[0][op[2]] = op[3]
        elif kind == "inject" and op[2] < len(rows) and op[3] < len(rows[op[2]]):
            rows[op[2]][op[3]] = op[4]
        elif kind == "duplicate_row" and op[2] < len(rows):
            rows.append(rows[op[2]])
        _write_rows(path, rows)


@pytest.mark.slow
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=1, max_size=4), zipped=st.booleans())
def test_corruption_never_raises(ops: list[tuple[Any, ...]], zipped: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = shutil.copytree(_template(), Path(tmp) / "data")
        for op in ops:
            corrupt(folder, op)
        target = folder
        if zipped:
            target = Path(tmp) / "data.zip"
            with zipfile.ZipFile(target, "w") as zf:
                for path in folder.iterdir():
                    zf.write(path, "data/" + path.name)
        report, dataset = check_raw(read_folder(target))
        assert report_text(report).splitlines()[-1].endswith(("warning", "warnings"))
        assert len(report_frame(report, "zh")) == len(report.problems)
        for p in report.problems:
            assert p.file and problem_message(p) and problem_fix(p)
        assert (dataset is not None) == report.ok
