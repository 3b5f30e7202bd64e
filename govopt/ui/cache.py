"""The one seam where Streamlit caching wraps pure govopt functions.

Datasets are not hashable and are never pickled: they live in a
``cache_resource`` registry keyed by a fingerprint of their folder, and every
cached computation takes that key. Plans are frozen, so they are cached as
resources too (shared, not copied).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pandas as pd
import streamlit as st

from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.optimize.cancel import Cancel
from govopt.plan import Plan, Status

__all__ = [
    "SolveCancelled",
    "baseline_cached",
    "baseline_inputs",
    "dataset_by_key",
    "export_cached",
    "fingerprint",
    "indicators_cached",
    "load_dataset_cached",
    "plan_token",
    "solve_cached",
]

Progress = Callable[[str, float], None]
_KEEP_DATASETS = 8


class SolveCancelled(Exception):
    """A solve stopped by its :class:`~govopt.optimize.cancel.Cancel` token (never cached)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__("the solve was cancelled")


def fingerprint(path: str | Path) -> str:
    """Key of a dataset folder or file: its path and every file's size and modification time."""
    root = Path(path).resolve()
    h = hashlib.sha1(str(root).encode("utf-8"))
    files = sorted(root.rglob("*")) if root.is_dir() else [root]
    for f in files:
        if f.is_file():
            st_ = f.stat()
            h.update(f"{f.relative_to(root.parent)}|{st_.st_size}|{st_.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


@st.cache_resource(show_spinner=False)
def _registry() -> dict[str, Dataset]:
    return {}


@st.cache_resource(max_entries=8, show_spinner=False)
def _load(path: str, key: str) -> Dataset:
    from govopt.data.validate import load_dataset

    dataset = load_dataset(path)
    _registry()[key] = dataset
    return dataset


def load_dataset_cached(path: str | Path) -> Dataset:
    """Load the dataset at ``path`` once per version of its files (raises ``DataError``)."""
    key = fingerprint(path)
    dataset = _load(str(path), key)
    registry = _registry()
    registry.pop(key, None)
    registry[key] = dataset
    while len(registry) > _KEEP_DATASETS:
        registry.pop(next(iter(registry)))
    return dataset


def dataset_by_key(key: str) -> Dataset:
    """The dataset loaded under ``key`` by :func:`load_dataset_cached`."""
    try:
        return _registry()[key]
    except KeyError:
        raise KeyError(f"dataset {key} is not loaded; open the overview page again") from None


@st.cache_resource(max_entries=64, show_spinner=False)
def _solve(
    key: str,
    scenario_json: str,
    _baseline: Plan | None = None,
    _progress: Progress | None = None,
    _cancel: Cancel | None = None,
) -> Plan:
    from govopt.optimize import solve

    scenario = Scenario.from_json(scenario_json)
    dataset = dataset_by_key(key)
    plan = solve(dataset, scenario, baseline=_baseline, progress=_progress, cancel=_cancel)
    if plan.status is Status.CANCELLED:
        raise SolveCancelled(plan)  # an exception is not cached: the next solve runs again
    return plan


@st.cache_resource(max_entries=16, show_spinner=False)
def _baseline(key: str, scenario_json: str) -> Plan:
    from govopt.optimize import baseline

    return baseline(dataset_by_key(key), Scenario.from_json(scenario_json))


@st.cache_data(max_entries=8, show_spinner=False)
def _indicators(key: str) -> pd.DataFrame:
    from govopt.analysis.indicators import indicator_table

    return indicator_table(dataset_by_key(key))


def indicators_cached(dataset_key: str) -> pd.DataFrame:
    """Every grid indicator of the dataset in use (``indicators.indicator_table``)."""
    return _indicators(dataset_key)


def baseline_inputs(scenario: Scenario) -> Scenario:
    """Only the settings the baseline depends on (radius, work hours, hourly cost, solver)."""
    return Scenario(
        name="baseline",
        radius_m=scenario.radius_m,
        work_hours_per_staff=scenario.work_hours_per_staff,
        cost_per_hour_cny=scenario.cost_per_hour_cny,
        solver=scenario.solver,
        time_limit_s=scenario.time_limit_s,
    )


def baseline_cached(dataset_key: str, scenario: Scenario) -> Plan:
    """``govopt.optimize.baseline`` once per dataset and :func:`baseline_inputs` of ``scenario``."""
    return _baseline(dataset_key, baseline_inputs(scenario).to_json())


def solve_cached(
    dataset_key: str,
    scenario: Scenario,
    progress: Progress | None = None,
    *,
    baseline: Plan | None = None,
    cancel: Cancel | None = None,
) -> Plan:
    """``govopt.optimize.solve`` once per (dataset, scenario).

    ``progress`` is called only when the plan is not cached yet; ``baseline``
    (from :func:`baseline_cached` with the same scenario) saves a second solve.
    ``cancel`` stops the solve: :class:`SolveCancelled` is raised and nothing
    is cached.
    """
    return _solve(
        dataset_key, scenario.to_json(), _baseline=baseline, _progress=progress, _cancel=cancel
    )


def plan_token(plan: Plan) -> str:
    """A key of a plan's content: scenario, status, objective and both tables."""
    h = hashlib.sha1(plan.scenario.to_json().encode("utf-8"))
    h.update(f"{plan.status.value}|{plan.objective!r}|{len(plan.conflicts)}".encode())
    for frame in (plan.centers, plan.grids):
        if not frame.empty:
            h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()[:16]


@st.cache_data(max_entries=16, ttl=900, show_spinner=False)
def _export(
    kind: str, token: str, dataset_key: str, lang: str, _plan: Plan, _baseline: Plan | None
) -> bytes:
    from govopt.i18n import as_lang

    dataset = dataset_by_key(dataset_key)
    if kind == "xlsx":
        from govopt.output.workbook import plan_workbook_bytes

        return plan_workbook_bytes(_plan, dataset, as_lang(lang), baseline=_baseline)
    from govopt.output.report import report_html

    return report_html(_plan, dataset, as_lang(lang), baseline=_baseline).encode("utf-8")


def export_cached(
    kind: Literal["xlsx", "report"],
    plan: Plan,
    dataset_key: str,
    lang: str,
    baseline: Plan | None = None,
) -> bytes:
    """The Excel workbook or printable report of ``plan``, made once per plan and language
    (kept 15 minutes, so the time it shows as made stays recent)."""
    return _export(kind, plan_token(plan), dataset_key, lang, plan, baseline)
