"""Reading and writing dataset folders: every format round-trips to an equal Dataset."""

from __future__ import annotations

import gzip
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import CENTERS_CSV, TINY_GRID_IDS

import govopt.data.io as gio
from govopt.data.dataset import Dataset
from govopt.data.errors import DataError
from govopt.data.io import write_dataset, write_grids, write_table
from govopt.data.schema import TABLES
from govopt.data.validate import load_dataset, read_work_orders, validate_folder
from govopt.output.problem_text import problem_message

TEXT_TABLES = ("centers", "standards", "social_orgs", "work_order_counts", "surveys")


def assert_same(a: Dataset, b: Dataset) -> None:
    """Assert two datasets hold the same tables, CRS, geometry, scenario and meta."""
    for name in TEXT_TABLES:
        pd.testing.assert_frame_equal(
            getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True)
        )
    ga, gb = a.grids.reset_index(drop=True), b.grids.reset_index(drop=True)
    pd.testing.assert_frame_equal(
        pd.DataFrame(ga.drop(columns="geometry")), pd.DataFrame(gb.drop(columns="geometry"))
    )
    assert ga.crs is not None and gb.crs is not None
    assert ga.crs.equals(gb.crs) or ga.crs.to_epsg() == gb.crs.to_epsg()
    assert ga.geometry.normalize().geom_equals_exact(gb.geometry.normalize(), 1e-6).all()
    assert a.scenario == b.scenario
    assert dict(a.meta) == dict(b.meta)


def test_tiny_dataset_loads_with_typed_columns(
    tiny_dataset: Dataset, tiny_dataset_dir: Path
) -> None:
    ds = tiny_dataset
    assert tuple(ds.grids["grid_id"]) == TINY_GRID_IDS
    assert ds.grids["residents"].tolist() == [1000, 1050, 1100, 1150, 1200, 1250]
    assert ds.grids["residents"].dtype == "int64"
    assert ds.grids["priority"].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 1.5]
    assert ds.grids.crs.to_epsg() == 4326
    assert ds.categories == ("elderly_care", "disputes_mediation", "sanitation_environment")
    assert ds.centers["staff"].sum() == 10
    assert ds.centers.loc[0, "name"] == "明水街道党群服务中心"
    wo = read_work_orders(tiny_dataset_dir)
    assert pd.api.types.is_datetime64_any_dtype(wo["created_at"])
    assert wo.loc[0, "created_at"] == pd.Timestamp("2024-01-05 08:30:00")
    assert wo["closed_at"].isna().sum() == 2
    assert wo["satisfaction"].isna().sum() == 2
    assert ds.scenario is not None and ds.scenario.staff_total == 12
    assert ds.meta["name_zh"] == "小样例"
    assert ds.synthetic


def test_optional_tables_and_columns_absent_get_schema_defaults(tiny_dataset_dir: Path) -> None:
    for name in ("social_orgs.csv", "work_orders.csv", "surveys.csv", "scenario.toml"):
        (tiny_dataset_dir / name).unlink()
    grids = gpd.read_file(tiny_dataset_dir / "grids.geojson").drop(columns="priority")
    grids.to_file(tiny_dataset_dir / "grids.geojson", driver="GeoJSON")
    ds = load_dataset(tiny_dataset_dir)
    for name in ("social_orgs", "surveys"):
        frame = getattr(ds, name)
        assert len(frame) == 0
        assert [c.name for c in TABLES[name].columns] == list(frame.columns)
    assert len(ds.work_order_counts) == 0
    assert list(ds.work_order_counts.columns) == ["grid_id", "category", "year", "count"]
    assert len(read_work_orders(tiny_dataset_dir)) == 0
    assert (ds.grids["priority"] == 1.0).all()
    assert (ds.grids["party_members"] == 0).all()
    assert ds.scenario is None


@pytest.mark.parametrize("gz", [(), ("work_order_counts",), ("work_order_counts", "centers")])
def test_write_then_load_is_equal(
    tiny_dataset: Dataset, tmp_path: Path, gz: tuple[str, ...]
) -> None:
    write_dataset(tiny_dataset, tmp_path / "out", gzip_tables=gz)
    for name in gz:
        assert (tmp_path / "out" / f"{name}.csv.gz").is_file()
        assert not (tmp_path / "out" / f"{name}.csv").exists()
    assert_same(tiny_dataset, load_dataset(tmp_path / "out"))


def test_written_files_are_bom_csv_and_rounded_geojson(
    tiny_dataset: Dataset, tiny_dataset_dir: Path, tmp_path: Path
) -> None:
    grids = tiny_dataset.grids.copy()
    grids["geometry"] = grids.geometry.translate(1.23456789e-4, 0)
    ds = Dataset(**{**tiny_dataset.__dict__, "grids": grids})
    orders = read_work_orders(tiny_dataset_dir)
    write_dataset(ds, tmp_path, gzip_tables=("work_orders",), orders=[orders])
    assert (tmp_path / "centers.csv").read_bytes().startswith(b"\xef\xbb\xbfcenter_id,")
    with gzip.open(tmp_path / "work_orders.csv.gz", "rb") as fh:
        assert fh.read(12) == b"\xef\xbb\xbforder_id,"
    text = (tmp_path / "grids.geojson").read_text(encoding="utf-8")
    decimals = {len(m) for m in re.findall(r"\d+\.(\d+)", text.split('"features"')[1])}
    assert max(decimals) <= 6
    assert "117.500123" in text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("suffix", [".gpkg", ".zip"])
def test_grids_formats_round_trip(
    tiny_dataset: Dataset, tiny_dataset_dir: Path, suffix: str
) -> None:
    grids = tiny_dataset.grids.copy()
    grids["party_members_60plus"] = [3, 0, 5, 1, 2, 8]
    grids["party_members"] = [30, 10, 50, 10, 20, 80]
    (tiny_dataset_dir / "grids.geojson").unlink()
    write_grids(grids, tiny_dataset_dir / f"grids{suffix}")
    ds = load_dataset(tiny_dataset_dir)
    assert_same(Dataset(**{**tiny_dataset.__dict__, "grids": grids}), ds)


def test_unzipped_shapefile_with_siblings_is_read(
    tiny_dataset: Dataset, tiny_dataset_dir: Path
) -> None:
    (tiny_dataset_dir / "grids.geojson").unlink()
    write_grids(tiny_dataset.grids, tiny_dataset_dir / "grids.zip")
    with zipfile.ZipFile(tiny_dataset_dir / "grids.zip") as zf:
        zf.extractall(tiny_dataset_dir)
    (tiny_dataset_dir / "grids.zip").unlink()
    assert (tiny_dataset_dir / "grids.shp").is_file()
    assert_same(tiny_dataset, load_dataset(tiny_dataset_dir))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_keep_chinese_names(tiny_dataset_dir: Path, encoding: str) -> None:
    (tiny_dataset_dir / "centers.csv").write_bytes(CENTERS_CSV.encode(encoding))
    ds = load_dataset(tiny_dataset_dir)
    assert ds.centers["name"].tolist() == [
        "明水街道党群服务中心",
        "东山社区党群服务中心",
        "第一网格工作站",
    ]


def test_gb18030_csv_gz_is_read(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "centers.csv").unlink()
    with gzip.open(tiny_dataset_dir / "centers.csv.gz", "wb") as fh:
        fh.write(CENTERS_CSV.encode("gb18030"))
    assert load_dataset(tiny_dataset_dir).centers.loc[2, "name"] == "第一网格工作站"


@pytest.mark.parametrize("name", ["centers", "work_orders", "standards"])
def test_xlsx_tables_round_trip(tiny_dataset: Dataset, tiny_dataset_dir: Path, name: str) -> None:
    orders = read_work_orders(tiny_dataset_dir)
    table = orders if name == "work_orders" else getattr(tiny_dataset, name)
    (tiny_dataset_dir / f"{name}.csv").unlink()
    write_table(table, tiny_dataset_dir / f"{name}.xlsx")
    assert_same(tiny_dataset, load_dataset(tiny_dataset_dir))
    pd.testing.assert_frame_equal(read_work_orders(tiny_dataset_dir), orders)


@pytest.mark.parametrize("inner", ["", "district/"])
def test_zip_of_folder_is_read(
    tiny_dataset: Dataset, tiny_dataset_dir: Path, tmp_path: Path, inner: str
) -> None:
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(tiny_dataset_dir.iterdir()):
            zf.write(path, inner + path.name)
        zf.writestr("__MACOSX/._grids.geojson", b"\x00\x05junk")
    ds = load_dataset(archive)
    assert ds.source == str(archive)
    assert_same(tiny_dataset, ds)


def test_ids_keep_leading_zeros(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "surveys.csv").write_text(
        "grid_id,respondents,satisfaction\n0101,7,4\n0203,9,3.5\n", encoding="utf-8"
    )
    ds = load_dataset(tiny_dataset_dir)
    assert ds.surveys["grid_id"].tolist() == ["0101", "0203"]
    assert read_work_orders(tiny_dataset_dir)["grid_id"].iloc[0] == "0101"
    assert "0101" in set(ds.work_order_counts["grid_id"])


@pytest.mark.parametrize("epsg", [4490, 32650])
def test_cgcs2000_and_projected_crs_are_kept(
    tiny_dataset: Dataset, tiny_dataset_dir: Path, epsg: int
) -> None:
    grids = tiny_dataset.grids.set_crs(4490, allow_override=True) if epsg == 4490 else None
    if grids is None:
        grids = tiny_dataset.grids.to_crs(epsg)
    write_grids(grids, tiny_dataset_dir / "grids.geojson")
    ds = load_dataset(tiny_dataset_dir)
    assert ds.grids.crs.to_epsg() == epsg
    tol = 1e-6 if epsg == 4490 else 0.01
    assert ds.grids.geometry.geom_equals_exact(grids.geometry, tolerance=tol).all()


def test_load_raises_data_error_listing_every_problem(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "standards.csv").unlink()
    (tiny_dataset_dir / "centers.csv").write_text(
        CENTERS_CSV.replace("street,117.515", "town,117.515"), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_dataset(tiny_dataset_dir)
    files = {p.file for p in info.value.problems}
    assert {"standards.csv", "centers.csv"} <= files


def test_files_over_the_size_limit_are_refused(
    tiny_dataset_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gio, "MAX_FILE_BYTES", 300)
    monkeypatch.setattr(gio, "MAX_STREAMED_BYTES", 300)
    report = validate_folder(tiny_dataset_dir)
    big = [p for p in report.errors if p.code == "file_too_large"]
    assert {p.file for p in big} >= {"grids.geojson", "work_orders.csv"}
    assert "limit" in problem_message(big[0])


def test_failed_write_leaves_the_old_file_intact(
    tiny_dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_dataset(tiny_dataset, tmp_path)
    before = (tmp_path / "centers.csv").read_bytes()

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(gio, "_csv_bytes", crash)
    with pytest.raises(OSError, match="disk full"):
        write_table(tiny_dataset.centers.head(1), tmp_path / "centers.csv")
    assert (tmp_path / "centers.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_write_replaces_stale_plain_csv_with_gz(tiny_dataset: Dataset, tmp_path: Path) -> None:
    write_dataset(tiny_dataset, tmp_path)
    assert (tmp_path / "work_order_counts.csv").is_file()
    write_dataset(tiny_dataset, tmp_path, gzip_tables=("work_order_counts",))
    assert not (tmp_path / "work_order_counts.csv").exists()
    assert_same(tiny_dataset, load_dataset(tmp_path))


def test_outline_and_about_round_trip(tiny_dataset: Dataset, tmp_path: Path) -> None:
    outline = gpd.GeoDataFrame(
        {"name": ["章丘区"]}, geometry=[tiny_dataset.grids.union_all().envelope], crs=4326
    )
    ds = Dataset(**{**tiny_dataset.__dict__, "outline": outline})
    write_dataset(ds, tmp_path)
    back = load_dataset(tmp_path)
    assert back.outline is not None and back.outline.loc[0, "name"] == "章丘区"
    assert back.outline.geometry.iloc[0].equals_exact(outline.geometry.iloc[0], 1e-6)
    assert dict(back.meta) == dict(tiny_dataset.meta)


def test_text_with_commas_quotes_and_newlines_round_trips(
    tiny_dataset: Dataset, tmp_path: Path
) -> None:
    centers = tiny_dataset.centers.copy()
    centers.loc[0, "name"] = '明水,"东"\n中心'
    centers.loc[1, "name"] = "=HYPERLINK(1)"
    ds = Dataset(**{**tiny_dataset.__dict__, "centers": centers})
    write_dataset(ds, tmp_path)
    assert load_dataset(tmp_path).centers["name"].tolist()[:2] == [
        '明水,"东"\n中心',
        "=HYPERLINK(1)",
    ]


def test_broken_xlsx_is_reported(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "centers.csv").unlink()
    (tiny_dataset_dir / "centers.xlsx").write_bytes(b"PK\x03\x04 broken workbook")
    report = validate_folder(tiny_dataset_dir)
    assert [(p.code, p.file) for p in report.errors] == [("unreadable_file", "centers.xlsx")]


def test_gb18030_after_a_long_ascii_start_is_read(tiny_dataset_dir: Path) -> None:
    header, *rows = CENTERS_CSV.splitlines()
    filler = [f"X{i:05d},station {i},grid,117.51,36.71,1,0,2" for i in range(2000)]
    text = "\n".join([header, *filler, *rows]) + "\n"
    assert len(text.encode("ascii", errors="ignore")) > 65536
    (tiny_dataset_dir / "centers.csv").write_bytes(text.encode("gb18030"))
    names = load_dataset(tiny_dataset_dir).centers["name"]
    assert len(names) == 2003 and names.iloc[-1] == "第一网格工作站"


def test_windows_line_endings_are_read(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "centers.csv").write_bytes(CENTERS_CSV.replace("\n", "\r\n").encode())
    centers = load_dataset(tiny_dataset_dir).centers
    assert centers.columns[-1] == "max_staff"
    assert centers["max_staff"].tolist() == [12.0, 6.0, 2.0]


def test_rewrite_without_scenario_removes_the_old_one(
    tiny_dataset: Dataset, tmp_path: Path
) -> None:
    write_dataset(tiny_dataset, tmp_path)
    write_dataset(Dataset(**{**tiny_dataset.__dict__, "scenario": None, "meta": {}}), tmp_path)
    assert not (tmp_path / "scenario.toml").exists() and not (tmp_path / "about.toml").exists()
    assert load_dataset(tmp_path).scenario is None


# ----- reading ahead on a second thread ---------------------------------------------


def test_read_ahead_keeps_the_order_and_raises_where_the_source_stopped() -> None:
    def source() -> Iterator[int]:
        yield from range(50)
        raise ValueError("row 50 is broken")

    got: list[int] = []
    with pytest.raises(ValueError, match="row 50 is broken"):
        for item in gio.read_ahead(source()):
            got.append(item)
    assert got == list(range(50))


def test_read_ahead_stopped_early_closes_its_source() -> None:
    closed = threading.Event()

    def source() -> Iterator[int]:
        try:
            yield from range(1_000_000)
        finally:
            closed.set()

    items = gio.read_ahead(source(), most=3)
    assert [next(items) for _ in range(5)] == [0, 1, 2, 3, 4]
    items.close()
    assert closed.is_set()
    assert not any(t.name == "govopt-ahead" for t in threading.enumerate())
