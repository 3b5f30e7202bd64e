"""Cache keys of the dashboard: dataset fingerprints and the baseline's inputs."""

from __future__ import annotations

import os
from pathlib import Path

from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.ui.cache import baseline_inputs, fingerprint


def test_fingerprint_follows_the_files(tmp_path: Path) -> None:
    (tmp_path / "centers.csv").write_text("a\n", encoding="utf-8")
    first = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == first
    os.utime(tmp_path / "centers.csv", ns=(1, 1))
    touched = fingerprint(tmp_path)
    assert touched != first
    (tmp_path / "standards.csv").write_text("b\n", encoding="utf-8")
    assert fingerprint(tmp_path) not in (first, touched)
    other = tmp_path.parent / (tmp_path.name + "-copy")
    other.mkdir()
    (other / "centers.csv").write_text("a\n", encoding="utf-8")
    assert fingerprint(other) != first


def test_baseline_ignores_budgets_norms_and_objective() -> None:
    a = Scenario(name="a", objective="equity", staff_total=100, min_staff=LevelValues(9, 9, 9))
    b = Scenario(name="b", objective="cost", funds_total_cny=5e6, integer_staff=True)
    assert baseline_inputs(a) == baseline_inputs(b)
    c = Scenario(radius_m=LevelValues(2000, 800, 400))
    assert baseline_inputs(c).radius_m == LevelValues(2000, 800, 400)
    assert baseline_inputs(c) != baseline_inputs(a)
    assert baseline_inputs(Scenario(work_hours_per_staff=1500)) != baseline_inputs(a)
