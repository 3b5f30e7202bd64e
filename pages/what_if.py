"""What-if allocation: edit a scenario, solve it, read and save the plan."""

from __future__ import annotations

import streamlit as st

from govopt.i18n import t
from govopt.ui import plan_view, session
from govopt.ui.widgets import escape_md, scenario_form

lang = session.sidebar()
dataset = session.current_dataset()
st.title(t("wi.title", lang))
st.caption(t("wi.intro", lang))

scenario = scenario_form(session.default_scenario(dataset), lang)
if scenario is not None:
    plan_view.solve_with_progress(session.dataset_key(), scenario, lang)
plan_view.cancelled_notice(lang)

last = session.last_solve()
if last is None:
    st.info(t("wi.hint", lang))
    st.stop()

st.divider()
st.caption(t("wi.showing", lang, name=escape_md(last.plan.scenario.name)))
plan_view.show_plan(dataset, last, lang)
st.divider()
plan_view.save_form(last.plan, dataset.name, lang)
