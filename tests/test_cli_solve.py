"""``govopt solve``: exit codes 0 / 2 / 1 and the files it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from language import english_runs
from model_cases import C, G, make_case

from govopt.cli import main
from govopt.data.io import write_dataset

SCENARIO = """\
name = "two-staff"
objective = "coverage"
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


def test_optimal_exit_0_and_files(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan"
    assert main(["solve", str(data_dir), "--out", str(out), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "optimal" in printed and "district coverage 80.0%" in printed
    raw = (out / "centers_plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "'-danger" in raw.decode("utf-8-sig")
    assert (out / "grids_coverage.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal"
    assert summary["objective"] == pytest.approx(4200.0, abs=1e-4)
    assert summary["solver"] == "network"


def test_solver_and_scenario_options(data_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "three.toml"
    other.write_text(SCENARIO.replace("staff_total = 2", "staff_total = 3"), encoding="utf-8")
    out = tmp_path / "plan"
    code = main(
        [
            "solve",
            str(data_dir),
            "--scenario",
            str(other),
            "--out",
            str(out),
            "--solver",
            "cbc",
            "--time-limit",
            "60",
        ]
    )
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["solver"] == "cbc"
    assert summary["scenario"]["budget"]["staff_total"] == 3
    # 3 staff = 4,800 h >= 4,000 h demand: 1.5*2000 + 1*2000 = 5000
    assert summary["objective"] == pytest.approx(5000, abs=1e-3)


def test_infeasible_exit_2_prints_the_explanation(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.replace("street = 0", "street = 4"), encoding="utf-8")
    out = tmp_path / "plan"
    args = ["solve", str(data_dir), "--scenario", str(bad), "--out", str(out), "--lang", "en"]
    assert main(args) == 2
    printed = capsys.readouterr().out
    # Both policies of the conflict, each with its numbers.
    assert "The staff budget allows 2 staff; with minimum staffing, the plan needs 4." in printed
    assert (
        "Minimum staffing asks 4 staff at 1 center; with the staff budget, at most 2 are possible."
        in printed
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "infeasible"
    assert not (out / "centers_plan.csv").exists()


def test_bad_scenario_file_exit_1(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('objective = "fastest"\n[budget]\nstaff_total = -5\n', encoding="utf-8")
    assert main(["solve", str(data_dir), "--scenario", str(bad), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "bad.toml" in err and "fastest" in err and "staff_total" in err
    assert "Traceback" not in err


def test_missing_scenario_file_exit_1(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "solve",
            str(data_dir),
            "--scenario",
            str(tmp_path / "nope.toml"),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 1
    assert "nope.toml" in capsys.readouterr().err


def test_bad_dataset_exit_1_names_the_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data_dir / "centers.csv").unlink()
    assert main(["solve", str(data_dir), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "centers.csv" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_time_limited_run_removes_the_plan_tables_of_an_earlier_run(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan"
    assert main(["solve", str(data_dir), "--out", str(out)]) == 0
    capsys.readouterr()
    args = ["solve", str(data_dir), "--out", str(out), "--time-limit", "1e-6", "--lang", "en"]
    code = main(args)
    printed = capsys.readouterr().out
    assert code == 1
    assert "removed centers_plan.csv, grids_coverage.csv" in printed
    assert "time limit of 1e-06 s" in printed and "--time-limit none" in printed
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "time_limit"
    assert summary["scenario"]["solver_options"]["time_limit_s"] == 1e-6


def test_infeasible_run_after_an_optimal_one_leaves_only_its_summary(
    data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan"
    assert main(["solve", str(data_dir), "--out", str(out)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.replace("street = 0", "street = 4"), encoding="utf-8")
    assert main(["solve", str(data_dir), "--scenario", str(bad), "--out", str(out)]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]


def test_default_limit_is_60_s_and_none_lifts_it(data_dir: Path, tmp_path: Path) -> None:
    assert main(["solve", str(data_dir), "--out", str(tmp_path / "a")]) == 0
    first = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    assert first["scenario"]["solver_options"]["time_limit_s"] == 60
    args = ["solve", str(data_dir), "--out", str(tmp_path / "b"), "--time-limit", "none"]
    assert main(args) == 0
    second = json.loads((tmp_path / "b" / "summary.json").read_text(encoding="utf-8"))
    assert second["scenario"]["solver_options"]["time_limit_s"] is None
    assert second["objective"] == pytest.approx(first["objective"])


@pytest.mark.parametrize("value", ["0", "-5", "soon", "inf"])
def test_bad_time_limit_is_a_message(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code = main(["solve", str(data_dir), "--out", str(tmp_path / "o"), "--time-limit", value])
    assert code == 1
    err = capsys.readouterr().err
    assert "--time-limit" in err and "none for no limit" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_infeasible_in_chinese_by_default(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.replace("street = 0", "street = 4"), encoding="utf-8")
    out = tmp_path / "plan"
    assert main(["solve", str(data_dir), "--scenario", str(bad), "--out", str(out)]) == 2
    printed = capsys.readouterr().out
    assert "人员预算只允许 2 名工作人员；受最低配置标准约束，方案需要 4 名。" in printed
    assert "无可行解" in printed
    assert english_runs(printed) == [], printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["lang"] == "zh"
    assert summary["explanation"] == [
        "人员预算只允许 2 名工作人员；受最低配置标准约束，方案需要 4 名。",
        "最低配置标准要求 1 个中心共 4 名工作人员；受人员预算约束，最多只能配置 2 名。",
    ]
    assert summary["conflicts"] == [
        {
            "family": "budget_staff",
            "need": 4.0,
            "allowed": 2.0,
            "count": 1,
            "extra": 2.0,
            "cause": None,
            "others": ["min_staff"],
        },
        {
            "family": "min_staff",
            "need": 4.0,
            "allowed": 2.0,
            "count": 1,
            "extra": 2.0,
            "cause": None,
            "others": ["budget_staff"],
        },
    ]


def test_bad_scenario_in_chinese(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('objective = "fastest"\n[budget]\nstaff_total = -5\n', encoding="utf-8")
    typo = tmp_path / "typo.toml"
    typo.write_text('staff_totl = 1\n[policy]\ninteger_staff = "yes"\n', encoding="utf-8")
    out = str(tmp_path / "o")
    assert main(["solve", str(data_dir), "--scenario", str(bad), "--out", out]) == 1
    err = capsys.readouterr().err
    assert "bad.toml：方案无法使用" in err
    assert "未知的优化目标“fastest”" in err and "staff_total 为 -5.0" in err
    assert english_runs(err) == [], err
    assert main(["solve", str(data_dir), "--scenario", str(typo), "--out", out]) == 1
    err = capsys.readouterr().err
    assert "未知设置“staff_totl”" in err and "integer_staff 必须为 true 或 false" in err
    assert english_runs(err) == [], err


def test_optimal_in_chinese(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["solve", str(data_dir), "--out", str(tmp_path / "plan")]) == 0
    printed = capsys.readouterr().out
    assert "求解器 network：最优" in printed and "全区覆盖率 80.0%" in printed
    assert english_runs(printed) == [], printed
