"""Each constraint family binding in turn, the baseline, infeasibility and unreachable grids."""

from __future__ import annotations

import pytest
from model_cases import C, G, O, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize import AllocationModel, baseline, solve
from govopt.optimize.inputs import model_inputs
from govopt.output.words import explain_infeasible
from govopt.plan import Status

A_ONLY = [G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)]


def test_every_family_is_named_in_the_model() -> None:
    ds = make_case(A_ONLY, [C(0, 0, staff=1)], [O(0, 0, 100)])
    sc = scenario(staff_total=2, funds_total_cny=0, max_transfers=1, min_staff=LevelValues(1, 0, 0))
    model = AllocationModel(model_inputs(ds, sc), sc)
    assert set(model.rows) == {
        "supply",
        "org_hours",
        "grid_demand",
        "category_demand",
        "budget_staff",
        "budget_funds",
        "min_staff",
        "max_staff",
        "transfer_dec",
        "transfers",
    }
    assert len(model.rows["grid_demand"]) == 2  # one per grid with demand and a link
    # The org's 100 h (5A, quality 1.0) cannot exceed either
    # grid's 2,000 h, so no category row is needed.
    assert model.rows["category_demand"] == []
    assert len(model.y) == 2  # the org can serve both grids through the center
    assert model.rows["budget_staff"][0].name == "budget_staff_0"


def test_budget_funds_binds() -> None:
    # No staff; 80,000 CNY at 80 CNY/h buys 1,000 h, all for A: objective 1.5 * 1000 = 1500.
    plan = solve(make_case(A_ONLY, [C(0, 0)]), scenario(staff_total=0, funds_total_cny=80_000))
    assert plan.objective == pytest.approx(1500, abs=1e-6)
    assert plan.centers["purchased_hours"].tolist() == pytest.approx([1000])
    assert plan.kpis is not None and plan.kpis.funds_used_cny == pytest.approx(80_000)


def test_max_staff_binds() -> None:
    # Budget 10 but the center holds 1: 1,600 h to A -> 1.5 * 1600 = 2400.
    plan = solve(make_case(A_ONLY, [C(0, 0, max_staff=1)]), scenario(staff_total=10))
    assert plan.objective == pytest.approx(2400, abs=1e-6)
    assert plan.centers["staff"].tolist() == pytest.approx([1.0])


def test_min_staff_binds() -> None:
    # A community center 5 km away serves nobody but must keep 1 of the 2 staff:
    # 1 staff at the street center -> 1,600 h to A -> 2400.
    ds = make_case(A_ONLY, [C(0, 0), C(5000, 0, level="community")])
    plan = solve(ds, scenario(staff_total=2, min_staff=LevelValues(0, 1, 0)))
    assert plan.objective == pytest.approx(2400, abs=1e-6)
    assert plan.centers["staff"].tolist() == pytest.approx([1.0, 1.0])


def test_transfer_limit_binds() -> None:
    # Both staff sit at a far center today; only 1 may move -> 1,600 h to A -> 2400.
    ds = make_case(A_ONLY, [C(0, 0), C(5000, 0, level="community", staff=2)])
    plan = solve(ds, scenario(staff_total=2, max_transfers=1))
    assert plan.objective == pytest.approx(2400, abs=1e-6)
    assert plan.kpis is not None and plan.kpis.staff_transfers == pytest.approx(1.0)
    assert plan.marginal is not None
    # The next transfer serves A's remaining 400 h first: 1600 h * 1.5 = 2400 per staff.
    assert plan.marginal.per_transfer == pytest.approx(2400, abs=1e-6)


def test_org_hours_count_at_their_rating_quality() -> None:
    # A 3A organization (q = 0.8) offers 1,000 h: 800 effective hours to A -> 1.5 * 800 = 1200.
    ds = make_case(A_ONLY, [C(0, 0)], [O(100, 0, 1000, rating="3A", reach_m=500)])
    plan = solve(ds, scenario(staff_total=0))
    assert plan.objective == pytest.approx(1200, abs=1e-6)
    assert plan.centers["org_hours"].tolist() == pytest.approx([1000])
    assert plan.centers["org_effective_hours"].tolist() == pytest.approx([800])
    assert plan.centers["org_hours_care"].tolist() == pytest.approx([1000])


def test_org_out_of_reach_or_in_another_domain_adds_nothing() -> None:
    far = O(600, 0, 1000, reach_m=500)
    other = O(0, 0, 1000, domain="legal_aid")
    plan = solve(make_case(A_ONLY, [C(0, 0)], [far, other]), scenario(staff_total=0))
    assert plan.objective == pytest.approx(0, abs=1e-9)


def test_category_demand_caps_org_hours_and_staff_fills_the_rest() -> None:
    # One grid, 1,000 h of care and 1,000 h of legal aid. A 5A care org offers
    # 5,000 h but care needs only 1,000 h; 1 staff (1,600 h) covers legal aid's
    # 1,000 h: served 2,000 h, objective 2,000 (distance 0).
    ds = make_case(
        [G(0, 0, 1000)],
        [C(0, 0)],
        [O(0, 0, 5000, reach_m=500)],
        categories=("care", "legal_aid"),
        hours_per_resident=(1.0, 1.0),
    )
    sc = scenario(staff_total=1)
    model = AllocationModel(model_inputs(ds, sc), sc)
    assert len(model.rows["category_demand"]) == 1  # 5,000 h could exceed care's 1,000 h
    plan = solve(ds, sc)
    assert plan.objective == pytest.approx(2000, abs=1e-6)
    assert plan.centers["org_hours"].tolist() == pytest.approx([1000])
    assert plan.centers["staff_hours"].tolist() == pytest.approx([1000])
    flows = plan.flows
    assert flows is not None
    by_cat = flows.groupby("category")["hours"].sum()
    assert by_cat["care"] == pytest.approx(1000)
    assert by_cat["legal_aid"] == pytest.approx(1000)


def test_radius_leaves_far_grids_unreachable() -> None:
    # A community center (radius 1,000 m): B at 1,500 m is out of reach.
    ds = make_case([G(0, 0, 2000, priority=1.5), G(1500, 0, 2000)], [C(0, 0, level="community")])
    plan = solve(ds, scenario(staff_total=5))
    assert plan.grids["unreachable"].tolist() == [False, True]
    assert plan.grids["served_hours"].tolist() == pytest.approx([2000, 0])
    assert plan.kpis is not None
    assert plan.kpis.unreachable_grids == 1
    assert plan.kpis.min_coverage == pytest.approx(1.0)  # over reachable grids only
    assert plan.kpis.coverage == pytest.approx(0.5)


def test_demand_caps_service() -> None:
    plan = solve(make_case(A_ONLY, [C(0, 0)]), scenario(staff_total=50))
    assert plan.grids["served_hours"].tolist() == pytest.approx([2000, 2000])
    assert plan.grids["coverage"].max() == pytest.approx(1.0)


def test_baseline_uses_todays_staff_and_funds() -> None:
    # Today: 1 staff (1,600 h) and 8,000 CNY (100 h) -> A gets 1,700 h: 85 %, B nothing.
    ds = make_case(A_ONLY, [C(0, 0, staff=1, funds=8000)])
    base = baseline(ds, scenario(staff_total=0, min_staff=LevelValues(5, 5, 5)))
    assert base.status is Status.OPTIMAL
    assert base.objective == pytest.approx(1.5 * 1700, abs=1e-6)
    assert base.grids["coverage"].tolist() == pytest.approx([0.85, 0.0])
    plan = solve(ds, scenario(staff_total=2), baseline=base)
    assert plan.grids["baseline_coverage"].tolist() == pytest.approx([0.85, 0.0])
    assert plan.grids["coverage"].tolist() == pytest.approx([1.0, 0.6])
    fresh = solve(ds, scenario(staff_total=2))
    assert fresh.grids["baseline_coverage"].tolist() == pytest.approx([0.85, 0.0])


def test_wisn_ratio_before_and_after() -> None:
    # Today 1 staff; the center is responsible for all 4,000 h -> need 2.5 staff, ratio 0.4.
    # Plan: 2 staff, same 4,000 h -> ratio 2 / 2.5 = 0.8.
    ds = make_case(A_ONLY, [C(0, 0, staff=1)])
    plan = solve(ds, scenario(staff_total=2))
    row = plan.centers.iloc[0]
    assert row["wisn_need"] == pytest.approx(2.5)
    assert row["wisn_ratio_before"] == pytest.approx(0.4)
    assert row["wisn_ratio_after"] == pytest.approx(0.8)


def test_infeasible_minimum_staffing_names_both_numbers() -> None:
    # Three street centers with at least 4 staff each need 12; the budget allows 10.
    ds = make_case(A_ONLY, [C(0, 0), C(100, 0), C(200, 0)])
    plan = solve(ds, scenario(staff_total=10, min_staff=LevelValues(4, 1, 0)))
    assert plan.status is Status.INFEASIBLE
    assert plan.kpis is None and plan.centers.empty
    # Both policies of the conflict are named, each with its numbers.
    assert tuple(explain_infeasible(plan, "en")) == (
        "The staff budget allows 10 staff; with minimum staffing, the plan needs 12.",
        "Minimum staffing asks 12 staff at 3 centers; with the staff budget, at most 10 are "
        "possible.",
    )
    assert tuple(explain_infeasible(plan, "zh")) == (
        "人员预算只允许 10 名工作人员；受最低配置标准约束，方案需要 12 名。",
        "最低配置标准要求 3 个中心共 12 名工作人员；受人员预算约束，最多只能配置 10 名。",
    )


def test_infeasible_coverage_target_names_the_target() -> None:
    # Cost objective, target 80 % = 3,200 h, but 1 staff and no funds give 1,600 h.
    plan = solve(make_case(A_ONLY, [C(0, 0)]), scenario(objective="cost", staff_total=1))
    assert plan.status is Status.INFEASIBLE
    # The funds budget (0) takes part too: without it funds would buy the hours.
    # 80 % of 2 x 2,000 h = 3,200 h = 2 staff, or 1,600 h more = 128,000 CNY beside 1 staff.
    assert tuple(explain_infeasible(plan, "en")) == (
        "The staff budget allows 1 staff; with the funds budget and the coverage target of "
        "80.0%, the plan needs 2.",
        "The funds budget allows 0 CNY; with the staff budget and the coverage target of "
        "80.0%, the plan needs 128,000 CNY.",
        "The coverage target of 80.0% asks 3,200 hours a year in 2 grids; with the staff "
        "budget and the funds budget, at most 1,600 are possible.",
    )


def test_min_staff_above_max_staff_is_explained() -> None:
    ds = make_case(A_ONLY, [C(0, 0, max_staff=2)])
    plan = solve(ds, scenario(min_staff=LevelValues(4, 0, 0)))
    assert plan.status is Status.INFEASIBLE
    assert any("max_staff" in line for line in explain_infeasible(plan, "en"))


def test_district_with_nothing_in_reach_still_gives_a_plan() -> None:
    plan = solve(make_case([G(0, 0, 100)], [C(5000, 0, level="grid")]), scenario(staff_total=2))
    assert plan.status is Status.OPTIMAL
    assert plan.objective == pytest.approx(0.0)
    assert plan.kpis is not None
    assert plan.kpis.unreachable_grids == 1 and plan.kpis.coverage == 0.0


@pytest.mark.parametrize("objective", ["coverage", "equity", "cost"])
@pytest.mark.parametrize("elastic", [False, True])
def test_column_count_matches_the_model(objective: str, elastic: bool) -> None:
    # The LP algorithm is chosen by this count, so it must be the model's own.
    ds = make_case(A_ONLY, [C(0, 0, staff=1)], [O(0, 0, 100)])
    sc = scenario(objective=objective, staff_total=2, max_transfers=1)
    model = AllocationModel(model_inputs(ds, sc), sc, elastic=elastic)
    assert model.n_columns == len(model.prob.variables()) > 0
