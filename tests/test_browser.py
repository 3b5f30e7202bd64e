"""The running app in headless Chromium: offline map, Chinese tooltips, solve and download.

Skipped when ``/usr/bin/chromium`` is missing, unless ``CI`` is set (then it fails).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import write_tiny_dataset

from govopt.i18n import t

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[1]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: install the Debian chromium package", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing", allow_module_level=True)

from playwright.sync_api import Frame, Page, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 45.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not start")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    data = write_tiny_dataset(root / "tiny")
    port = _free_port()
    env = dict(os.environ, GOVOPT_DATA=str(data), GOVOPT_HOME=str(root / "home"))
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        browser.close()


def _map_frame(page: Page, timeout_s: float = 30.0) -> Frame:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                ready = frame.evaluate(
                    "() => !!(window.map && Object.values(window.map._layers)"
                    ".some(l => l.feature && l.feature.properties && l.feature.properties.grid_id))"
                )
            except Exception:
                ready = False
            if ready:
                return frame
        page.wait_for_timeout(200)
    raise AssertionError("the map was not drawn")


def test_map_page_loads_nothing_from_the_internet_and_shows_chinese_tooltips(
    app_url: str, browser_page: Page
) -> None:
    requests: list[str] = []
    browser_page.on("request", lambda r: requests.append(r.url))
    browser_page.goto(f"{app_url}/coverage_map")
    frame = _map_frame(browser_page)
    browser_page.wait_for_timeout(500)
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https")}
    assert hosts <= {"127.0.0.1", "localhost"}, f"requests left the machine: {hosts}"
    assert any(u.endswith("/app/static/leaflet/leaflet.js") for u in requests)

    # Hover the first grid (第1网格, lon 117.50-117.51, lat 36.70-36.71).
    x, y = frame.evaluate(
        "() => { const p = window.map.latLngToContainerPoint([36.708, 117.502]);"
        " return [p.x, p.y]; }"
    )
    map_box = frame.locator("#map_div").bounding_box()  # in page coordinates
    assert map_box is not None
    for step in range(3):
        browser_page.mouse.move(map_box["x"] + x + step, map_box["y"] + y + step)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.first.wait_for(state="visible", timeout=10_000)
    assert "第1网格" in tooltip.first.inner_text()
    assert "明水街道" in tooltip.first.inner_text()

    # Click it: the details panel beside the map names the grid.
    browser_page.mouse.click(map_box["x"] + x + 2, map_box["y"] + y + 2)
    details = browser_page.locator("[data-testid='stTable']")
    details.first.wait_for(state="visible", timeout=20_000)
    assert "0101" in details.first.inner_text()
    assert "第1网格" in details.first.inner_text()


def test_what_if_solves_and_downloads_the_plan_csv(app_url: str, browser_page: Page) -> None:
    browser_page.goto(f"{app_url}/what_if")
    browser_page.get_by_role("button", name=t("sf.solve", "zh")).click()
    button = browser_page.get_by_role("button", name=t("wi.download_grids", "zh"))
    button.wait_for(state="visible", timeout=45_000)
    with browser_page.expect_download() as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\n", 1)[0].decode("utf-8").strip().split(",")
    assert header[0] == "grid_id"
    assert "coverage" in header
    rows = data.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + 6  # header and the six tiny grids


def _wait_text(page: Page, text: str, timeout_ms: int = 30_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)


def test_language_survives_a_reload_and_a_page_change(app_url: str, browser_page: Page) -> None:
    browser_page.goto(f"{app_url}/what_if?lang=en")
    _wait_text(browser_page, t("wi.title", "en"))
    browser_page.wait_for_function("() => location.search.includes('lang=en')")
    browser_page.reload()
    _wait_text(browser_page, t("wi.title", "en"))
    browser_page.get_by_role("link", name=t("nav.scenarios", "en")).click()
    _wait_text(browser_page, t("sc.title", "en"))
    browser_page.wait_for_function("() => location.search.includes('lang=en')")
    browser_page.reload()
    _wait_text(browser_page, t("sc.title", "en"))


def test_an_emptied_limit_stays_empty_and_is_solved_as_no_limit(
    app_url: str, browser_page: Page
) -> None:
    browser_page.goto(f"{app_url}/what_if?lang=en")
    box = browser_page.get_by_role("spinbutton", name=t("sf.max_transfers", "en"))
    box.wait_for(state="visible")
    assert box.input_value() == "3"
    box.fill("")
    box.press("Tab")
    browser_page.get_by_role("button", name=t("sf.solve", "en"), exact=True).click()
    _wait_text(browser_page, t("wi.kpis", "en"), 45_000)
    assert box.input_value() == ""  # not put back to 3
    browser_page.get_by_role("link", name=t("nav.scenarios", "en")).click()
    _wait_text(browser_page, t("sc.title", "en"))
    browser_page.get_by_role("link", name=t("nav.what_if", "en")).click()
    _wait_text(browser_page, t("wi.kpis", "en"), 45_000)
    box = browser_page.get_by_role("spinbutton", name=t("sf.max_transfers", "en"))
    assert box.input_value() == ""
    assert browser_page.get_by_text("previous settings").count() == 0


def test_plan_charts_are_drawn_by_the_app_itself_with_tooltips(
    app_url: str, browser_page: Page
) -> None:
    requests: list[str] = []
    browser_page.on("request", lambda r: requests.append(r.url))
    browser_page.goto(f"{app_url}/what_if?lang=zh")
    _wait_text(browser_page, t("wi.title", "zh"))
    browser_page.get_by_role("button", name=t("sf.solve", "zh"), exact=True).click()
    _wait_text(browser_page, t("ch.title", "zh"), 45_000)
    charts = browser_page.locator("[data-testid='stVegaLiteChart']")
    charts.first.wait_for(state="attached", timeout=45_000)
    street = charts.first
    street.scroll_into_view_if_needed()
    assert charts.count() == 4
    street.locator("canvas, svg").first.wait_for(state="visible", timeout=20_000)
    tooltip = browser_page.locator("#vg-tooltip-element")

    def shown() -> bool:
        return bool(tooltip.count() and tooltip.is_visible() and "明水街道" in tooltip.inner_text())

    # A busy machine may still be laying the page out: sweep over the chart,
    # bar by bar, until the street's tooltip shows, for up to 30 s.
    deadline = time.monotonic() + 30
    points = [(fx, fy) for fy in (0.45, 0.55, 0.65, 0.75, 0.35, 0.85) for fx in (0.5, 0.3, 0.7)]
    while not shown() and time.monotonic() < deadline:
        street.scroll_into_view_if_needed()  # the page may still grow above the chart
        box = street.bounding_box()
        assert box is not None
        for fx, fy in points:
            browser_page.mouse.move(0, 0)
            browser_page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            browser_page.wait_for_timeout(300)
            if shown():
                break
    assert "明水街道" in tooltip.inner_text(timeout=5_000)
    assert t("col.coverage", "zh") in tooltip.inner_text()
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https")}
    assert hosts <= {"127.0.0.1", "localhost"}, f"requests left the machine: {hosts}"
