"""Plan files: Excel-safe CSV with BOM, summary JSON, GeoJSON and ZIP."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fs_support import snapshot
from model_cases import C, G, make_case, scenario

from govopt.data.schema import LevelValues
from govopt.optimize import solve
from govopt.output import export
from govopt.output.export import (
    excel_safe,
    excel_unsafe,
    grids_geojson_bytes,
    plan_csv_bytes,
    plan_zip_bytes,
    summary,
    write_plan,
)
from govopt.plan import Plan

DS = make_case([G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0, name="=HYPERLINK(1)")])


def test_excel_safe_neutralises_formula_text_only() -> None:
    df = pd.DataFrame({"t": ["=1+1", "+2", "-3", "@A", "\tx", "\rx", "普通", "a=b"], "n": range(8)})
    out = excel_safe(df)
    assert out["t"].tolist() == ["'=1+1", "'+2", "'-3", "'@A", "'\tx", "'\rx", "普通", "a=b"]
    assert out["n"].tolist() == list(range(8))
    assert df["t"].iloc[0] == "=1+1"  # the input is not changed


def test_csv_has_bom_and_neutralised_names() -> None:
    plan = solve(DS, scenario(staff_total=2))
    data = plan_csv_bytes(plan, "centers")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["name"].tolist() == ["'=HYPERLINK(1)"]
    assert back["staff"].tolist() == pytest.approx([2.0])
    grids = pd.read_csv(io.BytesIO(plan_csv_bytes(plan, "grids")), encoding="utf-8-sig")
    assert grids["coverage"].tolist() == pytest.approx([1.0, 0.6])
    with pytest.raises(ValueError, match="centers"):
        plan_csv_bytes(plan, "other")  # type: ignore[arg-type]


def test_write_plan_writes_three_files_and_summary_round_trips(tmp_path: Path) -> None:
    plan = solve(DS, scenario(staff_total=2))
    written = write_plan(plan, DS, tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "centers_plan.csv",
        "grids_coverage.csv",
        "summary.json",
    ]
    data = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert data["status"] == "optimal"
    assert data["objective"] == pytest.approx(4200.0, abs=1e-4)
    assert data["scenario"]["budget"]["staff_total"] == 2
    assert data["kpis"]["coverage"] == pytest.approx(0.8)
    assert data["marginal"]["per_staff"] == pytest.approx(1600.0, abs=1e-6)
    assert set(data["timings"]) >= {"demand", "links", "build", "solve", "extract", "total"}
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left


def test_summary_carries_the_marginal_values_and_their_words(tmp_path: Path) -> None:
    # One more staff member: grid B's last 800 h of 4,000 = 20 points (tests/test_marginal.py).
    plan = solve(DS, scenario(staff_total=2))
    write_plan(plan, DS, tmp_path, lang="zh")
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    marginal = data["marginal"]
    assert marginal["per_staff_points"] == pytest.approx(20.0, abs=1e-6)
    assert marginal["per_staff_hours"] == pytest.approx(800.0, abs=1e-6)
    assert marginal["per_10k_hours"] == pytest.approx(125.0, abs=1e-6)
    assert marginal["per_10_transfers_points"] is None  # no transfer limit set
    [top] = marginal["top_centers"]
    assert top["name"] == "=HYPERLINK(1)" and top["gain_hours"] == pytest.approx(800.0, abs=1e-6)
    assert data["marginal_explanation"][0] == (
        "一名额外工作人员可使全区覆盖率提高 20.00 个百分点（约 800 小时/年）。"
    )


def test_infeasible_plan_writes_only_the_summary(tmp_path: Path) -> None:
    plan = solve(DS, scenario(staff_total=1, min_staff=LevelValues(4, 0, 0)))
    written = write_plan(plan, DS, tmp_path)
    assert [p.name for p in written] == ["summary.json"]
    data = summary(plan)
    assert data["status"] == "infeasible"
    assert data["objective"] is None
    assert data["explanation"] == [
        "The staff budget allows 1 staff; with minimum staffing, the plan needs 4.",
        "Minimum staffing asks 4 staff at 1 center; with the staff budget, at most 1 are possible.",
    ]


def test_summary_carries_conflicts_and_words_them_in_the_chosen_language() -> None:
    plan = solve(DS, scenario(staff_total=1, min_staff=LevelValues(4, 0, 0)))
    en, zh = summary(plan), summary(plan, "zh")
    budget = {
        "family": "budget_staff",
        "need": 4.0,
        "allowed": 1.0,
        "count": 1,
        "extra": 3.0,
        "cause": None,
        "others": ["min_staff"],
    }
    floor = budget | {"family": "min_staff", "others": ["budget_staff"]}
    assert en["conflicts"] == zh["conflicts"] == [budget, floor]
    assert (en["lang"], zh["lang"]) == ("en", "zh")
    assert en["message"] == "no plan meets every policy at once; see the explanation"
    assert zh["explanation"] == [
        "人员预算只允许 1 名工作人员；受最低配置标准约束，方案需要 4 名。",
        "最低配置标准要求 1 个中心共 4 名工作人员；受人员预算约束，最多只能配置 1 名。",
    ]
    assert zh["message"] == "没有能同时满足全部政策的方案，原因见上。"
    assert summary(solve(DS, scenario(staff_total=2)))["conflicts"] == []

    plan = solve(DS, scenario(staff_total=2))
    gj = json.loads(grids_geojson_bytes(plan, DS))
    props = [f["properties"] for f in gj["features"]]
    assert [p["grid_id"] for p in props] == ["G0", "G1"]
    assert [p["coverage"] for p in props] == pytest.approx([1.0, 0.6])
    lon, lat = gj["features"][0]["geometry"]["coordinates"][0][0]
    assert 116 < lon < 118 and 36 < lat < 37.5


def test_zip_holds_every_file() -> None:
    plan = solve(DS, scenario(staff_total=2))
    with zipfile.ZipFile(io.BytesIO(plan_zip_bytes(plan, DS))) as zf:
        assert sorted(zf.namelist()) == [
            "centers_plan.csv",
            "grids_coverage.csv",
            "grids_coverage.geojson",
            "summary.json",
        ]
        assert zf.read("centers_plan.csv").startswith(b"\xef\xbb\xbf")


def test_excel_safe_has_an_exact_inverse() -> None:
    texts = ["=1+1", "+86", "-01", "@A", "\tx", "\rx", "'=x", "''-y", "'plain", "'", "a=b", "普通"]
    df = pd.DataFrame({"t": texts, "n": range(len(texts))})
    safe = excel_safe(df)
    assert safe["t"].tolist()[6:8] == ["''=x", "'''-y"]
    assert safe["t"].tolist()[8:] == ["'plain", "'", "a=b", "普通"]
    assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in safe["t"])
    written = export._csv_bytes(df)  # what the plan files hold
    back = excel_unsafe(pd.read_csv(io.BytesIO(written), encoding="utf-8-sig"))
    assert back["t"].tolist() == texts
    assert back["n"].tolist() == list(range(len(texts)))


def _infeasible() -> Plan:
    return solve(DS, scenario(staff_total=1, min_staff=LevelValues(4, 0, 0)))


def test_non_optimal_run_removes_the_plan_tables_of_an_earlier_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan(solve(DS, scenario(staff_total=2)), DS, out)
    (out / "map.html").write_text("the planner's own file", encoding="utf-8")
    written = write_plan(_infeasible(), DS, out)
    assert [p.name for p in written] == ["summary.json"]
    assert sorted(p.name for p in out.iterdir()) == ["map.html", "summary.json"]
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["status"] == "infeasible"
    assert (out / "map.html").read_text(encoding="utf-8") == "the planner's own file"


def test_plan_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_plan(solve(DS, scenario(staff_total=2)), DS, tmp_path / "a")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "a").iterdir()}
    assert modes == dict.fromkeys(["centers_plan.csv", "grids_coverage.csv", "summary.json"], 0o640)
    old = os.umask(0o022)
    try:
        write_plan(solve(DS, scenario(staff_total=2)), DS, tmp_path / "a")
    finally:
        os.umask(old)
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "a").iterdir()} == {0o644}


def test_failed_write_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_plan(solve(DS, scenario(staff_total=2)), DS, out)
    before = snapshot(out)
    real = export._temp_file
    calls: list[str] = []

    def full_disk(path: Path, data: bytes) -> Path:
        calls.append(path.name)
        if path.name == "summary.json":
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(export, "_temp_file", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_plan(solve(DS, scenario(staff_total=3)), DS, out)
    assert calls == ["centers_plan.csv", "grids_coverage.csv", "summary.json"]
    assert snapshot(out) == before  # old set intact, no temporary files left
