"""The Excel workbook of a plan and the rounded CSV: headers, rounding, safety, words."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from model_cases import C, G, make_case, scenario
from openpyxl.worksheet.worksheet import Worksheet

from govopt.data.schema import LevelValues
from govopt.optimize import baseline, solve
from govopt.output.export import plan_csv_bytes
from govopt.output.planner_text import display_width
from govopt.output.words import plan_notes
from govopt.output.workbook import plan_workbook_bytes
from govopt.plan import Plan

# Grid G0 (priority 1.5) is served first; G1 gets what is left of
# 2.3456 staff * 1,600 h + 1,234.567 CNY / 80 CNY/h = 3,768.39 h: 1,768.39 h of 2,000.
DS = make_case([G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0, name="=HYPERLINK(1)")])
DS = replace(DS, grids=DS.grids.assign(name=["+1", "-x"], street=["明水街道", "@a"]))
SCENARIO = scenario(name="测试方案", staff_total=2.3456, funds_total_cny=1234.567)
NOW = datetime(2025, 3, 4, 9, 30)


@pytest.fixture(scope="module")
def plan() -> Plan:
    solved = solve(DS, SCENARIO)
    assert solved.optimal
    return solved


def _book(plan: Plan, lang: str = "zh", **kwargs: object) -> openpyxl.Workbook:
    data = plan_workbook_bytes(plan, DS, lang, now=NOW, **kwargs)  # type: ignore[arg-type]
    return openpyxl.load_workbook(io.BytesIO(data))


def _headers(ws: Worksheet) -> list[object]:
    return [c.value for c in ws[1]]


def _column(ws: Worksheet, head: str) -> list[object]:
    j = _headers(ws).index(head) + 1
    return [ws.cell(row=i, column=j).value for i in range(2, ws.max_row + 1)]


def _cell(ws: Worksheet, head: str, row: int = 2) -> openpyxl.cell.cell.Cell:
    return ws.cell(row=row, column=_headers(ws).index(head) + 1)


def _kpi(ws: Worksheet, label: str) -> tuple[object, ...]:
    for row in ws.iter_rows(values_only=True):
        if row[0] == label:
            return row[1:4]
    raise AssertionError(f"{label} not in the summary")


def test_sheets_and_headers_in_chinese_with_units(plan: Plan) -> None:
    wb = _book(plan)
    assert wb.sheetnames == ["概要", "中心", "网格", "街道"]
    centers = _headers(wb["中心"])
    assert centers[:3] == ["中心编号", "名称", "层级"]
    assert {"现有工作人员（人）", "方案工作人员（人）", "方案经费（元）"} <= set(centers)
    assert "方案已服务时长（小时/年）" in centers
    grids = _headers(wb["网格"])
    assert {"现状覆盖率（%）", "方案覆盖率（%）", "覆盖率变化（百分点）"} <= set(grids)
    assert _headers(wb["街道"])[:3] == ["街道/镇", "网格数（个）", "常住人口（人）"]


def test_sheets_and_headers_in_english(plan: Plan) -> None:
    wb = _book(plan, "en")
    assert wb.sheetnames == ["Summary", "Centers", "Grids", "Streets"]
    assert {"Staff in plan (persons)", "Funds in plan (CNY)"} <= set(_headers(wb["Centers"]))
    assert "Coverage in plan (%)" in _headers(wb["Grids"])
    assert _column(wb["Centers"], "Level") == ["street"]
    assert _column(wb["Grids"], "Out of reach") == ["no", "no"]


def test_numbers_are_rounded_as_a_planner_reads_them(plan: Plan) -> None:
    wb = _book(plan)
    centers, grids = wb["中心"], wb["网格"]
    staff = _cell(centers, "方案工作人员（人）")
    assert staff.value == 2.3 and staff.number_format == "#,##0.0"
    funds = _cell(centers, "方案经费（元）")
    assert funds.value == 1235 and funds.number_format == "#,##0"
    assert _cell(centers, "工作人员服务时长（小时/年）").value == 3753  # 2.3456 * 1,600
    assert _column(grids, "方案覆盖率（%）") == [100, 88.4]
    assert _cell(grids, "方案覆盖率（%）").number_format == "#,##0.0"
    assert _column(grids, "方案已服务时长（小时/年）") == [2000, 1768]
    assert _column(grids, "覆盖率变化（百分点）") == [100, 88.4]  # nothing is served today


def test_whole_staff_shown_whole_when_the_plan_staffs_in_persons() -> None:
    whole = solve(DS, scenario(staff_total=2.5, integer_staff=True))
    cell = _cell(_book(whole)["中心"], "方案工作人员（人）")
    assert cell.value == 2 and cell.number_format == "#,##0"


def test_header_rows_are_frozen_and_filtered(plan: Plan) -> None:
    wb = _book(plan)
    assert [ws.freeze_panes for ws in wb] == ["A2"] * 4
    assert wb["中心"].auto_filter.ref == "A1:Q2"


def test_formula_like_names_are_text_never_formulas(plan: Plan) -> None:
    data = plan_workbook_bytes(plan, DS, "zh", now=NOW)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    name = _cell(wb["中心"], "名称")
    assert name.value == "=HYPERLINK(1)"
    assert name.data_type == "s" and name.quotePrefix
    grids = wb["网格"]
    assert _column(grids, "名称") == ["+1", "-x"]
    assert _column(grids, "街道/镇") == ["明水街道", "@a"]
    for row in range(2, 4):
        for head in ("名称", "街道/镇"):
            cell = _cell(grids, head, row)
            assert cell.data_type == "s"
            assert cell.quotePrefix == (cell.value != "明水街道")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(re.search(rb"<f[ >]", zf.read(n)) for n in sheets)


def test_summary_words_the_scenario_and_compares_today(plan: Plan) -> None:
    ws = _book(plan)["概要"]
    assert ws["A1"].value == "资源配置方案：测试方案"
    pairs = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}
    assert pairs["生成时间（北京时间）"] == "2025-03-04 09:30"
    assert pairs["求解状态"] == "最优"
    assert pairs["优化目标"] == "覆盖最大化"
    assert pairs["工作人员总数上限"] == "2.35 人"
    assert pairs["最多调动人数"] == "不限"
    assert pairs["街道服务半径"] == "3,000 米"
    assert pairs["人员按整数配置"] == "否"
    # (2,000 + 1,768.39) / 4,000 h; today's centers have no staff and no funds.
    assert _kpi(ws, "全区覆盖率（%）") == (0, 94.2, 94.2)
    assert _kpi(ws, "工作人员（人）") == (0, 2.3, 2.3)
    assert _kpi(ws, "经费（元）") == (0, 1235, 1235)
    assert _kpi(ws, "调出人数（人）") == (None, 0, None)
    texts = [row[0] for row in ws.iter_rows(values_only=True) if row[0]]
    # One more staff member fills grid B's last 4,000 - 3,768.39 = 231.61 h: 5.79 points.
    assert "一名额外工作人员可使全区覆盖率提高 5.79 个百分点（约 232 小时/年）。" in texts


def test_today_comes_from_the_baseline_when_given() -> None:
    ds = make_case([G(0, 0, 2000), G(1000, 0, 2000)], [C(0, 0, staff=1)])
    sc = scenario(staff_total=2)
    plan, base = solve(ds, sc), baseline(ds, sc)
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(plan, ds, "en", baseline=base)))
    assert _kpi(wb["Summary"], "District coverage (%)") == (40.0, 80.0, 40.0)
    assert _kpi(wb["Summary"], "Staff (persons)") == (1, 2, 1)


def test_streets_add_up_their_grids_and_centers(plan: Plan) -> None:
    ws = _book(plan)["街道"]
    rows = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    heads = _headers(ws)
    first = dict(zip(heads, rows["明水街道"], strict=True))
    assert first["网格数（个）"] == 1 and first["常住人口（人）"] == 2000
    assert first["方案覆盖率（%）"] == 100 and first["现状覆盖率（%）"] == 0
    assert first["方案工作人员（人）"] == 2.3  # the center stands in G0, street 明水街道
    other = dict(zip(heads, rows["@a"], strict=True))
    assert other["方案覆盖率（%）"] == 88.4 and other["方案工作人员（人）"] == 0


def test_infeasible_plan_gets_the_summary_with_its_reasons() -> None:
    infeasible = solve(DS, scenario(staff_total=1, min_staff=LevelValues(4, 0, 0)))
    wb = _book(infeasible)
    assert wb.sheetnames == ["概要"]
    texts = [str(row[0]) for row in wb["概要"].iter_rows(values_only=True) if row[0]]
    reasons = plan_notes(infeasible, "zh")
    assert texts[-len(reasons) - 1 :] == ["未得到方案的原因", *reasons]
    assert any("最低配置标准" in line for line in reasons)
    en = _book(infeasible, "en")["Summary"]
    texts = [str(row[0]) for row in en.iter_rows(values_only=True) if row[0]]
    assert "Why there is no plan" in texts
    assert all(line in texts for line in plan_notes(infeasible, "en"))
    assert any("Minimum staffing" in line for line in plan_notes(infeasible, "en"))


def test_column_widths_count_chinese_characters_double(plan: Plan) -> None:
    assert display_width("明水街道") == 8 and display_width("ab1") == 3
    long = "长" * 20
    ds = replace(DS, grids=DS.grids.assign(name=[long, "x"]))
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(solve(ds, SCENARIO), ds, "zh")))
    assert wb["网格"].column_dimensions["B"].width == 42  # 40 columns of text + 2


def test_control_characters_do_not_break_the_workbook(plan: Plan) -> None:
    ds = replace(DS, grids=DS.grids.assign(name=["a\x01b", "c\x1fd"]))
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(solve(ds, SCENARIO), ds, "zh")))
    assert _column(wb["网格"], "名称") == ["a\ufffdb", "c\ufffdd"]


def test_csv_keeps_english_headers_and_rounds_like_the_workbook(plan: Plan) -> None:
    centers = pd.read_csv(io.BytesIO(plan_csv_bytes(plan, "centers")), encoding="utf-8-sig")
    assert list(centers.columns[:5]) == ["center_id", "name", "level", "staff0", "staff"]
    row = centers.iloc[0]
    assert (row["staff"], row["funds_cny"], row["staff_hours"]) == (2.3, 1235, 3753)
    assert row["name"] == "'=HYPERLINK(1)"
    text = plan_csv_bytes(plan, "grids").decode("utf-8-sig").splitlines()
    assert text[0].startswith("grid_id,name,street,priority,demand_hours,served_hours,coverage")
    assert text[2] == "G1,'-x,'@a,1.0,2000,1768,0.884,0.0,False"
