"""Random small districts: every constraint recomputed from the plan; HiGHS and CBC agree."""

from __future__ import annotations

import numpy as np
import pytest
from model_cases import C, G, O, make_case, scenario

from govopt.analysis.demand import demand_hours
from govopt.analysis.geo import centers_xy, grid_centroids, metric_crs
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import RATING_QUALITY, LevelValues
from govopt.optimize import solve
from govopt.output.words import explain_infeasible
from govopt.plan import Plan, Status

CATS = ("care", "mediation")
LEVELS = ("street", "community", "grid")


def _random_case(seed: int) -> tuple[Dataset, Scenario]:
    rng = np.random.default_rng(seed)
    grids = [
        G(float(x), float(y), int(r), priority=float(p))
        for x, y, r, p in zip(
            rng.uniform(0, 3000, 12),
            rng.uniform(0, 3000, 12),
            rng.integers(0, 4000, 12),
            rng.choice([1.0, 1.5, 2.0], 12),
            strict=True,
        )
    ]
    centers = [
        C(float(x), float(y), level=str(lv), staff=float(s), funds=float(f), max_staff=8.0)
        for x, y, lv, s, f in zip(
            rng.uniform(0, 3000, 5),
            rng.uniform(0, 3000, 5),
            rng.choice(LEVELS, 5),
            rng.integers(0, 4, 5),
            rng.integers(0, 5, 5) * 10_000,
            strict=True,
        )
    ]
    orgs = [
        O(float(x), float(y), float(h), rating=str(r), reach_m=1500.0, domain=str(d))
        for x, y, h, r, d in zip(
            rng.uniform(0, 3000, 4),
            rng.uniform(0, 3000, 4),
            rng.integers(100, 800, 4),
            rng.choice(["5A", "3A", "none"], 4),
            rng.choice(CATS, 4),
            strict=True,
        )
    ]
    orders = [
        (int(g), str(k)) for g, k in zip(rng.integers(0, 12, 30), rng.choice(CATS, 30), strict=True)
    ]
    ds = make_case(
        grids,
        centers,
        orgs,
        categories=CATS,
        hours_per_resident=(0.6, 0.3),
        orders=orders,
        hours_per_order=5.0,
    )
    sc = scenario(
        objective=str(rng.choice(["coverage", "equity", "cost"])),
        staff_total=float(rng.integers(5, 10)),
        funds_total_cny=float(rng.integers(0, 20)) * 10_000,
        max_transfers=float(rng.integers(2, 6)),
        min_staff=LevelValues(1, 1, 0),
        radius_m=LevelValues(3000, 1500, 800),
        coverage_target=0.3,
    )
    return ds, sc


def _check_feasible(ds: Dataset, sc: Scenario, plan: Plan) -> None:
    tol = 1e-3  # CBC reports values to about 1e-4 h
    centers, grids, flows = plan.centers, plan.grids, plan.flows
    assert flows is not None
    # Links: every flow goes from a center to a grid within its level's radius.
    crs = metric_crs(ds.grids)
    gxy = dict(zip(ds.grids["grid_id"], grid_centroids(ds.grids, crs), strict=True))
    cxy = dict(zip(ds.centers["center_id"], centers_xy(ds.centers, crs), strict=True))
    level = dict(zip(ds.centers["center_id"], ds.centers["level"], strict=True))
    for row in flows.itertuples():
        d = float(np.hypot(*(gxy[row.grid_id] - cxy[row.center_id])))
        assert d <= sc.radius_m[level[row.center_id]] + 1e-6
    # Demand: served hours per grid and category at most D_gk.
    dem = demand_hours(ds)
    served = flows.groupby(["grid_id", "category"])["hours"].sum()
    for (g, k), h in served.items():
        assert h <= dem.loc[g, k] + tol
    # Supply per center: flows <= staff hours + purchased hours + q * org hours.
    out = flows.groupby("center_id")["hours"].sum().reindex(centers["center_id"], fill_value=0)
    supply = centers["staff_hours"] + centers["purchased_hours"] + centers["org_effective_hours"]
    assert (out.to_numpy() <= supply.to_numpy() + tol).all()
    assert (centers["staff_hours"] <= sc.work_hours_per_staff * centers["staff"] + tol).all()
    assert (centers["purchased_hours"] <= centers["funds_cny"] / sc.cost_per_hour_cny + tol).all()
    assert (centers["org_effective_hours"] <= centers["org_hours"] + tol).all()
    quality = ds.social_orgs["rating"].map(RATING_QUALITY)
    assert centers["org_effective_hours"].sum() <= (quality * ds.social_orgs["hours"]).sum() + tol
    # Budgets, norms, transfers.
    assert centers["staff"].sum() <= (sc.staff_total or np.inf) + tol
    assert centers["funds_cny"].sum() <= (sc.funds_total_cny or 0) + tol
    mins = centers["level"].map(sc.min_staff.as_dict())
    assert (centers["staff"] >= mins - tol).all()
    assert (centers["staff"] <= ds.centers["max_staff"].to_numpy() + tol).all()
    moved = np.maximum(centers["staff0"] - centers["staff"], 0).sum()
    assert moved <= (sc.max_transfers or np.inf) + tol
    # Grid table agrees with the flows.
    by_grid = flows.groupby("grid_id")["hours"].sum().reindex(grids["grid_id"], fill_value=0)
    assert np.allclose(by_grid.to_numpy(), grids["served_hours"].to_numpy(), atol=tol)
    if sc.objective == "cost":
        reach = (grids["demand_hours"] > 0) & ~grids["unreachable"]
        assert (grids.loc[reach, "coverage"] >= sc.coverage_target - tol).all()


@pytest.mark.parametrize("seed", range(6))
def test_random_plan_is_feasible_and_solvers_agree(seed: int) -> None:
    ds, sc = _random_case(seed)
    plan = solve(ds, sc)
    cbc = solve(ds, sc.replace(solver="cbc"))
    assert cbc.solver == "cbc"
    assert plan.status == cbc.status
    if plan.status is Status.INFEASIBLE:
        assert plan.conflicts and explain_infeasible(plan, "en")
        return
    assert plan.status is Status.OPTIMAL
    _check_feasible(ds, sc, plan)
    _check_feasible(ds, sc, cbc)
    assert plan.objective is not None and cbc.objective is not None
    assert cbc.objective == pytest.approx(plan.objective, rel=1e-6, abs=1e-6)
