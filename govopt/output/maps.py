"""Folium map builders: grid choropleths on an offline basemap, and their legends.

Maps load Leaflet from the app itself (``/app/static/leaflet/``) and draw no
tiles unless asked: the basemap is the district outline and the street
outlines with their names. :func:`standalone_html` inlines Leaflet into one
self-contained file. Every name a user typed is HTML-escaped.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
import re
import weakref
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from folium.template import Template
from folium.utilities import JsCode

from govopt.analysis import indicators
from govopt.data.dataset import Dataset
from govopt.i18n import Lang, fmt_staff, t
from govopt.output.indicator_text import format_value
from govopt.output.map_pack import (
    UNPACK_JS,
    Composed,
    pack_points,
    payload,
    quantize_polygons,
    templates,
)
from govopt.plan import Plan

__all__ = [
    "LEVEL_COLORS",
    "NO_CHANGE_BAND",
    "NO_DATA_COLOR",
    "ORG_COLOR",
    "STATIC_DIR",
    "STATIC_URL",
    "Legend",
    "MapView",
    "grid_map",
    "indicator_map",
    "legend",
    "legend_html",
    "selected_grid_layer",
    "standalone_html",
]

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/app/static"
NO_DATA_COLOR = "#d9d9d9"
LEVEL_COLORS: dict[str, str] = {"street": "#7b3294", "community": "#2c7bb6", "grid": "#252525"}
ORG_COLOR = "#f39c12"
# A change within half a percentage point either way is drawn as no change.
NO_CHANGE_BAND = 0.005
_SELECTED_COLOR = "#111111"
_NEED = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
_GOOD = ("#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641")
_FLAG = ("#edf8e9", "#bd0026")
# WISN ratio classes: far below need, below, just below, at need, above.
_RATIO_EDGES = (0.0, 0.5, 0.8, 1.0, 1.25)
_RATIO_TOP = 1.5
_SIMPLIFY_DEG = 2e-5
_MARKER_SIZE: dict[str, tuple[float, float, float]] = {
    "street": (5.0, 1.2, 14.0),
    "community": (2.5, 0.6, 7.0),
    "grid": (2.0, 0.5, 5.0),
}
_MAX_SHOWN_MARKERS = 600
# A hidden center layer with more markers than this is left out (choose a street to see it).
_MAX_LISTED_MARKERS = 10_000
# More street names than this are shown only from zoom _LABELS_ZOOM on.
_MAX_STREET_LABELS = 100
_LABELS_ZOOM = 12
_LEVEL_LAYERS = {
    "street": "map.level.street",
    "community": "map.level.community",
    "grid": "map.level.grid",
}
_DECIMALS = 5
# Layers of this many features or more travel packed (govopt/output/map_pack.py).
_PACK_FROM = 2_000

_GRID_STYLE = JsCode(
    "function(f){return {fillColor: f.properties.fc, fillOpacity: 0.78, "
    "color: '#ffffff', weight: 0.6, opacity: 0.9};}"
)
_HOVER = (
    "g.on('mouseover', function(e){e.layer.setStyle({weight: 2.5, color: '#222222'});});"
    "g.on('mouseout', function(e){e.layer.setStyle({weight: 0.6, color: '#ffffff'});});"
)
_POINT = JsCode(
    "function(f, ll){return L.circleMarker(ll, {radius: f.properties.r, color: '#222222', "
    "weight: 0.8, fillColor: f.properties.fc, fillOpacity: 0.9});}"
)


_LABEL = JsCode(
    "function(f, ll){return L.marker(ll, {interactive: false, keyboard: false, "
    "icon: L.divIcon({className: 'govopt-label', iconSize: [0, 0], html: "
    "'<div style=\"font-size:12px;font-weight:600;color:#333;white-space:nowrap;"
    "transform:translate(-50%,-50%);text-shadow:0 0 3px #fff,0 0 3px #fff\">' "
    "+ f.properties.n + '</div>'})});}"
)


def _tooltip_js(labels: list[str], subtitle: str = "", hover: bool = False) -> JsCode:
    """JS binding one tooltip to a whole layer, built from the hovered feature's escaped
    ``n`` (title) and ``v`` (values).

    One tooltip (and one hover handler) for the layer, not one per feature: binding
    them per feature costs most of the time a layer of 50,000 grids takes to load.
    The text is put together when the tooltip opens.
    """
    names = json.dumps([_esc(x) for x in labels], ensure_ascii=False).replace("</", "<\\/")
    sub = json.dumps(f"<br>{_esc(subtitle)}" if subtitle else "", ensure_ascii=False)
    return JsCode(
        f"function(g){{var k = {names};"
        "g.bindTooltip(function(layer){var p = layer.feature.properties;"
        f"var out = '<b>' + p.n + '</b>' + {sub};"
        "for (var i = 0; i < k.length; i++) {if (p.v[i] !== null && p.v[i] !== '') "
        "{out += '<br><b>' + k[i] + '</b> ' + p.v[i];}} return out;}, "
        "{sticky: true, direction: 'auto'});" + (_HOVER if hover else "") + "}"
    )


def _esc(text: str) -> str:
    """Escape user text for HTML, and braces so no template engine ever reads it."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


class _Raw(Element):
    """Text placed into the page as is: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _GeoJsonLayer(folium.GeoJson):
    """A GeoJSON layer whose data is serialised once, not on every render.

    Styling comes from the ``style``/``point_to_layer``/``on_each_feature``
    JavaScript options, never from a per-feature Python style function; ``bind``
    is JavaScript called with the whole layer once its features are added
    (e.g. :func:`_tooltip_js`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            {%- if this.on_each_feature %}
            onEachFeature: {{ this.on_each_feature }},
            {%- endif %}
            ...{{ this.options|tojavascript }}
        });
        {{ this.get_name() }}.addData({{ this.data_json }});
        {%- if this.bind %}
        ({{ this.bind }})({{ this.get_name() }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], *, bind: JsCode | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.bind = bind
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        self.data_json = (
            text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        )

    def render(self, **kwargs: Any) -> str:
        parent: Any = self._parent
        root: Any = self.get_root()
        if self.show:
            add = ElementAddToElement(
                element_name=self.get_name(), element_parent_name=parent.get_name()
            )
            self.add_child(add, name=self.get_name() + "_add")
        script = self._template.module.__dict__["script"](self, kwargs)
        root.script.add_child(_Raw(str(script)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""


class _PackedLayer(_GeoJsonLayer):
    """A GeoJSON layer sent packed (:mod:`govopt.output.map_pack`) and unpacked in the browser.

    Leaflet receives the same features as from :class:`_GeoJsonLayer`; only the
    page is smaller. The payload is read with ``JSON.parse`` from a string,
    which a browser does faster than parsing the same data as script; a layer
    hidden at first is unpacked when it is first shown.
    ``bounds`` ([[south, west], [north, east]]) saves reading every coordinate
    back in Python.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            {%- if this.on_each_feature %}
            onEachFeature: {{ this.on_each_feature }},
            {%- endif %}
            ...{{ this.options|tojavascript }}
        });
        {%- if this.show %}
        {{ this.get_name() }}.addData(({{ this.unpack }})(JSON.parse('{{ this.data_text }}')));
        {%- else %}
        {{ this.get_name() }}.once('add', function() {
            this.addData(({{ this.unpack }})(JSON.parse('{{ this.data_text }}')));
        });
        {%- endif %}
        {%- if this.bind %}
        ({{ this.bind }})({{ this.get_name() }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, packed: dict[str, Any], bounds: list[list[float]], **kwargs: Any) -> None:
        super().__init__(packed, **kwargs)
        self.unpack = UNPACK_JS
        self.bounds = bounds
        self.data_text = _js_string(json.dumps(packed, ensure_ascii=False, separators=(",", ":")))

    def _get_self_bounds(self) -> list[list[float | None]]:
        return [list(self.bounds[0]), list(self.bounds[1])]


def _js_string(text: str) -> str:
    """``text`` as the inside of a single-quoted JavaScript string that holds no markup."""
    for char, code in (("\\", "\\\\"), ("'", "\\'"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, code)
    return text


class _FitOnResize(MacroElement):
    """Fit the bounds again when the map's frame changes size (e.g. drawn while hidden)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on('resize', function(e) {
            var dx = Math.abs(e.newSize.x - e.oldSize.x);
            var dy = Math.abs(e.newSize.y - e.oldSize.y);
            if (e.oldSize.x > 0 && e.oldSize.y > 0 && dx < 50 && dy < 50) {
                return;
            }
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca leaves it unannotated
        self._name = "FitOnResize"
        self.bounds = bounds


class _LabelsFromZoom(MacroElement):
    """Show a label layer only from a zoom on (many street names read as a grey mass)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this.map.get_name() }}, group = {{ this.group.get_name() }};
            var labels = {{ this.labels.get_name() }};
            function update() {
                var near = map.getZoom() >= {{ this.zoom }};
                if (near && !group.hasLayer(labels)) { group.addLayer(labels); }
                if (!near && group.hasLayer(labels)) { group.removeLayer(labels); }
            }
            map.on('zoomend', update);
            update();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, m: folium.Map, group: Any, labels: Any, zoom: float) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca leaves it unannotated
        self._name = "LabelsFromZoom"
        self.map, self.group, self.labels, self.zoom = m, group, labels, zoom


class _TooltipsInside(MacroElement):
    """Keep tooltips inside the map: one near an edge is moved in, not cut off."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            if (L.Tooltip.prototype._govoptInside) { return; }
            var place = L.Tooltip.prototype._setPosition;
            L.Tooltip.prototype._setPosition = function(pos) {
                place.call(this, pos);
                var map = this._map, el = this._container;
                if (!map || !el) { return; }
                var size = map.getSize(), at = L.DomUtil.getPosition(el);
                var p = map.layerPointToContainerPoint(at);
                var w = el.offsetWidth, h = el.offsetHeight, dx = 0, dy = 0;
                if (p.x + w > size.x) { dx = size.x - w - p.x; }
                if (p.x + dx < 0) { dx = -p.x; }
                if (p.y + h > size.y) { dy = size.y - h - p.y; }
                if (p.y + dy < 0) { dy = -p.y; }
                if (dx || dy) { L.DomUtil.setPosition(el, at.add([dx, dy])); }
            };
            L.Tooltip.prototype._govoptInside = true;
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca leaves it unannotated
        self._name = "TooltipsInside"


@dataclass(frozen=True)
class Legend:
    """A choropleth legend, drawn outside the map.

    ``bins`` are the class edges (one more than ``colors``); ``labels`` name
    each class. ``no_data`` is the label of grids without a value.
    ``markers`` are the (color, label) of the points drawn over the grids
    (centers by level, organizations), under the heading ``markers_title``.
    """

    title: str
    bins: tuple[float, ...]
    colors: tuple[str, ...]
    labels: tuple[str, ...]
    no_data: str = ""
    no_data_color: str = NO_DATA_COLOR
    markers: tuple[tuple[str, str], ...] = ()
    markers_title: str = ""


# ----- legend ---------------------------------------------------------------


# The finest step a legend label shows, by kind (metres, 0.1, 0.01).
_SHOWN_STEP = {"distance": 1.0, "number": 0.1, "score": 0.01, "ratio": 0.01}
_MIN_CLASS_SHARE = 50  # class edges are rounded to about 1/50 of the value range


def _tidy(qs: np.ndarray, kind: str) -> tuple[float, ...]:
    """Quantile edges rounded to steps a label can show, without classes that read as one.

    Inner edges go to a round step of about a fiftieth of the range (never finer
    than the label shows); the ends go to the label's step. Edges that then
    coincide are merged, so no legend reads "0 m – 0 m".
    """
    shown = _SHOWN_STEP.get(kind, 0.01)
    lo, hi = float(qs[0]), float(qs[-1])
    span = hi - lo
    step = shown
    if span > 0:
        step = max(shown, 10.0 ** math.floor(math.log10(span / _MIN_CLASS_SHARE)))
    ends = (round(lo / shown) * shown, round(hi / shown) * shown)
    edges = [ends[0]]
    for q in qs[1:-1]:
        edge = round(float(q) / step) * step
        if ends[0] < edge < ends[1] and edge - edges[-1] >= shown - 1e-12:
            edges.append(edge)
    if ends[1] - edges[-1] >= shown - 1e-12 or len(edges) == 1:
        edges.append(ends[1])
    return tuple(round(float(e), 10) for e in edges)


def _change_edges(finite: np.ndarray) -> tuple[float, ...]:
    """Classes of a change, symmetric around zero with a narrow no-change band in the middle.

    Beyond the band, small and large changes part at a round step near the
    75th percentile of the changes that count (else half the largest), so one
    outlier does not put every real change in one class.
    """
    band = NO_CHANGE_BAND
    size = np.abs(finite)
    m = float(size.max()) if size.size else 0.0
    if m <= band:
        return (-band, band)
    step = 0.05 if m >= 0.2 else 0.01
    mid = round(round(float(np.quantile(size[size > band], 0.75)) / step) * step, 10)
    if not band < mid < m:
        mid = round(round(m / 2 / step) * step, 10)
    if not band < mid < m:
        return (-m, -band, band, m)
    return (-m, -mid, -band, band, mid, m)


def _edges(values: np.ndarray, ind: indicators.Indicator, diverging: bool) -> tuple[float, ...]:
    finite = values[np.isfinite(values)]
    if ind.kind == "flag":
        return (0.0, 0.5, 1.0)
    if diverging:
        return _change_edges(finite)
    if ind.kind == "share":
        top = max(1.0, float(finite.max())) if finite.size else 1.0
        return (0.0, 0.2, 0.4, 0.6, 0.8, top)
    if ind.kind == "ratio":
        top = max(_RATIO_TOP, float(finite.max())) if finite.size else _RATIO_TOP
        return (*_RATIO_EDGES, top)
    if not finite.size:
        return (0.0, 1.0)
    qs = np.unique(np.quantile(finite, [0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    edges = _tidy(qs, ind.kind)
    if len(edges) < 2:
        return (edges[0], edges[0])
    return edges


def _palette(n: int, ind: indicators.Indicator, diverging: bool) -> tuple[str, ...]:
    if ind.kind == "flag":
        return _FLAG
    base = _GOOD if (ind.higher_is_better or diverging) else _NEED
    if diverging and not ind.higher_is_better:
        base = base[::-1]
    if n >= len(base):
        return base
    if diverging and n % 2 == 1:  # keep the middle (no change) color in the middle
        half = n // 2
        return (*base[:half], base[len(base) // 2], *base[len(base) - half :])
    idx = np.linspace(0, len(base) - 1, max(n, 1)).round().astype(int)
    return tuple(base[i] for i in idx)


def _range_label(lo: float, hi: float, ind: indicators.Indicator, lang: Lang) -> str:
    if ind.kind == "flag":
        return format_value(ind, hi, lang)
    if math.isclose(lo, hi):
        return format_value(ind, lo, lang)
    return f"{format_value(ind, lo, lang)} – {format_value(ind, hi, lang)}"


def legend(values: pd.Series | None, indicator: str, lang: Lang, diverging: bool = False) -> Legend:
    """Classes, colors and labels for ``values`` of ``indicator``.

    Parameters
    ----------
    values : pandas.Series or None
        One value per grid (NaN = no data).
    indicator : str
        Indicator id (see :func:`govopt.analysis.indicators.catalogue`).
    lang : {"zh", "en"}
        Language of the labels.
    diverging : bool
        Draw a change around zero with a symmetric palette.
    """
    ind = indicators.get(indicator)
    diverging = diverging or ind.diverging
    title = ind.label(lang)
    arr = np.asarray(values, dtype=float) if values is not None else np.array([], dtype=float)
    edges = _edges(arr, ind, diverging)
    n = max(len(edges) - 1, 1)
    colors = _palette(n, ind, diverging)[:n]
    if ind.kind == "flag":
        labels: tuple[str, ...] = (format_value(ind, 0.0, lang), format_value(ind, 1.0, lang))
    elif len(edges) == 2 and math.isclose(edges[0], edges[1]):
        labels = (format_value(ind, edges[0], lang),)
    else:
        labels = tuple(_range_label(edges[i], edges[i + 1], ind, lang) for i in range(n))
    if diverging:
        band = t("map.no_change", lang, band=f"{NO_CHANGE_BAND * 100:g}")
        labels = tuple(
            band if math.isclose(edges[i], -NO_CHANGE_BAND) and math.isclose(edges[i + 1],
                                                                         NO_CHANGE_BAND)
            else lab
            for i, lab in enumerate(labels)
        )  # fmt: skip
    return Legend(title, edges, colors, labels, no_data=t("map.no_data", lang))


def _classify(values: np.ndarray, lg: Legend) -> list[str]:
    inner = np.asarray(lg.bins[1:-1], dtype=float)
    idx = np.searchsorted(inner, values, side="right")
    idx = np.clip(idx, 0, len(lg.colors) - 1)
    palette = np.asarray(lg.colors, dtype=object)
    colors = np.where(np.isfinite(values), palette[idx], lg.no_data_color)
    return [str(c) for c in colors]


def legend_html(lg: Legend) -> str:
    """The legend as a small HTML block (escaped), for the UI or a standalone page."""
    rows = [
        '<div class="govopt-legend" style="font-size:0.85rem;line-height:1.5">',
        f"<div style='font-weight:600;margin-bottom:4px'>{_esc(lg.title)}</div>",
    ]
    entries = [*zip(lg.colors, lg.labels, strict=False), (lg.no_data_color, lg.no_data)]
    for color, label in entries:
        if not label:
            continue
        rows.append(
            "<div style='display:flex;align-items:center;gap:6px'>"
            f"<span style='display:inline-block;width:18px;height:12px;background:{color};"
            "border:1px solid #999'></span>"
            f"<span>{_esc(label)}</span></div>"
        )
    if lg.markers:
        rows.append(f"<div style='font-weight:600;margin:6px 0 4px'>{_esc(lg.markers_title)}</div>")
    for color, label in lg.markers:
        rows.append(
            "<div style='display:flex;align-items:center;gap:6px'>"
            "<span style='display:inline-block;width:12px;height:12px;margin:0 3px;"
            f"border-radius:50%;background:{color};border:1px solid #222'></span>"
            f"<span>{_esc(label)}</span></div>"
        )
    rows.append("</div>")
    return "".join(rows)


# ----- geometry -------------------------------------------------------------


@dataclass(frozen=True)
class _Geo:
    grids: gpd.GeoDataFrame
    display: np.ndarray
    outline: dict[str, Any]
    streets: dict[str, Any]
    labels: list[tuple[str, float, float]]
    street_shapes: np.ndarray

    @functools.cached_property
    def shapes(self) -> list[dict[str, Any]]:
        """The grids' display geometries as GeoJSON, made when a plain layer needs them."""
        return [_mapping(g) for g in self.display]

    @functools.cached_property
    def packed(self) -> _PackedGrids:
        """What the packed grid layer needs of every grid, made once per dataset."""
        origin, rings = quantize_polygons(self.display, _DECIMALS)
        streets = [_esc(s) for s in self.grids["street"].astype(str).tolist()]
        communities = [_esc(c) for c in self.grids["community"].astype(str).tolist()]
        names = [_esc(n) for n in self.grids["name"].astype(str).tolist()]
        made = templates(names, [streets, communities])
        return _PackedGrids(
            origin=origin,
            rings=rings,
            ids=self.grids["grid_id"].astype(str).tolist(),
            names=names if made is None else made,
            templated=made is not None,
            streets=streets,
            communities=communities,
            bounds=_latlon_bounds(self.display),
        )

    @functools.cached_property
    def packed_streets(self) -> dict[str, Any]:
        """The street outlines packed (a large district's are a megabyte of plain GeoJSON)."""
        origin, rings = quantize_polygons(self.street_shapes, _DECIMALS)
        return payload("Polygon", _DECIMALS, origin, len(rings), rings, {})


@dataclass(frozen=True)
class _PackedGrids:
    """Every grid's packed geometry and escaped text; ``names`` are templates of
    ``streets`` ({0}) and ``communities`` ({1}) when ``templated``."""

    origin: list[int]
    rings: list[Any]
    ids: list[str]
    names: list[str]
    templated: bool
    streets: list[str]
    communities: list[str]
    bounds: list[list[float]]


_GEO_CACHE: weakref.WeakKeyDictionary[Dataset, _Geo] = weakref.WeakKeyDictionary()


def _display(geoms: Any) -> np.ndarray:
    arr = np.asarray(geoms, dtype=object)
    simple = shapely.simplify(arr, _SIMPLIFY_DEG, preserve_topology=True)
    simple = np.where(shapely.is_empty(simple), arr, simple)
    return shapely.transform(simple, lambda c: np.round(c, _DECIMALS))


def _dissolve(geoms: np.ndarray) -> Any:
    """The union of grids that tile an area: a coverage union, else a union closing slivers."""
    whole = shapely.coverage_union_all(geoms)
    if shapely.is_valid(whole) and not shapely.is_empty(whole):
        return whole
    return shapely.union_all(shapely.buffer(geoms, 1e-7))


def _mapping(geom: Any) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(shapely.to_geojson(geom))
    return out


def _fc(geoms: np.ndarray, props: list[dict[str, Any]]) -> dict[str, Any]:
    feats = [
        {"type": "Feature", "geometry": _mapping(g), "properties": p}
        for g, p in zip(geoms, props, strict=True)
        if g is not None and not shapely.is_empty(g)
    ]
    return {"type": "FeatureCollection", "features": feats}


def _geo(dataset: Dataset) -> _Geo:
    cached = _GEO_CACHE.get(dataset)
    if cached is not None:
        return cached
    grids = dataset.grids.to_crs("EPSG:4326")
    display = _display(grids.geometry.values)
    if dataset.outline is not None and not dataset.outline.empty:
        whole = shapely.union_all(dataset.outline.to_crs("EPSG:4326").geometry.values)
    else:
        whole = _dissolve(np.asarray(grids.geometry.array, dtype=object))
    outline = _fc(_display([whole]), [{}])
    codes, uniques = pd.factorize(grids["street"].astype(str), sort=True)
    names = [str(n) for n in uniques]
    order = np.argsort(codes, kind="stable")
    cuts = np.searchsorted(codes[order], np.arange(len(names) + 1))
    geoms = np.asarray(grids.geometry.array, dtype=object)[order]
    parts = [_dissolve(geoms[cuts[i] : cuts[i + 1]]) for i in range(len(names))]
    street_shapes = _display(parts)
    streets = _fc(street_shapes, [{} for _ in names])
    points = shapely.point_on_surface(np.asarray(parts, dtype=object))
    labels = [
        (n, float(shapely.get_y(p)), float(shapely.get_x(p)))
        for n, p in zip(names, points, strict=True)
    ]
    geo = _Geo(grids, display, outline, streets, labels, street_shapes)
    _GEO_CACHE[dataset] = geo
    return geo


# ----- map ------------------------------------------------------------------


def _new_map(bounds: tuple[float, float, float, float], online_tiles: bool) -> folium.Map:
    minx, miny, maxx, maxy = bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=11,
        tiles="OpenStreetMap" if online_tiles else None,
        prefer_canvas=True,
        control_scale=True,
        zoom_snap=0.25,
    )
    m.default_js = [("leaflet", f"{STATIC_URL}/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css")]
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    _FitOnResize([[miny, minx], [maxy, maxx]]).add_to(m)
    _TooltipsInside().add_to(m)
    return m


def _basemap(m: folium.Map, geo: _Geo, lang: Lang) -> None:
    _GeoJsonLayer(
        geo.outline,
        name=t("map.layer.outline", lang),
        style=JsCode(
            "function(f){return {color: '#666666', weight: 2, fillColor: '#f4f1ea', "
            "fillOpacity: 1};}"
        ),
        interactive=False,
        control=False,
    ).add_to(m)


def _streets(m: folium.Map, geo: _Geo, lang: Lang) -> None:
    streets = folium.FeatureGroup(name=t("map.layer.streets", lang), control=True)
    style = JsCode(
        "function(f){return {color: '#555555', weight: 1.6, fill: false, dashArray: '4 3'};}"
    )
    if len(geo.grids) >= _PACK_FROM:
        bounds = _latlon_bounds(geo.street_shapes)
        _PackedLayer(geo.packed_streets, bounds, style=style, interactive=False).add_to(streets)
    else:
        _GeoJsonLayer(geo.streets, style=style, interactive=False).add_to(streets)
    labels = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {"n": _esc(name)},
            }
            for name, lat, lon in geo.labels
        ],
    }
    layer = _GeoJsonLayer(labels, point_to_layer=_LABEL, interactive=False).add_to(streets)
    if len(geo.labels) > _MAX_STREET_LABELS:
        _LabelsFromZoom(m, streets, layer, _LABELS_ZOOM).add_to(streets)
    streets.add_to(m)


def _grid_layer(
    m: folium.Map,
    geo: _Geo,
    keep: np.ndarray | None,
    values: pd.Series | None,
    ind: indicators.Indicator,
    lg: Legend,
    lang: Lang,
) -> None:
    grids = geo.grids if keep is None else geo.grids[keep]
    ids = grids["grid_id"].astype(str).to_numpy()
    if values is not None:
        vals = values.reindex(pd.Index(ids)).to_numpy(dtype=float)
    else:
        vals = np.full(len(ids), np.nan)
    colors = _classify(vals, lg) if values is not None else ["#cfd8dc"] * len(ids)
    labels = [t("map.tip.street", lang)] + ([ind.label(lang)] if values is not None else [])
    options: dict[str, Any] = dict(
        name=t("map.layer.grids", lang),
        style=_GRID_STYLE,
        bind=_tooltip_js(labels, hover=True),
    )
    if len(ids) >= _PACK_FROM:
        _packed_grids(m, geo, keep, vals, colors, ind if values is not None else None, lang,
                      options)  # fmt: skip
        return
    shapes = geo.shapes if keep is None else [s for s, k in zip(geo.shapes, keep, strict=True) if k]
    esc = _esc
    features = []
    for i, (gid, name, street, community) in enumerate(
        zip(ids, grids["name"].astype(str), grids["street"].astype(str),
            grids["community"].astype(str), strict=True)
    ):  # fmt: skip
        v = [esc(f"{street} / {community}")]
        if values is not None:
            v.append(esc(format_value(ind, float(vals[i]), lang)))
        props = {"grid_id": gid, "fc": colors[i], "n": esc(name), "v": v}
        features.append({"type": "Feature", "geometry": shapes[i], "properties": props})
    _GeoJsonLayer({"type": "FeatureCollection", "features": features}, **options).add_to(m)


def _packed_grids(
    m: folium.Map,
    geo: _Geo,
    keep: np.ndarray | None,
    vals: np.ndarray,
    colors: list[str],
    ind: indicators.Indicator | None,
    lang: Lang,
    options: dict[str, Any],
) -> None:
    """The grid layer of :func:`_grid_layer`, packed: the same properties, a smaller page."""
    base = geo.packed
    rows = range(len(base.ids)) if keep is None else np.flatnonzero(keep).tolist()
    bounds = base.bounds if keep is None else _latlon_bounds(geo.display[keep])

    def pick(items: list[Any]) -> list[Any]:
        return items if keep is None else [items[i] for i in rows]

    names: list[str] | Composed = pick(base.names)
    if base.templated:
        names = Composed(pick(base.names), (0, 1))
    columns: list[list[str] | Composed] = [Composed(["{0} / {1}"] * len(rows), (0, 1))]
    if ind is not None:
        shown, which = np.unique(vals, return_inverse=True)
        texts = [_esc(format_value(ind, float(v), lang)) for v in shown]
        columns.append([texts[i] for i in which.reshape(-1).tolist()])
    props = {"grid_id": pick(base.ids), "fc": colors, "n": names}
    shared = [pick(base.streets), pick(base.communities)]
    packed = payload(
        "Polygon", _DECIMALS, base.origin, len(rows), pick(base.rings), props, columns, shared
    )
    _PackedLayer(packed, bounds, **options).add_to(m)


def _latlon_bounds(geoms: np.ndarray) -> list[list[float]]:
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def _points_layer(
    m: folium.Map,
    frame: pd.DataFrame,
    name: str,
    color: str,
    radii: list[float],
    tips: tuple[list[str], str, list[str], list[list[str]]],
    *,
    show: bool = True,
) -> None:
    labels, subtitle, titles, values = tips
    options: dict[str, Any] = dict(
        name=name, show=show, point_to_layer=_POINT, bind=_tooltip_js(labels, subtitle)
    )
    if len(frame) >= _PACK_FROM:
        lon, lat = frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
        props: dict[str, list[Any]] = {
            "fc": [color] * len(frame),
            "r": [round(r, 1) for r in radii],
            "n": [_esc(n) for n in titles],
        }
        columns = [list(c) for c in zip(*values, strict=True)] if values else []
        packed = pack_points(lon, lat, props, columns, decimals=_DECIMALS)
        bounds = [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]
        _PackedLayer(packed, bounds, **options).add_to(m)
        return
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(lon), _DECIMALS), round(float(lat), _DECIMALS)],
            },
            "properties": {"fc": color, "r": round(r, 1), "n": _esc(n), "v": v},
        }
        for lon, lat, r, n, v in zip(frame["lon"], frame["lat"], radii, titles, values, strict=True)
    ]
    _GeoJsonLayer({"type": "FeatureCollection", "features": features}, **options).add_to(m)


def _in_bounds(frame: pd.DataFrame, bounds: tuple[float, float, float, float]) -> pd.DataFrame:
    minx, miny, maxx, maxy = bounds
    pad = 0.005
    keep = frame["lon"].between(minx - pad, maxx + pad) & frame["lat"].between(
        miny - pad, maxy + pad
    )
    return frame[keep]


def _unlisted_levels(dataset: Dataset, bounds: Any) -> tuple[str, ...]:
    """Center levels too many to send on a map of ``bounds`` (hidden, over the limit)."""
    counts = _in_bounds(dataset.centers, bounds)["level"].astype(str).value_counts()
    return tuple(
        level
        for level in ("community", "grid")
        if counts.get(level, 0) > max(_MAX_LISTED_MARKERS, _MAX_SHOWN_MARKERS)
    )


def _shown_bounds(geo: _Geo, street: str | None) -> tuple[gpd.GeoDataFrame, np.ndarray | None]:
    """The grids drawn for ``street`` (all when ``None`` or unknown) and their mask."""
    grids = geo.grids
    if street is not None:
        mask = (grids["street"].astype(str) == street).to_numpy()
        if mask.any():
            return grids[mask], mask
    return grids, None


def _centers(m: folium.Map, dataset: Dataset, bounds: Any, lang: Lang, staff: pd.Series) -> None:
    centers = _in_bounds(dataset.centers, bounds)
    unlisted = _unlisted_levels(dataset, bounds)
    for level in ("street", "community", "grid"):
        part = centers[centers["level"] == level]
        if part.empty or level in unlisted:
            continue
        level_name = t(_LEVEL_LAYERS[level], lang)
        today = pd.Series(part["staff"].to_numpy(float), index=part["center_id"].astype(str))
        s = staff.reindex(today.index).astype(float).combine_first(today)
        base, step, top = _MARKER_SIZE[level]
        radii = [min(top, base + step * math.sqrt(max(float(v), 0.0))) for v in s]
        values = [[fmt_staff(float(v), "en")] for v in s]
        tips = ([t("map.tip.staff", lang)], level_name, [str(n) for n in part["name"]], values)
        name = t("map.layer.centers", lang, level=level_name)
        show = level == "street" or len(part) <= _MAX_SHOWN_MARKERS
        _points_layer(m, part, name, LEVEL_COLORS[level], radii, tips, show=show)


def _orgs(m: folium.Map, dataset: Dataset, bounds: Any, lang: Lang) -> None:
    orgs = _in_bounds(dataset.social_orgs, bounds)
    if orgs.empty:
        return
    values = []
    for domain, rating, hours in zip(orgs["domain"], orgs["rating"], orgs["hours"], strict=True):
        zh, en = indicators.CATEGORY_LABELS.get(str(domain), (str(domain), str(domain)))
        label = en if lang == "en" else zh
        shown = t("rating.none", lang) if str(rating) == "none" else str(rating)
        values.append([_esc(label), _esc(shown), f"{float(hours):,.0f}"])
    labels = [t("map.tip.domain", lang), t("map.tip.rating", lang), t("map.tip.hours", lang)]
    tips = (labels, "", [str(n) for n in orgs["name"]], values)
    _points_layer(m, orgs, t("map.layer.orgs", lang), ORG_COLOR, [4.0] * len(orgs), tips)


def grid_map(
    dataset: Dataset,
    values: pd.Series | None,
    *,
    indicator: str,
    lang: Lang,
    street: str | None = None,
    show_centers: bool = True,
    show_orgs: bool = False,
    diverging: bool = False,
    online_tiles: bool = False,
    staff: pd.Series | None = None,
) -> folium.Map:
    """A choropleth of ``values`` per grid on the offline basemap.

    Parameters
    ----------
    dataset : Dataset
        The district.
    values : pandas.Series or None
        One value per grid, indexed by ``grid_id``; ``None`` draws plain grids.
    indicator : str
        Indicator id, for colors, tooltips and the legend.
    lang : {"zh", "en"}
        Language of labels and tooltips.
    street : str, optional
        Show only the grids of this street or town.
    show_centers, show_orgs : bool
        Draw centers (by level, sized by staff) and social organizations.
    diverging : bool
        Values are a change around zero.
    online_tiles : bool
        Add an OpenStreetMap tile layer (needs internet).
    staff : pandas.Series, optional
        Staff per ``center_id`` for marker sizes (default: today's staff).
    """
    geo = _geo(dataset)
    grids, keep = _shown_bounds(geo, street)
    bounds = tuple(float(b) for b in grids.total_bounds)
    m = _new_map(bounds, online_tiles)  # type: ignore[arg-type]
    _basemap(m, geo, lang)
    ind = indicators.get(indicator)
    lg = legend(values, indicator, lang, diverging)
    _grid_layer(m, geo, keep, values, ind, lg, lang)
    _streets(m, geo, lang)
    if show_centers:
        s = staff if staff is not None else pd.Series(dtype=float)
        _centers(m, dataset, bounds, lang, s)
    if show_orgs:
        _orgs(m, dataset, bounds, lang)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


@dataclass(frozen=True, eq=False)
class MapView:
    """A built map with its legend and the values drawn (by ``grid_id``).

    ``unlisted`` names the center layers left out as too many to draw at once
    (they are drawn once one street is chosen).
    """

    map: folium.Map
    legend: Legend
    values: pd.Series
    unlisted: tuple[str, ...] = ()


def indicator_map(
    dataset: Dataset,
    indicator: str,
    *,
    lang: Lang,
    plan: Plan | None = None,
    other: Plan | None = None,
    table: pd.DataFrame | None = None,
    street: str | None = None,
    show_centers: bool = True,
    show_orgs: bool = False,
    online_tiles: bool = False,
) -> MapView:
    """Compute ``indicator`` per grid and draw it: the coverage page in one call.

    ``plan`` and ``other`` are used as in :func:`govopt.analysis.indicators.compute`;
    centers are sized by the staff of ``other`` (a change) or ``plan``.
    """
    values = indicators.compute(dataset, indicator, plan=plan, other=other, table=table)
    ind = indicators.get(indicator)
    shown = other if ind.plans == 2 else plan if ind.id == "plan_coverage" else None
    staff = None
    if shown is not None and shown.has_values and "staff" in shown.centers.columns:
        staff = shown.centers.set_index(shown.centers["center_id"].astype(str))["staff"]
    m = grid_map(
        dataset,
        values,
        indicator=indicator,
        lang=lang,
        street=street,
        show_centers=show_centers,
        show_orgs=show_orgs,
        diverging=ind.diverging,
        online_tiles=online_tiles,
        staff=None if staff is None else staff.astype(float),
    )
    lg = legend(values, indicator, lang, ind.diverging)
    lg = replace(lg, markers=_marker_keys(dataset, lang, show_centers, show_orgs),
                 markers_title=t("map.markers", lang))  # fmt: skip
    unlisted: tuple[str, ...] = ()
    if show_centers:
        bounds = tuple(float(b) for b in _shown_bounds(_geo(dataset), street)[0].total_bounds)
        unlisted = tuple(
            t("map.layer.centers", lang, level=t(_LEVEL_LAYERS[lv], lang))
            for lv in _unlisted_levels(dataset, bounds)
        )
    return MapView(m, lg, values, unlisted)


def _marker_keys(
    dataset: Dataset, lang: Lang, centers: bool, orgs: bool
) -> tuple[tuple[str, str], ...]:
    keys: list[tuple[str, str]] = []
    if centers:
        levels = set(dataset.centers["level"].astype(str))
        keys += [
            (LEVEL_COLORS[lv], t(_LEVEL_LAYERS[lv], lang)) for lv in _LEVEL_LAYERS if lv in levels
        ]
    if orgs and not dataset.social_orgs.empty:
        keys.append((ORG_COLOR, t("map.layer.orgs", lang)))
    return tuple(keys)


def selected_grid_layer(dataset: Dataset, grid_id: str | None, lang: Lang) -> folium.FeatureGroup:
    """A layer outlining the grid ``grid_id`` (empty when ``None`` or unknown).

    Drawn over the map as a separate layer, so that selecting another grid
    changes this layer alone and the map keeps its zoom.
    """
    group = folium.FeatureGroup(name=t("map.selected", lang), control=False)
    if grid_id is None:
        return group
    geo = _geo(dataset)
    hits = np.flatnonzero(geo.grids["grid_id"].astype(str).to_numpy() == str(grid_id))
    if hits.size:
        shape = _mapping(geo.display[int(hits[0])])
        feature = {"type": "Feature", "geometry": shape, "properties": {}}
        for color, weight in (("#ffffff", 7), (_SELECTED_COLOR, 3.5)):  # a halo, then the line
            _GeoJsonLayer(
                {"type": "FeatureCollection", "features": [feature]},
                style=JsCode(
                    f"function(f){{return {{color: '{color}', weight: {weight}, opacity: 1, "
                    "fill: false};}"
                ),
                interactive=False,
            ).add_to(group)
    return group


# ----- standalone file ------------------------------------------------------


def _inline_css(static_dir: Path) -> str:
    css = (static_dir / "leaflet" / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        path = static_dir / "leaflet" / match.group(1)
        if not path.is_file():
            return "url(data:,)"
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((images/[^)]+\.png)\)", data_uri, css)


def standalone_html(
    m: folium.Map, lg: Legend | None = None, *, title: str = "", static_dir: Path = STATIC_DIR
) -> str:
    """One self-contained HTML page of ``m``: Leaflet inlined, no external URL.

    The legend, when given, is drawn in a panel over the map's corner.
    """
    js = (static_dir / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    js = js.replace("</script", "<\\/script")
    m.default_js = []
    m.default_css = []
    root: Any = m.get_root()
    root.header.add_child(_Raw(f"<style>{_inline_css(static_dir)}</style>"), name="leaflet_css")
    root.header.add_child(_Raw(f"<script>{js}</script>"), name="leaflet_js")
    if title:
        root.header.add_child(_Raw(f"<title>{_esc(title)}</title>"), name="page_title")
    if lg is not None:
        panel = (
            "<div style='position:fixed;bottom:56px;left:12px;z-index:1000;background:#fff;"
            "padding:8px 10px;border:1px solid #bbb;border-radius:4px;"
            'font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif\'>'
            f"{legend_html(lg)}</div>"
        )
        root.html.add_child(_Raw(panel), name="legend_panel")
    return str(root.render())
