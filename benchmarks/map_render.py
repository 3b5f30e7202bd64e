"""Map rendering time in headless Chromium for a generated district.

Measures, for ``--grids`` grids (default 5,000):

* build: Python time to compute the indicator table and build the folium map;
* standalone: opening the ``govopt map`` HTML file until the grid layer is drawn;
Work orders are sampled down to 600,000 (a year in Zhangqiu) so the folder
stays under the 200 MB upload limit.

* app (cold/warm): navigating to the coverage map page of the running app until
  the grid layer is drawn, first with empty caches, then again.

Usage: ``.venv/bin/python benchmarks/map_render.py [--grids 5000] [--seed 1]``
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

from govopt.analysis import indicators
from govopt.data.io import write_dataset
from govopt.data.sample import generate
from govopt.output.maps import grid_map, legend, standalone_html

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DRAWN = (
    "() => !!(window.map && Object.values(window.map._layers)"
    ".some(l => l.feature && l.feature.properties && l.feature.properties.grid_id))"
)
DRAWN_STANDALONE = (
    "() => Object.keys(window).some(k => k.startsWith('geo_json_') && window[k].getLayers"
    " && window[k].getLayers().some(l => l.feature.properties.grid_id))"
)


def _wait(page: Page, frame_part: str | None, script: str, timeout_s: float = 120) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        frames = [f for f in page.frames if frame_part is None or frame_part in f.url]
        for frame in frames:
            try:
                if frame.evaluate(script):
                    return time.monotonic()
            except Exception:
                pass
        page.wait_for_timeout(50)
    raise TimeoutError("the grid layer was not drawn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    """Run the measurements and print a Markdown table row per measurement."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--grids", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    dataset = generate(n_grids=args.grids, seed=args.seed)
    t0 = time.perf_counter()
    table = indicators.indicator_table(dataset)
    t1 = time.perf_counter()
    m = grid_map(dataset, table["staff_per_10k"], indicator="staff_per_10k", lang="zh")
    page_html = standalone_html(m, legend(table["staff_per_10k"], "staff_per_10k", "zh"))
    t2 = time.perf_counter()
    results = {
        "indicator table (Python)": t1 - t0,
        "map build + standalone HTML (Python)": t2 - t1,
    }
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "map.html"
        html_path.write_text(page_html, encoding="utf-8")
        data = Path(tmp) / "district"
        write_dataset(dataset, data)
        port = _free_port()
        env = dict(os.environ, GOVOPT_DATA=str(data), GOVOPT_HOME=str(Path(tmp) / "home"))
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
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
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.monotonic()
                page.goto(html_path.as_uri())
                results["standalone HTML: open -> grids drawn"] = (
                    _wait(page, None, DRAWN_STANDALONE) - start
                )
                for label in (
                    "app cold: navigate -> grids drawn",
                    "app warm: navigate -> grids drawn",
                ):
                    start = time.monotonic()
                    page.goto(f"{url}/coverage_map")
                    results[label] = _wait(page, "streamlit_folium", DRAWN) - start
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print(f"| measurement ({args.grids:,} grids, seed {args.seed}) | seconds |")
    print("|---|---|")
    for label, seconds in results.items():
        print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
