"""The core names an infeasible scenario's conflicts as records; the edge words them."""

from __future__ import annotations

import pytest
from language import english_runs
from model_cases import C, G, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize import solve
from govopt.optimize.infeasibility import find_conflicts
from govopt.optimize.inputs import model_inputs
from govopt.output.words import explain_infeasible, plan_notes
from govopt.plan import Conflict, Status

A_ONLY = [G(0, 0, 4000)]


def test_minimum_staffing_over_the_budget() -> None:
    # Three street centers with at least 4 staff each need 12; the budget allows 10.
    ds = make_case(A_ONLY, [C(0, 0), C(100, 0), C(200, 0)])
    plan = solve(ds, scenario(staff_total=10, min_staff=LevelValues(4, 1, 0)))
    assert plan.status is Status.INFEASIBLE
    assert plan.conflicts == (
        Conflict("budget_staff", 12.0, 10.0, 1, 2.0, None, ("min_staff",)),
        Conflict("min_staff", 12.0, 10.0, 3, 2.0, None, ("budget_staff",)),
    )


def test_coverage_target_over_both_budgets() -> None:
    # Cost objective: 80 % of 4,000 h = 3,200 h = 2 staff of 1,600 h; the budget allows 1,
    # and the funds budget of 0 cannot buy the other 1,600 h (128,000 CNY at 80 CNY/h).
    plan = solve(make_case(A_ONLY, [C(0, 0)]), scenario(objective="cost", staff_total=1))
    assert plan.conflicts == (
        Conflict("budget_staff", 2.0, 1.0, 1, 1.0, None, ("budget_funds", "target")),
        Conflict("budget_funds", 128_000.0, 0.0, 1, 128_000.0, None, ("budget_staff", "target")),
        Conflict("target", 3200.0, 1600.0, 1, 1600.0, None, ("budget_staff", "budget_funds")),
    )


def test_budget_minimum_and_transfer_limit_conflict_together() -> None:
    # The street center needs 2 (minimum); the community station keeps its 2 staff
    # (no transfers allowed): 4 staff, the budget allows 2. Without any one of the
    # three policies there is a plan.
    ds = make_case(A_ONLY, [C(0, 0, level="community", staff=2), C(100, 0)])
    plan = solve(ds, scenario(staff_total=2, max_transfers=0, min_staff=LevelValues(2, 0, 0)))
    assert plan.conflicts == (
        Conflict("budget_staff", 4.0, 2.0, 1, 2.0, None, ("min_staff", "transfers")),
        Conflict("min_staff", 2.0, 0.0, 1, 2.0, None, ("budget_staff", "transfers")),
        Conflict("transfers", 2.0, 0.0, 1, 2.0, None, ("budget_staff", "min_staff")),
    )
    assert explain_infeasible(plan, "en") == [
        "The staff budget allows 2 staff; with minimum staffing and the transfer limit, "
        "the plan needs 4.",
        "Minimum staffing asks 2 staff at 1 center; with the staff budget and the transfer "
        "limit, at most 0 are possible.",
        "The transfer limit lets 0 staff move; with the staff budget and minimum staffing, "
        "2 must move.",
    ]


STAFF_AND_TRANSFERS = (
    make_case(A_ONLY, [C(0, 0, staff=5)]),
    scenario(staff_total=3, max_transfers=1),
)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_staff_budget_and_transfer_limit_are_both_named(solver: str) -> None:
    # Today 5 staff; the budget allows 3, so 2 must go, but the limit lets 1 move.
    # Held to 1 move, the plan keeps 4 staff; held to 3 staff, 2 move.
    ds, sc = STAFF_AND_TRANSFERS
    plan = solve(ds, sc.replace(solver=solver))
    assert plan.status is Status.INFEASIBLE
    assert plan.conflicts == (
        Conflict("budget_staff", 4.0, 3.0, 1, 1.0, None, ("transfers",)),
        Conflict("transfers", 2.0, 1.0, 1, 1.0, None, ("budget_staff",)),
    )
    assert explain_infeasible(plan, "en") == [
        "The staff budget allows 3 staff; with the transfer limit, the plan needs 4.",
        "The transfer limit lets 1 staff move; with the staff budget, 2 must move.",
    ]
    assert explain_infeasible(plan, "zh") == [
        "人员预算只允许 3 名工作人员；受调动上限约束，方案需要 4 名。",
        "调动上限只允许调动 1 人；受人员预算约束，需要调动 2 人。",
    ]


def test_penalised_solve_alone_names_only_the_cheaper_policy() -> None:
    # With no time for the search, the records fall back to the slack the elastic
    # model uses: the staff budget gives way (weight 1 < 1.02), the limit is not named.
    ds, sc = STAFF_AND_TRANSFERS
    conflicts = find_conflicts(model_inputs(ds, sc), sc, time_limit_s=0.0)
    assert conflicts == (Conflict("budget_staff", 4.0, 3.0, 1, 1.0),)


def test_funds_floors_above_the_funds_budget() -> None:
    # Two street centers with a floor of 50,000 CNY each: 100,000 CNY; the budget allows 60,000.
    ds = make_case(A_ONLY, [C(0, 0), C(100, 0)])
    sc = scenario(funds_total_cny=60_000, min_funds_cny=LevelValues(50_000, 0, 0))
    plan = solve(ds, sc)
    assert plan.status is Status.INFEASIBLE
    assert plan.conflicts == (
        Conflict("budget_funds", 100_000.0, 60_000.0, 1, 40_000.0, None, ("min_funds",)),
        Conflict("min_funds", 100_000.0, 60_000.0, 2, 40_000.0, None, ("budget_funds",)),
    )
    assert explain_infeasible(plan, "en") == [
        "The funds budget allows 60,000 CNY; with the funds floors, the plan needs 100,000 CNY.",
        "The funds floors ask 100,000 CNY at 2 centers; with the funds budget, at most "
        "60,000 CNY are possible.",
    ]
    assert explain_infeasible(plan, "zh") == [
        "经费预算只允许 60,000 元；受经费保障下限约束，方案需要 10.0万 元。",
        "经费保障下限要求 2 个中心共 10.0万 元；受经费预算约束，最多只能安排 60,000 元。",
    ]


def test_funds_floor_budget_and_funds_moved_limit_conflict_together() -> None:
    # The street center (no funds today) must get 50,000 CNY; the budget of 100,000 CNY
    # is all at the community center today, so 50,000 CNY must leave it, but only
    # 20,000 CNY may. Held by the other two: the budget would need 130,000, the floor
    # could have 20,000, and 50,000 CNY would have to move.
    ds = make_case(A_ONLY, [C(0, 0), C(100, 0, level="community", funds=100_000)])
    sc = scenario(
        funds_total_cny=100_000,
        max_funds_moved_cny=20_000,
        min_funds_cny=LevelValues(50_000, 0, 0),
    )
    plan = solve(ds, sc)
    assert plan.conflicts == (
        Conflict(
            "budget_funds", 130_000.0, 100_000.0, 1, 30_000.0, None, ("min_funds", "funds_moved")
        ),
        Conflict(
            "min_funds", 50_000.0, 20_000.0, 1, 30_000.0, None, ("budget_funds", "funds_moved")
        ),
        Conflict(
            "funds_moved", 50_000.0, 20_000.0, 1, 30_000.0, None, ("budget_funds", "min_funds")
        ),
    )
    assert explain_infeasible(plan, "en")[2] == (
        "The funds-moved limit lets 20,000 CNY be taken from centers; with the funds budget "
        "and the funds floors, 50,000 CNY must be."
    )
    assert explain_infeasible(plan, "zh")[2] == (
        "经费调减上限只允许从各中心调减 20,000 元；"
        "受经费预算和经费保障下限约束，需要调减 50,000 元。"
    )


def test_two_separate_conflicts_are_both_explained() -> None:
    # Two street centers: minimum staffing 2 x 4 = 8 over a staff budget of 6, and
    # funds floors 2 x 50,000 = 100,000 CNY over a funds budget of 60,000.
    ds = make_case(A_ONLY, [C(0, 0), C(100, 0)])
    sc = scenario(
        staff_total=6,
        funds_total_cny=60_000,
        min_staff=LevelValues(4, 0, 0),
        min_funds_cny=LevelValues(50_000, 0, 0),
    )
    plan = solve(ds, sc)
    assert [(c.family, c.need, c.allowed, c.others) for c in plan.conflicts] == [
        ("budget_staff", 8.0, 6.0, ("min_staff",)),
        ("min_staff", 8.0, 6.0, ("budget_staff",)),
        ("budget_funds", 100_000.0, 60_000.0, ("min_funds",)),
        ("min_funds", 100_000.0, 60_000.0, ("budget_funds",)),
    ]


def test_minimum_above_capacity_names_both() -> None:
    # One center: the minimum asks 4, its max_staff allows 2.
    ds = make_case(A_ONLY, [C(0, 0, max_staff=2)])
    plan = solve(ds, scenario(min_staff=LevelValues(4, 0, 0)))
    assert plan.conflicts == (
        Conflict("min_staff", 4.0, 2.0, 1, 2.0, None, ("max_staff",)),
        Conflict("max_staff", 4.0, 2.0, 1, 2.0, None, ("min_staff",)),
    )


@pytest.mark.parametrize(
    ("staff_total", "min_staff"),
    [(10, LevelValues(4, 1, 0)), (None, LevelValues(4, 0, 0))],
)
def test_chinese_explanation_has_no_english(
    staff_total: float | None, min_staff: LevelValues
) -> None:
    ds = make_case(A_ONLY, [C(0, 0, max_staff=2), C(100, 0), C(200, 0)])
    plan = solve(ds, scenario(staff_total=staff_total, min_staff=min_staff))
    assert plan.status is Status.INFEASIBLE and plan.conflicts
    lines = plan_notes(plan, "zh")
    assert len(lines) == len(plan.conflicts) + 1
    assert all(english_runs(line) == [] for line in lines), lines
    assert all(english_runs(line) for line in plan_notes(plan, "en"))
