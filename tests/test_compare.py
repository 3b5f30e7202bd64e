"""Comparing two plans: KPI differences and the centers that changed most."""

from __future__ import annotations

import math

import pytest
from fakes import make_plan

from govopt.analysis.compare import KPI_NAMES, center_differences, compare_kpis
from govopt.plan import Status


def test_kpi_table_has_every_kpi_and_b_minus_a() -> None:
    a = make_plan("a", served=(900.0, 700.0, 300.0, 0.0))
    b = make_plan("b", staff=(6.0, 4.0, 4.0), served=(1000.0, 800.0, 400.0, 0.0))
    table = compare_kpis(a, b).set_index("kpi")
    assert tuple(table.index) == KPI_NAMES
    assert table.loc["coverage", "a"] == pytest.approx(0.76)
    assert table.loc["coverage", "b"] == pytest.approx(0.88)
    assert table.loc["coverage", "difference"] == pytest.approx(0.12)
    assert table.loc["staff_used", "difference"] == 3.0


def test_infeasible_plan_gives_empty_column() -> None:
    table = compare_kpis(make_plan(), make_plan(status=Status.INFEASIBLE))
    assert all(math.isnan(v) for v in table["b"])
    assert not any(math.isnan(v) for v in table["a"])
    assert center_differences(make_plan(), make_plan(status=Status.INFEASIBLE)).empty


def test_centers_ranked_by_relative_change() -> None:
    a = make_plan("a")
    b = make_plan(
        "b", staff=(6.0, 5.0, 1.0), funds=(100_000.0, 50_000.0, 40_000.0)
    )  # C2 +2 staff, C3 -1 staff and +10,000 CNY, C1 unchanged
    diff = center_differences(a, b)
    assert list(diff["center_id"]) == ["C2", "C3"]
    assert list(diff["staff_diff"]) == [2.0, -1.0]
    assert list(diff["funds_diff"]) == [0.0, 10_000.0]
    assert list(center_differences(a, b, n=1)["center_id"]) == ["C2"]


def test_identical_plans_have_no_center_differences() -> None:
    assert center_differences(make_plan(), make_plan()).empty
