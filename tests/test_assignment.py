"""The assignment stage: a hand-checked case, and random cases against the same LP in HiGHS."""

from __future__ import annotations

import numpy as np
import pulp
import pytest
from model_cases import C, G, O, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize.assignment import assign_nearest
from govopt.optimize.inputs import ModelInputs, model_inputs
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
