"""Scenarios page pieces: the saved list, compare two, export one, rename and delete."""

from __future__ import annotations

import builtins

import pandas as pd
import streamlit as st

from govopt.analysis.compare import center_differences, compare_kpis
from govopt.data.dataset import Dataset
from govopt.data.errors import describe
from govopt.i18n import Lang, fmt_int, fmt_num, fmt_pct, t
from govopt.output.store import NameTaken, SavedScenario, ScenarioStore, StoreError
from govopt.output.words import objective_label, status_label
from govopt.ui import session
from govopt.ui.plan_view import show_map, show_status
from govopt.ui.widgets import PCT_COLUMNS, download, escape_md, label, table

__all__ = ["compare_view", "export_view", "kpi_frame", "manage_view", "saved_table"]

_INT_KPIS = frozenset({"grids_below_target", "unreachable_grids"})


def saved_table(saved: builtins.list[SavedScenario], lang: Lang) -> None:
    """The saved scenarios, newest first."""
    df = pd.DataFrame(
        {
            "name": [s.name for s in saved],
            "saved_at": [s.saved_at.replace("T", " ")[:16] for s in saved],
            "dataset": [s.dataset for s in saved],
            "objective": [objective_label(s.objective, lang) for s in saved],
            "status": [status_label(s.status, lang) for s in saved],
            "coverage": [s.coverage for s in saved],
            "staff_used": [s.staff_used for s in saved],
            "funds_used_cny": [s.funds_used_cny for s in saved],
        }
    )
    table(df, lang)


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
        st.info(t("sc.map_other_dataset", lang, detail=escape_md(describe(exc))))
    st.subheader(t("sc.top_centers", lang))
    diff = center_differences(plan_a, plan_b)
    if diff.empty:
        st.info(t("sc.no_differences", lang))
    else:
        table(diff, lang)


def export_view(
    store: ScenarioStore, names: builtins.list[str], dataset: Dataset, lang: Lang
) -> None:
    """Download one saved plan: CSV files (zip), GeoJSON of grids, standalone HTML map."""
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
            st.info(t("sc.map_other_dataset", lang, detail=escape_md(describe(exc))))
        else:
            download("sc.dl_html", html, f"{safe}.html", "text/html", lang, key="sc_dl_html")


def manage_view(store: ScenarioStore, names: builtins.list[str], lang: Lang) -> None:
    """Rename or delete a saved scenario (delete asks for confirmation).

    On a read-only store both are switched off, with the reason shown.
    """
    name = st.selectbox(t("sc.pick_manage", lang), names, key="sc_manage")
    if name is None:
        return
    locked = store.read_only
    if locked:
        st.warning(session.store_message(StoreError("read_only", store.path), lang))
    new = st.text_input(t("sc.new_name", lang), name, key="sc_new_name", disabled=locked)
    if st.button(t("sc.rename", lang), key="sc_rename", disabled=locked):
        try:
            store.rename(name, new)
        except StoreError as exc:
            st.error(session.store_message(exc, lang))
        except (NameTaken, ValueError, KeyError) as exc:
            st.error(escape_md(str(exc)))
        else:
            st.success(t("sc.renamed", lang, old=escape_md(name), new=escape_md(new.strip())))
            st.rerun()
    label = t("sc.confirm_delete", lang, name=escape_md(name))
    sure = st.checkbox(label, key="sc_sure", disabled=locked)
    if st.button(
        t("sc.delete", lang), key="sc_delete", disabled=locked or not sure, type="primary"
    ):
        try:
            store.delete(name)
        except StoreError as exc:
            st.error(session.store_message(exc, lang))
            return
        st.session_state.pop("sc_sure", None)
        st.rerun()
