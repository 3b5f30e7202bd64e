"""The coverage map page, run headless with Streamlit's AppTest on the tiny dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from govopt.analysis.indicators import get
from govopt.i18n import t

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "coverage_map.py")


@pytest.fixture
def app(tiny_dataset_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv("GOVOPT_DATA", str(tiny_dataset_dir))
    monkeypatch.setenv("GOVOPT_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    return at.run()


def test_page_renders_map_legend_and_hint_in_chinese(app: AppTest) -> None:
    assert not app.exception
    assert app.title[0].value == t("map.page_title", "zh")
    picker = app.selectbox(key="map_indicator_zh")
    assert picker.value == "staff_per_10k"
    assert get("staff_per_10k").label("zh") in picker.options
    assert get("baseline_coverage").label("zh") in picker.options
    assert get("plan_coverage").label("zh") not in picker.options  # no solve yet
    assert any(t("map.click_hint", "zh") in c.value for c in app.caption)
    assert app.checkbox(key="map_online").value is False


def test_changing_indicator_and_street_keeps_the_page_working(app: AppTest) -> None:
    app.selectbox(key="map_indicator_zh").set_value("dist_community").run()
    assert not app.exception
    app.selectbox(key="map_street_zh").set_value("明水街道").run()
    assert not app.exception
    assert any("6" in c.value for c in app.caption)
    app.checkbox(key="map_orgs").check().run()
    assert not app.exception


def test_clicked_grid_reads_the_feature_of_the_last_click() -> None:
    from govopt.ui.mapview import clicked_grid

    state = {"last_active_drawing": {"type": "Feature", "properties": {"grid_id": "0101"}}}
    assert clicked_grid(state) == "0101"
    assert clicked_grid({"last_active_drawing": None}) is None
    assert clicked_grid({"last_active_drawing": {"properties": {"n": "x"}}}) is None
    assert clicked_grid(None) is None


def test_after_a_solve_the_plan_and_change_indicators_are_offered(
    tiny_dataset_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from govopt.data.validate import load_dataset
    from govopt.optimize import baseline, solve
    from govopt.ui.cache import fingerprint
    from govopt.ui.session import LastSolve, SessionData

    monkeypatch.setenv("GOVOPT_DATA", str(tiny_dataset_dir))
    monkeypatch.setenv("GOVOPT_HOME", str(tmp_path / "home"))
    dataset = load_dataset(tiny_dataset_dir)
    assert dataset.scenario is not None
    plan = solve(dataset, dataset.scenario)
    base = baseline(dataset, dataset.scenario)
    assert plan.optimal and base.optimal
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["govopt"] = SessionData(
        last=LastSolve(fingerprint(tiny_dataset_dir), plan, base)
    )
    at.run()
    assert not at.exception
    picker = at.selectbox(key="map_indicator_zh")
    assert picker.value == "plan_coverage"
    assert get("coverage_change").label("zh") in picker.options
    picker.set_value("coverage_change").run()
    assert not at.exception
    assert not at.warning


def test_switching_language_keeps_the_chosen_indicator_and_street(app: AppTest) -> None:
    app.selectbox(key="map_indicator_zh").set_value("dist_community").run()
    app.selectbox(key="map_street_zh").set_value("明水街道").run()
    app.radio(key="govopt_lang_widget").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Coverage map"
    assert app.selectbox(key="map_indicator_en").value == "dist_community"
    assert app.selectbox(key="map_street_en").value == "明水街道"


def _short_plan_session(at: AppTest, folder: Path) -> None:
    """A solved plan whose 200 work hours a staff leave grids 0103 and 0201 below target.

    Grids 0101, 0103, 0201 and 0202 have equal priority, so many plans are
    optimal; HiGHS's simplex picks the same one every time, the one checked here.
    """
    from govopt.data.validate import load_dataset
    from govopt.optimize import solve
    from govopt.ui.cache import fingerprint
    from govopt.ui.session import LastSolve, SessionData

    dataset = load_dataset(folder)
    assert dataset.scenario is not None
    scenario = dataset.scenario.replace(
        work_hours_per_staff=200.0, funds_total_cny=0.0, solver="highs"
    )
    plan = solve(dataset, scenario)
    assert plan.optimal
    at.session_state["govopt"] = SessionData(last=LastSolve(fingerprint(folder), plan, None))


def test_grid_details_say_why_a_grid_is_below_target(
    tiny_dataset_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GOVOPT_DATA", str(tiny_dataset_dir))
    monkeypatch.setenv("GOVOPT_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    _short_plan_session(at, tiny_dataset_dir)
    at.session_state["govopt_lang"] = "en"
    at.session_state["map_grid"] = "0103"
    at.run()
    assert not at.exception
    assert at.table, "the grid's figures"
    text = "\n".join(m.value for m in at.markdown)
    assert "Budget used up" in text
    assert "the staff budget is used up" in text
    assert "明水街道党群服务中心" in text and "load 100.0%" in text
    assert "One more staff member at 明水街道党群服务中心" in text
    assert "at most 18.1 percentage points" in text  # 200 h of grid 0103's 1,104 h
    at.session_state["map_grid"] = "0101"
    at.run()
    assert any("reaches the coverage target of 80%" in c.value for c in at.caption)


def test_wisn_indicators_today_and_under_the_plan(
    tiny_dataset_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GOVOPT_DATA", str(tiny_dataset_dir))
    monkeypatch.setenv("GOVOPT_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    picker = at.selectbox(key="map_indicator_zh")
    assert get("wisn_today").label("zh") in picker.options
    assert get("wisn_plan").label("zh") not in picker.options  # no solve yet
    _short_plan_session(at, tiny_dataset_dir)
    at.run()
    at.selectbox(key="map_indicator_zh").set_value("wisn_plan").run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="map_indicator_zh").value == "wisn_plan"


def test_grid_details_before_a_solve_point_to_the_what_if_page(app: AppTest) -> None:
    app.session_state["map_grid"] = "0102"
    app.run()
    assert not app.exception
    assert app.table
    assert any(t("why.solve_first", "zh") in c.value for c in app.caption)
    assert not any(t("map.click_hint", "zh") in c.value for c in app.caption)
