"""The core names an infeasible scenario's conflicts as records; the edge words them."""

from __future__ import annotations

import pytest
from language import english_runs
from model_cases import C, G, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize import solve
from govopt.output.words import explain_infeasible, plan_notes
from govopt.plan import Conflict, Status

A_ONLY = [G(0, 0, 4000)]


def test_minimum_staffing_over_the_budget() -> None:
    # Three street centers with at least 4 staff each need 12; the budget allows 10.
    ds = make_case(A_ONLY, [C(0, 0), C(100, 0), C(200, 0)])
    plan = solve(ds, scenario(staff_total=10, min_staff=LevelValues(4, 1, 0)))
    assert plan.status is Status.INFEASIBLE
    assert plan.conflicts == (Conflict("budget_staff", 12.0, 10.0, 1, 2.0, "min_staff"),)


def test_coverage_target_over_the_budget() -> None:
    # Cost objective: 80 % of 4,000 h = 3,200 h = 2 staff of 1,600 h; the budget allows 1.
    plan = solve(make_case(A_ONLY, [C(0, 0)]), scenario(objective="cost", staff_total=1))
    assert plan.conflicts == (Conflict("budget_staff", 2.0, 1.0, 1, 1.0, "target"),)


def test_other_policies_over_the_budget() -> None:
    # The street center needs 2 (minimum); the community station keeps its 2 staff
    # (no transfers allowed): 4 staff, the budget allows 2.
    ds = make_case(A_ONLY, [C(0, 0, level="community", staff=2), C(100, 0)])
    plan = solve(ds, scenario(staff_total=2, max_transfers=0, min_staff=LevelValues(2, 0, 0)))
    assert plan.conflicts == (Conflict("budget_staff", 4.0, 2.0, 1, 2.0, None),)
    assert explain_infeasible(plan, "en") == [
        "The other policies need 4 staff; the staff budget allows 2."
    ]


def test_minimum_above_capacity_is_one_center_short_by_two() -> None:
    ds = make_case(A_ONLY, [C(0, 0, max_staff=2)])
    plan = solve(ds, scenario(min_staff=LevelValues(4, 0, 0)))
    [c] = plan.conflicts
    # Either the minimum gives way (need 4, reach 2) or the capacity (cap 2, need 4).
    assert c.family in ("min_staff", "max_staff")
    assert (c.need, c.allowed, c.count, c.extra) == pytest.approx((4.0, 2.0, 1, 2.0))


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
