"""Reusable Streamlit pieces: the scenario form, KPI cards, translated tables, downloads."""

from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Literal

import pandas as pd
import streamlit as st

from govopt.analysis.overview import DistrictKpis
from govopt.data.scenario import OBJECTIVES, Objective, Scenario
from govopt.data.schema import LevelValues
from govopt.i18n import (
    STRINGS,
    Lang,
    fmt_cny,
    fmt_int,
    fmt_money,
    fmt_num,
    fmt_pct,
    fmt_staff,
    t,
)
from govopt.output.help_text import help_text
from govopt.output.words import problem_text
from govopt.plan import Kpis

__all__ = [
    "PCT_COLUMNS",
    "TWO_DECIMAL_COLUMNS",
    "district_cards",
    "download",
    "escape_md",
    "kpi_cards",
    "label",
    "rating_label",
    "scenario_form",
    "table",
    "text_table",
]

PCT_COLUMNS: frozenset[str] = frozenset(
    {"coverage", "baseline_coverage", "elderly_share", "min_coverage", "coverage_gini"}
)
TWO_DECIMAL_COLUMNS: frozenset[str] = frozenset(
    {"wisn_need", "wisn_ratio_before", "wisn_ratio_after"}
)
_LEVELS = ("street", "community", "grid")
_CODED = frozenset({"level", "severity"})
_ROW_PX = 35
_CARDS_PER_ROW = 4
_CHAR_PX = 6.4  # a Latin character of the table font; CJK characters count twice
_PAD_PX = 22
_MAX_COLUMN_PX = 240
_MAX_TABLE_PX = 700
_LEVEL_LABELS: dict[str, tuple[str, str, str]] = {
    "radius": ("sf.radius.street", "sf.radius.community", "sf.radius.grid"),
    "min_staff": ("sf.min_staff.street", "sf.min_staff.community", "sf.min_staff.grid"),
    "min_funds": ("sf.min_funds.street", "sf.min_funds.community", "sf.min_funds.grid"),
}


def label(column: str, lang: Lang) -> str:
    """Display name of a column or KPI (``col.<name>`` in the string table), else the name."""
    key = f"col.{column}"
    return t(key, lang) if key in STRINGS else column


_MD_SPECIAL = "\\`*_{}[]<>#|~$&"
_BLOCK_START = re.compile(r"^(\s*)([-+>=]|\d+[.)])")
_BACKTICKS = re.compile(r"`+")


def escape_md(text: object, *, code: bool = False) -> str:
    """User text (names, paths, messages) made safe for any Streamlit text that reads Markdown.

    Streamlit renders Markdown in ``st.markdown``/``caption``/``info``/
    ``success``/``warning``/``error``, in ``st.table`` cells and headers, and
    in widget labels and radio options (images included). Every character
    that starts markup is backslash-escaped, a leading list or quote marker
    too, and line breaks become spaces, so the text shows literally: no
    image is fetched, nothing turns bold. With ``code=True`` the text is put
    in a code span instead (for paths, shown exactly as typed). Do not use it
    for plain-text places: ``st.dataframe`` cells and headers, selectbox
    options, text inputs.
    """
    text = " ".join(str(text).splitlines())
    if code:
        if not text:
            return ""
        fence = "`" * (max((len(m) for m in _BACKTICKS.findall(text)), default=0) + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{pad}{text}{pad}{fence}"
    for ch in _MD_SPECIAL:
        text = text.replace(ch, "\\" + ch)
    match = _BLOCK_START.match(text)
    if match:
        end = match.end(2) - 1
        text = text[:end] + "\\" + text[end:]
    return text


def _units(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    return str(value)


def _fit_width(header: str, values: pd.Series) -> int:
    """Pixels for a column to show its header and its longest (first 500) values in full."""
    longest = max((_units(_cell_text(v)) for v in values.head(500)), default=0)
    return min(int(max(_units(header), longest) * _CHAR_PX) + _PAD_PX, _MAX_COLUMN_PX)


def _as_text(values: pd.Series, fmt: str) -> list[str]:
    return ["—" if pd.isna(v) else fmt.format(v) for v in values]


def _localized(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _in_tenths(column: str, values: pd.Series) -> bool:
    """Whether a rounded column shows one decimal in every row (4,377.0 next to 3,328.1).

    Head counts are the exception: a whole number of staff shows as 3, not 3.0.
    """
    if "staff" in column:
        return False
    finite = values.dropna()
    return bool(((finite - finite.round()).abs() > 1e-9).any())


def table(
    df: pd.DataFrame, lang: Lang, *, pct: Sequence[str] = (), height: int | None = None
) -> None:
    """Show ``df`` with translated headers; shares as percentages, WISN figures to 2 decimals.

    A missing value shows as "—": a number column with gaps is shown as
    right-aligned text, since the table would print "None" in the gaps.
    """
    shown = df.copy()
    config: dict[str, Any] = {}
    for col in shown.columns:
        name = label(str(col), lang)
        right = st.column_config.TextColumn(name, alignment="right")
        numeric = pd.api.types.is_numeric_dtype(shown[col]) and not pd.api.types.is_bool_dtype(
            shown[col]
        )
        gaps = bool(shown[col].isna().any())
        if col in PCT_COLUMNS or col in pct:
            values = pd.to_numeric(shown[col], errors="coerce") * 100
            gaps = bool(values.isna().any())
            shown[col] = _as_text(values, "{:.1f}%") if gaps else values
            config[str(col)] = (
                right if gaps else st.column_config.NumberColumn(name, format="%.1f%%")
            )
        elif col in TWO_DECIMAL_COLUMNS:
            if gaps:
                shown[col] = _as_text(pd.to_numeric(shown[col], errors="coerce"), "{:,.2f}")
            config[str(col)] = right if gaps else st.column_config.NumberColumn(name, format="%.2f")
        elif numeric:
            tenths = False
            if pd.api.types.is_float_dtype(shown[col]):
                shown[col] = shown[col].round(1)
                tenths = _in_tenths(str(col), shown[col])
            if gaps:
                shown[col] = [
                    "—" if pd.isna(v) else f"{v:,.1f}" if tenths else _localized(v)
                    for v in shown[col]
                ]
            fmt = "%,.1f" if tenths else "localized"
            config[str(col)] = right if gaps else st.column_config.NumberColumn(name, format=fmt)
        else:
            if col in _CODED:
                shown[col] = [label(f"{col}_{v}", lang) for v in shown[col].astype(str)]
            elif gaps:
                shown[col] = shown[col].astype(object).where(shown[col].notna(), "—")
            config[str(col)] = st.column_config.Column(name)
        config[str(col)]["width"] = _fit_width(name, shown[col])
    fit = min(_ROW_PX * (len(shown) + 1) + 3, _MAX_TABLE_PX)
    st.dataframe(shown, hide_index=True, column_config=config, height=height or fit)


def text_table(df: pd.DataFrame) -> None:
    """``st.table`` (which renders Markdown) with every cell, header and index label escaped."""
    shown = df.map(escape_md).rename(index=escape_md, columns=escape_md)
    shown.index.name = escape_md(df.index.name or "")
    st.table(shown)


def download(
    label_key: str,
    data: bytes | Callable[[], bytes],
    file_name: str,
    mime: str,
    lang: Lang,
    key: str,
    **params: object,
) -> None:
    """A download button (label ``t(label_key, lang, **params)``) that does not rerun the page.

    ``data`` may be a function: the file is then made when the button is pressed.
    """
    st.download_button(
        t(label_key, lang, **params),
        data,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",
    )


def rating_label(rating: str, lang: Lang) -> str:
    """An organization rating for display: 5A..1A as they are, ``none`` as "not rated"."""
    return t("rating.none", lang) if str(rating) == "none" else str(rating)


def district_cards(k: DistrictKpis, lang: Lang) -> None:
    """District KPIs as metric cards, each with its one-line explanation."""
    row1 = st.columns(4)
    row1[0].metric(t("ov.grids", lang), fmt_int(k.grids, lang), help=help_text("grids", lang))
    row1[1].metric(
        t("ov.residents", lang), fmt_int(k.residents, lang), help=help_text("residents", lang)
    )
    row1[2].metric(
        t("ov.elderly_share", lang), fmt_pct(k.elderly_share), help=help_text("elderly_share", lang)
    )
    row1[3].metric(
        t("ov.orders_per_1000", lang),
        fmt_num(k.orders_per_1000, lang),
        help=help_text("orders_per_1000", lang),
    )
    row2 = st.columns(4)
    levels = " / ".join(fmt_int(k.centers_by_level.get(lv, 0), lang) for lv in _LEVELS)
    row2[0].metric(t("ov.centers", lang), fmt_int(k.centers, lang), help=help_text("centers", lang))
    row2[0].caption(t("ov.centers_by_level", lang, counts=levels))
    row2[1].metric(t("ov.staff", lang), fmt_int(k.staff, lang), help=help_text("staff", lang))
    row2[2].metric(t("ov.funds", lang), fmt_money(k.funds_cny, lang), help=help_text("funds", lang))
    row2[3].metric(t("ov.orgs", lang), fmt_int(k.orgs, lang), help=help_text("orgs", lang))
    ratings = ", ".join(f"{rating_label(r, lang)}: {n}" for r, n in k.orgs_by_rating.items() if n)
    row2[3].caption(escape_md(ratings) if ratings else "—")
    row3 = st.columns(4)
    row3[0].metric(
        t("ov.baseline_coverage", lang),
        fmt_pct(k.baseline_coverage),
        help=help_text("baseline_coverage", lang),
    )
    unreachable = None if k.unreachable_grids is None else float(k.unreachable_grids)
    row3[1].metric(
        t("ov.unreachable", lang),
        fmt_int(unreachable, lang),
        help=help_text("unreachable_grids", lang),
    )
    row3[2].metric(
        t("ov.work_orders", lang), fmt_int(k.work_orders, lang), help=help_text("work_orders", lang)
    )
    row3[3].metric(t("ov.streets", lang), fmt_int(k.streets, lang), help=help_text("streets", lang))


_CARD_KPIS: tuple[tuple[str, str], ...] = (
    ("coverage", "pct"),
    ("min_coverage", "pct"),
    ("grids_below_target", "int"),
    ("unreachable_grids", "int"),
    ("staff_used", "int"),
    ("funds_used_cny", "num"),
    ("staff_transfers", "int"),
)


def _fmt(value: float | None, kind: str, lang: Lang) -> str:
    if kind == "pct":
        return fmt_pct(value)
    if kind == "staff":
        return fmt_staff(value, lang)
    return fmt_int(value, lang) if kind == "int" else fmt_money(value, lang)


_CHANGE_KPIS: tuple[tuple[str, str], ...] = (
    ("centers_changed", "int"),
    ("moved_staff", "staff"),
    ("moved_funds_cny", "num"),
)


def change_cards(plan: Kpis, lang: Lang) -> None:
    """How much the plan changes from today: centers changed, staff and funds moved."""
    cols = st.columns(len(_CHANGE_KPIS))
    for col, (name, kind) in zip(cols, _CHANGE_KPIS, strict=True):
        value = getattr(plan, name)
        shown = "–" if value is None else _fmt(float(value), kind, lang)
        col.metric(label(name, lang), shown, help=help_text(name, lang))


def kpi_cards(after: Kpis, before: Kpis | None, lang: Lang) -> None:
    """Plan KPIs as metric cards (four a row), with the change from ``before`` (today) as delta."""
    rows = [_CARD_KPIS[i : i + _CARDS_PER_ROW] for i in range(0, len(_CARD_KPIS), _CARDS_PER_ROW)]
    cols = [col for row in rows for col in st.columns(_CARDS_PER_ROW)[: len(row)]]
    for col, (name, kind) in zip(cols, _CARD_KPIS, strict=True):
        value = float(getattr(after, name))
        delta = None
        color: Literal["normal", "inverse", "off"] = "normal"
        arrow: Literal["auto", "off"] = "auto"
        if before is not None:
            diff = value - float(getattr(before, name))
            diff = 0.0 if abs(diff) < 1e-9 else diff
            delta = fmt_pct(diff) if kind == "pct" else _fmt(diff, kind, lang)
            delta = delta if diff <= 0 or delta.startswith("-") else "+" + delta
            if name in ("grids_below_target", "unreachable_grids", "staff_transfers"):
                color = "inverse"
            if abs(diff) < 1e-9:
                color, arrow = "off", "off"
        col.metric(
            label(name, lang),
            _fmt(value, kind, lang),
            delta=delta,
            delta_color=color,
            delta_arrow=arrow,
            help=help_text(name, lang),
        )


def _optional(value: float | None) -> float | None:
    return None if value is None else float(value)


def _help(field: str, lang: Lang, *, empty: bool = False) -> str:
    """The form field's one-line help; with ``empty``, saying an empty box means no limit."""
    text = help_text(field, lang) or ""
    hint = t("sf.no_limit", lang)
    if empty and hint.casefold() not in text.casefold():
        text = f"{text} {hint}".strip()
    return text


def _grouped(value: float | None, lang: Lang, *, cny: bool = True) -> str:
    """A form value with its digits grouped (number boxes cannot group them); empty: no limit."""
    if value is None:
        return t("out.no_limit", lang)
    return fmt_cny(value, lang) if cny else f"{value:,.0f}"


def _limit_input(
    col: Any, label: str, value: float | None, *, key: str, step: float, fmt: str, help: str
) -> float | None:
    """A number box that may be emptied (``None``: no limit), filled from ``value`` when new.

    Streamlit puts a box's default back when it is cleared, so the box has
    none; its value is set through its key when the box is drawn afresh.
    """
    if key not in st.session_state:
        st.session_state[key] = _optional(value)
    got = col.number_input(
        label, min_value=0.0, value=None, step=step, format=fmt, help=help, key=key
    )
    return _optional(got)


def scenario_form(
    default: Scenario, lang: Lang, *, remember: Callable[[Scenario], None] | None = None
) -> Scenario | None:
    """The what-if form, filled from ``default``; return the submitted, checked scenario.

    Budgets and limits left empty are ``None`` (no limit). ``remember`` gets
    every submitted scenario, checked or not, so the form can be drawn again
    with the planner's values (Streamlit forgets a form that is not drawn).
    Returns ``None`` when the form was not submitted or its values have
    problems (listed under the form).
    """
    with st.form("scenario_form"):
        c1, c2 = st.columns(2)
        name = c1.text_input(
            t("sf.name", lang), default.name, key="sf_name", help=_help("name", lang)
        )
        objective = c2.selectbox(
            t("sf.objective", lang),
            OBJECTIVES,
            index=OBJECTIVES.index(default.objective),
            format_func=lambda o: t(o.label_key, lang),
            key="sf_objective",
            help=_help("objective", lang),
        )
        st.markdown("**" + t("sf.budget", lang) + "**")
        b = st.columns(4)
        budget_fields = (
            ("staff_total", t("sf.staff_total", lang), default.staff_total, 10.0),
            ("funds_total", t("sf.funds_total", lang), default.funds_total_cny, 100_000.0),
            ("max_transfers", t("sf.max_transfers", lang), default.max_transfers, 5.0),
            (
                "max_funds_moved",
                t("sf.max_funds_moved", lang),
                default.max_funds_moved_cny,
                100_000.0,
            ),
        )
        staff_total, funds, transfers, funds_moved = (
            _limit_input(
                col,
                label,
                value,
                key=f"sf_{field}",
                step=step,
                fmt="%.0f",
                help=_help(field, lang, empty=True),
            )
            for col, (field, label, value, step) in zip(b, budget_fields, strict=True)
        )
        st.caption(
            t(
                "sf.grouped_budget",
                lang,
                staff=_grouped(staff_total, lang, cny=False),
                funds=_grouped(funds, lang),
                transfers=_grouped(transfers, lang, cny=False),
                moved=_grouped(funds_moved, lang),
            )
        )
        st.markdown("**" + t("sf.policy", lang) + "**")
        radius = _level_inputs("radius", default.radius_m, 100.0, lang)
        min_staff = _level_inputs("min_staff", default.min_staff, 1.0, lang)
        min_funds = _level_inputs("min_funds", default.min_funds_cny, 10_000.0, lang)
        grouped = {lv: _grouped(min_funds[lv], lang) for lv in _LEVELS}
        st.caption(t("sf.grouped_min_funds", lang, **grouped))
        p = st.columns(2)
        target = p[0].slider(
            t("sf.coverage_target", lang),
            0,
            100,
            round(default.coverage_target * 100),
            format="%d%%",
            key="sf_coverage_target",
            help=_help("coverage_target", lang),
        )
        integer = p[1].checkbox(
            t("sf.integer_staff", lang),
            default.integer_staff,
            key="sf_int",
            help=_help("integer_staff", lang),
        )
        st.markdown("**" + t("sf.standards", lang) + "**")
        s = st.columns(3)
        hours = s[0].number_input(
            t("sf.work_hours", lang),
            min_value=1.0,
            value=default.work_hours_per_staff,
            format="%.0f",
            key="sf_hours",
            help=_help("work_hours", lang),
        )
        cost = s[1].number_input(
            t("sf.cost_per_hour", lang),
            min_value=1.0,
            value=default.cost_per_hour_cny,
            key="sf_cost",
            help=_help("cost_per_hour", lang),
        )
        wage = s[2].number_input(
            t("sf.wage", lang),
            min_value=1.0,
            value=default.wage_per_staff_cny,
            step=1000.0,
            format="%.0f",
            key="sf_wage",
            help=_help("wage", lang),
        )
        time_limit = _limit_input(
            st,
            t("sf.time_limit", lang),
            default.time_limit_s,
            key="sf_time_limit",
            step=30.0,
            fmt="%g",
            help=_help("time_limit", lang, empty=True),
        )
        submitted = st.form_submit_button(t("sf.solve", lang), type="primary")
    if not submitted:
        return None
    scenario = replace(
        default,
        name=name.strip() or default.name,
        objective=Objective(objective),
        staff_total=staff_total,
        funds_total_cny=funds,
        max_transfers=transfers,
        max_funds_moved_cny=funds_moved,
        radius_m=radius,
        min_staff=min_staff,
        min_funds_cny=min_funds,
        coverage_target=target / 100,
        integer_staff=bool(integer),
        work_hours_per_staff=float(hours),
        cost_per_hour_cny=float(cost),
        wage_per_staff_cny=float(wage),
        time_limit_s=time_limit,
    )
    if remember is not None:
        remember(scenario)
    problems = scenario.problems()
    if problems:
        lines = (f"- {escape_md(problem_text(p, lang))}" for p in problems)
        st.error(t("sf.invalid", lang) + "\n\n" + "\n".join(lines))
        return None
    return scenario


def _level_inputs(kind: str, values: LevelValues, step: float, lang: Lang) -> LevelValues:
    cols = st.columns(3)
    got = {
        lv: col.number_input(
            t(key, lang),
            min_value=0.0,
            value=float(values[lv]),
            step=step,
            format="%.0f",
            key=f"sf_{kind}_{lv}",
            help=_help(kind, lang),
        )
        for col, lv, key in zip(cols, _LEVELS, _LEVEL_LABELS[kind], strict=True)
    }
    return LevelValues(**{k: float(v) for k, v in got.items()})
