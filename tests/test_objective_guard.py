"""No plan is reported optimal with an objective that is not a finite number."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import govopt.optimize as opt
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.optimize.allocation import AllocationModel, Solution
from govopt.plan import Status


@pytest.mark.parametrize("value", [float("nan"), float("inf"), None])
def test_optimal_with_a_non_finite_objective_becomes_an_error(
    tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch, value: float | None
) -> None:
    real = AllocationModel.solve

    def broken(self: AllocationModel, *args: object, **kwargs: object) -> Solution:
        sol = real(self, *args, **kwargs)  # type: ignore[arg-type]
        assert sol.status is Status.OPTIMAL
        return replace(sol, objective=value)

    monkeypatch.setattr(AllocationModel, "solve", broken)
    on_highs = Scenario(solver="highs")
    for plan in (opt.solve(tiny_dataset, on_highs), opt.baseline(tiny_dataset, on_highs)):
        assert plan.status is Status.ERROR and not plan.optimal
        assert plan.kpis is None and plan.objective is None and plan.grids.empty


def test_the_guard_names_its_code() -> None:
    nan = float("nan")
    sol = Solution(Status.OPTIMAL, "highs", nan, *([np.zeros(0)] * 6), t=None)
    checked = opt._finite(sol)
    assert (checked.status, checked.objective, checked.message) == (
        Status.ERROR,
        None,
        opt.NON_FINITE_OBJECTIVE,
    )
    fine = replace(sol, objective=2.5)
    assert opt._finite(fine) is fine


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_non_finite_network_objective_becomes_an_error(
    tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch, value: float
) -> None:
    real = opt.solve_network

    def broken(*args: object, **kwargs: object) -> Solution:
        sol = real(*args, **kwargs)  # type: ignore[arg-type]
        assert sol.status is Status.OPTIMAL and sol.solver == "network"
        return replace(sol, objective=value)

    monkeypatch.setattr(opt, "solve_network", broken)
    for plan in (opt.solve(tiny_dataset, Scenario()), opt.baseline(tiny_dataset, Scenario())):
        assert plan.status is Status.ERROR and not plan.optimal
        assert plan.kpis is None and plan.objective is None and plan.grids.empty


def test_a_finite_objective_stays_optimal(tiny_dataset: Dataset) -> None:
    plan = opt.solve(tiny_dataset, Scenario())
    assert plan.optimal and plan.objective is not None and math.isfinite(plan.objective)
