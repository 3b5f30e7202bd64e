"""Metric CRS and sparse links."""

from __future__ import annotations

import numpy as np
import pytest
from model_cases import C, G, O, make_case

from govopt.analysis.geo import build_links, center_grid_links, metric_crs, pairs_within
from govopt.data.schema import LevelValues


def test_metric_crs_is_utm_for_geographic_and_projected_input() -> None:
    ds = make_case([G(0, 0, 1)], [C(0, 0)])
    assert metric_crs(ds.grids).to_epsg() == 32650
    assert metric_crs(ds.grids.to_crs("EPSG:4326")).to_epsg() == 32650
    assert metric_crs(ds.grids.to_crs("EPSG:4490")).to_epsg() == 32650


def test_metric_crs_without_crs_says_what_to_do() -> None:
    ds = make_case([G(0, 0, 1)], [C(0, 0)])
    with pytest.raises(ValueError, match=r"grids.geojson.*EPSG:4326"):
        metric_crs(ds.grids.set_crs(None, allow_override=True))


def test_pairs_within_matches_a_dense_check() -> None:
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 5000, (40, 2))
    b = rng.uniform(0, 5000, (300, 2))
    limit = rng.uniform(200, 1500, 40)
    s, t, d = pairs_within(a, b, limit)
    dense = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])
    want = np.argwhere(dense <= limit[:, None])
    assert np.array_equal(np.column_stack([s, t]), want)
    assert np.allclose(d, dense[s, t])


def test_links_respect_each_level_radius() -> None:
    # Grids 400 m, 900 m and 2,500 m east of the origin.
    ds = make_case(
        [G(400, 0, 1), G(900, 0, 1), G(2500, 0, 1)],
        [C(0, 0, level="street"), C(0, 0, level="community"), C(0, 0, level="grid")],
    )
    links = build_links(ds, LevelValues(3000, 1000, 500))
    got = sorted(zip(links.center_grid["center"], links.center_grid["grid"], strict=True))
    assert got == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0)]
    assert links.center_grid["distance_m"].iloc[0] == pytest.approx(400, abs=0.01)


def test_org_links_use_reach() -> None:
    ds = make_case([G(0, 0, 1)], [C(0, 0), C(2000, 0)], [O(0, 0, 10, reach_m=1500)])
    links = build_links(ds, LevelValues(3000, 1000, 500))
    assert links.org_center["center"].tolist() == [0]


def test_empty_inputs_give_empty_links() -> None:
    frame = center_grid_links(np.empty((0, 2)), np.empty((0, 2)), [], LevelValues(1, 1, 1))
    assert len(frame) == 0 and list(frame.columns) == ["center", "grid", "distance_m"]
