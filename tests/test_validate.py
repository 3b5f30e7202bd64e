"""Each kind of bad input gives a problem naming the file, the row and the column."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from conftest import CENTERS_CSV, SOCIAL_ORGS_CSV, WORK_ORDERS_CSV, tiny_grids
from shapely.geometry import LineString, Point, Polygon

from govopt.data.errors import Problem
from govopt.data.io import RawFolder, read_folder
from govopt.data.validate import (
    Report,
    check_raw,
    load_dataset,
    read_work_orders,
    validate_folder,
)
from govopt.output.problem_text import problem_fix, problem_message, report_frame, report_text


def problems(folder: Path, code: str) -> list[Problem]:
    """The problems of ``folder`` with this code."""
    return [p for p in validate_folder(folder).problems if p.code == code]


def one(folder: Path, code: str) -> Problem:
    """The single problem of ``folder`` with this code."""
    found = problems(folder, code)
    assert len(found) == 1, report_text(validate_folder(folder))
    return found[0]


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def set_grids(folder: Path, grids: gpd.GeoDataFrame) -> None:
    (folder / "grids.geojson").unlink()
    grids.to_file(folder / "grids.geojson", driver="GeoJSON", engine="pyogrio")


# ----- folders and files ----------------------------------------------------


def test_valid_folder_has_no_problems(tiny_dataset_dir: Path) -> None:
    report = validate_folder(tiny_dataset_dir)
    assert report.problems == ()
    assert report.ok
    assert report_text(report).splitlines() == ["no problems found", "0 errors, 0 warnings"]


def test_missing_folder(tmp_path: Path) -> None:
    p = one(tmp_path / "nowhere", "missing_folder")
    assert "nowhere" in problem_message(p) and "govopt sample" in problem_fix(p)


def test_file_instead_of_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert one(tmp_path / "notes.txt", "not_a_folder").file == "notes.txt"


def test_every_missing_required_file_is_named(tmp_path: Path) -> None:
    found = {p.file for p in problems(tmp_path, "missing_file")}
    assert found == {"grids.geojson", "centers.csv", "standards.csv"}


@pytest.mark.parametrize("name", ["centers.csv", "grids.geojson", "surveys.csv"])
def test_empty_file(tiny_dataset_dir: Path, name: str) -> None:
    (tiny_dataset_dir / name).write_bytes(b"")
    assert one(tiny_dataset_dir, "empty_file").file == name


def test_binary_junk_instead_of_csv(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "standards.csv").write_bytes(bytes(range(256)) * 4)
    assert one(tiny_dataset_dir, "not_csv").file == "standards.csv"


def test_excel_file_saved_as_csv(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "centers.csv").write_bytes(b"PK\x03\x04" + b"\x14" * 64)
    p = one(tiny_dataset_dir, "not_csv")
    assert p.file == "centers.csv" and ".xlsx" in problem_fix(p)


def test_wrong_encoding(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "centers.csv").write_bytes(b"center_id,name\n\xff\xfe\xff,\xff\xff\n")
    p = one(tiny_dataset_dir, "bad_encoding")
    assert p.file == "centers.csv" and "UTF-8" in problem_fix(p)


def test_broken_geojson(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "grids.geojson", '{"type": "FeatureCollection", "features": [')
    assert one(tiny_dataset_dir, "unreadable_file").file == "grids.geojson"


@pytest.mark.parametrize("content", [b"", b"PK\x05\x06 not really a zip"])
def test_broken_zip_archive(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "upload.zip").write_bytes(content)
    p = one(tmp_path / "upload.zip", "unreadable_file")
    assert p.file == "upload.zip" and "zip" in problem_message(p)


def test_rows_with_wrong_number_of_values(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV + "X9,多余,grid,117.5,36.7,1,0,2,extra\n")
    p = one(tiny_dataset_dir, "bad_row_length")
    assert (p.file, p.row) == ("centers.csv", 4)


def test_duplicate_column(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "surveys.csv", "grid_id,respondents,respondents,satisfaction\n")
    p = one(tiny_dataset_dir, "duplicate_column")
    assert (p.file, p.column) == ("surveys.csv", "respondents")


# ----- columns and values ---------------------------------------------------


def test_missing_column_names_file_column_and_columns_found(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.replace(",max_staff", ",capacity"))
    p = one(tiny_dataset_dir, "missing_column")
    assert (p.file, p.column) == ("centers.csv", "max_staff")
    assert "capacity" in problem_message(p) and "max_staff" in problem_fix(p)


def test_missing_grid_column(tiny_dataset_dir: Path) -> None:
    set_grids(tiny_dataset_dir, tiny_grids().drop(columns="elderly"))
    p = one(tiny_dataset_dir, "missing_column")
    assert (p.file, p.column) == ("grids.geojson", "elderly")


def test_text_in_numeric_cells_names_first_rows_and_count(tiny_dataset_dir: Path) -> None:
    lines = WORK_ORDERS_CSV.splitlines()
    bad = [lines[0]] + [
        ln.rsplit(",", 1)[0] + ",good" if i < 7 else ln for i, ln in enumerate(lines[1:])
    ]
    write(tiny_dataset_dir, "work_orders.csv", "\n".join(bad) + "\n")
    p = one(tiny_dataset_dir, "not_a_number")
    assert (p.file, p.column, p.row) == ("work_orders.csv", "satisfaction", 1)
    assert "7 row(s): 1, 2, 3, 4, 5 …" in problem_message(p)


def test_bad_dates(tiny_dataset_dir: Path) -> None:
    write(
        tiny_dataset_dir, "work_orders.csv", WORK_ORDERS_CSV.replace("2024-03-10 11:00:00", "soon")
    )
    p = one(tiny_dataset_dir, "bad_datetime")
    assert (p.file, p.column, p.row) == ("work_orders.csv", "created_at", 5)


def test_other_date_formats_are_read(tiny_dataset_dir: Path) -> None:
    write(
        tiny_dataset_dir,
        "work_orders.csv",
        WORK_ORDERS_CSV.replace("2024-03-10 11:00:00", "2024/3/10 11:00"),
    )
    wo = read_work_orders(tiny_dataset_dir)
    assert str(wo.loc[4, "created_at"]) == "2024-03-10 11:00:00"


def test_duplicate_ids(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.replace("W01,", "C01,"))
    p = one(tiny_dataset_dir, "duplicate_id")
    assert (p.file, p.column, p.row) == ("centers.csv", "center_id", 3)
    assert "'C01'" in problem_message(p)


def test_duplicate_grid_ids(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids.loc[5, "grid_id"] = "0101"
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "duplicate_id")
    assert (p.file, p.column, p.row) == ("grids.geojson", "grid_id", 6)


def test_negative_counts(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids.loc[2, "households"] = -3
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "below_minimum")
    assert (p.file, p.column, p.row) == ("grids.geojson", "households", 3)
    assert "negative" in problem_message(p)


def test_fractional_counts(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "surveys.csv", "grid_id,respondents,satisfaction\n0101,4.5,3\n")
    p = one(tiny_dataset_dir, "not_whole")
    assert (p.file, p.column, p.row) == ("surveys.csv", "respondents", 1)


def test_empty_required_cell(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.replace(",6,200000,", ",,200000,"))
    p = one(tiny_dataset_dir, "empty_cell")
    assert (p.file, p.column, p.row) == ("centers.csv", "staff", 1)


@pytest.mark.parametrize(
    ("name", "old", "new", "column"),
    [
        ("centers.csv", ",street,", ",town,", "level"),
        ("social_orgs.csv", ",4A,", ",AAAA,", "rating"),
    ],
)
def test_values_outside_allowed_sets(
    tiny_dataset_dir: Path, name: str, old: str, new: str, column: str
) -> None:
    text = (tiny_dataset_dir / name).read_text(encoding="utf-8")
    write(tiny_dataset_dir, name, text.replace(old, new))
    p = one(tiny_dataset_dir, "not_allowed")
    assert (p.file, p.column, p.row) == (name, column, 1)
    assert new.strip(",") in problem_message(p)


def test_unknown_urban_rural(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids.loc[1, "urban_rural"] = "城市"
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "not_allowed")
    assert (p.file, p.column, p.row) == ("grids.geojson", "urban_rural", 2)
    assert "urban, rural" in problem_fix(p)


def test_categories_must_be_in_standards(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "social_orgs.csv", SOCIAL_ORGS_CSV.replace("elderly_care", "sports"))
    write(
        tiny_dataset_dir, "work_orders.csv", WORK_ORDERS_CSV.replace("sanitation_env", "noise_env")
    )
    found = {(p.file, p.column, p.row) for p in problems(tiny_dataset_dir, "unknown_category")}
    assert found == {("social_orgs.csv", "domain", 1), ("work_orders.csv", "category", 3)}


def test_elderly_more_than_residents(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids.loc[3, "elderly"] = 5000
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "elderly_over_residents")
    assert (p.file, p.column, p.row) == ("grids.geojson", "elderly", 4)


def test_lon_lat_swapped(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.replace("117.505,36.705", "36.705,117.505"))
    p = one(tiny_dataset_dir, "swapped_lonlat")
    assert (p.file, p.column, p.row) == ("centers.csv", "lon", 2)
    assert "lon and lat look swapped" in problem_message(p)


def test_location_outside_china(tiny_dataset_dir: Path) -> None:
    write(
        tiny_dataset_dir, "social_orgs.csv", SOCIAL_ORGS_CSV.replace("117.52,36.715", "2.35,48.85")
    )
    p = one(tiny_dataset_dir, "outside_china")
    assert (p.file, p.row) == ("social_orgs.csv", 2)


def test_grids_with_swapped_axes(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids["geometry"] = grids.geometry.map(
        lambda g: Polygon([(y, x) for x, y in g.exterior.coords])
    )
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "swapped_lonlat")
    assert (p.file, p.column) == ("grids.geojson", "geometry")
    assert "6 row(s)" in problem_message(p)


# ----- grids: CRS and geometry ---------------------------------------------


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_missing_crs(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "grids.geojson").unlink()
    grids = gpd.GeoDataFrame(
        tiny_grids().drop(columns="geometry"), geometry=list(tiny_grids().geometry)
    )
    grids.to_file(tiny_dataset_dir / "grids.gpkg", driver="GPKG", engine="pyogrio")
    p = one(tiny_dataset_dir, "missing_crs")
    assert (p.file, p.column) == ("grids.gpkg", "geometry")
    assert "EPSG:4490 (CGCS2000)" in problem_fix(p)


def test_unknown_crs(tiny_dataset_dir: Path) -> None:
    raw = read_folder(tiny_dataset_dir)
    local = 'LOCAL_CS["site grid",LOCAL_DATUM["site",0],UNIT["metre",1]]'
    assert raw.grids is not None
    odd = raw.grids.set_crs(local, allow_override=True)
    report, dataset = check_raw(RawFolder(**{**raw.__dict__, "grids": odd}))
    assert dataset is None
    p = next(p for p in report.errors if p.code == "unknown_crs")
    assert (p.file, p.column) == ("grids.geojson", "geometry")


def test_self_intersection_is_repaired_with_a_warning(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    x0, y0 = 117.52, 36.71
    lobe = [
        (x0, y0 + 0.005),
        (x0 - 1e-5, y0 + 0.00501),
        (x0 - 1e-5, y0 + 0.00499),
        (x0, y0 + 0.005),
    ]
    ring = [(x0, y0), (x0 + 0.01, y0), (x0 + 0.01, y0 + 0.01), (x0, y0 + 0.01), *lobe]
    grids.loc[5, "geometry"] = Polygon(ring)
    assert not grids.geometry.iloc[5].is_valid
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "repaired_geometry")
    assert (p.severity, p.file, p.column, p.row) == ("warning", "grids.geojson", "geometry", 6)
    assert "0203" in problem_message(p)
    ds = load_dataset(tiny_dataset_dir)
    assert ds.grids.geometry.is_valid.all()
    assert ds.grids.geometry.iloc[5].area == pytest.approx(1e-4, rel=0.01)


def test_bowtie_is_not_repaired(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids.loc[0, "geometry"] = Polygon(
        [(117.5, 36.7), (117.51, 36.71), (117.51, 36.7), (117.5, 36.71)]
    )
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "invalid_geometry")
    assert (p.severity, p.file, p.row) == ("error", "grids.geojson", 1)
    assert "0101" in problem_message(p)


def test_null_and_empty_geometry(tiny_dataset_dir: Path) -> None:
    data = json.loads((tiny_dataset_dir / "grids.geojson").read_text(encoding="utf-8"))
    data["features"][1]["geometry"] = None
    data["features"][4]["geometry"] = {"type": "Polygon", "coordinates": []}
    write(tiny_dataset_dir, "grids.geojson", json.dumps(data))
    p = one(tiny_dataset_dir, "empty_geometry")
    assert (p.file, p.column, p.row) == ("grids.geojson", "geometry", 2)
    assert "2 row(s): 2, 5" in problem_message(p)


def test_non_polygon_geometry(tiny_dataset_dir: Path) -> None:
    grids = tiny_grids()
    grids.loc[2, "geometry"] = Point(117.52, 36.70)
    grids.loc[3, "geometry"] = LineString([(117.5, 36.71), (117.51, 36.72)])
    set_grids(tiny_dataset_dir, grids)
    p = one(tiny_dataset_dir, "not_polygon")
    assert (p.file, p.row) == ("grids.geojson", 3)
    assert "LineString, Point" in problem_message(p)


# ----- cross-table warnings -------------------------------------------------


def test_work_orders_of_unknown_grids_are_dropped_with_a_warning(tiny_dataset_dir: Path) -> None:
    text = WORK_ORDERS_CSV.replace("WO0009,0203", "WO0009,9999").replace(
        "WO0010,0203", "WO0010,203"
    )
    write(tiny_dataset_dir, "work_orders.csv", text)
    p = one(tiny_dataset_dir, "unknown_grid")
    assert (p.severity, p.file, p.column, p.row) == ("warning", "work_orders.csv", "grid_id", 9)
    assert (
        "2 row(s)" in problem_message(p)
        and "'9999'" in problem_message(p)
        and "'203'" in problem_message(p)
    )
    ds = load_dataset(tiny_dataset_dir)
    assert ds.orders_total == 8
    assert len(read_work_orders(tiny_dataset_dir)) == 8


def test_closed_before_created_is_a_warning(tiny_dataset_dir: Path) -> None:
    write(
        tiny_dataset_dir,
        "work_orders.csv",
        WORK_ORDERS_CSV.replace("2024-01-06 10:00:00", "2023-12-31 10:00:00"),
    )
    p = one(tiny_dataset_dir, "closed_before_created")
    assert (p.severity, p.file, p.column, p.row) == ("warning", "work_orders.csv", "closed_at", 1)
    assert validate_folder(tiny_dataset_dir).ok


def test_survey_of_unknown_grid_is_a_warning(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "surveys.csv", "grid_id,respondents,satisfaction\n0101,3,4\nX1,2,5\n")
    p = one(tiny_dataset_dir, "unknown_grid")
    assert (p.severity, p.file, p.row) == ("warning", "surveys.csv", 2)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('name = "x"\nobjective = \n', "broken TOML"),
        ('name = "x"\n[budget]\nstaff_total = -5\n', "staff_total"),
        ('name = "x"\nobjective = "fastest"\n', "objective 'fastest' is unknown"),
    ],
)
def test_scenario_problems(tiny_dataset_dir: Path, text: str, words: str) -> None:
    write(tiny_dataset_dir, "scenario.toml", text)
    p = one(tiny_dataset_dir, "bad_scenario")
    assert p.file == "scenario.toml" and words in problem_message(p)
    assert problem_message(p, "zh").startswith("场景文件有误")


# ----- the report -----------------------------------------------------------


def test_every_problem_is_collected_and_counted(tiny_dataset_dir: Path) -> None:
    write(
        tiny_dataset_dir,
        "centers.csv",
        CENTERS_CSV.replace(",street,", ",town,").replace(",6,", ",-6,"),
    )
    write(tiny_dataset_dir, "surveys.csv", "grid_id,respondents,satisfaction\nX1,2,5\n")
    (tiny_dataset_dir / "standards.csv").unlink()
    report = validate_folder(tiny_dataset_dir)
    codes = sorted(p.code for p in report.problems)
    assert codes == ["below_minimum", "missing_file", "not_allowed", "unknown_grid"]
    assert not report.ok and len(report.errors) == 3 and len(report.warnings) == 1
    lines = report_text(report).splitlines()
    assert lines[-1] == "3 errors, 1 warning"
    assert lines[0].startswith("ERROR centers.csv, row 1, column level")
    assert report_text(report, "zh").splitlines()[-1] == "3个错误，1个警告"


def test_report_frame_in_both_languages(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "centers.csv").unlink()
    report = validate_folder(tiny_dataset_dir)
    en, zh = report_frame(report, "en"), report_frame(report, "zh")
    assert list(en.columns) == ["severity", "file", "row", "column", "message", "fix"]
    assert en.loc[0, "file"] == "centers.csv"
    assert "缺少必需文件" in zh.loc[0, "message"]
    assert report_frame(Report(())).empty


def test_centers_file_without_rows(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.csv", CENTERS_CSV.splitlines()[0] + "\n")
    p = one(tiny_dataset_dir, "empty_table")
    assert p.file == "centers.csv" and "no centers" in problem_message(p)


def test_several_files_for_one_table_warn_which_is_used(tiny_dataset_dir: Path) -> None:
    write(tiny_dataset_dir, "centers.xlsx", "stale")
    p = one(tiny_dataset_dir, "several_files")
    assert (p.severity, p.file) == ("warning", "centers.csv")
    assert "centers.xlsx ignored" in problem_message(p)
