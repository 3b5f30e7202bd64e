"""WISN: the grids each center is responsible for, need and ratio before and after, per grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from model_cases import C, G, make_case, scenario

from govopt.analysis import indicators
from govopt.analysis.geo import responsible_centers
from govopt.optimize import solve
from govopt.output.maps import legend

# A at the origin, B 800 m east, 4,000 h each. One street center S at A (today 1
# staff, at most 1), community centers M1 at A (1 staff, at most 1) and M2 700 m
# east (none today, at most 2). Radii: street 3 km, community 1 km.
CASE = make_case(
    [G(0, 0, 4000), G(800, 0, 4000)],
    [
        C(0, 0, staff=1, max_staff=1),
        C(0, 0, level="community", staff=1, max_staff=1),
        C(700, 0, level="community", max_staff=2),
    ],
)


def test_each_grid_has_one_responsible_center_per_level_the_nearest_in_reach() -> None:
    links = pd.DataFrame(
        {"center": [0, 1, 2, 1, 2, 0], "grid": [0, 0, 0, 1, 1, 1],
         "distance_m": [0.0, 0.0, 700.0, 800.0, 100.0, 800.0]}
    )  # fmt: skip
    chosen = responsible_centers(links, ["street", "community", "community"])
    pairs = list(zip(chosen["grid"], chosen["center"], strict=True))
    assert pairs == [(0, 0), (0, 1), (1, 0), (1, 2)]


def test_wisn_ratio_before_and_after_per_center() -> None:
    # Budget 4 = every center's maximum, so the plan has S 1, M1 1, M2 2.
    # S is responsible for both grids (8,000 h -> need 5): 1/5 = 0.2 before and after.
    # M1 for A (4,000 h -> need 2.5): 1/2.5 = 0.4; M2 for B: 0 before, 2/2.5 = 0.8 after.
    plan = solve(CASE, scenario(staff_total=4))
    c = plan.centers
    assert c["staff"].tolist() == pytest.approx([1, 1, 2])
    assert c["workload_hours"].tolist() == pytest.approx([8000, 4000, 4000])
    assert c["wisn_need"].tolist() == pytest.approx([5, 2.5, 2.5])
    assert c["wisn_ratio_before"].tolist() == pytest.approx([0.2, 0.4, 0.0])
    assert c["wisn_ratio_after"].tolist() == pytest.approx([0.2, 0.4, 0.8])


def test_workload_is_the_responsible_demand_not_the_assigned_hours() -> None:
    # With no staff and no funds nothing is served, yet each center keeps its need.
    plan = solve(CASE, scenario(staff_total=0))
    assert plan.centers["served_hours"].sum() == pytest.approx(0)
    assert plan.centers["wisn_need"].tolist() == pytest.approx([5, 2.5, 2.5])


def test_wisn_map_indicators_add_the_responsible_centers_ratios() -> None:
    # A: S 0.2 + M1 0.4 = 0.6 today and in the plan; B: S 0.2 + M2 0 -> 0.2 today, 1.0 after.
    today = indicators.compute(CASE, "wisn_today")
    assert today.tolist() == pytest.approx([0.6, 0.2])
    plan = solve(CASE, scenario(staff_total=4))
    after = indicators.compute(CASE, "wisn_plan", plan=plan)
    assert after.index.tolist() == ["G0", "G1"]
    assert after.tolist() == pytest.approx([0.6, 1.0])
    with pytest.raises(ValueError, match="needs a solved plan"):
        indicators.compute(CASE, "wisn_plan")


def test_grid_without_demand_has_no_wisn_ratio() -> None:
    ds = make_case([G(0, 0, 1600), G(100, 0, 0)], [C(0, 0, staff=1)])
    assert indicators.compute(ds, "wisn_today").tolist()[0] == pytest.approx(1.0)
    assert np.isnan(indicators.compute(ds, "wisn_today").tolist()[1])


def test_wisn_legend_classes_are_fixed_around_one() -> None:
    lg = legend(pd.Series([0.3, 0.9, 1.1, 2.0]), "wisn_today", "en")
    assert lg.bins == (0.0, 0.5, 0.8, 1.0, 1.25, 2.0)
    assert lg.labels[2] == "0.80 – 1.00"
    assert lg.title == "WISN ratio today (responsible centers)"
    assert legend(pd.Series([0.3]), "wisn_today", "en").bins[-1] == 1.5
