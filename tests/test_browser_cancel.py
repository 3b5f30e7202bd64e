"""The running app in headless Chromium: the Cancel button stops a what-if solve.

The server's solves wait until their cancel token is set, as a long
whole-number search would, and record that they were cancelled. Skipped when
``/usr/bin/chromium`` is missing, unless ``CI`` is set (then it fails).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_tiny_dataset

from govopt.i18n import t

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: install the Debian chromium package", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

# Every what-if solve waits for its token (up to 120 s) and writes what it saw.
WAITING_SOLVES = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
import govopt.optimize as optimize

real = optimize.solve

def waiting(dataset, scenario, **kw):
    Path({marker!r}).write_text("solving")
    cancelled = kw["cancel"].wait(120)
    Path({marker!r}).write_text("cancelled" if cancelled else "not cancelled")
    return real(dataset, scenario, **kw)

optimize.solve = waiting
from streamlit.web.cli import main
sys.argv = ["streamlit", *sys.argv[1:]]
main()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(check: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_cancel_button_stops_the_solve_and_says_so(tmp_path: Path) -> None:
    marker = tmp_path / "solve"
    data = write_tiny_dataset(tmp_path / "tiny")
    port = _free_port()
    env = dict(os.environ, GOVOPT_DATA=str(data), GOVOPT_HOME=str(tmp_path / "home"))
    script = textwrap.dedent(WAITING_SOLVES).format(repo=str(REPO), marker=str(marker))
    cmd = [sys.executable, "-c", script, "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert proc.poll() is None, f"streamlit exited with code {proc.returncode}"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    try:
        assert _wait_for(healthy, 60), "streamlit did not start"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{url}/what_if")
            page.get_by_role("button", name=t("sf.solve", "zh")).click()
            cancel = page.get_by_role("button", name=t("wi.cancel", "zh"))
            cancel.wait_for(state="visible", timeout=45_000)
            assert _wait_for(lambda: marker.exists(), 30), "the solve never started"
            page.get_by_text("秒，时限 60 秒").first.wait_for(state="visible")
            cancel.click()
            page.get_by_text(t("wi.cancelled", "zh")).wait_for(state="visible")
            assert _wait_for(lambda: marker.read_text() != "solving", 30)
            assert marker.read_text() == "cancelled"
            assert page.get_by_role("button", name=t("wi.cancel", "zh")).count() == 0
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
