"""Why grids are below target, in words: the what-if table by cause and a grid's own lines."""

from __future__ import annotations

import weakref

import pandas as pd
import streamlit as st

from govopt.analysis.diagnosis import Cause, GridDiagnosis, cause_counts, diagnose
from govopt.data.dataset import Dataset
from govopt.i18n import Lang, fmt_num, fmt_pct, t
from govopt.plan import Plan
from govopt.ui import cache
from govopt.ui.widgets import escape_md, label, table

__all__ = [
    "below_target_table",
    "cause_table",
    "diagnoses",
    "grid_lines",
    "show_below_target",
    "show_grid_why",
]

_CACHE: weakref.WeakKeyDictionary[Plan, tuple[GridDiagnosis, ...]] = weakref.WeakKeyDictionary()


def diagnoses(dataset: Dataset, plan: Plan) -> tuple[GridDiagnosis, ...]:
    """:func:`govopt.analysis.diagnosis.diagnose`, once per plan object (on the links
    the dataset's solves use)."""
    found = _CACHE.get(plan)
    if found is None:
        links = cache.center_links(dataset, plan.scenario.radius_m) if plan.has_values else None
        found = diagnose(dataset, plan, links=links)
        _CACHE[plan] = found
    return found


_LABELS: dict[Cause, str] = {
    Cause.NO_CENTER_IN_REACH: "why.cause.no_center_in_reach",
    Cause.CENTERS_FULL: "why.cause.centers_full",
    Cause.BUDGET_BINDS: "why.cause.budget_binds",
    Cause.SERVED_ELSEWHERE: "why.cause.served_elsewhere",
}
_EXPLAIN: dict[Cause, str] = {
    Cause.NO_CENTER_IN_REACH: "why.explain.no_center_in_reach",
    Cause.CENTERS_FULL: "why.explain.centers_full",
    Cause.BUDGET_BINDS: "why.explain.budget_binds",
    Cause.SERVED_ELSEWHERE: "why.explain.served_elsewhere",
}


def _cause(cause: Cause, lang: Lang) -> str:
    return t(_LABELS[cause], lang)


def cause_table(found: tuple[GridDiagnosis, ...], lang: Lang) -> pd.DataFrame:
    """One row per cause: ``cause`` (in words) and ``grids`` (count)."""
    counts = cause_counts(found)
    return pd.DataFrame(
        {"cause": [_cause(c, lang) for c in counts], "grids": list(counts.values())}
    )


def below_target_table(found: tuple[GridDiagnosis, ...], lang: Lang) -> pd.DataFrame:
    """One row per grid below target: cause in words, coverage, unmet hours, one more staff."""
    return pd.DataFrame(
        {
            "grid_id": [d.grid_id for d in found],
            "name": [d.name for d in found],
            "street": [d.street for d in found],
            "cause": [_cause(d.cause, lang) for d in found],
            "coverage": [d.coverage for d in found],
            "unmet_hours": [d.unmet_hours for d in found],
            "best_center": [d.one_more.name if d.one_more else "" for d in found],
            "one_more_gain": [d.one_more.coverage_gain if d.one_more else None for d in found],
        }
    )


def show_below_target(dataset: Dataset, plan: Plan, lang: Lang) -> None:
    """The what-if section: counts per cause, then every grid below target."""
    st.subheader(t("why.title", lang))
    target = fmt_pct(plan.scenario.coverage_target, 0)
    found = diagnoses(dataset, plan)
    if not found:
        st.success(t("why.none", lang, target=target))
        return
    st.warning(t("why.summary", lang, n=len(found), target=target))
    table(cause_table(found, lang), lang)
    table(below_target_table(found, lang), lang, pct=("one_more_gain",), height=320)
    st.caption(t("why.upper_bound", lang))


def grid_lines(d: GridDiagnosis, lang: Lang) -> list[str]:
    """Markdown lines explaining one grid's diagnosis (user names escaped)."""
    lines = [
        f"**{escape_md(_cause(d.cause, lang))}**",
        t(_EXPLAIN[d.cause], lang, n=len(d.centers)),
        t(
            "why.coverage",
            lang,
            coverage=fmt_pct(d.coverage),
            target=fmt_pct(d.target, 0),
            hours=fmt_num(d.unmet_hours, lang, 0),
        ),
    ]
    for c in d.centers:
        load = "—" if c.load is None else fmt_pct(c.load)
        text = t(
            "why.center_load",
            lang,
            name=escape_md(c.name),
            level=label(f"level_{c.level}", lang),
            distance=fmt_num(c.distance_m, lang, 0),
            load=load,
            staff=fmt_num(c.staff, lang),
            max_staff=fmt_num(c.max_staff, lang),
        )
        lines.append(f"- {text}")
    if d.one_more is not None:
        gain = fmt_num(d.one_more.coverage_gain * 100, lang)
        lines.append(t("why.one_more", lang, name=escape_md(d.one_more.name), gain=gain))
    elif d.centers:
        lines.append(t("why.no_one_more", lang))
    return lines


def show_grid_why(dataset: Dataset, plan: Plan | None, grid_id: str, lang: Lang) -> None:
    """A grid's coverage under ``plan``: why it is below target, or that it is not."""
    st.markdown("**" + t("why.details", lang) + "**")
    if plan is None or not plan.has_values:
        st.caption(t("why.solve_first", lang))
        return
    found = next((d for d in diagnoses(dataset, plan) if d.grid_id == grid_id), None)
    if found is None:
        target = fmt_pct(plan.scenario.coverage_target, 0)
        st.caption(t("why.meets_target", lang, target=target))
        return
    st.markdown("\n\n".join(grid_lines(found, lang)))
