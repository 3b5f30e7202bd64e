"""Hours per grid and per service entry ``x_cgk`` from link and organization flows.

Both engines (the PuLP model and the network, ``docs/model.md``) solve for
generic hours per link ``x_cg`` and organization hours per path ``y_ogk``;
these functions map them back to the tables a plan reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govopt.optimize.inputs import ModelInputs

__all__ = ["hours_by_source", "positions", "served_hours", "service_hours"]


def positions(keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Where each of ``queries`` is in ``keys`` (unique integers), ``-1`` where absent.

    As ``pandas.Index(keys).get_indexer(queries)``; keys in increasing order (as the
    inputs list their links and entries) are searched without building a hash table,
    the queries in increasing order.
    """
    keys, queries = np.asarray(keys), np.asarray(queries)
    if len(keys) == 0 or not bool(np.all(keys[1:] > keys[:-1])):
        return np.asarray(pd.Index(keys).get_indexer(pd.Index(queries)), dtype=np.int64)
    if bool(np.all(queries[1:] >= queries[:-1])):
        at = np.searchsorted(keys, queries)
    else:  # searched in increasing order, each search starts where the last one ended
        order = np.argsort(queries, kind="stable")
        at = np.empty(len(queries), dtype=np.int64)
        at[order] = np.searchsorted(keys, queries[order])
    inside = at < len(keys)
    found = np.zeros(len(queries), dtype=bool)
    found[inside] = keys[at[inside]] == queries[inside]
    return np.where(found, at, -1).astype(np.int64)


def served_hours(inputs: ModelInputs, x_link: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Hours each grid gets: generic plus quality-weighted organization hours."""
    n_g = inputs.n_grids
    served = np.bincount(inputs.l_grid, weights=x_link, minlength=n_g)
    q = inputs.org_quality[inputs.y_org]
    return served + np.bincount(inputs.y_grid, weights=y * q, minlength=n_g)


def service_hours(
    inputs: ModelInputs, x_link: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Recover ``x_cgk`` (one per entry of ``inputs.x_*``) and ``sum_g x_cg`` per center.

    Generic hours of grid g are split over categories in proportion to the
    demand left after organization hours, ``D_gk - O_gk``, which always fits
    since ``sum_c x_cg <= D_g - sum_k O_gk``; organization hours count at
    the nearest relay center, weighted by the rating quality.
    """
    inp = inputs
    n_g, n_k = inp.n_grids, max(len(inp.categories), 1)
    org = y * inp.org_quality[inp.y_org]
    o_gk = np.bincount(inp.y_grid * n_k + inp.y_cat, weights=org, minlength=n_g * n_k)
    rest = np.clip(inp.demand.reshape(-1) - o_gk, 0.0, None) if inp.categories else o_gk * 0
    rest_g = np.bincount(np.arange(len(rest)) // n_k, weights=rest, minlength=n_g)
    link_pos = positions(inp.l_center * n_g + inp.l_grid, inp.x_center * n_g + inp.x_grid)
    r_e = rest[inp.x_grid * n_k + inp.x_cat]
    total_e = rest_g[inp.x_grid]
    share = np.divide(r_e, total_e, out=np.zeros(len(r_e)), where=total_e > 0)
    out = x_link[link_pos] * share
    entry = positions(
        (inp.x_center * n_g + inp.x_grid) * n_k + inp.x_cat,
        (inp.y_center * n_g + inp.y_grid) * n_k + inp.y_cat,
    )
    np.add.at(out, entry, org)
    per_center = np.bincount(inp.l_center, weights=x_link, minlength=inp.n_centers)
    return out, per_center


def hours_by_source(
    inputs: ModelInputs, x_link: np.ndarray, y: np.ndarray, staff: np.ndarray, work_hours: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x_cgk``, and each center's service hours split into staff and purchased hours.

    Staff hours come first (at most ``work_hours * staff_c``); the rest is bought.
    """
    x, generic = service_hours(inputs, x_link, y)
    staff_hours = np.minimum(generic, work_hours * staff)
    return x, staff_hours, np.clip(generic - staff_hours, 0.0, None)
