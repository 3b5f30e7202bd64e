"""Why a grid is below target: each cause and the one-more-staff gain, by hand."""

from __future__ import annotations

import pytest
from model_cases import C, G, make_case, scenario

from govopt.analysis.diagnosis import CAUSES, Cause, cause_counts, diagnose
from govopt.data.schema import LevelValues
from govopt.optimize import solve
from govopt.plan import Status


def test_no_center_in_reach() -> None:
    # B lies 5 km from the only (street, 3 km) center: nothing reaches it.
    ds = make_case([G(0, 0, 2000), G(5000, 0, 2000)], [C(0, 0)])
    plan = solve(ds, scenario(staff_total=10))
    [d] = diagnose(ds, plan)
    assert (d.grid_id, d.cause) == ("G1", Cause.NO_CENTER_IN_REACH)
    assert d.centers == () and d.one_more is None
    assert d.coverage == pytest.approx(0.0)
    assert d.unmet_hours == pytest.approx(2000)


def test_centers_full() -> None:
    # The center holds at most 2 staff (3,200 h): A (priority 1.5) gets 2,000 h,
    # B 1,200 of 2,000 h = 60 %. The center is full and at its maximum.
    ds = make_case([G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0, max_staff=2)])
    plan = solve(ds, scenario(staff_total=10))
    [d] = diagnose(ds, plan)
    assert (d.grid_id, d.cause) == ("G1", Cause.CENTERS_FULL)
    assert d.coverage == pytest.approx(0.6)
    [center] = d.centers
    assert center.center_id == "C0"
    assert center.distance_m == pytest.approx(1000, abs=1e-6)
    assert center.load == pytest.approx(1.0)
    assert center.served_hours == pytest.approx(3200)
    assert center.staff_room == pytest.approx(0.0, abs=1e-9)
    assert d.one_more is None
    assert not d.staff_budget_used


def test_budget_binds_and_one_more_staff_gives_its_1600_hours() -> None:
    # Budget 2 staff = 3,200 h: A gets 2,000 h, B (5,000 h) 1,200 h = 24 %.
    # One more staff at C0: min(1,600, 3,800 unmet) / 5,000 = 0.32 coverage points.
    ds = make_case([G(0, 0, 2000, priority=1.5), G(1000, 0, 5000)], [C(0, 0)])
    plan = solve(ds, scenario(staff_total=2))
    [d] = diagnose(ds, plan)
    assert (d.grid_id, d.cause) == ("G1", Cause.BUDGET_BINDS)
    assert d.staff_budget_used
    assert d.coverage == pytest.approx(0.24)
    assert d.centers[0].load == pytest.approx(1.0)
    assert d.one_more is not None
    assert d.one_more.center_id == "C0"
    assert d.one_more.hours == pytest.approx(1600)
    assert d.one_more.coverage_gain == pytest.approx(0.32)


def test_one_more_staff_goes_to_the_nearest_center_with_room_capped_by_unmet_demand() -> None:
    # C0 (street, at A) holds 1 staff: 1,600 h to A (priority 1.5), 80 %, on target.
    # C1 (street, 3.5 km east) reaches B (2.5 km) only; the other 0.5 staff there
    # give B 800 of 2,000 h = 40 %. Nearest to B is C0 (1 km) but it has no room,
    # so one more staff goes to C1: min(1,600, 1,200 unmet) / 2,000 = 0.6.
    ds = make_case(
        [G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)],
        [C(0, 0, max_staff=1), C(3500, 0)],
    )
    plan = solve(ds, scenario(staff_total=1.5))
    [d] = diagnose(ds, plan)
    assert (d.grid_id, d.cause) == ("G1", Cause.BUDGET_BINDS)
    assert [c.center_id for c in d.centers] == ["C0", "C1"]  # nearest first
    assert [c.load for c in d.centers] == pytest.approx([1.0, 1.0])
    assert d.one_more is not None
    assert d.one_more.center_id == "C1"
    assert d.one_more.distance_m == pytest.approx(2500, abs=1e-6)
    assert d.one_more.hours == pytest.approx(1200)
    assert d.one_more.coverage_gain == pytest.approx(0.6)


def test_served_elsewhere_when_a_reaching_center_has_spare_hours() -> None:
    # B has priority 0: the coverage objective gives it nothing although today's
    # 2 staff (3,200 h) at C0 serve only A's 2,000 h and stay (no budget row).
    ds = make_case(
        [G(0, 0, 2000), G(1000, 0, 2000, priority=0.0)],
        [C(0, 0, staff=2, max_staff=2)],
    )
    plan = solve(ds, scenario(min_staff=LevelValues(2, 0, 0)))
    [d] = diagnose(ds, plan)
    assert (d.grid_id, d.cause) == ("G1", Cause.SERVED_ELSEWHERE)
    assert d.centers[0].load == pytest.approx(2000 / 3200)
    assert not d.centers[0].full


def test_counts_match_the_plans_grids_below_target() -> None:
    ds = make_case(
        [G(0, 0, 2000, priority=1.5), G(1000, 0, 5000), G(9000, 0, 100)],
        [C(0, 0)],
    )
    plan = solve(ds, scenario(staff_total=2))
    found = diagnose(ds, plan)
    counts = cause_counts(found)
    assert list(counts) == list(CAUSES)
    assert counts[Cause.NO_CENTER_IN_REACH] == 1 and counts[Cause.BUDGET_BINDS] == 1
    assert plan.kpis is not None and sum(counts.values()) == plan.kpis.grids_below_target
    assert [d.cause for d in found] == [Cause.NO_CENTER_IN_REACH, Cause.BUDGET_BINDS]


def test_a_plan_that_is_not_optimal_is_refused() -> None:
    ds = make_case([G(0, 0, 2000)], [C(0, 0), C(100, 0)])
    plan = solve(ds, scenario(staff_total=1, min_staff=LevelValues(4, 0, 0)))
    assert plan.status is Status.INFEASIBLE
    with pytest.raises(ValueError, match="only an optimal plan"):
        diagnose(ds, plan)
