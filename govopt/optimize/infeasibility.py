"""Why a scenario is infeasible: an elastic re-solve with penalised slacks on policy rows."""

from __future__ import annotations

import numpy as np

from govopt.data.scenario import Scenario
from govopt.i18n import fmt_int, fmt_num, fmt_pct, t
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.families import Family
from govopt.optimize.inputs import ModelInputs
from govopt.plan import Status

__all__ = ["explain_infeasible"]

_EPS = 1e-6


def _count(value: float, lang: str) -> str:
    if abs(value - round(value)) < 1e-6:
        return fmt_int(value, lang)
    return fmt_num(value, lang)


def _lines(
    inputs: ModelInputs, scenario: Scenario, slacks: dict[Family, np.ndarray], lang: str
) -> list[str]:
    out: list[str] = []
    total = {fam: float(v.sum()) for fam, v in slacks.items()}
    min_need = float(inputs.min_staff.sum())
    who = "target" if Family.TARGET in slacks else "budget"
    if total.get(Family.BUDGET_STAFF, 0.0) > _EPS:
        allowed = float(scenario.staff_total or 0.0)
        if min_need > allowed + _EPS:
            out.append(
                t(
                    "model.infeasible_min_staff_budget",
                    lang,
                    need=_count(min_need, lang),
                    allowed=_count(allowed, lang),
                )
            )
        else:
            out.append(
                t(
                    f"model.infeasible_{who}_staff",
                    lang,
                    need=_count(allowed + total[Family.BUDGET_STAFF], lang),
                    allowed=_count(allowed, lang),
                    target=fmt_pct(scenario.coverage_target),
                )
            )
    if total.get(Family.BUDGET_FUNDS, 0.0) > _EPS:
        allowed = float(scenario.funds_total_cny or 0.0)
        out.append(
            t(
                f"model.infeasible_{who}_funds",
                lang,
                need=fmt_int(allowed + total[Family.BUDGET_FUNDS], lang),
                allowed=fmt_int(allowed, lang),
                target=fmt_pct(scenario.coverage_target),
            )
        )
    if total.get(Family.MIN_STAFF, 0.0) > _EPS:
        n = int((slacks[Family.MIN_STAFF] > _EPS).sum())
        out.append(
            t("model.infeasible_min_staff", lang, n=n, short=fmt_num(total[Family.MIN_STAFF], lang))
        )
    if total.get(Family.MAX_STAFF, 0.0) > _EPS:
        n = int((slacks[Family.MAX_STAFF] > _EPS).sum())
        out.append(
            t("model.infeasible_max_staff", lang, n=n, over=fmt_num(total[Family.MAX_STAFF], lang))
        )
    if total.get(Family.TRANSFERS, 0.0) > _EPS:
        allowed = float(scenario.max_transfers or 0.0)
        out.append(
            t(
                "model.infeasible_transfers",
                lang,
                need=fmt_num(allowed + total[Family.TRANSFERS], lang),
                allowed=fmt_num(allowed, lang),
            )
        )
    if total.get(Family.TARGET, 0.0) > _EPS:
        n = int((slacks[Family.TARGET] > _EPS).sum())
        out.append(
            t(
                "model.infeasible_target",
                lang,
                target=fmt_pct(scenario.coverage_target),
                n=n,
                hours=fmt_num(total[Family.TARGET], lang),
            )
        )
    return out or [t("model.infeasible_unknown", lang)]


def explain_infeasible(
    inputs: ModelInputs, scenario: Scenario, solver_name: str | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Name the conflicting policies with numbers, in English and Chinese.

    Returns
    -------
    en, zh : tuple of str
        One sentence per policy family whose slack is used.
    """
    model = AllocationModel(inputs, scenario.replace(integer_staff=False), elastic=True)
    sol = model.solve(solver_name)
    if sol.status is not Status.OPTIMAL:
        return (t("model.infeasible_unknown", "en"),), (t("model.infeasible_unknown", "zh"),)
    return (
        tuple(_lines(inputs, scenario, sol.slacks, "en")),
        tuple(_lines(inputs, scenario, sol.slacks, "zh")),
    )
