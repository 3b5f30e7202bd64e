"""``make run``'s server stops on SIGTERM, also while a planner's page is inside a solve."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import write_tiny_dataset

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Stopping takes well under a second; the bound only tells "stopped" from "hangs".
STOP_WITHIN_S = 20

# Every solve waits forever, as a long HiGHS run in C would; ``entered`` marks it started.
ENDLESS_SOLVES = """
import sys, threading
from pathlib import Path
sys.path.insert(0, {repo!r})
import govopt.optimize as optimize

def endless(*args):
    Path({marker!r}).write_text("solving")
    threading.Event().wait()

optimize._baseline_solution = endless
from streamlit.web.cli import main
sys.argv = ["streamlit", *sys.argv[1:]]
main()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp_path: Path, prefix: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    data = write_tiny_dataset(tmp_path / "tiny")
    port = _free_port()
    env = dict(os.environ, GOVOPT_DATA=str(data), GOVOPT_HOME=str(tmp_path / "home"))
    cmd = [*prefix, "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"streamlit exited with code {proc.returncode}"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("streamlit did not start")


def _stops_on_sigterm(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=STOP_WITHIN_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError(
            f"the server was still running {STOP_WITHIN_S} s after SIGTERM"
        ) from None


def test_idle_server_stops_on_sigterm(tmp_path: Path) -> None:
    proc, _ = _start(tmp_path, [sys.executable, "-m", "streamlit"])
    assert _stops_on_sigterm(proc) == 0


@pytest.mark.browser
@pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason=f"{CHROMIUM} is missing"
)
def test_server_stops_on_sigterm_while_a_page_is_solving(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    marker = tmp_path / "solving"
    script = textwrap.dedent(ENDLESS_SOLVES).format(repo=str(REPO), marker=str(marker))
    proc, url = _start(tmp_path, [sys.executable, "-c", script])
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)  # the overview starts today's baseline: it never ends here
            deadline = time.monotonic() + 60
            while not marker.exists() and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            assert marker.exists(), "the overview never started its solve"
            assert _stops_on_sigterm(proc) == 0
            browser.close()
    finally:
        if proc.poll() is None:
            proc.kill()
