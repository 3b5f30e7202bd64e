"""The first whole-number plan: rounding that meets budgets, norms and transfers; row checks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from model_cases import C, G, make_case, scenario
from test_model_random import _random_case

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.inputs import model_inputs
from govopt.optimize.rounding import round_staff, row_violations, transfers, whole_number_start
from govopt.plan import Status


def test_rounds_to_the_nearest_within_the_budget() -> None:
    # Floor (2, 1, 0); the fractions .6 and .5 round up, .4 does not: 3 + 1 + 1 = 5.
    staff = round_staff(np.array([2.6, 1.4, 0.5]), np.zeros(3), np.zeros(3), np.full(3, 9.0))
    assert staff is not None and staff.tolist() == [3, 1, 1]
    # A budget of 4 keeps the largest fraction only.
    staff = round_staff(
        np.array([2.6, 1.4, 0.5]), np.zeros(3), np.zeros(3), np.full(3, 9.0), staff_total=4
    )
    assert staff is not None and staff.tolist() == [3, 1, 0]


def test_minimum_staffing_is_met_by_rounding_up() -> None:
    staff = round_staff(np.array([1.5, 0.2]), np.zeros(2), np.array([1.5, 0.0]), np.full(2, 5.0))
    assert staff is not None and staff.tolist() == [2, 0]


def test_transfers_over_the_limit_are_undone_where_staff_left() -> None:
    today = np.array([3.0, 2.0, 0.0])
    lp = np.array([2.6, 1.4, 1.0])
    # Nearest is (3, 1, 1): one person leaves center 2, which a limit of 1 allows.
    staff = round_staff(lp, today, np.zeros(3), np.full(3, 9.0), staff_total=5, max_transfers=1)
    assert staff is not None and staff.tolist() == [3, 1, 1]
    # With no transfers the person goes back, paid for by the newcomer at center 3.
    staff = round_staff(lp, today, np.zeros(3), np.full(3, 9.0), staff_total=5, max_transfers=0)
    assert staff is not None and staff.tolist() == [3, 2, 0]


def test_fill_hands_the_budget_left_to_the_largest_fractions() -> None:
    lp = np.array([1.4, 1.3, 1.3])  # sums to 4: nearest rounding leaves one person unused
    without = round_staff(lp, np.zeros(3), np.zeros(3), np.full(3, 9.0), staff_total=4)
    with_fill = round_staff(lp, np.zeros(3), np.zeros(3), np.full(3, 9.0), staff_total=4, fill=True)
    assert without is not None and without.tolist() == [1, 1, 1]
    assert with_fill is not None and with_fill.tolist() == [2, 1, 1]


def test_no_rounding_when_norms_and_budget_cannot_all_hold() -> None:
    assert round_staff(np.array([1.2]), np.zeros(1), np.array([1.2]), np.array([1.5])) is None
    assert (
        round_staff(np.array([1.0, 1.0]), np.zeros(2), np.ones(2), np.full(2, 3.0), staff_total=1)
        is None
    )


def _feasible(
    r: np.ndarray,
    today: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    budget: float | None,
    limit: float | None,
) -> bool:
    return bool(
        (r >= np.ceil(lo - 1e-9)).all()
        and (r <= np.floor(hi + 1e-9)).all()
        and (budget is None or r.sum() <= budget + 1e-9)
        and (limit is None or transfers(r, today) <= limit + 1e-9)
    )


@pytest.mark.parametrize("seed", range(40))
def test_random_rounding_meets_every_limit_and_misses_no_whole_staffing(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 5))
    today = rng.integers(0, 4, n).astype(float)
    lo = rng.choice([0.0, 0.0, 1.0, 1.5], n)
    hi = lo + rng.integers(0, 4, n)
    lp = np.clip(rng.uniform(0, 5, n), lo, hi)
    budget = None if rng.random() < 0.2 else float(rng.integers(0, 10))
    limit = None if rng.random() < 0.2 else float(rng.integers(0, 4))
    got = round_staff(
        lp, today, lo, hi, staff_total=budget, max_transfers=limit, fill=bool(rng.random() < 0.5)
    )
    grid = itertools.product(*(range(int(np.floor(h)) + 1) for h in hi))
    exists = any(_feasible(np.array(r, float), today, lo, hi, budget, limit) for r in grid)
    if got is None:
        assert not exists
    else:
        assert np.array_equal(got, np.round(got))
        assert _feasible(got, today, lo, hi, budget, limit)


def _model(ds: Dataset, sc: Scenario) -> AllocationModel:
    return AllocationModel(model_inputs(ds, sc), sc)


@pytest.mark.parametrize("seed", range(12))
def test_start_on_random_districts_meets_every_row(seed: int) -> None:
    ds, sc = _random_case(seed)
    sc = sc.replace(integer_staff=True)
    model = _model(ds, sc)
    start = whole_number_start(model)
    if start.values is None:
        # No start says why, unless the LP relaxation already settles the outcome.
        assert start.note.startswith("start_") or start.lp_status is Status.INFEASIBLE
        assert (start.lp_status is Status.INFEASIBLE) == (model.solve().status is Status.INFEASIBLE)
        return
    staff = np.array([start.values[v.name] for v in model.staff])
    assert np.array_equal(staff, np.round(staff))
    assert staff.sum() <= (sc.staff_total or np.inf) + 1e-9
    assert transfers(staff, model.inputs.staff0) <= (sc.max_transfers or np.inf) + 1e-9
    assert (staff >= model.inputs.min_staff - 1e-9).all()
    assert (staff <= model.inputs.max_staff + 1e-9).all()
    assert row_violations(model.prob, dict(start.values)) == []
    assert start.objective is not None and start.bound is not None
    # The LP relaxation bounds every whole-number plan.
    if model.objective.sense == "max":
        assert start.objective <= start.bound + 1e-6 * max(1.0, abs(start.bound))
    else:
        assert start.objective >= start.bound - 1e-6 * max(1.0, abs(start.bound))
    # The whole-number optimum is at least as good as the start.
    solved = _model(ds, sc).solve()
    assert solved.status is Status.OPTIMAL
    best = solved.objective
    if model.spec.second_step is not None:
        # Stage 1 of equity maximises t in hours of demand, t * sum_g D_g (docs/model.md).
        assert solved.t is not None
        best = solved.t * float(model.inputs.grid_demand[model.grids_served].sum())
    assert best is not None
    tol = 1e-6 * max(1.0, abs(start.objective))
    if model.objective.sense == "max":
        assert best >= start.objective - tol
    else:
        assert best <= start.objective + tol


def test_random_districts_do_get_starts() -> None:
    got = 0
    for seed in range(12):
        ds, sc = _random_case(seed)
        got += whole_number_start(_model(ds, sc.replace(integer_staff=True))).values is not None
    assert got >= 6


def test_row_check_finds_a_broken_row() -> None:
    ds = make_case([G(0, 0, 1000)], [C(0, 0, staff=0.0, max_staff=3)])
    sc = scenario(staff_total=2, integer_staff=True, min_staff=LevelValues(0, 0, 0))
    model = _model(ds, sc)
    start = whole_number_start(model)
    assert start.values is not None and row_violations(model.prob, dict(start.values)) == []
    broken = dict(start.values)
    broken[model.staff[0].name] = 2.5  # not whole, and over the budget of 2
    assert set(row_violations(model.prob, broken)) == {"budget_staff_0", model.staff[0].name}
