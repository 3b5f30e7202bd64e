"""The solver factory: bulk HiGHS agrees with PuLP's own interface; LP method choice."""

from __future__ import annotations

import pulp
import pytest

from govopt.optimize.solvers import (
    PRIMAL_SIMPLEX_MAX_COLUMNS,
    BulkHiGHS,
    choose_lp_method,
    make_solver,
)


def _diet() -> tuple[pulp.LpProblem, pulp.LpVariable, pulp.LpVariable, pulp.LpConstraint]:
    # max 3a + 2b s.t. a + b <= 4, a + 3b <= 9, a <= 3 (bound):
    # a = 3, b = 1, objective 11; the first row is tight with dual 2 (b's price),
    # the second has slack 3 and dual 0, and a's bound is worth 3 - 2 = 1.
    prob = pulp.LpProblem("small", pulp.LpMaximize)
    a = prob.add_variable("a", 0, 3)
    b = prob.add_variable("b", 0)
    prob += 3 * a + 2 * b
    first = a + b <= 4
    prob += first, "first"
    prob += a + 3 * b <= 9, "second"
    return prob, a, b, first


@pytest.mark.parametrize("method", ["simplex", "primal", "ipm"])
def test_bulk_highs_matches_pulps_own_highs(method: str) -> None:
    solver, name = make_solver("highs", lp_method=method)  # type: ignore[arg-type]
    assert name == "highs" and isinstance(solver, BulkHiGHS)
    ours, a, b, first = _diet()
    ours.solve(solver)
    theirs, a2, _, first2 = _diet()
    theirs.solve(pulp.HiGHS(msg=False))
    assert ours.status == theirs.status == pulp.LpStatusOptimal
    assert pulp.value(ours.objective) == pytest.approx(11)
    assert (a.varValue, b.varValue) == pytest.approx((3, 1))
    assert first.pi == pytest.approx(first2.pi)
    assert abs(first.pi) == pytest.approx(2)
    assert first.slack == pytest.approx(first2.slack) == pytest.approx(0)
    assert a.dj == pytest.approx(a2.dj)


def test_bulk_highs_reports_infeasible_and_integer_models() -> None:
    prob = pulp.LpProblem("bad", pulp.LpMinimize)
    x = prob.add_variable("x", 0, 1)
    prob += x
    prob += x >= 2
    prob.solve(make_solver("highs")[0])
    assert prob.status == pulp.LpStatusInfeasible
    # min x s.t. 2x >= 3, x integer: x = 2 (the LP would give 1.5).
    mip = pulp.LpProblem("mip", pulp.LpMinimize)
    y = mip.add_variable("y", 0, cat=pulp.LpInteger)
    mip += y
    mip += 2 * y >= 3
    mip.solve(make_solver("highs", mip=True)[0])
    assert y.varValue == pytest.approx(2)


def test_lp_method_follows_model_size_and_stage() -> None:
    assert choose_lp_method(40_000) == "primal"
    assert choose_lp_method(PRIMAL_SIMPLEX_MAX_COLUMNS + 1) == "ipm"
    assert choose_lp_method(40_000, max_min=True) == "ipm"
