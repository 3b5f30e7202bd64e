"""Cache keys of the dashboard: dataset fingerprints and the baseline's inputs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.ui.cache import (
    baseline_cached,
    baseline_inputs,
    fingerprint,
    load_dataset_cached,
    prepared_cached,
)


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


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_prepared_dataset_is_shared_by_content_and_never_stale(tiny_dataset_dir: Path) -> None:
    key = fingerprint(tiny_dataset_dir)
    load_dataset_cached(tiny_dataset_dir)
    prep = prepared_cached(key)
    assert prepared_cached(key) is prep
    today = baseline_cached(key, Scenario())
    assert prep.baseline(Scenario()) is not None and today.optimal
    copy = tiny_dataset_dir.parent / "tiny-copy"
    shutil.copytree(tiny_dataset_dir, copy)
    copy_key = fingerprint(copy)
    assert copy_key != key
    load_dataset_cached(copy)
    assert prepared_cached(copy_key) is prep  # the same content: one set of inputs
    orders = tiny_dataset_dir / "work_orders.csv"
    text = orders.read_text(encoding="utf-8")
    orders.write_text(text.replace("WO0002,0101,", "WO0002,0203,"), encoding="utf-8")
    changed_key = fingerprint(tiny_dataset_dir)
    changed = load_dataset_cached(tiny_dataset_dir)
    fresh = prepared_cached(changed_key)
    assert fresh is not prep and fresh.dataset is changed and fresh.key != prep.key
    assert fresh.baseline(Scenario()) is None
    moved = fresh.demand.loc["0203"].sum() - prep.demand.loc["0203"].sum()
    assert moved == 4.0  # one disputes_mediation order of 4 hours moved to grid 0203
    assert baseline_cached(changed_key, Scenario()).objective != today.objective


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_center_links_are_those_the_diagnosis_computes(tiny_dataset_dir: Path) -> None:
    import pandas as pd

    from govopt.analysis.coverage import links_within
    from govopt.data.validate import load_dataset
    from govopt.ui.cache import center_links

    dataset = load_dataset_cached(tiny_dataset_dir)
    for radius in (LevelValues(3000, 1000, 500), LevelValues(800, 800, 800)):
        got = center_links(dataset, radius)
        assert got is not None
        pd.testing.assert_frame_equal(got, links_within(dataset, radius))
    assert center_links(load_dataset(tiny_dataset_dir), LevelValues(800, 800, 800)) is None
