"""Take the README screenshots: run the app in the background and drive it with Chromium.

Usage: ``.venv/bin/python scripts/screenshots.py [--lang zh|en] [--out docs/screenshots]``.
Saved scenarios go to a temporary ``GOVOPT_HOME``, so the real store is untouched.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from govopt.i18n import t

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 600_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if proc.poll() is not None:
            raise SystemExit("streamlit exited early")
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("streamlit did not start")


def _idle(page: Page) -> None:
    """Wait until the script has stopped running and no spinner shows for three seconds."""
    busy = "[data-testid='stSpinner'], [data-testid='stStatusWidget']"
    quiet = 0
    deadline = time.monotonic() + WAIT_MS / 1000
    while quiet < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        quiet = 0 if page.locator(busy).count() else quiet + 1


def _shot(page: Page, path: Path, height: int) -> None:
    page.set_viewport_size({"width": 1400, "height": height})
    page.evaluate(
        "document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })"
    )
    page.wait_for_timeout(2000)
    page.screenshot(path=str(path))


def _saved_scenarios(home: Path) -> None:
    """Solve the sample's default scenario and one with 300 more staff; save both."""
    from govopt.data.validate import load_dataset
    from govopt.optimize import baseline, solve
    from govopt.output.store import open_store

    dataset = load_dataset(REPO / "data" / "zhangqiu")
    default = dataset.scenario
    assert default is not None
    base = baseline(dataset, default)
    store = open_store(home)
    more = default.replace(
        name=f"{default.name} +300", staff_total=(default.staff_total or 0) + 300
    )
    for scenario in (default, more):
        store.save(scenario.name, solve(dataset, scenario, baseline=base), dataset=dataset.name)


def _open(page: Page, url: str, lang: str) -> None:
    """Open ``url`` in a new app session and switch it to ``lang``."""
    page.goto(url)
    _idle(page)
    if lang == "en":
        page.get_by_text("English", exact=True).click()
        _idle(page)


def _shots(page: Page, url: str, lang: str, out: Path) -> None:
    _open(page, url, lang)
    page.wait_for_function(
        "() => (document.querySelectorAll('[data-testid=stMetricValue]')[8]?.innerText ?? '')"
        ".includes('%') && "
        "document.querySelectorAll('[data-testid=stDataFrame]').length > 0 && "
        "!document.querySelector('[data-testid=stSpinner]')",
        timeout=WAIT_MS,
    )
    page.wait_for_timeout(3000)
    _shot(page, out / f"overview_{lang}.png", 1500)
    _open(page, url + "/coverage_map", lang)
    page.wait_for_timeout(4000)
    _shot(page, out / f"coverage_map_{lang}.png", 1000)
    _open(page, url + "/what_if", lang)
    page.get_by_role("button", name=t("sf.solve", lang), exact=True).click()
    _idle(page)
    page.get_by_text(t("wi.kpis", lang)).wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(4000)
    _shot(page, out / f"what_if_{lang}.png", 3700)
    _open(page, url + "/scenarios", lang)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=WAIT_MS)
    _shot(page, out / f"scenarios_{lang}.png", 2800)
    _open(page, url + "/data", lang)
    _shot(page, out / f"data_{lang}.png", 1400)
    _open(page, url + "/glossary", lang)
    _shot(page, out / f"glossary_{lang}.png", 1300)


def main() -> int:
    """Start the app, take one screenshot per page, stop the app."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as home:
        _saved_scenarios(Path(home))
        env = dict(os.environ, GOVOPT_HOME=home)
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
        try:
            _wait_up(url, proc)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1400, "height": 2400})
                page.set_default_timeout(WAIT_MS)
                _shots(page, url, args.lang, out)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
