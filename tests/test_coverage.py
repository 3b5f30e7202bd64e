"""Descriptive coverage metrics, checked by hand on the four-grid fake district.

Grid centroids sit at lon 117.505 + 0.01 i, lat 36.705; 0.01 degree of longitude
there is about 893 m. Centers: C1 street (6 staff) at G1, C2 community (3) at
G2, C3 community (2) at G4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fakes import make_dataset

from govopt.analysis import coverage
from govopt.data.schema import LevelValues


def test_nearest_center_distances_are_metres_to_the_closest_of_the_level() -> None:
    d = make_dataset()
    street = coverage.nearest_center_m(d, "street")
    community = coverage.nearest_center_m(d, "community")
    assert list(street.index) == ["G1", "G2", "G3", "G4"]
    assert street["G1"] == pytest.approx(0.0, abs=0.01)
    assert street["G2"] == pytest.approx(893.2, abs=1.0)
    assert street["G4"] == pytest.approx(3 * 893.2, abs=3.0)
    # G3 lies between C2 (G2) and C3 (G4): one step to either.
    assert community["G3"] == pytest.approx(893.2, abs=1.0)
    assert community["G4"] == pytest.approx(0.0, abs=0.01)


def test_no_center_of_a_level_gives_nan_and_unknown_level_is_refused() -> None:
    d = make_dataset()
    assert coverage.nearest_center_m(d, "grid").isna().all()
    with pytest.raises(ValueError, match="unknown center level"):
        coverage.nearest_center_m(d, "province")


def test_links_follow_the_radius_of_each_level() -> None:
    links = coverage.links_within(make_dataset(), LevelValues(3000, 1000, 500))
    pairs = set(zip(links["center"], links["grid"], strict=True))
    assert pairs == {(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3)}
    short = coverage.links_within(make_dataset(), LevelValues(100, 100, 100))
    assert set(zip(short["center"], short["grid"], strict=True)) == {(0, 0), (1, 1), (2, 3)}


def test_two_step_fca_matches_the_hand_computation() -> None:
    # C1 reaches all 2,800 residents, C2 reaches G1-G3 (2,400), C3 reaches G3-G4 (1,000).
    per_10k = coverage.staff_per_10k(make_dataset())
    expected = {
        "G1": 6 / 2800 + 3 / 2400,
        "G2": 6 / 2800 + 3 / 2400,
        "G3": 6 / 2800 + 3 / 2400 + 2 / 1000,
        "G4": 6 / 2800 + 2 / 1000,
    }
    for gid, value in expected.items():
        assert per_10k[gid] == pytest.approx(value * 10_000)


def test_two_step_fca_conserves_supply() -> None:
    d = make_dataset()
    access = coverage.two_step_fca(d)
    residents = d.grids["residents"].to_numpy(float)
    # Every center reaches someone, so access x residents sums to the total staff.
    assert float(np.sum(access.to_numpy() * residents)) == pytest.approx(11.0)


def test_unreachable_grids_have_no_center_within_radius() -> None:
    d = make_dataset()
    assert not coverage.unreachable(d).any()
    far = coverage.unreachable(d, LevelValues(100, 100, 100))
    assert far.to_dict() == {"G1": False, "G2": False, "G3": True, "G4": False}


def test_demand_hours_follow_the_design_formula() -> None:
    demand = coverage.demand_hours(make_dataset())
    # G1: 1000 x (0.5 + 0.2) + 200 x 2.0 + 2 elderly-care orders x 3.0
    assert demand["G1"] == pytest.approx(1106.0)
    assert demand["G4"] == pytest.approx(400 * 0.7 + 50 * 2.0 + 3.0)


@pytest.mark.parametrize("seed", range(3))
def test_links_of_some_grids_are_those_of_all_grids(seed: int) -> None:
    from govopt.data.sample import generate

    radius = LevelValues(3000, 1000, 500)
    ds = generate(200, seed=seed)
    rows = np.random.default_rng(seed).choice(len(ds.grids), 30, replace=False)
    alone = coverage.links_within(ds, radius, grids=rows)  # centroids of these grids only
    every = coverage.links_within(ds, radius)
    want = every[every["grid"].isin(rows)].reset_index(drop=True)
    assert len(want) > 0
    pd.testing.assert_frame_equal(alone, want)
    pd.testing.assert_frame_equal(coverage.links_within(ds, radius, grids=rows), want)
    assert len(coverage.links_within(ds, radius, grids=np.zeros(0, dtype=np.int64))) == 0
