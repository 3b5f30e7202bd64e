"""The assignment stage by network simplex against OR-Tools' min-cost flow, and its certificate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from model_cases import C, G, O, make_case, scenario
from test_assignment import stage_two
from test_model_random import _random_case

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.data.validate import load_dataset
from govopt.optimize.assignment import Assignment, assign_flow, stage_network
from govopt.optimize.assignment_simplex import assign_simplex, is_optimal_flow, simplex_flow
from govopt.optimize.inputs import ModelInputs, model_inputs
from govopt.optimize.network_solve import (
    assign_network,
    stage_three_units,
)
from govopt.plan import Status

ROOT = Path(__file__).resolve().parents[1]
Stage = tuple[ModelInputs, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]


def _pairs(inp: ModelInputs) -> tuple[np.ndarray, np.ndarray]:
    n_k = max(len(inp.categories), 1)
    gk, row = np.unique(inp.y_grid * n_k + inp.y_cat, return_inverse=True)
    return gk, row


def _arc_units(result: Assignment, inp: ModelInputs, units: int) -> tuple[np.ndarray, np.ndarray]:
    """Link and path flows back in whole flow units (effective hours on the paths)."""
    links = np.round(result.link_hours * units).astype(np.int64)
    paths = np.round(result.org_hours * inp.org_quality[inp.y_org] * units).astype(np.int64)
    return links, paths


def _check_feasible(stage: Stage, result: Assignment) -> int:
    """Assert every grid gets exactly its units and no capacity is exceeded; the cost in units."""
    inp, supply_c, supply_o, cap_pair, need, units = stage
    assert result.status is Status.OPTIMAL
    links, paths = _arc_units(result, inp, units)
    assert (links >= 0).all() and (paths >= 0).all()
    got = np.bincount(inp.l_grid, weights=links, minlength=inp.n_grids)
    got += np.bincount(inp.y_grid, weights=paths, minlength=inp.n_grids)
    assert np.array_equal(got.astype(np.int64), need)
    assert (np.bincount(inp.l_center, weights=links, minlength=inp.n_centers) <= supply_c).all()
    assert (np.bincount(inp.y_org, weights=paths, minlength=len(supply_o)) <= supply_o).all()
    gk, row = _pairs(inp)
    assert (np.bincount(row, weights=paths, minlength=len(gk)) <= cap_pair).all()
    net = stage_network(inp, supply_c, supply_o, cap_pair, need)
    first, n_l = net.first_link, net.n_links
    return int(
        links @ net.costs[first : first + n_l] + paths @ net.costs[first + n_l :][: len(paths)]
    )


def _random_stage(seed: int) -> Stage:
    """A random stage with a known feasible flow: supplies and capacities at or above it."""
    rng = np.random.default_rng(seed)
    grids = [
        G(float(a), float(b), int(r))
        for a, b, r in zip(
            rng.uniform(0, 3000, 14),
            rng.uniform(0, 3000, 14),
            rng.integers(50, 900, 14),
            strict=True,
        )
    ]
    centers = [C(float(a), float(b)) for a, b in rng.uniform(0, 3000, (5, 2))]
    orgs = [
        O(float(a), float(b), float(h), rating="5A", reach_m=2000.0, domain=str(d))
        for a, b, h, d in zip(
            rng.uniform(0, 3000, 5),
            rng.uniform(0, 3000, 5),
            rng.integers(50, 400, 5),
            rng.choice(["care", "mediation"], 5),
            strict=True,
        )
    ]
    ds = make_case(
        grids, centers, orgs, categories=("care", "mediation"), hours_per_resident=(0.6, 0.4)
    )
    inp = model_inputs(ds, scenario(radius_m=LevelValues(1500, 1500, 1500)))
    links = rng.integers(0, 50, len(inp.l_center)) * (rng.random(len(inp.l_center)) < 0.6)
    paths = rng.integers(0, 30, len(inp.y_org)) * (rng.random(len(inp.y_org)) < 0.6)
    gk, row = _pairs(inp)
    supply_c = np.bincount(inp.l_center, weights=links, minlength=inp.n_centers).astype(np.int64)
    supply_o = np.bincount(inp.y_org, weights=paths, minlength=len(inp.org_hours)).astype(np.int64)
    cap_pair = np.bincount(row, weights=paths, minlength=len(gk)).astype(np.int64)
    need = np.bincount(inp.l_grid, weights=links, minlength=inp.n_grids)
    need += np.bincount(inp.y_grid, weights=paths, minlength=inp.n_grids)
    supply_c += rng.integers(0, 40, len(supply_c))
    supply_o += rng.integers(0, 20, len(supply_o))
    cap_pair += rng.integers(0, 20, len(cap_pair))
    return inp, supply_c, supply_o, cap_pair, need.astype(np.int64), 10


@pytest.mark.parametrize("seed", range(12))
def test_random_stages_match_or_tools(seed: int) -> None:
    stage = _random_stage(seed)
    simplex, flow = assign_simplex(*stage), assign_flow(*stage)
    assert _check_feasible(stage, simplex) == _check_feasible(stage, flow)
    assert simplex.distance_m_hours == pytest.approx(flow.distance_m_hours, rel=1e-3)


def test_more_units_than_can_be_served_is_infeasible() -> None:
    inp, supply_c, supply_o, cap_pair, need, units = _random_stage(0)
    need = need.copy()
    need[int(np.argmax(need))] += int(supply_c.sum() + supply_o.sum())
    result = assign_simplex(inp, supply_c, supply_o, cap_pair, need, units)
    assert result.status is Status.INFEASIBLE
    assert np.isnan(result.distance_m_hours)


def _far_swap() -> tuple[ModelInputs, np.ndarray, np.ndarray]:
    # Two full centers 1 km apart, a grid on each: the nearest flow serves each grid from its own.
    inp = model_inputs(
        make_case([G(0, 0, 50), G(1000, 0, 50)], [C(0, 0, level="grid"), C(1000, 0, level="grid")]),
        scenario(radius_m=LevelValues(1500, 1500, 1500)),
    )
    supply_c = np.array([30, 30], dtype=np.int64)
    need = np.array([30, 30], dtype=np.int64)
    return inp, supply_c, need


def test_certificate_accepts_the_simplex_flow_and_rejects_a_worse_or_broken_one() -> None:
    inp, supply_c, need = _far_swap()
    empty = np.zeros(0, dtype=np.int64)
    net = stage_network(inp, supply_c, empty, empty, need)
    status, flows, pi = simplex_flow(net)
    assert status is Status.OPTIMAL
    assert is_optimal_flow(net, flows, pi)
    first, n_l = net.first_link, net.n_links
    own = inp.l_center == inp.l_grid
    assert np.array_equal(flows[first : first + n_l], np.where(own, 30, 0))
    result = assign_simplex(inp, supply_c, empty, empty, need, 1)
    assert result.distance_m_hours == pytest.approx(30 * float(inp.l_dist[own].sum()))
    # Each center serving the other grid: feasible, 2 x 30 h x 1 km farther; no potentials prove it.
    swapped = flows.copy()
    swapped[first : first + n_l] = np.where(own, 0, 30)
    assert is_optimal_flow(net, swapped, pi) is False
    rng = np.random.default_rng(1)
    for _ in range(20):
        assert not is_optimal_flow(net, swapped, rng.integers(-(10**6), 10**6, len(pi)))
    short = flows.copy()
    short[first + int(np.flatnonzero(own)[0])] -= 1
    assert not is_optimal_flow(net, short, pi)
    over = flows.copy()
    over[0] += 1
    assert not is_optimal_flow(net, over, pi)


@pytest.mark.parametrize("seed", range(6))
def test_network_stage_three_equals_or_tools_on_random_plans(seed: int) -> None:
    ds, sc = _random_case(seed)
    sc = sc.replace(objective="cost" if sc.objective == "cost" else "coverage")
    _compare_on_plan(ds, sc)


def test_network_stage_three_equals_or_tools_on_the_sample() -> None:
    ds = load_dataset(ROOT / "data" / "zhangqiu")
    sc = Scenario.from_toml(ROOT / "data" / "zhangqiu" / "scenario.toml")
    _compare_on_plan(ds, sc.replace(time_limit_s=None))


def _compare_on_plan(ds: Dataset, sc: Scenario) -> None:
    solved = stage_two(ds, sc)
    if solved is None:
        return
    model, flow = solved
    stage = (model.inputs, *stage_three_units(model, flow), model.units)
    simplex = assign_network(model, flow)
    assert _check_feasible(stage, simplex) == _check_feasible(stage, assign_flow(*stage))
