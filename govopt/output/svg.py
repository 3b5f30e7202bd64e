"""Small inline SVG drawings for printable pages: paired bars and a grid map.

No scripts and no outside assets: every drawing is one ``<svg>`` element with
its text escaped, sized by its ``viewBox`` so it scales to the page width.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["AFTER_COLOR", "BEFORE_COLOR", "bar_pairs", "column_pairs", "polygons_svg"]

BEFORE_COLOR = "#9e9e9e"
AFTER_COLOR = "#1f6fb4"
_FONT = 'font-family="inherit" font-size="11"'
_WIDTH = 680


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _finite(value: float | None) -> float:
    return float(value) if value is not None and math.isfinite(value) else 0.0


def bar_pairs(
    labels: Sequence[str],
    before: Sequence[float | None],
    after: Sequence[float | None],
    texts: tuple[Sequence[str], Sequence[str]],
    *,
    top: float,
    names: tuple[str, str],
    marker: float | None = None,
    marker_label: str = "",
    label_width: int = 130,
) -> str:
    """Horizontal bars, two per label (``before`` grey above ``after`` blue).

    ``texts`` are the values as shown at the end of each bar; ``top`` is the
    value of a full bar; ``marker`` draws a dashed line (e.g. a target).
    """
    row, bar, head = 26, 9, 24
    plot = _WIDTH - label_width - 70
    height = head + row * len(labels) + 6
    scale = plot / top if top > 0 else 0.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" role="img" {_FONT}>',
        _legend(names, label_width),
    ]
    for i, label in enumerate(labels):
        y = head + i * row
        out.append(
            f'<text x="{label_width - 6}" y="{y + bar + 4}" text-anchor="end">{_esc(label)}</text>'
        )
        for j, (value, color) in enumerate(((before[i], BEFORE_COLOR), (after[i], AFTER_COLOR))):
            w = max(_finite(value) * scale, 0.0)
            yy = y + j * (bar + 1)
            out.append(
                f'<rect x="{label_width}" y="{yy}" width="{w:.1f}" height="{bar}" fill="{color}"/>'
            )
            out.append(
                f'<text x="{label_width + w + 4:.1f}" y="{yy + bar - 1}" font-size="9">'
                f"{_esc(texts[j][i])}</text>"
            )
    if marker is not None and top > 0:
        x = label_width + marker * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{head - 4}" x2="{x:.1f}" y2="{height - 4}" '
            'stroke="#c62828" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{head - 7}" text-anchor="middle" fill="#c62828" '
            f'font-size="9">{_esc(marker_label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _legend(names: tuple[str, str], x: int) -> str:
    parts = []
    for j, (name, color) in enumerate(zip(names, (BEFORE_COLOR, AFTER_COLOR), strict=True)):
        xx = x + j * 140
        parts.append(f'<rect x="{xx}" y="4" width="12" height="10" fill="{color}"/>')
        parts.append(f'<text x="{xx + 16}" y="13">{_esc(name)}</text>')
    return "".join(parts)


def column_pairs(
    labels: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    texts: tuple[Sequence[str], Sequence[str]],
    *,
    title: str,
    names: tuple[str, str],
    width: int = 330,
    height: int = 190,
) -> str:
    """Vertical columns, two per label (``before`` grey left of ``after`` blue)."""
    head, foot = 46, 22
    plot = height - head - foot
    top = max([_finite(v) for v in (*before, *after)] + [0.0])
    scale = plot / top if top > 0 else 0.0
    slot = (width - 20) / max(len(labels), 1)
    col = min(slot / 3, 40)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" {_FONT}>',
        f'<text x="10" y="14" font-weight="bold">{_esc(title)}</text>',
    ]
    for j, (name, color) in enumerate(zip(names, (BEFORE_COLOR, AFTER_COLOR), strict=True)):
        xx = 10 + j * 110
        out.append(f'<rect x="{xx}" y="20" width="10" height="9" fill="{color}"/>')
        out.append(f'<text x="{xx + 14}" y="28" font-size="10">{_esc(name)}</text>')
    base = height - foot
    out.append(f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#555"/>')
    for i, label in enumerate(labels):
        x0 = 10 + i * slot + (slot - 2 * col) / 2
        for j, (value, color) in enumerate(((before[i], BEFORE_COLOR), (after[i], AFTER_COLOR))):
            h = _finite(value) * scale
            x = x0 + j * col
            out.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{col - 2:.1f}" '
                f'height="{h:.1f}" fill="{color}"/>'
            )
            out.append(
                f'<text x="{x + col / 2 - 1:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" '
                f'font-size="8">{_esc(texts[j][i])}</text>'
            )
        out.append(
            f'<text x="{x0 + col:.1f}" y="{base + 14}" text-anchor="middle">{_esc(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _ring(coords: np.ndarray) -> str:
    pts = np.round(coords, 1)
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
    pts = pts[keep]
    if len(pts) < 3:
        return ""
    body = " ".join(f"{x:g},{y:g}" for x, y in pts[:-1])
    return f"M{body}Z"


def _path(geom: shapely.Geometry) -> str:
    rings: list[str] = []
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon":
            continue
        rings.append(_ring(np.asarray(part.exterior.coords)))
        rings.extend(_ring(np.asarray(r.coords)) for r in part.interiors)
    return "".join(r for r in rings if r)


def polygons_svg(
    grids: gpd.GeoSeries,
    colors: Sequence[str],
    *,
    outline: gpd.GeoSeries | None = None,
    width: int = _WIDTH,
    max_height: int = 820,
) -> str:
    """Polygons filled with ``colors`` (one per polygon), drawn to scale.

    Geometries are projected to their UTM zone (equal scale in x and y),
    fitted to ``width`` (at most ``max_height`` tall), simplified to about a
    tenth of a drawing unit and written with one decimal, so a district of
    thousands of grids stays a few hundred kilobytes.
    """
    src = grids if grids.crs is not None else grids.set_crs("EPSG:4326")
    crs = src.estimate_utm_crs() if len(src) else "EPSG:3857"
    projected = src.to_crs(crs)
    line = outline.to_crs(crs) if outline is not None and outline.crs is not None else None
    minx, miny, maxx, maxy = projected.total_bounds
    span_x, span_y = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    pad = 6
    scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
    height = math.ceil(span_y * scale + 2 * pad)

    def draw(series: gpd.GeoSeries) -> list[shapely.Geometry]:
        geoms = series.geometry.to_numpy()
        geoms = shapely.transform(
            geoms, lambda xy: np.column_stack(((xy[:, 0] - minx) * scale + pad,
                                               (maxy - xy[:, 1]) * scale + pad))
        )  # fmt: skip
        return list(shapely.simplify(geoms, 0.15, preserve_topology=True))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img">',
        '<g stroke="#ffffff" stroke-width="0.3" fill-rule="evenodd">',
    ]
    for geom, color in zip(draw(projected), colors, strict=True):
        if geom is None or shapely.is_empty(geom):
            continue
        out.append(f'<path d="{_path(geom)}" fill="{_esc(color)}"/>')
    out.append("</g>")
    if line is not None and len(line):
        out.append('<g fill="none" stroke="#555555" stroke-width="0.8">')
        out.extend(f'<path d="{_path(g)}"/>' for g in draw(line) if g is not None)
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
