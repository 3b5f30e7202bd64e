"""The dashboard on a large dataset folder, in two Chromium tabs (two planners).

Starts the app on ``--data`` (e.g. the folder of ``benchmarks/large_district.py``)
and times, in seconds from navigation:

* tab 1, overview: the counts by street shown (the baseline is then solved
  in that tab's session);
* tab 2, while tab 1 solves the baseline: the glossary page, then the coverage map
  drawn;
* tab 1, what-if: the solve started; tab 2 opens the glossary while it runs;
* tab 1: the solve finished (or ``--cancel-after`` seconds, then cancelled).

Usage: ``.venv/bin/python benchmarks/app_scale.py --data /tmp/govopt-50k``
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

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DRAWN = (
    "() => !!(window.map && Object.values(window.map._layers)"
    ".some(l => l.feature && l.feature.properties && l.feature.properties.grid_id))"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _map_drawn(page: Page, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.evaluate(DRAWN):
                        return
                except Exception:
                    pass
        page.wait_for_timeout(50)
    raise TimeoutError("the grid layer was not drawn")


def _glossary(page: Page, url: str) -> float:
    start = time.monotonic()
    page.goto(f"{url}/glossary")
    page.locator("h1").first.wait_for(state="visible", timeout=300_000)
    page.locator("[data-testid='stExpander'], [data-testid='stMarkdown']").first.wait_for()
    return time.monotonic() - start


class _Results(dict[str, str]):
    """Timings by label, each printed as soon as it is known."""

    def __setitem__(self, label: str, value: str) -> None:
        print(f"{label}: {value}", file=sys.stderr, flush=True)
        super().__setitem__(label, value)


def main() -> None:
    """Start the app, drive two tabs, print a Markdown table of what was timed."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--cancel-after", type=float, default=300.0)
    args = ap.parse_args()
    results = _Results()
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        env = dict(os.environ, GOVOPT_DATA=str(args.data), GOVOPT_HOME=str(Path(tmp) / "home"))
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.3)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                one = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                two = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                start = time.monotonic()
                one.goto(url)
                one.get_by_text(t("ov.by_street", "zh")).wait_for(timeout=600_000)
                one.locator("[data-testid='stDataFrame'], [data-testid='stTable']").first.wait_for(
                    timeout=600_000
                )
                results["tab 1: overview, counts by street shown"] = (
                    f"{time.monotonic() - start:.1f}"
                )
                spinner = one.get_by_text(t("ov.computing_baseline", "zh"))
                results["tab 1: baseline still solving"] = str(spinner.count() > 0)
                results["tab 2: glossary while tab 1 solves the baseline"] = (
                    f"{_glossary(two, url):.1f}"
                )
                start = time.monotonic()
                two.goto(f"{url}/coverage_map")
                _map_drawn(two)
                results["tab 2: coverage map drawn"] = f"{time.monotonic() - start:.1f}"
                start = time.monotonic()
                one.get_by_text(t("ov.baseline_note", "zh")).wait_for(timeout=900_000)
                results["tab 1: overview done (baseline solved or given up)"] = (
                    f"{time.monotonic() - start:.1f} more"
                )
                one.goto(f"{url}/what_if")
                start = time.monotonic()
                one.get_by_role("button", name=t("sf.solve", "zh")).click(timeout=300_000)
                cancel = one.get_by_role("button", name=t("wi.cancel", "zh"))
                cancel.wait_for(state="visible", timeout=300_000)
                results["tab 1: what-if solve started"] = f"{time.monotonic() - start:.1f}"
                results["tab 2: glossary while tab 1 solves"] = f"{_glossary(two, url):.1f}"
                deadline = time.monotonic() + args.cancel_after
                while time.monotonic() < deadline and cancel.count() > 0:
                    one.wait_for_timeout(500)
                if cancel.count() > 0:
                    cancel.click()
                    results["tab 1: what-if"] = f"cancelled after {args.cancel_after:.0f} s"
                else:
                    results["tab 1: what-if"] = f"finished in {time.monotonic() - start:.1f} s"
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"| {args.data.name} | seconds |")
    print("|---|---|")
    for label, value in results.items():
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
