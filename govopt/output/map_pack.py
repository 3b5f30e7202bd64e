"""Map layers packed for the wire: quantized coordinates and columns, unpacked in the browser.

A city's grid layer as plain GeoJSON repeats every key, every color and every
street name once per grid and writes each coordinate in full. :func:`pack_polygons`
and :func:`pack_points` write the same features as columns instead: coordinates
as integers in units of ``10**-decimals`` degrees (a ring's first vertex from
the layer's origin, the others as steps from the vertex before; the closing
vertex is left out), and text columns that repeat as a lookup table with
indices. Text made of other columns (a grid's name holds its street and its
community) travels as a template naming them, ``{0}``, ``{1}``...: escaped text
holds no brace, so a template reads back exactly. :data:`UNPACK_JS` turns such
a payload back into the GeoJSON FeatureCollection the plain layer would hold,
so Leaflet draws, styles and binds tooltips exactly as before. Quantizing the
rounded coordinates is exact: two grids that share a vertex still share it.

A payload is a dict ``{"t", "q", "o", "n", "g", "p", "v", "x"}``: geometry type
(``"Polygon"`` or ``"Point"``), quantum per degree, origin (integers), number of
features, geometries, property columns by name, the columns of the ``v`` list
property, and the columns that templates take their parts from. A column is a
list (one value per feature), ``{"k": value}`` (one value for all),
``{"l": lookup, "i": indices}`` or ``{"c": template column, "a": [indices into
x]}`` (``{j}`` in the template stands for column ``x[a[j]]``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

__all__ = [
    "UNPACK_JS",
    "Composed",
    "column",
    "pack_points",
    "pack_polygons",
    "payload",
    "quantize_polygons",
    "templates",
]

UNPACK_JS = (
    "function(d){"
    "function at(c, i){if (Array.isArray(c)) {return c[i];} if ('k' in c) {return c.k;}"
    "if (!('c' in c)) {return c.l[c.i[i]];} var s = at(c.c, i);"
    "for (var j = 0; j < c.a.length; j++) {s = s.split('{' + j + '}').join(at(d.x[c.a[j]], i));}"
    "return s;}"
    "var q = d.q, ox = d.o[0], oy = d.o[1], feats = new Array(d.n);"
    "for (var i = 0; i < d.n; i++) {var geom = null;"
    "if (d.t === 'Point') {geom = {type: 'Point', "
    "coordinates: [(ox + d.g[2 * i]) / q, (oy + d.g[2 * i + 1]) / q]};}"
    "else {var polys = d.g[i], out = [];"
    "for (var a = 0; a < polys.length; a++) {var rings = [];"
    "for (var b = 0; b < polys[a].length; b++) {var r = polys[a][b], x = ox, y = oy, ring = [];"
    "for (var c = 0; c < r.length; c += 2) {x += r[c]; y += r[c + 1]; ring.push([x / q, y / q]);}"
    "ring.push(ring[0]); rings.push(ring);}"
    "out.push(rings);}"
    "if (out.length === 1) {geom = {type: 'Polygon', coordinates: out[0]};}"
    "else if (out.length) {geom = {type: 'MultiPolygon', coordinates: out};}}"
    "var p = {};"
    "for (var key in d.p) {p[key] = at(d.p[key], i);}"
    "if (d.v) {p.v = d.v.map(function(col){return at(col, i);});}"
    "feats[i] = {type: 'Feature', geometry: geom, properties: p};}"
    "return {type: 'FeatureCollection', features: feats};}"
)


@dataclass(frozen=True)
class Composed:
    """Text column written as templates whose ``{j}`` stands for shared column ``parts[j]``."""

    values: Sequence[str]
    parts: tuple[int, ...]


def templates(texts: Sequence[str], parts: Sequence[Sequence[str]]) -> list[str] | None:
    """``texts`` with each one's value of ``parts[j]`` written ``{j}``, or ``None`` if any
    text or part holds a brace (then a template could not be read back exactly).

    Parts are replaced in order; an empty part is left as it is.
    """
    if any("{" in x or "}" in x for col in (texts, *parts) for x in col):
        return None
    out = list(texts)
    for j, col in enumerate(parts):
        mark = "{" + str(j) + "}"
        out = [x.replace(p, mark) if p else x for x, p in zip(out, col, strict=True)]
    return out


def column(values: Sequence[Any] | Composed) -> list[Any] | dict[str, Any]:
    """A column as it travels: one value, a lookup table and indices, the list itself,
    or a :class:`Composed` column."""
    if isinstance(values, Composed):
        return {"c": column(values.values), "a": list(values.parts)}
    if len(values) == 0:
        return []
    codes, uniques = pd.factorize(pd.Series(list(values), dtype=object), sort=False)
    if len(uniques) == 1:
        return {"k": uniques[0]}
    if len(uniques) * 2 <= len(values):
        return {"l": list(uniques), "i": codes.tolist()}
    return list(values)


def payload(
    kind: str,
    decimals: int,
    origin: Sequence[int],
    n: int,
    geoms: list[Any],
    props: Mapping[str, Sequence[Any] | Composed],
    values: Sequence[Sequence[Any] | Composed] = (),
    shared: Sequence[Sequence[Any]] = (),
) -> dict[str, Any]:
    """Assemble a packed layer from geometries already quantized (see the module's text).

    ``shared`` are the columns that :class:`Composed` columns take their parts from.
    """
    return {
        "t": kind,
        "q": 10**decimals,
        "o": [int(origin[0]), int(origin[1])],
        "n": n,
        "g": geoms,
        "p": {name: column(col) for name, col in props.items()},
        "v": [column(col) for col in values],
        "x": [column(col) for col in shared],
    }


def quantize_polygons(
    geoms: Sequence[Any] | np.ndarray, decimals: int = 5
) -> tuple[list[int], list[list[list[list[int]]]]]:
    """The origin and, per feature, its polygons' rings as integer steps.

    Parameters
    ----------
    geoms : sequence of shapely geometries
        One (multi)polygon per feature in EPSG:4326; an empty one has no polygons.
    decimals : int
        Coordinates are rounded to this many decimals of a degree.
    """
    arr = np.asarray(geoms, dtype=object)
    n = len(arr)
    parts, part_of = shapely.get_parts(arr, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    ints = np.round(coords * 10**decimals).astype(np.int64)
    origin = ints.min(axis=0) if len(ints) else np.zeros(2, dtype=np.int64)
    ints -= origin
    closing = np.r_[coord_of[1:] != coord_of[:-1], True] if len(coord_of) else coord_of
    ints, coord_of = ints[~closing], coord_of[~closing]
    steps = ints.copy()
    steps[1:] -= ints[:-1]
    first = np.r_[True, coord_of[1:] != coord_of[:-1]] if len(coord_of) else coord_of
    steps[first] = ints[first]
    per_ring = np.bincount(coord_of, minlength=len(rings)) * 2
    ring_lists = np.split(steps.reshape(-1), np.cumsum(per_ring)[:-1]) if len(rings) else []
    out: list[list[list[list[int]]]] = [[] for _ in range(n)]
    polygons: list[list[list[int]]] = [[] for _ in range(len(parts))]
    for ring, part in zip(ring_lists, ring_of, strict=True):
        polygons[part].append(ring.tolist())
    for polygon, feature in zip(polygons, part_of, strict=True):
        out[feature].append(polygon)
    return [int(origin[0]), int(origin[1])], out


def pack_polygons(
    geoms: Sequence[Any] | np.ndarray,
    props: Mapping[str, Sequence[Any]],
    values: Sequence[Sequence[Any]] = (),
    *,
    decimals: int = 5,
) -> dict[str, Any]:
    """Polygons (or multipolygons) in EPSG:4326 with their properties, packed.

    Parameters
    ----------
    geoms : sequence of shapely geometries
        One (multi)polygon per feature; an empty one unpacks as no geometry.
    props : dict of str to sequence
        Property columns, one value per feature.
    values : sequence of sequences
        Columns of the list property ``v`` (the tooltip's values).
    decimals : int
        Coordinates are rounded to this many decimals of a degree.
    """
    origin, rings = quantize_polygons(geoms, decimals)
    return payload("Polygon", decimals, origin, len(rings), rings, props, values)


def pack_points(
    lon: Sequence[float] | np.ndarray,
    lat: Sequence[float] | np.ndarray,
    props: Mapping[str, Sequence[Any]],
    values: Sequence[Sequence[Any]] = (),
    *,
    decimals: int = 5,
) -> dict[str, Any]:
    """Points with their properties, packed (see :func:`pack_polygons`)."""
    xy = np.column_stack([np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)])
    ints = np.round(xy * 10**decimals).astype(np.int64)
    origin = ints.min(axis=0) if len(ints) else np.zeros(2, dtype=np.int64)
    flat = (ints - origin).reshape(-1).tolist()
    return payload(
        "Point", decimals, [int(origin[0]), int(origin[1])], len(xy), flat, props, values
    )
