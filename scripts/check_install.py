"""Check the built package on its own, the way an intranet machine installs it.

Run from the repository root (``make check-install`` does)::

    .venv/bin/python scripts/check_install.py [--keep]

1. ``pip wheel`` builds govopt's wheel from a clean copy of the source (no
   stale ``build/``) and collects every dependency as a wheel in a temporary
   wheelhouse (from pip's cache or the package index).
2. A fresh virtualenv (no system site-packages) installs ``govopt`` from that
   wheelhouse alone (``--no-index``): the wheel and its declared dependencies,
   without the test tools.
3. From a folder outside the checkout, the installed ``govopt`` command writes
   the default sample (drawn inside the outline the package ships), validates
   it and writes an offline map of the bundled ``data/zhangqiu``; the map must
   inline Leaflet and load nothing from ``/app/static`` or another site.
4. On the fresh virtualenv, the overview page runs (Streamlit's AppTest) with
   no exception, and the dashboard starts and answers ``/_stcore/health`` and
   ``/app/static/leaflet/leaflet.js``. Streamlit puts ``app.py``'s folder first
   on ``sys.path``, so here the app's own code is the checkout's; what the step
   shows is that the installed dependencies, without the test tools, run it.

Exits 1 with the failed step on the last line.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
LEAFLET = REPO / "govopt" / "output" / "static" / "leaflet" / "leaflet.js"
TOP_NOT_SOURCE = {".git", ".venv", "build", "dist", "var", "wheelhouse", "data"}
ANY_NOT_SOURCE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache", ".hypothesis")
TEST_TOOLS = ("pytest", "hypothesis", "playwright", "ruff", "mypy")
EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//"""
    r"""|tileLayer\(\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


class CheckFailed(Exception):
    """A step did not give the expected result."""


def _not_source(folder: str, names: list[str]) -> set[str]:
    top = TOP_NOT_SOURCE if Path(folder) == REPO else set()
    return set(ANY_NOT_SOURCE(folder, names)) | (top & set(names))


def _run(cmd: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    shown = " ".join(str(c) if "\n" not in str(c) else "'...'" for c in cmd)
    print(f"$ {shown}", flush=True)
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise CheckFailed(f"{shown} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def _step(name: str, start: float) -> None:
    print(f"ok  {name} ({time.monotonic() - start:.0f} s)", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return bytes(response.read())


def check_map(page: str) -> None:
    """Raise :class:`CheckFailed` unless ``page`` inlines Leaflet and links no other site."""
    if "Leaflet 1.9.4" not in page or ".leaflet-container" not in page:
        raise CheckFailed("the map does not inline leaflet.js and leaflet.css")
    if "/app/static" in page:
        raise CheckFailed("the map refers to /app/static, which only the running app serves")
    found = EXTERNAL.search(page)
    if found:
        raise CheckFailed(f"the map loads a file from another site: {found.group(0)}...")


def _serve(python: Path, home: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [str(python), "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    env = dict(os.environ, GOVOPT_HOME=str(home))
    print(f"$ {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                log = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise CheckFailed(f"streamlit exited with code {proc.returncode}:\n{log}")
            try:
                if _get(f"{url}/_stcore/health").strip() == b"ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CheckFailed("streamlit did not answer /_stcore/health within 90 s")
            time.sleep(0.5)
        if _get(f"{url}/app/static/leaflet/leaflet.js") != LEAFLET.read_bytes():
            raise CheckFailed("the app does not serve the packaged leaflet.js at /app/static")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


_OVERVIEW = """
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=300).run()
assert not at.exception, [e.value for e in at.exception]
assert at.title and at.metric, "the overview page shows no title or figures"
"""


def check(tmp: Path) -> None:
    """Run every step in the scratch folder ``tmp``."""
    wheelhouse, venv, work = tmp / "wheelhouse", tmp / "venv", tmp / "work"
    work.mkdir()
    start = time.monotonic()
    source = tmp / "source"
    shutil.copytree(REPO, source, symlinks=True, ignore=_not_source)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "-w", wheelhouse, source], cwd=tmp)
    wheels = sorted(p.name for p in wheelhouse.glob("*.whl"))
    size_mb = sum(p.stat().st_size for p in wheelhouse.glob("*.whl")) / 1e6
    print(f"    {len(wheels)} wheels, {size_mb:.0f} MB", flush=True)
    _step("wheelhouse", start)

    start = time.monotonic()
    _run([sys.executable, "-m", "venv", venv], cwd=tmp)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheelhouse,
          "govopt"], cwd=tmp)  # fmt: skip
    _step("fresh virtualenv installs govopt from the wheelhouse alone", start)

    start = time.monotonic()
    where = _run([python, "-c", "import govopt, sys; print(govopt.__file__)"], cwd=work).strip()
    if not Path(where).resolve().is_relative_to(venv.resolve()):
        raise CheckFailed(f"govopt was imported from {where}, not from the fresh virtualenv")
    probe = "import importlib.util as u; print(*[m for m in {!r} if u.find_spec(m)])"
    present = _run([python, "-c", probe.format(TEST_TOOLS)], cwd=work).split()
    if present:
        raise CheckFailed(f"the install pulled in test tools: {', '.join(present)}")
    govopt = venv / "bin" / "govopt"
    _run([govopt, "sample", "sample"], cwd=work)
    about = (work / "sample" / "about.toml").read_text(encoding="utf-8")
    if "the real outline of Zhangqiu District" not in about:
        raise CheckFailed("the sample was not drawn inside the packaged Zhangqiu outline")
    _run([govopt, "validate", "sample"], cwd=work)
    _run([govopt, "map", REPO / "data" / "zhangqiu", "--out", "map.html"], cwd=work)
    check_map((work / "map.html").read_text(encoding="utf-8"))
    _step("govopt sample, validate and map outside the checkout; the map is offline", start)

    start = time.monotonic()
    env = dict(os.environ, GOVOPT_HOME=str(tmp / "home"))
    _run([python, "-c", _OVERVIEW], cwd=REPO, env=env)
    _serve(python, tmp / "home")
    _step("on the fresh virtualenv the overview page runs and the dashboard serves", start)


def main() -> int:
    """Command line: run the checks in a temporary folder; 0 when all pass."""
    p = argparse.ArgumentParser(description="Check the built wheel in a fresh virtualenv.")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="govopt-install-"))
    try:
        check(tmp)
    except CheckFailed as exc:
        print(f"check-install failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("check-install: all steps passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
