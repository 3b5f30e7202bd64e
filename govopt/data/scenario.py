"""Scenarios: the frozen inputs of one what-if question, read from and written to TOML or JSON."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from govopt.data.schema import DEFAULT_MIN_STAFF, DEFAULT_RADIUS_M, NO_MIN_FUNDS, LevelValues
from govopt.i18n import t

__all__ = [
    "DEFAULT_TIME_LIMIT_S",
    "NO_LIMIT",
    "OBJECTIVES",
    "PROBLEM_KEYS",
    "SOLVERS",
    "Objective",
    "Scenario",
    "ScenarioError",
    "ScenarioProblem",
]


class Objective(StrEnum):
    """What an allocation optimises; the value is the word in scenario files.

    Each entry carries ``label_key`` (its name in the string table), ``sense``
    (``"max"`` or ``"min"``) and ``lexicographic`` (a second step optimises
    coverage while holding the first step's optimum). How an objective enters
    the model is in :mod:`govopt.optimize.objectives`.
    """

    label_key: str
    sense: Literal["max", "min"]
    lexicographic: bool

    def __new__(
        cls, value: str, sense: Literal["max", "min"] = "max", lexicographic: bool = False
    ) -> Objective:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_key = f"sf.objective.{value}"
        member.sense = sense
        member.lexicographic = lexicographic
        return member

    COVERAGE = "coverage", "max"
    EQUITY = "equity", "max", True
    COST = "cost", "min"


OBJECTIVES: tuple[Objective, ...] = tuple(Objective)
DEFAULT_TIME_LIMIT_S = 60.0
NO_LIMIT = "none"
# ``auto``: the network engine where it solves the model exactly, HiGHS elsewhere
# (docs/model.md, "Network engine"); ``highs`` and ``cbc``: that solver throughout.
SOLVERS = ("auto", "highs", "cbc")

PROBLEM_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "unknown_setting": "scenario_problem.unknown_setting",
        "not_a_table": "scenario_problem.not_a_table",
        "unknown_level": "scenario_problem.unknown_level",
        "not_bool": "scenario_problem.not_bool",
        "not_text": "scenario_problem.not_text",
        "not_a_number": "scenario_problem.not_a_number",
        "missing_file": "scenario_problem.missing_file",
        "unreadable_file": "scenario_problem.unreadable_file",
        "not_utf8": "scenario_problem.not_utf8",
        "broken_toml": "scenario_problem.broken_toml",
        "broken_json": "scenario_problem.broken_json",
        "not_an_object": "scenario_problem.not_an_object",
        "unknown_objective": "scenario_problem.unknown_objective",
        "negative_limit": "scenario_problem.negative_limit",
        "not_positive": "scenario_problem.not_positive",
        "negative_level": "scenario_problem.negative_level",
        "target_out_of_range": "scenario_problem.target_out_of_range",
        "mip_gap_out_of_range": "scenario_problem.mip_gap_out_of_range",
        "unknown_solver": "scenario_problem.unknown_solver",
        "empty_name": "scenario_problem.empty_name",
        "bad_time_limit": "scenario_problem.bad_time_limit",
        "floor_above_budget": "scenario_problem.floor_above_budget",
    }
)
"""The string-table key of each scenario problem code."""


class ScenarioProblem(str):
    """One setting a planner must fix: a stable ``code`` and the ``params`` that locate it.

    The edges render ``key`` with ``params`` in the planner's language; the
    object itself reads as the English sentence, for logs and exception text.
    """

    __slots__ = ("code", "params")
    code: str
    params: Mapping[str, object]

    def __new__(cls, code: str, **params: object) -> ScenarioProblem:
        self = super().__new__(cls, t(PROBLEM_KEYS[code], "en", **params))
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", MappingProxyType(dict(params)))
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ScenarioProblem is frozen: cannot set {name}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_problem, (self.code, dict(self.params)))

    def __repr__(self) -> str:
        return f"ScenarioProblem({self.code!r}, {dict(self.params)!r})"

    @property
    def key(self) -> str:
        """The string-table key that words this problem."""
        return PROBLEM_KEYS[self.code]


def _problem(code: str, params: dict[str, object]) -> ScenarioProblem:
    return ScenarioProblem(code, **params)


class ScenarioError(ValueError):
    """A scenario file or value a planner must fix; ``problems`` lists each one.

    Its text is English (for logs); show ``problems`` in the planner's language.
    """

    def __init__(self, problems: list[ScenarioProblem], source: str = "scenario.toml") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(f"{source}: " + "; ".join(self.problems))


def _fmt(value: object) -> str:
    if value is None:
        return json.dumps(NO_LIMIT)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


@dataclass(frozen=True)
class Scenario:
    """Inputs of one allocation run (the ``scenario.toml`` of a dataset folder).

    Budgets of ``None`` mean "no limit". ``min_funds_cny`` is a floor on each
    center's funds by level; ``max_funds_moved_cny`` caps the funds taken away
    from centers, ``sum_c max(0, funds0_c - fund_c)``. Every solver call stops
    after ``time_limit_s`` seconds (default :data:`DEFAULT_TIME_LIMIT_S`);
    ``solver`` is one of :data:`SOLVERS`;
    ``None``, written ``time_limit_s = "none"`` in TOML, lets it run to the
    end. Build one with :meth:`from_toml`, :meth:`from_dict` or the
    constructor, then :meth:`problems` lists what is wrong with it;
    :meth:`checked` raises on any.
    """

    name: str = "default"
    objective: Objective = Objective.COVERAGE
    staff_total: float | None = None
    funds_total_cny: float | None = None
    max_transfers: float | None = None
    max_funds_moved_cny: float | None = None
    radius_m: LevelValues = DEFAULT_RADIUS_M
    min_staff: LevelValues = DEFAULT_MIN_STAFF
    min_funds_cny: LevelValues = NO_MIN_FUNDS
    coverage_target: float = 0.8
    integer_staff: bool = False
    work_hours_per_staff: float = 1600.0
    cost_per_hour_cny: float = 80.0
    wage_per_staff_cny: float = 90000.0
    mip_gap: float = 1e-4
    time_limit_s: float | None = DEFAULT_TIME_LIMIT_S
    solver: str = "auto"

    def __post_init__(self) -> None:
        # Text such as "cost" becomes Objective.COST; unknown text stays for problems().
        object.__setattr__(self, "objective", _objective(self.objective))

    # ----- construction -------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "scenario") -> Scenario:
        """Build from the nested TOML layout (``[budget]``, ``[policy]``, ``[standards]``).

        Flat keys are accepted too. Raises :class:`ScenarioError` naming every
        unknown key, wrong type and out-of-range value.
        """
        flat: dict[str, Any] = {}
        problems: list[ScenarioProblem] = []
        for key, value in data.items():
            if key in ("budget", "policy", "standards", "solver_options") and isinstance(
                value, Mapping
            ):
                flat.update(value)
            else:
                flat[key] = value
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in flat.items():
            if key not in known:
                problems.append(
                    ScenarioProblem("unknown_setting", key=key, known=", ".join(sorted(known)))
                )
                continue
            try:
                kwargs[key] = _coerce(key, value)
            except ScenarioError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ScenarioError(problems, source)
        return cls(**kwargs).checked(source)

    @classmethod
    def from_toml(cls, text_or_path: str | Path) -> Scenario:
        """Read a scenario from TOML text or a ``.toml`` file path."""
        source = "scenario.toml"
        if isinstance(text_or_path, Path) or (
            isinstance(text_or_path, str)
            and "\n" not in text_or_path
            and text_or_path.endswith(".toml")
        ):
            path = Path(text_or_path)
            source = path.name
            try:
                text = path.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise ScenarioError(
                    [ScenarioProblem("unreadable_file", reason=exc.strerror)], str(path)
                ) from exc
            except UnicodeDecodeError:
                raise ScenarioError([ScenarioProblem("not_utf8")], source) from None
        else:
            text = str(text_or_path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError([ScenarioProblem("broken_toml", detail=str(exc))], source) from None
        return cls.from_dict(data, source)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        """Read a scenario from JSON text (the layout of :meth:`to_dict`)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = ScenarioProblem("broken_json", detail=exc.msg, line=exc.lineno)
            raise ScenarioError([problem], "scenario.json") from None
        if not isinstance(data, dict):
            raise ScenarioError([ScenarioProblem("not_an_object")], "scenario.json")
        return cls.from_dict(data, "scenario.json")

    # ----- output -------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Nested dict in the TOML layout.

        Budgets of ``None`` are left out; ``time_limit_s`` is always written,
        ``None`` (no limit) included, since leaving it out means the default.
        """
        d = asdict(self)
        budget = {k: d[k] for k in _BUDGET_KEYS}
        policy = {
            "radius_m": d["radius_m"],
            "min_staff": d["min_staff"],
            "min_funds_cny": d["min_funds_cny"],
            "coverage_target": d["coverage_target"],
            "integer_staff": d["integer_staff"],
        }
        standards = {
            k: d[k] for k in ("work_hours_per_staff", "cost_per_hour_cny", "wage_per_staff_cny")
        }
        solver = {k: d[k] for k in ("mip_gap", "time_limit_s", "solver")}
        out: dict[str, Any] = {"name": self.name, "objective": self.objective}
        for section, values in (
            ("budget", budget),
            ("policy", policy),
            ("standards", standards),
            ("solver_options", solver),
        ):
            kept = {k: v for k, v in values.items() if v is not None or k == "time_limit_s"}
            if kept:
                out[section] = kept
        return out

    def to_json(self) -> str:
        """JSON text that :meth:`from_json` reads back to an equal scenario."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def to_toml(self) -> str:
        """TOML text that :meth:`from_toml` reads back to an equal scenario."""
        d = self.to_dict()
        lines = [f"name = {_fmt(d['name'])}", f"objective = {_fmt(d['objective'])}"]
        for section in ("budget", "policy", "standards", "solver_options"):
            if section not in d:
                continue
            lines.append("")
            lines.append(f"[{section}]")
            for key, value in d[section].items():
                if isinstance(value, dict):
                    inner = ", ".join(f"{k} = {_fmt(v)}" for k, v in value.items())
                    lines.append(f"{key} = {{ {inner} }}")
                else:
                    lines.append(f"{key} = {_fmt(value)}")
        return "\n".join(lines) + "\n"

    def replace(self, **changes: Any) -> Scenario:
        """Return a copy with ``changes`` applied and checked."""
        return replace(self, **{k: _coerce(k, v) for k, v in changes.items()}).checked()

    # ----- checks -------------------------------------------------------
    def problems(self) -> list[ScenarioProblem]:
        """Every value a planner must fix, as codes with their values (empty when fine)."""
        out: list[ScenarioProblem] = []
        if self.objective not in OBJECTIVES:
            out.append(
                ScenarioProblem(
                    "unknown_objective", value=self.objective, choices=", ".join(OBJECTIVES)
                )
            )
        for key in _BUDGET_KEYS:
            value = getattr(self, key)
            if value is not None and (not math.isfinite(value) or value < 0):
                out.append(ScenarioProblem("negative_limit", key=key, value=value))
        limit = self.time_limit_s
        if limit is not None and (not math.isfinite(limit) or limit <= 0):
            out.append(ScenarioProblem("bad_time_limit", value=limit))
        for key in ("work_hours_per_staff", "cost_per_hour_cny", "wage_per_staff_cny"):
            value = getattr(self, key)
            if not math.isfinite(value) or value <= 0:
                out.append(ScenarioProblem("not_positive", key=key, value=value))
        for key in _LEVEL_KEYS:
            lv: LevelValues = getattr(self, key)
            for level, value in lv.as_dict().items():
                if not math.isfinite(value) or value < 0:
                    out.append(ScenarioProblem("negative_level", key=f"{key}.{level}", value=value))
        out.extend(self._floor_problems())
        if not 0 <= self.coverage_target <= 1:
            out.append(ScenarioProblem("target_out_of_range", value=self.coverage_target))
        if not 0 <= self.mip_gap < 1:
            out.append(ScenarioProblem("mip_gap_out_of_range", value=self.mip_gap))
        if self.solver not in SOLVERS:
            out.append(ScenarioProblem("unknown_solver", value=self.solver))
        if not self.name.strip():
            out.append(ScenarioProblem("empty_name"))
        return out

    def _floor_problems(self) -> list[ScenarioProblem]:
        """One center's funds floor above the whole funds budget can never be met."""
        budget = self.funds_total_cny
        if budget is None or not math.isfinite(budget) or budget < 0:
            return []
        return [
            ScenarioProblem("floor_above_budget", level=level, floor=floor, budget=budget)
            for level, floor in self.min_funds_cny.as_dict().items()
            if math.isfinite(floor) and floor > budget
        ]

    def checked(self, source: str = "scenario") -> Scenario:
        """Return ``self``; raise :class:`ScenarioError` listing every problem."""
        problems = self.problems()
        if problems:
            raise ScenarioError(problems, source)
        return self


_BUDGET_KEYS = ("staff_total", "funds_total_cny", "max_transfers", "max_funds_moved_cny")
_LEVEL_KEYS = ("radius_m", "min_staff", "min_funds_cny")
_LEVEL_DEFAULTS: Mapping[str, LevelValues] = MappingProxyType(
    {"radius_m": DEFAULT_RADIUS_M, "min_staff": DEFAULT_MIN_STAFF, "min_funds_cny": NO_MIN_FUNDS}
)
_NUMBER_KEYS = {
    *_BUDGET_KEYS,
    "coverage_target",
    "work_hours_per_staff",
    "cost_per_hour_cny",
    "wage_per_staff_cny",
    "mip_gap",
    "time_limit_s",
}


def _bad(code: str, **params: object) -> ScenarioError:
    return ScenarioError([ScenarioProblem(code, **params)], "scenario")


def _coerce(key: str, value: Any) -> Any:
    if key in _LEVEL_KEYS:
        if isinstance(value, LevelValues):
            return value
        if not isinstance(value, Mapping):
            raise _bad("not_a_table", key=key)
        unknown = set(value) - {"street", "community", "grid"}
        if unknown:
            raise _bad("unknown_level", key=key, levels=", ".join(sorted(map(str, unknown))))
        merged = _LEVEL_DEFAULTS[key].as_dict()
        for level, v in value.items():
            merged[level] = _number(f"{key}.{level}", v)
        return LevelValues(**merged)
    if key == "time_limit_s" and isinstance(value, str):
        if value.strip().lower() in ("", NO_LIMIT):
            return None
        raise _bad("bad_time_limit", value=repr(value))
    if key in _NUMBER_KEYS:
        return None if value is None else _number(key, value)
    if key == "integer_staff":
        if not isinstance(value, bool):
            raise _bad("not_bool", key=key, value=value)
        return value
    if key in ("name", "objective", "solver"):
        if not isinstance(value, str):
            raise _bad("not_text", key=key, value=value)
        if key == "objective":
            return _objective(value.strip())
        return value.strip() if key != "name" else value
    return value


def _objective(value: str) -> Objective | str:
    """``value`` as an :class:`Objective`; unknown text unchanged (``problems`` names it)."""
    try:
        return Objective(value)
    except ValueError:
        return value


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad("not_a_number", key=key, value=value)
    return float(value)
