"""The assignment stage by network simplex, proved optimal by its node potentials.

The same min-cost flow as :func:`govopt.optimize.assignment.assign_flow`
(``docs/model.md``, stage 3), on the same integer units, solved by LEMON's
primal network simplex (``pylmcf``) with candidate-list pivots. The flow is
then checked in integers, apart from the solver: every arc within its bounds,
every node balanced, and no arc of the residual network of negative reduced
cost under the simplex's node potentials (:func:`is_optimal_flow`), which
proves it a least-distance flow. A flow that fails the check is solved again
by OR-Tools (:func:`~govopt.optimize.assignment.assign_flow`).
"""

from __future__ import annotations

import numpy as np
import pylmcf

from govopt.optimize.assignment import (
    Assignment,
    StageNetwork,
    assign_flow,
    failed,
    read_assignment,
    stage_network,
)
from govopt.optimize.inputs import ModelInputs
from govopt.plan import Status

__all__ = ["PIVOT_RULE", "assign_simplex", "is_optimal_flow", "simplex_flow"]

PIVOT_RULE = "candidate_list"


def is_optimal_flow(network: StageNetwork, flows: np.ndarray, potentials: np.ndarray) -> bool:
    """Whether ``flows`` is feasible and ``potentials`` prove it of least cost, in integers.

    Feasible: ``0 <= flow <= cap`` on every arc and every node's outflow less
    inflow equals its supply. Optimal: with ``rc = cost + pi(tail) - pi(head)``,
    ``rc >= 0`` on every arc below its capacity and ``rc <= 0`` on every arc
    above 0, so the residual network has no negative cycle.
    """
    f, cap = np.asarray(flows, dtype=np.int64), network.caps
    if len(f) != len(cap) or ((f < 0) | (f > cap)).any():
        return False
    balance = np.zeros(len(network.supplies), dtype=np.int64)
    np.add.at(balance, network.tails, f)
    np.subtract.at(balance, network.heads, f)
    if not np.array_equal(balance, network.supplies):
        return False
    pi = np.asarray(potentials, dtype=np.int64)
    rc = network.costs + pi[network.tails] - pi[network.heads]
    return not bool((((f < cap) & (rc < 0)) | ((f > 0) & (rc > 0))).any())


def assign_simplex(
    inputs: ModelInputs,
    supply_c: np.ndarray,
    supply_o: np.ndarray,
    cap_pair: np.ndarray,
    need: np.ndarray,
    units: int,
) -> Assignment:
    """The assignment stage of :func:`~govopt.optimize.assignment.assign_flow`, by network simplex.

    Parameters and result as :func:`~govopt.optimize.assignment.assign_flow`:
    ``status`` is optimal (the flow passed :func:`is_optimal_flow`), or
    infeasible when ``need`` cannot be met.

    Raises
    ------
    OverflowError
        When no distance unit keeps the sums within 64 bits.
    """
    net = stage_network(inputs, supply_c, supply_o, cap_pair, need)
    status, flows, pi = simplex_flow(net)
    if status is not Status.OPTIMAL:
        return failed(inputs, status)
    if not is_optimal_flow(net, flows, pi):
        return assign_flow(inputs, supply_c, supply_o, cap_pair, need, units)
    return read_assignment(inputs, net, flows, units)


def simplex_flow(network: StageNetwork) -> tuple[Status, np.ndarray, np.ndarray]:
    """Least-cost flow on ``network`` by network simplex: status, flow per arc, node potentials.

    The status is optimal, infeasible, or error; without a flow the arrays are empty.
    """
    order = np.lexsort((network.heads, network.tails))
    graph = pylmcf.Graph(len(network.supplies), network.tails[order], network.heads[order])
    graph.set_node_supply(network.supplies)
    graph.set_edge_costs(network.costs[order])
    graph.set_edge_capacities(network.caps[order])
    graph.set_pivot_rule(PIVOT_RULE)
    try:
        graph.solve()
    except RuntimeError as exc:
        empty = np.zeros(0, dtype=np.int64)
        return (Status.INFEASIBLE if "INFEASIBLE" in str(exc) else Status.ERROR), empty, empty
    flows = np.empty(len(order), dtype=np.int64)
    flows[order] = graph.result()
    return Status.OPTIMAL, flows, np.asarray(graph.potentials(), dtype=np.int64)
