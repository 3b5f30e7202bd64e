"""`govopt map`: a standalone offline HTML file, and clear messages on bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import TINY_GRID_IDS

from govopt.cli import main


def _features(page: str) -> list[dict[str, object]]:
    best: list[dict[str, object]] = []
    for m in re.finditer(r"\.addData\((\{.*?\})\);\n", page):
        feats = json.loads(m.group(1))["features"]
        if feats and "grid_id" in feats[0]["properties"]:
            best = feats
    return best


def _write_plan(folder: Path, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "grid_id,demand_hours,served_hours,coverage\n" + "".join(
        f"{gid},100,50,{cov}\n" for gid, cov in rows
    )
    (folder / "grids_coverage.csv").write_text(text, encoding="utf-8-sig")
    return folder


def test_map_without_plan_writes_a_standalone_page(tiny_dataset_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "map.html"
    assert main(["map", str(tiny_dataset_dir), "--out", str(out), "--lang", "en"]) == 0
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    feats = _features(page)
    assert feats, "no grid layer in the page"
    assert sorted(str(f["properties"]["grid_id"]) for f in feats) == sorted(TINY_GRID_IDS)  # type: ignore[index]
    assert "Staff within reach per 10,000 residents" in page


def test_map_with_plan_colors_grids_by_coverage(
    tiny_dataset_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write_plan(
        tmp_path / "plan", [(g, "0.1" if g == "0101" else "0.9") for g in TINY_GRID_IDS]
    )
    out = tmp_path / "map.html"
    assert main(["map", str(tiny_dataset_dir), "--plan", str(plan), "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    colors = {
        f["properties"]["grid_id"]: f["properties"]["fc"] for f in _features(out.read_text("utf-8"))
    }  # type: ignore[index]
    assert colors["0101"] == "#d7191c"  # 0-20 %
    assert colors["0102"] == "#1a9641"  # 80-100 %
    assert "方案覆盖率" in out.read_text("utf-8")


def test_missing_plan_file_names_it(
    tiny_dataset_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["map", str(tiny_dataset_dir), "--plan", str(tmp_path), "--out", str(tmp_path / "m.html")]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "grids_coverage.csv" in err and "govopt solve" in err
    assert "Traceback" not in err
    assert not (tmp_path / "m.html").exists()


def test_plan_without_coverage_column_names_the_column(
    tiny_dataset_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "grids_coverage.csv").write_text("grid_id,served\n0101,3\n", encoding="utf-8")
    code = main(
        [
            "map",
            str(tiny_dataset_dir),
            "--plan",
            str(plan),
            "--out",
            str(tmp_path / "m.html"),
            "--lang",
            "en",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "grids_coverage.csv, column coverage" in err


def test_plan_with_text_coverage_names_the_row(
    tiny_dataset_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write_plan(tmp_path / "plan", [("0101", "0.5"), ("0102", "lots")])
    code = main(
        [
            "map",
            str(tiny_dataset_dir),
            "--plan",
            str(plan),
            "--out",
            str(tmp_path / "m.html"),
            "--lang",
            "en",
        ]
    )
    assert code == 1
    assert "grids_coverage.csv, row 2, column coverage" in capsys.readouterr().err


def test_plan_of_another_dataset_is_refused(
    tiny_dataset_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write_plan(tmp_path / "plan", [("X999", "0.5")])
    code = main(
        ["map", str(tiny_dataset_dir), "--plan", str(plan), "--out", str(tmp_path / "m.html")]
    )
    assert code == 1
    assert "'X999'" in capsys.readouterr().err


def test_missing_data_folder_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["map", str(tmp_path / "none"), "--out", str(tmp_path / "m.html")]) == 1
    assert "Traceback" not in capsys.readouterr().err


FORMULA_IDS = {
    "0101": "=SUM(1)",
    "0102": "+86",
    "0103": "-01",
    "0201": "@grid",
    "0202": "'=quoted",
    "0203": "=A1+1",
}


def _rename_grids(folder: Path) -> None:
    """Give the tiny dataset's grids the ids in FORMULA_IDS, in every file that names them."""
    for name in ("grids.geojson", "work_orders.csv", "surveys.csv"):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in FORMULA_IDS.items():
            if name.endswith(".geojson"):
                text = text.replace(f'"{old}"', json.dumps(new))
            else:
                text = text.replace(f"{old},", f"{new},")
        path.write_text(text, encoding="utf-8")


def test_map_reads_its_own_solve_output_with_formula_like_grid_ids(
    tiny_dataset_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rename_grids(tiny_dataset_dir)
    plan = tmp_path / "plan"
    assert main(["solve", str(tiny_dataset_dir), "--out", str(plan)]) == 0
    written = (plan / "grids_coverage.csv").read_text(encoding="utf-8-sig")
    assert "'=SUM(1)" in written and "''=quoted" in written  # neutralised for spreadsheets
    out = tmp_path / "map.html"
    code = main(["map", str(tiny_dataset_dir), "--plan", str(plan), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    ids = sorted(str(f["properties"]["grid_id"]) for f in _features(out.read_text("utf-8")))  # type: ignore[index]
    assert ids == sorted(FORMULA_IDS.values())
    from govopt.cli.map import read_plan_coverage

    coverage = read_plan_coverage(plan)
    assert sorted(coverage.index) == sorted(FORMULA_IDS.values())
    assert coverage.notna().all() and ((coverage >= 0) & (coverage <= 1)).all()
