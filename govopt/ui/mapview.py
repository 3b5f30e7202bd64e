"""Streamlit rendering of govopt maps: the map component and the legend beside it.

A map is turned into what streamlit-folium's component draws (:class:`MapScript`)
once, by :func:`map_script`; :func:`render_map` only hands that over. So a map
kept by :func:`govopt.ui.cache.map_cached` is neither rebuilt nor serialised
again when its page reruns (at 50,000 grids that was about a second each time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import folium
import folium.elements
import pandas as pd
import streamlit as st
import streamlit_folium

from govopt.output.maps import Legend, MapView, legend_html

__all__ = [
    "MapScript",
    "ShownMap",
    "clicked_grid",
    "last_click",
    "map_script",
    "render_legend",
    "render_map",
    "shown_map",
]


@dataclass(frozen=True)
class MapScript:
    """A map as streamlit-folium's component takes it: its script, header and links.

    ``digest`` names the map's content (element ids aside), so that the same
    map made again is the same component and keeps its zoom.
    """

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    digest: str


def _links(m: Any) -> Iterator[Any]:
    if isinstance(m, folium.elements.JSCSSMixin):
        yield m
    for child in getattr(m, "_children", {}).values():
        yield from _links(child)


def map_script(m: folium.Map) -> MapScript:
    """What :func:`streamlit_folium.st_folium` sends for ``m``, made once (``m`` is changed
    by it: draw it only through the result)."""
    sf: Any = streamlit_folium
    root: Any = m.get_root()
    root.render()
    m.render()  # type: ignore[no-untyped-call]  # as st_folium does
    html, header, script = sf._get_html(m), sf._get_header(m), sf._get_map_string(m)
    css = [href for e in _links(m) for _, href in getattr(e, "default_css", [])]
    js = [src for e in _links(m) for _, src in getattr(e, "default_js", [])]
    return MapScript(
        script=script,
        header=header,
        html=html,
        map_id=sf.get_full_id(m),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        digest=sf.generate_js_hash(script, None, False),
    )


@dataclass(frozen=True, eq=False)
class ShownMap:
    """A built map ready to draw: its script, legend, the values drawn (by ``grid_id``)
    and the center layers left out (see :class:`govopt.output.maps.MapView`)."""

    script: MapScript
    legend: Legend
    values: pd.Series
    unlisted: tuple[str, ...] = ()


def shown_map(view: MapView) -> ShownMap:
    """``view`` with its map turned into a :class:`MapScript` (the folium map is let go)."""
    return ShownMap(map_script(view.map), view.legend, view.values, view.unlisted)


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


def _overlay_script(overlay: folium.FeatureGroup) -> str:
    sf: Any = streamlit_folium
    host = folium.Map(tiles=None)
    return str(sf._get_feature_group_string(overlay, map=host, idx=0))


def render_map(
    drawn: MapScript,
    *,
    key: str,
    height: int = 560,
    clickable: bool = False,
    overlay: folium.FeatureGroup | None = None,
) -> str | None:
    """Draw a map with Leaflet served by the app; return the clicked ``grid_id`` when clickable.

    Only a clickable map sends interactions back to the server (one rerun per
    click); other maps return nothing and never rerun the page. ``overlay``
    (e.g. the selected grid's outline) is drawn over the map and may change
    from one run to the next without redrawing the map, which keeps its zoom.
    """
    returned = ["last_active_drawing"] if clickable else []
    component = hashlib.sha256(f"{drawn.digest}|{key}".encode()).hexdigest()

    def remember() -> None:
        st.session_state[key] = st.session_state.get(component, {})

    sf: Any = streamlit_folium
    state = sf._component_func(
        script=drawn.script,
        header=drawn.header,
        html=drawn.html,
        id=drawn.map_id,
        key=component,
        height=height,
        width=None,
        returned_objects=returned,
        default={name: None for name in returned},
        zoom=None,
        center=None,
        feature_group=None if overlay is None else _overlay_script(overlay),
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(drawn.css_links),
        js_links=list(drawn.js_links),
        on_change=remember,
        wrap_longitude=False,
    )
    return clicked_grid(state) if clickable else None


def render_legend(legend: Legend) -> None:
    """Draw the legend as escaped HTML next to the map."""
    st.html(legend_html(legend))
