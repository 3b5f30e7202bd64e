"""Plan files: Excel-safe CSV (UTF-8 with BOM), summary JSON, GeoJSON and a ZIP of all."""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from govopt.data.dataset import Dataset
from govopt.i18n import Lang
from govopt.output.words import explain_infeasible, status_note
from govopt.plan import Plan

__all__ = [
    "excel_safe",
    "grids_geojson_bytes",
    "plan_csv_bytes",
    "plan_zip_bytes",
    "summary",
    "summary_json_bytes",
    "write_plan",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CENTERS_FILE = "centers_plan.csv"
GRIDS_FILE = "grids_coverage.csv"
SUMMARY_FILE = "summary.json"


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` where text cells that a spreadsheet would run as a formula
    (starting with ``= + - @``, tab or CR) get a leading ``'``; numbers stay numeric."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_safe_cell)
    return out


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return excel_safe(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def plan_csv_bytes(plan: Plan, which: Literal["centers", "grids"]) -> bytes:
    """The centers or grids table of ``plan`` as Excel-safe CSV bytes (UTF-8 with BOM)."""
    if which == "centers":
        return _csv_bytes(plan.centers)
    if which == "grids":
        return _csv_bytes(plan.grids)
    raise ValueError(f"which must be 'centers' or 'grids', not {which!r}")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def summary(plan: Plan, lang: Lang = "en") -> dict[str, Any]:
    """The content of ``summary.json``: status, objective, scenario, solver, timings, KPIs.

    ``status`` is ``feasible`` for a whole-number plan stopped at the time
    limit, ``gap`` its relative gap to the best bound (``null`` otherwise);
    ``notes`` are codes about how it was found. ``conflicts`` are the records
    of an infeasible plan; ``explanation`` and ``message`` word them and the
    status in ``lang``.
    """
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
            "marginal": asdict(plan.marginal) if plan.marginal is not None else None,
            "conflicts": [asdict(c) for c in plan.conflicts],
            "notes": list(plan.notes),
            "lang": lang,
            "explanation": explain_infeasible(plan, lang),
            "message": status_note(plan.status, lang),
        }
    )
    return out


def summary_json_bytes(plan: Plan, lang: Lang = "en") -> bytes:
    """``summary.json`` as UTF-8 bytes, its words in ``lang``."""
    return json.dumps(summary(plan, lang), ensure_ascii=False, indent=2).encode("utf-8")


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
        for name, data in _files(plan, lang).items():
            zf.writestr(name, data)
        if len(plan.grids):
            zf.writestr("grids_coverage.geojson", grids_geojson_bytes(plan, dataset))
    return buf.getvalue()


def _files(plan: Plan, lang: Lang) -> dict[str, bytes]:
    files = {SUMMARY_FILE: summary_json_bytes(plan, lang)}
    if plan.has_values:
        files[CENTERS_FILE] = plan_csv_bytes(plan, "centers")
        files[GRIDS_FILE] = plan_csv_bytes(plan, "grids")
    return files


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_plan(plan: Plan, dataset: Dataset, out_dir: Path, lang: Lang = "en") -> list[Path]:
    """Write the plan files into ``out_dir`` (created if needed), each atomically.

    ``summary.json`` (words in ``lang``) is always written; ``centers_plan.csv``
    and ``grids_coverage.csv`` only for a plan with values (optimal, or feasible
    with its ``status`` and ``gap`` in the summary). Returns the paths written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in _files(plan, lang).items():
        path = out_dir / name
        _write_atomic(path, data)
        written.append(path)
    return written
