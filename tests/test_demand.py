"""Demand hours per grid and category, and the WISN helpers."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from model_cases import C, G, make_case

from govopt.analysis.demand import demand_hours, order_counts, wisn_need, wisn_ratio
from govopt.data.orders import count_orders


def test_demand_is_residents_elderly_and_orders_times_standards() -> None:
    ds = make_case(
        [G(0, 0, 1000, elderly=200), G(500, 0, 400)],
        [C(0, 0)],
        categories=("care", "mediation"),
        hours_per_resident=(0.5, 0.2),
        orders=[(0, "care"), (0, "care"), (1, "mediation"), (1, "unknown")],
        hours_per_order=3.0,
    )
    std = ds.standards.copy()
    std["hours_per_elderly"] = [2.0, 0.0]
    ds = type(ds)(ds.grids, ds.centers, std, ds.social_orgs, ds.work_order_counts, ds.surveys)
    d = demand_hours(ds)
    # G0 care: 1000*0.5 + 200*2 + 2 orders*3 = 906; G0 mediation: 1000*0.2 = 200
    # G1 care: 400*0.5 = 200; G1 mediation: 400*0.2 + 1*3 = 83; the unknown category is ignored
    assert d.loc["G0"].tolist() == pytest.approx([906, 200])
    assert d.loc["G1"].tolist() == pytest.approx([200, 83])
    assert list(d.columns) == ["care", "mediation"]
    assert order_counts(ds).to_numpy().tolist() == [[2, 0], [0, 1]]


def test_orders_of_unknown_grids_are_not_counted() -> None:
    ds = make_case([G(0, 0, 10)], [C(0, 0)], orders=[(0, "care"), (7, "care")])
    assert order_counts(ds).to_numpy().tolist() == [[1]]


def test_wisn_need_and_ratio() -> None:
    need = wisn_need(np.array([3200.0, 800.0, 0.0]), 1600)
    assert need.tolist() == [2.0, 0.5, 0.0]
    ratio = wisn_ratio(np.array([1.0, 1.0, 3.0]), need)
    assert ratio[:2].tolist() == [0.5, 2.0]
    assert np.isnan(ratio[2])


def test_600k_orders_aggregate_quickly_and_exactly() -> None:
    rng = np.random.default_rng(0)
    n_grids, cats = 1000, ("a", "b", "c", "d", "e", "f")
    ds = make_case(
        [G(float(i), 0, 1) for i in range(3)],
        [C(0, 0)],
        categories=cats,
        hours_per_resident=(1.0,) * 6,
    )
    grid_ids = np.array([f"G{i}" for i in range(n_grids)])
    grids = pd.concat([ds.grids] * (n_grids // 3 + 1)).iloc[:n_grids].copy()
    grids["grid_id"] = grid_ids
    g = rng.integers(0, n_grids, 600_000)
    k = rng.integers(0, 6, 600_000)
    orders = pd.DataFrame(
        {
            "order_id": np.arange(600_000).astype(str),
            "grid_id": grid_ids[g],
            "category": np.array(cats)[k],
        }
    )
    start = time.perf_counter()
    big = type(ds)(
        grids, ds.centers, ds.standards, ds.social_orgs, count_orders(orders), ds.surveys
    )
    counts = order_counts(big)
    elapsed = time.perf_counter() - start
    expected = np.zeros((n_grids, 6), dtype=int)
    np.add.at(expected, (g, k), 1)
    assert (counts.to_numpy() == expected).all()
    print(f"600,000 work orders aggregated in {elapsed:.2f} s")
