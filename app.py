"""govopt dashboard: navigation and the overview page."""

from __future__ import annotations

import streamlit as st

from govopt.i18n import t
from govopt.overview import district_kpis, street_table
from govopt.ui import session
from govopt.ui.widgets import district_cards, table

st.set_page_config(page_title="govopt", page_icon="🗺️", layout="wide")


def overview() -> None:
    """District KPIs and the table by street for the dataset in use."""
    lang = session.sidebar()
    dataset = session.current_dataset()
    st.title(t("app.title", lang))
    st.info(session.dataset_label(dataset, lang))
    baseline = session.baseline_or_none(dataset, lang)
    district_cards(district_kpis(dataset, baseline), lang)
    st.subheader(t("ov.by_street", lang))
    table(street_table(dataset, baseline), lang)
    st.caption(t("ov.baseline_note", lang))


lang = session.current_lang()
page = st.navigation(
    [
        st.Page(overview, title=t("nav.overview", lang), icon="🏠", default=True),
        st.Page("pages/coverage_map.py", title=t("nav.coverage_map", lang), icon="🗺️"),
        st.Page("pages/what_if.py", title=t("nav.what_if", lang), icon="⚖️"),
        st.Page("pages/scenarios.py", title=t("nav.scenarios", lang), icon="📁"),
        st.Page("pages/data.py", title=t("nav.data", lang), icon="📤"),
    ]
)
page.run()
