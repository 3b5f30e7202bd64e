"""The data page under AppTest: bad uploads, over-size uploads, switching datasets."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from apptest_support import new_app, run
from streamlit.testing.v1 import AppTest


def _data(lang: str = "zh") -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/data.py")
    return run(at)


def _zip_folder(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f"district/{f.name}")
    return buf.getvalue()


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_renders(lang: str) -> None:
    at = _data(lang)
    assert at.title[0].value.startswith("Data" if lang == "en" else "数据")
    assert at.file_uploader(key="da_files") is not None


@pytest.mark.usefixtures("app_env")
def test_bad_upload_lists_every_problem_with_file_and_column() -> None:
    at = _data("en")
    bad_centers = b"center_id,name,level,lon,lat,staff,funds_cny\nC1,A,town,117.5,36.7,x,10\n"
    at.file_uploader(key="da_files").set_value([("centers.csv", bad_centers, "text/csv")])
    at = run(at)
    assert "Problems found" in at.error[0].value
    problems = at.dataframe[0].value
    assert {"severity", "file", "row", "column", "message", "fix"} <= set(problems.columns)
    assert "grids.geojson" in set(problems["file"])
    centers = problems[problems["file"] == "centers.csv"]
    assert "max_staff" in set(centers["column"])
    assert not [b for b in at.button if b.key == "da_use"]


def test_over_size_upload_is_refused(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVOPT_MAX_UPLOAD_MB", "0.01")
    at = _data("en")
    at.file_uploader(key="da_files").set_value([("big.zip", b"0" * 20_000, "application/zip")])
    at = run(at)
    assert "over the 0.0 MB limit" in at.error[0].value
    assert not (app_env / "datasets").exists()


def test_valid_zip_can_be_switched_to(app_env: Path, tiny_dataset_dir: Path) -> None:
    at = _data("en")
    data = _zip_folder(tiny_dataset_dir)
    at.file_uploader(key="da_files").set_value([("district.zip", data, "application/zip")])
    at = run(at)
    assert "This dataset can be used" in at.success[0].value
    at.button(key="da_use").click()
    at = run(at)
    assert "your upload" in at.sidebar.caption[0].value
    assert str(app_env / "datasets") in at.caption[0].value
    at.switch_page("app.py")
    at = run(at)
    assert "your upload" in at.info[0].value
    uploads = list((app_env / "datasets").iterdir())
    assert len(uploads) == 1


@pytest.mark.usefixtures("app_env")
def test_templates_download_with_schema_columns(downloads: dict[str, bytes]) -> None:
    run(_data("en"))
    header = downloads["centers.csv"].decode("utf-8-sig").splitlines()[0]
    assert header.split(",")[:3] == ["center_id", "name", "level"]
    assert "max_staff" in header
    with zipfile.ZipFile(io.BytesIO(downloads["templates.zip"])) as z:
        assert "standards.csv" in z.namelist()


def test_password_zip_is_refused_in_chinese_and_leaves_nothing(app_env: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("centers.csv", "center_id\nC1\n")
    data = bytearray(buf.getvalue())
    central = data.find(b"PK\x01\x02")
    data[6] |= 1
    data[central + 8] |= 1
    at = _data("zh")
    at.file_uploader(key="da_files").set_value([("d.zip", bytes(data), "application/zip")])
    at = run(at)
    assert "无法接收该上传" in at.error[0].value
    assert any("压缩包条目设有密码" in m.value for m in at.markdown)
    root = app_env / "datasets"
    assert not root.exists() or list(root.iterdir()) == []


def test_the_same_zip_in_two_sessions_uses_one_folder(
    app_env: Path, tiny_dataset_dir: Path
) -> None:
    data = _zip_folder(tiny_dataset_dir)
    for _ in range(2):
        at = _data("en")
        at.file_uploader(key="da_files").set_value([("district.zip", data, "application/zip")])
        at = run(at)
        assert "This dataset can be used" in at.success[0].value
    assert len(list((app_env / "datasets").iterdir())) == 1
