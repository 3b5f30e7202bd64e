"""One "today": the overview, the what-if "before" and the plan's staff0/funds0 agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_cases import C, G, make_case, scenario

from govopt.analysis.overview import district_kpis
from govopt.data.validate import load_dataset
from govopt.optimize import baseline, solve

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "zhangqiu"


def test_sample_overview_what_if_before_and_plan_table_use_the_same_staff_and_funds() -> None:
    ds = load_dataset(SAMPLE)
    assert ds.scenario is not None
    base = baseline(ds, ds.scenario)
    plan = solve(ds, ds.scenario, baseline=base)
    assert base.kpis is not None and plan.optimal
    overview = district_kpis(ds, base)
    # Some sample centers reach no grid: they still count today.
    assert overview.staff == pytest.approx(ds.centers["staff"].sum())
    assert overview.staff == pytest.approx(base.kpis.staff_used)
    assert overview.staff == pytest.approx(plan.centers["staff0"].sum())
    assert overview.funds_cny == pytest.approx(ds.centers["funds_cny"].sum())
    assert overview.funds_cny == pytest.approx(base.kpis.funds_used_cny)
    assert overview.funds_cny == pytest.approx(plan.centers["funds0_cny"].sum())


def test_baseline_keeps_the_staff_of_a_center_that_reaches_no_grid() -> None:
    # C1 is a community center 9 km away (radius 1 km): no link, still 2 staff and 500 CNY.
    ds = make_case([G(0, 0, 2000)], [C(0, 0, staff=1), C(9000, 0, level="community", staff=2,
                                                      funds=500)])  # fmt: skip
    base = baseline(ds, scenario())
    assert base.centers["staff"].tolist() == pytest.approx([1, 2])
    assert base.centers["funds_cny"].tolist() == pytest.approx([0, 500])
    assert base.kpis is not None and base.kpis.staff_used == pytest.approx(3)
