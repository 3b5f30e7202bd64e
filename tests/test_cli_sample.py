"""``govopt sample``: never writes over a folder that holds files unless told to."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fs_support import snapshot

from govopt.cli import main
from govopt.data.validate import load_dataset, validate_folder


def _users_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "district"
    folder.mkdir()
    (folder / "centers.csv").write_text("center_id,name\nC1,my own center\n", encoding="utf-8")
    (folder / "work_orders.csv.gz").write_bytes(b"\x1f\x8b my orders")
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    return folder


def test_non_empty_folder_is_refused_and_left_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _users_folder(tmp_path)
    before = snapshot(folder)
    assert main(["sample", str(folder), "--grids", "20", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert str(folder) in err and "is not empty" in err and "--force" in err
    assert "centers.csv" in err and "Traceback" not in err
    assert snapshot(folder) == before


def test_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "grids.geojson"
    target.write_text("{}", encoding="utf-8")
    assert main(["sample", str(target), "--grids", "20", "--force", "--lang", "en"]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "{}"


def test_force_replaces_the_dataset_files(tmp_path: Path) -> None:
    folder = _users_folder(tmp_path)
    assert main(["sample", str(folder), "--grids", "20", "--force"]) == 0
    # the sample writes its own log there, chunk by chunk, over the planner's file
    with gzip.open(folder / "work_orders.csv.gz", "rb") as fh:
        assert fh.read(12) == b"\xef\xbb\xbforder_id,"
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert validate_folder(folder).ok


@pytest.mark.parametrize("make", [False, True])
def test_new_or_empty_folder_needs_no_force(tmp_path: Path, make: bool) -> None:
    folder = tmp_path / "new" / "district"
    if make:
        folder.mkdir(parents=True)
    assert main(["sample", str(folder), "--grids", "20"]) == 0
    assert validate_folder(folder).ok


def test_counts_only_writes_the_counts_and_removes_a_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _users_folder(tmp_path)
    assert main(["sample", str(folder), "--grids", "20", "--force", "--counts-only"]) == 0
    assert not (folder / "work_orders.csv.gz").exists()
    assert (folder / "work_order_counts.csv").is_file()
    total = load_dataset(folder).orders_total
    assert f"{total:,} work-order counts" in capsys.readouterr().out
    assert total == round(600_000 * 20 / 1076)
