"""The coverage map page, run headless with Streamlit's AppTest on the tiny dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from govopt.i18n import t
from govopt.indicators import get

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
    picker = app.selectbox(key="map_indicator")
    assert picker.value == "staff_per_10k"
    assert get("staff_per_10k").label("zh") in picker.options
    assert get("baseline_coverage").label("zh") in picker.options
    assert get("plan_coverage").label("zh") not in picker.options  # no solve yet
    assert any(t("map.click_hint", "zh") in c.value for c in app.caption)
    assert app.checkbox(key="map_online").value is False


def test_changing_indicator_and_street_keeps_the_page_working(app: AppTest) -> None:
    app.selectbox(key="map_indicator").set_value("dist_community").run()
    assert not app.exception
    app.selectbox(key="map_street").set_value("明水街道").run()
    assert not app.exception
    assert any("6" in c.value for c in app.caption)
    app.checkbox(key="map_orgs").check().run()
    assert not app.exception
