"""What-if allocation: edit a scenario, solve it, read and save the plan."""

from __future__ import annotations

from functools import partial

import streamlit as st

from govopt.i18n import t
from govopt.ui import plan_view, session
from govopt.ui.widgets import escape_md, scenario_form

lang = session.sidebar()
dataset = session.current_dataset()
key = session.dataset_key()
st.title(t("wi.title", lang))
st.caption(t("wi.intro", lang))

shown = session.form_scenario(key) or session.default_scenario(dataset)
scenario = scenario_form(shown, lang, remember=partial(session.remember_form, key))
if scenario is not None:
    plan_view.solve_with_progress(key, scenario, lang)
plan_view.cancelled_notice(lang)

last = session.last_solve()
if last is None:
    st.info(t("wi.hint", lang))
    st.stop()

st.divider()
st.caption(t("wi.showing", lang, name=escape_md(last.plan.scenario.name)))
plan_view.previous_settings_notice(session.form_scenario(key), last.plan, lang)
plan_view.show_plan(dataset, last, lang)
if last.plan.has_values:
    st.divider()
    plan_view.save_form(last.plan, dataset.name, lang)
