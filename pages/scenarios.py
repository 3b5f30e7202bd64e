"""Saved scenarios: list, compare two, export one, rename or delete."""

from __future__ import annotations

import streamlit as st

from govopt.i18n import t
from govopt.output.store import StoreError
from govopt.ui import saved_view, session
from govopt.ui.widgets import escape_md

lang = session.sidebar()
dataset = session.current_dataset()
st.title(t("sc.title", lang))
store = session.scenario_store(lang)
if store is None:
    st.stop()
st.caption(t("sc.where", lang, path=escape_md(store.path, code=True)))
if store.read_only:
    st.warning(session.store_message(StoreError("read_only", store.path), lang))

try:
    saved = store.list()
except StoreError as exc:
    st.error(session.store_message(exc, lang))
    st.stop()
if not saved:
    saved_view.manage_message()
    st.info(t("sc.empty", lang))
    st.stop()

saved_view.saved_table(saved, lang)
names = [s.name for s in saved]
compare_tab, export_tab, manage_tab = st.tabs(
    [t("sc.tab_compare", lang), t("sc.tab_export", lang), t("sc.tab_manage", lang)]
)
try:
    with compare_tab:
        saved_view.compare_view(store, names, dataset, lang)
    with export_tab:
        saved_view.export_view(store, names, dataset, lang)
    with manage_tab:
        saved_view.manage_view(store, names, lang)
except StoreError as exc:
    st.error(session.store_message(exc, lang))
