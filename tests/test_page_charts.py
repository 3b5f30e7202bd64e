"""Charts on the what-if and scenarios pages, the glossary page, and no "None" in Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from apptest_support import new_app, run
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from govopt.analysis.plan_charts import coverage_by_street, resources_by_level
from govopt.data.dataset import Dataset
from govopt.i18n import t
from govopt.optimize import baseline, solve
from govopt.output.help_text import help_text
from govopt.output.store import open_store


def _charts(at: AppTest) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    """Every Vega-Lite chart on the page: its spec and its (one) data set."""
    out = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        assert len(chart.proto.datasets) == 1
        data = convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)
        out.append((spec, data))
    return out


def _what_if_solved(lang: str) -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    run(at)
    at.button[0].click()
    return run(at)


@pytest.fixture
def saved(app_env: Path, tiny_dataset: Dataset) -> Path:
    """Two saved plans: 'today' (the defaults) and 'more staff' (higher minimum staffing)."""
    assert tiny_dataset.scenario is not None
    store = open_store(app_env)
    store.save("today", solve(tiny_dataset, tiny_dataset.scenario), dataset="tiny")
    more = tiny_dataset.scenario.replace(
        name="more staff", min_staff={"street": 6, "community": 3, "grid": 1}
    )
    store.save("more staff", solve(tiny_dataset, more), dataset="tiny")
    return app_env


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_if_draws_street_level_and_histogram_charts(lang: str, tiny_dataset: Dataset) -> None:
    at = _what_if_solved(lang)
    charts = _charts(at)
    assert len(charts) == 4
    (street, street_data), (staff, staff_data), (funds, funds_data), (hist, hist_data) = charts
    # Labels in the UI language: axis titles and the two series.
    assert street["encoding"]["x"]["title"] == t("col.coverage", lang)
    assert street["encoding"]["color"]["scale"]["domain"] == [
        t("ch.today", lang),
        t("ch.plan", lang),
    ]
    assert staff["encoding"]["x"]["title"] == t("ch.staff_axis", lang)
    assert funds["encoding"]["x"]["title"] == t("ch.funds_axis", lang)
    assert hist["encoding"]["x"]["title"] == t("ch.coverage_band", lang)
    # The figures are the plan's own.
    assert tiny_dataset.scenario is not None
    scenario = tiny_dataset.scenario
    plan = solve(tiny_dataset, scenario, baseline=baseline(tiny_dataset, scenario))
    expected = coverage_by_street(plan).set_index(["street", "series"])["coverage"]
    got = street_data.set_index(["street", "series"])["coverage"]
    assert got.to_dict() == pytest.approx(expected.to_dict())
    levels = resources_by_level(plan).set_index(["level", "series"])["staff"]
    assert staff_data.set_index(["level", "series"])["staff"].to_dict() == pytest.approx(
        levels.to_dict()
    )
    # Funds in 万元 for Chinese, millions of CNY for English.
    per = 1e4 if lang == "zh" else 1e6
    assert (funds_data["funds_shown"] * per).tolist() == pytest.approx(
        funds_data["funds_cny"].tolist()
    )
    assert set(staff_data["level_name"]) == {
        t("ch.level_street", lang),
        t("ch.level_community", lang),
        t("ch.level_grid", lang),
    }
    # Six grids with demand, counted once in each series.
    assert hist_data.groupby("series")["grids"].sum().to_dict() == {"after": 6, "before": 6}
    headings = [m.value for m in at.markdown]
    assert "**" + t("ch.histogram", lang) + "**" in headings


def test_compare_draws_the_same_charts_for_two_plans(saved: Path) -> None:
    at = new_app("en")
    at.switch_page("pages/scenarios.py")
    at = run(at)
    charts = _charts(at)
    assert len(charts) == 4
    street, street_data = charts[0]
    assert street["encoding"]["color"]["scale"]["domain"] == ["A: today", "B: more staff"]
    store = open_store(saved)
    a, b = store.load("today"), store.load("more staff")
    expected_cov = coverage_by_street(b, a).set_index(["street", "series"])["coverage"]
    got_cov = street_data.set_index(["street", "series"])["coverage"]
    assert got_cov.to_dict() == pytest.approx(expected_cov.to_dict())
    staff_data = charts[1][1].set_index(["level", "series"])["staff"]
    expected = resources_by_level(b, a).set_index(["level", "series"])["staff"]
    assert staff_data.to_dict() == pytest.approx(expected.to_dict())
    assert staff_data[("street", "after")] >= 6 - 1e-6  # B's minimum staffing
    assert staff_data[("street", "before")] == pytest.approx(
        float(a.centers.loc[a.centers["level"] == "street", "staff"].sum())
    )


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_glossary_page_explains_every_term(lang: str) -> None:
    at = new_app(lang)
    at.switch_page("pages/glossary.py")
    at = run(at)
    assert at.title[0].value == t("gl.title", lang)
    terms = [s.value for s in at.subheader]
    for key in ("gl.coverage.term", "gl.wisn.term", "gl.stages.term", "gl.marginal.term",
                "gl.priority.term", "gl.radius.term", "gl.rating.term"):  # fmt: skip
        assert t(key, lang) in terms
    text = " ".join(m.value for m in at.markdown)
    assert ("not rated 0.5" if lang == "en" else "未评级 0.5") in text
    assert ("count as 80 hours" if lang == "en" else "计为 80 小时") in text


@pytest.mark.usefixtures("app_env")
def test_kpi_cards_explain_themselves() -> None:
    at = _what_if_solved("en")
    cards = {m.label: m.help for m in at.metric}
    assert cards["Coverage"] == help_text("coverage", "en")
    assert cards["Staff used"] == help_text("staff_used", "en")
    assert cards["Centers changed"] == help_text("centers_changed", "en")
    assert all(cards.values()), [k for k, v in cards.items() if not v]


_NONE = re.compile(r"\bnone\b", re.IGNORECASE)


def _shown_text(at: AppTest) -> list[str]:
    """What the page shows as text, data dictionary aside (it lists the file values)."""
    texts = [e.value for kind in ("markdown", "caption", "info", "success", "warning", "error",
                                  "subheader", "title") for e in at.get(kind)]  # fmt: skip
    texts = [x for x in texts if "`grid_id`" not in x]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        df = frame.value
        assert not df.isna().any().any(), f"a gap would read 'None': {df}"
        texts += [str(v) for v in df.to_numpy().ravel()]
    for tab in at.table:
        texts += [str(v) for v in tab.value.to_numpy().ravel()]
    return texts


def test_chinese_ui_shows_no_none(saved: Path) -> None:
    at = new_app("zh")
    shown = _shown_text(run(at))
    assert any("未评级: 1" in x for x in shown), "the unrated organization is named in Chinese"
    for page in ("pages/coverage_map.py", "pages/scenarios.py", "pages/data.py",
                 "pages/glossary.py"):  # fmt: skip
        at.switch_page(page)
        shown += _shown_text(run(at))
    at = _what_if_solved("zh")
    shown += _shown_text(at)
    assert [x for x in shown if _NONE.search(x)] == []


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_page_links_the_glossary_and_shows_the_data_dictionary(lang: str) -> None:
    at = new_app(lang)
    at.switch_page("pages/data.py")
    at = run(at)
    links = at.get("page_link")
    assert [link.proto.label for link in links] == [t("da.glossary_link", lang)]
    assert links[0].proto.page == "glossary"
    dictionary = [m.value for m in at.markdown if "## grids.geojson" in m.value]
    assert len(dictionary) == 1
    assert "| `grid_id` | str |" in dictionary[0]
    assert "Generated from" not in dictionary[0]
