"""The printable report in headless Chromium: it prints to A4 PDF and loads nothing.

Skipped when ``/usr/bin/chromium`` is missing, unless ``CI`` is set (then it fails).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import write_tiny_dataset

from govopt.cli import main
from govopt.i18n import fmt_pct, t

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: install the Debian chromium package", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

# Every figure of the report's before/after table (the equity share only under that objective).
_KPI_LABELS = (
    "out.kpi.coverage",
    "out.kpi.min_coverage",
    "out.kpi.grids_below_target",
    "out.kpi.unreachable_grids",
    "out.kpi.staff_used",
    "out.kpi.funds_used_cny",
    "out.kpi.staff_transfers",
    "out.kpi.demand_hours",
    "out.kpi.served_hours",
)


def _pdf_text(pdf: Path) -> str | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    done = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def test_report_prints_to_a4_without_outside_requests(tmp_path: Path) -> None:
    data = write_tiny_dataset(tmp_path / "tiny")
    plan = tmp_path / "plan"
    assert main(["solve", str(data), "--out", str(plan)]) == 0
    report = tmp_path / "report.html"
    assert main(["report", str(data), "--plan", str(plan), "--out", str(report)]) == 0
    coverage = json.loads((plan / "summary.json").read_text(encoding="utf-8"))["kpis"]["coverage"]
    shown = fmt_pct(coverage)

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            body = page.inner_text("body")
            page.emulate_media(media="print")
            pdf_bytes = page.pdf(format="A4")
        finally:
            browser.close()

    assert "全区覆盖率（%）" in body and shown in body
    assert {urlparse(u).scheme for u in requests} <= {"file", "data"}, requests
    assert pdf_bytes.startswith(b"%PDF-") and len(pdf_bytes) > 10_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf_bytes))
    assert 1 <= pages <= 8
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf_bytes)
    assert boxes and all(
        abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1.5 for w, h in boxes
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(pdf_bytes)
    text = _pdf_text(pdf)
    if text is not None:
        assert shown in text
        assert "tiny" in text  # the scenario name in the title
        flat = re.sub(r"\s+", "", text)
        missing = [k for k in _KPI_LABELS if re.sub(r"\s+", "", t(k, "zh")) not in flat]
        assert missing == [], missing
        assert "290,000" in text  # funds used, digits grouped
