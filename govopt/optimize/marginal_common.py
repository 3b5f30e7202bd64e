"""What both marginal-value engines share: steps, outcomes, the ranking of centers, the wording.

The re-solves themselves run on HiGHS (:mod:`govopt.optimize.marginal`) or on
the network (:mod:`govopt.optimize.network_marginal`); both read their
outcomes into the same :class:`~govopt.plan.MarginalValues`
(``docs/model.md``, "Shadow prices").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.optimize.allocation import Solution
from govopt.optimize.families import Family
from govopt.optimize.inputs import ModelInputs
from govopt.optimize.objectives import OBJECTIVE_SPECS
from govopt.plan import MarginalValues, TopCenter

__all__ = [
    "FUNDS_STEP_CNY",
    "MAX_CANDIDATES",
    "STAFF_STEP",
    "STEPS",
    "TARGET_STEP",
    "TOP_CENTERS",
    "TRANSFERS_STEP",
    "Gain",
    "Outcome",
    "budget_limits",
    "center_tops",
    "dual_values",
    "points",
    "rank_centers",
    "with_budgets",
    "with_target_costs",
]

TOP_CENTERS = 5
MAX_CANDIDATES = 10
STAFF_STEP = 1.0
FUNDS_STEP_CNY = 10_000.0
TRANSFERS_STEP = 10.0
TARGET_STEP = 0.01

STEPS = {
    Family.BUDGET_STAFF: STAFF_STEP,
    Family.BUDGET_FUNDS: FUNDS_STEP_CNY,
    Family.TRANSFERS: TRANSFERS_STEP,
}


@dataclass(frozen=True)
class Outcome:
    """One re-solve: objective (``W`` for ``equity``), served hours, ``t`` for ``equity``."""

    value: float
    served: float
    lowest: float | None = None

    def minus(self, base: Outcome) -> Outcome:
        """The change from ``base``."""
        lowest = None
        if self.lowest is not None and base.lowest is not None:
            lowest = self.lowest - base.lowest
        return Outcome(self.value - base.value, self.served - base.served, lowest)


@dataclass(frozen=True)
class Gain:
    """What one more staff member at ``center`` gains: ``value`` (the objective), ``hours``."""

    center: int
    value: float
    hours: float
    short_in_reach: float

    @property
    def key(self) -> tuple[float, float, int]:
        """Ranking key: gain, then demand left short in reach, then table order."""
        return (round(self.value, 6), round(self.short_in_reach, 6), -self.center)


def points(hours: float, demand: float) -> float:
    """``hours`` in percentage points of ``demand``."""
    return 100.0 * hours / demand if demand > 0 else 0.0


def budget_limits(scenario: Scenario) -> dict[Family, float | None]:
    """The right-hand side of each budget row a marginal value moves (``None``: not set)."""
    return {
        Family.BUDGET_STAFF: scenario.staff_total,
        Family.BUDGET_FUNDS: scenario.funds_total_cny,
        Family.TRANSFERS: scenario.max_transfers,
    }


def _left_short(inputs: ModelInputs, x: np.ndarray) -> np.ndarray:
    """Demand hours each grid is left short of under a plan's service hours ``x``."""
    served = np.bincount(inputs.x_grid, weights=x, minlength=inputs.n_grids)
    return np.clip(inputs.grid_demand - served, 0.0, None)


def _direct_gain(
    inputs: ModelInputs, short: np.ndarray, hours: float
) -> tuple[np.ndarray, np.ndarray]:
    """What ``hours`` more at each center add when they only fill its own grids' shortfall.

    Highest priority first: (priority-weighted hours, hours) per center. It is
    a feasible change of the plan, so a lower bound on the re-solve's gain,
    which may also shift work between centers.
    """
    inp = inputs
    prio = inp.priority[inp.l_grid]
    order = np.lexsort((-prio, inp.l_center))
    center, need, p = inp.l_center[order], short[inp.l_grid][order], prio[order]
    total = np.cumsum(need)
    first = np.searchsorted(center, center)
    offset = np.where(first > 0, total[first - 1], 0.0) if len(total) else total
    filled = np.minimum(total - offset, hours) - np.minimum(total - need - offset, hours)
    n = inp.n_centers
    return (
        np.bincount(center, weights=filled * p, minlength=n),
        np.bincount(center, weights=filled, minlength=n),
    )


def rank_centers(
    inputs: ModelInputs,
    x: np.ndarray,
    hours: float,
    supply_duals: np.ndarray,
    gain_at: Callable[[int], Outcome | None],
    eligible: np.ndarray | None = None,
) -> list[Gain] | None:
    """The centers where ``hours`` more (one staff member) gain most, the rest of the plan kept.

    ``supply_duals`` are the objective's value of one more hour at each center
    in the fixed-plan LP, ``gain_at(c)`` re-solves it with ``hours`` more at
    ``c`` and returns the change (``None``: the re-solve did not finish, and
    neither does the ranking). No gain exceeds ``hours * supply_duals[c]``
    (the value function is concave) nor ``hours`` times the highest priority
    of a grid left short within reach. The candidates are the
    :data:`MAX_CANDIDATES` centers whose own grids' shortfall the extra hours
    fill most (the direct gain, a feasible change so a lower bound), then the
    most demand left short in reach; a candidate whose direct gain reaches its
    bound needs no re-solve, and the search stops once :data:`TOP_CENTERS`
    gains reach every bound. ``eligible`` (per center) leaves out the others.
    """
    inp = inputs
    short = _left_short(inp, x)
    short_in_reach = np.bincount(inp.l_center, weights=short[inp.l_grid], minlength=inp.n_centers)
    reached = np.zeros(inp.n_grids, dtype=bool)
    reached[inp.l_grid] = True
    left = (short > 1e-9) & reached
    cap = hours * float(inp.priority[left].max()) if left.any() else 0.0
    direct = _direct_gain(inp, short, hours)
    bound = np.minimum(np.asarray(supply_duals, dtype=float) * hours, cap)
    order = np.lexsort((np.arange(inp.n_centers), -short_in_reach, -direct[0]))
    if eligible is not None:
        order = order[eligible[order]]
    found: list[Gain] = []
    for c in order[:MAX_CANDIDATES].tolist():
        best = sorted((g.value for g in found), reverse=True)
        if len(best) >= TOP_CENTERS and best[TOP_CENTERS - 1] >= bound.max() - 1e-6:
            break
        if direct[0][c] >= bound[c] - 1e-9 * max(1.0, bound[c]):
            gain: Outcome | None = Outcome(float(direct[0][c]), float(direct[1][c]))
        else:
            gain = gain_at(c)
        if gain is None:
            return None
        found.append(Gain(c, gain.value, gain.served, float(short_in_reach[c])))
    ranked = sorted(found, key=lambda g: g.key, reverse=True)
    return [g for g in ranked if g.value > 1e-6][:TOP_CENTERS]


def _top(
    dataset: Dataset,
    i: int,
    hours_per_staff: float,
    gain_points: float | None = None,
    gain_hours: float | None = None,
) -> TopCenter:
    c = dataset.centers
    return TopCenter(
        str(c["center_id"].iat[i]),
        str(c["name"].iat[i]),
        str(c["level"].iat[i]),
        hours_per_staff,
        gain_points=gain_points,
        gain_hours=gain_hours,
    )


def dual_values(solution: Solution, dataset: Dataset, scenario: Scenario) -> MarginalValues:
    """Stage 1's duals as covered (priority-weighted) hours per staff, 10,000 CNY, transfer."""
    if not OBJECTIVE_SPECS[scenario.objective].marginal_hours:
        return MarginalValues(None, None, None, ())
    d = solution.duals
    per_funds = d.get(Family.BUDGET_FUNDS)
    per_center = solution.staff_hour_duals * scenario.work_hours_per_staff
    order = np.argsort(-per_center, kind="stable")[:TOP_CENTERS]
    top = tuple(
        _top(dataset, i, float(per_center[i])) for i in order.tolist() if per_center[i] > 1e-9
    )
    per_10k = None if per_funds is None else per_funds * 10_000
    return MarginalValues(d.get(Family.BUDGET_STAFF), per_10k, d.get(Family.TRANSFERS), top)


def center_tops(
    gains: list[Gain], solution: Solution, dataset: Dataset, scenario: Scenario, demand: float
) -> tuple[TopCenter, ...]:
    """The ranked centers with their duals and gains in points of ``demand`` and hours."""
    per_center = solution.staff_hour_duals * scenario.work_hours_per_staff
    return tuple(
        _top(dataset, g.center, float(per_center[g.center]), points(g.hours, demand), g.hours)
        for g in gains
    )


def with_budgets(
    duals: MarginalValues,
    budgets: Mapping[Family, Outcome | None],
    demand: float,
    tops: tuple[TopCenter, ...],
    partial: bool,
) -> MarginalValues:
    """``duals`` with the budgets' re-solved gains (hours, points, lowest share) and centers."""

    def hours(family: Family) -> float | None:
        got = budgets.get(family)
        return None if got is None else got.served

    def pts(family: Family) -> float | None:
        h = hours(family)
        return None if h is None else points(h, demand)

    def lowest(family: Family) -> float | None:
        got = budgets.get(family)
        return None if got is None or got.lowest is None else 100.0 * got.lowest

    return replace(
        duals,
        top_centers=tops,
        per_staff_points=pts(Family.BUDGET_STAFF),
        per_staff_hours=hours(Family.BUDGET_STAFF),
        per_10k_points=pts(Family.BUDGET_FUNDS),
        per_10k_hours=hours(Family.BUDGET_FUNDS),
        per_10_transfers_points=pts(Family.TRANSFERS),
        per_10_transfers_hours=hours(Family.TRANSFERS),
        per_staff_lowest_points=lowest(Family.BUDGET_STAFF),
        per_10k_lowest_points=lowest(Family.BUDGET_FUNDS),
        per_10_transfers_lowest_points=lowest(Family.TRANSFERS),
        partial=partial,
    )


def with_target_costs(
    duals: MarginalValues,
    target: tuple[float | None, float | None, bool],
    partial: bool,
) -> MarginalValues:
    """``duals`` with the cost objective's values: extra cost of one more point of
    target, saving of one point less, and whether the target cannot rise."""
    up, down, cannot_rise = target
    return replace(
        duals,
        cost_per_point_cny=up,
        saving_per_point_cny=down,
        target_cannot_rise=cannot_rise,
        partial=partial,
    )
