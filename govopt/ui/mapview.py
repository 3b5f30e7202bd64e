"""Streamlit rendering of govopt maps: the map component and the legend beside it."""

from __future__ import annotations

from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from govopt.output.maps import Legend, legend_html

__all__ = ["clicked_grid", "last_click", "render_legend", "render_map"]


def clicked_grid(state: Any) -> str | None:
    """The ``grid_id`` of the last clicked grid in a ``st_folium`` result, if any."""
    if not isinstance(state, dict):
        return None
    drawing = state.get("last_active_drawing")
    if not isinstance(drawing, dict):
        return None
    props = drawing.get("properties")
    if not isinstance(props, dict) or props.get("grid_id") is None:
        return None
    return str(props["grid_id"])


def last_click(key: str) -> str | None:
    """The ``grid_id`` last clicked on the map drawn with ``key``, known before it is drawn."""
    return clicked_grid(st.session_state.get(key))


def render_map(
    m: folium.Map,
    *,
    key: str,
    height: int = 560,
    clickable: bool = False,
    overlay: folium.FeatureGroup | None = None,
) -> str | None:
    """Draw ``m`` with Leaflet served by the app; return the clicked ``grid_id`` when clickable.

    Only a clickable map sends interactions back to the server (one rerun per
    click); other maps return nothing and never rerun the page. ``overlay``
    (e.g. the selected grid's outline) is drawn over the map and may change
    from one run to the next without redrawing the map, which keeps its zoom.
    """
    state = st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_active_drawing"] if clickable else [],
        feature_group_to_add=overlay,
    )
    return clicked_grid(state) if clickable else None


def render_legend(legend: Legend) -> None:
    """Draw the legend as escaped HTML next to the map."""
    st.html(legend_html(legend))
