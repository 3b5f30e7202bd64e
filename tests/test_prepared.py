"""A dataset prepared once for solving: same plans as a fresh solve, never stale, bounded."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest

import govopt.optimize as optimize
import govopt.optimize.prepared as prepared_module
from govopt.data.dataset import Dataset
from govopt.data.sample import generate
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.optimize import Prepared, baseline, solve
from govopt.optimize.inputs import ModelInputs, model_inputs
from govopt.optimize.prepared import content_hash
from govopt.plan import Plan, Status

WIDE = LevelValues(3000, 1000, 500)
NARROW = LevelValues(1500, 600, 300)


@pytest.fixture(scope="module")
def district() -> Dataset:
    return generate(60, seed=4)


def _scenario(dataset: Dataset, **changes: Any) -> Scenario:
    base = dataset.scenario or Scenario()
    return base.replace(**changes) if changes else base


def _same_plan(a: Plan, b: Plan) -> None:
    assert a.status is Status.OPTIMAL and b.status is Status.OPTIMAL
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    np.testing.assert_allclose(a.centers["staff"], b.centers["staff"], atol=1e-6)
    np.testing.assert_allclose(a.centers["funds_cny"], b.centers["funds_cny"], atol=1e-3)
    np.testing.assert_allclose(a.grids["coverage"], b.grids["coverage"], atol=1e-9)
    np.testing.assert_allclose(
        a.grids["baseline_coverage"], b.grids["baseline_coverage"], atol=1e-9, equal_nan=True
    )


@pytest.mark.parametrize("objective", ["coverage", "cost", "equity"])
def test_prepared_solves_give_the_fresh_plans(district: Dataset, objective: str) -> None:
    prep = Prepared(district)
    first = _scenario(district, objective=objective)
    second = first.replace(funds_total_cny=(first.funds_total_cny or 1e6) * 1.1, radius_m=NARROW)
    third = first.replace(staff_total=None)
    for scenario in (first, second, third, first):
        _same_plan(solve(district, scenario, prepared=prep), solve(district, scenario))


def test_baseline_is_solved_once_per_radius_and_standards(
    district: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    prep = Prepared(district)
    scenario = _scenario(district)
    today = baseline(district, scenario, prepared=prep)
    fresh = baseline(district, scenario)
    assert today.optimal
    assert today.objective == pytest.approx(fresh.objective, rel=1e-9)
    np.testing.assert_allclose(today.grids["coverage"], fresh.grids["coverage"], atol=1e-9)
    fresh_plan = solve(district, scenario.replace(staff_total=2000))

    real = optimize._baseline_solution
    runs: list[Scenario] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(optimize, "_baseline_solution", counted)
    # Budgets, norms, objective and name do not change the baseline: none is solved.
    plan = solve(district, scenario.replace(staff_total=2000), prepared=prep)
    _same_plan(plan, fresh_plan)
    again = baseline(district, scenario.replace(name="other", objective="cost"), prepared=prep)
    assert again.scenario.name == "other" and again.objective == today.objective
    assert runs == []
    # Another radius or other standards: their own baseline, solved once.
    solve(district, scenario.replace(radius_m=NARROW), prepared=prep)
    solve(district, scenario.replace(radius_m=NARROW, objective="cost"), prepared=prep)
    baseline(district, scenario.replace(work_hours_per_staff=1500), prepared=prep)
    baseline(district, scenario.replace(work_hours_per_staff=1500), prepared=prep)
    assert [s.radius_m for s in runs] == [NARROW, WIDE]
    assert [s.work_hours_per_staff for s in runs] == [scenario.work_hours_per_staff, 1500]
    narrow = baseline(district, scenario.replace(radius_m=NARROW))
    kept = baseline(district, scenario.replace(radius_m=NARROW), prepared=prep)
    assert kept.objective == pytest.approx(narrow.objective, rel=1e-9)
    assert kept.objective != pytest.approx(today.objective, rel=1e-6)


def test_a_baseline_given_takes_the_place_of_the_kept_one(tiny_dataset: Dataset) -> None:
    scenario = _scenario(tiny_dataset)
    prep = Prepared(tiny_dataset)
    assert baseline(tiny_dataset, scenario, prepared=prep).optimal
    unfinished = baseline(tiny_dataset, scenario.replace(time_limit_s=1e-6))
    assert unfinished.status is Status.TIME_LIMIT
    plan = solve(tiny_dataset, scenario, baseline=unfinished, prepared=prep)
    assert plan.optimal and np.isnan(plan.grids["baseline_coverage"]).all()
    kept = solve(tiny_dataset, scenario, prepared=prep)
    assert kept.grids["baseline_coverage"].notna().all()


def test_a_cancelled_baseline_is_not_kept(tiny_dataset: Dataset) -> None:
    scenario = _scenario(tiny_dataset)
    prep = Prepared(tiny_dataset)
    token = optimize.Cancel()
    token.set()
    assert baseline(tiny_dataset, scenario, cancel=token, prepared=prep).status is (
        Status.CANCELLED
    )
    assert prep.baseline(scenario) is None and prep.baselines_kept == 0
    assert solve(tiny_dataset, scenario, cancel=token, prepared=prep).status is Status.CANCELLED
    assert prep.baselines_kept == 0
    assert baseline(tiny_dataset, scenario, prepared=prep).optimal
    assert prep.baselines_kept == 1


def _arrays(inputs: ModelInputs) -> dict[str, Any]:
    return {k: v for k, v in vars(inputs).items() if isinstance(v, np.ndarray)}


def test_inputs_per_radius_equal_fresh_ones_and_are_read_only(district: Dataset) -> None:
    prep = Prepared(district)
    for radius in (WIDE, NARROW, WIDE):
        scenario = _scenario(district, radius_m=radius, min_staff=LevelValues(2, 1, 1))
        got, fresh = _arrays(prep.inputs(scenario)), _arrays(model_inputs(district, scenario))
        assert got.keys() == fresh.keys()
        for name, value in fresh.items():
            np.testing.assert_array_equal(got[name], value, err_msg=name)
    wide = prep.inputs(_scenario(district))
    narrow = prep.inputs(_scenario(district, radius_m=NARROW))
    assert len(narrow.x_center) < len(wide.x_center)
    with pytest.raises(ValueError, match="read-only"):
        wide.demand[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        prep.links(WIDE).grid_xy[0, 0] = 0.0


def test_the_lru_keeps_the_latest_radii(
    tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[LevelValues] = []
    real = prepared_module.build_links

    def counted(dataset: Dataset, radius_m: LevelValues) -> Any:
        built.append(radius_m)
        return real(dataset, radius_m)

    monkeypatch.setattr(prepared_module, "build_links", counted)
    prep = Prepared(tiny_dataset, radii=2, baselines=2)
    radii = [LevelValues(r, r, r) for r in (400, 800, 1200)]
    for radius in radii:
        prep.links(radius)
    assert prep.radii == (radii[1], radii[2])
    prep.links(radii[1])  # kept: used again, now the latest
    assert prep.radii == (radii[2], radii[1]) and len(built) == 3
    prep.links(radii[0])  # dropped: built again, and radii[2] goes
    assert prep.radii == (radii[1], radii[0]) and built == [*radii, radii[0]]
    for limit in (10.0, 20.0, 30.0):
        baseline(tiny_dataset, _scenario(tiny_dataset, time_limit_s=limit), prepared=prep)
    assert prep.baselines_kept == 2
    with pytest.raises(ValueError, match="at least one"):
        Prepared(tiny_dataset, radii=0)


def test_demand_is_computed_once(tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[int] = []
    real = prepared_module.order_counts

    def counting(dataset: Dataset) -> pd.DataFrame:
        counted.append(1)
        return real(dataset)

    monkeypatch.setattr(prepared_module, "order_counts", counting)
    prep = Prepared(tiny_dataset)
    scenario = _scenario(tiny_dataset)
    first = solve(tiny_dataset, scenario, prepared=prep)
    second = solve(tiny_dataset, scenario.replace(staff_total=11), prepared=prep)
    assert prep.key and len(counted) == 1
    assert second.timings["demand"] <= first.timings["demand"]
    assert "baseline" in first.timings and "baseline" not in second.timings


def test_prepared_belongs_to_its_dataset(tiny_dataset: Dataset, tiny_dataset_dir: Any) -> None:
    from govopt.data.validate import load_dataset

    other = load_dataset(tiny_dataset_dir)
    prep = Prepared(tiny_dataset)
    with pytest.raises(ValueError, match="another dataset"):
        solve(other, _scenario(other), prepared=prep)
    with pytest.raises(ValueError, match="another dataset"):
        baseline(other, _scenario(other), prepared=prep)
    assert Prepared(other).key == prep.key  # the same content loaded twice


def _changed(dataset: Dataset, table: str, column: str, row: int, value: object) -> Dataset:
    frame = getattr(dataset, table).copy()
    frame.loc[frame.index[row], column] = value
    return replace(dataset, **{table: frame})


def test_content_hash_follows_what_a_solve_reads(tiny_dataset: Dataset) -> None:
    key = content_hash(tiny_dataset)
    orders = tiny_dataset.work_order_counts.copy()
    orders.loc[orders.index[0], "count"] += 1
    moved = tiny_dataset.grids.copy()
    moved["geometry"] = moved.geometry.translate(xoff=0.001)
    changes = [
        _changed(tiny_dataset, "grids", "residents", 2, 1101),
        _changed(tiny_dataset, "grids", "priority", 0, 2.0),
        _changed(tiny_dataset, "centers", "staff", 1, 4),
        _changed(tiny_dataset, "centers", "lon", 0, 117.516),
        _changed(tiny_dataset, "standards", "hours_per_order", 0, 3.5),
        _changed(tiny_dataset, "social_orgs", "reach_m", 1, 2000),
        replace(tiny_dataset, work_order_counts=orders),
        replace(tiny_dataset, grids=moved),
    ]
    keys = [content_hash(d) for d in changes]
    assert key not in keys and len(set(keys)) == len(keys)
    # What no solve reads leaves it: surveys, the folder's name.
    surveys = tiny_dataset.surveys.copy()
    surveys.loc[surveys.index[0], "satisfaction"] = 1.0
    assert content_hash(replace(tiny_dataset, surveys=surveys, source="x")) == key
