"""Arrays the allocation model is built from: demand, links and policy values per center."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from govopt.analysis.demand import demand_hours
from govopt.analysis.geo import Links, build_links
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import RATING_QUALITY

__all__ = ["ModelInputs", "model_inputs", "with_norms"]


@dataclass(frozen=True, eq=False)
class ModelInputs:
    """Everything the model needs, as arrays in table row order.

    ``x_center, x_grid, x_cat, x_dist`` list the service variables ``x_cgk``:
    one per link (c, g) and category k with ``D_gk > 0``. ``y_org, y_grid,
    y_cat`` list the organization paths: org o can serve grid g in its domain k
    through a center within its reach that links g; ``y_center`` and ``y_dist``
    name the nearest such center and its distance to g.
    ``l_center, l_grid, l_dist`` list the links (c, g) with ``D_g > 0``.
    """

    categories: tuple[str, ...]
    demand: np.ndarray
    priority: np.ndarray
    staff0: np.ndarray
    funds0: np.ndarray
    min_staff: np.ndarray
    max_staff: np.ndarray
    min_funds: np.ndarray
    org_hours: np.ndarray
    org_quality: np.ndarray
    x_center: np.ndarray
    x_grid: np.ndarray
    x_cat: np.ndarray
    x_dist: np.ndarray
    y_org: np.ndarray
    y_center: np.ndarray
    y_cat: np.ndarray
    y_grid: np.ndarray
    y_dist: np.ndarray
    l_center: np.ndarray
    l_grid: np.ndarray
    l_dist: np.ndarray
    links: Links

    @property
    def n_centers(self) -> int:
        """Number of centers."""
        return len(self.staff0)

    @property
    def n_grids(self) -> int:
        """Number of grids."""
        return int(self.demand.shape[0])

    @property
    def grid_demand(self) -> np.ndarray:
        """``D_g``, hours per grid."""
        return np.asarray(self.demand.sum(axis=1))

    @property
    def unreachable(self) -> np.ndarray:
        """Grids with demand but no center within reach."""
        linked = np.zeros(self.n_grids, dtype=bool)
        linked[self.links.center_grid["grid"].to_numpy()] = True
        return (self.grid_demand > 0) & ~linked


_CHUNK_ROWS = 1 << 21


def _org_paths(
    links: Links, org_cat: np.ndarray, demand: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Org -> grid pairs through the nearest relay center (org reach, then center radius).

    One pair per organization ``o`` and grid ``g`` with ``D_gk > 0`` in its domain ``k``,
    sorted by ``o`` then ``g``; the relay is the nearest center within ``o``'s reach that
    links ``g`` (ties: the lowest center). Candidates are expanded per block of
    organizations and reduced by one sort of an integer key, never a table of all of them.
    """
    oc, cg = links.org_center, links.center_grid
    empty = np.zeros(0, dtype=np.int64)
    if len(oc) == 0 or len(cg) == 0 or demand.size == 0:
        return empty, empty, empty, empty, np.zeros(0)
    n_g = demand.shape[0]
    oc_o = oc["org"].to_numpy(np.int64)
    oc_c = oc["center"].to_numpy(np.int64)
    keep = org_cat[oc_o] >= 0
    by_org = np.argsort(oc_o[keep], kind="stable")
    oc_o, oc_c = oc_o[keep][by_org], oc_c[keep][by_org]
    cg_c = cg["center"].to_numpy(np.int64)
    cg_g = cg["grid"].to_numpy(np.int64)
    cg_d = cg["distance_m"].to_numpy(float)
    n_links = len(cg)
    n_c = int(max(cg_c.max(), oc_c.max(initial=0))) + 1
    by_center = np.argsort(cg_c, kind="stable")
    start = np.zeros(n_c + 1, dtype=np.int64)
    np.cumsum(np.bincount(cg_c, minlength=n_c), out=start[1:])
    # Links ranked by distance, then center: the smallest rank of a pair is its relay.
    by_rank = np.lexsort((cg_c, cg_d))
    rank = np.empty(n_links, dtype=np.int64)
    rank[by_rank] = np.arange(n_links)
    count = start[oc_c + 1] - start[oc_c]
    n_o = int(oc_o.max(initial=-1)) + 1
    rows = np.cumsum(np.bincount(oc_o, weights=count, minlength=n_o))
    span = max(1, (2**62) // (n_g * n_links))
    cuts = np.searchsorted(rows, np.arange(_CHUNK_ROWS, rows[-1] if n_o else 0, _CHUNK_ROWS))
    bounds = np.unique(np.concatenate([[0, n_o], cuts, np.arange(0, n_o, span)]))
    at = np.searchsorted(oc_o, bounds)
    out: list[tuple[np.ndarray, np.ndarray]] = []
    for o0, a, b in zip(bounds[:-1].tolist(), at[:-1].tolist(), at[1:].tolist(), strict=True):
        cnt = count[a:b]
        total = int(cnt.sum())
        if total == 0:
            continue
        offset = np.repeat(start[oc_c[a:b]] - (np.cumsum(cnt) - cnt), cnt)
        r = by_center[offset + np.arange(total)]
        o = np.repeat(oc_o[a:b] - o0, cnt)
        g = cg_g[r]
        ok = demand[g, org_cat[o + o0]] > 0
        key = (o[ok] * n_g + g[ok]) * n_links + rank[r[ok]]
        key.sort()
        pair = key // n_links
        first = np.ones(len(key), dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        out.append((pair[first] // n_g + o0, by_rank[key[first] % n_links]))
    if not out:
        return empty, empty, empty, empty, np.zeros(0)
    o = np.concatenate([p[0] for p in out])
    r = np.concatenate([p[1] for p in out])
    return o, cg_c[r], org_cat[o], cg_g[r], cg_d[r]


def _norms(dataset: Dataset, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """``min_staff`` and ``min_funds`` per center, from the scenario's values per level."""
    levels = dataset.centers["level"].astype(str)
    min_staff = np.array([scenario.min_staff[lv] for lv in levels], dtype=float)
    min_funds = np.array([scenario.min_funds_cny[lv] for lv in levels], dtype=float)
    return min_staff, min_funds


def with_norms(inputs: ModelInputs, dataset: Dataset, scenario: Scenario) -> ModelInputs:
    """``inputs`` (of ``dataset``) with the staff and funds floors of ``scenario``.

    Everything else in :class:`ModelInputs` depends on the dataset and the
    radius only, so inputs built once per radius serve every scenario.
    """
    min_staff, min_funds = _norms(dataset, scenario)
    if np.array_equal(min_staff, inputs.min_staff) and np.array_equal(min_funds, inputs.min_funds):
        return inputs
    return replace(inputs, min_staff=min_staff, min_funds=min_funds)


def model_inputs(
    dataset: Dataset,
    scenario: Scenario,
    *,
    demand: pd.DataFrame | None = None,
    links: Links | None = None,
) -> ModelInputs:
    """Assemble :class:`ModelInputs` (computing demand and links unless given)."""
    dem = (demand if demand is not None else demand_hours(dataset)).to_numpy(float)
    lk = links if links is not None else build_links(dataset, scenario.radius_m)
    cats = tuple(dataset.categories)
    n_cat = len(cats)
    centers = dataset.centers
    min_staff, min_funds = _norms(dataset, scenario)

    cg = lk.center_grid
    c = np.repeat(cg["center"].to_numpy(np.int64), n_cat)
    g = np.repeat(cg["grid"].to_numpy(np.int64), n_cat)
    k = np.tile(np.arange(n_cat, dtype=np.int64), len(cg))
    d = np.repeat(cg["distance_m"].to_numpy(float), n_cat)
    keep = dem[g, k] > 0 if len(g) else np.zeros(0, dtype=bool)

    orgs = dataset.social_orgs
    cat_index = {name: i for i, name in enumerate(cats)}
    org_cat = np.array([cat_index.get(str(v), -1) for v in orgs["domain"]], dtype=np.int64)
    quality = np.array([RATING_QUALITY.get(str(r), 0.5) for r in orgs["rating"]], dtype=float)
    yo, yc, yk, yg, yd = _org_paths(lk, org_cat, dem)
    used = dem.sum(axis=1)[cg["grid"].to_numpy(np.int64)] > 0
    return ModelInputs(
        categories=cats,
        demand=dem,
        priority=dataset.grids["priority"].to_numpy(float)
        if "priority" in dataset.grids
        else np.ones(len(dem)),
        staff0=dataset.staff_today,
        funds0=dataset.funds_today,
        min_staff=min_staff,
        max_staff=centers["max_staff"].to_numpy(float),
        min_funds=min_funds,
        org_hours=orgs["hours"].to_numpy(float),
        org_quality=quality,
        x_center=c[keep],
        x_grid=g[keep],
        x_cat=k[keep],
        x_dist=d[keep],
        y_org=yo,
        y_center=yc,
        y_cat=yk,
        y_grid=yg,
        y_dist=yd,
        l_center=cg["center"].to_numpy(np.int64)[used],
        l_grid=cg["grid"].to_numpy(np.int64)[used],
        l_dist=cg["distance_m"].to_numpy(float)[used],
        links=lk,
    )
