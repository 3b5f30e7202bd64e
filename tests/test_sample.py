"""The seeded sample generator and the bundled Zhangqiu dataset."""

from __future__ import annotations

import gzip
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import govopt.data.io as gio
from govopt.analysis.demand import demand_hours
from govopt.data.dataset import Dataset
from govopt.data.io import write_dataset, write_table
from govopt.data.orders import count_orders
from govopt.data.sample import (
    DEFAULT_OUTLINE,
    ZHANGQIU,
    generate,
    generate_with_orders,
    write_sample,
)
from govopt.data.schema import CATEGORIES, LEVELS, RATINGS, TABLES
from govopt.data.validate import load_dataset, read_work_orders, validate_folder
from govopt.output.problem_text import describe_problem

N = 200
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "zhangqiu"


@pytest.fixture(scope="module")
def small() -> Dataset:
    """A 200-grid district in a synthetic ellipse."""
    return generate(N, seed=1)


def _frames(d: Dataset) -> dict[str, pd.DataFrame]:
    return {name: getattr(d, name) for name in TABLES if name != "work_orders"}


@pytest.fixture(scope="module")
def small_orders() -> pd.DataFrame:
    """The raw work-order log of the 200-grid district, in memory."""
    return generate_with_orders(N, seed=1)[1].frame()


def test_same_seed_gives_identical_tables(small: Dataset) -> None:
    again = generate(N, seed=1)
    for name, frame in _frames(small).items():
        other = getattr(again, name)
        if name == "grids":
            assert frame.drop(columns="geometry").equals(other.drop(columns="geometry"))
            assert shapely.equals_exact(frame.geometry.values, other.geometry.values, 0).all()
        else:
            pd.testing.assert_frame_equal(frame, other)
    assert small.scenario == again.scenario


def test_other_seed_gives_other_district(small: Dataset) -> None:
    other = generate(N, seed=2)
    assert not np.array_equal(small.grids["residents"], other.grids["residents"])
    assert not small.grids.geometry.iloc[0].equals(other.grids.geometry.iloc[0])


def test_counts_and_totals_scale_with_grids(small: Dataset) -> None:
    g = small.grids
    assert len(g) == N
    assert g["grid_id"].is_unique and g["grid_id"].iloc[0] == "G0001"
    # residents: exactly the Zhangqiu total scaled to N grids
    assert g["residents"].sum() == round(ZHANGQIU.residents * N / ZHANGQIU.grids)
    assert 300 <= g["households"].mean() <= 500
    share = g["elderly"].sum() / g["residents"].sum()
    assert 0.20 <= share <= 0.28
    rural = g[g["urban_rural"] == "rural"]
    urban = g[g["urban_rural"] == "urban"]
    assert (rural["elderly"] / rural["residents"]).mean() > (
        urban["elderly"] / urban["residents"]
    ).mean()
    assert 0.06 <= g["party_members"].sum() / g["residents"].sum() <= 0.08
    assert (g["party_members_60plus"] <= g["party_members"]).all()
    assert 0.03 <= (g["priority"] > 1.0).mean() <= 0.2
    assert g["priority"].between(1.0, 1.5).all()
    # work orders: 600,000 * N / 1076 exactly; organizations: 600 * N / 1076 (rounded)
    assert small.orders_total == round(ZHANGQIU.work_orders * N / ZHANGQIU.grids)
    assert len(small.social_orgs) == round(ZHANGQIU.social_orgs * N / ZHANGQIU.grids)
    # surveys for 30 % of grids
    assert len(small.surveys) == round(0.3 * N)


def test_grids_tile_the_outline_without_overlap(small: Dataset) -> None:
    assert small.outline is not None
    crs = "EPSG:32650"
    cells = small.grids.to_crs(crs)
    outline = small.outline.to_crs(crs).geometry.iloc[0]
    assert cells.is_valid.all()
    assert set(cells.geom_type) <= {"Polygon", "MultiPolygon"}
    total = cells.area.sum()
    union = shapely.union_all(cells.geometry.values)
    assert total == pytest.approx(outline.area, rel=1e-6)
    assert union.area == pytest.approx(total, rel=1e-6)  # no overlaps
    # the area scales with the number of grids (density like Zhangqiu)
    assert outline.area / 1e6 == pytest.approx(ZHANGQIU.area_km2 * N / ZHANGQIU.grids, rel=0.01)


def test_hierarchy_is_consistent(small: Dataset) -> None:
    g = small.grids
    assert g.groupby("community")["street"].nunique().max() == 1
    assert (g["name"].str.split("-").str[0] == g["street"]).all()
    assert (g["name"].str.split("-").str[1] == g["community"]).all()
    assert g.groupby("community")["urban_rural"].nunique().max() == 1
    assert (g.loc[g["urban_rural"] == "rural", "community"].str.endswith("村")).all()
    assert (g.loc[g["urban_rural"] == "urban", "community"].str.endswith("社区")).all()
    assert g.groupby("community").size().max() <= 6


def test_centers_follow_the_norms(small: Dataset) -> None:
    c = small.centers
    g = small.grids
    assert set(c["level"]) <= set(LEVELS)
    assert c["center_id"].is_unique
    counts = c["level"].value_counts()
    assert counts["street"] == g["street"].nunique()
    assert counts["community"] == g.groupby(["street", "community"]).ngroups
    n_urban = int((g["urban_rural"] == "urban").sum())
    assert counts.get("grid", 0) == round(0.3 * n_urban)
    street = c[c["level"] == "street"]["staff"]
    assert street.between(8, 20).all()
    assert c[c["level"] == "community"]["staff"].between(1, 8).all()
    assert c[c["level"] == "grid"]["staff"].between(1, 2).all()
    assert (c["max_staff"] >= c["staff"]).all()
    # today's staff per 10,000 residents stays near the norm of 18 (urban) and below (rural)
    per_10k = c["staff"].sum() / g["residents"].sum() * 10_000
    assert 15 <= per_10k <= 25
    # every center lies inside the district
    outline = small.outline.geometry.iloc[0] if small.outline is not None else None
    assert outline is not None
    assert shapely.contains_xy(outline.buffer(1e-4), c["lon"], c["lat"]).all()


def test_most_grids_reach_a_community_center(small: Dataset) -> None:
    crs = "EPSG:32650"
    cells = small.grids.to_crs(crs)
    centroids = np.column_stack([cells.centroid.x, cells.centroid.y])
    comm = small.centers[small.centers["level"] == "community"]
    pts = gpd.GeoSeries(gpd.points_from_xy(comm["lon"], comm["lat"]), crs=4326).to_crs(crs)
    xy = np.column_stack([pts.x, pts.y])
    nearest = np.sqrt(((centroids[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    assert (nearest <= 1000).mean() >= 0.95


def test_social_orgs_are_plausible(small: Dataset) -> None:
    o = small.social_orgs
    assert o["org_id"].is_unique
    assert set(o["domain"]) <= set(CATEGORIES)
    assert set(o["rating"]) <= set(RATINGS)
    assert o["hours"].between(200, 3000).all()
    assert o["reach_m"].between(400, 2000).all()


def test_work_orders_reference_grids_and_categories(
    small: Dataset, small_orders: pd.DataFrame
) -> None:
    w = small_orders
    assert w["order_id"].is_unique
    assert w["order_id"].iloc[0] == "WO2025000001"
    assert set(w["grid_id"]) <= set(small.grids["grid_id"])
    assert set(w["category"]) == set(CATEGORIES)
    assert (w["created_at"].dt.year == 2025).all()
    assert w["created_at"].dt.hour.between(7, 20).all()
    lag = (w["closed_at"] - w["created_at"]).dt.total_seconds() / 86_400
    assert lag.dropna().between(0.5, 10).all()
    assert 0.01 <= w["closed_at"].isna().mean() <= 0.03
    assert 0.12 <= w["satisfaction"].isna().mean() <= 0.20
    sat = w["satisfaction"].dropna()
    assert sat.isin([1.0, 2.0, 3.0, 4.0, 5.0]).all()
    assert sat.mean() > 3.8
    # urban grids log more orders per resident than rural ones
    per_grid = w.groupby("grid_id").size()
    g = small.grids.set_index("grid_id")
    rate = per_grid.reindex(g.index, fill_value=0) / g["residents"]
    assert rate[g["urban_rural"] == "urban"].mean() > rate[g["urban_rural"] == "rural"].mean()


def test_scenario_fits_the_sample(small: Dataset) -> None:
    s = small.scenario
    assert s is not None
    staff = small.centers["staff"].sum()
    funds = small.centers["funds_cny"].sum()
    assert s.staff_total == pytest.approx(staff * 1.05, abs=1)
    assert s.funds_total_cny == pytest.approx(funds * 1.1, abs=5_000)
    assert s.problems() == []
    assert small.synthetic


def test_written_small_sample_validates(
    small: Dataset, small_orders: pd.DataFrame, tmp_path: Path
) -> None:
    folder = tmp_path / "small"
    write_dataset(small, folder, gzip_tables=("work_orders",), orders=[small_orders])
    report = validate_folder(folder)
    assert [describe_problem(p) for p in report.problems if p.severity == "error"] == []
    loaded = load_dataset(folder)
    assert len(loaded.grids) == N
    assert loaded.orders_total == small.orders_total
    assert loaded.grids["residents"].sum() == small.grids["residents"].sum()


def test_generate_inside_a_given_outline() -> None:
    outline = shapely.box(117.45, 36.65, 117.60, 36.78)
    d = generate(50, seed=3, outline=outline)
    assert len(d.grids) == 50
    assert d.outline is not None
    area = d.grids.to_crs("EPSG:32650").area.sum()
    assert area == pytest.approx(d.outline.to_crs("EPSG:32650").area.iloc[0], rel=1e-6)


def test_rejects_zero_grids() -> None:
    with pytest.raises(ValueError, match="n_grids"):
        generate(0)


def test_bundled_outline_is_zhangqiu() -> None:
    outline = gpd.read_file(DEFAULT_OUTLINE)
    assert outline["name"].iloc[0] == "章丘区"
    assert outline.crs.to_epsg() == 4326
    assert outline.is_valid.all()
    area_km2 = outline.to_crs("EPSG:32650").area.iloc[0] / 1e6
    assert area_km2 == pytest.approx(1719, rel=0.01)
    assert DEFAULT_OUTLINE.stat().st_size < 100_000


def test_bundled_zhangqiu_validates_and_matches_facts() -> None:
    report = validate_folder(BUNDLED)
    assert [describe_problem(p) for p in report.problems if p.severity == "error"] == []
    d = load_dataset(BUNDLED)
    assert 950 <= len(d.grids) <= 1150
    assert d.grids["street"].nunique() == 18
    assert d.grids["residents"].sum() == pytest.approx(1_075_784, rel=0.01)
    assert 850 <= d.grids["community"].nunique() <= 1000
    assert 1900 <= d.centers["staff"].sum() <= 2100
    assert d.orders_total == pytest.approx(600_000, rel=0.01)
    assert d.synthetic and "章丘" in d.name
    assert (BUNDLED / "grids.geojson").stat().st_size < 2_000_000
    assert (BUNDLED / "work_orders.csv.gz").stat().st_size < 10_500_000


def test_chunked_log_reads_back_equal_to_the_log_in_memory(
    small: Dataset, small_orders: pd.DataFrame, tmp_path: Path
) -> None:
    folder = tmp_path / "chunked"
    written = write_sample(folder, N, seed=1, chunk_rows=7_777)
    assert (folder / "work_orders.csv.gz").is_file()
    assert not (folder / "work_order_counts.csv").exists()
    assert len(small_orders) > 10 * 7_777  # many chunk boundaries
    back = read_work_orders(folder)
    expected = small_orders.reset_index(drop=True)
    when = {"created_at": "datetime64[us]", "closed_at": "datetime64[us]"}
    pd.testing.assert_frame_equal(back, expected.astype(when), check_dtype=False)
    # the same bytes as the log written whole
    whole = tmp_path / "whole.csv.gz"
    write_table(expected, whole)
    with gzip.open(whole) as a, gzip.open(folder / "work_orders.csv.gz") as b:
        assert a.read() == b.read()
    # the dataset's counts are those of the rows, and load back the same
    pd.testing.assert_frame_equal(written.work_order_counts, count_orders(expected))
    pd.testing.assert_frame_equal(load_dataset(folder).work_order_counts, small.work_order_counts)


def test_counts_only_sample_loads_the_same_demand(small: Dataset, tmp_path: Path) -> None:
    folder = tmp_path / "counts"
    write_sample(folder, N, seed=1, counts_only=True)
    assert (folder / "work_order_counts.csv").is_file()
    assert not (folder / "work_orders.csv.gz").exists()
    loaded = load_dataset(folder)
    pd.testing.assert_frame_equal(loaded.work_order_counts, small.work_order_counts)
    pd.testing.assert_frame_equal(demand_hours(loaded), demand_hours(small))


def test_bundled_log_is_what_the_generator_writes() -> None:
    _, orders = generate_with_orders(seed=0)
    with gzip.open(BUNDLED / "work_orders.csv.gz") as fh:
        bundled = fh.read()
    assert bundled == gio._csv_bytes(orders.frame())
