"""Shadow prices of the allocation LP, in planner words."""

from __future__ import annotations

import numpy as np

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.i18n import fmt_num, t
from govopt.optimize.allocation import Solution
from govopt.optimize.families import Family
from govopt.optimize.objectives import OBJECTIVE_SPECS
from govopt.plan import MarginalValues, Plan, TopCenter

__all__ = ["explain_marginal", "marginal_values"]

TOP_CENTERS = 5


def marginal_values(solution: Solution, dataset: Dataset, scenario: Scenario) -> MarginalValues:
    """Duals as covered (priority-weighted) hours per extra staff, 10,000 CNY and transfer.

    Only the coverage and equity objectives measure covered hours; under ``cost``
    every value is ``None``.
    """
    if not OBJECTIVE_SPECS[scenario.objective].marginal_hours:
        return MarginalValues(None, None, None, ())
    d = solution.duals
    per_staff = d.get(Family.BUDGET_STAFF)
    per_funds = d.get(Family.BUDGET_FUNDS)
    per_10k = None if per_funds is None else per_funds * 10_000
    per_center = solution.staff_hour_duals * scenario.work_hours_per_staff
    order = np.argsort(-per_center, kind="stable")[:TOP_CENTERS]
    c = dataset.centers
    top = tuple(
        TopCenter(
            str(c["center_id"].iat[i]),
            str(c["name"].iat[i]),
            str(c["level"].iat[i]),
            float(per_center[i]),
        )
        for i in order.tolist()
        if per_center[i] > 1e-9
    )
    return MarginalValues(per_staff, per_10k, d.get(Family.TRANSFERS), top)


def explain_marginal(plan: Plan, lang: str = "zh") -> list[str]:
    """Sentences that say what one more staff member, 10,000 CNY or transfer would add."""
    m = plan.marginal
    if m is None or not plan.optimal:
        return [t("model.marginal_none", lang)]
    if not OBJECTIVE_SPECS[plan.scenario.objective].marginal_hours:
        return [t("model.marginal_cost", lang)]
    out: list[str] = []
    for key, value in (
        ("model.marginal_staff", m.per_staff),
        ("model.marginal_funds", m.per_10k_cny),
        ("model.marginal_transfer", m.per_transfer),
    ):
        if value is None:
            continue
        if abs(value) < 1e-6:
            out.append(t(key + "_slack", lang))
        else:
            out.append(t(key, lang, hours=fmt_num(value, lang)))
    for i, top in enumerate(m.top_centers, start=1):
        out.append(
            t(
                "model.marginal_center",
                lang,
                rank=i,
                name=top.name,
                hours=fmt_num(top.hours_per_staff, lang),
            )
        )
    return out or [t("model.marginal_none", lang)]
