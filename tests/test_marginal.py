"""Marginal values against hand arithmetic and against independent solves with the budget moved."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from model_cases import C, G, O, make_case, scenario

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.optimize import solve
from govopt.optimize.marginal import TOP_CENTERS
from govopt.plan import MarginalValues, Plan, Status

# Grid A (priority 1.5) on a street center, grid B 1,000 m east; 2,000 h each.
TWO_GRIDS = make_case([G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0)])
# Two street centers 10 km apart with their own grid each: A 4,200 h at C0 (2 staff today),
# B 1,900 h at C1 (1 staff today).
APART = make_case([G(0, 0, 4200), G(10_000, 0, 1900)], [C(0, 0, staff=2), C(10_000, 0, staff=1)])


def _random_case(seed: int) -> tuple[Dataset, Scenario]:
    """Fifteen grids, six centers with today's staff, three organizations; the staff budget
    is today's staff and two may move, so budgets, transfers and centers all bind."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 4000, (24, 2)).tolist()
    grids = [
        G(x, y, int(r)) for (x, y), r in zip(xy[:15], rng.integers(300, 3000, 15), strict=True)
    ]
    levels = rng.choice(["street", "community", "community"], 6)
    today = rng.integers(0, 4, 6)
    centers = [
        C(x, y, level=str(lv), staff=float(s), max_staff=4.0)
        for (x, y), lv, s in zip(xy[15:21], levels, today, strict=True)
    ]
    hours = rng.integers(100, 800, 3)
    orgs = [O(x, y, float(h), "4A", 1500.0) for (x, y), h in zip(xy[21:], hours, strict=True)]
    sc = scenario(
        staff_total=float(today.sum()),
        funds_total_cny=20_000.0,
        max_transfers=2.0,
        radius_m=LevelValues(2000, 1000, 500),
    )
    return make_case(grids, centers, orgs), sc


def _marginal(plan: Plan) -> MarginalValues:
    assert plan.status is Status.OPTIMAL and plan.marginal is not None
    return plan.marginal


def _served(plan: Plan) -> float:
    assert plan.kpis is not None
    return plan.kpis.served_hours


def _demand(plan: Plan) -> float:
    assert plan.kpis is not None
    return plan.kpis.demand_hours


def test_one_more_staff_member_is_what_a_re_solve_gives_not_the_dual() -> None:
    # 2 staff -> 3,200 h: A 2,000, B 1,200 (800 short). One more staff member (1,600 h)
    # can only use B's 800 h: 800 / 4,000 = 20 points; the dual (1,600 h) holds for 0.5 staff.
    sc = scenario(staff_total=2)
    m = _marginal(solve(TWO_GRIDS, sc))
    assert m.per_staff == pytest.approx(1600.0, abs=1e-6)
    assert m.per_staff_hours == pytest.approx(800.0, abs=1e-6)
    assert m.per_staff_points == pytest.approx(20.0, abs=1e-6)
    # 10,000 CNY buys 125 h at 80 CNY/h for B: 3.125 points.
    assert m.per_10k_hours == pytest.approx(125.0, abs=1e-6)
    assert m.per_10k_points == pytest.approx(3.125, abs=1e-6)
    assert m.partial is False
    more = solve(TWO_GRIDS, sc.replace(staff_total=3))
    assert _served(more) - 3200 == pytest.approx(m.per_staff_hours, abs=1e-6)
    richer = solve(TWO_GRIDS, sc.replace(funds_total_cny=10_000))
    assert _served(richer) - 3200 == pytest.approx(m.per_10k_hours, abs=1e-6)


def test_a_budget_that_is_not_set_has_no_marginal_value() -> None:
    m = _marginal(solve(TWO_GRIDS, scenario(funds_total_cny=None)))
    assert m.per_staff_points is None and m.per_staff_hours is None
    assert m.per_10k_points is None and m.per_10k_hours is None
    assert m.per_10_transfers_points is None and m.per_10_transfers_hours is None


def test_slack_budget_buys_nothing() -> None:
    m = _marginal(solve(TWO_GRIDS, scenario(staff_total=5)))
    assert m.per_staff_hours == pytest.approx(0.0, abs=1e-6)
    assert m.per_staff_points == pytest.approx(0.0, abs=1e-6)


def test_ten_more_transfers_against_a_re_solve() -> None:
    # Both staff sit 5 km away today and one may move: A gets 1,600 of its 2,000 h.
    # Ten more transfers bring the second one: A's last 400 h (B is out of reach).
    ds = make_case([G(0, 0, 2000, priority=1.5)], [C(0, 0), C(5000, 0, "community", staff=2)])
    sc = scenario(staff_total=2, max_transfers=1)
    plan = solve(ds, sc)
    m = _marginal(plan)
    assert m.per_10_transfers_hours == pytest.approx(400.0, abs=1e-6)
    assert m.per_10_transfers_points == pytest.approx(20.0, abs=1e-6)
    more = solve(ds, sc.replace(max_transfers=11))
    assert _served(more) - _served(plan) == pytest.approx(400.0, abs=1e-6)


def _pinned(ds: Dataset, plan: Plan, center: int) -> Dataset:
    """Today's staff = the plan's; every center full at them, ``center`` allowed one more."""
    staff = plan.centers["staff"].to_numpy(float)
    cap = staff.copy()
    cap[center] += 1
    return replace(ds, centers=ds.centers.assign(staff=staff, max_staff=cap))


def _gain_alone(ds: Dataset, sc: Scenario, plan: Plan, center: int) -> float:
    """Served hours gained by one more staff member at ``center``, no other staff moving."""
    staff_total = float(plan.centers["staff"].sum()) + 1
    pinned = sc.replace(staff_total=staff_total, max_transfers=0, min_staff=LevelValues(0, 0, 0))
    return _served(solve(_pinned(ds, plan, center), pinned)) - _served(plan)


def test_centers_are_ranked_by_what_one_more_staff_member_there_gains() -> None:
    # The plan keeps today's staff (2, 1): A is 1,000 h short, B 300 h. One more staff
    # member at C0 fills A's 1,000 h; at C1 only B's 300 h. The district, free to split
    # the new staff member, gains both: 1,300 h of 6,100.
    sc = scenario(staff_total=3)
    plan = solve(APART, sc)
    assert plan.centers["staff"].tolist() == pytest.approx([2.0, 1.0])
    m = _marginal(plan)
    assert [c.center_id for c in m.top_centers] == ["C0", "C1"]
    first, second = m.top_centers
    assert first.gain_hours == pytest.approx(1000.0, abs=1e-6)
    assert second.gain_hours == pytest.approx(300.0, abs=1e-6)
    assert first.gain_points == pytest.approx(100 * 1000 / 6100, abs=1e-6)
    assert second.gain_points == pytest.approx(100 * 300 / 6100, abs=1e-6)
    # The duals do not tell them apart: both supply rows are worth 1,600 h per staff.
    assert first.hours_per_staff == pytest.approx(second.hours_per_staff, abs=1e-6)
    assert m.per_staff_hours == pytest.approx(1300.0, abs=1e-6)
    assert _gain_alone(APART, sc, plan, 0) == pytest.approx(first.gain_hours, abs=1e-6)
    assert _gain_alone(APART, sc, plan, 1) == pytest.approx(second.gain_hours, abs=1e-6)
    assert _served(solve(APART, sc.replace(staff_total=4))) - _served(plan) == pytest.approx(
        m.per_staff_hours, abs=1e-6
    )


def test_a_center_at_its_limit_is_still_measured_one_above_it() -> None:
    ds = make_case(
        [G(0, 0, 4200), G(10_000, 0, 1900)],
        [C(0, 0, staff=2, max_staff=2), C(10_000, 0, staff=1)],
    )
    m = _marginal(solve(ds, scenario(staff_total=3)))
    assert [c.center_id for c in m.top_centers] == ["C0", "C1"]
    assert m.top_centers[0].gain_hours == pytest.approx(1000.0, abs=1e-6)


def test_cost_of_one_more_point_of_target() -> None:
    # Target 90 %: 3,600 h of staff at 56.25 CNY/h. With the staff budget at 2.25 (all of it
    # used), one more point (40 h) must be bought at 80 CNY/h: 3,200 CNY; one point less
    # frees 40 h of staff: 2,250 CNY.
    sc = scenario(objective="cost", coverage_target=0.9, staff_total=2.25, funds_total_cny=None)
    plan = solve(TWO_GRIDS, sc)
    m = _marginal(plan)
    assert m.cost_per_point_cny == pytest.approx(3200.0, rel=1e-9)
    assert m.saving_per_point_cny == pytest.approx(2250.0, rel=1e-9)
    assert m.target_cannot_rise is False
    assert m.per_staff_points is None and m.top_centers == ()
    assert plan.objective is not None
    up = solve(TWO_GRIDS, sc.replace(coverage_target=0.91)).objective
    down = solve(TWO_GRIDS, sc.replace(coverage_target=0.89)).objective
    assert up is not None and down is not None
    assert up - plan.objective == pytest.approx(m.cost_per_point_cny, rel=1e-9)
    assert plan.objective - down == pytest.approx(m.saving_per_point_cny, rel=1e-9)


def test_a_target_that_cannot_rise_says_so() -> None:
    # No funds at all: 2.25 staff meet 90 % exactly and nothing buys the 91st point.
    sc = scenario(objective="cost", coverage_target=0.9, staff_total=2.25, funds_total_cny=0)
    m = _marginal(solve(TWO_GRIDS, sc))
    assert m.cost_per_point_cny is None and m.target_cannot_rise is True
    assert m.saving_per_point_cny == pytest.approx(2250.0, rel=1e-9)
    assert solve(TWO_GRIDS, sc.replace(coverage_target=0.91)).status is Status.INFEASIBLE


def test_equity_reports_the_lowest_coverage_too() -> None:
    # t* = 3,200 / 4,000 = 80 %; one more staff member covers all demand: t = 100 %.
    sc = scenario(staff_total=2, objective="equity")
    plan = solve(TWO_GRIDS, sc)
    m = _marginal(plan)
    assert m.per_staff_lowest_points == pytest.approx(20.0, abs=1e-4)
    assert m.per_staff_hours == pytest.approx(800.0, abs=1e-3)
    more = solve(TWO_GRIDS, sc.replace(staff_total=3))
    assert more.kpis is not None and plan.kpis is not None
    assert more.kpis.lowest_share is not None and plan.kpis.lowest_share is not None
    lowest = 100 * (more.kpis.lowest_share - plan.kpis.lowest_share)
    assert lowest == pytest.approx(m.per_staff_lowest_points, abs=1e-4)


def test_whole_staff_keep_the_plan_staff_for_funds_and_centers() -> None:
    # Staff budget 2.5 with whole staff: 2 staff; 10,000 CNY then buys B 125 h.
    m = _marginal(solve(TWO_GRIDS, scenario(staff_total=2.5, integer_staff=True)))
    assert m.per_staff_points is None and m.per_10_transfers_points is None
    assert m.per_10k_hours == pytest.approx(125.0, abs=1e-6)
    assert m.top_centers[0].gain_hours == pytest.approx(800.0, abs=1e-6)


def test_plan_records_the_time_of_its_marginal_values() -> None:
    plan = solve(TWO_GRIDS, scenario(staff_total=2))
    assert plan.timings["marginal"] >= 0


@pytest.mark.parametrize(("seed", "objective"), [(5, "coverage"), (5, "equity"), (10, "coverage")])
def test_random_district_against_independent_re_solves(seed: int, objective: str) -> None:
    # Priorities are 1: covered hours are the objective, so a re-solve's hours are unique.
    ds, sc = _random_case(seed)
    sc = sc.replace(objective=objective)
    plan = solve(ds, sc)
    m = _marginal(plan)
    assert m.partial is False
    assert sc.staff_total is not None and sc.funds_total_cny is not None
    assert sc.max_transfers is not None
    moved = {
        "per_staff_hours": sc.replace(staff_total=sc.staff_total + 1),
        "per_10k_hours": sc.replace(funds_total_cny=sc.funds_total_cny + 10_000),
        "per_10_transfers_hours": sc.replace(max_transfers=sc.max_transfers + 10),
    }
    for field, other in moved.items():
        gained = _served(solve(ds, other)) - _served(plan)
        assert getattr(m, field) == pytest.approx(gained, abs=1e-4), field
    points = 100 * np.array([m.per_staff_hours, m.per_10k_hours]) / _demand(plan)
    assert [m.per_staff_points, m.per_10k_points] == pytest.approx(points.tolist(), abs=1e-9)


@pytest.mark.parametrize("seed", [30, 28])
def test_random_district_centers_against_pinned_re_solves(seed: int) -> None:
    ds, sc = _random_case(seed)
    sc = sc.replace(funds_total_cny=0)  # funds could move between centers in the check
    plan = solve(ds, sc)
    m = _marginal(plan)
    assert len({round(c.gain_hours or 0, 3) for c in m.top_centers}) > 1, m.top_centers
    ids = plan.centers["center_id"].tolist()
    gains = [_gain_alone(ds, sc, plan, i) for i in range(len(ids))]
    for top in m.top_centers:
        assert top.gain_hours == pytest.approx(gains[ids.index(top.center_id)], abs=1e-4)
    listed = [top.gain_hours or 0.0 for top in m.top_centers]
    assert all(a >= b - 1e-6 for a, b in itertools.pairwise(listed)), listed
    shown = {top.center_id for top in m.top_centers}
    floor = min(listed) if len(listed) == TOP_CENTERS else 1e-6
    for i, center_id in enumerate(ids):
        if center_id not in shown:
            assert gains[i] <= floor + 1e-4, (center_id, gains[i], listed)


def test_marginal_values_out_of_time_are_missing_not_wrong(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import govopt.optimize.marginal as marginal
    from govopt.output.words import explain_marginal

    class Clock:
        """Every reading 1,000 s after the last: the 60 s limit is gone at once."""

        now = 0.0

        def perf_counter(self) -> float:
            self.now += 1000.0
            return self.now

    monkeypatch.setattr(marginal, "time", Clock())
    plan = solve(TWO_GRIDS, scenario(staff_total=2, solver="highs"))
    m = _marginal(plan)
    assert m.partial is True
    assert m.per_staff_points is None and m.per_10k_points is None
    assert m.per_staff == pytest.approx(1600.0, abs=1e-6)  # the duals come from the solve
    assert explain_marginal(plan, "en")[-1] == (
        "Some marginal values could not be computed within the time limit."
    )


def test_cancel_during_the_marginal_values_cancels_the_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import govopt.optimize.marginal as marginal
    from govopt.optimize.cancel import Cancel

    token = Cancel()
    real = marginal.run_highs

    def cancelling(model: object) -> bool:
        token.set()  # as a Cancel button pressed while the first re-solve runs
        return real(model)

    monkeypatch.setattr(marginal, "run_highs", cancelling)
    plan = solve(TWO_GRIDS, scenario(staff_total=2, solver="highs"), cancel=token)
    assert plan.status is Status.CANCELLED
    assert plan.kpis is None and plan.marginal is None
