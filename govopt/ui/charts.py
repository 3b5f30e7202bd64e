"""Plan charts (Altair, drawn by Streamlit's own Vega-Lite): coverage by street, resources by
level and the spread of grid coverage, before and after."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from govopt.analysis.plan_charts import (
    SERIES,
    coverage_by_street,
    coverage_histogram,
    resources_by_level,
)
from govopt.i18n import Lang, t
from govopt.plan import Plan

__all__ = ["plan_charts", "series_names"]

_COLORS = ("#a6a6a6", "#2c7bb6")
_LEVEL_KEYS = {
    "street": "ch.level_street",
    "community": "ch.level_community",
    "grid": "ch.level_grid",
}
_BAR_PX = 11
_SMALL_PX = 260


def series_names(lang: Lang, a: str | None = None, b: str | None = None) -> tuple[str, str]:
    """Legend names of the two series: today and the plan, or plans ``a`` and ``b``."""
    if a is None or b is None:
        return t("ch.today", lang), t("ch.plan", lang)
    return t("ch.plan_a", lang, name=a), t("ch.plan_b", lang, name=b)


def _named(df: pd.DataFrame, names: tuple[str, str]) -> pd.DataFrame:
    return df.assign(name=df["series"].map(dict(zip(SERIES, names, strict=True))))


def _color(names: tuple[str, str], *, small: bool = False) -> alt.Color:
    """The two series' colors; a small chart lists them below it, one a line, so long
    scenario names are not cut."""
    legend = (
        alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=220)
        if small
        else alt.Legend(title=None, orient="top", labelLimit=360)
    )
    return alt.Color(
        "name:N",
        scale=alt.Scale(domain=list(names), range=list(_COLORS)),
        sort=list(names),
        legend=legend,
    )


def _street_chart(after: Plan, before: Plan | None, names: tuple[str, str], lang: Lang) -> Any:
    df = _named(coverage_by_street(after, before), names)
    order = list(dict.fromkeys(df["street"]))
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("street:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
            yOffset=alt.YOffset("name:N", sort=list(names)),
            x=alt.X(
                "coverage:Q",
                title=t("col.coverage", lang),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%"),
            ),
            color=_color(names),
            tooltip=[
                alt.Tooltip("street:N", title=t("col.street", lang)),
                alt.Tooltip("name:N", title=t("ch.series", lang)),
                alt.Tooltip("coverage:Q", title=t("col.coverage", lang), format=".1%"),
                alt.Tooltip("demand_hours:Q", title=t("col.demand_hours", lang), format=",.0f"),
            ],
        )
        .properties(height=alt.Step(_BAR_PX))  # per bar: two bars a street
    )


def _level_chart(
    after: Plan, before: Plan | None, names: tuple[str, str], lang: Lang, measure: str
) -> Any:
    df = _named(resources_by_level(after, before), names)
    df["level_name"] = [t(_LEVEL_KEYS[lv], lang) for lv in df["level"]]
    levels = list(dict.fromkeys(df["level_name"]))
    if measure == "staff":
        field, title, fmt = "staff", t("ch.staff_axis", lang), ",.0f"
    else:  # in 万元 (Chinese) or millions (English): the sums are large
        scale = 1e6 if lang == "en" else 1e4
        df["funds_shown"] = df["funds_cny"] / scale
        field, title, fmt = "funds_shown", t("ch.funds_axis", lang), ",~f"
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("level_name:N", sort=levels, title=None, axis=alt.Axis(labelLimit=110)),
            yOffset=alt.YOffset("name:N", sort=list(names)),
            x=alt.X(f"{field}:Q", title=title, axis=alt.Axis(format=fmt, tickCount=4)),
            color=_color(names, small=True),
            tooltip=[
                alt.Tooltip("level_name:N", title=t("col.level", lang)),
                alt.Tooltip("name:N", title=t("ch.series", lang)),
                alt.Tooltip("centers:Q", title=t("col.centers", lang), format=",d"),
                alt.Tooltip(f"{field}:Q", title=title, format=",.1f"),
            ],
        )
        .properties(height=_SMALL_PX)
    )


def _histogram(after: Plan, before: Plan | None, names: tuple[str, str], lang: Lang) -> Any:
    df = _named(coverage_histogram(after, before), names)
    df["band"] = [
        f"{lo * 100:.0f}–{hi * 100:.0f}" for lo, hi in zip(df["lower"], df["upper"], strict=True)
    ]
    bands = list(dict.fromkeys(df["band"]))
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(
                "band:N",
                sort=bands,
                title=t("ch.coverage_band", lang),
                axis=alt.Axis(labelAngle=-45, labelOverlap=False),
            ),
            xOffset=alt.XOffset("name:N", sort=list(names)),
            y=alt.Y("grids:Q", title=t("ch.grids_axis", lang), axis=alt.Axis(format=",d")),
            color=_color(names, small=True),
            tooltip=[
                alt.Tooltip("band:N", title=t("ch.coverage_band", lang)),
                alt.Tooltip("name:N", title=t("ch.series", lang)),
                alt.Tooltip("grids:Q", title=t("ch.grids_axis", lang), format=",d"),
            ],
        )
        .properties(height=_SMALL_PX)
    )


def plan_charts(
    after: Plan,
    lang: Lang,
    *,
    before: Plan | None = None,
    names: tuple[str, str] | None = None,
    key: str,
) -> None:
    """Draw the three charts of ``after`` against ``before`` (default: today).

    ``names`` are the legend names of ``before`` and ``after`` (see
    :func:`series_names`); ``key`` keeps the charts of two views apart.
    """
    if not after.optimal or (before is not None and not before.optimal):
        return
    shown = names or series_names(lang)
    st.markdown("**" + t("ch.by_street", lang) + "**")
    st.altair_chart(_street_chart(after, before, shown, lang), width="stretch", key=f"{key}_street")
    left, mid, right = st.columns([1, 1, 2])
    for col, title_key, chart, part in (
        (left, "ch.staff_by_level", _level_chart(after, before, shown, lang, "staff"), "staff"),
        (mid, "ch.funds_by_level", _level_chart(after, before, shown, lang, "funds"), "funds"),
        (right, "ch.histogram", _histogram(after, before, shown, lang), "hist"),
    ):
        with col:
            st.markdown("**" + t(title_key, lang) + "**")
            st.altair_chart(chart, width="stretch", key=f"{key}_{part}")
