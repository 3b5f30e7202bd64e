"""The three objectives, integer staffing and shadow prices, checked against hand arithmetic."""

from __future__ import annotations

import pytest
from model_cases import C, G, make_case, scenario

from govopt.optimize import solve
from govopt.output.words import status_note
from govopt.plan import Status

# One street center at the origin; grid A on it (priority 1.5), grid B 1,000 m east.
# Demand 2,000 h each (2,000 residents x 1 h).
TWO_GRIDS = make_case([G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0)])


def test_coverage_objective_serves_priority_first() -> None:
    # Staff budget 2 -> 3,200 h; A (priority 1.5) gets all 2,000 h, B the other 1,200 h.
    # objective W = 1.5*2000 + 1*1200 = 4200 (no distance term: docs/model.md, stage 1)
    plan = solve(TWO_GRIDS, scenario(staff_total=2))
    assert plan.status is Status.OPTIMAL
    assert plan.objective == pytest.approx(4200.0, abs=1e-4)
    assert plan.grids["served_hours"].tolist() == pytest.approx([2000, 1200], abs=1e-6)
    assert plan.grids["coverage"].tolist() == pytest.approx([1.0, 0.6])
    assert plan.kpis is not None
    assert plan.kpis.coverage == pytest.approx(3200 / 4000)
    assert plan.kpis.min_coverage == pytest.approx(0.6)
    assert plan.kpis.grids_below_target == 1  # B at 60 % < 80 %
    assert plan.centers["staff"].tolist() == pytest.approx([2.0])


def test_staff_budget_shadow_price_is_1600_hours_times_priority() -> None:
    # One more staff member = 1,600 h more for grid B (priority 1): 1600.
    # 10,000 CNY more buys 125 h at 80 CNY/h for grid B: 125.
    plan = solve(TWO_GRIDS, scenario(staff_total=2))
    assert plan.marginal is not None
    assert plan.marginal.per_staff == pytest.approx(1600.0, abs=1e-6)
    assert plan.marginal.per_10k_cny == pytest.approx(125.0, abs=1e-6)
    top = plan.marginal.top_centers
    assert [c.center_id for c in top] == ["C0"]
    assert top[0].hours_per_staff == pytest.approx(1600.0, abs=1e-6)


def test_shadow_price_is_zero_when_the_budget_is_slack() -> None:
    plan = solve(TWO_GRIDS, scenario(staff_total=5))
    assert plan.marginal is not None
    assert plan.marginal.per_staff == pytest.approx(0.0, abs=1e-9)
    assert plan.kpis is not None and plan.kpis.coverage == pytest.approx(1.0)


def test_equity_maximises_the_lowest_coverage_first() -> None:
    # Stage 1: t* = 3200 / 4000 = 0.8. Stage 2: each grid >= 0.8*2000 = 1600 h uses all
    # 3,200 h, so both get 1,600: objective 1.5*1600 + 1*1600 = 4000
    # (t may fall by 1e-7, shifting 0.0002 h from B to A: +1e-4, within the tolerance).
    plan = solve(TWO_GRIDS, scenario(staff_total=2, objective="equity"))
    assert plan.status is Status.OPTIMAL
    assert plan.objective == pytest.approx(4000.0, abs=1e-3)
    assert plan.grids["coverage"].tolist() == pytest.approx([0.8, 0.8], abs=1e-6)
    assert plan.kpis is not None and plan.kpis.coverage_gini == pytest.approx(0.0, abs=1e-6)


def test_cost_objective_prefers_the_cheaper_hour() -> None:
    # Target 90 % -> 1,800 h per grid = 3,600 h. A staff hour costs 90000/1600 = 56.25 CNY,
    # a purchased hour 80 CNY, so staff = 3600/1600 = 2.25 -> cost 2.25 * 90000 = 202,500.
    sc = scenario(objective="cost", coverage_target=0.9, funds_total_cny=None)
    plan = solve(TWO_GRIDS, sc)
    assert plan.status is Status.OPTIMAL
    assert plan.objective == pytest.approx(202_500, rel=1e-9)
    assert plan.centers["staff"].tolist() == pytest.approx([2.25])
    assert plan.centers["funds_cny"].tolist() == pytest.approx([0.0], abs=1e-6)
    assert plan.grids["coverage"].min() >= 0.9 - 1e-9


def test_integer_staff_changes_the_optimum() -> None:
    # Whole staff only: 2 staff (180,000) + 400 purchased hours (32,000) = 212,000,
    # cheaper than 3 staff (270,000) and dearer than the continuous 202,500.
    sc = scenario(objective="cost", coverage_target=0.9, funds_total_cny=None, integer_staff=True)
    plan = solve(TWO_GRIDS, sc)
    assert plan.status is Status.OPTIMAL
    assert plan.objective == pytest.approx(212_000, rel=1e-6)
    assert plan.centers["staff"].tolist() == pytest.approx([2.0])
    assert plan.centers["funds_cny"].tolist() == pytest.approx([32_000], rel=1e-6)


def test_integer_coverage_reports_lp_duals_of_the_fixed_model() -> None:
    # Staff budget 2.5 with whole staff: 2 staff -> 3,200 h (as in the continuous case with 2).
    plan = solve(TWO_GRIDS, scenario(staff_total=2.5, integer_staff=True))
    assert plan.objective == pytest.approx(4200.0, abs=1e-4)
    assert plan.marginal is not None
    assert plan.marginal.per_staff is None  # staff are fixed in the dual LP
    assert plan.marginal.per_10k_cny == pytest.approx(125.0, abs=1e-6)
    assert plan.marginal.top_centers[0].hours_per_staff == pytest.approx(1600.0, abs=1e-6)


def test_cbc_gives_the_same_optimum() -> None:
    plan = solve(TWO_GRIDS, scenario(staff_total=2, solver="cbc"))
    assert plan.solver == "cbc"
    assert plan.objective == pytest.approx(4200.0, abs=1e-4)


def test_progress_reports_every_stage_in_order() -> None:
    seen: list[str] = []
    solve(TWO_GRIDS, scenario(staff_total=2), progress=lambda stage, frac: seen.append(stage))
    assert seen == ["demand", "links", "build", "solve", "extract", "extract"]


def test_status_mapping_never_calls_an_incumbent_optimal() -> None:
    import pulp

    from govopt.optimize.solvers import status_of

    prob = pulp.LpProblem("p", pulp.LpMaximize)
    cases = [
        ((pulp.LpStatusOptimal, pulp.LpSolutionOptimal), Status.OPTIMAL),
        ((pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible), Status.TIME_LIMIT),
        ((pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible), Status.INFEASIBLE),
        ((pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded), Status.UNBOUNDED),
        ((pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound), Status.NOT_SOLVED),
        ((pulp.LpStatusUndefined, pulp.LpSolutionNoSolutionFound), Status.ERROR),
    ]
    for (status, sol_status), expected in cases:
        prob.status, prob.sol_status = status, sol_status
        assert status_of(prob, "cbc") is expected


def test_time_limited_mip_is_not_read_as_optimal() -> None:
    from model_cases import C as Center

    ds = make_case(
        [G(float(i * 150), float((i * 37) % 400), 700 + 97 * (i % 7)) for i in range(40)],
        [Center(float(i * 300), 0.0, level="community", max_staff=3) for i in range(20)],
    )
    sc = scenario(staff_total=17.5, integer_staff=True, mip_gap=0.0, time_limit_s=1e-6)
    plan = solve(ds, sc)
    assert plan.status is Status.TIME_LIMIT
    assert plan.objective is None and plan.kpis is None and plan.centers.empty
    assert "time limit" in status_note(plan.status, "en")


def test_marginal_values_in_planner_words() -> None:
    from govopt.output.words import explain_marginal

    # One more staff member: 1,600 h, of which grid B (800 h short) can take 800:
    # 800 / 4,000 h of demand = 20 points. 10,000 CNY: 125 h = 3.125 points.
    plan = solve(TWO_GRIDS, scenario(staff_total=2))
    en = explain_marginal(plan, "en")
    zh = explain_marginal(plan, "zh")
    assert en[0] == (
        "One more staff member raises district coverage by 20.00 points (about 800 hours a year)."
    )
    assert zh[0] == "一名额外工作人员可使全区覆盖率提高 20.00 个百分点（约 800 小时/年）。"
    assert en[1] == (
        "Another 10,000 CNY raises district coverage by 3.12 points (about 125 hours a year)."
    )
    assert zh[1] == "再增加1万元经费可使全区覆盖率提高 3.12 个百分点（约 125 小时/年）。"
    assert en[2] == (
        "#1: one more staff member at center 0 raises district coverage by 20.00 points "
        "(about 800 hours a year)."
    )
    # Target 80 %: one point more is 40 h of staff at 90,000 / 1,600 = 56.25 CNY/h = 2,250 CNY.
    cost = solve(TWO_GRIDS, scenario(objective="cost", funds_total_cny=None))
    assert explain_marginal(cost, "en") == [
        "Under the cost objective, marginal values are costs, not covered hours.",
        "Raising the coverage target by 1 point costs about 2,250 CNY more.",
        "Lowering it by 1 point saves about 2,250 CNY.",
    ]
    assert explain_marginal(cost, "zh") == [
        "成本最小化目标下，边际价值以成本计，不以覆盖时长计。",
        "每提高 1 个百分点的覆盖目标，成本增加约 2,250 元。",
        "每降低 1 个百分点，成本减少约 2,250 元。",
    ]
