"""What-if page pieces: solve with progress, show a plan, save it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from typing import Literal

import pandas as pd
import streamlit as st

from govopt.analysis.plan_summary import same_layout
from govopt.data.dataset import Dataset
from govopt.data.errors import DataError
from govopt.data.scenario import Scenario, ScenarioError
from govopt.i18n import Lang, t
from govopt.optimize.cancel import Cancel
from govopt.optimize.results import CENTER_BASE_COLUMNS, changed_centers
from govopt.output.problem_text import describe, describe_problem
from govopt.output.store import NameTaken, OnConflict, ScenarioStore, StoreError
from govopt.output.words import explain_marginal, plan_notes, plan_status, problem_text
from govopt.plan import Plan, Status
from govopt.ui import cache, session
from govopt.ui.charts import plan_charts
from govopt.ui.solving import Progress, Solved, SolveJob
from govopt.ui.why_view import show_below_target
from govopt.ui.widgets import change_cards, download, escape_md, kpi_cards, table

__all__ = [
    "cancelled_notice",
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
    *CENTER_BASE_COLUMNS,
    "org_hours",
    "served_hours",
    "wisn_need",
    "wisn_ratio_before",
    "wisn_ratio_after",
)
_STAGES = {
    "baseline": "wi.stage.baseline",
    "demand": "wi.stage.demand",
    "links": "wi.stage.links",
    "build": "wi.stage.build",
    "start": "wi.stage.start",
    "solve": "wi.stage.solve",
    "extract": "wi.stage.extract",
}
_DOWNLOADS = {"centers": "wi.download_centers", "grids": "wi.download_grids"}
_CONFLICT_CHOICES = {"rename": "wi.conflict_rename", "overwrite": "wi.conflict_overwrite"}


_CANCELLED = "wi_cancelled"
_POLL_S = 0.25


def _ask_cancel() -> None:
    st.session_state[_CANCELLED] = True


def _progress_text(job: SolveJob, scenario: Scenario, lang: Lang) -> str:
    key = _STAGES.get(job.stage)
    stage = t(key, lang) if key else t("wi.building", lang)
    seconds = f"{job.elapsed:.0f}"
    limit = scenario.time_limit_s
    if limit is None:
        return t("wi.elapsed", lang, stage=stage, seconds=seconds)
    return t("wi.elapsed_limit", lang, stage=stage, seconds=seconds, limit=f"{limit:g}")


def _progress_share(job: SolveJob, scenario: Scenario) -> float:
    limit = scenario.time_limit_s
    share = job.share if not limit else max(job.share, job.elapsed / limit)
    return min(max(float(share), 0.0), 0.99)


def solve_with_progress(key: str, scenario: Scenario, lang: Lang) -> session.LastSolve | None:
    """Solve ``scenario`` (cached) on a worker thread; remember and return it, or show why not.

    The page shows the stage and the seconds spent against the time limit,
    and a Cancel button. Pressing it, or anything else that ends this script
    run (another widget, leaving the page), stops the solve: the worker's
    token is set, and the cancelled plan is not cached.
    """

    def work(progress: Progress, cancel: Cancel) -> Solved:
        progress("baseline", 0.0)
        baseline = cache.baseline_cached(key, scenario)
        plan = cache.solve_cached(key, scenario, progress, cancel=cancel)
        return Solved(plan, baseline)

    with st.status(t("wi.solving", lang), expanded=True) as status:
        bar = st.progress(0.0, text=t("wi.building", lang))
        stop = st.empty()
        stop.button(t("wi.cancel", lang), key="wi_cancel", on_click=_ask_cancel)
        job = SolveJob(work)
        try:
            while not job.wait(_POLL_S):
                bar.progress(
                    _progress_share(job, scenario), text=_progress_text(job, scenario, lang)
                )
        finally:
            job.cancel()  # a no-op when done; else the run was stopped or rerun: stop the solve
        stop.empty()
        try:
            solved = job.result()
        except cache.SolveCancelled:
            status.update(label=t("wi.cancelled", lang), state="error", expanded=False)
            return None
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
        plan, baseline = solved.plan, solved.baseline
        done = t("wi.done", lang)
        bar.progress(1.0, text=f"{done} ({job.elapsed:.1f} s)")
        if plan.optimal:
            status.update(label=done, state="complete", expanded=False)
        elif plan.status is Status.FEASIBLE:
            status.update(label=plan_status(plan, lang), state="complete", expanded=False)
        else:
            label = "wi.no_plan" if plan.status is Status.INFEASIBLE else "wi.failed"
            status.update(label=t(label, lang), state="error", expanded=False)
    session.remember_solve(plan, baseline)
    return session.last_solve()


def cancelled_notice(lang: Lang) -> None:
    """After the Cancel button stopped a solve: say that no new plan was made."""
    if st.session_state.pop(_CANCELLED, False):
        st.info(t("wi.cancelled", lang))


def previous_settings_notice(form: Scenario | None, plan: Plan, lang: Lang) -> None:
    """Say so when the plan shown was solved for other settings than the form's."""
    if form is not None and form != plan.scenario:
        st.warning(t("wi.previous_settings", lang, name=escape_md(plan.scenario.name)))


def show_status(plan: Plan, lang: Lang) -> bool:
    """Say what a plan that is not optimal is; return whether its values may be shown.

    A feasible plan (whole-number staffing stopped at the time limit) is
    labelled with its gap, e.g. "feasible, not proven optimal (gap 0.38%)",
    and shown; any other status is explained and nothing is shown.
    """
    if plan.optimal:
        return True
    lines = [f"- {escape_md(line)}" for line in plan_notes(plan, lang)]
    notes = "\n\n" + "\n".join(lines) if lines else ""
    if plan.status is Status.FEASIBLE:
        st.warning(t("wi.feasible", lang, label=plan_status(plan, lang)) + notes)
        return True
    key = {"infeasible": "wi.infeasible", "time_limit": "wi.time_limit"}.get(
        plan.status.value, "wi.not_solved"
    )
    st.error(t(key, lang) + notes)
    st.info(t("wi.what_to_do", lang))
    return False


def show_map(dataset: Dataset, plan: Plan, lang: Lang, *, other: Plan | None = None) -> None:
    """Coverage under ``plan`` (or the change to ``other``) on the map, with its legend."""
    from govopt.output.maps import indicator_map
    from govopt.ui.mapview import map_script, render_legend, render_map

    if other is None:
        view = indicator_map(dataset, "plan_coverage", lang=lang, plan=plan)
    else:
        view = indicator_map(dataset, "coverage_change", lang=lang, plan=plan, other=other)
    render_legend(view.legend)
    render_map(map_script(view.map), key="change_map" if other is not None else "plan_map")


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
    dataset_key = session.dataset_key()
    # A plan of the dataset in use is made into files only when a button is
    # pressed (about a second for both on the sample); any other is made now,
    # so that a file that cannot be made says why.
    try:
        deferred = same_layout(plan, cache.dataset_by_key(dataset_key))
    except KeyError:
        deferred = False
    for col, (kind, label_key, name, mime) in zip(st.columns(2), files, strict=True):
        with col:
            data: bytes | Callable[[], bytes]
            if deferred:
                data = partial(cache.export_cached, kind, plan, dataset_key, lang, baseline)
            else:
                try:
                    data = cache.export_cached(kind, plan, dataset_key, lang, baseline)
                except Exception as exc:  # e.g. a plan saved on another dataset
                    st.info(t("out.dl_failed", lang, detail=escape_md(describe(exc, lang))))
                    continue
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
    st.subheader(t("ch.title", lang))
    plan_charts(plan, lang, key="wi_charts")
    st.caption(t("ch.note", lang))
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
        table(pd.DataFrame(unreachable[[c for c in cols if c in unreachable]]), lang)


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

    Only a plan with values (optimal, or feasible with its gap) is offered for
    saving; the page shows none for others.

    Saving runs in the button's callback, before the page is drawn again, so a
    click elsewhere while the page redraws cannot cancel it. A store that
    cannot be written says so instead of offering the button.
    """
    if not plan.has_values:
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
