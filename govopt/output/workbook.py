"""One Excel workbook per plan, ready for a district office: headers in the planner's
language with units, codes in words, figures rounded, header row frozen.

Sheets: the summary (scenario settings, KPIs today and in the plan, marginal
values or why the plan is infeasible), centers, grids and streets. Text that
a spreadsheet would run as a formula (:func:`govopt.output.export.formula_like`)
is stored as text with Excel's quote prefix, so it shows as typed and never runs.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govopt.analysis.diagnosis import CAUSES
from govopt.analysis.plan_summary import STREET_COLUMNS, same_layout, street_summary
from govopt.data.dataset import Dataset
from govopt.i18n import Lang, t
from govopt.optimize.results import CENTER_BASE_COLUMNS, today_kpis
from govopt.output.export import below_target, formula_like
from govopt.output.planner_text import (
    beijing_now,
    display_width,
    header,
    kpi_rows,
    level_text,
    scenario_settings,
    yes_no,
)
from govopt.output.rounding import SHARE_COLUMNS, column_digits, staff_digits
from govopt.output.words import explain_marginal, objective_label, plan_notes, plan_status
from govopt.plan import Kpis, Plan

__all__ = [
    "CENTER_COLUMNS",
    "GRID_COLUMNS",
    "STREET_SHEET_COLUMNS",
    "XLSX_MIME",
    "dataset_title",
    "plan_workbook",
    "plan_workbook_bytes",
    "today",
]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENTER_COLUMNS: tuple[str, ...] = (
    *CENTER_BASE_COLUMNS,
    "staff_hours",
    "purchased_hours",
    "org_hours",
    "served_hours",
    "workload_hours",
    "wisn_need",
    "wisn_ratio_before",
    "wisn_ratio_after",
)
GRID_COLUMNS: tuple[str, ...] = (
    "grid_id",
    "name",
    "street",
    "priority",
    "demand_hours",
    "served_hours",
    "baseline_coverage",
    "coverage",
    "coverage_change",
    "unreachable",
)
STREET_SHEET_COLUMNS: tuple[str, ...] = STREET_COLUMNS
_CAUSE_KEYS = {
    "no_center_in_reach": "why.cause.no_center_in_reach",
    "centers_full": "why.cause.centers_full",
    "budget_binds": "why.cause.budget_binds",
    "served_elsewhere": "why.cause.served_elsewhere",
}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
_MIN_WIDTH, _MAX_WIDTH, _HEADER_WIDTH = 8, 50, 18


def dataset_title(dataset: Dataset, lang: Lang) -> str:
    """The dataset's name in ``lang`` (``about.toml``'s ``name_zh`` in Chinese)."""
    zh = str(dataset.meta.get("name_zh") or "") if lang != "en" else ""
    return zh or dataset.name


def today(plan: Plan, baseline: Plan | None = None) -> Kpis | None:
    """Today's KPIs: the baseline's when it is given and optimal, else read from the
    plan's own columns of today (:func:`govopt.optimize.results.today_kpis`)."""
    if baseline is not None and baseline.optimal and baseline.kpis is not None:
        return baseline.kpis
    if not plan.has_values:
        return None
    return today_kpis(plan.grids, plan.centers, plan.scenario)


def _clean_text(value: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))


def _put(ws: Worksheet, row: int, col: int, value: object, fmt: str | None = None) -> Cell:
    """Write one cell: text stays text (formula-like text gets the quote prefix)."""
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    if isinstance(value, str):
        value = _clean_text(value)
    cell: Cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if formula_like(value):
            cell.quotePrefix = True
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _number_format(digits: int) -> str:
    return "#,##0" if digits == 0 else "#,##0." + "0" * digits


def _shown(value: object, digits: int | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if digits is not None and isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value)


def _fit(ws: Worksheet, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(
            max(width + 2, _MIN_WIDTH), _MAX_WIDTH
        )


def _print_setup(ws: Worksheet, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _cell_value(column: str, value: object, lang: Lang, digits: int | None) -> object:
    if column == "level":
        return level_text(value, lang)
    if column == "unreachable":
        return yes_no(value, lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return yes_no(value, lang)
    if digits is not None and isinstance(value, (int, float)):
        if column in SHARE_COLUMNS:
            return round(float(value) * 100, 1) + 0.0
        return round(float(value), digits) + 0.0
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _write_table(
    ws: Worksheet, frame: pd.DataFrame, columns: Sequence[str], lang: Lang, staff: int
) -> None:
    """``frame``'s ``columns`` as a table: header row frozen and filtered, widths fitted."""
    cols = [c for c in columns if c in frame.columns]
    widths: list[int] = []
    for j, col in enumerate(cols, start=1):
        cell = _put(ws, 1, j, header(col, lang))
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        digits = column_digits(col, staff)
        shown_digits = 1 if col in SHARE_COLUMNS else digits
        fmt = _number_format(shown_digits) if shown_digits is not None else None
        width = min(display_width(str(cell.value)), _HEADER_WIDTH)  # longer headers wrap
        for i, raw in enumerate(frame[col].tolist(), start=2):
            value = _cell_value(col, raw, lang, digits)
            numeric = isinstance(value, float | int) and not isinstance(value, bool)
            _put(ws, i, j, value, fmt if numeric else None)
            width = max(width, display_width(_shown(value, shown_digits if numeric else None)))
        widths.append(width)
    _fit(ws, widths)
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(frame) + 1, 1)}"
    _print_setup(ws, landscape=True)


def _grid_frame(plan: Plan) -> pd.DataFrame:
    g = plan.grids
    return g.assign(coverage_change=g["coverage"] - g["baseline_coverage"])


def _summary_sheet(
    ws: Worksheet,
    plan: Plan,
    dataset: Dataset | None,
    lang: Lang,
    before: Kpis | None,
    staff: int,
    now: datetime,
) -> None:
    widths = [0, 0, 0, 0]
    row = 1

    def line(*values: object, bold: bool = False, fmt: str | None = None) -> None:
        nonlocal row
        for j, value in enumerate(values, start=1):
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            cell = _put(ws, row, j, value, fmt if numeric else None)
            if bold:
                cell.font = _BOLD
            if value is not None:
                shown = f"{value:,.1f}" if numeric else str(value)
                widths[j - 1] = max(widths[j - 1], display_width(shown))
        row += 1

    def text(value: str) -> None:  # a sentence: spills over the empty cells beside it
        nonlocal row
        _put(ws, row, 1, value)
        row += 1

    title = _put(ws, row, 1, t("out.title", lang, name=plan.scenario.name))
    title.font = _TITLE
    row += 1
    if dataset is not None:
        line(t("out.dataset", lang), dataset_title(dataset, lang))
    line(t("out.generated", lang), now.strftime("%Y-%m-%d %H:%M"))
    line(t("out.status", lang), plan_status(plan, lang))
    line(t("sf.objective", lang), objective_label(plan.scenario.objective, lang))
    if plan.has_values and plan.objective is not None:
        line(t("out.objective_value", lang), round(plan.objective, 2), fmt="#,##0.00")
    row += 1
    line(t("out.settings", lang), bold=True)
    for label, value in scenario_settings(plan.scenario, lang):
        line(label, value)
    row += 1
    if plan.has_values:
        line(t("out.kpis", lang), bold=True)
        line(
            t("out.kpi", lang), t("out.today", lang), t("out.plan", lang), t("out.change", lang),
            bold=True,
        )  # fmt: skip
        for k in kpi_rows(plan, before, lang, staff):
            line(k.label, k.before, k.after, k.change, fmt=_number_format(k.digits))
        if before is None:
            text(t("out.today_unknown", lang))
        row += 1
        found = below_target(plan, dataset) if dataset is not None else None
        if found is not None:
            line(t("out.below_target", lang), bold=True)
            line(t("out.col.cause", lang), t("out.col.grids", lang), bold=True)
            for cause in CAUSES:
                count = int(found["counts"].get(cause.value, 0))
                line(t(_CAUSE_KEYS[cause.value], lang), count, fmt="#,##0")
            row += 1
        line(t("out.marginal", lang), bold=True)
        for sentence in explain_marginal(plan, lang):
            text(sentence)
    else:
        line(t("out.why_not", lang), bold=True)
        for sentence in plan_notes(plan, lang):
            text(sentence)
    widths[0] = max(widths[0], 24)
    _fit(ws, widths)
    ws.freeze_panes = "A2"
    _print_setup(ws, landscape=False)


def plan_workbook(
    plan: Plan,
    dataset: Dataset | None = None,
    lang: Lang = "zh",
    *,
    baseline: Plan | None = None,
    now: datetime | None = None,
) -> Workbook:
    """The workbook of ``plan`` in ``lang`` (see :func:`plan_workbook_bytes`)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = t("out.sheet.summary", lang)
    staff = staff_digits(plan) if plan.has_values else 1
    _summary_sheet(ws, plan, dataset, lang, today(plan, baseline), staff, now or beijing_now())
    if not plan.has_values:
        return wb
    _write_table(
        wb.create_sheet(t("out.sheet.centers", lang)), plan.centers, CENTER_COLUMNS, lang, staff
    )
    _write_table(
        wb.create_sheet(t("out.sheet.grids", lang)), _grid_frame(plan), GRID_COLUMNS, lang, staff
    )
    if dataset is not None and same_layout(plan, dataset):
        streets = street_summary(plan, dataset)
        _write_table(
            wb.create_sheet(t("out.sheet.streets", lang)),
            streets,
            STREET_SHEET_COLUMNS,
            lang,
            staff,
        )
    return wb


def plan_workbook_bytes(
    plan: Plan,
    dataset: Dataset | None = None,
    lang: Lang = "zh",
    *,
    baseline: Plan | None = None,
    now: datetime | None = None,
) -> bytes:
    """The plan as an ``.xlsx`` workbook, headers and words in ``lang``.

    Parameters
    ----------
    plan : Plan
        Any plan; one that is not optimal gets the summary sheet alone, with
        the reasons (the conflicts of an infeasible plan).
    dataset : Dataset, optional
        The district the plan was solved on: adds its name, the grids below
        target by cause and the streets sheet.
    lang : {"zh", "en"}
        Language of headers, codes and sentences.
    baseline : Plan, optional
        Today's plan (:func:`govopt.optimize.baseline`) for the KPIs today;
        without it they are read from the plan's columns of today.
    now : datetime, optional
        The time shown as generated (default: now, Beijing time).
    """
    buf = io.BytesIO()
    plan_workbook(plan, dataset, lang, baseline=baseline, now=now).save(buf)
    return buf.getvalue()
