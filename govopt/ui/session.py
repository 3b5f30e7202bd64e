"""Per-browser-session state: language, dataset in use, the what-if form, the last plan.

Everything lives in one typed :class:`SessionData` object under a single
``st.session_state`` key; the language is kept in a plain key so it survives
page switches. The language and the dataset are also written to the URL
(``?lang=en&data=upload-...``), so a reload or a bookmark opens the same.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from govopt.data.dataset import Dataset
from govopt.data.errors import DataError
from govopt.data.scenario import Scenario
from govopt.data.upload import MAX_UPLOAD_BYTES, upload_id, uploaded_datasets
from govopt.i18n import LANGS, Lang, as_lang, t
from govopt.output.problem_text import describe, describe_problem
from govopt.output.store import (
    ScenarioStore,
    StoreError,
    StoreProblem,
    default_home,
    open_store,
)
from govopt.output.words import status_label, status_note
from govopt.plan import Plan, Status
from govopt.ui import cache
from govopt.ui.widgets import escape_md

__all__ = [
    "LastSolve",
    "SessionData",
    "baseline_or_none",
    "current_dataset",
    "current_lang",
    "current_path",
    "data_home",
    "dataset_key",
    "dataset_label",
    "default_data_path",
    "default_scenario",
    "display_zone",
    "form_scenario",
    "last_solve",
    "max_upload_bytes",
    "remember_form",
    "remember_solve",
    "scenario_store",
    "sidebar",
    "state",
    "store_message",
    "sync_url",
    "use_dataset",
]

_STATE_KEY = "govopt"
_LANG_KEY = "govopt_lang"
_LANG_WIDGET = "govopt_lang_widget"
_REPO = Path(__file__).resolve().parents[2]
_KEEP_FORMS = 8
_LANG_PARAM = "lang"
_DATA_PARAM = "data"
_DEFAULT_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class LastSolve:
    """A solved plan, its baseline, and the dataset they belong to."""

    dataset_key: str
    plan: Plan
    baseline: Plan | None


@dataclass
class SessionData:
    """The only mutable object a session keeps.

    ``forms`` holds the what-if form's last submitted scenario by dataset key;
    ``url_read`` and ``url_refused`` record that the URL was read once and
    which dataset it named that is not known.
    """

    data_path: str | None = None
    last: LastSolve | None = None
    forms: dict[str, Scenario] = field(default_factory=dict)
    url_read: bool = False
    url_refused: str | None = None


def state() -> SessionData:
    """This session's :class:`SessionData`, created on first use."""
    data = st.session_state.get(_STATE_KEY)
    if not isinstance(data, SessionData):
        data = SessionData()
        st.session_state[_STATE_KEY] = data
    return data


def default_data_path() -> Path:
    """The bundled dataset: ``$GOVOPT_DATA`` or ``data/zhangqiu`` in the repository."""
    env = os.environ.get("GOVOPT_DATA", "").strip()
    return Path(env) if env else _REPO / "data" / "zhangqiu"


def data_home() -> Path:
    """Folder for saved scenarios and uploads (``$GOVOPT_HOME``, default ``var/``)."""
    return default_home()


def max_upload_bytes() -> int:
    """Upload size limit: ``$GOVOPT_MAX_UPLOAD_MB`` megabytes, default 200 MB."""
    env = os.environ.get("GOVOPT_MAX_UPLOAD_MB", "").strip()
    try:
        return int(float(env) * 1024 * 1024) if env else MAX_UPLOAD_BYTES
    except ValueError:
        return MAX_UPLOAD_BYTES


def display_zone() -> tuple[tzinfo, str, str | None]:
    """Time zone for times shown to the planner: ``$GOVOPT_TZ``, default Asia/Shanghai.

    Returns the zone, its name and, when ``$GOVOPT_TZ`` names no known zone,
    that name (the default is used instead).
    """
    wanted = os.environ.get("GOVOPT_TZ", "").strip() or _DEFAULT_ZONE
    for name in dict.fromkeys((wanted, _DEFAULT_ZONE)):
        try:
            return ZoneInfo(name), name, None if name == wanted else wanted
        except (ZoneInfoNotFoundError, ValueError):
            continue
    # No time zone database (and no tzdata package): China has kept UTC+8 since 1991.
    rejected = None if wanted == _DEFAULT_ZONE else wanted
    return timezone(timedelta(hours=8), _DEFAULT_ZONE), _DEFAULT_ZONE, rejected


def current_lang() -> Lang:
    """The language chosen in the sidebar (Chinese until the planner switches)."""
    return as_lang(st.session_state.get(_LANG_KEY, "zh"))


def _store_lang() -> None:
    st.session_state[_LANG_KEY] = st.session_state[_LANG_WIDGET]


def current_path() -> Path:
    """Folder of the dataset in use."""
    path = state().data_path
    return Path(path) if path else default_data_path()


def use_dataset(path: Path | None) -> None:
    """Switch this session to the dataset at ``path`` (``None``: the bundled one)."""
    data = state()
    data.data_path = None if path is None else str(path)
    data.last = None


def _dataset_id() -> str | None:
    """The URL name of the dataset in use: its upload folder (``None``: the bundled one)."""
    path = state().data_path
    return None if path is None else upload_id(data_home(), Path(path))


def _write_url() -> None:
    params = {_LANG_PARAM: current_lang(), _DATA_PARAM: _dataset_id()}
    for name, value in params.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


def sync_url() -> None:
    """Keep ``?lang=`` and ``?data=`` in the URL; on a session's first run, take them from it.

    Only a language code and the name of a known dataset (an upload folder
    under ``$GOVOPT_HOME/datasets``) are taken; any other ``data`` is
    ignored, with a warning at the top of the page (see :func:`sidebar`),
    and the bundled dataset is used. Call it on every run, before anything
    reads the language.
    """
    data = state()
    if not data.url_read:
        data.url_read = True
        lang = st.query_params.get(_LANG_PARAM)
        if lang in LANGS:
            st.session_state[_LANG_KEY] = lang
        wanted = st.query_params.get(_DATA_PARAM)
        if wanted:
            path = uploaded_datasets(data_home()).get(wanted)
            if path is None:
                data.url_refused = wanted  # said by the page's sidebar()
            else:
                use_dataset(path)
    _write_url()


def dataset_key() -> str:
    """Fingerprint of the dataset in use (the cache key)."""
    return cache.fingerprint(current_path())


def current_dataset() -> Dataset:
    """The dataset in use; on bad input, show every problem and stop the page."""
    path = current_path()
    lang = current_lang()
    if not path.exists():
        st.error(t("data.missing", lang, path=escape_md(path, code=True)))
        st.stop()
    try:
        return cache.load_dataset_cached(path)
    except DataError as exc:
        st.error(t("data.broken", lang, path=escape_md(path, code=True)))
        for p in exc.problems:
            if p.severity == "error":
                st.markdown("- " + escape_md(describe_problem(p, lang)))
        st.stop()
        raise


def dataset_label(dataset: Dataset, lang: Lang) -> str:
    """Which dataset is in use, in planner words (the name escaped for Markdown)."""
    zh = lang != "en"
    name = escape_md((dataset.meta.get("name_zh") if zh else None) or dataset.name)
    if state().data_path is None:
        key = "data.label_sample" if dataset.synthetic else "data.label_bundled"
    else:
        key = "data.label_upload"
    return t(key, lang, name=name)


def default_scenario(dataset: Dataset) -> Scenario:
    """The dataset's ``scenario.toml``, or the built-in defaults."""
    return dataset.scenario if dataset.scenario is not None else Scenario()


def baseline_or_none(dataset: Dataset, lang: Lang) -> Plan | None:
    """Today's resources solved against today's demand (cached).

    ``None``, with a warning that says why, when it fails or is not optimal
    (e.g. not finished within the scenario's time limit).
    """
    try:
        plan = cache.baseline_cached(dataset_key(), default_scenario(dataset))
    except Exception as exc:  # the overview still shows the counts
        st.warning(t("ov.baseline_failed", lang, detail=escape_md(describe(exc, lang))))
        return None
    if plan.optimal:
        return plan
    limit = plan.scenario.time_limit_s
    if plan.status is Status.TIME_LIMIT and limit is not None:
        st.warning(t("ov.baseline_time_limit", lang, seconds=f"{limit:g}"))
    else:
        status = status_label(plan.status, lang)
        note = escape_md(status_note(plan.status, lang))
        st.warning(t("ov.baseline_not_optimal", lang, status=status, detail=note))
    return None


_STORE_PROBLEMS: dict[StoreProblem, str] = {
    "damaged": "store.damaged",
    "read_only": "store.read_only",
    "busy": "store.busy",
    "full": "store.full",
    "unavailable": "store.unavailable",
}


def store_message(exc: StoreError, lang: Lang) -> str:
    """What is wrong with the scenario file and what to do, in ``lang`` (Markdown-safe)."""
    return t(
        _STORE_PROBLEMS[exc.problem],
        lang,
        path=escape_md(exc.path, code=True),
        folder=escape_md(exc.path.parent, code=True),
        detail=escape_md(exc.detail),
    )


def scenario_store(lang: Lang) -> ScenarioStore | None:
    """The scenario store in :func:`data_home`; ``None`` (the reason shown) when unusable.

    A damaged file is reported and left untouched; a read-only folder gives
    a read-only store (see ``ScenarioStore.read_only``).
    """
    try:
        return open_store(data_home())
    except StoreError as exc:
        st.error(store_message(exc, lang))
        return None


def form_scenario(dataset_key: str) -> Scenario | None:
    """The scenario last submitted in the what-if form on this dataset, if any."""
    return state().forms.get(dataset_key)


def remember_form(dataset_key: str, scenario: Scenario) -> None:
    """Keep ``scenario`` as the what-if form's values on this dataset (the last few datasets)."""
    forms = state().forms
    forms.pop(dataset_key, None)
    forms[dataset_key] = scenario
    while len(forms) > _KEEP_FORMS:
        forms.pop(next(iter(forms)))


def remember_solve(plan: Plan, baseline: Plan | None) -> None:
    """Keep ``plan`` as this session's last solve on the dataset in use."""
    state().last = LastSolve(dataset_key(), plan, baseline)


def last_solve() -> LastSolve | None:
    """The last solve of this session, if it was on the dataset in use."""
    last = state().last
    return last if last is not None and last.dataset_key == dataset_key() else None


GOTO_PARAM = "goto"


def _ensure_app_navigation(page_file: str | None) -> None:
    """Route through ``app.py`` when a page is opened before the app ever ran.

    Until ``app.py`` calls ``st.navigation`` once, Streamlit serves ``pages/``
    with a menu of untranslated file names. The page asks ``app.py`` to set up
    the translated menu and come back (see :func:`resume_deep_link`).
    """
    from streamlit.runtime import Runtime
    from streamlit.runtime.pages_manager import PagesManager

    served = type(Runtime._instance) is Runtime  # AppTest runs pages on a stand-in runtime
    if served and PagesManager.uses_pages_directory and page_file:
        target = Path(page_file)
        params = {**st.query_params.to_dict(), GOTO_PARAM: f"pages/{target.name}"}
        st.switch_page("app.py", query_params=params)


def resume_deep_link() -> None:
    """In ``app.py`` after ``st.navigation``: go on to the page a deep link asked for."""
    goto = st.query_params.get(GOTO_PARAM)
    if goto:
        del st.query_params[GOTO_PARAM]
        if goto.startswith("pages/") and goto.endswith(".py") and Path(goto).name == goto[6:]:
            st.switch_page(goto, query_params=st.query_params.to_dict())


def sidebar() -> Lang:
    """Render the language switch and the dataset label; return ``"zh"`` or ``"en"``.

    Also keeps the URL up to date (:func:`sync_url`) and says when the
    dataset it named was refused.
    """
    _ensure_app_navigation(sys._getframe(1).f_globals.get("__file__"))
    sync_url()
    if _LANG_WIDGET not in st.session_state:
        st.session_state[_LANG_WIDGET] = current_lang()
    st.sidebar.radio(
        t("lang.label", current_lang()),
        LANGS,
        format_func=lambda code: "中文" if code == "zh" else "English",
        key=_LANG_WIDGET,
        horizontal=True,
        on_change=_store_lang,
    )
    lang = current_lang()
    data = state()
    if data.url_refused is not None:
        st.warning(t("url.unknown_data", lang, name=escape_md(data.url_refused)))
        data.url_refused = None
    path = current_path()
    if path.exists():
        try:
            st.sidebar.caption(dataset_label(cache.load_dataset_cached(path), lang))
        except DataError:
            st.sidebar.caption(t("data.label_broken", lang))
    return lang
