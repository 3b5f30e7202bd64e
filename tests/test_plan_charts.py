"""The tables behind the plan charts, checked by hand on the fake plan.

The fake plan has four grids: demand 1000, 800 (东街道), 500, 200 (西街道) hours;
today's coverage 0.8, 0.8, 0.5, 0.0.
"""

from __future__ import annotations

import pytest
from fakes import make_plan

from govopt.analysis.plan_charts import (
    coverage_by_street,
    coverage_histogram,
    resources_by_level,
)
from govopt.plan import Status


def test_street_coverage_today_and_in_the_plan_is_weighted_by_demand() -> None:
    plan = make_plan(served=(900.0, 700.0, 300.0, 0.0))
    table = coverage_by_street(plan)
    got = table.set_index(["street", "series"])["coverage"]
    # East: (900 + 700) / 1800 after; (0.8 * 1000 + 0.8 * 800) / 1800 = 0.8 before.
    assert got[("东街道", "after")] == pytest.approx(1600 / 1800)
    assert got[("东街道", "before")] == pytest.approx(0.8)
    # West: 300 / 700 after; (0.5 * 500 + 0 * 200) / 700 before.
    assert got[("西街道", "after")] == pytest.approx(300 / 700)
    assert got[("西街道", "before")] == pytest.approx(250 / 700)
    # Lowest coverage after first, today before the plan within a street.
    assert list(zip(table["street"], table["series"], strict=True)) == [
        ("西街道", "before"),
        ("西街道", "after"),
        ("东街道", "before"),
        ("东街道", "after"),
    ]
    assert table.set_index(["street", "series"])["demand_hours"][("西街道", "after")] == 700


def test_street_coverage_of_two_plans_reads_each_plan() -> None:
    a = make_plan("a", served=(500.0, 400.0, 100.0, 0.0))
    b = make_plan("b", served=(1000.0, 800.0, 500.0, 100.0))
    got = coverage_by_street(b, a).set_index(["street", "series"])["coverage"]
    assert got[("东街道", "before")] == pytest.approx(900 / 1800)
    assert got[("东街道", "after")] == pytest.approx(1.0)
    assert got[("西街道", "before")] == pytest.approx(100 / 700)
    assert got[("西街道", "after")] == pytest.approx(600 / 700)


def test_staff_and_funds_by_level_today_and_in_the_plan() -> None:
    plan = make_plan(staff=(5.0, 4.0, 4.0), funds=(90_000.0, 60_000.0, 30_000.0))
    table = resources_by_level(plan)
    assert list(zip(table["level"], table["series"], strict=True)) == [
        ("street", "before"),
        ("street", "after"),
        ("community", "before"),
        ("community", "after"),
    ]
    rows = table.set_index(["level", "series"])
    assert rows.loc[("street", "before"), "staff"] == 6.0
    assert rows.loc[("street", "after"), "staff"] == 5.0
    assert rows.loc[("community", "before"), "staff"] == 3.0 + 2.0
    assert rows.loc[("community", "after"), "staff"] == 8.0
    assert rows.loc[("community", "before"), "funds_cny"] == 80_000.0
    assert rows.loc[("community", "after"), "funds_cny"] == 90_000.0
    assert rows.loc[("community", "after"), "centers"] == 2


def test_histogram_counts_grids_per_band_full_coverage_in_the_last() -> None:
    # Coverage after: 1.0, 0.875, 0.6, 0.0; before: 0.8, 0.8, 0.5, 0.0.
    plan = make_plan(served=(1000.0, 700.0, 300.0, 0.0))
    table = coverage_histogram(plan)
    assert len(table) == 20
    after = table[table["series"] == "after"].set_index("bin")["grids"]
    before = table[table["series"] == "before"].set_index("bin")["grids"]
    assert after.to_dict() == {0: 1, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1, 7: 0, 8: 1, 9: 1}
    assert before.to_dict() == {0: 1, 1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 2, 9: 0}
    first = table.iloc[0]
    assert (first["lower"], first["upper"], first["series"]) == (0.0, pytest.approx(0.1), "before")


def test_histogram_with_five_bands_and_grids_without_demand_left_out() -> None:
    a = make_plan("a", served=(100.0, 400.0, 300.0, 0.0))  # 0.1, 0.5, 0.6, 0.0
    b = make_plan("b", served=(390.0, 799.0, 500.0, 200.0))  # 0.39, 0.99875, 1.0, 1.0
    object.__setattr__(b, "grids", b.grids.assign(demand_hours=[1000.0, 800.0, 500.0, 0.0]))
    table = coverage_histogram(b, a, bins=5)
    after = table[table["series"] == "after"].set_index("bin")["grids"].tolist()
    before = table[table["series"] == "before"].set_index("bin")["grids"].tolist()
    assert before == [2, 0, 1, 1, 0]
    assert after == [0, 1, 0, 0, 2]  # the grid without demand is not counted
    with pytest.raises(ValueError, match="bins"):
        coverage_histogram(b, bins=0)


def test_a_plan_that_is_not_optimal_is_refused() -> None:
    bad = make_plan("bad", status=Status.INFEASIBLE)
    for build in (coverage_by_street, resources_by_level, coverage_histogram):
        with pytest.raises(ValueError, match="not optimal"):
            build(make_plan(), bad)
