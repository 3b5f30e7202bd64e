"""Problems found in input, and the error that carries them.

A :class:`Problem` is a location, a stable ``code`` and the numbers and values
the code needs (``params``). It holds no sentences: the edges (ui, cli) render
them in the planner's language with :func:`govopt.output.problem_text.describe_problem`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["DataError", "Params", "Problem", "Severity", "problem"]

Severity = Literal["error", "warning", "info"]


def _frozen(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return tuple(_frozen(v) for v in items)
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()  # a numpy scalar
        except (TypeError, ValueError):
            return value
    return value


class Params(Mapping[str, object]):
    """The values of a problem: an immutable, hashable mapping.

    Lists become tuples and numpy scalars Python numbers, so a
    :class:`Problem` stays frozen and hashable.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, object] | Iterable[tuple[str, object]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: tuple[tuple[str, object], ...] = tuple(
            sorted((str(k), _frozen(v)) for k, v in pairs)
        )

    def __getitem__(self, key: str) -> object:
        for k, v in self._items:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Params):
            return self._items == other._items
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Params({dict(self._items)!r})"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or repaired) in the input, located and coded.

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
    code : str
        Stable identifier of the kind of problem, e.g. ``missing_column``.
    params : Mapping[str, object]
        The numbers and values the problem speaks of (``{"mb": 250.0}``).
        ``variant`` names one way of telling the same problem (``not_csv`` of
        an Excel file or of binary junk); ``count`` and ``rows`` give how many
        rows are at fault and the first of them.
    """

    severity: Severity
    file: str
    row: int | None
    column: str | None
    code: str
    params: Mapping[str, object] = field(default_factory=Params)

    def __post_init__(self) -> None:
        if not isinstance(self.params, Params):
            object.__setattr__(self, "params", Params(self.params))

    @property
    def variant(self) -> str:
        """The ``variant`` param, or ``""``."""
        return str(self.params.get("variant", "") or "")

    def log_line(self) -> str:
        """Location, code and values in plain English, for logs."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        values = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{', '.join(where)}: {self.code}" + (f" ({values})" if values else "")


def problem(
    file: str,
    *,
    code: str,
    severity: Severity = "error",
    row: int | None = None,
    column: str | None = None,
    **params: object,
) -> Problem:
    """Build a :class:`Problem`; keyword arguments beyond the location are its params.

    An empty ``variant`` is left out.
    """
    if not params.get("variant", True):
        del params["variant"]
    return Problem(severity, file, row, column, code, Params(params))


class DataError(Exception):
    """Input that cannot be used; ``problems`` lists every problem found.

    ``str()`` gives the first error's location and code in English (for logs);
    the edges render the sentences with :func:`govopt.output.problem_text.describe_problem`.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        head = errors[0].log_line() if errors else "invalid input"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(head + more)
