"""The one seam where Streamlit caching wraps pure govopt functions.

Datasets are not hashable and are never pickled: they live in a
``cache_resource`` registry keyed by a fingerprint of their folder, and every
cached computation takes that key. Each dataset is prepared for solving once
(:class:`~govopt.optimize.prepared.Prepared`: demand, links, model inputs and
baselines), shared by every session and keyed by the content hash of what a
solve reads, so a changed dataset is never served another's values. Plans are
frozen, so they are cached as resources too (shared, not copied).
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
from govopt.data.schema import LevelValues
from govopt.optimize.cancel import Cancel
from govopt.optimize.prepared import Prepared, baseline_scenario
from govopt.plan import Plan, Status
from govopt.ui.mapview import ShownMap

__all__ = [
    "SolveCancelled",
    "baseline_cached",
    "baseline_inputs",
    "center_links",
    "dataset_by_key",
    "export_cached",
    "fingerprint",
    "indicators_cached",
    "load_dataset_cached",
    "map_cached",
    "map_key",
    "plan_token",
    "prepared_cached",
    "solve_cached",
]

Progress = Callable[[str, float], None]
_KEEP_DATASETS = 8
# Built maps kept (about 13 MB each at 50,000 grids).
_KEEP_MAPS = 8


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


@st.cache_resource(max_entries=_KEEP_DATASETS, show_spinner=False)
def _prepared(content: str, _made: Prepared) -> Prepared:
    return _made  # the first one made for this content; later ones are dropped


@st.cache_resource(max_entries=_KEEP_DATASETS, show_spinner=False)
def _prepared_for(key: str) -> Prepared:
    made = Prepared(dataset_by_key(key))
    return _prepared(made.key, made)


def prepared_cached(dataset_key: str) -> Prepared:
    """The dataset loaded under ``dataset_key`` prepared for solving, one per content hash
    (:attr:`~govopt.optimize.prepared.Prepared.key`) for every session.

    Its ``dataset`` may be another load of the same content: solve on it.
    """
    return _prepared_for(dataset_key)


def center_links(dataset: Dataset, radius_m: LevelValues) -> pd.DataFrame | None:
    """Center-grid links of ``dataset`` under ``radius_m`` from :func:`prepared_cached`
    (``None`` for a dataset not loaded by :func:`load_dataset_cached`)."""
    for key, loaded in list(_registry().items()):
        if loaded is dataset:
            return prepared_cached(key).links(radius_m).center_grid
    return None


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
    prep = prepared_cached(key)
    plan = solve(
        prep.dataset,
        scenario,
        baseline=_baseline,
        progress=_progress,
        cancel=_cancel,
        prepared=prep,
    )
    if plan.status is Status.CANCELLED:
        raise SolveCancelled(plan)  # an exception is not cached: the next solve runs again
    return plan


@st.cache_data(max_entries=8, show_spinner=False)
def _indicators(key: str) -> pd.DataFrame:
    from govopt.analysis.indicators import indicator_table

    return indicator_table(dataset_by_key(key))


def indicators_cached(dataset_key: str) -> pd.DataFrame:
    """Every grid indicator of the dataset in use (``indicators.indicator_table``)."""
    return _indicators(dataset_key)


def baseline_inputs(scenario: Scenario) -> Scenario:
    """Only the settings the baseline depends on (radius, work hours, hourly cost, solver)."""
    return baseline_scenario(scenario)


def baseline_cached(dataset_key: str, scenario: Scenario) -> Plan:
    """``govopt.optimize.baseline`` once per dataset and :func:`baseline_inputs` of ``scenario``
    (kept by :func:`prepared_cached`, which later solves reuse)."""
    from govopt.optimize import baseline

    prep = prepared_cached(dataset_key)
    return baseline(prep.dataset, baseline_inputs(scenario), prepared=prep)


def solve_cached(
    dataset_key: str,
    scenario: Scenario,
    progress: Progress | None = None,
    *,
    baseline: Plan | None = None,
    cancel: Cancel | None = None,
) -> Plan:
    """``govopt.optimize.solve`` once per (dataset, scenario).

    ``progress`` is called only when the plan is not cached yet. The baseline
    comes from :func:`prepared_cached` (solved once per radius and standards);
    a ``baseline`` plan given takes its place.
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


def map_key(
    dataset_key: str,
    indicator: str,
    lang: str,
    plan: Plan | None = None,
    other: Plan | None = None,
    **options: object,
) -> str:
    """Key of a coverage map: dataset, indicator, language, the plans' content and the
    drawing options (street, layers shown, tiles)."""
    plans = "|".join("-" if p is None else plan_token(p) for p in (plan, other))
    shown = "|".join(f"{name}={options[name]!r}" for name in sorted(options))
    text = f"{dataset_key}|{indicator}|{lang}|{plans}|{shown}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@st.cache_resource(max_entries=_KEEP_MAPS, show_spinner=False)
def _map(
    key: str,
    _dataset_key: str,
    _indicator: str,
    _lang: str,
    _plans: tuple[Plan | None, Plan | None],
    _shown: tuple[str | None, bool, bool, bool],
) -> ShownMap:
    from govopt.i18n import as_lang
    from govopt.output.maps import indicator_map
    from govopt.ui.mapview import shown_map

    street, centers, orgs, online = _shown
    view = indicator_map(
        dataset_by_key(_dataset_key),
        _indicator,
        lang=as_lang(_lang),
        plan=_plans[0],
        other=_plans[1],
        table=indicators_cached(_dataset_key),
        street=street,
        show_centers=centers,
        show_orgs=orgs,
        online_tiles=online,
    )
    return shown_map(view)


def map_cached(
    dataset_key: str,
    indicator: str,
    *,
    lang: str,
    plan: Plan | None = None,
    other: Plan | None = None,
    street: str | None = None,
    show_centers: bool = True,
    show_orgs: bool = False,
    online_tiles: bool = False,
) -> ShownMap:
    """``govopt.output.maps.indicator_map`` of the dataset loaded under ``dataset_key``,
    built and turned into the map component's script once per :func:`map_key`
    (shared by every session: a rerun of the map page builds nothing)."""
    shown = (street, show_centers, show_orgs, online_tiles)
    key = map_key(
        dataset_key,
        indicator,
        lang,
        plan,
        other,
        street=street,
        show_centers=show_centers,
        show_orgs=show_orgs,
        online_tiles=online_tiles,
    )
    return _map(key, dataset_key, indicator, lang, (plan, other), shown)
