"""Scenarios page pieces: the saved list, compare two, export one, rename and delete."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime, tzinfo

import pandas as pd
import streamlit as st

from govopt.analysis.compare import center_differences, compare_kpis
from govopt.data.dataset import Dataset
from govopt.i18n import Lang, fmt_int, fmt_num, fmt_pct, t
from govopt.output.problem_text import describe
from govopt.output.store import NameTaken, SavedScenario, ScenarioStore, StoreError
from govopt.output.words import objective_label, status_label
from govopt.ui import session
from govopt.ui.plan_view import planner_downloads, show_map, show_status
from govopt.ui.widgets import PCT_COLUMNS, download, escape_md, label, table

__all__ = [
    "compare_view",
    "export_view",
    "kpi_frame",
    "local_time",
    "manage_message",
    "manage_view",
    "saved_table",
]

_INT_KPIS = frozenset({"grids_below_target", "unreachable_grids"})
_PICK = "sc_manage"
_NEW_NAME = "sc_new_name"
_SURE = "sc_sure"
_FILLED_FOR = "sc_manage_filled_for"
_MESSAGE = "sc_manage_message"


def local_time(saved_at: str, zone: tzinfo) -> str:
    """A stored UTC time (ISO 8601) as ``YYYY-MM-DD HH:MM`` in ``zone``; unreadable text as is."""
    try:
        when = datetime.fromisoformat(saved_at)
    except ValueError:
        return saved_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def saved_table(saved: builtins.list[SavedScenario], lang: Lang) -> None:
    """The saved scenarios, newest first, with their save times in the local time zone."""
    zone, zone_name, rejected = session.display_zone()
    df = pd.DataFrame(
        {
            "name": [s.name for s in saved],
            "saved_at": [local_time(s.saved_at, zone) for s in saved],
            "dataset": [s.dataset for s in saved],
            "objective": [objective_label(s.objective, lang) for s in saved],
            "status": [status_label(s.status, lang) for s in saved],
            "coverage": [s.coverage for s in saved],
            "staff_used": [s.staff_used for s in saved],
            "funds_used_cny": [s.funds_used_cny for s in saved],
        }
    )
    table(df, lang)
    st.caption(t("sc.times_in", lang, zone=escape_md(zone_name)))
    if rejected is not None:
        st.warning(t("sc.unknown_zone", lang, name=escape_md(rejected), zone=escape_md(zone_name)))


def _fmt(kpi: str, value: float, lang: Lang, signed: bool = False) -> str:
    if value != value:
        return "—"
    value = 0.0 if abs(value) < 1e-6 else value
    if kpi in PCT_COLUMNS:
        text = fmt_pct(value)
    elif kpi in _INT_KPIS:
        text = fmt_int(value, lang)
    else:
        text = fmt_num(value, lang, 0)
    return "+" + text if signed and value > 0 else text


def kpi_frame(a: str, b: str, table_ab: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The KPI comparison as display text, columns named after the two scenarios."""
    return pd.DataFrame(
        {
            t("sc.kpi", lang): [label(k, lang) for k in table_ab["kpi"]],
            a: [_fmt(k, v, lang) for k, v in zip(table_ab["kpi"], table_ab["a"], strict=True)],
            b: [_fmt(k, v, lang) for k, v in zip(table_ab["kpi"], table_ab["b"], strict=True)],
            t("sc.difference", lang): [
                _fmt(k, v, lang, signed=True)
                for k, v in zip(table_ab["kpi"], table_ab["difference"], strict=True)
            ],
        }
    )


def compare_view(
    store: ScenarioStore, names: builtins.list[str], dataset: Dataset, lang: Lang
) -> None:
    """Two saved scenarios side by side: KPIs, change map, centers that differ most."""
    c1, c2 = st.columns(2)
    a = c1.selectbox(t("sc.pick_a", lang), names, index=min(1, len(names) - 1), key="sc_a")
    b = c2.selectbox(t("sc.pick_b", lang), names, index=0, key="sc_b")
    if a is None or b is None:
        return
    plan_a, plan_b = store.load(a), store.load(b)
    for plan in (plan_a, plan_b):
        show_status(plan, lang)
    st.dataframe(kpi_frame(a, b, compare_kpis(plan_a, plan_b), lang), hide_index=True)
    if not (plan_a.has_values and plan_b.has_values):
        return
    st.subheader(t("sc.change_map", lang))
    try:
        show_map(dataset, plan_a, lang, other=plan_b)
    except Exception as exc:  # a plan saved on another dataset
        st.info(t("sc.map_other_dataset", lang, detail=escape_md(describe(exc, lang))))
    st.subheader(t("sc.top_centers", lang))
    diff = center_differences(plan_a, plan_b)
    if diff.empty:
        st.info(t("sc.no_differences", lang))
    else:
        table(diff, lang)


def export_view(
    store: ScenarioStore, names: builtins.list[str], dataset: Dataset, lang: Lang
) -> None:
    """Download one saved plan: CSV files (zip), GeoJSON of grids, standalone HTML map,
    Excel workbook and printable report."""
    name = st.selectbox(t("sc.pick_export", lang), names, key="sc_export")
    if name is None:
        return
    plan = store.load(name)
    if not show_status(plan, lang):
        return
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    from govopt.output.export import grids_geojson_bytes, plan_zip_bytes

    cols = st.columns(3)
    with cols[0]:
        data = plan_zip_bytes(plan, dataset, lang)
        download("sc.dl_zip", data, f"{safe}.zip", "application/zip", lang, key="sc_dl_zip")
    with cols[1]:
        data = grids_geojson_bytes(plan, dataset)
        download(
            "sc.dl_geojson", data, f"{safe}.geojson", "application/geo+json", lang, "sc_dl_geo"
        )
    with cols[2]:
        try:
            from govopt.output.maps import indicator_map, standalone_html

            view = indicator_map(dataset, "plan_coverage", lang=lang, plan=plan)
            html = standalone_html(view.map, view.legend, title=name).encode("utf-8")
        except Exception as exc:
            st.info(t("sc.map_other_dataset", lang, detail=escape_md(describe(exc, lang))))
        else:
            download("sc.dl_html", html, f"{safe}.html", "text/html", lang, key="sc_dl_html")
    planner_downloads(plan, lang, "sc_dl", safe)


def _rename(store: ScenarioStore, lang: Lang) -> None:
    old = str(st.session_state.get(_PICK, ""))
    new = str(st.session_state.get(_NEW_NAME) or "").strip()
    try:
        store.rename(old, new)
    except StoreError as exc:
        message = ("error", session.store_message(exc, lang))
    except NameTaken:
        message = ("error", t("sc.rename_taken", lang, name=escape_md(new)))
    except ValueError:
        message = ("error", t("sc.rename_no_name", lang))
    except KeyError:
        message = ("error", t("sc.gone", lang, name=escape_md(old)))
    else:
        st.session_state[_PICK] = new
        text = t("sc.renamed", lang, old=escape_md(old), new=escape_md(new))
        message = ("success", text if new != old else t("sc.same_name", lang))
    st.session_state[_MESSAGE] = message


def _delete(store: ScenarioStore, lang: Lang) -> None:
    name = str(st.session_state.get(_PICK, ""))
    try:
        deleted = store.delete(name)
    except StoreError as exc:
        st.session_state[_MESSAGE] = ("error", session.store_message(exc, lang))
        return
    st.session_state.pop(_PICK, None)
    st.session_state[_SURE] = False
    key = "sc.deleted" if deleted else "sc.gone"
    st.session_state[_MESSAGE] = (
        "success" if deleted else "error",
        t(key, lang, name=escape_md(name)),
    )


def manage_view(store: ScenarioStore, names: builtins.list[str], lang: Lang) -> None:
    """Rename or delete the scenario picked (delete asks for confirmation).

    The new-name box starts as the picked name and the confirmation as not
    ticked, again whenever another scenario is picked; both buttons say what
    they did. On a read-only store both are switched off, with the reason shown.
    """
    name = st.selectbox(t("sc.pick_manage", lang), names, key=_PICK)
    if name is None:
        return
    if st.session_state.get(_FILLED_FOR) != name or _NEW_NAME not in st.session_state:
        st.session_state[_NEW_NAME] = name
        st.session_state[_SURE] = False
        st.session_state[_FILLED_FOR] = name
    locked = store.read_only
    if locked:
        st.warning(session.store_message(StoreError("read_only", store.path), lang))
    st.text_input(t("sc.new_name", lang), key=_NEW_NAME, disabled=locked)
    st.button(
        t("sc.rename", lang),
        key="sc_rename",
        disabled=locked,
        on_click=_rename,
        args=(store, lang),
    )
    label = t("sc.confirm_delete", lang, name=escape_md(name))
    sure = st.checkbox(label, key=_SURE, disabled=locked)
    st.button(
        t("sc.delete", lang),
        key="sc_delete",
        disabled=locked or not sure,
        type="primary",
        on_click=_delete,
        args=(store, lang),
    )
    manage_message()


def manage_message() -> None:
    """What the last rename or delete did (shown once)."""
    message = st.session_state.pop(_MESSAGE, None)
    if message is not None:
        kind, text = message
        (st.success if kind == "success" else st.error)(text)
