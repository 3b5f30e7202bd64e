"""Saved scenarios in an embedded SQLite file: the scenario as JSON, the plan's tables as Parquet.

Every write runs in one ``BEGIN IMMEDIATE`` transaction on a WAL-mode database
with a busy timeout, so many browser sessions can save at once and a crash
leaves either the old or the new row, never a broken file. Nothing is pickled.

An infeasible plan is stored as its conflicts (``conflicts_json``); rows
written before conflicts existed keep the sentences they were saved with
(``explanation_json``, ``explanation_zh_json``) and still open. A feasible
whole-number plan keeps its status and ``gap`` (``notes_json``: how it was
found); older rows read as no gap and no notes.

A file that is not a readable SQLite database raises :class:`StoreError`
(``damaged``) and is never written, replaced or deleted. A store in a folder
that cannot be written is opened read-only: listing and loading work, saving,
renaming and deleting raise :class:`StoreError` (``read_only``).
"""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from govopt.data.scenario import Scenario
from govopt.i18n import Lang
from govopt.plan import Conflict, Kpis, MarginalValues, Plan, Status, TopCenter

__all__ = [
    "DB_FILENAME",
    "NameTaken",
    "OnConflict",
    "SavedScenario",
    "ScenarioStore",
    "StoreError",
    "StoreProblem",
    "default_home",
    "open_store",
]

DB_FILENAME = "scenarios.sqlite"
OnConflict = Literal["error", "overwrite", "rename"]
_BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    name TEXT PRIMARY KEY,
    saved_at TEXT NOT NULL,
    dataset TEXT NOT NULL,
    scenario_json TEXT NOT NULL,
    status TEXT NOT NULL,
    objective REAL,
    solver TEXT NOT NULL,
    timings_json TEXT NOT NULL,
    kpis_json TEXT,
    marginal_json TEXT,
    explanation_json TEXT NOT NULL,
    explanation_zh_json TEXT NOT NULL,
    message TEXT NOT NULL,
    centers_parquet BLOB NOT NULL,
    grids_parquet BLOB NOT NULL,
    flows_parquet BLOB,
    conflicts_json TEXT,
    gap REAL,
    notes_json TEXT
)
"""
_ADDED_COLUMNS = {"conflicts_json": "TEXT", "gap": "REAL", "notes_json": "TEXT"}


StoreProblem = Literal["damaged", "read_only", "busy", "full", "unavailable"]
_SQLITE_HEADER = b"SQLite format 3\x00"
_PROBLEMS: dict[str, StoreProblem] = {
    "SQLITE_NOTADB": "damaged",
    "SQLITE_CORRUPT": "damaged",
    "SQLITE_READONLY": "read_only",
    "SQLITE_PERM": "read_only",
    "SQLITE_CANTOPEN": "read_only",
    "SQLITE_BUSY": "busy",
    "SQLITE_LOCKED": "busy",
    "SQLITE_FULL": "full",
}
_ADVICE: dict[StoreProblem, str] = {
    "damaged": "it was left as it is: restore it from a backup, or move it away so that a "
    "new, empty one is made",
    "read_only": "saved scenarios can be listed and opened, but not saved, renamed or "
    "deleted: ask for write access to the folder, or set GOVOPT_HOME to a writable one",
    "busy": "another save is taking long: try again in a moment",
    "full": "the disk is full: free some space and try again",
    "unavailable": "check the file and the GOVOPT_HOME folder",
}


class StoreError(Exception):
    """The scenario file cannot be used as asked; nothing in it was changed.

    Attributes
    ----------
    problem : {"damaged", "read_only", "busy", "full", "unavailable"}
        What is wrong, for the message shown to the planner.
    path : pathlib.Path
        The database file.
    detail : str
        SQLite's or the system's own words.
    """

    def __init__(self, problem: StoreProblem, path: Path, detail: str = "") -> None:
        self.problem: StoreProblem = problem
        self.path = Path(path)
        self.detail = detail
        what = {
            "damaged": "is damaged or not a scenario file",
            "read_only": "is read-only here",
            "busy": "is busy",
            "full": "cannot grow",
            "unavailable": "cannot be opened",
        }[problem]
        extra = f" ({detail})" if detail else ""
        super().__init__(f"{self.path} {what}{extra}: {_ADVICE[problem]}")


def _store_error(exc: sqlite3.Error, path: Path) -> StoreError:
    name = str(getattr(exc, "sqlite_errorname", ""))
    problem: StoreProblem = "unavailable"
    for code, kind in _PROBLEMS.items():
        if name.startswith(code):
            problem = kind
            break
    return StoreError(problem, path, str(exc))


class NameTaken(ValueError):
    """A scenario with this name is already saved."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"a scenario called '{name}' is already saved: overwrite it or pick a name"
        )


@dataclass(frozen=True)
class SavedScenario:
    """One row of the scenario list."""

    name: str
    saved_at: str
    dataset: str
    objective: str
    status: str
    coverage: float | None
    staff_used: float | None
    funds_used_cny: float | None


def default_home() -> Path:
    """Folder for saved work: ``$GOVOPT_HOME``, else ``var/`` in the repository."""
    env = os.environ.get("GOVOPT_HOME", "").strip()
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "var"


def open_store(home: Path | None = None) -> ScenarioStore:
    """Open (and create if needed) the store in ``home`` (default :func:`default_home`)."""
    return ScenarioStore((home or default_home()) / DB_FILENAME)


def _frame_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.reset_index(drop=True).to_parquet(buf, index=False)
    return buf.getvalue()


def _frame(data: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(data))


def _known(cls: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    """The fields of dataclass ``cls`` found in ``data``: a plan saved before a field
    existed gets its default, one saved by a later version loses what it does not know."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _marginal(data: dict[str, Any] | None) -> MarginalValues | None:
    if data is None:
        return None
    tops = tuple(TopCenter(**_known(TopCenter, tc)) for tc in data.get("top_centers", ()))
    values = _known(MarginalValues, data)
    values.setdefault("per_staff", None)
    values.setdefault("per_10k_cny", None)
    values.setdefault("per_transfer", None)
    return MarginalValues(**{**values, "top_centers": tops})


_COLUMNS: tuple[str, ...] = (
    "name",
    "saved_at",
    "dataset",
    "scenario_json",
    "status",
    "objective",
    "solver",
    "timings_json",
    "kpis_json",
    "marginal_json",
    "explanation_json",
    "explanation_zh_json",
    "message",
    "centers_parquet",
    "grids_parquet",
    "flows_parquet",
    "conflicts_json",
    "gap",
    "notes_json",
)
_COPY_SUFFIX = re.compile(r"^(?P<base>.*) \((?P<n>\d+)\)$")


def _plan_of(row: tuple[Any, ...]) -> Plan:
    (sc, status, objective, solver, timings, kpis, marginal, expl, expl_zh, _) = row[:10]
    cen, grd, flows, conflicts, gap, notes = row[10:]
    saved: dict[Lang, tuple[str, ...]] = {
        "en": tuple(json.loads(expl)),
        "zh": tuple(json.loads(expl_zh)),
    }
    return Plan(
        scenario=Scenario.from_json(sc),
        status=Status(status),
        objective=objective,
        solver=solver,
        timings=json.loads(timings),
        centers=_frame(cen),
        grids=_frame(grd),
        kpis=Kpis(**json.loads(kpis)) if kpis else None,
        marginal=_marginal(json.loads(marginal) if marginal else None),
        conflicts=tuple(Conflict(**c) for c in json.loads(conflicts or "[]")),
        flows=None if flows is None else _frame(flows),
        saved_explanation={k: v for k, v in saved.items() if v},
        gap=gap,
        notes=tuple(json.loads(notes or "[]")),
    )


class ScenarioStore:
    """Scenarios saved under unique names in one SQLite file.

    Parameters
    ----------
    path : pathlib.Path
        The database file; its folder is created when missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.read_only = False
        self._exists = True
        self._missing: frozenset[str] = frozenset()
        self._check_header()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._guard(), self._connect() as con:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute(_SCHEMA)
            self._add_missing_columns()
        except StoreError as exc:
            if exc.problem != "read_only":
                raise
            self._open_read_only()
        except OSError:
            self._open_read_only()

    def _add_missing_columns(self) -> None:
        """Bring a store written by an earlier version up to the current columns."""
        with self._write() as con:
            have = {row[1] for row in con.execute("PRAGMA table_info(scenarios)")}
            for column, kind in _ADDED_COLUMNS.items():
                if column not in have:
                    con.execute(f"ALTER TABLE scenarios ADD COLUMN {column} {kind}")

    def _check_header(self) -> None:
        """Refuse a file that is not SQLite before SQLite is asked to write to it."""
        try:
            with self.path.open("rb") as fh:
                head = fh.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return
        except IsADirectoryError:
            raise StoreError("unavailable", self.path, "it is a folder") from None
        except OSError as exc:
            raise StoreError("unavailable", self.path, str(exc.strerror or exc)) from None
        if head and head != _SQLITE_HEADER:
            raise StoreError("damaged", self.path, "not an SQLite database")

    def _open_read_only(self) -> None:
        """Read without writing: an earlier version's missing columns read as empty."""
        self.read_only = True
        self._exists = self.path.is_file()
        if self._exists:
            with self._guard(), self._connect() as con:
                con.execute("SELECT count(*) FROM scenarios").fetchone()
                have = {row[1] for row in con.execute("PRAGMA table_info(scenarios)")}
            self._missing = frozenset(set(_ADDED_COLUMNS) - have)

    def _columns(self, names: tuple[str, ...]) -> str:
        return ", ".join("NULL" if n in self._missing else n for n in names)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path) from None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            # No -wal/-shm files can be made in a read-only folder; nothing writes there.
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            con = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            con = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            if not self.read_only:
                con.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
                con.execute("PRAGMA synchronous=FULL")
            yield con
        finally:
            con.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection | None]:
        """A connection for reading (``None`` when a read-only store has no file yet)."""
        if not self._exists:
            yield None
            return
        with self._guard(), self._connect() as con:
            yield con

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreError("read_only", self.path, "the folder cannot be written")
        with self._guard(), self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @staticmethod
    def _taken(con: sqlite3.Connection, name: str) -> bool:
        return con.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone() is not None

    @classmethod
    def _free_name(cls, con: sqlite3.Connection, name: str) -> str:
        if not cls._taken(con, name):
            return name
        match = _COPY_SUFFIX.match(name)
        base, n = (match["base"], int(match["n"])) if match else (name, 1)
        while True:
            n += 1
            candidate = f"{base} ({n})"
            if not cls._taken(con, candidate):
                return candidate

    def exists(self, name: str) -> bool:
        """Whether a scenario called ``name`` is saved."""
        with self._read() as con:
            return con is not None and self._taken(con, name)

    def free_name(self, name: str) -> str:
        """``name`` if unused, else the first free ``"name (2)"``, ``"name (3)"``, ..."""
        with self._read() as con:
            return name.strip() if con is None else self._free_name(con, name.strip())

    def save(
        self, name: str, plan: Plan, *, dataset: str = "", on_conflict: OnConflict = "error"
    ) -> str:
        """Save ``plan`` under ``name``; return the name actually used.

        ``on_conflict`` decides what happens when the name is taken: ``"error"``
        raises :class:`NameTaken`, ``"overwrite"`` replaces the saved one,
        ``"rename"`` saves as ``"name (2)"`` (the first free number).
        Raises :class:`StoreError` when the store is read-only or the file
        cannot take the row; the file is then unchanged.
        """
        name = name.strip()
        if not name:
            raise ValueError("the name is empty: type a name for the scenario")
        if self.read_only:
            raise StoreError("read_only", self.path, "the folder cannot be written")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            dataset,
            plan.scenario.to_json(),
            str(plan.status.value),
            plan.objective,
            plan.solver,
            json.dumps(dict(plan.timings)),
            json.dumps(asdict(plan.kpis)) if plan.kpis is not None else None,
            json.dumps(asdict(plan.marginal)) if plan.marginal is not None else None,
            json.dumps(list(plan.saved_explanation.get("en", ())), ensure_ascii=False),
            json.dumps(list(plan.saved_explanation.get("zh", ())), ensure_ascii=False),
            "",
            _frame_bytes(plan.centers),
            _frame_bytes(plan.grids),
            None if plan.flows is None else _frame_bytes(plan.flows),
            json.dumps([asdict(c) for c in plan.conflicts]),
            plan.gap,
            json.dumps(list(plan.notes)),
        )
        with self._write() as con:
            if self._taken(con, name):
                if on_conflict == "error":
                    raise NameTaken(name)
                if on_conflict == "rename":
                    name = self._free_name(con, name)
            con.execute(
                f"INSERT OR REPLACE INTO scenarios ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                (name, *row),
            )
        return name

    def list(self) -> builtins.list[SavedScenario]:
        """Every saved scenario, newest first."""
        with self._read() as con:
            if con is None:
                return []
            rows = con.execute(
                "SELECT name, saved_at, dataset, scenario_json, status, kpis_json "
                "FROM scenarios ORDER BY saved_at DESC, name"
            ).fetchall()
        out: list[SavedScenario] = []
        for name, saved_at, dataset, scenario_json, status, kpis_json in rows:
            kpis = json.loads(kpis_json) if kpis_json else {}
            out.append(
                SavedScenario(
                    name=name,
                    saved_at=saved_at,
                    dataset=dataset,
                    objective=str(json.loads(scenario_json).get("objective", "")),
                    status=status,
                    coverage=kpis.get("coverage"),
                    staff_used=kpis.get("staff_used"),
                    funds_used_cny=kpis.get("funds_used_cny"),
                )
            )
        return out

    def names(self) -> builtins.list[str]:
        """Names of the saved scenarios, newest first."""
        return [s.name for s in self.list()]

    def load(self, name: str) -> Plan:
        """Read the plan saved under ``name``; raise ``KeyError`` when there is none."""
        with self._read() as con:
            row = (
                None
                if con is None
                else con.execute(
                    f"SELECT {self._columns(_COLUMNS[3:])} FROM scenarios WHERE name = ?",
                    (name,),
                ).fetchone()
            )
        if row is None:
            raise KeyError(f"no saved scenario called '{name}'")
        try:
            return _plan_of(row)
        except (ValueError, TypeError, KeyError, OSError) as exc:
            raise StoreError(
                "damaged", self.path, f"the scenario '{name}' cannot be read: {exc}"
            ) from None

    def rename(self, old: str, new: str) -> None:
        """Rename a saved scenario; raise :class:`NameTaken` if ``new`` is used."""
        new = new.strip()
        if not new:
            raise ValueError("the new name is empty: type a name")
        if new == old:
            return
        with self._write() as con:
            if not self._taken(con, old):
                raise KeyError(f"no saved scenario called '{old}'")
            if self._taken(con, new):
                raise NameTaken(new)
            con.execute("UPDATE scenarios SET name = ? WHERE name = ?", (new, old))

    def delete(self, name: str) -> bool:
        """Delete a saved scenario; return whether one was deleted."""
        with self._write() as con:
            cur = con.execute("DELETE FROM scenarios WHERE name = ?", (name,))
            return cur.rowcount > 0
