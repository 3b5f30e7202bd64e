"""Map rendering time in headless Chromium for a generated district.

Measures, for ``--grids`` grids (default 5,000) or the dataset folder ``--data``:

* build: Python time to compute the indicator table and build the folium map;
* standalone: opening the ``govopt map`` HTML file until the grid layer is drawn,
  and the file's size;
* app (cold/warm): navigating to the coverage map page of the running app until
  the grid layer is drawn, first with empty caches, then ``--warm`` times again
  (the median, and every run), with the bytes the page received over
  Streamlit's websocket (the map travels there).

``--repo DIR`` runs the app of another checkout (e.g. an export of ``main``) for
a before/after comparison on the same machine; run the script with
``PYTHONPATH=DIR`` so that the Python figures are that checkout's too.

Generated districts are written with their work-order counts
(``work_order_counts.csv``, as ``benchmarks/large_district.py`` does).

Usage: ``.venv/bin/python benchmarks/map_render.py [--grids 5000] [--seed 1] [--data DIR]
[--warm 3] [--repo DIR]``
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, WebSocket, sync_playwright

from govopt.analysis import indicators
from govopt.data.io import write_dataset
from govopt.data.sample import generate
from govopt.data.validate import load_dataset
from govopt.output.maps import indicator_map, standalone_html

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


def _wait(page: Page, frame_part: str | None, script: str, timeout_s: float = 300) -> float:
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


def _measure(data: Path, tmp: Path, label: str, warm: int, repo: Path) -> dict[str, str]:
    dataset = load_dataset(data)
    t0 = time.perf_counter()
    table = indicators.indicator_table(dataset)
    t1 = time.perf_counter()
    view = indicator_map(dataset, "staff_per_10k", lang="zh", table=table)
    page_html = standalone_html(view.map, view.legend)
    t2 = time.perf_counter()
    results = {
        "indicator table (Python)": f"{t1 - t0:.2f} s",
        "map build + standalone HTML (Python)": f"{t2 - t1:.2f} s",
        "standalone HTML size": f"{len(page_html.encode('utf-8')) / 1e6:.1f} MB",
    }
    html_path = tmp / "map.html"
    html_path.write_text(page_html, encoding="utf-8")
    port = _free_port()
    env = dict(os.environ, GOVOPT_DATA=str(data), GOVOPT_HOME=str(tmp / "home"))
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    received = [0]

    def count(ws: WebSocket) -> None:
        ws.on("framereceived", lambda f: received.__setitem__(0, received[0] + len(f)))

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
            page.on("websocket", count)
            start = time.monotonic()
            page.goto(html_path.as_uri())
            seconds = _wait(page, None, DRAWN_STANDALONE) - start
            results["standalone HTML: open -> grids drawn"] = f"{seconds:.2f} s"
            runs: list[float] = []
            for run in ["cold"] + ["warm"] * warm:
                received[0] = 0
                start = time.monotonic()
                page.goto(f"{url}/coverage_map")
                runs.append(_wait(page, "streamlit_folium", DRAWN) - start)
                results[f"app {run}: websocket bytes received"] = f"{received[0] / 1e6:.1f} MB"
            results["app cold: navigate -> grids drawn"] = f"{runs[0]:.2f} s"
            if warm:
                each = ", ".join(f"{r:.2f}" for r in runs[1:])
                median = statistics.median(runs[1:])
                results["app warm: navigate -> grids drawn"] = f"{median:.2f} s ({each})"
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(f"| measurement ({label}) | value |")
    print("|---|---|")
    for name, value in results.items():
        print(f"| {name} | {value} |")
    return results


def main() -> None:
    """Run the measurements and print a Markdown table row per measurement."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--grids", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, default=None, help="a dataset folder to open instead")
    ap.add_argument("--warm", type=int, default=3, help="warm navigations (median reported)")
    ap.add_argument("--repo", type=Path, default=REPO, help="the checkout whose app is run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        data = args.data
        if data is None:
            data = tmp / "district"
            write_dataset(generate(n_grids=args.grids, seed=args.seed), data)
        label = f"{data.name}" if args.data else f"{args.grids:,} grids, seed {args.seed}"
        _measure(data, tmp, label, args.warm, args.repo.resolve())


if __name__ == "__main__":
    main()
