"""govopt dashboard: navigation and the overview page."""

from __future__ import annotations

import streamlit as st

from govopt.analysis.overview import district_kpis, street_table
from govopt.data.dataset import Dataset
from govopt.i18n import Lang, t
from govopt.plan import Plan
from govopt.ui import session
from govopt.ui.widgets import district_cards, table

st.set_page_config(page_title="govopt", page_icon="🗺️", layout="wide")


def _figures(dataset: Dataset, baseline: Plan | None, lang: Lang) -> None:
    district_cards(district_kpis(dataset, baseline), lang)
    st.subheader(t("ov.by_street", lang))
    table(street_table(dataset, baseline), lang)


def overview() -> None:
    """District KPIs and the table by street; coverage fills in once the baseline is solved."""
    lang = session.sidebar()
    dataset = session.current_dataset()
    st.title(t("app.title", lang))
    st.info(session.dataset_label(dataset, lang))
    slot = st.empty()
    with slot.container():
        _figures(dataset, None, lang)
    with st.spinner(t("ov.computing_baseline", lang)):
        baseline = session.baseline_or_none(dataset, lang)
    if baseline is not None:
        with slot.container():
            _figures(dataset, baseline, lang)
    st.caption(t("ov.baseline_note", lang))


session.sync_url()
lang = session.current_lang()
page = st.navigation(
    [
        st.Page(overview, title=t("nav.overview", lang), icon=":material/home:", default=True),
        st.Page("pages/coverage_map.py", title=t("nav.coverage_map", lang), icon=":material/map:"),
        st.Page("pages/what_if.py", title=t("nav.what_if", lang), icon=":material/tune:"),
        st.Page("pages/scenarios.py", title=t("nav.scenarios", lang), icon=":material/folder:"),
        st.Page("pages/data.py", title=t("nav.data", lang), icon=":material/upload_file:"),
        st.Page("pages/glossary.py", title=t("nav.glossary", lang), icon=":material/menu_book:"),
    ]
)
session.resume_deep_link()
page.run()
