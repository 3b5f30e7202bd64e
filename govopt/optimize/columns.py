"""What the family and objective builders see of a model: its inputs and its columns."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pulp

from govopt.data.scenario import Scenario
from govopt.optimize.inputs import ModelInputs

__all__ = ["ModelColumns"]


class ModelColumns(Protocol):
    """The columns of an allocation model, as ``define_*`` functions and objectives use them.

    :class:`~govopt.optimize.allocation.AllocationModel` is the one
    implementation; builders may add columns (``dec``, ``fund_dec``, ``t``, ``moved_*``).
    """

    inputs: ModelInputs
    scenario: Scenario
    prob: pulp.LpProblem
    staff: list[pulp.LpVariable]
    funds: list[pulp.LpVariable]
    x: list[pulp.LpVariable]
    y: list[pulp.LpVariable]
    y_q: np.ndarray
    dec: list[pulp.LpVariable]
    fund_dec: list[pulp.LpVariable]
    t: pulp.LpVariable | None
    moved_staff: list[pulp.LpVariable]
    moved_funds: list[pulp.LpVariable]
    served_centers: np.ndarray
    link_center_row: np.ndarray
    grids_served: np.ndarray
    policy_optimum: tuple[pulp.LpAffineExpression, float, str] | None

    def grid_sums(self) -> list[pulp.LpAffineExpression]:
        """``served_g`` per served grid."""
        ...
