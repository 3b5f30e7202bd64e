"""Organization paths: the blocked sort gives the pairs and relays of the plain merge."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import CRS

import govopt.optimize.inputs as inputs_module
from govopt.analysis.geo import Links, build_links, org_center_links, pairs_within
from govopt.data.sample import generate
from govopt.data.schema import LevelValues
from govopt.optimize.inputs import _org_paths


def _merged(
    links: Links, org_cat: np.ndarray, demand: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every org -> center -> grid candidate in one table, the nearest relay kept per pair."""
    paths = links.org_center[["org", "center"]].merge(links.center_grid, on="center")
    o = paths["org"].to_numpy(np.int64)
    c = paths["center"].to_numpy(np.int64)
    g = paths["grid"].to_numpy(np.int64)
    d = paths["distance_m"].to_numpy(float)
    k = org_cat[o]
    ok = k >= 0
    ok[ok] = demand[g[ok], k[ok]] > 0
    o, c, g, d, k = o[ok], c[ok], g[ok], d[ok], k[ok]
    key = o * demand.shape[0] + g
    order = np.lexsort((d, key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    pick = order[first]
    return o[pick], c[pick], k[pick], g[pick], d[pick]


def _random_links(seed: int) -> tuple[Links, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_g, n_c, n_o, n_k = (int(v) for v in rng.integers([1, 1, 1, 1], [300, 60, 40, 5]))
    # Whole-metre coordinates on a small lattice: many equal distances, so ties matter.
    grid_xy = rng.integers(0, 40, (n_g, 2)).astype(float) * 100
    center_xy = rng.integers(0, 40, (n_c, 2)).astype(float) * 100
    org_xy = rng.integers(0, 40, (n_o, 2)).astype(float) * 100
    c, g, d = pairs_within(center_xy, grid_xy, rng.choice([300.0, 500.0, 800.0], n_c))
    cg = pd.DataFrame({"center": c, "grid": g, "distance_m": d})
    oc = org_center_links(org_xy, center_xy, rng.choice([0.0, 400.0, 1200.0], n_o))
    links = Links(CRS.from_epsg(32650), grid_xy, center_xy, org_xy, cg, oc)
    demand = rng.uniform(0, 10, (n_g, n_k)) * (rng.uniform(size=(n_g, n_k)) < 0.7)
    org_cat = rng.integers(-1, n_k, n_o)
    return links, org_cat, demand


def _same(
    got: tuple[np.ndarray, ...], want: tuple[np.ndarray, ...], expect_rows: bool = True
) -> None:
    assert not expect_rows or len(want[0]) > 0
    for a, b in zip(got, want, strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", range(40))
def test_random_instances_match_the_merge(seed: int) -> None:
    links, org_cat, demand = _random_links(seed)
    _same(_org_paths(links, org_cat, demand), _merged(links, org_cat, demand), False)


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_small_blocks_give_the_same_pairs(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    links, org_cat, demand = _random_links(3)
    want = _merged(links, org_cat, demand)
    monkeypatch.setattr(inputs_module, "_CHUNK_ROWS", chunk)
    _same(_org_paths(links, org_cat, demand), want)


def test_generated_district_matches_the_merge() -> None:
    ds = generate(400, seed=2)
    links = build_links(ds, LevelValues(3000, 1000, 500))
    cats = list(ds.categories)
    org_cat = np.array([cats.index(v) if v in cats else -1 for v in ds.social_orgs["domain"]])
    demand = np.random.default_rng(0).uniform(0, 5, (len(ds.grids), len(cats)))
    demand[::3, 1] = 0.0
    _same(_org_paths(links, org_cat, demand), _merged(links, org_cat, demand))


def test_no_org_or_no_link_gives_no_path() -> None:
    links, org_cat, demand = _random_links(5)
    none = Links(
        links.crs, links.grid_xy, links.center_xy, links.org_xy,
        links.center_grid, links.org_center.iloc[0:0],
    )  # fmt: skip
    got = _org_paths(none, org_cat, demand)
    assert all(len(a) == 0 for a in got)
    assert len(_org_paths(links, np.full_like(org_cat, -1), demand)[0]) == 0
