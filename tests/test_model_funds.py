"""The funds guarantee: a floor on each center's funds by level and a limit on funds moved."""

from __future__ import annotations

import pytest
from model_cases import C, G, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize import AllocationModel, baseline, solve
from govopt.optimize.families import Family
from govopt.optimize.inputs import model_inputs
from govopt.plan import Status

# A (priority 1.5) and B, 2,000 h each; a street center at A reaches both, a
# community center 5 km away reaches neither. No staff: funds buy hours at 80 CNY/h.
A_B = [G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)]


def test_without_a_floor_all_funds_go_where_they_serve() -> None:
    ds = make_case(A_B, [C(0, 0), C(5000, 0, level="community")])
    plan = solve(ds, scenario(staff_total=0, funds_total_cny=80_000))
    # 80,000 CNY = 1,000 h, all to A: 1.5 * 1,000 = 1,500.
    assert plan.objective == pytest.approx(1500, abs=1e-6)
    assert plan.centers["funds_cny"].tolist() == pytest.approx([80_000, 0], abs=1e-6)


def test_funds_floor_binds_and_takes_funds_from_service() -> None:
    # The community center must keep 40,000 CNY though it serves nobody: the street
    # center has the other 40,000 CNY = 500 h for A -> 1.5 * 500 = 750.
    ds = make_case(A_B, [C(0, 0), C(5000, 0, level="community")])
    sc = scenario(staff_total=0, funds_total_cny=80_000, min_funds_cny=LevelValues(0, 40_000, 0))
    model = AllocationModel(model_inputs(ds, sc), sc)
    assert [r.name for r in model.rows[Family.MIN_FUNDS]] == ["min_funds_0"]
    plan = solve(ds, sc)
    assert plan.status is Status.OPTIMAL
    assert plan.objective == pytest.approx(750, abs=1e-6)
    assert plan.centers["funds_cny"].tolist() == pytest.approx([40_000, 40_000], abs=1e-6)
    assert plan.grids["served_hours"].tolist() == pytest.approx([500, 0], abs=1e-6)


def test_funds_moved_limit_binds() -> None:
    # Today the far community center holds all 80,000 CNY. Only 40,000 CNY may be
    # taken from it: 40,000 CNY = 500 h at the street center -> 750 instead of 1,500.
    ds = make_case(A_B, [C(0, 0), C(5000, 0, level="community", funds=80_000)])
    free = solve(ds, scenario(staff_total=0, funds_total_cny=80_000))
    assert free.objective == pytest.approx(1500, abs=1e-6)
    sc = scenario(staff_total=0, funds_total_cny=80_000, max_funds_moved_cny=40_000)
    model = AllocationModel(model_inputs(ds, sc), sc)
    # One fund_dec column, for the only center with funds today.
    assert [r.name for r in model.rows[Family.FUNDS_DEC]] == ["funds_dec_0"]
    assert len(model.fund_dec) == 1
    assert model.n_columns == len(model.prob.variables())
    plan = solve(ds, sc)
    assert plan.objective == pytest.approx(750, abs=1e-6)
    assert plan.centers["funds_cny"].tolist() == pytest.approx([40_000, 40_000], abs=1e-6)
    assert plan.kpis is not None and plan.kpis.moved_funds_cny == pytest.approx(80_000)


def test_funds_added_are_not_funds_moved() -> None:
    # A budget above today's funds: the 40,000 CNY new money is no decrease, so a
    # limit of 0 still lets the street center have it (500 h for A -> 750).
    ds = make_case(A_B, [C(0, 0), C(5000, 0, level="community", funds=80_000)])
    plan = solve(ds, scenario(staff_total=0, funds_total_cny=120_000, max_funds_moved_cny=0))
    assert plan.objective == pytest.approx(750, abs=1e-6)
    assert plan.centers["funds_cny"].tolist() == pytest.approx([40_000, 80_000], abs=1e-6)


def test_baseline_applies_neither_the_floor_nor_the_limit() -> None:
    # Today 8,000 CNY (100 h) at the street center; a floor of 50,000 CNY and a
    # limit of 0 do not change today's plan: A gets 100 h.
    ds = make_case(A_B, [C(0, 0, funds=8_000)])
    sc = scenario(
        funds_total_cny=100_000, min_funds_cny=LevelValues(50_000, 0, 0), max_funds_moved_cny=0
    )
    model = AllocationModel(model_inputs(ds, sc), sc, baseline=True)
    assert not {Family.MIN_FUNDS, Family.FUNDS_DEC, Family.FUNDS_MOVED} & set(model.rows)
    base = baseline(ds, sc)
    assert base.status is Status.OPTIMAL
    assert base.objective == pytest.approx(150, abs=1e-6)
