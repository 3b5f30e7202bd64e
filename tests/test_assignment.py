"""The assignment stage: a hand-checked case, and random cases against the same LP in HiGHS."""

from __future__ import annotations

import numpy as np
import pulp
import pytest
from model_cases import C, G, O, make_case, scenario
from test_model_random import _random_case

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.optimize.assignment import assign_nearest, distance_units
from govopt.optimize.inputs import ModelInputs, model_inputs
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_solve import _stability, assign_network, potentials
from govopt.optimize.solvers import make_solver
from govopt.plan import Status


def _inputs(grids: list[G], centers: list[C], orgs: list[O] = (), **kw: object) -> ModelInputs:  # type: ignore[assignment]
    ds = make_case(grids, centers, orgs, **kw)  # type: ignore[arg-type]
    return model_inputs(ds, scenario(radius_m=LevelValues(2000, 2000, 2000)))


def test_nearest_center_serves_first_and_the_farther_one_takes_the_rest() -> None:
    # One grid of 100 h; A (100 m away) offers 60 h, B (900 m away) offers 100 h.
    inp = _inputs([G(0, 0, 100)], [C(100, 0), C(900, 0)])
    result = assign_nearest(inp, np.array([60.0, 100.0]), np.array([100.0]))
    assert result.status is Status.OPTIMAL
    hours = dict(zip(inp.l_center.tolist(), result.link_hours.tolist(), strict=True))
    assert hours == pytest.approx({0: 60.0, 1: 40.0})
    assert result.distance_m_hours == pytest.approx(60 * 100 + 40 * 900, rel=1e-6)


def test_each_grid_keeps_its_hours_when_a_near_center_is_shared() -> None:
    # A sits on grid 0 and near grid 1; B only reaches grid 1. Grid 0 must get A's hours.
    inp = model_inputs(
        make_case([G(0, 0, 50), G(600, 0, 50)], [C(0, 0, level="grid"), C(1200, 0, level="grid")]),
        scenario(radius_m=LevelValues(700, 700, 700)),
    )
    result = assign_nearest(inp, np.array([50.0, 50.0]), np.array([50.0, 50.0]))
    by_link = {
        (int(c), int(g)): h
        for c, g, h in zip(inp.l_center, inp.l_grid, result.link_hours, strict=True)
    }
    assert by_link[(0, 0)] == pytest.approx(50.0)
    assert by_link.get((0, 1), 0.0) == pytest.approx(0.0)
    assert by_link[(1, 1)] == pytest.approx(50.0)


def test_more_hours_than_can_be_served_is_infeasible() -> None:
    inp = _inputs([G(0, 0, 100)], [C(100, 0)])
    assert assign_nearest(inp, np.array([10.0]), np.array([100.0])).status is Status.INFEASIBLE


def _lp_distance(inp: ModelInputs, center_hours: np.ndarray, served: np.ndarray) -> float:
    """The same stage as an LP in HiGHS: min distance-weighted hours, each grid gets ``served``."""
    prob = pulp.LpProblem("assignment", pulp.LpMinimize)
    x = [prob.add_variable(f"x_{i}", 0) for i in range(len(inp.l_center))]
    y = [prob.add_variable(f"y_{i}", 0) for i in range(len(inp.y_org))]
    q = inp.org_quality[inp.y_org]
    prob.setObjective(
        pulp.lpSum(d * v for d, v in zip(inp.l_dist, x, strict=True))
        + pulp.lpSum(d * qq * v for d, qq, v in zip(inp.y_dist, q, y, strict=True))
    )
    for c in range(inp.n_centers):
        prob += pulp.lpSum(v for v, cc in zip(x, inp.l_center, strict=True) if cc == c) <= float(
            center_hours[c]
        )
    for o in range(len(inp.org_hours)):
        prob += pulp.lpSum(v for v, oo in zip(y, inp.y_org, strict=True) if oo == o) <= float(
            inp.org_hours[o]
        )
    for g in range(inp.n_grids):
        terms = [v for v, gg in zip(x, inp.l_grid, strict=True) if gg == g]
        terms += [qq * v for v, qq, gg in zip(y, q, inp.y_grid, strict=True) if gg == g]
        prob += pulp.lpSum(terms) == float(served[g])
        for k in range(len(inp.categories)):
            org_terms = [
                qq * v
                for v, qq, gg, kk in zip(y, q, inp.y_grid, inp.y_cat, strict=True)
                if gg == g and kk == k
            ]
            if org_terms:
                prob += pulp.lpSum(org_terms) <= float(inp.demand[g, k])
    solver, _ = make_solver("highs", lp_method="simplex")
    prob.solve(solver)
    assert pulp.LpStatus[prob.status] == "Optimal"
    return float(pulp.value(prob.objective))


@pytest.mark.parametrize("seed", range(8))
def test_random_cases_match_highs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    grids = [
        G(float(a), float(b), int(r))
        for a, b, r in zip(
            rng.uniform(0, 2500, 10),
            rng.uniform(0, 2500, 10),
            rng.integers(50, 900, 10),
            strict=True,
        )
    ]
    centers = [C(float(a), float(b)) for a, b in rng.uniform(0, 2500, (4, 2))]
    orgs = [
        O(float(a), float(b), float(h), rating=str(r), reach_m=1500.0, domain=str(d))
        for a, b, h, r, d in zip(
            rng.uniform(0, 2500, 3),
            rng.uniform(0, 2500, 3),
            rng.integers(50, 400, 3),
            rng.choice(["5A", "2A", "none"], 3),
            rng.choice(["care", "mediation"], 3),
            strict=True,
        )
    ]
    inp = _inputs(
        grids, centers, orgs, categories=("care", "mediation"), hours_per_resident=(0.6, 0.4)
    )
    center_hours = rng.uniform(100, 1500, inp.n_centers)
    # A feasible target: each center splits its hours evenly over its links.
    links = np.bincount(inp.l_center, minlength=inp.n_centers)
    share = center_hours[inp.l_center] / links[inp.l_center]
    reach = np.bincount(inp.l_grid, weights=share, minlength=inp.n_grids)
    served = np.floor(np.minimum(inp.grid_demand, reach) * 1000) / 1000
    served[inp.grid_demand <= 0] = 0.0
    result = assign_nearest(inp, center_hours, served)
    assert result.status is Status.OPTIMAL
    got = np.bincount(inp.l_grid, weights=result.link_hours, minlength=inp.n_grids)
    got += np.bincount(
        inp.y_grid, weights=result.org_hours * inp.org_quality[inp.y_org], minlength=inp.n_grids
    )
    assert got == pytest.approx(served, abs=2e-3)
    per_center = np.bincount(inp.l_center, weights=result.link_hours, minlength=inp.n_centers)
    assert (per_center <= center_hours + 2e-3).all()
    expected = _lp_distance(inp, center_hours, served)
    # Integer units: 1/1000 h and 1 cm per arc bound the gap to HiGHS.
    assert result.distance_m_hours == pytest.approx(expected, rel=1e-5, abs=5.0)


def test_distance_unit_is_centimetres_unless_the_sums_would_overflow() -> None:
    top = float(np.iinfo(np.int64).max) / 8
    assert distance_units(3000.0, 1e6, 100) == 100.0
    # 3 km is 3e5 cm, 3e4 dm, 3e3 m per unit of flow; the bound is 2**63 / 8 = 1.15e18.
    assert distance_units(3000.0, 1e13, 100) == 10.0
    assert distance_units(3000.0, 1e14, 100) == 1.0
    assert distance_units(3000.0, top / 300.0 * 0.99, 100) == 0.1
    with pytest.raises(OverflowError, match="integer range"):
        distance_units(3000.0, top / 300.0 * 1.01, 100)
    # OR-Tools scales costs by the number of nodes: bounded too.
    assert distance_units(3000.0, 1.0, int(top / 3e5)) == 10.0


def stage_two(ds: Dataset, sc: Scenario) -> tuple[NetworkModel, np.ndarray] | None:
    """The network of ``sc`` and its stage-2 flow (``None``: stage 1 has no optimum)."""
    model = NetworkModel(model_inputs(ds, sc), sc)
    first = model.solve_policy()
    if first.status is not Status.OPTIMAL:
        return None
    d = potentials(model, first.flow, model.lower)
    second = _stability(model, first, model.lower, d)
    assert second.status is Status.OPTIMAL
    return model, second.flow


@pytest.mark.parametrize("seed", range(6))
def test_stage_three_on_the_network_serves_each_grid_exactly_its_stage_two_units(
    seed: int,
) -> None:
    ds, sc = _random_case(seed)
    sc = sc.replace(objective="cost" if sc.objective == "cost" else "coverage")
    solved = stage_two(ds, sc)
    if solved is None:
        return
    model, flow = solved
    inp = model.inputs
    result = assign_network(model, flow)
    assert result.status is Status.OPTIMAL
    units = model.units
    stage2 = np.zeros(inp.n_grids)
    stage2[model.grids] = flow[model.arcs["grid"]]
    got = np.bincount(inp.l_grid, weights=result.link_hours, minlength=inp.n_grids)
    got += np.bincount(
        inp.y_grid, weights=result.org_hours * inp.org_quality[inp.y_org], minlength=inp.n_grids
    )
    # Whole flow units, the same as stage 2's, grid by grid.
    assert np.array_equal(np.round(got * units), stage2)
    offered = flow[model.arcs["staff"]] + flow[model.arcs["funds"]]
    per_center = np.bincount(inp.l_center, weights=result.link_hours, minlength=inp.n_centers)
    assert (np.round(per_center * units) <= offered).all()
    # Never farther than stage 2's own assignment, which is feasible for stage 3.
    values = model.values(flow)
    q = inp.org_quality[inp.y_org]
    before = float(inp.l_dist @ values["x"] + inp.y_dist @ (values["y"] * q))
    assert result.distance_m_hours <= before * (1 + 1e-12) + 1e-9
    hours = offered / units
    expected = _lp_distance(inp, hours, stage2 / units)
    assert result.distance_m_hours == pytest.approx(expected, rel=1e-6, abs=1e-3)
