"""Scenarios: the frozen inputs of one what-if question, read from and written to TOML or JSON."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from govopt.data.schema import DEFAULT_MIN_STAFF, DEFAULT_RADIUS_M, LevelValues

__all__ = ["OBJECTIVES", "Objective", "Scenario", "ScenarioError"]


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


class ScenarioError(ValueError):
    """A scenario file or value a planner must fix; ``problems`` lists each one."""

    def __init__(self, problems: list[str], source: str = "scenario.toml") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(f"{source}: " + "; ".join(self.problems))


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


@dataclass(frozen=True)
class Scenario:
    """Inputs of one allocation run (see ``scenario.toml`` in DESIGN.md).

    Budgets of ``None`` mean "no limit". Build one with :meth:`from_toml`,
    :meth:`from_dict` or the constructor, then :meth:`problems` lists what is
    wrong with it in planner words; :meth:`checked` raises on any.
    """

    name: str = "default"
    objective: Objective = Objective.COVERAGE
    staff_total: float | None = None
    funds_total_cny: float | None = None
    max_transfers: float | None = None
    radius_m: LevelValues = DEFAULT_RADIUS_M
    min_staff: LevelValues = DEFAULT_MIN_STAFF
    coverage_target: float = 0.8
    integer_staff: bool = False
    work_hours_per_staff: float = 1600.0
    cost_per_hour_cny: float = 80.0
    wage_per_staff_cny: float = 90000.0
    mip_gap: float = 1e-4
    time_limit_s: float | None = None
    solver: str = "highs"

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
        problems: list[str] = []
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
                    f"unknown setting '{key}': remove it or use one of {', '.join(sorted(known))}"
                )
                continue
            try:
                kwargs[key] = _coerce(key, value)
            except (TypeError, ValueError) as exc:
                problems.append(str(exc))
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
                raise ScenarioError([f"cannot read the file ({exc.strerror})"], str(path)) from exc
            except UnicodeDecodeError:
                raise ScenarioError(
                    ["the file is not UTF-8 text; save it as UTF-8"], source
                ) from None
        else:
            text = str(text_or_path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError([f"broken TOML ({exc}); fix the syntax"], source) from None
        return cls.from_dict(data, source)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        """Read a scenario from JSON text (the layout of :meth:`to_dict`)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(
                [f"broken JSON ({exc.msg} at line {exc.lineno})"], "scenario.json"
            ) from None
        if not isinstance(data, dict):
            raise ScenarioError(["expected a JSON object"], "scenario.json")
        return cls.from_dict(data, "scenario.json")

    # ----- output -------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Nested dict in the TOML layout; ``None`` values are left out."""
        d = asdict(self)
        budget = {k: d[k] for k in ("staff_total", "funds_total_cny", "max_transfers")}
        policy = {
            "radius_m": d["radius_m"],
            "min_staff": d["min_staff"],
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
            kept = {k: v for k, v in values.items() if v is not None}
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
    def problems(self) -> list[str]:
        """Every value a planner must fix, in planner words (empty when fine)."""
        out: list[str] = []
        if self.objective not in OBJECTIVES:
            out.append(
                f"objective '{self.objective}' is unknown: use one of {', '.join(OBJECTIVES)}"
            )
        for key in ("staff_total", "funds_total_cny", "max_transfers", "time_limit_s"):
            value = getattr(self, key)
            if value is not None and (not math.isfinite(value) or value < 0):
                out.append(f"{key} is {value}: a budget or limit must be 0 or more")
        for key in ("work_hours_per_staff", "cost_per_hour_cny", "wage_per_staff_cny"):
            value = getattr(self, key)
            if not math.isfinite(value) or value <= 0:
                out.append(f"{key} is {value}: it must be more than 0")
        for key in ("radius_m", "min_staff"):
            lv: LevelValues = getattr(self, key)
            for level, value in lv.as_dict().items():
                if not math.isfinite(value) or value < 0:
                    out.append(f"{key}.{level} is {value}: it must be 0 or more")
        if not 0 <= self.coverage_target <= 1:
            out.append(
                f"coverage_target is {self.coverage_target}: "
                "use a share between 0 and 1 (0.8 = 80%)"
            )
        if not 0 <= self.mip_gap < 1:
            out.append(f"mip_gap is {self.mip_gap}: use a small share such as 0.0001")
        if self.solver not in ("highs", "cbc"):
            out.append(f"solver '{self.solver}' is unknown: use highs or cbc")
        if not self.name.strip():
            out.append("name is empty: give the scenario a name")
        return out

    def checked(self, source: str = "scenario") -> Scenario:
        """Return ``self``; raise :class:`ScenarioError` listing every problem."""
        problems = self.problems()
        if problems:
            raise ScenarioError(problems, source)
        return self


_NUMBER_KEYS = {
    "staff_total",
    "funds_total_cny",
    "max_transfers",
    "coverage_target",
    "work_hours_per_staff",
    "cost_per_hour_cny",
    "wage_per_staff_cny",
    "mip_gap",
    "time_limit_s",
}


def _coerce(key: str, value: Any) -> Any:
    if key in ("radius_m", "min_staff"):
        if isinstance(value, LevelValues):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(
                f"{key} must be a table such as {{ street = 3000, community = 1000, grid = 500 }}"
            )
        unknown = set(value) - {"street", "community", "grid"}
        if unknown:
            raise ValueError(
                f"{key} has unknown level(s) {', '.join(sorted(unknown))}: "
                "use street, community, grid"
            )
        base = DEFAULT_RADIUS_M if key == "radius_m" else DEFAULT_MIN_STAFF
        merged = base.as_dict()
        for level, v in value.items():
            merged[level] = _number(f"{key}.{level}", v)
        return LevelValues(**merged)
    if key in _NUMBER_KEYS:
        return None if value is None else _number(key, value)
    if key == "integer_staff":
        if not isinstance(value, bool):
            raise TypeError(f"integer_staff must be true or false, not {value!r}")
        return value
    if key in ("name", "objective", "solver"):
        if not isinstance(value, str):
            raise TypeError(f"{key} must be text, not {value!r}")
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
        raise TypeError(f"{key} must be a number, not {value!r}")
    return float(value)
