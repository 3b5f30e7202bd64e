"""District KPIs and the table by street, checked against hand-counted values."""

from __future__ import annotations

import math

import pytest
from fakes import make_dataset, make_plan

from govopt.analysis.overview import center_streets, district_kpis, street_table


def test_district_kpis_without_baseline() -> None:
    k = district_kpis(make_dataset())
    assert (k.grids, k.streets, k.residents) == (4, 2, 2800)
    assert k.elderly_share == pytest.approx(600 / 2800)
    assert k.centers_by_level == {"street": 1, "community": 2, "grid": 0}
    assert k.centers == 3
    assert (k.staff, k.funds_cny) == (11.0, 180_000.0)
    assert k.orgs_by_rating == {"5A": 1, "4A": 0, "3A": 1, "2A": 0, "1A": 0, "none": 1}
    assert k.orgs == 3
    assert k.work_orders == 5
    assert k.orders_per_1000 == pytest.approx(5 / 2.8)
    assert k.baseline_coverage is None and k.unreachable_grids is None


def test_district_kpis_with_baseline() -> None:
    k = district_kpis(make_dataset(), make_plan())
    assert k.baseline_coverage == pytest.approx(1900 / 2500)
    assert k.unreachable_grids == 1


def test_centers_take_the_street_of_the_grid_they_stand_in() -> None:
    assert list(center_streets(make_dataset())) == ["东街道", "东街道", "西街道"]


def test_centers_outside_every_grid_take_the_street_of_the_nearest_grid() -> None:
    d = make_dataset()
    # south of the east street, east of the west street, and on the edge between G2 and G3
    d.centers["lon"] = [117.505, 117.548, 117.52]
    d.centers["lat"] = [36.69, 36.705, 36.705]
    assert list(center_streets(d)) == ["东街道", "西街道", "东街道"]


def test_street_table_sums_by_street() -> None:
    table = street_table(make_dataset(), make_plan())
    assert list(table["street"]) == ["东街道", "西街道"]
    east, west = table.iloc[0], table.iloc[1]
    assert (east["grids"], east["residents"], east["centers"], east["staff"]) == (2, 1800, 2, 9.0)
    assert east["funds_cny"] == 150_000.0
    assert east["elderly_share"] == pytest.approx(400 / 1800)
    assert (east["work_orders"], west["work_orders"]) == (3, 2)
    assert west["orders_per_1000"] == pytest.approx(2 / 1.0)
    assert east["coverage"] == pytest.approx(1600 / 1800)
    assert west["coverage"] == pytest.approx(300 / 700)
    assert (east["unreachable_grids"], west["unreachable_grids"]) == (0, 1)


def test_street_table_without_baseline_leaves_coverage_empty() -> None:
    table = street_table(make_dataset())
    assert all(math.isnan(v) for v in table["coverage"])
    assert table["residents"].sum() == 2800
