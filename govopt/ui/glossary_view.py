"""The glossary page: what coverage, WISN, the stages of a plan and the other terms mean."""

from __future__ import annotations

import streamlit as st

from govopt.data.schema import RATING_QUALITY
from govopt.data.templates import data_dictionary_markdown
from govopt.i18n import Lang, t

__all__ = ["TERMS", "data_dictionary", "glossary"]

# (term, explanation) keys, in reading order.
TERMS: tuple[tuple[str, str], ...] = (
    ("gl.coverage.term", "gl.coverage.text"),
    ("gl.wisn.term", "gl.wisn.text"),
    ("gl.stages.term", "gl.stages.text"),
    ("gl.marginal.term", "gl.marginal.text"),
    ("gl.priority.term", "gl.priority.text"),
    ("gl.radius.term", "gl.radius.text"),
    ("gl.rating.term", "gl.rating.text"),
)


def _rating_params(lang: Lang) -> dict[str, str]:
    sep = ", " if lang == "en" else "、"
    names = {"none": t("rating.none", lang)}
    qualities = sep.join(f"{names.get(r, r)} {q:.1f}" for r, q in RATING_QUALITY.items())
    return {"qualities": qualities, "example": f"{100 * RATING_QUALITY['3A']:.0f}"}


def glossary(lang: Lang) -> None:
    """Every term with its explanation, then a link to the data dictionary."""
    st.title(t("gl.title", lang))
    st.caption(t("gl.intro", lang))
    for term, text in TERMS:
        st.subheader(t(term, lang))
        params = _rating_params(lang) if term == "gl.rating.term" else {}
        st.markdown(t(text, lang, **params))
    st.divider()
    st.page_link("pages/data.py", label=t("gl.dictionary", lang), icon=":material/table_view:")


def data_dictionary(lang: Lang) -> None:
    """The data dictionary (both languages, from the schema) in an expander."""
    with st.expander(t("da.dictionary", lang)):
        body = data_dictionary_markdown().split("\n", 1)[1]
        lines = [ln for ln in body.splitlines() if not ln.startswith("Generated from ")]
        st.markdown("\n".join(lines))
