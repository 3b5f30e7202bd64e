"""The scenarios page under AppTest: list, compare, export, rename and delete."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from apptest_support import MARKDOWN_NAME, assert_literal, new_app, run
from fs_support import read_only, snapshot
from streamlit.testing.v1 import AppTest

from govopt.analysis.compare import center_differences
from govopt.data.dataset import Dataset
from govopt.optimize import solve
from govopt.output.store import open_store


@pytest.fixture
def saved(app_env: Path, tiny_dataset: Dataset) -> Path:
    """Two solved plans: 'today' (defaults) and 'more staff' (higher minimum staffing)."""
    assert tiny_dataset.scenario is not None
    store = open_store(app_env)
    store.save("today", solve(tiny_dataset, tiny_dataset.scenario), dataset="tiny")
    more = tiny_dataset.scenario.replace(
        name="more staff", min_staff={"street": 6, "community": 3, "grid": 1}
    )
    store.save("more staff", solve(tiny_dataset, more), dataset="tiny")
    return app_env


def _scenarios(lang: str = "zh") -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/scenarios.py")
    return run(at)


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_store_says_how_to_fill_it(lang: str) -> None:
    at = _scenarios(lang)
    assert ("What-if" if lang == "en" else "情景推演") in at.info[0].value


def test_list_and_compare_two(saved: Path) -> None:
    store = open_store(saved)
    a, b = store.load("today").kpis, store.load("more staff").kpis
    assert a is not None and b is not None
    at = _scenarios("en")
    listing = at.dataframe[0].value
    assert sorted(listing["name"]) == ["more staff", "today"]
    assert at.selectbox(key="sc_a").value == "today"
    assert at.selectbox(key="sc_b").value == "more staff"
    kpis = at.dataframe[1].value.set_index("Indicator")
    assert kpis.loc["Staff used", "today"] == f"{a.staff_used:,.0f}"
    assert kpis.loc["Staff used", "more staff"] == f"{b.staff_used:,.0f}"
    assert kpis.loc["Coverage", "today"] == f"{a.coverage * 100:.1f}%"
    assert kpis.loc["Grids out of reach", "Difference (B − A)"] == "0"
    expected = center_differences(store.load("today"), store.load("more staff"))
    if expected.empty:
        assert "same" in at.info[-1].value
    else:
        shown = at.dataframe[2].value
        assert list(shown["center_id"]) == list(expected["center_id"])
        assert list(shown["staff_diff"]) == pytest.approx(list(expected["staff_diff"]), abs=0.05)


@pytest.mark.usefixtures("saved")
def test_export_zip_geojson_and_html(downloads: dict[str, bytes]) -> None:
    at = _scenarios("en")
    at.selectbox(key="sc_export").set_value("more staff")
    run(at)
    with zipfile.ZipFile(io.BytesIO(downloads["more_staff.zip"])) as z:
        names = set(z.namelist())
        assert {"centers_plan.csv", "grids_coverage.csv", "summary.json"} <= names
        assert json.loads(z.read("summary.json"))["status"] == "optimal"
    geo = json.loads(downloads["more_staff.geojson"])
    assert len(geo["features"]) == 6
    assert "coverage" in geo["features"][0]["properties"]
    html = downloads["more_staff.html"].decode("utf-8")
    assert "<html" in html.lower()
    assert '<script src="http' not in html


@pytest.mark.usefixtures("saved")
def test_rename_then_delete_with_confirmation(saved: Path) -> None:
    at = _scenarios("en")
    at.selectbox(key="sc_manage").set_value("today")
    at.text_input(key="sc_new_name").set_value("today v2")
    at.button(key="sc_rename").click()
    at = run(at)
    assert sorted(open_store(saved).names()) == ["more staff", "today v2"]
    at.selectbox(key="sc_manage").set_value("today v2")
    at = run(at)
    assert at.button(key="sc_delete").disabled
    at.checkbox(key="sc_sure").check()
    at = run(at)
    at.button(key="sc_delete").click()
    at = run(at)
    assert open_store(saved).names() == ["more staff"]


def test_damaged_store_names_the_file_and_is_left_as_it_is(app_env: Path) -> None:
    app_env.mkdir(parents=True)
    path = app_env / "scenarios.sqlite"
    path.write_bytes(b"name,coverage\ntoday,0.8\n" * 40)
    before = snapshot(app_env)
    for lang, advice in (("en", "Restore it from a backup"), ("zh", "请从备份恢复")):
        at = _scenarios(lang)
        [error] = at.error
        assert str(path) in error.value and advice in error.value
        assert not at.dataframe  # no list of scenarios, no traceback
    assert snapshot(app_env) == before


def test_read_only_home_lists_compares_and_exports_but_cannot_change(
    saved: Path, downloads: dict[str, bytes]
) -> None:
    before = snapshot(saved)
    with read_only(saved):
        at = _scenarios("en")
        assert sorted(at.dataframe[0].value["name"]) == ["more staff", "today"]
        assert "Staff used" in list(at.dataframe[1].value["Indicator"])
        assert any("read-only" in w.value and str(saved) in w.value for w in at.warning)
        assert any(name.endswith(".zip") for name in downloads)  # export works
        assert at.button(key="sc_rename").disabled and at.button(key="sc_delete").disabled
        assert at.checkbox(key="sc_sure").disabled
    assert snapshot(saved) == before
    assert sorted(open_store(saved).names()) == ["more staff", "today"]


def test_markdown_in_a_name_is_shown_literally(app_env: Path, tiny_dataset: Dataset) -> None:
    assert tiny_dataset.scenario is not None
    plan = solve(tiny_dataset, tiny_dataset.scenario.replace(name=MARKDOWN_NAME))
    open_store(app_env).save(MARKDOWN_NAME, plan, dataset="tiny")
    at = _scenarios("en")
    assert at.selectbox(key="sc_manage").value == MARKDOWN_NAME  # plain text: as typed
    assert_literal(at.checkbox(key="sc_sure").label, f"Yes, delete '{MARKDOWN_NAME}'")
    at.checkbox(key="sc_sure").check()
    at = run(at)
    at.text_input(key="sc_new_name").set_value(MARKDOWN_NAME + " v2")
    at.button(key="sc_rename").click()
    at = run(at)
    assert open_store(app_env).names() == [MARKDOWN_NAME + " v2"]
