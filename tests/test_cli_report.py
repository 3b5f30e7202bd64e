"""``govopt solve --xlsx`` and ``govopt report``: the files, exit codes and messages."""

from __future__ import annotations

import html
import json
from pathlib import Path

import openpyxl
import pytest
from model_cases import C, G, make_case

from govopt.cli import main
from govopt.data.io import write_dataset
from govopt.output.plan_reader import read_plan
from govopt.output.words import explain_infeasible

# Two grids of 2,000 h; 2 staff = 3,200 h: G0 (priority 1.5) in full, G1 60 %.
SCENARIO = """\
name = "two-staff"
objective = "coverage"
coverage_target = 0.8
[budget]
staff_total = 2
funds_total_cny = 0
[policy]
min_staff = { street = 0, community = 0, grid = 0 }
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    ds = make_case(
        [G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0, name="-danger", staff=1)]
    )
    folder = tmp_path / "district"
    write_dataset(ds, folder)
    (folder / "scenario.toml").write_text(SCENARIO, encoding="utf-8")
    return folder


@pytest.fixture
def plan_dir(data_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "plan"
    assert main(["solve", str(data_dir), "--out", str(out)]) == 0
    return out


def test_solve_writes_the_workbook_in_chinese_by_default(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = tmp_path / "books" / "plan.xlsx"
    assert main(["solve", str(data_dir), "--out", str(tmp_path / "p"), "--xlsx", str(xlsx)]) == 0
    assert f"已写出 Excel 工作簿 {xlsx}" in capsys.readouterr().out
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["概要", "中心", "网格", "街道"]
    centers = wb["中心"]
    assert [c.value for c in centers[1]][:4] == ["中心编号", "名称", "层级", "现有工作人员（人）"]
    assert centers["B2"].value == "-danger" and centers["B2"].quotePrefix
    assert [c.value for c in wb["网格"]["H"][1:]] == [100, 60]


def test_solve_writes_the_workbook_in_english(data_dir: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "plan.xlsx"
    args = ["solve", str(data_dir), "--out", str(tmp_path / "p"), "--xlsx", str(xlsx)]
    assert main([*args, "--lang", "en"]) == 0
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Summary", "Centers", "Grids", "Streets"]
    assert wb["Centers"]["C2"].value == "street"


def test_infeasible_solve_still_writes_the_workbook_with_its_reasons(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.replace("street = 0", "street = 4"), encoding="utf-8")
    xlsx = tmp_path / "plan.xlsx"
    args = ["solve", str(data_dir), "--scenario", str(bad), "--out", str(tmp_path / "p")]
    assert main([*args, "--xlsx", str(xlsx), "--lang", "en"]) == 2
    assert "wrote the Excel workbook" in capsys.readouterr().out
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Summary"]
    texts = [row[0] for row in wb["Summary"].iter_rows(values_only=True)]
    reasons = json.loads((tmp_path / "p" / "summary.json").read_text("utf-8"))["explanation"]
    assert reasons and any("4" in line for line in reasons)  # minimum staffing: 4 > 2
    assert all(line in texts for line in reasons)


def test_workbook_that_cannot_be_written_is_exit_1(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    args = ["solve", str(data_dir), "--out", str(tmp_path / "p"), "--xlsx", str(blocker / "a.xlsx")]
    assert main([*args, "--lang", "en"]) == 1
    assert "a.xlsx" in capsys.readouterr().err


def test_report_reads_the_solve_folder(
    data_dir: Path, plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "report.html"
    assert main(["report", str(data_dir), "--plan", str(plan_dir), "--out", str(out)]) == 0
    assert f"已写出报告 {out}" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "资源配置方案报告：two-staff" in page
    # 1 staff today: 1,600 of 4,000 h (40 %); the plan's 2 staff: 3,200 h (80 %).
    assert '<td>全区覆盖率（%）</td><td class="n">40.0%</td><td class="n">80.0%</td>' in page
    assert "可达中心可增员，但预算已用完" in page  # from summary.json's below_target
    assert "-danger" in page


def test_report_in_english(data_dir: Path, plan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(data_dir), "--plan", str(plan_dir), "--out", str(out), "--lang", "en"]
    assert main(args) == 0
    assert "Resource plan report: two-staff" in out.read_text(encoding="utf-8")


def test_plan_folder_round_trips_and_keeps_the_causes(plan_dir: Path) -> None:
    summary = json.loads((plan_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["below_target"]["counts"] == {
        "no_center_in_reach": 0,
        "centers_full": 0,
        "budget_binds": 1,
        "served_elsewhere": 0,
    }
    assert summary["below_target"]["grids"] == [{"grid_id": "G1", "cause": "budget_binds"}]
    found = read_plan(plan_dir)
    plan = found.plan
    assert plan.optimal and plan.scenario.name == "two-staff"
    assert plan.kpis is not None and plan.kpis.coverage == pytest.approx(0.8)
    assert plan.centers["name"].tolist() == ["-danger"]  # the ' of the CSV taken off
    assert plan.grids["coverage"].tolist() == [1.0, 0.6]
    assert plan.grids["unreachable"].tolist() == [False, False]
    assert found.causes == {"G1": "budget_binds"}
    assert summary["kpis_today"]["coverage"] == pytest.approx(0.4)  # 1 staff today
    assert found.today is not None and found.today.coverage == pytest.approx(0.4)
    assert found.today.staff_used == pytest.approx(1.0)


def test_missing_plan_folder_says_what_to_pass(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    args = ["report", str(data_dir), "--plan", str(missing), "--out", str(tmp_path / "r.html")]
    assert main([*args, "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert f"{missing}: the plan folder cannot be used" in err
    assert "summary.json: not found in" in err and "govopt solve ... --out OUT_DIR" in err
    assert not (tmp_path / "r.html").exists()
    assert main(args) == 1
    assert "请指定 `govopt solve ... --out OUT_DIR` 写出的文件夹" in capsys.readouterr().err


def test_plan_folder_without_its_tables_or_with_bad_numbers(
    data_dir: Path, plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", str(data_dir), "--plan", str(plan_dir), "--out", str(tmp_path / "r.html")]
    grids = plan_dir / "grids_coverage.csv"
    text = grids.read_text(encoding="utf-8-sig")
    grids.write_text(text.replace(",0.6,", ",lots,"), encoding="utf-8-sig")
    assert main([*args, "--lang", "en"]) == 1
    assert "grids_coverage.csv, row 2, column coverage" in capsys.readouterr().err
    grids.unlink()
    assert main([*args, "--lang", "en"]) == 1
    assert "grids_coverage.csv: not found in" in capsys.readouterr().err
    centers = plan_dir / "centers_plan.csv"
    text = centers.read_text(encoding="utf-8-sig")
    assert ",street,1.0,2.0," in text
    centers.write_text(text.replace(",street,1.0,2.0,", ",street,1.0,two,"), encoding="utf-8-sig")
    assert main([*args, "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "centers_plan.csv, row 1, column staff: not a number" in err
    assert "write plain numbers" in err
    (plan_dir / "summary.json").write_text("{broken", encoding="utf-8")
    assert main([*args, "--lang", "en"]) == 1
    assert "summary.json: cannot be read" in capsys.readouterr().err


def test_plan_of_another_dataset_is_refused(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    write_dataset(make_case([G(0, 0, 100)], [C(0, 0)]), other)
    args = ["report", str(other), "--plan", str(plan_dir), "--out", str(tmp_path / "r.html")]
    assert main([*args, "--lang", "en"]) == 1
    assert "was not solved on" in capsys.readouterr().err


def test_infeasible_plan_folder_gives_a_report_of_the_reasons(
    data_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.replace("street = 0", "street = 4"), encoding="utf-8")
    plan = tmp_path / "p"
    assert main(["solve", str(data_dir), "--scenario", str(bad), "--out", str(plan)]) == 2
    out = tmp_path / "r.html"
    args = ["report", str(data_dir), "--plan", str(plan), "--out", str(out), "--lang", "en"]
    assert main(args) == 0
    reasons = explain_infeasible(read_plan(plan).plan, "en")  # worded again from the records
    assert reasons and any("Minimum staffing" in line for line in reasons)
    page = out.read_text("utf-8")
    assert all(html.escape(line) in page for line in reasons)
