"""The coverage map's details panel: the clicked grid's figures and why it is below target."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govopt.data.dataset import Dataset
from govopt.i18n import Lang, t
from govopt.output.indicator_text import grid_details
from govopt.plan import Plan
from govopt.ui.why_view import show_grid_why
from govopt.ui.widgets import text_table

__all__ = ["selected_grid", "show_grid_details"]

_GRID_KEY = "map_grid"


def selected_grid(clicked: str | None, dataset: Dataset) -> str | None:
    """The grid to describe: the one just clicked, else the last one clicked in this dataset."""
    if clicked is not None:
        st.session_state[_GRID_KEY] = clicked
    grid = st.session_state.get(_GRID_KEY)
    if grid is None:
        return None
    known = bool((dataset.grids["grid_id"].astype(str) == str(grid)).any())
    return str(grid) if known else None


def show_grid_details(
    dataset: Dataset,
    grid_id: str | None,
    lang: Lang,
    *,
    table: pd.DataFrame,
    extra: pd.Series,
    plan: Plan | None,
) -> None:
    """Figures of ``grid_id`` (a hint when none) and its diagnosis under ``plan``."""
    st.subheader(t("map.details", lang))
    if grid_id is None:
        st.caption(t("map.click_hint", lang))
        return
    details = grid_details(dataset, grid_id, lang, table=table, extra=extra)
    text_table(details.set_index(details.columns[0]))
    show_grid_why(dataset, plan, grid_id, lang)
