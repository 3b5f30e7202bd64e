"""Data: upload a dataset, see every problem, download templates, switch datasets."""

from __future__ import annotations

import streamlit as st

from govopt.i18n import t
from govopt.ui import glossary_view, session, upload_view
from govopt.ui.widgets import escape_md

lang = session.sidebar()
st.title(t("da.title", lang))
st.caption(t("da.in_use", lang, path=escape_md(session.current_path(), code=True)))
if session.state().data_path is not None and st.button(t("da.back_to_sample", lang)):
    session.use_dataset(None)
    st.rerun()

st.subheader(t("da.upload", lang))
st.caption(t("da.upload_help", lang, limit=session.max_upload_bytes() // (1024 * 1024)))
files = st.file_uploader(
    t("da.choose", lang),
    type=list(upload_view.UPLOAD_TYPES),
    accept_multiple_files=True,
    key="da_files",
)
if files:
    folder = upload_view.receive_upload(files, lang)
    usable = folder is not None and upload_view.validation_view(folder, lang)
    if usable and st.button(t("da.use", lang), type="primary", key="da_use"):
        session.use_dataset(folder)
        st.toast(t("da.switched", lang))
        st.rerun()

st.subheader(t("da.templates", lang))
st.caption(t("da.templates_help", lang))
upload_view.template_downloads(lang)

st.subheader(t("da.dictionary", lang))
st.caption(t("da.dictionary_help", lang))
st.page_link("pages/glossary.py", label=t("da.glossary_link", lang), icon=":material/menu_book:")
glossary_view.data_dictionary(lang)
