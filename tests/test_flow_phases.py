"""Primal-dual phases against OR-Tools' min-cost flow on the same networks."""

from __future__ import annotations

import numpy as np
import pytest
from ortools.graph.python import min_cost_flow

from govopt.optimize.flow_phases import few_costs, phases, start
from govopt.optimize.network import solve_flow
from govopt.optimize.network_solve import residual_potentials


def _ortools_cost(n, tail, head, lower, cap, cost, supply) -> int | None:  # type: ignore[no-untyped-def]
    b = supply - np.bincount(tail, weights=lower, minlength=n).astype(np.int64)
    b += np.bincount(head, weights=lower, minlength=n).astype(np.int64)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tail, head, cap - lower, cost)
    mcf.set_nodes_supplies(np.arange(n), b)
    if mcf.solve() != mcf.OPTIMAL:
        return None
    return int(mcf.optimal_cost()) + int(lower @ cost)


def _random_network(seed: int) -> tuple[np.ndarray, ...]:
    """A source, a sink and a free bypass; random arcs with a few costs, some lower bounds."""
    rng = np.random.default_rng(seed)
    n, m = 30, 120
    tail = rng.integers(0, n - 1, m)
    head = rng.integers(1, n, m)
    keep = tail != head
    tail, head = tail[keep], head[keep]
    cost = rng.choice([-3, -1, 0, 0, 2, 5], len(tail))
    cap = rng.integers(1, 40, len(tail))
    lower = np.where(rng.random(len(tail)) < 0.1, cap // 3, 0)
    tail = np.append(tail, 0).astype(np.int64)
    head = np.append(head, n - 1).astype(np.int64)
    cost = np.append(cost, 0).astype(np.int64)
    cap = np.append(cap, 10_000).astype(np.int64)
    lower = np.append(lower, 0).astype(np.int64)
    supply = np.zeros(n, dtype=np.int64)
    supply[0], supply[n - 1] = 500, -500
    return n, tail, head, lower, cap, cost, supply


@pytest.mark.parametrize("seed", range(40))
def test_phases_find_the_optimal_cost_or_no_flow(seed: int) -> None:
    n, tail, head, lower, cap, cost, supply = _random_network(seed)
    expected = _ortools_cost(n, tail, head, lower, cap, cost, supply)
    got = phases(n, tail, head, lower, cap, cost, supply, start(lower, cap, cost), max_phases=200)
    if expected is None:
        assert got is None
        return
    assert got is not None
    flow, d = got
    assert int(cost @ flow) == expected
    assert np.all(flow >= lower) and np.all(flow <= cap)
    out = np.bincount(tail, weights=flow, minlength=n) - np.bincount(
        head, weights=flow, minlength=n
    )
    assert out.tolist() == supply.tolist()
    rc = cost + d[tail] - d[head]  # the potentials prove it
    assert np.all(rc[flow < cap] >= 0) and np.all(rc[flow > lower] <= 0)
    residual_potentials(n, tail, head, lower, cap, cost, flow)  # no negative cycle


def test_the_cheaper_of_two_parallel_arcs_is_used_first() -> None:
    tail = np.array([0, 0, 0, 1], dtype=np.int64)
    head = np.array([1, 1, 2, 2], dtype=np.int64)
    cost = np.array([5, 1, 9, 0], dtype=np.int64)
    cap = np.array([10, 4, 10, 10], dtype=np.int64)
    lower = np.zeros(4, dtype=np.int64)
    supply = np.array([6, 0, -6], dtype=np.int64)
    got = phases(3, tail, head, lower, cap, cost, supply, start(lower, cap, cost))
    assert got is not None and got[0].tolist() == [2, 4, 0, 6]  # 4 at cost 1, then 2 at cost 5


def test_solve_flow_takes_the_phases_when_costs_are_few() -> None:
    n, tail, head, lower, cap, cost, supply = _random_network(3)
    assert few_costs(cost)
    result = solve_flow(n, tail, head, lower, cap, cost, supply)
    assert result.cost == _ortools_cost(n, tail, head, lower, cap, cost, supply)
