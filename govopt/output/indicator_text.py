"""Indicator values as text for a planner: formatted numbers and a grid's details table.

The values come from :mod:`govopt.analysis.indicators`; this module only turns
them into words and numbers in the UI language, for map tooltips, legends and
the details panel.
"""

from __future__ import annotations

import math

import pandas as pd

from govopt.analysis.indicators import Indicator, get, indicator_table
from govopt.data.dataset import Dataset
from govopt.i18n import Lang, fmt_num, fmt_pct

__all__ = ["format_value", "grid_details"]


def format_value(ind: Indicator, value: float | None, lang: Lang) -> str:
    """Format one value of ``ind`` for a tooltip, legend or table ("—" when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if ind.kind == "share":
        sign = "+" if ind.diverging and value > 0 else ""
        return sign + fmt_pct(value)
    if ind.kind == "flag":
        yes = value >= 0.5
        return ("是" if yes else "否") if lang != "en" else ("yes" if yes else "no")
    if ind.kind == "distance":
        return f"{fmt_num(value, 'en', 0)} m" if lang == "en" else f"{value:,.0f} 米"
    digits = 2 if ind.kind in ("score", "ratio") else 1
    unit = ind.unit(lang)
    text = fmt_num(value, lang, digits)
    return f"{text} {unit}".strip() if lang == "en" else f"{text}{unit}"


def grid_details(
    dataset: Dataset,
    grid_id: str,
    lang: Lang,
    *,
    table: pd.DataFrame | None = None,
    extra: pd.Series | None = None,
) -> pd.DataFrame:
    """Two-column table (item, value) describing one grid, for the map's details panel.

    ``extra`` is an indicator series (e.g. a plan's coverage) whose value for the
    grid is shown first; ``table`` a precomputed
    :func:`~govopt.analysis.indicators.indicator_table`.
    """
    zh = lang != "en"
    grids = dataset.grids.set_index(dataset.grids["grid_id"].astype(str))
    if grid_id not in grids.index:
        raise KeyError(f"no grid with grid_id {grid_id!r}")
    row = grids.loc[grid_id]
    items: list[tuple[str, str]] = [
        ("网格编号" if zh else "Grid id", grid_id),
        ("名称" if zh else "Name", str(row["name"])),
        ("街道/镇" if zh else "Street/town", str(row["street"])),
        ("社区/村" if zh else "Community", str(row["community"])),
        ("户数" if zh else "Households", f"{float(row['households']):,.0f}"),
        ("常住人口" if zh else "Residents", f"{float(row['residents']):,.0f}"),
        ("60岁以上" if zh else "Aged 60+", f"{float(row['elderly']):,.0f}"),
    ]
    if extra is not None and extra.name is not None:
        ind = get(str(extra.name))
        items.insert(0, (ind.label(lang), format_value(ind, _value(extra, grid_id), lang)))
    tab = table if table is not None else indicator_table(dataset)
    for col in tab.columns:
        ind = get(str(col))
        items.append((ind.label(lang), format_value(ind, _value(tab[col], grid_id), lang)))
    item, value = ("项目", "数值") if zh else ("Item", "Value")
    return pd.DataFrame(items, columns=[item, value])


def _value(series: pd.Series, grid_id: str) -> float | None:
    if grid_id not in series.index:
        return None
    v = series.loc[grid_id]
    return None if pd.isna(v) else float(v)
