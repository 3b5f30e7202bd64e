"""Plan files: Excel-safe CSV (UTF-8 with BOM), summary JSON, GeoJSON and a ZIP of all."""

from __future__ import annotations

import io
import json
import math
import os
import re
import secrets
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from govopt.analysis.diagnosis import cause_counts, diagnose
from govopt.analysis.plan_summary import same_layout
from govopt.data.dataset import Dataset
from govopt.i18n import Lang
from govopt.optimize.results import today_kpis
from govopt.output.rounding import round_table, staff_digits
from govopt.output.words import explain_infeasible, explain_marginal, status_note
from govopt.plan import Plan

__all__ = [
    "CENTERS_FILE",
    "GRIDS_FILE",
    "SUMMARY_FILE",
    "below_target",
    "excel_safe",
    "excel_unsafe",
    "formula_like",
    "grids_geojson_bytes",
    "plan_csv_bytes",
    "plan_zip_bytes",
    "summary",
    "summary_json_bytes",
    "write_file",
    "write_plan",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text a spreadsheet would run as a formula, after any apostrophes already there.
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
CENTERS_FILE = "centers_plan.csv"
GRIDS_FILE = "grids_coverage.csv"
SUMMARY_FILE = "summary.json"
PLAN_TABLES: tuple[str, ...] = (CENTERS_FILE, GRIDS_FILE)


def formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would run as a formula (after any
    apostrophes): it starts with ``= + - @``, a tab or a carriage return."""
    return isinstance(value, str) and _NEEDS_QUOTE.match(value) is not None


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def _unsafe_cell(value: object) -> object:
    if isinstance(value, str) and _QUOTED.match(value):
        return value[1:]
    return value


def _text_columns(df: pd.DataFrame) -> list[object]:
    return [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` where text cells that a spreadsheet would run as a formula
    (starting with ``= + - @``, tab or CR) get a leading ``'``; numbers stay numeric.

    Text that already starts with ``'`` followed by a formula start gets one
    more, so :func:`excel_unsafe` is its exact inverse.
    """
    out = df.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(_safe_cell)
    return out


def excel_unsafe(df: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`excel_safe` on a table read back from a govopt CSV: one leading
    ``'`` is dropped from text that starts with ``'`` and then a formula start."""
    out = df.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(_unsafe_cell)
    return out


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return excel_safe(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def plan_csv_bytes(plan: Plan, which: Literal["centers", "grids"]) -> bytes:
    """The centers or grids table of ``plan`` as Excel-safe CSV bytes (UTF-8 with BOM).

    Headers are the English column names (the data contract); numbers are
    rounded as in the workbook (:func:`govopt.output.rounding.round_table`).
    """
    if which == "centers":
        return _csv_bytes(round_table(plan.centers, staff_digits(plan), whole_as_int=True))
    if which == "grids":
        return _csv_bytes(round_table(plan.grids, staff_digits(plan), whole_as_int=True))
    raise ValueError(f"which must be 'centers' or 'grids', not {which!r}")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def below_target(plan: Plan, dataset: Dataset) -> dict[str, Any] | None:
    """Why grids are below the coverage target: ``counts`` by cause and, lowest
    coverage first within a cause, ``grids`` as ``{"grid_id", "cause"}`` records.

    ``None`` unless the plan has values and was solved on ``dataset``
    (see :func:`govopt.analysis.diagnosis.diagnose`).
    """
    if not plan.has_values or not same_layout(plan, dataset):
        return None
    found = diagnose(dataset, plan)
    return {
        "counts": {cause.value: n for cause, n in cause_counts(found).items()},
        "grids": [{"grid_id": d.grid_id, "cause": d.cause.value} for d in found],
    }


def summary(plan: Plan, lang: Lang = "en", dataset: Dataset | None = None) -> dict[str, Any]:
    """The content of ``summary.json``: status, objective, scenario, solver, timings, KPIs.

    ``status`` is ``feasible`` for a whole-number plan stopped at the time
    limit, ``gap`` its relative gap to the best bound (``null`` otherwise);
    ``notes`` are codes about how it was found. ``kpis_today`` are the KPIs of
    today's staff and funds as the plan reads them
    (:func:`govopt.optimize.results.today_kpis`). ``conflicts`` are the
    records of an infeasible plan; ``explanation`` and ``message`` word them
    and the status in ``lang``; ``marginal_explanation`` words the marginal
    values of an optimal plan. With the ``dataset``
    the plan was solved on, ``below_target`` says why grids fall short of the
    coverage target (:func:`below_target`).
    """
    today = today_kpis(plan.grids, plan.centers, plan.scenario) if plan.has_values else None
    out: dict[str, Any] = _clean(
        {
            "status": plan.status.value,
            "gap": plan.gap,
            "objective": plan.objective,
            "objective_kind": plan.scenario.objective,
            "t": plan.kpis.lowest_share if plan.kpis is not None else None,
            "moved_staff": plan.kpis.moved_staff if plan.kpis is not None else None,
            "moved_funds_cny": plan.kpis.moved_funds_cny if plan.kpis is not None else None,
            "centers_changed": plan.kpis.centers_changed if plan.kpis is not None else None,
            "scenario": plan.scenario.to_dict(),
            "solver": plan.solver,
            "timings": dict(plan.timings),
            "kpis": asdict(plan.kpis) if plan.kpis is not None else None,
            "kpis_today": asdict(today) if today is not None else None,
            "marginal": asdict(plan.marginal) if plan.marginal is not None else None,
            "marginal_explanation": explain_marginal(plan, lang) if plan.optimal else [],
            "conflicts": [asdict(c) for c in plan.conflicts],
            "notes": list(plan.notes),
            "lang": lang,
            "explanation": explain_infeasible(plan, lang),
            "message": status_note(plan.status, lang),
        }
    )
    if dataset is not None:
        out["below_target"] = below_target(plan, dataset)
    return out


def summary_json_bytes(plan: Plan, lang: Lang = "en", dataset: Dataset | None = None) -> bytes:
    """``summary.json`` as UTF-8 bytes, its words in ``lang`` (see :func:`summary`)."""
    data = summary(plan, lang, dataset)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def grids_geojson_bytes(plan: Plan, dataset: Dataset) -> bytes:
    """Grids with the plan's results as GeoJSON in EPSG:4326."""
    geo = dataset.grids[["grid_id", "geometry"]].copy()
    geo["grid_id"] = geo["grid_id"].astype(str)
    if len(plan.grids):
        cols = [c for c in plan.grids.columns if c != "grid_id" and c not in geo.columns]
        geo = geo.merge(plan.grids[["grid_id", *cols]], on="grid_id", how="left")
    geo = geo.to_crs("EPSG:4326")
    text: str = geo.to_json(na="null", drop_id=True, ensure_ascii=False)
    return text.encode("utf-8")


def plan_zip_bytes(plan: Plan, dataset: Dataset, lang: Lang = "en") -> bytes:
    """A ZIP with both CSV files, ``summary.json`` and ``grids_coverage.geojson``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _files(plan, lang, dataset).items():
            zf.writestr(name, data)
        if len(plan.grids):
            zf.writestr("grids_coverage.geojson", grids_geojson_bytes(plan, dataset))
    return buf.getvalue()


def _files(plan: Plan, lang: Lang, dataset: Dataset | None = None) -> dict[str, bytes]:
    files = {SUMMARY_FILE: summary_json_bytes(plan, lang, dataset)}
    if plan.has_values:
        files[CENTERS_FILE] = plan_csv_bytes(plan, "centers")
        files[GRIDS_FILE] = plan_csv_bytes(plan, "grids")
    return files


def _temp_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new hidden file beside ``path``, mode 0666 less the umask."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_plan(plan: Plan, dataset: Dataset, out_dir: Path, lang: Lang = "en") -> list[Path]:
    """Write the plan files into ``out_dir`` (created if needed) as one set.

    ``summary.json`` (words in ``lang``) is always written; ``centers_plan.csv``
    and ``grids_coverage.csv`` only for a plan with values (optimal, or feasible
    with its ``status`` and ``gap`` in the summary), and a plan without values
    removes the ones an earlier run left, so the folder never pairs a new
    summary with old tables. Every file is first written in full to a
    temporary file beside it (a failure, e.g. a full disk, changes nothing),
    then moved into place with ``summary.json`` last. Files get the usual
    permissions (0666 less the umask). Returns the paths written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = _files(plan, lang, dataset)
    order = [name for name in (*PLAN_TABLES, SUMMARY_FILE) if name in files]
    temps: dict[str, Path] = {}
    try:
        for name in order:
            temps[name] = _temp_file(out_dir / name, files[name])
        for name in PLAN_TABLES:
            if name not in files:
                (out_dir / name).unlink(missing_ok=True)
        for name in order:
            os.replace(temps.pop(name), out_dir / name)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return [out_dir / name for name in order]


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` as one step: in full to a temporary file beside it,
    then moved into place, so a failure leaves an earlier file as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_file(path, data)
    try:
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
