"""Read a ``govopt solve`` output folder back into a :class:`~govopt.plan.Plan`.

``summary.json`` gives the status, scenario, KPIs, marginal values and
conflicts; for an optimal plan ``centers_plan.csv`` and ``grids_coverage.csv``
give the tables (as written: rounded, with the Excel-safe ``'`` taken off
again). Anything missing or broken is a :class:`~govopt.data.errors.DataError`
that names the file and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govopt.data.errors import DataError, problem
from govopt.data.scenario import Scenario, ScenarioError
from govopt.i18n import as_lang
from govopt.optimize.results import CENTER_BASE_COLUMNS
from govopt.output.export import CENTERS_FILE, GRIDS_FILE, SUMMARY_FILE, excel_unsafe
from govopt.plan import Conflict, Kpis, MarginalValues, Plan, Status, TopCenter

__all__ = ["CENTER_NEEDS", "GRID_NEEDS", "PlanFolder", "read_plan"]

CENTER_NEEDS: tuple[str, ...] = CENTER_BASE_COLUMNS
GRID_NEEDS: tuple[str, ...] = (
    "grid_id",
    "name",
    "street",
    "demand_hours",
    "served_hours",
    "coverage",
    "baseline_coverage",
    "unreachable",
)
_TEXT = frozenset({"center_id", "name", "level", "grid_id", "street"})
_SHARES = frozenset({"coverage", "baseline_coverage"})
_FLAGS = {"true": True, "false": False, "1": True, "0": False}


@dataclass(frozen=True)
class PlanFolder:
    """A plan read from a folder, why its grids are below target and today's KPIs
    (each ``None`` when the folder does not keep it)."""

    plan: Plan
    causes: Mapping[str, str] | None
    today: Kpis | None = None


def _unreadable(name: str, why: object) -> DataError:
    return DataError([problem(name, code="unreadable_file", variant="plan", why=str(why))])


def _build(cls: type[Any], data: object) -> Any:
    """``cls(**data)`` with the fields ``cls`` knows; ``None`` when that is not possible."""
    if not isinstance(data, dict):
        return None
    known = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in data.items() if k in known})
    except (TypeError, ValueError):
        return None


def _marginal(data: object) -> MarginalValues | None:
    if not isinstance(data, dict):
        return None
    tops = tuple(
        c for c in (_build(TopCenter, d) for d in data.get("top_centers") or []) if c is not None
    )
    values = _build(MarginalValues, {**data, "top_centers": tops})
    return values if isinstance(values, MarginalValues) else None


def _timings(data: object) -> dict[str, float]:
    if not isinstance(data, dict):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float))}


def _summary(folder: Path) -> dict[str, Any]:
    path = folder / SUMMARY_FILE
    if not path.is_file():
        raise DataError(
            [problem(SUMMARY_FILE, code="missing_file", variant="plan", folder=str(folder))]
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _unreadable(SUMMARY_FILE, exc) from None
    if not isinstance(data, dict):
        raise _unreadable(SUMMARY_FILE, "not a JSON object")
    return data


def _table(folder: Path, name: str, needs: tuple[str, ...]) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise DataError([problem(name, code="missing_file", variant="plan", folder=str(folder))])
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise _unreadable(name, exc) from None
    for column in needs:
        if column not in frame.columns:
            raise DataError([problem(name, code="missing_column", variant="plan", column=column)])
    text = [c for c in frame.columns if c in _TEXT]
    out = excel_unsafe(frame)
    for col in frame.columns:
        if col in text:
            continue
        raw = frame[col].str.strip()
        if col == "unreachable":
            flags = raw.str.lower().map(_FLAGS)
            bad = np.flatnonzero(flags.isna().to_numpy())
            if bad.size:
                row = int(bad[0]) + 1
                value = frame[col].iat[row - 1]
                raise DataError(
                    [
                        problem(
                            name,
                            code="not_allowed",
                            row=row,
                            column=col,
                            values=repr(value),
                            allowed="True, False",
                        )
                    ]
                )
            out[col] = flags.astype(bool)
            continue
        values = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy() & (raw != "").to_numpy())
        if bad.size:
            row = int(bad[0]) + 1
            share = col in _SHARES  # the plan variant asks for a share such as 0.85
            raise DataError(
                [
                    problem(
                        name,
                        code="not_a_number",
                        variant="plan" if share else "",
                        row=row,
                        column=col,
                    )
                ]
            )
        out[col] = values.astype(float)
    return out


def read_plan(folder: Path) -> PlanFolder:
    """The plan in ``folder`` (written by ``govopt solve --out``).

    Raises
    ------
    DataError
        When ``summary.json`` or, for a plan with values (optimal or
        feasible), a table is missing or cannot be read, lacks a column, or
        holds text where a number belongs.
    """
    folder = Path(folder)
    data = _summary(folder)
    try:
        status = Status(str(data.get("status")))
        scenario = Scenario.from_dict(data.get("scenario") or {}, source=SUMMARY_FILE)
    except ScenarioError as exc:
        raise _unreadable(SUMMARY_FILE, exc) from None
    except ValueError:
        raise _unreadable(SUMMARY_FILE, f"unknown status {data.get('status')!r}") from None
    valued = status.has_values  # optimal, or feasible with its gap
    centers = _table(folder, CENTERS_FILE, CENTER_NEEDS) if valued else pd.DataFrame()
    grids = _table(folder, GRIDS_FILE, GRID_NEEDS) if valued else pd.DataFrame()
    kpis = _build(Kpis, data.get("kpis")) if valued else None
    if valued and kpis is None:
        raise _unreadable(SUMMARY_FILE, "the plan's kpis are missing")
    conflicts = tuple(
        c for c in (_build(Conflict, d) for d in data.get("conflicts") or []) if c is not None
    )
    explanation = data.get("explanation") or []
    saved = {as_lang(data.get("lang")): tuple(str(x) for x in explanation)} if explanation else {}
    objective = data.get("objective")
    plan = Plan(
        scenario=scenario,
        status=status,
        objective=float(objective) if isinstance(objective, (int, float)) else None,
        solver=str(data.get("solver") or ""),
        timings=_timings(data.get("timings")),
        centers=centers,
        grids=grids,
        kpis=kpis,
        marginal=_marginal(data.get("marginal")) if valued else None,
        conflicts=conflicts,
        saved_explanation=saved,
        gap=float(gap) if isinstance(gap := data.get("gap"), (int, float)) else None,
        notes=tuple(str(n) for n in data.get("notes") or []),
    )
    below = data.get("below_target")
    causes = None
    if isinstance(below, dict) and isinstance(below.get("grids"), list):
        causes = {
            str(g["grid_id"]): str(g["cause"])
            for g in below["grids"]
            if isinstance(g, dict) and "grid_id" in g and "cause" in g
        }
    today = _build(Kpis, data.get("kpis_today")) if valued else None
    return PlanFolder(plan, causes, today)
