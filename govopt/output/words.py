"""Plans and scenario problems in planner words: the codes and numbers of the core, worded.

The optimiser returns records (:class:`~govopt.plan.Conflict`, marginal
values, a :class:`~govopt.plan.Status`); scenarios return
:class:`~govopt.data.scenario.ScenarioProblem` codes. The app, the command
line and the exports word them here, in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from govopt.data.scenario import Objective, Scenario, ScenarioProblem
from govopt.i18n import Lang, fmt_int, fmt_num, fmt_pct, t
from govopt.optimize.objectives import OBJECTIVE_SPECS
from govopt.plan import Conflict, MarginalValues, Plan, Status

__all__ = [
    "explain_infeasible",
    "explain_marginal",
    "format_gap",
    "objective_label",
    "plan_notes",
    "plan_status",
    "policy_names",
    "problem_text",
    "status_label",
    "status_note",
]

_STATUS_LABELS: Mapping[str, str] = {
    "optimal": "status.optimal",
    "infeasible": "status.infeasible",
    "unbounded": "status.unbounded",
    "time_limit": "status.time_limit",
    "not_solved": "status.not_solved",
    "error": "status.error",
    "feasible": "status.feasible",
    "cancelled": "status.cancelled",
}
_STATUS_NOTES: Mapping[str, str] = {
    "infeasible": "status_note.infeasible",
    "unbounded": "status_note.unbounded",
    "time_limit": "status_note.time_limit",
    "not_solved": "status_note.not_solved",
    "error": "status_note.error",
    "feasible": "status_note.feasible",
    "cancelled": "status_note.cancelled",
}
_PLAN_NOTES: Mapping[str, str] = {
    "start_lp_not_solved": "note.start_lp_not_solved",
    "start_rounding_failed": "note.start_rounding_failed",
    "start_completion_failed": "note.start_completion_failed",
    "start_infeasible": "note.start_infeasible",
    "start_needs_highs": "note.start_needs_highs",
    "start_cancelled": "note.start_cancelled",
}


def status_label(status: Status | str, lang: Lang) -> str:
    """Short name of a solver status (``最优`` / ``optimal``); an unknown one as it is."""
    key = _STATUS_LABELS.get(str(status))
    return t(key, lang) if key else str(status)


def status_note(status: Status | str, lang: Lang) -> str:
    """What a status that is not optimal means and what to do; empty for ``optimal``."""
    key = _STATUS_NOTES.get(str(status))
    return t(key, lang) if key else ""


def format_gap(gap: float) -> str:
    """A relative gap as a percentage with two decimals below 10 % (``0.38%``)."""
    share = 100 * max(gap, 0.0)
    return f"{share:.2f}%" if share < 10 else f"{share:.0f}%"


def plan_status(plan: Plan, lang: Lang) -> str:
    """The plan's status; a feasible one with its gap.

    E.g. ``feasible, not proven optimal (gap 0.38%)``.
    """
    if plan.status is Status.FEASIBLE and plan.gap is not None:
        return t("status.feasible_gap", lang, gap=format_gap(plan.gap))
    return status_label(plan.status, lang)


def objective_label(objective: str, lang: Lang) -> str:
    """Name of an objective as on the scenario form; an unknown one as it is."""
    try:
        return t(Objective(objective).label_key, lang)
    except ValueError:
        return str(objective)


def problem_text(problem: str, lang: Lang) -> str:
    """A scenario problem in ``lang`` (any other text is returned as it is)."""
    if isinstance(problem, ScenarioProblem):
        return t(problem.key, lang, **problem.params)
    return str(problem)


def _count(value: float, lang: Lang) -> str:
    if abs(value - round(value)) < 1e-6:
        return fmt_int(value, lang)
    return fmt_num(value, lang)


_POLICY_NAMES: Mapping[str, str] = {
    "budget_staff": "policy.budget_staff",
    "budget_funds": "policy.budget_funds",
    "min_staff": "policy.min_staff",
    "max_staff": "policy.max_staff",
    "transfers": "policy.transfers",
    "min_funds": "policy.min_funds",
    "funds_moved": "policy.funds_moved",
    "target": "policy.target",
}
_CONFLICT_LINES: Mapping[str, str] = {
    "budget_staff": "model.conflict.budget_staff",
    "budget_funds": "model.conflict.budget_funds",
    "min_staff": "model.conflict.min_staff",
    "max_staff": "model.conflict.max_staff",
    "transfers": "model.conflict.transfers",
    "min_funds": "model.conflict.min_funds",
    "funds_moved": "model.conflict.funds_moved",
    "target": "model.conflict.target",
}
_CNY = frozenset({"budget_funds", "min_funds", "funds_moved"})


def policy_names(families: Sequence[str], scenario: Scenario, lang: Lang) -> str:
    """Policies named in planner words and joined: ``a``, ``a and b``, ``a, b and c``."""
    target = fmt_pct(scenario.coverage_target)
    names = [
        t(_POLICY_NAMES[f], lang, target=target) if f in _POLICY_NAMES else str(f) for f in families
    ]
    if len(names) <= 1:
        return "".join(names)
    return t("policy.comma", lang).join(names[:-1]) + t("policy.and", lang) + names[-1]


def _conflict_with_others(c: Conflict, scenario: Scenario, lang: Lang) -> str:
    number = fmt_int if c.family in _CNY else _count
    one = c.count == 1
    return t(
        _CONFLICT_LINES[c.family],
        lang,
        need=number(c.need, lang),
        allowed=number(c.allowed, lang),
        centers=t("count.center" if one else "count.centers", lang, n=c.count),
        grids=t("count.grid" if one else "count.grids", lang, n=c.count),
        others=policy_names(c.others, scenario, lang),
        target=fmt_pct(scenario.coverage_target),
    )


def _conflict_line(c: Conflict, scenario: Scenario, lang: Lang) -> str:
    if c.others and c.family in _CONFLICT_LINES:
        return _conflict_with_others(c, scenario, lang)
    target = fmt_pct(scenario.coverage_target)
    if c.family == "budget_staff":
        need, allowed = _count(c.need, lang), _count(c.allowed, lang)
        if c.cause == "min_staff":
            return t("model.infeasible_min_staff_budget", lang, need=need, allowed=allowed)
        if c.cause == "target":
            return t(
                "model.infeasible_target_staff", lang, need=need, allowed=allowed, target=target
            )
        return t("model.infeasible_budget_staff", lang, need=need, allowed=allowed)
    if c.family == "budget_funds":
        need, allowed = fmt_int(c.need, lang), fmt_int(c.allowed, lang)
        if c.cause == "target":
            return t(
                "model.infeasible_target_funds", lang, need=need, allowed=allowed, target=target
            )
        return t("model.infeasible_budget_funds", lang, need=need, allowed=allowed)
    if c.family == "min_staff":
        return t("model.infeasible_min_staff", lang, n=c.count, short=fmt_num(c.extra, lang))
    if c.family == "max_staff":
        return t("model.infeasible_max_staff", lang, n=c.count, over=fmt_num(c.extra, lang))
    if c.family == "transfers":
        need, allowed = fmt_num(c.need, lang), fmt_num(c.allowed, lang)
        return t("model.infeasible_transfers", lang, need=need, allowed=allowed)
    if c.family == "min_funds":
        return t("model.infeasible_min_funds", lang, n=c.count, short=fmt_int(c.extra, lang))
    if c.family == "funds_moved":
        need, allowed = fmt_int(c.need, lang), fmt_int(c.allowed, lang)
        return t("model.infeasible_funds_moved", lang, need=need, allowed=allowed)
    if c.family == "target":
        hours = fmt_num(c.extra, lang)
        return t("model.infeasible_target", lang, target=target, n=c.count, hours=hours)
    return t("model.infeasible_unknown", lang)


def explain_infeasible(plan: Plan, lang: Lang) -> list[str]:
    """One sentence per policy of each conflict of an infeasible plan (empty for other plans).

    Each names the policy, what it allows or asks, the other policies of its
    conflict and what they need of it.

    A plan saved before conflicts were recorded shows the sentences it was saved with.
    """
    if plan.status is not Status.INFEASIBLE:
        return []
    if plan.conflicts:
        return [_conflict_line(c, plan.scenario, lang) for c in plan.conflicts]
    saved = plan.saved_explanation.get(lang) or plan.saved_explanation.get("en")
    if saved:
        return list(saved)
    return [t("model.infeasible_unknown", lang)]


def plan_notes(plan: Plan, lang: Lang) -> list[str]:
    """Why a plan is not optimal: the conflicts, what its status means, how it was found."""
    note = status_note(plan.status, lang)
    found = [t(_PLAN_NOTES[code], lang) for code in plan.notes if code in _PLAN_NOTES]
    return explain_infeasible(plan, lang) + ([note] if note else []) + found


def _points(value: float) -> str:
    """Percentage points with the digits that show a small change."""
    return f"{value:,.{2 if abs(value) >= 0.1 else 3}f}"


def _re_solved(m: MarginalValues) -> bool:
    """Whether ``m`` holds re-solved values (plans saved before them hold duals only)."""
    values = (m.per_staff_points, m.per_10k_points, m.per_10_transfers_points)
    gains = (c.gain_points for c in m.top_centers)
    return m.partial or any(v is not None for v in values) or any(g is not None for g in gains)


def _budget_lines(m: MarginalValues, lang: Lang) -> list[str]:
    out: list[str] = []
    budgets = (
        (
            ("marginal.staff", "marginal.staff_zero"),
            (m.per_staff_points, m.per_staff_hours, m.per_staff_lowest_points),
        ),
        (
            ("marginal.funds", "marginal.funds_zero"),
            (m.per_10k_points, m.per_10k_hours, m.per_10k_lowest_points),
        ),
        (
            ("marginal.transfers", "marginal.transfers_zero"),
            (m.per_10_transfers_points, m.per_10_transfers_hours, m.per_10_transfers_lowest_points),
        ),
    )
    for (key, zero), (points, hours, lowest) in budgets:
        if points is None or hours is None:
            continue
        if points < 1e-6 and (lowest is None or lowest < 1e-6):
            out.append(t(zero, lang))
            continue
        out.append(t(key, lang, points=_points(points), hours=fmt_int(hours, lang)))
        if lowest is not None and lowest >= 1e-6:
            out.append(t("marginal.lowest", lang, points=_points(lowest)))
    return out


def _center_lines(m: MarginalValues, lang: Lang) -> list[str]:
    out: list[str] = []
    for i, top in enumerate(m.top_centers, start=1):
        if top.gain_points is None or top.gain_hours is None:
            hours = fmt_num(top.hours_per_staff, lang)
            out.append(t("model.marginal_center", lang, rank=i, name=top.name, hours=hours))
        else:
            points, hours = _points(top.gain_points), fmt_int(top.gain_hours, lang)
            out.append(
                t("marginal.center", lang, rank=i, name=top.name, points=points, hours=hours)
            )
    return out or [t("marginal.centers_none", lang)]


def _cost_lines(plan: Plan, m: MarginalValues, lang: Lang) -> list[str]:
    out = [t("model.marginal_cost", lang)]
    if m.cost_per_point_cny is not None:
        out.append(t("marginal.cost_up", lang, cny=fmt_int(m.cost_per_point_cny, lang)))
    elif m.target_cannot_rise:
        out.append(t("marginal.cost_cannot_rise", lang))
    if m.saving_per_point_cny is not None:
        out.append(t("marginal.cost_down", lang, cny=fmt_int(m.saving_per_point_cny, lang)))
    if plan.scenario.integer_staff:
        out.append(t("marginal.integer_cost", lang))
    if m.partial:
        out.append(t("marginal.partial", lang))
    return out


def _dual_lines(m: MarginalValues, lang: Lang) -> list[str]:
    """The sentences of a plan saved with stage 1's duals only."""
    out: list[str] = []
    duals = (
        ("model.marginal_staff", "model.marginal_staff_slack", m.per_staff),
        ("model.marginal_funds", "model.marginal_funds_slack", m.per_10k_cny),
        ("model.marginal_transfer", "model.marginal_transfer_slack", m.per_transfer),
    )
    for key, slack, value in duals:
        if value is None:
            continue
        if abs(value) < 1e-6:
            out.append(t(slack, lang))
        else:
            out.append(t(key, lang, hours=fmt_num(value, lang)))
    return out + (_center_lines(m, lang) if m.top_centers else [])


def explain_marginal(plan: Plan, lang: Lang) -> list[str]:
    """What one more staff member, 10,000 CNY, ten transfers or a point of target buy.

    Each sentence words one value of :class:`~govopt.plan.MarginalValues`; a plan
    saved before the values were re-solved shows its duals as it was saved.
    """
    m = plan.marginal
    if m is None or not plan.has_values:
        return [t("model.marginal_none", lang)]
    if not OBJECTIVE_SPECS[plan.scenario.objective].marginal_hours:
        return _cost_lines(plan, m, lang)
    if not _re_solved(m):
        return _dual_lines(m, lang) or [t("model.marginal_none", lang)]
    out = _budget_lines(m, lang) + _center_lines(m, lang)
    if plan.scenario.integer_staff:
        out.append(t("marginal.integer", lang))
    if m.partial:
        out.append(t("marginal.partial", lang))
    return out
