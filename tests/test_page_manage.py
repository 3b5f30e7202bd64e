"""The scenarios page acts on the scenario picked, and shows save times in local time."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apptest_support import MARKDOWN_NAME, assert_literal, new_app, run
from streamlit.testing.v1 import AppTest

from govopt.data.dataset import Dataset
from govopt.optimize import solve
from govopt.output.store import DB_FILENAME, open_store
from govopt.ui.saved_view import local_time


@pytest.fixture
def saved(app_env: Path, tiny_dataset: Dataset) -> Path:
    """Two saved plans, 'today' then 'more staff' (the newest, listed first)."""
    assert tiny_dataset.scenario is not None
    store = open_store(app_env)
    store.save("today", solve(tiny_dataset, tiny_dataset.scenario), dataset="tiny")
    more = tiny_dataset.scenario.replace(name="more staff", min_staff={"street": 6})
    store.save("more staff", solve(tiny_dataset, more), dataset="tiny")
    _set_saved_at(app_env, "today", "2024-03-01T16:30:00+00:00")
    _set_saved_at(app_env, "more staff", "2024-03-02T01:05:00+00:00")
    return app_env


def _set_saved_at(home: Path, name: str, when: str) -> None:
    with sqlite3.connect(home / DB_FILENAME) as con:
        con.execute("UPDATE scenarios SET saved_at = ? WHERE name = ?", (when, name))


def _scenarios(lang: str = "en") -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/scenarios.py")
    return run(at)


def _pick(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="sc_manage").set_value(name)
    return run(at)


def test_the_rename_box_and_the_confirmation_follow_the_picked_scenario(saved: Path) -> None:
    at = _scenarios()
    assert at.selectbox(key="sc_manage").value == "more staff"
    assert at.text_input(key="sc_new_name").value == "more staff"
    at = _pick(at, "today")
    assert at.text_input(key="sc_new_name").value == "today"
    at.checkbox(key="sc_sure").check()
    at = run(at)
    assert not at.button(key="sc_delete").disabled
    at = _pick(at, "more staff")  # the tick was for 'today'
    assert at.checkbox(key="sc_sure").value is False
    assert at.button(key="sc_delete").disabled
    assert "more staff" in at.checkbox(key="sc_sure").label
    assert at.text_input(key="sc_new_name").value == "more staff"
    assert sorted(open_store(saved).names()) == ["more staff", "today"]


def test_rename_acts_on_the_picked_scenario_and_says_so(saved: Path) -> None:
    at = _pick(_scenarios(), "today")
    at.text_input(key="sc_new_name").set_value("  today v2 ")
    at.button(key="sc_rename").click()
    at = run(at)
    assert at.success[-1].value == "Renamed 'today' to 'today v2'."
    assert sorted(open_store(saved).names()) == ["more staff", "today v2"]
    assert at.selectbox(key="sc_manage").value == "today v2"  # still the one just renamed
    assert at.text_input(key="sc_new_name").value == "today v2"
    at = run(at)
    assert not at.success  # said once

    at.text_input(key="sc_new_name").set_value("more staff")
    at.button(key="sc_rename").click()
    at = run(at)
    assert "A scenario called 'more staff' is already saved" in at.error[-1].value
    assert sorted(open_store(saved).names()) == ["more staff", "today v2"]


def test_delete_acts_on_the_picked_scenario_and_is_never_pre_ticked(saved: Path) -> None:
    at = _pick(_scenarios(), "today")
    at.checkbox(key="sc_sure").check()
    at = run(at)
    at.button(key="sc_delete").click()
    at = run(at)
    assert at.success[-1].value == "Deleted 'today'."
    assert open_store(saved).names() == ["more staff"]
    assert at.selectbox(key="sc_manage").value == "more staff"
    assert at.checkbox(key="sc_sure").value is False  # not carried over to 'more staff'
    assert at.button(key="sc_delete").disabled

    at.checkbox(key="sc_sure").check()
    at = run(at)
    at.button(key="sc_delete").click()
    at = run(at)
    assert open_store(saved).names() == []
    assert at.success[-1].value == "Deleted 'more staff'."
    assert "No saved scenarios yet" in at.info[0].value


def test_rename_and_delete_messages_in_chinese_show_names_literally(
    app_env: Path, tiny_dataset: Dataset
) -> None:
    assert tiny_dataset.scenario is not None
    plan = solve(tiny_dataset, tiny_dataset.scenario)
    open_store(app_env).save("today", plan, dataset="tiny")
    at = _scenarios("zh")
    at.text_input(key="sc_new_name").set_value(MARKDOWN_NAME)
    at.button(key="sc_rename").click()
    at = run(at)
    assert_literal(at.success[-1].value, f"已将“today”重命名为“{MARKDOWN_NAME}”。")
    at.checkbox(key="sc_sure").check()
    at = run(at)
    at.button(key="sc_delete").click()
    at = run(at)
    assert_literal(at.success[-1].value, f"已删除“{MARKDOWN_NAME}”。")
    assert open_store(app_env).names() == []


@pytest.mark.usefixtures("saved")
def test_save_times_are_shown_in_shanghai_time() -> None:
    at = _scenarios()
    listing = at.dataframe[0].value.set_index("name")["saved_at"]
    assert listing.to_dict() == {"today": "2024-03-02 00:30", "more staff": "2024-03-02 09:05"}
    assert any("Asia/Shanghai" in c.value for c in at.caption)


@pytest.mark.usefixtures("saved")
def test_govopt_tz_sets_the_zone_of_the_save_times(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVOPT_TZ", "UTC")
    at = _scenarios()
    listing = at.dataframe[0].value.set_index("name")["saved_at"]
    assert listing["today"] == "2024-03-01 16:30"
    monkeypatch.setenv("GOVOPT_TZ", "Mars/Olympus")
    at = _scenarios()
    assert at.dataframe[0].value.set_index("name")["saved_at"]["today"] == "2024-03-02 00:30"
    assert any("Mars/Olympus" in w.value and "Asia/Shanghai" in w.value for w in at.warning)


def test_the_store_keeps_utc(app_env: Path, tiny_dataset: Dataset) -> None:
    assert tiny_dataset.scenario is not None
    store = open_store(app_env)
    before = datetime.now(UTC).replace(microsecond=0)
    store.save("today", solve(tiny_dataset, tiny_dataset.scenario))
    [row] = store.list()
    when = datetime.fromisoformat(row.saved_at)
    assert when.utcoffset() == timedelta(0)
    assert before <= when <= datetime.now(UTC)


def test_local_time_converts_reads_naive_as_utc_and_keeps_unreadable_text() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    assert local_time("2024-12-31T20:00:00+00:00", shanghai) == "2025-01-01 04:00"
    assert local_time("2024-12-31T20:00:00", shanghai) == "2025-01-01 04:00"
    assert local_time("2024-12-31T20:00:00+00:00", timezone(timedelta(hours=-5))) == (
        "2024-12-31 15:00"
    )
    assert local_time("yesterday", shanghai) == "yesterday"
