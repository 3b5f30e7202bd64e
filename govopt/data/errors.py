"""Problems found in input, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DataError", "Problem", "Severity", "describe"]

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or repaired) in the input, located and actionable.

    Parameters
    ----------
    severity : {"error", "warning", "info"}
        Errors block loading; warnings and infos (e.g. a repaired polygon) do not.
    file : str
        File name inside the dataset folder, e.g. ``centers.csv``.
    row : int or None
        1-based data row (the first row under the header is 1).
    column : str or None
        Column name, when one column is at fault.
    message : str
        What is wrong, in English.
    fix : str
        What to do about it, in English.
    code : str
        Stable identifier of the kind of problem, e.g. ``missing_column``.
    message_zh, fix_zh : str
        The same in Simplified Chinese (empty falls back to English).
    """

    severity: Severity
    file: str
    row: int | None
    column: str | None
    message: str
    fix: str
    code: str = ""
    message_zh: str = ""
    fix_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """One line: where, what, and what to do."""
        zh = lang.startswith("zh")
        where = [self.file]
        if self.row is not None:
            where.append(f"第{self.row}行" if zh else f"row {self.row}")
        if self.column:
            where.append(f"列 {self.column}" if zh else f"column {self.column}")
        msg = (self.message_zh or self.message) if zh else self.message
        fix = (self.fix_zh or self.fix) if zh else self.fix
        sep = "，" if zh else ", "
        return f"{sep.join(where)}: {msg}" + (f" — {fix}" if fix else "")


class DataError(Exception):
    """Input that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        head = errors[0].text() if errors else "invalid input"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(head + more)


def describe(exc: BaseException) -> str:
    """A one-line, planner-readable account of an unexpected exception."""
    if isinstance(exc, DataError):
        return "\n".join(p.text() for p in exc.problems)
    if isinstance(exc, FileNotFoundError):
        return f"file or folder not found: {exc.filename or exc}"
    if isinstance(exc, PermissionError):
        return f"no permission to read or write {exc.filename or exc}"
    if isinstance(exc, MemoryError):
        return "not enough memory for this input; try a smaller area or fewer grids"
    return f"{type(exc).__name__}: {exc}"
