"""`govopt validate`: exit 0 when the folder loads, 1 otherwise, and never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CENTERS_CSV, WORK_ORDERS_CSV

from govopt.cli import main


def test_valid_folder_exits_zero(
    tiny_dataset_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tiny_dataset_dir)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 errors, 0 warnings"


def test_warnings_alone_exit_zero(
    tiny_dataset_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny_dataset_dir / "work_orders.csv").write_text(
        WORK_ORDERS_CSV.replace("WO0009,0203", "WO0009,9999"), encoding="utf-8"
    )
    assert main(["validate", str(tiny_dataset_dir)]) == 0
    out = capsys.readouterr().out
    assert "WARNING work_orders.csv, row 9, column grid_id" in out
    assert out.splitlines()[-1] == "0 errors, 1 warning"


def test_errors_exit_one_and_list_every_problem(
    tiny_dataset_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny_dataset_dir / "centers.csv").write_text(
        CENTERS_CSV.replace(",street,", ",town,").replace(",80000,", ",8万,"), encoding="utf-8"
    )
    (tiny_dataset_dir / "standards.csv").unlink()
    assert main(["validate", str(tiny_dataset_dir), "--lang", "zh"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "3个错误，0个警告"
    assert any("centers.csv，第1行，列 level" in ln for ln in lines)
    assert any("centers.csv，第2行，列 funds_cny" in ln for ln in lines)
    assert any(ln.startswith("错误 standards.csv") for ln in lines)


@pytest.mark.parametrize("kind", ["missing", "file", "empty_zip"])
def test_odd_paths_exit_one(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    target = tmp_path / ("data.zip" if kind == "empty_zip" else "data")
    if kind != "missing":
        target.write_bytes(b"")
    assert main(["validate", str(target)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.out.splitlines()[-1] == "1 error, 0 warnings"


def test_subprocess_prints_problems_without_traceback(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "grids.geojson").write_bytes(b"\x00\x01 not json")
    run = subprocess.run(
        [sys.executable, "-m", "govopt.cli", "validate", str(tiny_dataset_dir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stdout.startswith("ERROR grids.geojson: the file cannot be read")
