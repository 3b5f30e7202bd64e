"""Marginal values on the network engine: hand-checked, against HiGHS's, stopped early."""

from __future__ import annotations

import pytest
from model_cases import C, G, make_case, scenario
from test_marginal import APART, TWO_GRIDS
from test_marginal import _random_case as budget_case
from test_model_random import _random_case as mixed_case

import govopt.optimize as optimize
import govopt.optimize.network_marginal as network_marginal
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.optimize import solve
from govopt.optimize.allocation import AllocationModel, Solution
from govopt.optimize.cancel import Cancel
from govopt.optimize.inputs import model_inputs
from govopt.optimize.marginal import marginal_values
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_equity import solve_equity
from govopt.optimize.network_marginal import network_marginal_values
from govopt.optimize.network_solve import solve_network
from govopt.plan import MarginalValues, Status

_NUMBERS = (
    "per_staff",
    "per_10k_cny",
    "per_transfer",
    "per_staff_points",
    "per_staff_hours",
    "per_10k_points",
    "per_10k_hours",
    "per_10_transfers_points",
    "per_10_transfers_hours",
    "per_staff_lowest_points",
    "per_10k_lowest_points",
    "per_10_transfers_lowest_points",
    "cost_per_point_cny",
    "saving_per_point_cny",
)


def _network(ds: Dataset, sc: Scenario) -> tuple[NetworkModel, Solution]:
    net = NetworkModel(model_inputs(ds, sc), sc)
    sol = solve_equity(net) if sc.objective == "equity" else solve_network(net)
    return net, sol


def _both(ds: Dataset, sc: Scenario) -> tuple[MarginalValues, MarginalValues] | None:
    """HiGHS's and the network's marginal values of the network's plan (``None``: no plan)."""
    net, sol = _network(ds, sc)
    if sol.status is not Status.OPTIMAL:
        return None
    model = AllocationModel(net.inputs, sc.replace(solver="highs"))
    model.solve_policy()
    return marginal_values(model, sol, ds), network_marginal_values(net, sol, ds)


def _agree(highs: MarginalValues, net: MarginalValues) -> None:
    assert net.partial is False and highs.partial is False
    assert net.target_cannot_rise is highs.target_cannot_rise
    for name in _NUMBERS:
        a, b = getattr(highs, name), getattr(net, name)
        assert (a is None) == (b is None), name
        if a is not None:
            assert b == pytest.approx(a, rel=1e-9, abs=1e-6), name
    gains = [round(c.gain_hours or 0.0, 6) for c in highs.top_centers]
    if len(set(gains)) == len(gains):
        assert {c.center_id for c in net.top_centers} == {c.center_id for c in highs.top_centers}
    for mine in net.top_centers:
        theirs = {c.center_id: c for c in highs.top_centers}.get(mine.center_id)
        if theirs is not None:
            assert mine.gain_hours == pytest.approx(theirs.gain_hours, abs=1e-6)
            assert mine.gain_points == pytest.approx(theirs.gain_points, abs=1e-6)
            assert mine.hours_per_staff == pytest.approx(theirs.hours_per_staff, abs=1e-6)


def test_one_more_staff_member_and_10k_on_two_grids() -> None:
    # 2 staff fill A (2,000 h) and 1,200 h of B: one more staff member can only use B's
    # last 800 h (20 points of 4,000 h), 10,000 CNY buys 125 h at 80 CNY/h.
    net, sol = _network(TWO_GRIDS, scenario(staff_total=2))
    m = network_marginal_values(net, sol, TWO_GRIDS)
    assert m.per_staff_hours == pytest.approx(800.0, abs=1e-9)
    assert m.per_staff_points == pytest.approx(20.0, abs=1e-9)
    assert m.per_10k_hours == pytest.approx(125.0, abs=1e-9)
    assert m.per_10k_points == pytest.approx(3.125, abs=1e-9)
    assert m.per_staff == pytest.approx(1600.0, abs=1e-9)  # the dual, from potentials
    assert m.per_10_transfers_hours is None and m.partial is False


def test_centers_ranked_by_one_more_staff_member_there() -> None:
    # The plan keeps (2, 1) staff: one more at C0 fills A's last 1,000 h, at C1 B's 300 h.
    net, sol = _network(APART, scenario(staff_total=3))
    m = network_marginal_values(net, sol, APART)
    assert [c.center_id for c in m.top_centers] == ["C0", "C1"]
    assert [c.gain_hours for c in m.top_centers] == pytest.approx([1000.0, 300.0], abs=1e-9)
    assert m.top_centers[0].gain_points == pytest.approx(100 * 1000 / 6100, abs=1e-9)
    assert m.per_staff_hours == pytest.approx(1300.0, abs=1e-9)


def test_cost_of_a_point_and_a_target_that_cannot_rise() -> None:
    # 90 % of 4,000 h by 2.25 staff; the 91st point's 40 h are bought at 80 CNY/h.
    sc = scenario(objective="cost", coverage_target=0.9, staff_total=2.25, funds_total_cny=None)
    net, sol = _network(TWO_GRIDS, sc)
    m = network_marginal_values(net, sol, TWO_GRIDS)
    assert m.cost_per_point_cny == pytest.approx(3200.0, rel=1e-12)
    assert m.saving_per_point_cny == pytest.approx(2250.0, rel=1e-12)
    assert m.target_cannot_rise is False and m.top_centers == ()
    net, sol = _network(TWO_GRIDS, sc.replace(funds_total_cny=0))
    m = network_marginal_values(net, sol, TWO_GRIDS)
    assert m.cost_per_point_cny is None and m.target_cannot_rise is True
    assert m.saving_per_point_cny == pytest.approx(2250.0, rel=1e-12)


def test_equity_reports_the_lowest_coverage() -> None:
    # t = 3,200 / 4,000 = 80 %; one more staff member serves every hour: t = 100 %.
    net, sol = _network(TWO_GRIDS, scenario(staff_total=2, objective="equity"))
    m = network_marginal_values(net, sol, TWO_GRIDS)
    assert m.per_staff_lowest_points == pytest.approx(20.0, abs=1e-9)
    assert m.per_staff_hours == pytest.approx(800.0, abs=1e-6)


def test_budgets_not_set_have_no_value() -> None:
    sc = scenario(staff_total=None, funds_total_cny=None, max_transfers=None)
    net, sol = _network(APART, sc)
    m = network_marginal_values(net, sol, APART)
    for name in ("per_staff", "per_10k_cny", "per_transfer"):
        assert getattr(m, name) is None, name
    for prefix in ("per_staff", "per_10k", "per_10_transfers"):
        assert getattr(m, f"{prefix}_hours") is None and getattr(m, f"{prefix}_points") is None
    assert m.partial is False


@pytest.mark.parametrize("objective", ["coverage", "equity"])
@pytest.mark.parametrize("seed", range(8))
def test_budget_case_agrees_with_highs(seed: int, objective: str) -> None:
    # Budgets, transfers and centers all bind; priorities 1 (hours are unique).
    ds, sc = budget_case(seed)
    got = _both(ds, sc.replace(objective=objective))
    assert got is not None
    _agree(*got)


@pytest.mark.parametrize("objective", ["coverage", "equity", "cost"])
@pytest.mark.parametrize("seed", range(8))
def test_mixed_case_agrees_with_highs(seed: int, objective: str) -> None:
    # Priorities, categories, organizations and funds today.
    ds, sc = mixed_case(seed)
    got = _both(ds, sc.replace(objective=objective))
    if got is not None:
        _agree(*got)


def test_cancel_before_the_re_solves_leaves_them_partial() -> None:
    net, sol = _network(TWO_GRIDS, scenario(staff_total=2))
    token = Cancel()
    token.set()
    m = network_marginal_values(net, sol, TWO_GRIDS, token)
    assert m.partial is True
    assert m.per_staff_hours is None and m.per_10k_hours is None
    assert m.per_staff == pytest.approx(1600.0, abs=1e-9)  # the duals come from the solve
    assert [c.center_id for c in m.top_centers] == ["C0"]  # ranked by dual, no gain
    assert m.top_centers[0].gain_hours is None


def test_cancel_between_re_solves_keeps_what_was_done(monkeypatch: pytest.MonkeyPatch) -> None:
    net, sol = _network(APART, scenario(staff_total=3, funds_total_cny=10_000))
    full = network_marginal_values(net, sol, APART)
    assert full.per_staff_hours is not None and full.per_10k_hours is not None
    token = Cancel()
    real = network_marginal._from_stage_one

    def cancelling(*args: object) -> object:
        token.set()  # as a Cancel button pressed while the staff budget's re-solve runs
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(network_marginal, "_from_stage_one", cancelling)
    m = network_marginal_values(net, sol, APART, token)
    assert m.partial is True
    assert m.per_staff_hours == full.per_staff_hours and m.per_10k_hours is None
    assert m.top_centers == full.top_centers  # ranked before the budgets


def test_out_of_time_values_are_missing_not_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    class Clock:
        """Every reading 1,000 s after the last: the 60 s limit is gone at once."""

        now = 0.0

        def perf_counter(self) -> float:
            self.now += 1000.0
            return self.now

    net, sol = _network(TWO_GRIDS, scenario(staff_total=2))
    monkeypatch.setattr(network_marginal, "time", Clock())
    m = network_marginal_values(net, sol, TWO_GRIDS)
    assert m.partial is True and m.per_staff_points is None and m.per_10k_points is None


def test_solve_never_builds_the_pulp_model_for_a_network_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the PuLP model was built")

    monkeypatch.setattr(optimize, "AllocationModel", refused)
    ds = make_case([G(0, 0, 4200), G(10_000, 0, 1900)], [C(0, 0, staff=2), C(10_000, 0, staff=1)])
    plan = solve(ds, scenario(staff_total=3))
    assert plan.status is Status.OPTIMAL and plan.solver == "network"
    assert plan.marginal is not None and plan.marginal.per_staff_hours == pytest.approx(1300.0)
    assert "marginal_start" not in plan.timings


def test_cancel_during_the_network_marginal_values_cancels_the_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = Cancel()
    real = network_marginal.reoptimize

    def cancelling(*args: object, **kwargs: object) -> object:
        token.set()  # pressed while the first re-solve runs
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(network_marginal, "reoptimize", cancelling)
    plan = solve(TWO_GRIDS, scenario(staff_total=2), cancel=token)
    assert plan.status is Status.CANCELLED
    assert plan.kpis is None and plan.marginal is None
