"""The schema, the templates generated from it and the committed data dictionary."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from govopt.data.io import parse_csv_text
from govopt.data.scenario import Scenario
from govopt.data.schema import RATING_QUALITY, RATINGS, TABLES, table
from govopt.data.templates import (
    data_dictionary_markdown,
    data_dictionary_text,
    template_bytes,
    templates_zip,
)

ROOT = Path(__file__).resolve().parent.parent


def test_committed_data_dictionary_matches_the_schema() -> None:
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary_markdown(), "run: make docs"


def test_data_dictionary_has_one_row_per_column() -> None:
    md = data_dictionary_markdown()
    for t in TABLES.values():
        assert f"## {t.filename}" in md
        for c in t.columns:
            assert f"| `{c.name}` | {c.dtype} |" in md
    assert "| `level` | str |  | yes | street, community, grid |" in md
    assert "| `satisfaction` | float | 1-5 | yes | 1 to 5 |" in md


def test_schema_tables_are_consistent() -> None:
    assert list(TABLES) == [
        "grids",
        "centers",
        "social_orgs",
        "work_orders",
        "work_order_counts",
        "surveys",
        "standards",
    ]
    assert set(RATING_QUALITY) == set(RATINGS)
    for name, t in TABLES.items():
        assert t.filename.startswith(name + ".")
        assert len({c.name for c in t.columns}) == len(t.columns)
        assert all(c.meaning and c.meaning_zh for c in t.columns)
    assert [t.name for t in TABLES.values() if t.required] == ["grids", "centers", "standards"]
    assert table("centers").key == "center_id"
    assert table("grids").column("priority").default == 1.0
    with pytest.raises(KeyError, match="known: grids"):
        table("roads")


@pytest.mark.parametrize("name", [n for n in TABLES if n != "grids"])
def test_csv_template_is_the_header_row_only(name: str) -> None:
    filename, content = template_bytes(name)
    assert filename == f"{name}.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.count("\n") == 1
    frame, problems = parse_csv_text(text, filename)
    assert problems == [] and frame is not None and len(frame) == 0
    assert list(frame.columns) == [c.name for c in TABLES[name].columns]


def test_grids_template_is_an_empty_feature_collection_in_wgs84(tmp_path: Path) -> None:
    filename, content = template_bytes("grids")
    assert filename == "grids.geojson"
    (tmp_path / filename).write_bytes(content)
    grids = gpd.read_file(tmp_path / filename)
    assert len(grids) == 0
    assert grids.crs is not None and grids.crs.to_epsg() == 4326


def test_unknown_template_names_the_known_tables() -> None:
    with pytest.raises(KeyError, match="social_orgs"):
        template_bytes("roads")


def test_templates_zip_holds_every_template_and_a_bilingual_readme() -> None:
    data = templates_zip()
    assert data == templates_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        readme = zf.read("README.txt").decode("utf-8-sig")
        scenario = zf.read("scenario.toml").decode("utf-8")
    assert names == {t.filename for t in TABLES.values()} | {"README.txt", "scenario.toml"}
    assert Scenario.from_toml(scenario) == Scenario()
    assert readme == data_dictionary_text()
    for t in TABLES.values():
        assert t.filename in readme and t.meaning_zh in readme and t.meaning in readme
    assert "- elderly: int [persons], 必填 required  (0 to 1,000,000)" in readme
