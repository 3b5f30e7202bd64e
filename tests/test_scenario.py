"""Scenario files: round trips, defaults and messages for bad values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govopt.data.scenario import (
    DEFAULT_TIME_LIMIT_S,
    OBJECTIVES,
    Objective,
    Scenario,
    ScenarioError,
)
from govopt.data.schema import LevelValues

DESIGN_EXAMPLE = """
name = "plus-200-staff"
objective = "coverage"            # coverage | equity | cost
[budget]
staff_total = 2100
funds_total_cny = 12000000
max_transfers = 150
[policy]
radius_m = { street = 3000, community = 1000, grid = 500 }
min_staff = { street = 4, community = 1, grid = 0 }
coverage_target = 0.8             # used by objective = "cost"
integer_staff = false
[standards]
work_hours_per_staff = 1600
cost_per_hour_cny = 80
wage_per_staff_cny = 90000
"""


def test_design_example_reads_every_value() -> None:
    s = Scenario.from_toml(DESIGN_EXAMPLE)
    assert s.name == "plus-200-staff"
    assert s.objective == "coverage"
    assert (s.staff_total, s.funds_total_cny, s.max_transfers) == (2100, 12_000_000, 150)
    assert s.radius_m == LevelValues(3000, 1000, 500)
    assert s.min_staff["street"] == 4
    assert s.coverage_target == 0.8
    assert s.integer_staff is False
    assert (s.work_hours_per_staff, s.cost_per_hour_cny, s.wage_per_staff_cny) == (
        1600,
        80,
        90000,
    )


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(),
        Scenario(
            name='均衡-方案 "A"',
            objective="equity",
            staff_total=1999.5,
            funds_total_cny=0,
            max_transfers=None,
            max_funds_moved_cny=250_000.5,
            radius_m=LevelValues(2500, 800.5, 300),
            min_staff=LevelValues(5, 2, 1),
            min_funds_cny=LevelValues(0, 0, 0),
            coverage_target=0.65,
            integer_staff=True,
            mip_gap=0.01,
            time_limit_s=30,
            solver="cbc",
        ),
        Scenario(name="no limit", time_limit_s=None),
    ],
)
def test_toml_and_json_round_trip(scenario: Scenario, tmp_path: Path) -> None:
    assert Scenario.from_toml(scenario.to_toml()) == scenario
    assert Scenario.from_json(scenario.to_json()) == scenario
    path = tmp_path / "scenario.toml"
    path.write_text(scenario.to_toml(), encoding="utf-8")
    assert Scenario.from_toml(path) == scenario


def test_partial_level_table_keeps_other_defaults() -> None:
    s = Scenario.from_toml("[policy]\nradius_m = { community = 1500 }\n")
    assert s.radius_m == LevelValues(3000, 1500, 500)


def test_every_problem_is_listed_at_once() -> None:
    text = """
objective = "fastest"
[budget]
staff_total = -5
funds_total_cny = -1
[policy]
coverage_target = 1.5
"""
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml(text)
    joined = " | ".join(info.value.problems)
    assert "objective 'fastest' is unknown" in joined
    assert "staff_total is -5.0" in joined
    assert "funds_total_cny is -1.0" in joined
    assert "coverage_target is 1.5" in joined
    assert len(info.value.problems) == 4


def test_broken_toml_says_fix_the_syntax() -> None:
    with pytest.raises(ScenarioError, match="broken TOML"):
        Scenario.from_toml('name = "x"\n[budget\n')


def test_unknown_key_and_wrong_type_are_named() -> None:
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml('staff_totl = 3\n[policy]\ninteger_staff = "yes"\n')
    joined = " | ".join(info.value.problems)
    assert "unknown setting 'staff_totl'" in joined
    assert "integer_staff must be true or false" in joined


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file"):
        Scenario.from_toml(tmp_path / "absent.toml")


def test_replace_checks_the_new_values() -> None:
    s = Scenario().replace(staff_total=10)
    assert s.staff_total == 10.0
    with pytest.raises(ScenarioError, match="staff_total"):
        Scenario().replace(staff_total=-1)


def test_scenarios_are_hashable_for_caching() -> None:
    assert hash(Scenario(staff_total=5)) == hash(Scenario(staff_total=5.0))
    assert len({Scenario(), Scenario(), Scenario(objective="cost")}) == 2


def test_every_solve_has_a_60_s_limit_unless_none_is_written() -> None:
    assert Scenario().time_limit_s == DEFAULT_TIME_LIMIT_S == 60
    assert Scenario.from_toml(DESIGN_EXAMPLE).time_limit_s == 60  # files written before
    assert 'time_limit_s = "none"' in Scenario(time_limit_s=None).to_toml()
    for text in ('"none"', '"None"', '""'):
        s = Scenario.from_toml(f"[solver_options]\ntime_limit_s = {text}\n")
        assert s.time_limit_s is None
    assert Scenario.from_json('{"name": "x", "solver_options": {"time_limit_s": null}}') == (
        Scenario(name="x", time_limit_s=None)
    )


def test_scenario_saved_before_the_default_limit_still_loads() -> None:
    old = '{"name": "old", "objective": "coverage", "solver_options": {"mip_gap": 0.0001}}'
    s = Scenario.from_json(old)
    assert (s.name, s.time_limit_s) == ("old", 60)


@pytest.mark.parametrize("value", ["0", "-3", '"soon"', "nan"])
def test_nonsense_time_limit_is_named(value: str) -> None:
    with pytest.raises(ScenarioError, match="time_limit_s") as info:
        Scenario.from_toml(f"[solver_options]\ntime_limit_s = {value}\n")
    assert "none" in " ".join(info.value.problems)


def test_objective_text_becomes_the_enum_and_round_trips() -> None:
    s = Scenario.from_toml('objective = " equity "\n')
    assert s.objective is Objective.EQUITY
    assert Scenario().replace(objective="cost").objective is Objective.COST
    assert Scenario(objective="cost").objective is Objective.COST
    assert Scenario.from_toml(s.to_toml()) == s
    assert Scenario.from_json(s.to_json()).objective is Objective.EQUITY
    assert 'objective = "equity"' in s.to_toml()
    assert json.loads(s.to_json())["objective"] == "equity"


def test_each_objective_knows_its_sense_label_and_steps() -> None:
    assert OBJECTIVES[0] is Objective.COVERAGE  # the form's default
    assert (Objective.COVERAGE.sense, Objective.EQUITY.sense, Objective.COST.sense) == (
        "max",
        "max",
        "min",
    )
    assert Objective.EQUITY.lexicographic
    assert not Objective.COVERAGE.lexicographic and not Objective.COST.lexicographic
    assert Objective.COST.label_key == "sf.objective.cost"


def test_unknown_objective_through_replace_is_named() -> None:
    with pytest.raises(ScenarioError, match="objective 'fastest' is unknown: use one of coverage"):
        Scenario().replace(objective="fastest")


FUNDS_GUARANTEE = """
[budget]
funds_total_cny = 1000000
max_funds_moved_cny = 200000
[policy]
min_funds_cny = { street = 100000, community = 20000 }
"""


def test_funds_guarantee_reads_and_round_trips() -> None:
    s = Scenario.from_toml(FUNDS_GUARANTEE)
    assert s.max_funds_moved_cny == 200_000
    assert s.min_funds_cny == LevelValues(100_000, 20_000, 0)  # grid keeps its default 0
    assert "max_funds_moved_cny = 200000" in s.to_toml()
    assert "min_funds_cny = { street = 100000, community = 20000, grid = 0 }" in s.to_toml()
    assert Scenario.from_toml(s.to_toml()) == s
    assert Scenario.from_json(s.to_json()) == s
    assert json.loads(s.to_json())["policy"]["min_funds_cny"]["street"] == 100_000


def test_funds_guarantee_defaults_to_no_floor_and_no_limit() -> None:
    s = Scenario.from_toml('name = "x"\n')
    assert s.min_funds_cny == LevelValues(0, 0, 0)
    assert s.max_funds_moved_cny is None
    assert "max_funds_moved_cny" not in s.to_toml()
    assert "max_funds_moved_cny" not in json.loads(s.to_json()).get("budget", {})


def test_bad_funds_guarantee_values_are_listed() -> None:
    text = """
[budget]
funds_total_cny = 50000
max_funds_moved_cny = -1
[policy]
min_funds_cny = { street = 80000, community = -5, town = 3 }
"""
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml(text)
    assert [p.code for p in info.value.problems] == ["unknown_level"]
    assert info.value.problems[0].startswith("min_funds_cny has unknown level(s) town")
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml(text.replace(", town = 3", ""))
    problems = info.value.problems
    assert [p.code for p in problems] == ["negative_limit", "negative_level", "floor_above_budget"]
    assert problems[0] == "max_funds_moved_cny is -1.0: a budget or limit must be 0 or more"
    assert problems[1] == "min_funds_cny.community is -5.0: it must be 0 or more"
    assert problems[2] == (
        "min_funds_cny.street is 80000.0: one center's funds floor is above the whole "
        "funds budget funds_total_cny (50000.0); lower the floor or raise the budget"
    )
    assert dict(problems[2].params) == {"level": "street", "floor": 80_000, "budget": 50_000}


def test_a_floor_without_a_funds_budget_is_fine() -> None:
    s = Scenario(min_funds_cny=LevelValues(80_000, 0, 0))
    assert s.problems() == []
    with pytest.raises(ScenarioError, match=r"min_funds_cny\.street is 80000"):
        s.replace(funds_total_cny=10_000)
