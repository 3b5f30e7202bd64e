"""Sentences for the problems found in input (:class:`~govopt.data.errors.Problem`).

The data layer returns codes and values; this module words them in the
planner's language from the string table in :mod:`govopt.i18n`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from govopt.data.errors import DataError, Problem
from govopt.data.scenario import ScenarioProblem
from govopt.i18n import STRINGS, Lang, fmt_mb_pair, t

if TYPE_CHECKING:
    import pandas as pd

    from govopt.data.validate import Report

__all__ = [
    "PROBLEM_KEYS",
    "describe",
    "describe_problem",
    "problem_fix",
    "problem_message",
    "report_frame",
    "report_summary",
    "report_text",
]


def _problem_values(problem: Problem, lang: Lang) -> dict[str, object]:
    sep = "、" if lang != "en" else ", "
    values: dict[str, object] = {"file": problem.file, "column": problem.column or ""}
    for k, v in problem.params.items():
        if isinstance(v, ScenarioProblem):
            v = t(v.key, lang, **v.params)
        elif isinstance(v, tuple) and k != "rows":
            v = sep.join(map(str, v))
        elif isinstance(v, float) and v.is_integer() and abs(v) < 1e18:
            v = int(v)
        values[k] = v
    limit = problem.params.get("limit_bytes")
    if isinstance(limit, (int, float)):
        size = problem.params.get("size_bytes")
        values["size"], values["limit"] = fmt_mb_pair(
            float(size) if isinstance(size, (int, float)) else None, float(limit)
        )
    return values


def _problem_string(key: str, lang: Lang, values: Mapping[str, object]) -> str | None:
    pair = STRINGS.get(key)
    if pair is None:
        return None
    try:
        return (pair[1] if lang == "en" else pair[0]).format(**values)
    except (KeyError, IndexError, ValueError, TypeError):
        return None


# What each problem kind (``code`` or ``code.variant``) says and what it advises.
PROBLEM_KEYS: dict[str, tuple[str, str]] = {
    "file_too_large": ("problem.file_too_large", "problem.file_too_large.fix"),
    "unreadable_file": ("problem.unreadable_file", "problem.unreadable_file.fix"),
    "unreadable_file.zip": ("problem.unreadable_file.zip", "problem.unreadable_file.fix"),
    "unreadable_file.toml": ("problem.unreadable_file.toml", "problem.unreadable_file.fix"),
    "unreadable_file.not_utf8": ("problem.unreadable_file.not_utf8", "problem.unreadable_file.fix"),
    "unreadable_file.no_geometry": (
        "problem.unreadable_file.no_geometry",
        "problem.unreadable_file.fix",
    ),
    "unreadable_file.plan": ("problem.unreadable_file.plan", "problem.unreadable_file.plan.fix"),
    "empty_file": ("problem.empty_file", "problem.empty_file.fix"),
    "empty_file.no_grids": ("problem.empty_file.no_grids", "problem.empty_file.no_grids.fix"),
    "not_csv.excel": ("problem.not_csv.excel", "problem.not_csv.excel.fix"),
    "not_csv.binary": ("problem.not_csv.binary", "problem.not_csv.binary.fix"),
    "bad_encoding": ("problem.bad_encoding", "problem.bad_encoding.fix"),
    "duplicate_column": ("problem.duplicate_column", "problem.duplicate_column.fix"),
    "bad_row_length": ("problem.bad_row_length", "problem.bad_row_length.fix"),
    "several_files": ("problem.several_files", "problem.several_files.fix"),
    "several_files.counts": ("problem.several_files.counts", "problem.several_files.counts.fix"),
    "missing_file": ("problem.missing_file", "problem.missing_file.fix"),
    "missing_file.grids": ("problem.missing_file.grids", "problem.missing_file.fix"),
    "missing_file.plan": ("problem.missing_file.plan", "problem.missing_file.plan.fix"),
    "missing_folder": ("problem.missing_folder", "problem.missing_folder.fix"),
    "not_a_folder": ("problem.not_a_folder", "problem.not_a_folder.fix"),
    "bad_datetime": ("problem.bad_datetime", "problem.bad_datetime.fix"),
    "not_a_number": ("problem.not_a_number", "problem.not_a_number.fix"),
    "not_a_number.plan": ("problem.not_a_number.plan", "problem.not_a_number.plan.fix"),
    "not_whole": ("problem.not_whole", "problem.not_whole.fix"),
    "below_minimum": ("problem.below_minimum", "problem.below_minimum.fix"),
    "below_minimum.negative": ("problem.below_minimum.negative", "problem.below_minimum.fix"),
    "above_maximum": ("problem.above_maximum", "problem.above_maximum.fix"),
    "empty_cell": ("problem.empty_cell", "problem.empty_cell.fix"),
    "not_allowed": ("problem.not_allowed", "problem.not_allowed.fix"),
    "duplicate_id": ("problem.duplicate_id", "problem.duplicate_id.fix"),
    "missing_column": ("problem.missing_column", "problem.missing_column.fix"),
    "missing_column.none": ("problem.missing_column.none", "problem.missing_column.fix"),
    "missing_column.plan": ("problem.missing_column.plan", "problem.missing_column.plan.fix"),
    "swapped_lonlat": ("problem.swapped_lonlat", "problem.swapped_lonlat.fix"),
    "outside_china": ("problem.outside_china", "problem.outside_china.fix"),
    "empty_geometry": ("problem.empty_geometry", "problem.empty_geometry.fix"),
    "not_polygon": ("problem.not_polygon", "problem.not_polygon.fix"),
    "repaired_geometry": ("problem.repaired_geometry", "problem.repaired_geometry.fix"),
    "invalid_geometry": ("problem.invalid_geometry", "problem.invalid_geometry.fix"),
    "missing_crs": ("problem.missing_crs", "problem.missing_crs.fix"),
    "unknown_crs": ("problem.unknown_crs", "problem.unknown_crs.fix"),
    "elderly_over_residents": (
        "problem.elderly_over_residents",
        "problem.elderly_over_residents.fix",
    ),
    "unknown_category": ("problem.unknown_category", "problem.unknown_category.fix"),
    "closed_before_created": ("problem.closed_before_created", "problem.closed_before_created.fix"),
    "unknown_grid.orders": ("problem.unknown_grid.orders", "problem.unknown_grid.orders.fix"),
    "unknown_grid.survey": ("problem.unknown_grid.survey", "problem.unknown_grid.survey.fix"),
    "bad_scenario": ("problem.bad_scenario", "problem.bad_scenario.fix"),
    "empty_table.centers": ("problem.empty_table.centers", "problem.empty_table.centers.fix"),
    "empty_table.standards": ("problem.empty_table.standards", "problem.empty_table.standards.fix"),
    "unexpected": ("problem.unexpected", "problem.unexpected.fix"),
    "too_large": ("problem.too_large", "problem.too_large.fix"),
    "bad_file_name.characters": ("problem.bad_file_name.characters", "problem.bad_file_name.fix"),
    "bad_file_name.suffix": ("problem.bad_file_name.suffix", "problem.bad_file_name.fix"),
    "bad_file_name.too_many": (
        "problem.bad_file_name.too_many",
        "problem.bad_file_name.too_many.fix",
    ),
    "bad_file_name.outside": ("problem.bad_file_name.outside", "problem.bad_file_name.fix"),
    "bad_file_name.twice": ("problem.bad_file_name.twice", "problem.bad_file_name.fix"),
    "bad_zip": ("problem.bad_zip", "problem.bad_zip.fix"),
    "no_files": ("problem.no_files", "problem.no_files.fix"),
    "file_too_large.unpacked": (
        "problem.file_too_large.unpacked",
        "problem.file_too_large.unpacked.fix",
    ),
    "big5_text": ("problem.big5_text", "problem.big5_text.fix"),
    "nul_character": ("problem.nul_character", "problem.nul_character.fix"),
    "default_used": ("problem.default_used", "problem.default_used.fix"),
    "staff_over_max": ("problem.staff_over_max", "problem.staff_over_max.fix"),
    "bad_file_name.too_long": ("problem.bad_file_name.too_long", "problem.bad_file_name.fix"),
    "bad_file_name.too_deep": (
        "problem.bad_file_name.too_deep",
        "problem.bad_file_name.too_deep.fix",
    ),
    "bad_file_name.duplicate": (
        "problem.bad_file_name.duplicate",
        "problem.bad_file_name.duplicate.fix",
    ),
    "too_many_files": ("problem.too_many_files", "problem.too_many_files.fix"),
    "zip_encrypted": ("problem.zip_encrypted", "problem.zip_encrypted.fix"),
    "zip_compression": ("problem.zip_compression", "problem.zip_compression.fix"),
    "zip_member_broken": ("problem.zip_member_broken", "problem.zip_member_broken.fix"),
    "upload_not_saved": ("problem.upload_not_saved", "problem.upload_not_saved.fix"),
}

_SEVERITY_KEYS: dict[str, str] = {
    "error": "report.severity.error",
    "warning": "report.severity.warning",
    "info": "report.severity.info",
}


def _problem_keys(problem: Problem) -> tuple[str, str] | None:
    kind = f"{problem.code}.{problem.variant}" if problem.variant else problem.code
    return PROBLEM_KEYS.get(kind)


def problem_message(problem: Problem, lang: Lang = "en") -> str:
    """What is wrong, in ``lang``, with the count and first rows when several rows are."""
    keys = _problem_keys(problem)
    text = None if keys is None else _problem_string(keys[0], lang, _problem_values(problem, lang))
    if text is None:
        shown = ", ".join(f"{k}={v}" for k, v in problem.params.items()) or "-"
        return t("problem.unknown", lang, code=problem.code, values=shown)
    count, rows = problem.params.get("count"), problem.params.get("rows")
    if isinstance(count, int) and count > 1 and isinstance(rows, tuple) and rows:
        shown = ", ".join(map(str, rows)) + (" …" if count > len(rows) else "")
        text += t("problem.rows", lang, count=count, rows=shown)
    return text


def problem_fix(problem: Problem, lang: Lang = "en") -> str:
    """What to do about ``problem``, in ``lang``."""
    keys = _problem_keys(problem)
    text = None if keys is None else _problem_string(keys[1], lang, _problem_values(problem, lang))
    return text or ""


def describe_problem(problem: Problem, lang: Lang = "en") -> str:
    """One line: where, what, and what to do."""
    where = [problem.file]
    if problem.row is not None:
        where.append(t("problem.at_row", lang, row=problem.row))
    if problem.column:
        where.append(t("problem.at_column", lang, column=problem.column))
    fix = problem_fix(problem, lang)
    head = t("problem.sep", lang).join(where) + ": " + problem_message(problem, lang)
    return head + (f" — {fix}" if fix else "")


def describe(exc: BaseException, lang: Lang = "en") -> str:
    """A planner-readable account of an exception (every problem of a ``DataError``)."""
    if isinstance(exc, DataError) and exc.problems:
        return "\n".join(describe_problem(p, lang) for p in exc.problems)
    if isinstance(exc, FileNotFoundError):
        return t("error.not_found", lang, name=exc.filename or exc)
    if isinstance(exc, PermissionError):
        return t("error.permission", lang, name=exc.filename or exc)
    if isinstance(exc, MemoryError):
        return t("error.memory", lang)
    return f"{type(exc).__name__}: {exc}"


def report_summary(report: Report, lang: Lang = "en") -> str:
    """The count line of a validation report, e.g. ``2 errors, 1 warning``."""
    e, w = len(report.errors), len(report.warnings)
    errors = t("report.errors.one" if e == 1 else "report.errors.other", lang, n=e)
    warnings = t("report.warnings.one" if w == 1 else "report.warnings.other", lang, n=w)
    return t("report.summary", lang, errors=errors, warnings=warnings)


def report_text(report: Report, lang: Lang = "en") -> str:
    """One problem per line (errors first), then the count line."""
    lines = [
        f"{t(_SEVERITY_KEYS[p.severity], lang)} {describe_problem(p, lang)}" for p in report.ordered
    ]
    if not report.problems:
        lines.append(t("report.none", lang))
    lines.append(report_summary(report, lang))
    return "\n".join(lines)


def report_frame(report: Report, lang: Lang = "en") -> pd.DataFrame:
    """A table for display: severity, file, row, column, message, fix."""
    import pandas as pd

    ordered = report.ordered
    return pd.DataFrame(
        {
            "severity": [p.severity for p in ordered],
            "file": [p.file for p in ordered],
            "row": pd.array([p.row for p in ordered], dtype="Int64"),
            "column": [p.column or "" for p in ordered],
            "message": [problem_message(p, lang) for p in ordered],
            "fix": [problem_fix(p, lang) for p in ordered],
        }
    )
