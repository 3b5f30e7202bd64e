"""Re-optimising a min-cost flow after a relaxation equals solving it afresh."""

from __future__ import annotations

import numpy as np
import pytest
from test_marginal import _random_case as budget_case
from test_model_random import _random_case as mixed_case

import govopt.optimize.network_marginal as network_marginal
from govopt.data.scenario import Scenario
from govopt.optimize.inputs import model_inputs
from govopt.optimize.network import NetworkModel, solve_flow
from govopt.optimize.network_equity import solve_equity
from govopt.optimize.network_marginal import _FixedPlan, _from_stage_one, _policy, _Runs
from govopt.optimize.network_reopt import reoptimize
from govopt.optimize.network_solve import potentials, solve_network
from govopt.plan import Status

# Source 0, sink 3, two routes: 0 -> 1 -> 3 (cost 1) and 0 -> 2 -> 3 (cost 5); 0 -> 3 free.
TAIL = np.array([0, 1, 0, 2, 0], dtype=np.int64)
HEAD = np.array([1, 3, 2, 3, 3], dtype=np.int64)
COST = np.array([-4, 1, -4, 5, 0], dtype=np.int64)
LOWER = np.zeros(5, dtype=np.int64)
CAP = np.array([3, 3, 10, 10, 100], dtype=np.int64)
SUPPLY = np.array([20, 0, 0, -20], dtype=np.int64)


class _Tiny:
    """Enough of a network model for :func:`potentials`."""

    def __init__(self, cap: np.ndarray) -> None:
        self.tail, self.head, self.cost, self.cap = TAIL, HEAD, COST, cap

        class _Layout:
            n_nodes = 4

        self.layout = _Layout()


def test_a_larger_capacity_is_used_where_it_pays() -> None:
    first = solve_flow(4, TAIL, HEAD, LOWER, CAP, COST, SUPPLY)
    assert first.status is Status.OPTIMAL and first.flow.tolist() == [3, 3, 0, 0, 17]
    d = potentials(_Tiny(CAP), first.flow, LOWER)  # type: ignore[arg-type]
    wider = CAP.copy()
    wider[0] = wider[1] = 8
    old, new = (LOWER, CAP, SUPPLY), (LOWER, wider, SUPPLY)
    got = reoptimize(4, TAIL, HEAD, COST, old, new, first.flow, d)
    assert got is not None and got.status is Status.OPTIMAL
    assert got.flow.tolist() == [8, 8, 0, 0, 12]  # route 1 gains 3 a unit; route 2 loses 1
    assert got.cost == solve_flow(4, TAIL, HEAD, LOWER, wider, COST, SUPPLY).cost == -24


def test_more_supply_goes_the_cheapest_way_or_not_at_all() -> None:
    first = solve_flow(4, TAIL, HEAD, LOWER, CAP, COST, SUPPLY)
    d = potentials(_Tiny(CAP), first.flow, LOWER)  # type: ignore[arg-type]
    more = SUPPLY + np.array([5, 0, 0, -5])
    got = reoptimize(4, TAIL, HEAD, COST, (LOWER, CAP, SUPPLY), (LOWER, CAP, more), first.flow, d)
    assert got is not None and got.flow.tolist() == [3, 3, 0, 0, 22]
    assert got.cost == solve_flow(4, TAIL, HEAD, LOWER, CAP, COST, more).cost


def test_tighter_bounds_are_met_from_the_old_optimum_or_found_infeasible() -> None:
    first = solve_flow(4, TAIL, HEAD, LOWER, CAP, COST, SUPPLY)
    d = potentials(_Tiny(CAP), first.flow, LOWER)  # type: ignore[arg-type]
    old = (LOWER, CAP, SUPPLY)
    narrower = CAP.copy()
    narrower[0] = 2
    got = reoptimize(4, TAIL, HEAD, COST, old, (LOWER, narrower, SUPPLY), first.flow, d)
    assert got is not None and got.flow.tolist() == [2, 2, 0, 0, 18]
    raised = LOWER.copy()
    raised[2] = raised[3] = 4  # four units forced along the dear route
    got = reoptimize(4, TAIL, HEAD, COST, old, (raised, CAP, SUPPLY), first.flow, d)
    assert got is not None and got.flow.tolist() == [3, 3, 4, 4, 13]
    assert got.cost == solve_flow(4, TAIL, HEAD, raised, CAP, COST, SUPPLY).cost == -5
    stuck, room = LOWER.copy(), CAP.copy()
    stuck[0], room[0] = 5, 10  # five units into node 1, which passes on three
    assert reoptimize(4, TAIL, HEAD, COST, old, (stuck, room, SUPPLY), first.flow, d) is None


@pytest.mark.parametrize("objective", ["coverage", "equity", "cost"])
@pytest.mark.parametrize("seed", range(8))
def test_steps_from_the_optimum_equal_a_fresh_solve(seed: int, objective: str) -> None:
    ds, sc = budget_case(seed)
    sc = sc.replace(objective=objective, funds_total_cny=sc.funds_total_cny or 40_000.0)
    if objective == "cost":
        sc = sc.replace(coverage_target=0.3)
    net = NetworkModel(model_inputs(ds, sc), sc)
    sol = solve_equity(net) if objective == "equity" else solve_network(net)
    if sol.status is not Status.OPTIMAL:
        assert objective == "cost"  # a target the budgets cannot meet
        return
    assert sol.policy is not None
    changes: list[dict[str, float]] = [
        {"staff_total": (sc.staff_total or 0) + 1},
        {"funds_total_cny": (sc.funds_total_cny or 0) + 10_000},
    ]
    if objective == "cost":
        changes = [{"coverage_target": 0.31}, {"coverage_target": 0.29}]
    for change in changes:
        moved = NetworkModel(net.inputs, sc.replace(**change))
        fast = _from_stage_one(_Runs(None, None), net, sol.policy, moved)
        fresh = _policy(_Runs(None, None), moved)
        if fresh is None:
            assert fast is None  # infeasible both ways
            continue
        assert fast is not None
        assert fast.value == pytest.approx(fresh.value, rel=1e-12, abs=1e-9)
        if objective == "equity":
            assert fast.lowest == fresh.lowest


@pytest.mark.parametrize("seed", range(6))
def test_one_more_staff_member_from_the_optimum_equals_a_fresh_solve(seed: int) -> None:
    ds, sc = mixed_case(seed)
    sc = Scenario.from_dict({**sc.to_dict(), "objective": "coverage", "integer_staff": False})
    net = NetworkModel(model_inputs(ds, sc), sc)
    sol = solve_network(net)
    if sol.status is not Status.OPTIMAL:
        pytest.skip("no plan for this draw")
    fixed = _FixedPlan(net, sol)
    base, d = fixed.base()
    assert np.array_equal(base.flow, fixed.start)  # the plan's own flow, proved optimal ...
    assert base.cost == fixed.solve().cost  # ... as a fresh solve confirms
    for c in range(net.inputs.n_centers):
        fast = fixed.resolve(base, d, c, sc.work_hours_per_staff)
        fresh = fixed.solve(c, sc.work_hours_per_staff)
        assert fast.cost == fresh.cost
        assert fixed.outcome(fast).value == pytest.approx(fixed.outcome(fresh).value, abs=1e-9)


def test_the_marginal_values_use_the_plans_own_stage_one(monkeypatch: pytest.MonkeyPatch) -> None:
    ds, sc = budget_case(3)
    sc = sc.replace(objective="coverage")
    net = NetworkModel(model_inputs(ds, sc), sc)
    sol = solve_network(net)
    calls: list[int] = []
    real = NetworkModel.solve_policy

    def counted(self: NetworkModel, grid_lower: np.ndarray | None = None) -> object:
        calls.append(1)
        return real(self, grid_lower)

    monkeypatch.setattr(NetworkModel, "solve_policy", counted)
    m = network_marginal.network_marginal_values(net, sol, ds)
    assert m.per_staff_hours is not None and not m.partial
    assert calls == []  # the base is the plan's stage 1 and every step a relaxation


@pytest.mark.parametrize("objective", ["coverage", "equity"])
def test_a_budget_that_does_not_bind_buys_nothing_as_highs_finds(objective: str) -> None:
    from test_network_marginal import _both

    ds, sc = budget_case(5)
    sc = sc.replace(objective=objective, staff_total=500, max_transfers=None)
    got = _both(ds, sc)
    assert got is not None
    highs, network = got
    assert highs.per_staff_hours == pytest.approx(0.0, abs=1e-6)
    assert network.per_staff_hours == 0.0 and network.per_staff_points == 0.0
    if objective == "equity":
        assert network.per_staff_lowest_points == 0.0
        assert highs.per_staff_lowest_points == pytest.approx(0.0, abs=1e-6)
