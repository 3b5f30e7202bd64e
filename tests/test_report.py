"""The printable report: KPIs, sections, no outside assets, escaped names, Beijing time."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from model_cases import C, G, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize import solve
from govopt.output.planner_text import beijing_now
from govopt.output.report import report_html
from govopt.output.words import plan_notes
from govopt.plan import Plan

SCRIPT = "<script>alert(1)</script>"
# G0 (priority 1.5) is served in full, G1 gets 1,768.39 of 2,000 h (see test_workbook):
# 88.4 % is below the 90 % target, and the one center can take more staff but the
# staff budget is used up.
DS = make_case(
    [G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0, name="中心<b>甲</b>", funds=100)]
)
DS = replace(DS, grids=DS.grids.assign(name=["第1网格", SCRIPT], street=["明水街道", SCRIPT]))
SCENARIO = scenario(
    name=f"方案 {SCRIPT}", staff_total=2.3456, funds_total_cny=1234.567, coverage_target=0.9
)
NOW = datetime(2025, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="module")
def plan() -> Plan:
    solved = solve(DS, SCENARIO)
    assert solved.optimal
    return solved


@pytest.fixture(scope="module")
def page(plan: Plan) -> str:
    return report_html(plan, DS, "zh", now=NOW)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_report_shows_the_kpis_today_and_in_the_plan(page: str) -> None:
    text = _text(page)
    assert "全区覆盖率（%） 0.0% 94.2% +94.2 个百分点" in text
    assert "工作人员（人） 0.0 2.3 +2.3" in text
    assert "经费（元） 100 1,235 +1,135" in text
    assert "生成时间（北京时间）：2025-03-04 09:30" in text
    assert "工作人员总数上限 2.35 人" in text


def test_report_has_every_section_in_the_language(plan: Plan, page: str) -> None:
    for heading in (
        "方案设置",
        "主要指标：现状与方案",
        "各街道覆盖率：现状与方案",
        "各层级中心的工作人员与经费",
        "方案覆盖率地图",
        "变化最大的中心（前15个）",
        "未达覆盖目标的网格",
        "边际价值",
    ):
        assert f"<h2>{heading}</h2>" in page
    text = _text(page)
    assert "共 1 个网格低于覆盖率目标 90.0%。" in text
    assert "可达中心可增员，但预算已用完 1" in text
    en = _text(report_html(plan, DS, "en", now=NOW))
    assert "Coverage by street: today and in the plan" in en
    assert "District coverage (%) 0.0% 94.2% +94.2 points" in en
    assert "Budget used up" in en


def test_report_needs_nothing_from_outside(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert not re.search(r"\b(?:src|href)\s*=", page, re.I)
    assert not re.search(r"url\(|@import", page, re.I)
    assert "@page { size: A4;" in page
    assert page.count("<svg") == 4  # streets, staff, funds, map


def test_report_escapes_names(page: str) -> None:
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert SCRIPT not in page and "<b>甲" not in page
    assert f"<title>资源配置方案报告：方案 {escaped}</title>" in page
    assert f"<td>{escaped}</td>" in page  # the grid below target, and its street
    assert f">{escaped}</text>" in page  # the street in the chart
    assert "中心&lt;b&gt;甲&lt;/b&gt;" in page


def _map_fills(page: str) -> list[str]:
    svg = page[page.index("<h2>方案覆盖率地图</h2>") :]
    svg = svg[: svg.index("</svg>")]
    return re.findall(r'<path d="M[^"]+Z" fill="(#[0-9a-f]{6})"/>', svg)


def test_map_draws_every_grid_coloured_by_coverage(page: str) -> None:
    assert _map_fills(page) == ["#1a9641", "#1a9641"]  # 100 % and 88.4 %: 80-100 %
    # 1.5 staff = 2,400 h: G0 in full, G1 400 of 2,000 h = 20 %, the 20-40 % class.
    low = solve(DS, scenario(staff_total=1.5))
    assert _map_fills(report_html(low, DS, "zh", now=NOW)) == ["#1a9641", "#fdae61"]


def test_infeasible_plan_report_explains_why() -> None:
    infeasible = solve(DS, scenario(staff_total=1, min_staff=LevelValues(4, 0, 0)))
    page = report_html(infeasible, DS, "zh", now=NOW)
    assert "<h2>未得到方案的原因</h2>" in page
    reasons = plan_notes(infeasible, "zh")
    assert len(reasons) >= 2 and any("最低配置标准" in line for line in reasons)
    assert all(f"<li>{line}</li>" in page for line in reasons)
    assert "求解状态：无可行解" in _text(page)
    assert "主要指标" not in page


def test_plan_of_another_dataset_leaves_the_map_out(plan: Plan) -> None:
    other = make_case([G(0, 0, 10)], [C(0, 0)])
    page = report_html(plan, other, "en", now=NOW)
    assert "was not solved on this dataset" in page
    assert "Coverage in the plan, by grid" not in page
    assert "District coverage" in page


def test_beijing_time_is_utc_plus_8() -> None:
    now = beijing_now()
    assert now.utcoffset() == timedelta(hours=8)
