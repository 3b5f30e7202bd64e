"""Coverage map: one indicator per grid, centers and organizations, details of a clicked grid."""

from __future__ import annotations

import streamlit as st

from govopt.analysis import indicators
from govopt.i18n import fmt_int, t
from govopt.output.help_text import help_text
from govopt.output.maps import indicator_map, selected_grid_layer, standalone_html
from govopt.output.words import status_note
from govopt.plan import Plan
from govopt.ui import cache, grid_view, session
from govopt.ui.mapview import last_click, render_legend, render_map
from govopt.ui.widgets import escape_md

lang = session.sidebar()
dataset = session.current_dataset()
key = session.dataset_key()
st.title(t("map.page_title", lang))

online = st.sidebar.checkbox(t("map.online_tiles", lang), value=False, key="map_online")
last = session.last_solve()
choices = indicators.catalogue(dataset, with_plans=True)
if last is None:
    choices = tuple(i for i in choices if i.plans == 0 or i.id == "baseline_coverage")
elif last.baseline is None:
    choices = tuple(i for i in choices if i.id != "coverage_change")
labels = {i.id: i.label(lang) for i in choices}
default = "staff_per_10k" if last is None else "plan_coverage"

show_centers = st.sidebar.checkbox(t("map.show_centers", lang), value=True, key="map_centers")
show_orgs = st.sidebar.checkbox(t("map.show_orgs", lang), value=False, key="map_orgs")
c1, c2 = st.columns([3, 2])
ids = list(labels)
remembered = st.session_state.get("map_choice", {}).get("indicator")
indicator = c1.selectbox(
    t("map.indicator", lang),
    ids,
    index=ids.index(remembered if remembered in ids else default),
    format_func=labels.__getitem__,
    key=f"map_indicator_{lang}",
)
c1.caption(help_text(indicator, lang) or "")
streets: list[str | None] = [None, *sorted(dataset.grids["street"].astype(str).unique())]
remembered = st.session_state.get("map_choice", {}).get("street")
street = c2.selectbox(
    t("map.street_filter", lang),
    streets,
    index=streets.index(remembered) if remembered in streets else 0,
    format_func=lambda s: t("map.all_streets", lang) if s is None else s,
    key=f"map_street_{lang}",
)
st.session_state["map_choice"] = {"indicator": indicator, "street": street}

plan: Plan | None = None
other: Plan | None = None
if indicator == "baseline_coverage" and last is None:
    with st.spinner(t("map.solving", lang)):
        plan = cache.baseline_cached(key, session.default_scenario(dataset))
elif indicator == "coverage_change" and last is not None:
    plan, other = last.baseline, last.plan
elif last is not None:
    plan = last.plan
if indicators.get(indicator).plans and (plan is None or not plan.has_values):
    reason = status_note(plan.status, lang) if plan is not None else ""
    st.warning(t("map.plan_failed", lang, reason=escape_md(reason)))
    indicator, plan, other = "staff_per_10k", None, None

options = dict(
    plan=plan, other=other, street=street, show_centers=show_centers, show_orgs=show_orgs
)
view = cache.map_cached(key, indicator, lang=lang, online_tiles=online, **options)


def offline_html() -> bytes:
    table = cache.indicators_cached(key)
    fresh = indicator_map(
        dataset, indicator, lang=lang, table=table, online_tiles=online, **options
    )
    return standalone_html(fresh.map, fresh.legend, title=dataset.name).encode("utf-8")


left, right = st.columns([4, 1.4])
with left:
    chosen = grid_view.selected_grid(last_click("coverage_map"), dataset)
    outline = selected_grid_layer(dataset, chosen, lang)
    clicked = render_map(view.script, key="coverage_map", height=600, clickable=True,
                         overlay=outline)  # fmt: skip
with right:
    render_legend(view.legend)
    in_street = dataset.grids["street"].astype(str) == street
    n = int(in_street.sum()) if street else len(dataset.grids)
    st.caption(t("map.grids_shown", lang, n=fmt_int(n, lang)))
    if view.unlisted:
        sep = "、" if lang == "zh" else ", "
        st.caption(t("map.unlisted", lang, layers=escape_md(sep.join(view.unlisted))))
    grid_view.show_grid_details(
        dataset,
        grid_view.selected_grid(clicked, dataset),
        lang,
        table=cache.indicators_cached(key),
        extra=view.values,
        plan=last.plan if last is not None else None,
    )
    st.download_button(
        t("map.download", lang),
        data=offline_html,
        file_name="govopt-map.html",
        mime="text/html",
    )
