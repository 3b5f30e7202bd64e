"""Words shared by the planner-ready exports (Excel workbook, printable report).

Column headers with units, coded values in words (levels, yes/no), the
scenario settings as label/value pairs and the KPIs before and after, each
rounded as a planner reads them (:mod:`govopt.output.rounding`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Literal

from govopt.data.scenario import Scenario
from govopt.i18n import Lang, fmt_pct, t
from govopt.output.words import objective_label
from govopt.plan import Kpis, Plan

__all__ = [
    "HEADERS",
    "KpiRow",
    "beijing_now",
    "display_width",
    "header",
    "kpi_rows",
    "level_text",
    "scenario_settings",
    "yes_no",
]

HEADERS: Mapping[str, str] = {
    "center_id": "out.col.center_id",
    "name": "out.col.name",
    "level": "out.col.level",
    "staff0": "out.col.staff0",
    "staff": "out.col.staff",
    "staff_change": "out.col.staff_change",
    "funds0_cny": "out.col.funds0_cny",
    "funds_cny": "out.col.funds_cny",
    "funds_change": "out.col.funds_change",
    "staff_hours": "out.col.staff_hours",
    "purchased_hours": "out.col.purchased_hours",
    "org_hours": "out.col.org_hours",
    "served_hours": "out.col.served_hours",
    "served0_hours": "out.col.served0_hours",
    "workload_hours": "out.col.workload_hours",
    "wisn_need": "out.col.wisn_need",
    "wisn_ratio_before": "out.col.wisn_ratio_before",
    "wisn_ratio_after": "out.col.wisn_ratio_after",
    "grid_id": "out.col.grid_id",
    "street": "out.col.street",
    "priority": "out.col.priority",
    "demand_hours": "out.col.demand_hours",
    "baseline_coverage": "out.col.baseline_coverage",
    "coverage": "out.col.coverage",
    "coverage_change": "out.col.coverage_change",
    "unreachable": "out.col.unreachable",
    "grids": "out.col.grids",
    "residents": "out.col.residents",
    "centers": "out.col.centers",
    "cause": "out.col.cause",
}
_LEVELS: Mapping[str, str] = {
    "street": "out.level.street",
    "community": "out.level.community",
    "grid": "out.level.grid",
}
_BEIJING = timezone(timedelta(hours=8), "CST")

KpiKind = Literal["pct", "count", "staff", "cny", "hours", "gini"]
# name, kind, whether today has a value (changes are 0 today by definition)
_KPIS: tuple[tuple[str, KpiKind, bool], ...] = (
    ("coverage", "pct", True),
    ("min_coverage", "pct", True),
    ("grids_below_target", "count", True),
    ("unreachable_grids", "count", True),
    ("coverage_gini", "gini", True),
    ("staff_used", "staff", True),
    ("funds_used_cny", "cny", True),
    ("demand_hours", "hours", True),
    ("served_hours", "hours", True),
    ("staff_transfers", "staff", False),
    ("moved_staff", "staff", False),
    ("moved_funds_cny", "cny", False),
    ("centers_changed", "count", False),
    ("lowest_share", "pct", False),
)
_KPI_LABELS: Mapping[str, str] = {
    "coverage": "out.kpi.coverage",
    "min_coverage": "out.kpi.min_coverage",
    "grids_below_target": "out.kpi.grids_below_target",
    "unreachable_grids": "out.kpi.unreachable_grids",
    "coverage_gini": "out.kpi.coverage_gini",
    "staff_used": "out.kpi.staff_used",
    "funds_used_cny": "out.kpi.funds_used_cny",
    "demand_hours": "out.kpi.demand_hours",
    "served_hours": "out.kpi.served_hours",
    "staff_transfers": "out.kpi.staff_transfers",
    "moved_staff": "out.kpi.moved_staff",
    "moved_funds_cny": "out.kpi.moved_funds_cny",
    "centers_changed": "out.kpi.centers_changed",
    "lowest_share": "out.kpi.lowest_share",
}


def header(column: str, lang: Lang) -> str:
    """A column's header in ``lang``, with its unit (``工作人员（人）``); else the column name."""
    key = HEADERS.get(column)
    return t(key, lang) if key else column


def level_text(level: object, lang: Lang) -> str:
    """A center level in words (``street`` → ``街道``); an unknown level as it is."""
    key = _LEVELS.get(str(level))
    return t(key, lang) if key else str(level)


def yes_no(value: object, lang: Lang) -> str:
    """``是``/``否`` (``yes``/``no``)."""
    return t("out.yes", lang) if bool(value) else t("out.no", lang)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width font: wide (CJK) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def beijing_now(zone: tzinfo | None = None) -> datetime:
    """The time now in Beijing (Asia/Shanghai; UTC+8 where the time-zone data is missing)."""
    if zone is None:
        try:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo("Asia/Shanghai")
        except (ImportError, KeyError, ValueError, OSError):
            zone = _BEIJING
    return datetime.now(zone)


def _number(value: float) -> str:
    """``1,600`` for a whole number, else up to two decimals (``2.5``)."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,d}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _limit(value: float | None, unit_key: str, lang: Lang) -> str:
    if value is None:
        return t("out.no_limit", lang)
    return t(unit_key, lang, n=_number(value))


def scenario_settings(scenario: Scenario, lang: Lang) -> list[tuple[str, str]]:
    """The scenario as (setting, value) pairs in ``lang``, as on the scenario form."""
    s = scenario
    rows = [
        (t("sf.name", lang), s.name),
        (t("sf.objective", lang), objective_label(s.objective, lang)),
        (t("out.set.staff_total", lang), _limit(s.staff_total, "out.unit.persons", lang)),
        (t("out.set.funds_total", lang), _limit(s.funds_total_cny, "out.unit.cny", lang)),
        (t("out.set.max_transfers", lang), _limit(s.max_transfers, "out.unit.persons", lang)),
    ]
    for level in ("street", "community", "grid"):
        rows.append(
            (
                t("out.set.radius", lang, level=level_text(level, lang)),
                t("out.unit.metres", lang, n=_number(getattr(s.radius_m, level))),
            )
        )
    for level in ("street", "community", "grid"):
        rows.append(
            (
                t("out.set.min_staff", lang, level=level_text(level, lang)),
                t("out.unit.persons", lang, n=_number(getattr(s.min_staff, level))),
            )
        )
    rows += [
        (t("out.set.coverage_target", lang), fmt_pct(s.coverage_target)),
        (t("sf.integer_staff", lang), yes_no(s.integer_staff, lang)),
        (
            t("out.set.work_hours", lang),
            t("out.unit.hours", lang, n=_number(s.work_hours_per_staff)),
        ),
        (
            t("out.set.cost_per_hour", lang),
            t("out.unit.cny_per_hour", lang, n=_number(s.cost_per_hour_cny)),
        ),
        (t("out.set.wage", lang), t("out.unit.cny", lang, n=_number(s.wage_per_staff_cny))),
        (t("out.set.solver", lang), s.solver),
        (
            t("out.set.time_limit", lang),
            _limit(s.time_limit_s, "out.unit.seconds", lang),
        ),
    ]
    return rows


@dataclass(frozen=True)
class KpiRow:
    """One KPI of a plan, today and in the plan, rounded for reading.

    Shares are percentages (80.0), the Gini coefficient has 3 decimals, staff
    ``staff_digits``, yuan, hours and counts none. ``before`` is ``None`` when
    today is unknown or, for the changes from today, not meaningful.
    """

    name: str
    label: str
    kind: KpiKind
    before: float | None
    after: float | None
    digits: int

    @property
    def change(self) -> float | None:
        """``after - before``, rounded like them; ``None`` when either is missing."""
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, self.digits) + 0.0

    def text(self, value: float | None, lang: Lang, signed: bool = False) -> str:
        """``value`` as text in ``lang`` (``—`` when missing); ``signed`` for a change
        (``+1.5``; shares in percentage points)."""
        if value is None:
            return "—"
        shown = f"{value:,.{self.digits}f}"
        shown = ("+" + shown) if signed and value > 0 else shown
        if self.kind == "pct":
            return t("out.points", lang, n=shown) if signed else shown + "%"
        return shown


def _digits(kind: KpiKind, staff: int) -> int:
    return {"pct": 1, "gini": 3, "staff": staff}.get(kind, 0)


def _value(kpis: Kpis | None, name: str, kind: KpiKind, digits: int) -> float | None:
    raw = getattr(kpis, name, None) if kpis is not None else None
    if raw is None or raw != raw:
        return None
    value = float(raw) * (100 if kind == "pct" else 1)
    return round(value, digits) + 0.0


def kpi_rows(plan: Plan, before: Kpis | None, lang: Lang, staff_digits: int = 1) -> list[KpiRow]:
    """The KPIs of ``plan`` beside ``before`` (today); the equity ``lowest_share`` only
    when the plan reports it. Empty for a plan without KPIs."""
    if plan.kpis is None:
        return []
    rows: list[KpiRow] = []
    for name, kind, today in _KPIS:
        if name == "lowest_share" and plan.kpis.lowest_share is None:
            continue
        digits = _digits(kind, staff_digits)
        rows.append(
            KpiRow(
                name,
                t(_KPI_LABELS[name], lang),
                kind,
                _value(before, name, kind, digits) if today else None,
                _value(plan.kpis, name, kind, digits),
                digits,
            )
        )
    return rows
