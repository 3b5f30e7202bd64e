"""Nonsense never passes validation: each bad input is an error (or a named warning) that
says which file, row and column, and reading it changes nothing on disk."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import CENTERS_CSV, STANDARDS_CSV, SURVEYS_CSV, WORK_ORDERS_CSV, tiny_grids

import govopt.data.io as gio
from govopt.cli import main
from govopt.data.errors import DataError, Problem
from govopt.data.io import write_table
from govopt.data.validate import load_dataset, read_work_orders, validate_folder
from govopt.output.problem_text import describe_problem, problem_fix, problem_message


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def only(folder: Path, code: str) -> Problem:
    """The single problem with ``code``; the folder is left exactly as it was."""
    before = fingerprint(folder)
    found = [p for p in validate_folder(folder).problems if p.code == code]
    assert fingerprint(folder) == before
    assert len(found) == 1, [describe_problem(p) for p in validate_folder(folder).problems]
    return found[0]


def set_grid_values(folder: Path, column: str, values: dict[int, object]) -> None:
    doc = json.loads((folder / "grids.geojson").read_text(encoding="utf-8"))
    for i, value in values.items():
        doc["features"][i]["properties"][column] = value
    (folder / "grids.geojson").write_text(json.dumps(doc), encoding="utf-8")


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


# ----- numbers that wrap around or overflow ----------------------------------


@pytest.mark.parametrize(
    ("column", "value", "bound"),
    [
        ("elderly", 1e19, "1,000,000"),
        ("households", 1e308, "1,000,000"),
        ("residents", 2_000_000, "1,000,000"),
        ("priority", 1e308, "1,000"),
    ],
)
def test_grid_counts_above_their_bound_are_errors(
    tiny_dataset_dir: Path, column: str, value: float, bound: str
) -> None:
    set_grid_values(tiny_dataset_dir, column, {1: value})
    p = only(tiny_dataset_dir, "above_maximum")
    assert (p.file, p.column, p.row) == ("grids.geojson", column, 2)
    assert problem_message(p) == f"value above {bound}"
    assert problem_fix(p) == f"use values of at most {bound}"
    with pytest.raises(DataError):
        load_dataset(tiny_dataset_dir)


@pytest.mark.parametrize(
    ("name", "text", "old", "new", "column", "row"),
    [
        ("centers.csv", CENTERS_CSV, ",6,200000,12", ",1e308,200000,12", "staff", 1),
        ("centers.csv", CENTERS_CSV, ",3,80000,6", ",3,1e308,6", "funds_cny", 2),
        ("centers.csv", CENTERS_CSV, ",1,10000,2", ",1,10000,20001", "max_staff", 3),
        ("standards.csv", STANDARDS_CSV, "0.2,2.0,3.0", "1e308,2.0,3.0", "hours_per_resident", 1),
        ("standards.csv", STANDARDS_CSV, "0.1,0.0,4.0", "0.1,0.0,99999", "hours_per_order", 2),
        ("surveys.csv", SURVEYS_CSV, "0202,35,", "0202,1e12,", "respondents", 2),
    ],
)
def test_table_numbers_above_their_bound_are_errors(
    tiny_dataset_dir: Path, name: str, text: str, old: str, new: str, column: str, row: int
) -> None:
    write(tiny_dataset_dir, name, text.replace(old, new))
    p = only(tiny_dataset_dir, "above_maximum")
    assert (p.file, p.column, p.row) == (name, column, row)


def test_org_hours_and_reach_have_bounds(tiny_dataset_dir: Path) -> None:
    text = (tiny_dataset_dir / "social_orgs.csv").read_text(encoding="utf-8")
    write(tiny_dataset_dir, "social_orgs.csv", text.replace(",2000,", ",2e7,"))
    p = only(tiny_dataset_dir, "above_maximum")
    assert (p.column, p.row, problem_message(p)) == ("hours", 1, "value above 10,000,000")
    write(tiny_dataset_dir, "social_orgs.csv", text.replace(",1500", ",150000"))
    p = only(tiny_dataset_dir, "above_maximum")
    assert (p.column, p.row, problem_message(p)) == ("reach_m", 2, "value above 100,000")


def test_infinity_is_not_a_number(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.replace(",6,200000,", ",1e309,200000,"))
    p = only(tiny_dataset_dir, "not_a_number")
    assert (p.file, p.column, p.row) == ("centers.csv", "staff", 1)


def test_cli_refuses_a_wrapping_count_with_exit_one(
    tiny_dataset_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_grid_values(tiny_dataset_dir, "elderly", {0: 1e19})
    assert main(["validate", str(tiny_dataset_dir)]) == 1
    out = str(tiny_dataset_dir / "out")
    assert main(["solve", str(tiny_dataset_dir), "--out", out, "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "grids.geojson, row 1, column elderly: value above 1,000,000" in captured.out
    assert "grids.geojson, row 1, column elderly: value above 1,000,000" in captured.err
    assert "Traceback" not in captured.out + captured.err
    assert not (tiny_dataset_dir / "out").exists()


# ----- priority ------------------------------------------------------------------


def test_empty_priority_is_the_default_with_a_warning_naming_the_rows(
    tiny_dataset_dir: Path,
) -> None:
    set_grid_values(tiny_dataset_dir, "priority", {1: None, 4: None})
    p = only(tiny_dataset_dir, "default_used")
    assert (p.severity, p.file, p.column, p.row) == ("warning", "grids.geojson", "priority", 2)
    assert problem_message(p) == "empty cell; the default 1 is used (2 row(s): 2, 5)"
    assert problem_message(p, "zh") == "单元格为空，按默认值 1 计算（共2行：第2, 5行）"
    priority = load_dataset(tiny_dataset_dir).grids["priority"]
    assert priority.tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 1.5]


def test_nan_text_priority_is_not_a_number(tiny_dataset_dir: Path) -> None:
    set_grid_values(tiny_dataset_dir, "priority", {2: "nan"})
    p = only(tiny_dataset_dir, "not_a_number")
    assert (p.file, p.column, p.row) == ("grids.geojson", "priority", 3)


# ----- ids -------------------------------------------------------------------------


def test_whole_number_float_ids_are_read_as_whole_numbers(tiny_dataset_dir: Path) -> None:
    set_grid_values(tiny_dataset_dir, "grid_id", {i: float(i + 7) for i in range(6)})
    write(tiny_dataset_dir, "work_orders.csv", WORK_ORDERS_CSV.replace(",0101,", ",7,"))
    write(tiny_dataset_dir, "surveys.csv", "grid_id,respondents,satisfaction\n8,3,4\n")
    ds = load_dataset(tiny_dataset_dir)
    assert ds.grids["grid_id"].tolist() == ["7", "8", "9", "10", "11", "12"]
    assert ds.surveys["grid_id"].tolist() == ["8"]
    counts = ds.work_order_counts
    assert counts.loc[counts["grid_id"] == "7", "count"].sum() == 2
    assert (read_work_orders(tiny_dataset_dir)["grid_id"] == "7").sum() == 2


def test_a_null_id_is_a_located_error(tiny_dataset_dir: Path) -> None:
    set_grid_values(tiny_dataset_dir, "grid_id", {i: float(i + 7) for i in range(6)})
    set_grid_values(tiny_dataset_dir, "grid_id", {2: None})
    p = only(tiny_dataset_dir, "empty_cell")
    assert (p.file, p.column, p.row) == ("grids.geojson", "grid_id", 3)
    assert not [p for p in validate_folder(tiny_dataset_dir).problems if p.code == "unexpected"]


def test_text_na_null_and_nan_stay_text(tiny_dataset_dir: Path) -> None:
    set_grid_values(tiny_dataset_dir, "grid_id", {0: "NA", 1: "NULL", 2: "nan"})
    orders = WORK_ORDERS_CSV.replace(",0101,", ",NA,").replace(",0102,", ",NULL,")
    write(tiny_dataset_dir, "work_orders.csv", orders)
    write(tiny_dataset_dir, "surveys.csv", "grid_id,respondents,satisfaction\nnan,3,4\n")
    ds = load_dataset(tiny_dataset_dir)
    assert ds.grids["grid_id"].tolist()[:3] == ["NA", "NULL", "nan"]
    orders = read_work_orders(tiny_dataset_dir)
    assert orders["grid_id"].tolist()[:4] == ["NA", "NA", "NULL", "NULL"]
    assert ds.surveys["grid_id"].tolist() == ["nan"]
    assert orders["satisfaction"].isna().sum() == 2
    counts = ds.work_order_counts.groupby("grid_id", observed=True)["count"].sum()
    assert (counts["NA"], counts["NULL"]) == (2, 2)


def test_text_na_stays_text_in_excel(tiny_dataset_dir: Path) -> None:
    surveys = pd.DataFrame(
        {"grid_id": ["NA", "0101"], "respondents": [3, 4], "satisfaction": [4, 5]}
    )
    (tiny_dataset_dir / "surveys.csv").unlink()
    write_table(surveys, tiny_dataset_dir / "surveys.xlsx")
    assert load_dataset(tiny_dataset_dir).surveys["grid_id"].tolist() == ["NA", "0101"]


# ----- where the grids are ---------------------------------------------------------


def test_projected_grids_in_europe_are_outside_china(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids["geometry"] = grids.geometry.translate(-115.0, 12.0)  # near Paris
    grids = grids.to_crs(3857)
    (tiny_dataset_dir / "grids.geojson").unlink()
    grids.to_file(tiny_dataset_dir / "grids.gpkg", driver="GPKG", engine="pyogrio")
    p = only(tiny_dataset_dir, "outside_china")
    assert (p.file, p.column, p.row) == ("grids.gpkg", "geometry", 1)
    assert problem_message(p) == "location outside China (6 row(s): 1, 2, 3, 4, 5 …)"


def test_projected_grids_in_china_pass(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids().to_crs(3857)
    (tiny_dataset_dir / "grids.geojson").unlink()
    grids.to_file(tiny_dataset_dir / "grids.gpkg", driver="GPKG", engine="pyogrio")
    assert validate_folder(tiny_dataset_dir).ok


@pytest.mark.parametrize("name", ["EPSG:999999", "urn:ogc:def:crs:EPSG::999999"])
def test_unknown_epsg_code_is_an_error(tiny_dataset_dir: Path, name: str) -> None:
    doc = json.loads((tiny_dataset_dir / "grids.geojson").read_text(encoding="utf-8"))
    doc["crs"] = {"type": "name", "properties": {"name": name}}
    write(tiny_dataset_dir, "grids.geojson", json.dumps(doc))
    p = only(tiny_dataset_dir, "unknown_crs")
    assert (p.file, p.column) == ("grids.geojson", "geometry")
    assert problem_message(p) == f"unknown coordinate reference system ({name})"
    assert [q.code for q in validate_folder(tiny_dataset_dir).errors] == ["unknown_crs"]


# ----- text files ------------------------------------------------------------------


def test_big5_text_is_named_not_misread(tiny_dataset_dir: Path) -> None:
    traditional = CENTERS_CSV.replace("东山社区党群服务中心", "東山社區黨群服務中心")
    traditional = traditional.replace("明水街道党群服务中心", "明水街道黨群服務中心")
    traditional = traditional.replace("第一网格工作站", "第一網格工作站")
    (tiny_dataset_dir / "centers.csv").write_bytes(traditional.encode("big5"))
    p = only(tiny_dataset_dir, "big5_text")
    assert p.file == "centers.csv" and "Big5" in problem_message(p)
    assert "UTF-8" in problem_fix(p) and "UTF-8" in problem_fix(p, "zh")


def test_simplified_gb18030_is_still_read(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "centers.csv").write_bytes(CENTERS_CSV.encode("gb18030"))
    assert load_dataset(tiny_dataset_dir).centers.loc[1, "name"] == "东山社区党群服务中心"


def test_nul_inside_text_is_located(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.replace("东山社区", "东山\x00社区"))
    p = only(tiny_dataset_dir, "nul_character")
    assert (p.file, p.column, p.row) == ("centers.csv", "name", 2)


def test_a_doubled_bom_is_read(tiny_dataset_dir: Path) -> None:
    bom = b"\xef\xbb\xbf"
    (tiny_dataset_dir / "centers.csv").write_bytes(bom + bom + CENTERS_CSV.encode("utf-8"))
    assert load_dataset(tiny_dataset_dir).centers["center_id"].tolist() == ["S01", "C01", "W01"]


def test_staff_above_max_staff_is_a_warning(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.replace(",3,80000,6", ",8,80000,6"))
    p = only(tiny_dataset_dir, "staff_over_max")
    assert (p.severity, p.file, p.column, p.row) == ("warning", "centers.csv", "max_staff", 2)
    assert "move the extra staff" in problem_message(p)
    assert validate_folder(tiny_dataset_dir).ok


# ----- compressed text -------------------------------------------------------------


def test_multi_member_gzip_is_stopped_at_the_unpacked_limit(
    tiny_dataset_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gio, "MAX_UNPACKED_BYTES", 1024 * 1024)
    monkeypatch.setattr(gio, "MAX_STREAMED_BYTES", 1024 * 1024)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr("tempfile.tempdir", None)
    header, *rows = WORK_ORDERS_CSV.splitlines(keepends=True)
    body = "".join(rows * 1600).encode("utf-8")
    data = gzip.compress(header.encode() + body) + gzip.compress(rows[0].encode())
    assert int.from_bytes(data[-4:], "little") < 100 < len(body) - 1024 * 1024
    (tiny_dataset_dir / "work_orders.csv").unlink()
    (tiny_dataset_dir / "work_orders.csv.gz").write_bytes(data)
    p = only(tiny_dataset_dir, "file_too_large")
    assert p.file == "work_orders.csv.gz"
    assert problem_message(p) == "the file unpacks to more than 1.0 MB"
    assert list(scratch.iterdir()) == []


def test_broken_gzip_is_a_message(tiny_dataset_dir: Path) -> None:
    data = bytearray(gzip.compress(WORK_ORDERS_CSV.encode("utf-8") * 20))
    data[40:60] = b"\x00" * 20
    (tiny_dataset_dir / "work_orders.csv").unlink()
    (tiny_dataset_dir / "work_orders.csv.gz").write_bytes(bytes(data))
    p = only(tiny_dataset_dir, "unreadable_file")
    assert p.file == "work_orders.csv.gz"
