"""Folium map builders: grid choropleths on an offline basemap, and their legends.

Maps load Leaflet from the app itself (``/app/static/leaflet/``) and draw no
tiles unless asked: the basemap is the district outline and the street
outlines with their names. :func:`standalone_html` inlines Leaflet into one
self-contained file. Every name a user typed is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
import weakref
from dataclasses import dataclass
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
from govopt.i18n import Lang, t
from govopt.output.indicator_text import format_value
from govopt.plan import Plan

__all__ = [
    "LEVEL_COLORS",
    "NO_DATA_COLOR",
    "STATIC_DIR",
    "STATIC_URL",
    "Legend",
    "MapView",
    "grid_map",
    "indicator_map",
    "legend",
    "legend_html",
    "standalone_html",
]

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/app/static"
NO_DATA_COLOR = "#d9d9d9"
LEVEL_COLORS: dict[str, str] = {"street": "#7b3294", "community": "#2c7bb6", "grid": "#252525"}
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
_LEVEL_LAYERS = {
    "street": "map.level.street",
    "community": "map.level.community",
    "grid": "map.level.grid",
}
_DECIMALS = 5

_GRID_STYLE = JsCode(
    "function(f){return {fillColor: f.properties.fc, fillOpacity: 0.78, "
    "color: '#ffffff', weight: 0.6, opacity: 0.9};}"
)
_HOVER = (
    "layer.on('mouseover', function(){layer.setStyle({weight: 2.5, color: '#222222'});});"
    "layer.on('mouseout', function(){layer.setStyle({weight: 0.6, color: '#ffffff'});});"
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
    """JS binding a tooltip built from the feature's escaped ``n`` (title) and ``v`` (values)."""
    names = json.dumps([_esc(x) for x in labels], ensure_ascii=False).replace("</", "<\\/")
    sub = json.dumps(f"<br>{_esc(subtitle)}" if subtitle else "", ensure_ascii=False)
    return JsCode(
        f"function(f, layer){{var k = {names}; var p = f.properties;"
        f"var out = '<b>' + p.n + '</b>' + {sub};"
        "for (var i = 0; i < k.length; i++) {if (p.v[i] !== null && p.v[i] !== '') "
        "{out += '<br><b>' + k[i] + '</b> ' + p.v[i];}}"
        "layer.bindTooltip(out, {sticky: true});" + (_HOVER if hover else "") + "}"
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
    JavaScript options, never from a per-feature Python style function.
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
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
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


@dataclass(frozen=True)
class Legend:
    """A choropleth legend, drawn outside the map.

    ``bins`` are the class edges (one more than ``colors``); ``labels`` name
    each class. ``no_data`` is the label of grids without a value.
    """

    title: str
    bins: tuple[float, ...]
    colors: tuple[str, ...]
    labels: tuple[str, ...]
    no_data: str = ""
    no_data_color: str = NO_DATA_COLOR


# ----- legend ---------------------------------------------------------------


def _edges(values: np.ndarray, ind: indicators.Indicator, diverging: bool) -> tuple[float, ...]:
    finite = values[np.isfinite(values)]
    if ind.kind == "flag":
        return (0.0, 0.5, 1.0)
    if diverging:
        m = float(np.max(np.abs(finite))) if finite.size else 0.0
        m = m if m > 0 else 1e-9
        return (-m, -0.6 * m, -0.2 * m, 0.2 * m, 0.6 * m, m)
    if ind.kind == "share":
        top = max(1.0, float(finite.max())) if finite.size else 1.0
        return (0.0, 0.2, 0.4, 0.6, 0.8, top)
    if ind.kind == "ratio":
        top = max(_RATIO_TOP, float(finite.max())) if finite.size else _RATIO_TOP
        return (*_RATIO_EDGES, top)
    if not finite.size:
        return (0.0, 1.0)
    qs = np.unique(np.quantile(finite, [0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    if qs.size < 2:
        return (float(qs[0]), float(qs[0]))
    return tuple(float(q) for q in qs)


def _palette(n: int, ind: indicators.Indicator, diverging: bool) -> tuple[str, ...]:
    if ind.kind == "flag":
        return _FLAG
    base = _GOOD if (ind.higher_is_better or diverging) else _NEED
    if diverging and not ind.higher_is_better:
        base = base[::-1]
    if n >= len(base):
        return base
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
    rows.append("</div>")
    return "".join(rows)


# ----- geometry -------------------------------------------------------------


@dataclass(frozen=True)
class _Geo:
    grids: gpd.GeoDataFrame
    shapes: list[dict[str, Any]]
    outline: dict[str, Any]
    streets: dict[str, Any]
    labels: list[tuple[str, float, float]]


_GEO_CACHE: weakref.WeakKeyDictionary[Dataset, _Geo] = weakref.WeakKeyDictionary()


def _display(geoms: Any) -> np.ndarray:
    arr = np.asarray(geoms, dtype=object)
    simple = shapely.simplify(arr, _SIMPLIFY_DEG, preserve_topology=True)
    simple = np.where(shapely.is_empty(simple), arr, simple)
    return shapely.transform(simple, lambda c: np.round(c, _DECIMALS))


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
    shapes = [_mapping(g) for g in _display(grids.geometry.values)]
    if dataset.outline is not None and not dataset.outline.empty:
        whole = shapely.union_all(dataset.outline.to_crs("EPSG:4326").geometry.values)
    else:
        whole = shapely.union_all(shapely.buffer(grids.geometry.values, 1e-7))
    outline = _fc(_display([whole]), [{}])
    by_street = grids.groupby(grids["street"].astype(str), sort=True)
    names: list[str] = []
    parts = []
    for name, frame in by_street:
        names.append(str(name))
        parts.append(shapely.union_all(shapely.buffer(frame.geometry.values, 1e-7)))
    streets = _fc(_display(parts), [{} for _ in names])
    points = shapely.point_on_surface(np.asarray(parts, dtype=object))
    labels = [
        (n, float(shapely.get_y(p)), float(shapely.get_x(p)))
        for n, p in zip(names, points, strict=True)
    ]
    geo = _Geo(grids, shapes, outline, streets, labels)
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
    _GeoJsonLayer(
        geo.streets,
        style=JsCode(
            "function(f){return {color: '#555555', weight: 1.6, fill: false, dashArray: '4 3'};}"
        ),
        interactive=False,
    ).add_to(streets)
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
    _GeoJsonLayer(labels, point_to_layer=_LABEL, interactive=False).add_to(streets)
    streets.add_to(m)


def _grid_layer(
    m: folium.Map,
    grids: gpd.GeoDataFrame,
    shapes: list[dict[str, Any]],
    values: pd.Series | None,
    ind: indicators.Indicator,
    lg: Legend,
    lang: Lang,
) -> None:
    ids = grids["grid_id"].astype(str).to_numpy()
    if values is not None:
        vals = values.reindex(pd.Index(ids)).to_numpy(dtype=float)
    else:
        vals = np.full(len(ids), np.nan)
    colors = _classify(vals, lg) if values is not None else ["#cfd8dc"] * len(ids)
    labels = [t("map.tip.street", lang)] + ([ind.label(lang)] if values is not None else [])
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
    _GeoJsonLayer(
        {"type": "FeatureCollection", "features": features},
        name=t("map.layer.grids", lang),
        style=_GRID_STYLE,
        on_each_feature=_tooltip_js(labels, hover=True),
    ).add_to(m)


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
    _GeoJsonLayer(
        {"type": "FeatureCollection", "features": features},
        name=name,
        show=show,
        point_to_layer=_POINT,
        on_each_feature=_tooltip_js(labels, subtitle),
    ).add_to(m)


def _in_bounds(frame: pd.DataFrame, bounds: tuple[float, float, float, float]) -> pd.DataFrame:
    minx, miny, maxx, maxy = bounds
    pad = 0.005
    keep = frame["lon"].between(minx - pad, maxx + pad) & frame["lat"].between(
        miny - pad, maxy + pad
    )
    return frame[keep]


def _centers(m: folium.Map, dataset: Dataset, bounds: Any, lang: Lang, staff: pd.Series) -> None:
    centers = _in_bounds(dataset.centers, bounds)
    for level in ("street", "community", "grid"):
        part = centers[centers["level"] == level]
        if part.empty:
            continue
        level_name = t(_LEVEL_LAYERS[level], lang)
        today = pd.Series(part["staff"].to_numpy(float), index=part["center_id"].astype(str))
        s = staff.reindex(today.index).astype(float).combine_first(today)
        base, step, top = _MARKER_SIZE[level]
        radii = [min(top, base + step * math.sqrt(max(float(v), 0.0))) for v in s]
        values = [[f"{float(v):,.1f}"] for v in s]
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
        values.append([_esc(label), _esc(str(rating)), f"{float(hours):,.0f}"])
    labels = [t("map.tip.domain", lang), t("map.tip.rating", lang), t("map.tip.hours", lang)]
    tips = (labels, "", [str(n) for n in orgs["name"]], values)
    _points_layer(m, orgs, t("map.layer.orgs", lang), "#f39c12", [4.0] * len(orgs), tips)


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
    grids = geo.grids
    shapes = geo.shapes
    if street is not None:
        mask = (grids["street"].astype(str) == street).to_numpy()
        if mask.any():
            grids = grids[mask]
            shapes = [s for s, k in zip(shapes, mask, strict=True) if k]
    bounds = tuple(float(b) for b in grids.total_bounds)
    m = _new_map(bounds, online_tiles)  # type: ignore[arg-type]
    _basemap(m, geo, lang)
    ind = indicators.get(indicator)
    lg = legend(values, indicator, lang, diverging)
    _grid_layer(m, grids, shapes, values, ind, lg, lang)
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
    """A built map with its legend and the values drawn (by ``grid_id``)."""

    map: folium.Map
    legend: Legend
    values: pd.Series


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
    return MapView(m, legend(values, indicator, lang, ind.diverging), values)


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
