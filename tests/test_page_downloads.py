"""The Excel workbook and the printable report offered on the what-if and scenarios pages."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from apptest_support import new_app, run
from streamlit.testing.v1 import AppTest

from govopt.data.dataset import Dataset
from govopt.i18n import t
from govopt.optimize import solve
from govopt.output.store import open_store


def _labels(at: AppTest) -> list[str]:
    return [str(b.proto.label) for b in at.get("download_button")]


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_if_offers_excel_and_report_in_the_language(
    lang: str, downloads: dict[str, bytes]
) -> None:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    run(at)
    at.button[0].click()
    run(at)
    labels = _labels(at)
    for key in ("wi.download_centers", "wi.download_grids", "out.dl_xlsx", "out.dl_report"):
        assert t(key, lang) in labels  # type: ignore[arg-type]
    if lang == "zh":
        assert "CSV，英文列名，供程序读取" in t("wi.download_centers", "zh")
        assert "Excel，中文表头" in t("out.dl_xlsx", "zh")
    wb = openpyxl.load_workbook(io.BytesIO(downloads["tiny.xlsx"]))
    centers = wb[t("out.sheet.centers", lang)]  # type: ignore[arg-type]
    assert centers["A1"].value == t("out.col.center_id", lang)  # type: ignore[arg-type]
    assert sorted(c.value for c in centers["A"][1:]) == ["C01", "S01", "W01"]
    page = downloads["tiny_report.html"].decode("utf-8")
    assert t("out.kpi.coverage", lang) in page  # type: ignore[arg-type]
    assert "<script" not in page


def test_scenarios_page_exports_a_saved_plan_as_excel_and_report(
    app_env: Path, tiny_dataset: Dataset, downloads: dict[str, bytes]
) -> None:
    assert tiny_dataset.scenario is not None
    plan = solve(tiny_dataset, tiny_dataset.scenario.replace(name="更多 人员"))
    open_store(app_env).save("更多 人员", plan, dataset="tiny")
    at = new_app("zh")
    at.switch_page("pages/scenarios.py")
    run(at)
    wb = openpyxl.load_workbook(io.BytesIO(downloads["更多_人员.xlsx"]))
    assert wb.sheetnames == ["概要", "中心", "网格", "街道"]
    assert wb["概要"]["A1"].value == "资源配置方案：更多 人员"
    assert "资源配置方案报告：更多 人员" in downloads["更多_人员_report.html"].decode("utf-8")


@pytest.mark.usefixtures("app_env")
def test_infeasible_what_if_offers_the_reasons_as_excel(downloads: dict[str, bytes]) -> None:
    at = new_app("en")
    at.switch_page("pages/what_if.py")
    run(at)
    at.number_input(key="sf_staff_total").set_value(2.0)  # below the minimum staffing
    at.button[0].click()
    run(at)
    wb = openpyxl.load_workbook(io.BytesIO(downloads["tiny.xlsx"]))
    assert wb.sheetnames == ["Summary"]
    texts = [str(row[0]) for row in wb["Summary"].iter_rows(values_only=True) if row[0]]
    assert "Why there is no plan" in texts
    assert any("staff" in line for line in texts[texts.index("Why there is no plan") + 1 :])
    assert "Why there is no plan" in downloads["tiny_report.html"].decode("utf-8")
