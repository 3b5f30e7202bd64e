"""Uploads become new dataset folders: size limits, zip-slip, names, no overwrite."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from govopt.data.errors import DataError
from govopt.data.upload import save_upload, uploads_dir
from govopt.i18n import problem_message


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_files_one_by_one_land_in_a_new_folder(tmp_path: Path) -> None:
    a = save_upload([("centers.csv", b"center_id\nC1\n"), ("standards.csv", b"x")], tmp_path)
    b = save_upload([("centers.csv", b"center_id\nC2\n")], tmp_path)
    assert a != b
    assert a.parent == uploads_dir(tmp_path) == b.parent
    assert (a / "centers.csv").read_bytes() == b"center_id\nC1\n"
    assert (b / "centers.csv").read_bytes() == b"center_id\nC2\n"
    assert sorted(p.name for p in a.iterdir()) == ["centers.csv", "standards.csv"]


def test_zip_of_a_folder_returns_the_inner_folder(tmp_path: Path) -> None:
    data = _zip({"district/centers.csv": b"c", "district/grids.geojson": b"g", "__MACOSX/x": b""})
    folder = save_upload([("district.zip", data)], tmp_path)
    assert folder.name == "district"
    assert (folder / "grids.geojson").read_bytes() == b"g"


def test_zipped_shapefile_of_grids_is_kept_as_a_file(tmp_path: Path) -> None:
    folder = save_upload([("grids.zip", _zip({"grids.shp": b"s"})), ("c.csv", b"c")], tmp_path)
    assert (folder / "grids.zip").is_file()


@pytest.mark.parametrize("evil", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv", "C:/x.csv"])
def test_zip_slip_is_refused_and_nothing_is_written(tmp_path: Path, evil: str) -> None:
    data = _zip({"centers.csv": b"c", evil: b"boom"})
    with pytest.raises(DataError) as info:
        save_upload([("d.zip", data)], tmp_path / "home")
    assert info.value.problems[0].file == evil
    assert "outside the dataset folder" in problem_message(info.value.problems[0])
    assert not (tmp_path / "evil.csv").exists()
    assert list(uploads_dir(tmp_path / "home").iterdir()) == []


def test_over_size_upload_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        save_upload([("big.zip", b"x" * 2048)], tmp_path, max_bytes=1024)
    p = info.value.problems[0]
    assert (p.file, p.code) == ("big.zip", "too_large")
    assert "the limit is 0.0 MB" in problem_message(p)
    assert "上限" in problem_message(p, "zh")
    assert not uploads_dir(tmp_path).exists()


def test_zip_bomb_is_refused_by_unzipped_size(tmp_path: Path) -> None:
    data = _zip({"centers.csv": b"0" * 50_000})
    assert len(data) < 50_000
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.infolist()[0].file_size == 50_000
    with pytest.raises(DataError) as info:
        save_upload([("d.zip", data)], tmp_path, max_bytes=10_000)
    assert "limit" in problem_message(info.value.problems[0])


def test_bad_names_duplicates_and_broken_zip(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        save_upload([("photo.exe", b"x"), ("a.csv", b"1"), ("dir/a.csv", b"2")], tmp_path)
    assert [p.file for p in info.value.problems] == ["photo.exe", "a.csv"]
    with pytest.raises(DataError) as info:
        save_upload([("d.zip", b"not a zip")], tmp_path)
    assert "not a readable zip" in problem_message(info.value.problems[0])
    with pytest.raises(DataError) as info:
        save_upload([], tmp_path)
    assert "no file was uploaded" in problem_message(info.value.problems[0])
