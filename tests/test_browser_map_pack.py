"""Packed map layers in headless Chromium: Leaflet gets the plain layer's features, text stays text.

Skipped when ``/usr/bin/chromium`` is missing, unless ``CI`` is set (then it fails).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import folium
import pytest
from test_map_pack import EVIL, _both, _layers, _odd_dataset

from govopt.output import maps

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: install the Debian chromium package", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

FEATURES = "(name) => window[name].getLayers().map(l => l.feature)"


def _open(page: Page, m: folium.Map, path: Path) -> None:
    path.write_text(maps.standalone_html(m), encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_function("() => !!document.querySelector('.leaflet-container')")
    page.wait_for_timeout(500)  # let the fit to the grids settle before pointing at one


def test_browser_unpacks_the_same_features_and_shows_user_text_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = _odd_dataset()
    plain, packed = _both(d, monkeypatch)
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.on("request", lambda r: requests.append(r.url))
        seen: dict[str, list[dict[str, Any]]] = {}
        for label, m in (("plain", plain), ("packed", packed)):
            _open(page, m, tmp_path / f"{label}.html")
            seen[label] = page.evaluate(FEATURES, _layers(m)["网格"].get_name())
        assert [f["properties"]["grid_id"] for f in seen["packed"]] == ["G1", "G2", "G3", "G4"]
        assert seen["packed"] == seen["plain"]

        # Hover the grid named <script>...: the tooltip shows the name as text, adds no element.
        x, y = page.evaluate(
            f"() => {{ const p = {packed.get_name()}.latLngToContainerPoint([36.7015, 117.5015]);"
            f" const r = {packed.get_name()}.getContainer().getBoundingClientRect();"
            " return [r.left + p.x, r.top + p.y]; }"
        )
        for step in range(3):
            page.mouse.move(x + step, y + step)
            page.wait_for_timeout(100)
        tooltip = page.locator(".leaflet-tooltip").first
        tooltip.wait_for(state="visible", timeout=10_000)
        assert EVIL in tooltip.inner_text()
        assert page.locator(".leaflet-tooltip script, .leaflet-tooltip img").count() == 0
        browser.close()
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests


def test_browser_unpacks_a_hidden_layer_when_it_is_first_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maps, "_MAX_SHOWN_MARKERS", 0)  # community centers hidden at first
    d = _odd_dataset()
    plain, packed = _both(d, monkeypatch)
    name = "社区党群服务中心"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        _open(page, plain, tmp_path / "plain.html")
        want = page.evaluate(FEATURES, _layers(plain)[name].get_name())
        _open(page, packed, tmp_path / "packed.html")
        layer = _layers(packed)[name].get_name()
        assert page.evaluate(FEATURES, layer) == []  # nothing unpacked while hidden
        page.evaluate(f"() => {packed.get_name()}.addLayer({layer})")
        got = page.evaluate(FEATURES, layer)
        assert [f["properties"]["n"] for f in got] == ["东社区站", "西社区站"]
        assert got == want
        page.evaluate(f"() => {{ {packed.get_name()}.removeLayer({layer});"
                      f" {packed.get_name()}.addLayer({layer}); }}")  # fmt: skip
        assert page.evaluate(FEATURES, layer) == want  # unpacked once, not twice
        browser.close()
