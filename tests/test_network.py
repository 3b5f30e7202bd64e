"""The network engine: hand-checked instances, random instances against HiGHS, units."""

from __future__ import annotations

import numpy as np
import pytest
from model_cases import C, G, O, make_case, scenario
from test_model_random import _random_case

import govopt.optimize as opt
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.optimize import network_engine, solve
from govopt.optimize.allocation import AllocationModel, Solution
from govopt.optimize.families import Family
from govopt.optimize.inputs import ModelInputs, model_inputs
from govopt.optimize.network import NetworkModel, flow_units, integer_costs
from govopt.optimize.network_solve import moved, potentials, solve_network
from govopt.plan import Status

# Two grids of 1,600 h, one center reaching both.
TWO = make_case([G(0, 0, 1600), G(200, 0, 1600, priority=2.0)], [C(100, 0, staff=1.0)])


def _net(ds: Dataset, sc: Scenario, **kw: bool) -> tuple[ModelInputs, Solution]:
    inp = model_inputs(ds, sc)
    return inp, solve_network(NetworkModel(inp, sc, **kw))


def _moves(inp: ModelInputs, sol: Solution, sc: Scenario) -> float:
    staff = np.abs(sol.staff - inp.staff0).sum()
    return float(staff + np.abs(sol.funds - inp.funds0).sum() / sc.wage_per_staff_cny)


def test_coverage_serves_the_higher_priority_grid_first() -> None:
    _, sol = _net(TWO, scenario(staff_total=1.5))
    assert sol.status is Status.OPTIMAL and sol.solver == "network"
    assert sol.stages == ("policy", "stability", "assignment")
    # 1,600 h to the priority-2 grid, 800 h to the other: W = 2 * 1600 + 800.
    assert sol.objective == pytest.approx(4000.0, abs=1e-9)
    assert sol.staff.sum() == pytest.approx(1.5, abs=1e-12)
    assert sol.duals[Family.BUDGET_STAFF] == pytest.approx(1600.0)  # one staff: 1,600 h at 1


def test_cost_meets_the_target_at_least_cost() -> None:
    sc = scenario(objective="cost", coverage_target=0.5, funds_total_cny=None)
    _, sol = _net(TWO, sc)
    # 1,600 h needed: 1 staff (90,000 CNY) beats 1,600 h bought (128,000 CNY).
    assert sol.objective == pytest.approx(90_000.0, abs=1e-9)
    assert sol.staff.sum() == pytest.approx(1.0) and sol.funds.sum() == pytest.approx(0.0)


def test_stability_keeps_staff_where_they_are() -> None:
    # Two centers each reaching its own grid of equal priority; the budget is today's staff.
    ds = make_case(
        [G(0, 0, 1600), G(5000, 0, 1600)],
        [C(0, 0, staff=1.0), C(5000, 0, staff=1.0)],
    )
    inp, sol = _net(ds, scenario(staff_total=2.0))
    assert sol.objective == pytest.approx(3200.0)
    assert _moves(inp, sol, scenario()) == pytest.approx(0.0, abs=1e-12)


def test_transfer_limit_binds_and_has_a_price() -> None:
    # Today both staff sit at a center with no demand; one transfer allowed.
    ds = make_case([G(0, 0, 3200)], [C(0, 0), C(9000, 0, staff=2.0)])
    _, sol = _net(ds, scenario(staff_total=2.0, max_transfers=1.0))
    assert sol.objective == pytest.approx(1600.0)
    assert sol.staff[0] == pytest.approx(1.0) and sol.staff[1] == pytest.approx(1.0)
    assert sol.duals[Family.TRANSFERS] == pytest.approx(1600.0)


def test_baseline_uses_todays_staff_and_funds() -> None:
    ds = make_case([G(0, 0, 3000)], [C(0, 0, staff=1.0, funds=8000.0)])
    inp, sol = _net(ds, scenario(), baseline=True)
    assert sol.stages == ("policy", "assignment")
    assert sol.objective == pytest.approx(1600.0 + 100.0)  # 100 h bought at 80 CNY
    np.testing.assert_allclose(sol.staff, inp.staff0)


def test_org_hours_count_at_their_quality_within_category_demand() -> None:
    ds = make_case([G(0, 0, 1000)], [C(0, 0)], [O(0, 0, 2000.0, rating="3A")])
    _, sol = _net(ds, scenario(staff_total=0.0))
    assert sol.objective == pytest.approx(1000.0)  # 1,600 effective hours, 1,000 of demand
    assert sol.y.sum() == pytest.approx(1000.0 / 0.8)


@pytest.mark.parametrize(
    "changes",
    [
        {"staff_total": 1.0, "min_staff": LevelValues(2, 0, 0)},
        {"objective": "cost", "coverage_target": 1.0, "staff_total": 1.0},
        {"max_transfers": 0.0, "staff_total": 1.0, "min_staff": LevelValues(0, 0, 0)},
    ],
)
def test_infeasible_both_ways(changes: dict[str, object]) -> None:
    ds = make_case([G(0, 0, 3200)], [C(0, 0, staff=0.0, max_staff=1.0), C(50, 0, staff=3.0)])
    if "max_transfers" in changes:
        ds = make_case([G(0, 0, 3200)], [C(0, 0, staff=2.0), C(50, 0, staff=0.0)])
        changes = {**changes, "min_staff": LevelValues(0, 0, 0), "staff_total": 1.0}
    sc = scenario(**changes)
    inp, sol = _net(ds, sc)
    assert sol.status is Status.INFEASIBLE and sol.objective is None and len(sol.staff) == 0
    assert AllocationModel(inp, sc).solve().status is Status.INFEASIBLE


def test_solve_picks_the_engine_and_explains_infeasible() -> None:
    sc = scenario(staff_total=1.0, min_staff=LevelValues(2, 0, 0))
    assert network_engine(sc) and not network_engine(sc.replace(solver="highs"))
    assert not network_engine(sc.replace(integer_staff=True))
    assert network_engine(sc.replace(objective="equity"))
    plan = solve(make_case([G(0, 0, 3200)], [C(0, 0)]), sc)
    assert plan.status is Status.INFEASIBLE and plan.solver == "network"
    assert {c.family for c in plan.conflicts} == {"budget_staff", "min_staff"}


def _check_plan(inp: ModelInputs, sc: Scenario, sol: Solution) -> None:
    """Every row of the model, recomputed from the solution."""
    tol = 1e-6
    H, p = sc.work_hours_per_staff, sc.cost_per_hour_cny
    staff, funds = sol.staff, sol.funds
    assert staff.sum() <= (sc.staff_total if sc.staff_total is not None else np.inf) + tol
    assert funds.sum() <= (sc.funds_total_cny if sc.funds_total_cny is not None else np.inf) + tol
    assert (staff >= inp.min_staff - tol).all() and (staff <= inp.max_staff + tol).all()
    assert (funds >= inp.min_funds - tol).all()
    if sc.max_transfers is not None:
        assert np.clip(inp.staff0 - staff, 0, None).sum() <= sc.max_transfers + tol
    if sc.max_funds_moved_cny is not None:
        assert np.clip(inp.funds0 - funds, 0, None).sum() <= sc.max_funds_moved_cny + 1e-3
    generic = np.bincount(inp.x_center, weights=sol.x, minlength=inp.n_centers)
    org = np.bincount(
        inp.y_center, weights=sol.y * inp.org_quality[inp.y_org], minlength=len(staff)
    )
    assert (generic - org <= H * staff + funds / p + 1e-4).all()
    assert (
        np.bincount(inp.y_org, weights=sol.y, minlength=len(inp.org_hours)) <= inp.org_hours + tol
    ).all()
    n_k = len(inp.categories)
    per_gk = np.bincount(inp.x_grid * n_k + inp.x_cat, weights=sol.x, minlength=inp.demand.size)
    assert (per_gk <= inp.demand.reshape(-1) + 1e-4).all()
    served = np.bincount(inp.x_grid, weights=sol.x, minlength=inp.n_grids)
    assert (served <= inp.grid_demand + 1e-4).all()
    if sc.objective == "cost":
        grids = np.unique(inp.l_grid)
        assert (served[grids] >= sc.coverage_target * inp.grid_demand[grids] - 1e-4).all()


@pytest.mark.parametrize("seed", range(30))
def test_random_instances_agree_with_highs(seed: int) -> None:
    ds, sc = _random_case(seed)
    rng = np.random.default_rng(1000 + seed)
    objective = "cost" if sc.objective == "cost" else "coverage"
    sc = sc.replace(
        objective=objective,
        staff_total=None if rng.random() < 0.2 else sc.staff_total,
        max_transfers=None if rng.random() < 0.3 else sc.max_transfers,
        max_funds_moved_cny=float(rng.integers(0, 4)) * 10_000 if rng.random() < 0.4 else None,
    )
    inp = model_inputs(ds, sc)
    net = solve_network(NetworkModel(inp, sc))
    highs = AllocationModel(inp, sc.replace(solver="highs")).solve()
    assert net.status is highs.status
    if net.status is Status.INFEASIBLE:
        return
    assert net.status is Status.OPTIMAL and net.objective is not None
    assert highs.objective is not None
    assert net.objective == pytest.approx(highs.objective, rel=1e-7, abs=1e-7)
    assert _moves(inp, net, sc) == pytest.approx(_moves(inp, highs, sc), rel=1e-6, abs=1e-6)
    _check_plan(inp, sc, net)


def _objective_at(ds: Dataset, sc: Scenario) -> float:
    sol = solve_network(NetworkModel(model_inputs(ds, sc), sc))
    return np.nan if sol.objective is None else sol.objective


@pytest.mark.parametrize("seed", range(12))
def test_duals_equal_highs_where_unique(seed: int) -> None:
    ds, sc = _random_case(seed)
    sc = sc.replace(objective="cost" if sc.objective == "cost" else "coverage")
    inp = model_inputs(ds, sc)
    net = solve_network(NetworkModel(inp, sc))
    if net.status is not Status.OPTIMAL:
        return
    highs = AllocationModel(inp, sc.replace(solver="highs")).solve()
    step = {Family.BUDGET_STAFF: 1e-3, Family.TRANSFERS: 1e-3, Family.BUDGET_FUNDS: 10.0}
    key = {
        Family.BUDGET_STAFF: "staff_total",
        Family.TRANSFERS: "max_transfers",
        Family.BUDGET_FUNDS: "funds_total_cny",
    }
    base = _objective_at(ds, sc)
    checked = 0
    for family, h in step.items():
        value = getattr(sc, key[family])
        if value is None or value < h:
            continue
        up = (_objective_at(ds, sc.replace(**{key[family]: value + h})) - base) / h
        down = (base - _objective_at(ds, sc.replace(**{key[family]: value - h}))) / h
        if np.isnan(down) or up != pytest.approx(down, rel=1e-6, abs=1e-6):
            continue  # a kink (or the edge of the feasible set): the dual is not unique
        checked += 1
        assert net.duals[family] == pytest.approx(up, rel=1e-6, abs=1e-6)
        assert highs.duals[family] == pytest.approx(net.duals[family], rel=1e-6, abs=1e-6)
    assert checked >= 1


def test_potentials_prove_the_flow_optimal() -> None:
    sc = scenario(staff_total=1.5)
    model = NetworkModel(model_inputs(TWO, sc), sc)
    first = model.solve_policy()
    d = potentials(model, first.flow, model.lower)
    rc = model.cost + d[model.tail] - d[model.head]
    assert (rc[first.flow < model.cap] >= 0).all() and (rc[first.flow > model.lower] <= 0).all()
    # The same flow is not optimal when coverage is minimised: a negative cycle.
    with pytest.raises(ValueError, match="negative cycle"):
        potentials(model, first.flow, model.lower, -model.cost)


def test_moved_is_the_least_change_objective() -> None:
    ds = make_case([G(0, 0, 1600)], [C(0, 0, staff=0.0), C(9000, 0, staff=1.0, funds=9000.0)])
    sc = scenario(staff_total=1.0, funds_total_cny=9000.0)
    model = NetworkModel(model_inputs(ds, sc), sc)
    sol = solve_network(model)
    assert sol.staff[0] == pytest.approx(1.0)  # moved to the demand; the funds stay put
    assert sol.funds[1] == pytest.approx(9000.0)
    flow = model.solve_policy().flow
    assert moved(model, flow) >= 2.0 - 1e-9


def test_integer_costs_are_exact_for_decimals() -> None:
    ints, scale = integer_costs(np.array([56.25, 80.0, 0.0]))
    np.testing.assert_array_equal(ints, [45, 64, 0])
    assert ints / scale == pytest.approx([56.25, 80.0, 0.0])
    ints, scale = integer_costs(np.array([-1.5, -2.0]))
    np.testing.assert_array_equal(ints, [-3, -4])


def test_units_keep_every_sum_inside_int64() -> None:
    big = np.iinfo(np.int64).max
    units = flow_units(1e7, 64, 1_000_000, 1e8)
    assert units == 10**6
    assert 64 * 4 * 1e7 * units * 8 < big and 1e8 * units * 8 < big
    coarse = flow_units(1e12, 1000, 100, 1e12)
    assert 1000 * 4 * 1e12 * coarse * 8 <= big and coarse < 10**6
    with pytest.raises(OverflowError, match="integer range"):
        flow_units(1e17, 10**6, 10, 1e17)
    with pytest.raises(OverflowError, match="nodes"):
        flow_units(1.0, 2**60, 10, 1.0)


def test_overflowing_units_fall_back_to_highs() -> None:
    # A priority so large that its cost times the hours cannot fit in int64.
    ds = make_case([G(0, 0, 1600, priority=1e16), G(100, 0, 1600)], [C(50, 0)])
    sc = scenario(staff_total=1.0)
    inp = model_inputs(ds, sc)
    with pytest.raises(OverflowError):
        NetworkModel(inp, sc)
    assert opt._network_model(inp, sc) is None  # solve() then builds the PuLP model


def test_grid_lower_holds_a_share_of_demand() -> None:
    inp = model_inputs(TWO, scenario(staff_total=1.5))
    model = NetworkModel(inp, scenario(staff_total=1.5))
    sol = solve_network(model, grid_lower=0.6 * inp.grid_demand)
    served = np.bincount(inp.x_grid, weights=sol.x, minlength=inp.n_grids)
    assert served.min() >= 0.6 * 1600 - 1e-9
    assert sol.objective == pytest.approx(2 * 1440 + 960)  # 960 h held, the rest at priority 2
    assert solve_network(model, grid_lower=0.8 * inp.grid_demand).status is Status.INFEASIBLE


def test_a_full_coverage_target_is_met_when_highs_meets_it() -> None:
    """A lower bound equal to its capacity (target 100 %) must not round past it."""
    from govopt.data.sample import generate
    from govopt.optimize import solve

    ds = generate(n_grids=80, seed=1)
    assert ds.scenario is not None
    sc = ds.scenario.replace(
        objective="cost", coverage_target=1.0, staff_total=None, funds_total_cny=None
    )
    net, highs = solve(ds, sc), solve(ds, sc.replace(solver="highs"))
    assert highs.status is Status.OPTIMAL and net.status is Status.OPTIMAL
    assert net.solver == "network"
    assert net.objective == pytest.approx(highs.objective, rel=1e-7)
    served = net.grids[~net.grids["unreachable"].astype(bool)]
    assert (served["coverage"] >= 1.0 - 1e-9).all()
