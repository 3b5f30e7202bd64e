"""The what-if page under AppTest: solve, infeasible input, downloads, save."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import MARKDOWN_NAME, assert_literal, new_app, run
from fs_support import read_only, snapshot
from language import english_runs
from streamlit.testing.v1 import AppTest

from govopt.data.scenario import OBJECTIVES, Objective
from govopt.data.validate import load_dataset
from govopt.optimize import solve
from govopt.output.store import open_store


def _what_if(lang: str = "zh") -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    return run(at)


def _solve(at: AppTest) -> AppTest:
    at.button[0].click()
    return run(at)


@pytest.mark.usefixtures("app_env")
def test_form_defaults_come_from_scenario_toml() -> None:
    at = _what_if()
    assert at.text_input(key="sf_name").value == "tiny"
    assert at.number_input(key="sf_staff_total").value == 12
    assert at.number_input(key="sf_funds_total").value == 400_000
    assert at.number_input(key="sf_max_transfers").value == 3
    assert at.number_input(key="sf_radius_community").value == 1000
    assert "设置方案后点击" in at.info[0].value


@pytest.mark.usefixtures("app_env")
def test_solve_shows_kpis_table_marginal_and_downloads(downloads: dict[str, bytes]) -> None:
    at = _solve(_what_if("en"))
    labels = [m.label for m in at.metric]
    assert "Coverage" in labels and "Staff used" in labels
    staff_used = next(m for m in at.metric if m.label == "Staff used")
    assert float(staff_used.value.replace(",", "")) <= 12
    centers = at.dataframe[0].value
    assert sorted(centers["center_id"]) == ["C01", "S01", "W01"]
    assert centers["staff"].sum() <= 12 + 1e-6
    assert (centers.set_index("center_id")["staff"]["S01"]) >= 4 - 1e-6
    assert any("Marginal values" in h.value for h in at.subheader)
    csv = downloads["centers_plan.csv"]
    assert csv.startswith(b"\xef\xbb\xbf")
    assert b"center_id" in csv.splitlines()[0]
    assert b"S01" in csv
    assert downloads["grids_coverage.csv"].count(b"\n") == 7


@pytest.mark.usefixtures("app_env")
def test_infeasible_scenario_is_explained_not_a_traceback() -> None:
    at = _what_if("en")
    at.number_input(key="sf_staff_total").set_value(2.0)
    at = _solve(at)
    assert at.error, "expected an explanation"
    text = at.error[0].value
    assert "no feasible plan" in text
    assert "staff" in text.lower()
    assert "Raise a budget" in at.info[0].value


@pytest.mark.usefixtures("app_env")
def test_infeasible_scenario_in_chinese_has_no_english() -> None:
    at = _what_if("zh")
    at.number_input(key="sf_staff_total").set_value(2.0)
    at = _solve(at)
    text = at.error[0].value
    assert "无可行解" in text and "人员预算只允许 2 名" in text
    assert english_runs(text) == [], text


def _solve_bad_scenario() -> None:
    from govopt.data.scenario import Scenario
    from govopt.ui import plan_view, session

    session.current_dataset()
    bad = Scenario(name="bad", staff_total=-5.0, mip_gap=2.0)
    plan_view.solve_with_progress(session.dataset_key(), bad, session.current_lang())


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_scenario_is_listed_in_the_language_of_the_page(lang: str) -> None:
    at = AppTest.from_function(_solve_bad_scenario, default_timeout=30)
    at.session_state["govopt_lang"] = lang
    at = run(at)
    text = at.error[0].value
    if lang == "zh":
        assert text.startswith("输入有误") and "staff\\_total 为 -5.0" in text
        assert "mip\\_gap 为 2.0" in text
        assert english_runs(text) == [], text
    else:
        assert "staff\\_total is -5.0: a budget or limit must be 0 or more" in text
        assert "mip\\_gap is 2.0: use a small share such as 0.0001" in text


@pytest.mark.usefixtures("app_env")
def test_same_inputs_are_served_from_the_cache() -> None:
    at = _solve(_what_if())
    first = at.dataframe[0].value
    at = _solve(at)
    again = at.dataframe[0].value
    assert first.equals(again)


def test_save_then_save_again_keeps_both(app_env: Path) -> None:
    at = _solve(_what_if("en"))
    at.button(key="wi_save").click()
    at = run(at)
    assert "Saved as 'tiny'" in at.success[-1].value
    at = run(at)
    assert at.radio(key="wi_conflict").value == "rename"
    assert "tiny (2)" in at.radio(key="wi_conflict").options[0]
    at.button(key="wi_save").click()
    at = run(at)
    assert "Saved as 'tiny (2)'" in at.success[-1].value
    store = open_store(app_env)
    assert sorted(store.names()) == ["tiny", "tiny (2)"]
    assert store.load("tiny").optimal


def test_time_limited_baseline_does_not_block_a_what_if(
    app_env: Path, tiny_dataset_dir: Path
) -> None:
    with (tiny_dataset_dir / "scenario.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[solver_options]\ntime_limit_s = 1e-6\n")
    at = _what_if("en")
    assert at.number_input(key="sf_time_limit").value == pytest.approx(1e-6)
    at = _solve(at)
    assert "time limit" in at.error[0].value  # the plan itself ran into the limit
    at.number_input(key="sf_time_limit").set_value(60.0)
    at = _solve(at)
    staff_used = next(m for m in at.metric if m.label == "Staff used")
    assert float(staff_used.value.replace(",", "")) <= 12
    assert staff_used.delta is not None  # the longer limit let today's baseline finish too


def test_saving_to_a_read_only_home_says_why_and_changes_nothing(app_env: Path) -> None:
    app_env.mkdir(parents=True)
    with read_only(app_env):
        at = _solve(_what_if("zh"))
        assert at.metric, "the plan is still shown"
        assert any("只读" in w.value and str(app_env) in w.value for w in at.warning)
        assert not [b for b in at.button if b.key == "wi_save"]
    assert list(app_env.iterdir()) == []


def test_saving_to_a_damaged_store_names_the_file(app_env: Path) -> None:
    app_env.mkdir(parents=True)
    (app_env / "scenarios.sqlite").write_text("not a database\n" * 50, encoding="utf-8")
    before = snapshot(app_env)
    at = _solve(_what_if("en"))
    assert at.metric, "the plan is still shown"
    assert any(str(app_env / "scenarios.sqlite") in e.value for e in at.error)
    assert snapshot(app_env) == before


def test_markdown_in_the_scenario_name_is_shown_literally(app_env: Path) -> None:
    at = _what_if("en")
    at.text_input(key="sf_name").set_value(MARKDOWN_NAME)
    at = _solve(at)
    assert_literal(next(c.value for c in at.caption if "Showing" in c.value), MARKDOWN_NAME)
    at.button(key="wi_save").click()
    at = run(at)
    assert_literal(at.success[-1].value, f"Saved as '{MARKDOWN_NAME}'")
    at = run(at)
    conflict = at.radio(key="wi_conflict")
    assert_literal(conflict.label, f"A scenario called '{MARKDOWN_NAME}' is already saved")
    assert_literal(conflict.options[0], f"save as '{MARKDOWN_NAME} (2)'")
    assert open_store(app_env).names() == [MARKDOWN_NAME]


@pytest.mark.usefixtures("app_env")
def test_objective_picked_in_the_form_is_solved() -> None:
    at = _what_if("en")
    picker = at.selectbox(key="sf_objective")
    assert picker.value is Objective.COVERAGE
    assert len(picker.options) == len(OBJECTIVES)
    assert "Least cost (reach the coverage target)" in picker.options
    picker.set_value(Objective.COST)
    at = _solve(at)
    assert at.selectbox(key="sf_objective").value is Objective.COST
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("Under the cost objective" in text for text in texts)


@pytest.mark.usefixtures("app_env")
def test_changes_only_lists_the_centers_whose_staff_or_funds_change() -> None:
    at = _solve(_what_if("en"))
    metrics = {m.label: m.value for m in at.metric}
    assert "Centers changed" in metrics
    everything = at.dataframe[0].value
    moved = everything[
        ((everything["staff"] - everything["staff0"]).abs() > 1e-6)
        | ((everything["funds_cny"] - everything["funds0_cny"]).abs() >= 0.5)
    ]
    assert int(metrics["Centers changed"]) == len(moved)
    at.toggle(key="wi_changes_only").set_value(True)
    at = run(at)
    shown = at.dataframe[0].value
    assert sorted(shown["center_id"]) == sorted(moved["center_id"])


@pytest.mark.usefixtures("app_env")
def test_plan_table_shows_wisn_before_and_after(tiny_dataset_dir: Path) -> None:
    at = _solve(_what_if("en"))
    centers = at.dataframe[0].value.set_index("center_id")
    assert centers["wisn_ratio_before"].to_numpy() == pytest.approx(
        (centers["staff0"] / centers["wisn_need"]).to_numpy()
    )
    dataset = load_dataset(tiny_dataset_dir)
    assert dataset.scenario is not None
    plan = solve(dataset, dataset.scenario).centers.set_index("center_id")
    for column in ("wisn_need", "wisn_ratio_before", "wisn_ratio_after"):
        assert centers[column].to_numpy() == pytest.approx(plan.loc[centers.index, column])


@pytest.mark.usefixtures("app_env")
def test_grids_below_target_are_listed_by_cause() -> None:
    # 200 work hours a staff and no funds: 12 staff and the orgs give about two
    # thirds of the 6,778.5 hours, so grids fall below 80 % while every center
    # could still take staff.
    at = _what_if("en")
    at.number_input(key="sf_hours").set_value(200.0)
    at.number_input(key="sf_funds_total").set_value(0.0)
    at = _solve(at)
    assert any(h.value == "Grids below target, by cause" for h in at.subheader)
    by_cause = at.dataframe[1].value.set_index("cause")["grids"]
    below = next(m for m in at.metric if m.label == "Grids below target")
    assert by_cause.sum() == int(below.value) > 0
    assert by_cause["Budget used up"] == by_cause.sum()
    listed = at.dataframe[2].value
    assert len(listed) == by_cause.sum()
    assert set(listed["cause"]) == {"Budget used up"}
    assert (listed["coverage"] < 80).all()
    assert (listed["one_more_gain"] > 0).all()
    assert any("upper bound" in c.value for c in at.caption)


@pytest.mark.usefixtures("app_env")
def test_every_grid_on_target_says_so() -> None:
    at = _solve(_what_if("en"))
    assert any("Every grid with demand reaches the coverage target" in s.value for s in at.success)


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_infeasible_result_is_an_error_with_no_save(lang: str) -> None:
    at = _what_if(lang)
    at.number_input(key="sf_staff_total").set_value(2.0)
    at = _solve(at)
    [status] = at.status
    assert status.state == "error"
    assert status.label == ("无可行方案" if lang == "zh" else "No feasible plan")
    assert at.error and not at.success
    assert not [b for b in at.button if b.key == "wi_save"]
    assert not [i for i in at.text_input if str(i.key).startswith("wi_save_name")]
    if lang == "zh":
        shown = [status.label, *(e.value for e in at.error), *(i.value for i in at.info)]
        assert all(english_runs(text) == [] for text in shown), shown


@pytest.mark.usefixtures("app_env")
def test_funds_guarantee_fields_reach_the_scenario() -> None:
    at = _what_if("en")
    assert at.number_input(key="sf_max_funds_moved").value is None  # empty: no limit
    assert at.number_input(key="sf_min_funds_street").value == 0
    at.number_input(key="sf_max_funds_moved").set_value(50_000.0)
    at.number_input(key="sf_min_funds_community").set_value(20_000.0)
    at = _solve(at)
    assert not at.error
    plan = at.session_state["govopt"].last.plan
    assert plan.scenario.max_funds_moved_cny == 50_000
    assert plan.scenario.min_funds_cny.as_dict() == {"street": 0, "community": 20_000, "grid": 0}
    community = plan.centers[plan.centers["level"] == "community"]
    assert (community["funds_cny"] >= 20_000 - 1e-6).all()


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_funds_floor_above_the_budget_is_listed_in_the_form(lang: str) -> None:
    at = _what_if(lang)
    at.number_input(key="sf_min_funds_street").set_value(500_000.0)  # budget 400,000
    at = _solve(at)
    text = at.error[0].value
    if lang == "zh":
        assert text.startswith("请修改以下设置") and "单个中心的经费下限高于经费预算总额" in text
        assert english_runs(text) == [], text
    else:
        assert "min\\_funds\\_cny.street is 500000.0: one center's funds floor is above" in text
    assert at.session_state["govopt"].last is None


_STAFF_LINES = {
    "en": "One more staff member raises district coverage by {points:.2f} points "
    "(about 200 hours a year).",
    "zh": "一名额外工作人员可使全区覆盖率提高 {points:.2f} 个百分点（约 200 小时/年）。",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_marginal_values_are_re_solved_and_worded(
    app_env: Path, tiny_dataset_dir: Path, lang: str
) -> None:
    # 200 h a year per staff member and no funds: the staff budget binds, and one more
    # staff member adds 200 h; 10,000 CNY buys 125 h at 80 CNY/h.
    dataset = load_dataset(tiny_dataset_dir)
    assert dataset.scenario is not None
    plan = solve(dataset, dataset.scenario.replace(work_hours_per_staff=200, funds_total_cny=0))
    assert plan.kpis is not None
    at = _what_if(lang)
    at.number_input(key="sf_hours").set_value(200)
    at.number_input(key="sf_funds_total").set_value(0)
    at = _solve(at)
    [text] = [m.value for m in at.markdown if "全区覆盖率" in m.value or "district" in m.value]
    lines = text.split("\n")
    assert_literal(lines[0], _STAFF_LINES[lang].format(points=100 * 200 / plan.kpis.demand_hours))
    assert "125" in lines[1]
    assert any(c.value.startswith(("Each value re-solves", "每项数值")) for c in at.caption)
    if lang == "zh":
        assert english_runs(text) == [], text
