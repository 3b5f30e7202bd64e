"""Plans and scenario problems in planner words, from records, in both languages."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakes import make_plan
from language import english_runs

from govopt.data.scenario import PROBLEM_KEYS, Scenario, ScenarioError, ScenarioProblem
from govopt.i18n import STRINGS
from govopt.output.words import (
    explain_infeasible,
    explain_marginal,
    objective_label,
    plan_notes,
    problem_text,
    status_label,
    status_note,
)
from govopt.plan import Conflict, Status


def _infeasible(*conflicts: Conflict, **scenario: object) -> list[tuple[str, str]]:
    plan = replace(
        make_plan(status=Status.INFEASIBLE),
        scenario=Scenario(**scenario),  # type: ignore[arg-type]
        conflicts=conflicts,
    )
    return list(zip(explain_infeasible(plan, "en"), explain_infeasible(plan, "zh"), strict=True))


def test_each_family_is_worded_in_both_languages() -> None:
    lines = _infeasible(
        Conflict("budget_funds", 250_000.0, 100_000.0, 1, 150_000.0, "target"),
        Conflict("budget_funds", 2_000.0, 1_000.0, 1, 1_000.0, None),
        Conflict("max_staff", 9.0, 6.0, 2, 3.0),
        Conflict("transfers", 5.0, 3.0, 1, 2.0),
        Conflict("target", 1_000.0, 750.0, 3, 250.0),
        objective="cost",
        coverage_target=0.9,
    )
    assert lines == [
        (
            "The coverage target of 90.0% needs 250,000 CNY of funds; "
            "the funds budget allows 100,000 CNY.",
            "覆盖率目标 90.0% 需要经费 25.0万 元；经费预算只允许 10.0万 元。",
        ),
        (
            "The other policies need 2,000 CNY of funds; the funds budget allows 1,000 CNY.",
            "其他政策需要经费 2,000 元；经费预算只允许 1,000 元。",
        ),
        (
            "2 centers would need more staff than their max_staff (3.0 staff over in total).",
            "2 个中心需要超过其最大容量（合计超出 3.0 人）。",
        ),
        (
            "5.0 staff would have to move; the transfer limit allows 3.0.",
            "需要调动 5.0 人；调动上限只允许 3.0 人。",
        ),
        (
            "The coverage target of 90.0% cannot be reached in 3 grids "
            "(250.0 hours a year short in total) within the budgets and limits.",
            "覆盖率目标 90.0% 在 3 个网格无法达到（合计缺 250.0 小时/年），现有预算和上限不足。",
        ),
    ]
    assert all(english_runs(zh) == [] for _, zh in lines)


def test_each_policy_of_a_conflict_names_the_others_in_both_languages() -> None:
    lines = _infeasible(
        Conflict("budget_staff", 12.0, 10.0, 1, 2.0, None, ("min_staff", "max_staff", "transfers")),
        Conflict("budget_funds", 250_000.0, 100_000.0, 1, 150_000.0, None, ("target",)),
        Conflict("min_staff", 12.0, 10.0, 3, 2.0, None, ("budget_staff",)),
        Conflict("max_staff", 9.0, 6.0, 2, 3.0, None, ("min_staff",)),
        Conflict("transfers", 5.0, 3.0, 1, 2.0, None, ("budget_staff",)),
        Conflict("min_funds", 100_000.0, 60_000.0, 1, 40_000.0, None, ("budget_funds",)),
        Conflict("funds_moved", 50_000.0, 20_000.0, 1, 30_000.0, None, ("min_funds",)),
        Conflict("target", 1_000.0, 750.0, 3, 250.0, None, ("budget_staff", "budget_funds")),
        objective="cost",
        coverage_target=0.9,
    )
    assert lines == [
        (
            "The staff budget allows 10 staff; with minimum staffing, the centers' max_staff "
            "and the transfer limit, the plan needs 12.",
            "人员预算只允许 10 名工作人员；"
            "受最低配置标准、中心最大容量和调动上限约束，方案需要 12 名。",
        ),
        (
            "The funds budget allows 100,000 CNY; with the coverage target of 90.0%, "
            "the plan needs 250,000 CNY.",
            "经费预算只允许 10.0万 元；受覆盖率目标（90.0%）约束，方案需要 25.0万 元。",
        ),
        (
            "Minimum staffing asks 12 staff at 3 centers; with the staff budget, at most 10 "
            "are possible.",
            "最低配置标准要求 3 个中心共 12 名工作人员；受人员预算约束，最多只能配置 10 名。",
        ),
        (
            "The max_staff of 2 centers allows 6 staff there; with minimum staffing, 9 are needed.",
            "2 个中心的最大容量只允许 6 名工作人员；受最低配置标准约束，需要 9 名。",
        ),
        (
            "The transfer limit lets 3 staff move; with the staff budget, 5 must move.",
            "调动上限只允许调动 3 人；受人员预算约束，需要调动 5 人。",
        ),
        (
            "The funds floors ask 100,000 CNY at 1 center; with the funds budget, at most "
            "60,000 CNY are possible.",
            "经费保障下限要求 1 个中心共 10.0万 元；受经费预算约束，最多只能安排 60,000 元。",
        ),
        (
            "The funds-moved limit lets 20,000 CNY be taken from centers; with the funds "
            "floors, 50,000 CNY must be.",
            "经费调减上限只允许从各中心调减 20,000 元；受经费保障下限约束，需要调减 50,000 元。",
        ),
        (
            "The coverage target of 90.0% asks 1,000 hours a year in 3 grids; with the staff "
            "budget and the funds budget, at most 750 are possible.",
            "覆盖率目标 90.0% 要求 3 个网格共 1,000 小时/年；受人员预算和经费预算约束，"
            "最多只能达到 750 小时/年。",
        ),
    ]
    assert all(english_runs(zh) == [] for _, zh in lines)


def test_funds_records_without_others_are_worded() -> None:
    assert _infeasible(
        Conflict("min_funds", 100_000.0, 60_000.0, 2, 40_000.0),
        Conflict("funds_moved", 50_000.0, 20_000.0, 1, 30_000.0),
    ) == [
        (
            "2 centers cannot reach their funds floor (40,000 CNY short in total).",
            "2 个中心达不到经费保障下限（共缺 40,000 元）。",
        ),
        (
            "50,000 CNY would have to be taken from centers; the funds-moved limit allows "
            "20,000 CNY.",
            "需要从各中心调减经费 50,000 元；经费调减上限只允许 20,000 元。",
        ),
    ]


def test_no_conflict_found_says_so() -> None:
    [(en, zh)] = _infeasible()
    assert en.startswith("The scenario is infeasible, but the conflicting policies")
    assert zh.startswith("方案不可行，但未能定位冲突的政策")


def test_a_plan_saved_with_sentences_shows_them_as_saved() -> None:
    plan = replace(
        make_plan(status=Status.INFEASIBLE),
        conflicts=(),
        saved_explanation={"en": ("old sentence",), "zh": ("旧的说明",)},
    )
    assert explain_infeasible(plan, "en") == ["old sentence"]
    assert explain_infeasible(plan, "zh") == ["旧的说明"]
    english_only = replace(plan, saved_explanation={"en": ("old sentence",)})
    assert explain_infeasible(english_only, "zh") == ["old sentence"]


def test_status_words() -> None:
    assert status_label(Status.TIME_LIMIT, "zh") == "超时"
    assert status_label("optimal", "en") == "optimal"
    assert status_label("someday", "zh") == "someday"
    assert status_note(Status.OPTIMAL, "zh") == ""
    assert status_note(Status.TIME_LIMIT, "en").startswith("the time limit was reached")
    assert objective_label("equity", "zh") == "公平优先（提高最低覆盖）"
    for status in Status:
        note = status_note(status, "zh")
        assert english_runs(note) == [] and (note == "") == (status is Status.OPTIMAL)
    plan = make_plan(status=Status.INFEASIBLE)
    assert plan_notes(plan, "en") == [
        "Minimum staffing needs 14 staff; the staff budget allows 11.",
        "no plan meets every policy at once; see the explanation",
    ]


def test_marginal_values_without_a_plan_say_so() -> None:
    assert explain_marginal(make_plan(status=Status.TIME_LIMIT), "en") == [
        "No marginal values: they are computed for optimal plans only."
    ]
    zh = explain_marginal(make_plan(), "zh")
    assert zh[0] == "人员预算每增加1人，可多覆盖约 1,234.5 小时/年（按优先权重计）。"
    assert zh[-1] == "第1位：西社区站 每增加1名工作人员可多覆盖约 1,600.0 小时/年。"


def test_re_solved_marginal_values_in_words() -> None:
    from govopt.plan import MarginalValues, TopCenter

    top = TopCenter("C3", "西社区站", "community", 1600.0, gain_points=0.034, gain_hours=1600.0)
    marginal = MarginalValues(
        1600.0,
        125.0,
        0.0,
        (top,),
        per_staff_points=0.1234,
        per_staff_hours=1600.0,
        per_10k_points=0.0,
        per_10k_hours=0.0,
        per_10_transfers_points=0.0,
        per_10_transfers_hours=0.0,
        partial=True,
    )
    plan = replace(make_plan(), marginal=marginal)
    assert explain_marginal(plan, "en") == [
        "One more staff member raises district coverage by 0.12 points (about 1,600 hours a year).",
        "Another 10,000 CNY would not raise district coverage.",
        "Allowing 10 more staff transfers would not raise district coverage.",
        "#1: one more staff member at 西社区站 raises district coverage by 0.034 points "
        "(about 1,600 hours a year).",
        "Some marginal values could not be computed within the time limit.",
    ]
    zh = explain_marginal(plan, "zh")
    assert zh[0] == "一名额外工作人员可使全区覆盖率提高 0.12 个百分点（约 1,600 小时/年）。"
    assert (
        zh[3]
        == "第1位：在西社区站增加1名工作人员，全区覆盖率提高 0.034 个百分点（约 1,600 小时/年）。"
    )
    assert all(english_runs(line) == [] for line in zh), zh
    none = replace(plan, marginal=replace(marginal, top_centers=(), partial=False))
    assert explain_marginal(none, "en")[-1] == (
        "One more staff member at any single center would not raise coverage."
    )
    whole = replace(none, scenario=none.scenario.replace(integer_staff=True))
    assert explain_marginal(whole, "zh")[-1] == (
        "按整数配置人员时，不计算人员和调动的边际价值；经费和各中心的数值以方案人员为准。"
    )


def test_cost_marginal_values_in_words() -> None:
    from govopt.plan import MarginalValues

    plan = make_plan()
    cost = replace(plan, scenario=plan.scenario.replace(objective="cost"))
    capped = MarginalValues(
        None, None, None, (), saving_per_point_cny=927_361.9, target_cannot_rise=True
    )
    assert explain_marginal(replace(cost, marginal=capped), "en") == [
        "Under the cost objective, marginal values are costs, not covered hours.",
        "The coverage target cannot rise by 1 point: no plan meets it within the budgets "
        "and norms.",
        "Lowering it by 1 point saves about 927,362 CNY.",
    ]
    up = MarginalValues(None, None, None, (), cost_per_point_cny=1_961_428.9)
    assert explain_marginal(replace(cost, marginal=up), "zh") == [
        "成本最小化目标下，边际价值以成本计，不以覆盖时长计。",
        "每提高 1 个百分点的覆盖目标，成本增加约 196.1万 元。",
    ]


def test_scenario_problems_are_codes_with_values() -> None:
    bad = Scenario(
        name=" ",
        objective="fastest",  # type: ignore[arg-type]
        staff_total=-5.0,
        coverage_target=1.5,
        solver="gurobi",
    )
    problems = bad.problems()
    assert [(p.code, dict(p.params)) for p in problems] == [
        ("unknown_objective", {"value": "fastest", "choices": "coverage, equity, cost"}),
        ("negative_limit", {"key": "staff_total", "value": -5.0}),
        ("target_out_of_range", {"value": 1.5}),
        ("unknown_solver", {"value": "gurobi"}),
        ("empty_name", {}),
    ]
    assert problems[1] == "staff_total is -5.0: a budget or limit must be 0 or more"
    zh = [problem_text(p, "zh") for p in problems]
    assert zh[1] == "staff_total 为 -5.0：预算或上限必须大于或等于 0"
    assert all(english_runs(line) == [] for line in zh), zh
    assert [problem_text(p, "en") for p in problems] == [str(p) for p in problems]


def test_file_problems_are_codes_too() -> None:
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml('staff_totl = 3\n[policy]\ninteger_staff = "yes"\nradius_m = 5\n')
    assert [p.code for p in info.value.problems] == ["unknown_setting", "not_bool", "not_a_table"]
    zh = [problem_text(p, "zh") for p in info.value.problems]
    assert zh[1] == "integer_staff 必须为 true 或 false，而不是 'yes'"
    assert all(english_runs(line) == [] for line in zh), zh
    with pytest.raises(ScenarioError) as info:
        Scenario.from_json("[1]")
    assert [p.code for p in info.value.problems] == ["not_an_object"]


def test_problems_are_frozen_and_every_code_has_words() -> None:
    p = ScenarioProblem("negative_limit", key="staff_total", value=-1.0)
    with pytest.raises(AttributeError):
        p.code = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.params["key"] = "x"  # type: ignore[index]
    import pickle

    back = pickle.loads(pickle.dumps(p))
    assert (back.code, dict(back.params), str(back)) == (p.code, dict(p.params), str(p))
    assert sorted(k for k in PROBLEM_KEYS.values() if k not in STRINGS) == []
