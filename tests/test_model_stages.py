"""Lexicographic stages: the least-change plan among equally good ones, then the nearest centers.

Each case has several optimal plans for the policy objective; the one with the
fewest moved staff and funds is known by hand (``docs/model.md``, stages 2-3).
"""

from __future__ import annotations

import pytest
from model_cases import C, G, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize import solve
from govopt.plan import Plan, Status

FAR = LevelValues(5000, 5000, 5000)


def _by_center(plan: Plan, column: str) -> list[float]:
    return plan.centers[column].astype(float).tolist()


def test_staff_stay_where_they_are_when_moving_them_gains_nothing() -> None:
    # One grid of 1,600 h between A (today 1 staff) and B (nearer, 0 staff); budget 1.
    # Both plans cover 1,600 h; the least-change one keeps the staff member at A.
    ds = make_case([G(200, 0, 1600)], [C(0, 0, staff=1), C(200, 0)])
    plan = solve(ds, scenario(staff_total=1, radius_m=FAR))
    assert plan.status is Status.OPTIMAL
    assert plan.objective == pytest.approx(1600.0, abs=1e-6)
    assert _by_center(plan, "staff") == pytest.approx([1.0, 0.0], abs=1e-9)
    assert plan.kpis is not None
    assert plan.kpis.moved_staff == pytest.approx(0.0, abs=1e-9)
    assert plan.kpis.centers_changed == 0


def test_funds_stay_where_they_are() -> None:
    # No staff; 80,000 CNY buy 1,000 h for a 1,000 h grid at either center.
    ds = make_case([G(0, 0, 1000)], [C(300, 0), C(0, 0, funds=80_000)])
    plan = solve(ds, scenario(staff_total=0, funds_total_cny=80_000, radius_m=FAR))
    assert _by_center(plan, "funds_cny") == pytest.approx([0.0, 80_000.0], abs=1e-6)
    assert plan.kpis is not None and plan.kpis.moved_funds_cny == pytest.approx(0.0, abs=1e-6)


def test_only_the_staff_that_must_move_do() -> None:
    # Today A (out of reach of the grid) has 2 staff, B none; the 3,200 h grid
    # needs both at B, but the transfer limit lets one go: 1 moves, M = 2.
    ds = make_case([G(6000, 0, 3200)], [C(0, 0, staff=2), C(6000, 0)])
    plan = solve(
        ds, scenario(staff_total=2, max_transfers=1, radius_m=LevelValues(1000, 1000, 1000))
    )
    assert _by_center(plan, "staff") == pytest.approx([1.0, 1.0], abs=1e-9)
    assert plan.kpis is not None
    assert plan.kpis.moved_staff == pytest.approx(2.0, abs=1e-9)  # -1 at A, +1 at B
    assert plan.kpis.centers_changed == 2


def test_cost_keeps_todays_center_among_equally_cheap_ones() -> None:
    # 80% of a 1,000 h grid = 800 h: half a staff member at either center costs the same.
    # Today B has 1 staff: least change keeps 0.5 at B and removes 0.5 there.
    ds = make_case([G(0, 0, 1000)], [C(0, 0), C(100, 0, staff=1)])
    plan = solve(ds, scenario(objective="cost", coverage_target=0.8, radius_m=FAR))
    assert plan.objective == pytest.approx(0.5 * 90_000, rel=1e-9)
    assert _by_center(plan, "staff") == pytest.approx([0.0, 0.5], abs=1e-9)
    assert plan.kpis is not None and plan.kpis.moved_staff == pytest.approx(0.5, abs=1e-9)


def test_equity_keeps_t_and_coverage_then_moves_least() -> None:
    # Two 1,000 h grids, A on grid 0 with 1 staff today, B on grid 1 with none; budget 1.
    # t* = 1,600 / 2,000 = 0.8 whoever holds the staff member: it stays at A.
    ds = make_case([G(0, 0, 1000), G(400, 0, 1000)], [C(0, 0, staff=1), C(400, 0)])
    plan = solve(ds, scenario(objective="equity", staff_total=1, radius_m=FAR))
    assert plan.kpis is not None and plan.kpis.lowest_share == pytest.approx(0.8, abs=1e-6)
    assert plan.grids["coverage"].tolist() == pytest.approx([0.8, 0.8], abs=1e-6)
    assert _by_center(plan, "staff") == pytest.approx([1.0, 0.0], abs=1e-9)


def test_each_grid_is_served_by_its_nearest_center() -> None:
    # A sits on grid 0 and B on grid 1, 1,000 m apart; each has 1 staff (1,600 h) and each
    # grid needs 1,000 h. Any split covers everything; the assignment serves each from its own.
    ds = make_case([G(0, 0, 1000), G(1000, 0, 1000)], [C(0, 0, staff=1), C(1000, 0, staff=1)])
    plan = solve(ds, scenario(staff_total=2, radius_m=FAR))
    assert plan.flows is not None
    hours = plan.flows.groupby(["center_id", "grid_id"])["hours"].sum().to_dict()
    assert hours == pytest.approx({("C0", "G0"): 1000.0, ("C1", "G1"): 1000.0})


def test_baseline_is_assigned_to_the_nearest_centers_too() -> None:
    from govopt.optimize import baseline

    ds = make_case([G(0, 0, 1000), G(1000, 0, 1000)], [C(0, 0, staff=1), C(1000, 0, staff=1)])
    plan = baseline(ds, scenario(radius_m=FAR))
    assert plan.flows is not None
    hours = plan.flows.groupby(["center_id", "grid_id"])["hours"].sum().to_dict()
    assert hours == pytest.approx({("C0", "G0"): 1000.0, ("C1", "G1"): 1000.0})


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["coverage", "equity", "cost"])
def test_every_stage_runs_on_the_bundled_sample(objective: str) -> None:
    from pathlib import Path

    from govopt.data.validate import load_dataset
    from govopt.optimize.allocation import AllocationModel
    from govopt.optimize.inputs import model_inputs

    ds = load_dataset(Path(__file__).resolve().parents[1] / "data" / "zhangqiu")
    assert ds.scenario is not None
    sc = ds.scenario.replace(objective=objective)
    sol = AllocationModel(model_inputs(ds, sc), sc).solve()
    assert sol.status is Status.OPTIMAL
    assert sol.stages == ("policy", "stability", "assignment")
