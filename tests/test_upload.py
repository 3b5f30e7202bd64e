"""Uploads become new dataset folders: size limits, zip-slip, names, no overwrite."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from govopt.data.errors import DataError
from govopt.data.io import READ_SUFFIXES
from govopt.data.upload import (
    ALLOWED_SUFFIXES,
    save_upload,
    upload_id,
    upload_types,
    uploaded_datasets,
    uploads_dir,
)
from govopt.output.problem_text import problem_fix, problem_message


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


# ----- broken and hostile zips: refused, named, nothing left behind --------------

ROOT = Path(__file__).resolve().parent.parent
CSV = b"center_id,name\nC1,A\n"


def _leftovers(home: Path) -> list[Path]:
    root = uploads_dir(home)
    return sorted(root.rglob("*")) if root.exists() else []


def _patched(data: bytes, local: int, central: int, value: bytes) -> bytes:
    """``data`` (a one-entry zip) with a header field replaced in both headers."""
    at = data.find(b"PK\x01\x02")
    out = bytearray(data)
    out[local : local + len(value)] = value
    out[at + central : at + central + len(value)] = value
    return bytes(out)


def _one_entry(name: str = "centers.csv", data: bytes = CSV, method: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr(name, data)
    return buf.getvalue()


def _encrypted() -> bytes:
    """A zip whose entry is marked as password-protected (general purpose flag bit 0)."""
    return _patched(_one_entry(), 6, 8, (1).to_bytes(2, "little"))


def _duplicate() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z, pytest.warns(UserWarning, match="Duplicate name"):
        z.writestr("d/centers.csv", CSV)
        z.writestr("d/centers.csv", CSV + b"C2,B\n")
    return buf.getvalue()


def _corrupt_member() -> bytes:
    data = bytearray(_one_entry(data=b"center_id,name\n" + b"C1,A\n" * 2000, method=8))
    start = 30 + len("centers.csv")
    data[start + 10 : start + 40] = b"\xff" * 30
    return bytes(data)


HOSTILE = {
    "password": (_encrypted, "zip_encrypted", "centers.csv", "password"),
    "corrupt member": (_corrupt_member, "zip_member_broken", "centers.csv", "cannot be unpacked"),
    "duplicate entry": (_duplicate, "bad_file_name", "d/centers.csv", "more than once"),
    "unknown compression": (
        lambda: _patched(_one_entry(), 8, 10, (99).to_bytes(2, "little")),
        "zip_compression",
        "centers.csv",
        "method 99",
    ),
    "lying size header": (
        lambda: _patched(_one_entry(), 22, 24, (4).to_bytes(4, "little")),
        "zip_member_broken",
        "centers.csv",
        "cannot be unpacked",
    ),
    "name over 255 bytes": (
        lambda: _one_entry("网" * 90 + ".csv"),
        "bad_file_name",
        "网" * 90 + ".csv",
        "longer than 255 bytes",
    ),
    "2,000-level path": (
        lambda: _one_entry("a/" * 2000 + "centers.csv"),
        "bad_file_name",
        ("a/" * 2000 + "centers.csv")[:200] + "…",
        "2000 folders deep",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_zip_is_refused_with_a_message_and_nothing_is_left(
    tmp_path: Path, case: str
) -> None:
    make, code, file, words = HOSTILE[case]
    with pytest.raises(DataError) as info:
        save_upload([("district.zip", make())], tmp_path)
    p = info.value.problems[0]
    assert (p.code, p.file) == (code, file)
    assert words in problem_message(p)
    assert problem_message(p, "zh") != problem_message(p)
    assert _leftovers(tmp_path) == []


def test_a_write_that_fails_midway_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = open
    calls = []

    def failing_open(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "x" in mode:
            calls.append(path)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(DataError) as info:
        save_upload([("centers.csv", CSV), ("standards.csv", b"category\n")], tmp_path)
    p = info.value.problems[0]
    assert p.code == "upload_not_saved" and "No space left" in problem_message(p)
    assert _leftovers(tmp_path) == []


def test_the_same_files_picked_again_reuse_one_folder(tmp_path: Path) -> None:
    files = [("centers.csv", CSV), ("standards.csv", b"category\n")]
    first = save_upload(files, tmp_path)
    again = save_upload(list(reversed(files)), tmp_path)
    zipped = _zip({"d/centers.csv": CSV})
    assert first == again
    assert save_upload([("d.zip", zipped)], tmp_path) == save_upload([("d.zip", zipped)], tmp_path)
    assert len(list(uploads_dir(tmp_path).iterdir())) == 2


def test_at_most_twenty_files_one_by_one(tmp_path: Path) -> None:
    files = [(f"notes{i}.txt", b"x") for i in range(21)]
    with pytest.raises(DataError) as info:
        save_upload(files, tmp_path)
    p = info.value.problems[0]
    assert (p.file, p.code) == ("upload", "too_many_files")
    assert problem_message(p) == "21 files were chosen; at most 20 can be uploaded one by one"
    assert "zip" in problem_fix(p)
    assert _leftovers(tmp_path) == []
    assert save_upload(files[:20], tmp_path).is_dir()


def test_a_zip_of_the_bundled_sample_is_accepted(tmp_path: Path) -> None:
    sample = ROOT / "data" / "zhangqiu"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in sorted(sample.iterdir()):
            z.write(path, f"zhangqiu/{path.name}")
    folder = save_upload([("zhangqiu.zip", buf.getvalue())], tmp_path)
    assert folder.name == "zhangqiu"
    assert (folder / "work_orders.csv.gz").read_bytes() == (
        sample / "work_orders.csv.gz"
    ).read_bytes()


def test_what_the_reader_reads_can_be_uploaded_and_picked(tmp_path: Path) -> None:
    files = [("centers.xlsx", b"x"), ("work_orders.csv.gz", b"y"), ("grids.gpkg", b"z")]
    folder = save_upload(files, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(n for n, _ in files)
    types = upload_types()
    assert {"xlsx", "csv.gz", "gz", "csv", "geojson", "zip"} <= set(types)
    assert all(name.lower().endswith(READ_SUFFIXES) for name, _ in files)
    assert set(READ_SUFFIXES) <= set(ALLOWED_SUFFIXES)


def test_a_size_at_the_limit_is_accepted_and_one_byte_over_is_told_apart(
    tmp_path: Path,
) -> None:
    limit = 1024 * 1024
    assert save_upload([("centers.csv", b"x" * limit)], tmp_path, max_bytes=limit).is_dir()
    with pytest.raises(DataError) as info:
        save_upload([("centers.csv", b"x" * (limit + 1))], tmp_path / "b", max_bytes=limit)
    assert problem_message(info.value.problems[0]) == (
        "the upload is 1.000001 MB; the limit is 1.0 MB"
    )


def test_uploads_are_listed_by_folder_name_and_nothing_else(tmp_path: Path) -> None:
    assert uploaded_datasets(tmp_path) == {}  # no uploads folder yet
    loose = save_upload([("centers.csv", b"center_id\nC1\n")], tmp_path)
    zipped = save_upload([("d.zip", _zip({"district/centers.csv": b"c"}))], tmp_path)
    root = uploads_dir(tmp_path)
    (root / ".partial-0123").mkdir()  # an upload still being written
    (root / "notes").mkdir()
    (root / "upload-file").write_text("not a folder", encoding="utf-8")
    (root / "upload-link").symlink_to(tmp_path)
    found = uploaded_datasets(tmp_path)
    assert found == {loose.name: loose, zipped.parent.name: zipped}
    assert upload_id(tmp_path, loose) == loose.name
    assert upload_id(tmp_path, zipped) == zipped.parent.name  # the folder inside the zip
    assert upload_id(tmp_path, tmp_path / "elsewhere") is None
    assert upload_id(tmp_path, root / "notes") is None


@pytest.mark.parametrize("zipped", [False, True])
def test_a_gz_that_unpacks_past_the_limit_is_refused_and_nothing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zipped: bool
) -> None:
    import gzip

    import govopt.data.upload as upload

    monkeypatch.setattr(upload, "MAX_UNPACKED_BYTES", 100_000)
    log = b"order_id,grid_id,category\n" + b"W1,0101,elderly_care\n" * 10_000
    # Two gzip members: the limit counts both.
    bomb = gzip.compress(log[:150_000]) + gzip.compress(log[150_000:])
    assert len(bomb) < 10_000 and len(log) > 200_000
    files = (
        [("d.zip", _zip({"d/work_orders.csv.gz": bomb}))]
        if zipped
        else [("work_orders.csv.gz", bomb)]
    )
    with pytest.raises(DataError) as info:
        save_upload(files, tmp_path)
    p = info.value.problems[0]
    assert p.file == "work_orders.csv.gz" and p.code == "file_too_large"
    assert "unpack" in problem_message(p, "en").lower()
    assert uploaded_datasets(tmp_path) == {}
    assert not uploads_dir(tmp_path).exists() or not any(uploads_dir(tmp_path).iterdir())
    small = gzip.compress(log[:50_000]) + gzip.compress(log[50_000:90_000])
    assert save_upload([("work_orders.csv.gz", small)], tmp_path).is_dir()
