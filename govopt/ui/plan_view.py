"""What-if page pieces: solve with progress, show a plan, save it."""

from __future__ import annotations

import hashlib
from typing import Literal

import pandas as pd
import streamlit as st

from govopt.data.dataset import Dataset
from govopt.data.errors import DataError
from govopt.data.scenario import Scenario, ScenarioError
from govopt.i18n import Lang, t
from govopt.optimize.results import changed_centers
from govopt.output.problem_text import describe, describe_problem
from govopt.output.store import NameTaken, OnConflict, ScenarioStore, StoreError
from govopt.output.words import explain_marginal, plan_notes, problem_text
from govopt.plan import Plan, Status
from govopt.ui import cache, session
from govopt.ui.why_view import show_below_target
from govopt.ui.widgets import change_cards, download, escape_md, kpi_cards, table

__all__ = [
    "file_stem",
    "plan_downloads",
    "planner_downloads",
    "previous_settings_notice",
    "save_form",
    "show_map",
    "show_plan",
    "show_status",
    "solve_with_progress",
]

_SAVE_MESSAGE = "wi_save_message"
_CENTER_COLUMNS = (
    "center_id",
    "name",
    "level",
    "staff0",
    "staff",
    "staff_change",
    "funds0_cny",
    "funds_cny",
    "funds_change",
    "org_hours",
    "served_hours",
    "wisn_need",
    "wisn_ratio_before",
    "wisn_ratio_after",
)
_STAGES = {
    "demand": "wi.stage.demand",
    "links": "wi.stage.links",
    "build": "wi.stage.build",
    "solve": "wi.stage.solve",
    "extract": "wi.stage.extract",
}
_DOWNLOADS = {"centers": "wi.download_centers", "grids": "wi.download_grids"}
_CONFLICT_CHOICES = {"rename": "wi.conflict_rename", "overwrite": "wi.conflict_overwrite"}


def solve_with_progress(key: str, scenario: Scenario, lang: Lang) -> session.LastSolve | None:
    """Solve ``scenario`` (cached) showing progress; remember and return it, or show the error."""
    with st.status(t("wi.solving", lang), expanded=True) as status:
        bar = st.progress(0.0, text=t("wi.building", lang))

        def progress(stage: str, share: float) -> None:
            key = _STAGES.get(stage)
            text = t(key, lang) if key else stage
            bar.progress(min(max(float(share), 0.0), 1.0), text=text)

        try:
            bar.progress(0.0, text=t("wi.stage.baseline", lang))
            baseline = cache.baseline_cached(key, scenario)
            plan = cache.solve_cached(key, scenario, progress, baseline=baseline)
        except ScenarioError as exc:
            status.update(label=t("wi.failed", lang), state="error")
            lines = (f"- {escape_md(problem_text(p, lang))}" for p in exc.problems)
            st.error(t("wi.bad_input", lang) + "\n\n" + "\n".join(lines))
            return None
        except DataError as exc:
            status.update(label=t("wi.failed", lang), state="error")
            lines = (f"- {escape_md(describe_problem(p, lang))}" for p in exc.problems)
            st.error(t("wi.bad_input", lang) + "\n\n" + "\n".join(lines))
            return None
        except Exception as exc:  # solver crash: a message, never a traceback
            status.update(label=t("wi.failed", lang), state="error")
            st.error(t("wi.solver_error", lang, detail=escape_md(describe(exc, lang))))
            return None
        bar.progress(1.0, text=t("wi.done", lang))
        if plan.optimal:
            status.update(label=t("wi.done", lang), state="complete", expanded=False)
        else:
            label = "wi.no_plan" if plan.status is Status.INFEASIBLE else "wi.failed"
            status.update(label=t(label, lang), state="error", expanded=False)
    session.remember_solve(plan, baseline)
    return session.last_solve()


def previous_settings_notice(form: Scenario | None, plan: Plan, lang: Lang) -> None:
    """Say so when the plan shown was solved for other settings than the form's."""
    if form is not None and form != plan.scenario:
        st.warning(t("wi.previous_settings", lang, name=escape_md(plan.scenario.name)))


def show_status(plan: Plan, lang: Lang) -> bool:
    """Explain a plan that is not optimal; return whether it is optimal."""
    if plan.optimal:
        return True
    key = {"infeasible": "wi.infeasible", "time_limit": "wi.time_limit"}.get(
        plan.status.value, "wi.not_solved"
    )
    lines = [f"- {escape_md(line)}" for line in plan_notes(plan, lang)]
    st.error(t(key, lang) + ("\n\n" + "\n".join(lines) if lines else ""))
    st.info(t("wi.what_to_do", lang))
    return False


def show_map(dataset: Dataset, plan: Plan, lang: Lang, *, other: Plan | None = None) -> None:
    """Coverage under ``plan`` (or the change to ``other``) on the map, with its legend."""
    from govopt.output.maps import indicator_map
    from govopt.ui.mapview import render_legend, render_map

    if other is None:
        view = indicator_map(dataset, "plan_coverage", lang=lang, plan=plan)
    else:
        view = indicator_map(dataset, "coverage_change", lang=lang, plan=plan, other=other)
    render_legend(view.legend)
    render_map(view.map, key="change_map" if other is not None else "plan_map")


def file_stem(name: str) -> str:
    """A scenario name as the start of a file name (letters, digits, ``-`` and ``_``)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name) or "plan"


def planner_downloads(
    plan: Plan, lang: Lang, key: str, stem: str, baseline: Plan | None = None
) -> None:
    """Download buttons for the plan's Excel workbook and printable report."""
    from govopt.output.workbook import XLSX_MIME

    files: tuple[tuple[Literal["xlsx", "report"], str, str, str], ...] = (
        ("xlsx", "out.dl_xlsx", f"{stem}.xlsx", XLSX_MIME),
        ("report", "out.dl_report", f"{stem}_report.html", "text/html"),
    )
    for col, (kind, label_key, name, mime) in zip(st.columns(2), files, strict=True):
        with col:
            try:
                data = cache.export_cached(kind, plan, session.dataset_key(), lang, baseline)
            except Exception as exc:  # e.g. a plan saved on another dataset
                st.info(t("out.dl_failed", lang, detail=escape_md(describe(exc, lang))))
            else:
                download(label_key, data, name, mime, lang, key=f"{key}_{kind}")


def plan_downloads(plan: Plan, lang: Lang, key: str, baseline: Plan | None = None) -> None:
    """Download buttons for the plan's CSV files, Excel workbook and printable report."""
    from govopt.output.export import plan_csv_bytes

    cols = st.columns(2)
    tables: tuple[Literal["centers", "grids"], ...] = ("centers", "grids")
    for col, which in zip(cols, tables, strict=True):
        with col:
            download(
                _DOWNLOADS[which],
                plan_csv_bytes(plan, which),
                f"{which}_{'plan' if which == 'centers' else 'coverage'}.csv",
                "text/csv",
                lang,
                key=f"{key}_{which}",
            )
    planner_downloads(plan, lang, key, file_stem(plan.scenario.name), baseline)


def show_plan(dataset: Dataset, last: session.LastSolve, lang: Lang) -> None:
    """Everything about a solved plan: KPIs, map, centers, marginal values, grids below target."""
    plan = last.plan
    if not show_status(plan, lang) or plan.kpis is None:
        if plan.status is Status.INFEASIBLE:  # the reasons, to pass on
            planner_downloads(plan, lang, "wi_dl", file_stem(plan.scenario.name))
        return
    st.subheader(t("wi.kpis", lang))
    before = last.baseline.kpis if last.baseline is not None else None
    kpi_cards(plan.kpis, before, lang)
    st.caption(t("wi.delta_note", lang))
    change_cards(plan.kpis, lang)
    st.caption(t("wi.change_note", lang))
    st.subheader(t("wi.map", lang))
    show_map(dataset, plan, lang)
    st.subheader(t("wi.centers", lang))
    cols = [c for c in _CENTER_COLUMNS if c in plan.centers.columns]
    centers = plan.centers
    if st.toggle(t("wi.changes_only", lang), value=False, key="wi_changes_only"):
        centers = centers[changed_centers(centers)]
    table(centers[cols], lang, height=320)
    plan_downloads(plan, lang, key="wi_dl", baseline=last.baseline)
    st.subheader(t("wi.marginal", lang))
    st.markdown("\n".join(f"- {escape_md(line)}" for line in explain_marginal(plan, lang)))
    st.caption(t("marginal.method", lang))
    show_below_target(dataset, plan, lang)
    unreachable = plan.grids[plan.grids["unreachable"].astype(bool)] if len(plan.grids) else None
    st.subheader(t("wi.unreachable", lang))
    if unreachable is None or unreachable.empty:
        st.success(t("wi.no_unreachable", lang))
    else:
        st.warning(t("wi.unreachable_note", lang, n=len(unreachable)))
        cols = ["grid_id", "name", "street", "demand_hours"]
        table(pd.DataFrame(unreachable[[c for c in cols if c in unreachable]]), lang, height=240)


def _save(store: ScenarioStore, plan: Plan, dataset_name: str, lang: Lang, key: str) -> None:
    name = str(st.session_state.get(key, "")).strip()
    choice: OnConflict = "error"
    try:
        if store.exists(name):
            choice = "overwrite" if st.session_state.get("wi_conflict") == "overwrite" else "rename"
        saved = store.save(name, plan, dataset=dataset_name, on_conflict=choice)
    except StoreError as exc:
        st.session_state[_SAVE_MESSAGE] = ("error", session.store_message(exc, lang))
    except NameTaken:
        st.session_state[_SAVE_MESSAGE] = ("error", t("wi.save_taken", lang, name=escape_md(name)))
    except ValueError:
        st.session_state[_SAVE_MESSAGE] = ("error", t("wi.save_no_name", lang))
    else:
        st.session_state[_SAVE_MESSAGE] = ("success", t("wi.saved", lang, name=escape_md(saved)))


def save_form(plan: Plan, dataset_name: str, lang: Lang) -> None:
    """Name the plan and save it to the scenario store (asks before overwriting).

    Only an optimal plan is offered for saving; the page shows none for others.

    Saving runs in the button's callback, before the page is drawn again, so a
    click elsewhere while the page redraws cannot cancel it. A store that
    cannot be written says so instead of offering the button.
    """
    if not plan.optimal:
        return
    st.subheader(t("wi.save", lang))
    store = session.scenario_store(lang)
    if store is None:
        return
    if store.read_only:
        st.warning(session.store_message(StoreError("read_only", store.path), lang))
        return
    key = "wi_save_name_" + hashlib.sha1(plan.scenario.to_json().encode()).hexdigest()[:10]
    name = st.text_input(t("wi.save_name", lang), plan.scenario.name, key=key).strip()
    try:
        taken = bool(name) and store.exists(name)
        free = store.free_name(name) if taken else name
    except StoreError as exc:
        st.error(session.store_message(exc, lang))
        return
    if taken:
        st.radio(
            t("wi.name_taken", lang, name=escape_md(name)),
            ("rename", "overwrite"),
            format_func=lambda c: t(_CONFLICT_CHOICES[c], lang, name=escape_md(free)),
            key="wi_conflict",
        )
    st.button(
        t("wi.save_button", lang),
        key="wi_save",
        on_click=_save,
        args=(store, plan, dataset_name, lang, key),
    )
    message = st.session_state.pop(_SAVE_MESSAGE, None)
    if message is not None:
        kind, text = message
        (st.success if kind == "success" else st.error)(text)
