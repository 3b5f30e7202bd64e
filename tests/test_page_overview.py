"""The overview page under AppTest: dataset label, KPIs, street table, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import new_app, run


@pytest.mark.usefixtures("app_env")
def test_overview_in_chinese_shows_kpis_and_sample_label() -> None:
    at = run(new_app("zh"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["网格数"] == "6"
    assert metrics["常住人口"] == "6,750"
    assert metrics["工单总数"] == "10"
    assert metrics["党群服务中心"] == "3"
    assert metrics["现状覆盖率"].endswith("%")
    assert "真实边界内的模拟数据" in at.info[0].value
    assert "小样例" in at.info[0].value
    [street] = at.dataframe
    assert list(street.value["street"]) == ["明水街道"]
    assert street.value["residents"].iloc[0] == 6750


@pytest.mark.usefixtures("app_env")
def test_overview_in_english() -> None:
    at = run(new_app("en"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Grids"] == "6"
    assert metrics["Work orders per 1,000"] == "1.5"
    assert "synthetic layout inside the real outline" in at.info[0].value
    assert at.title[0].value == "Grid governance resource planner"


def test_missing_dataset_says_what_to_do(app_env: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVOPT_DATA", "/nonexistent/folder")
    at = run(new_app("en"))
    assert "was not found" in at.error[0].value
    assert "Data page" in at.error[0].value


LIMITED = "\n[solver_options]\ntime_limit_s = 1e-6\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_time_limited_baseline_says_so_instead_of_hanging(
    app_env: object, tiny_dataset_dir: Path, lang: str
) -> None:
    with (tiny_dataset_dir / "scenario.toml").open("a", encoding="utf-8") as fh:
        fh.write(LIMITED)
    at = run(new_app(lang))
    [warning] = at.warning
    assert ("not finished in 1e-06 s" if lang == "en" else "1e-06 秒") in warning.value
    assert "time_limit_s" in warning.value and "scenario.toml" in warning.value
    coverage = "Coverage today" if lang == "en" else "现状覆盖率"
    assert {m.label: m.value for m in at.metric}[coverage] == "—"
    assert at.dataframe[0].value["residents"].iloc[0] == 6750  # the counts are all there
