"""Assets ship inside the package, once: Leaflet for offline maps and the sample's outline."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import govopt
from govopt.data.sample import DEFAULT_OUTLINE
from govopt.output.maps import STATIC_DIR

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(govopt.__file__).resolve().parent
LEAFLET_FILES = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/LICENSE",
    "leaflet/images/layers.png",
    "leaflet/images/layers-2x.png",
)


def _package_data() -> set[Path]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["govopt"]
    return {p.resolve() for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}


def test_leaflet_and_the_outline_live_inside_the_package() -> None:
    assert STATIC_DIR.resolve().is_relative_to(PACKAGE)
    assert DEFAULT_OUTLINE.resolve().is_relative_to(PACKAGE)
    for name in LEAFLET_FILES:
        assert (STATIC_DIR / name).is_file(), name
    assert DEFAULT_OUTLINE.is_file()


def test_package_data_patterns_ship_every_asset() -> None:
    shipped = _package_data()
    for name in LEAFLET_FILES:
        assert (STATIC_DIR / name).resolve() in shipped, name
    assert DEFAULT_OUTLINE.resolve() in shipped
    assert (PACKAGE / "py.typed").resolve() in shipped


def test_the_app_serves_the_package_leaflet_and_the_sample_links_the_package_outline() -> None:
    assert (REPO / "static").is_symlink()
    assert (REPO / "static").resolve() == STATIC_DIR.resolve()
    bundled = REPO / "data" / "zhangqiu" / "outline.geojson"
    assert bundled.is_symlink()
    assert bundled.resolve() == DEFAULT_OUTLINE.resolve()


def test_the_repository_holds_one_copy_of_leaflet() -> None:
    found = []
    for top in REPO.iterdir():
        if top.name in {".git", ".venv", "var", "build", "wheelhouse"} or top.is_symlink():
            continue
        if top.is_file():
            continue
        for folder, _dirs, files in os.walk(top, followlinks=False):
            found += [Path(folder, f) for f in files if f == "leaflet.js"]
    assert found == [STATIC_DIR / "leaflet" / "leaflet.js"]
