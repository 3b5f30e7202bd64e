"""Every solve is time-limited by default, and a running solve never keeps the process alive."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import govopt.optimize as optimize
from govopt.data.dataset import Dataset
from govopt.optimize import allocation, baseline, solve
from govopt.plan import Status

REPO = Path(__file__).resolve().parents[1]


def test_every_solver_call_is_limited_by_the_60_s_default(
    tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits: list[Any] = []
    real = allocation.make_solver

    def recording(*args: Any, **kwargs: Any) -> Any:
        limits.append(kwargs.get("time_limit_s"))
        return real(*args, **kwargs)

    monkeypatch.setattr(allocation, "make_solver", recording)
    assert tiny_dataset.scenario is not None
    # MIP, then an LP for duals; the baseline on HiGHS too.
    scenario = tiny_dataset.scenario.replace(integer_staff=True, solver="highs")
    assert baseline(tiny_dataset, scenario).optimal
    assert solve(tiny_dataset, scenario).optimal
    assert len(limits) >= 4
    assert all(limit is not None and 0 < limit <= 60.0 for limit in limits), limits
    assert max(limits) == 60.0  # later stages of a model get what the earlier ones left


def test_unfinished_baseline_is_not_solved_again(
    tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tiny_dataset.scenario is not None
    unfinished = baseline(tiny_dataset, tiny_dataset.scenario.replace(time_limit_s=1e-6))
    assert unfinished.status is Status.TIME_LIMIT and unfinished.kpis is None

    def must_not_run(*args: object) -> None:
        raise AssertionError("the baseline was solved again")

    monkeypatch.setattr(optimize, "_baseline_solution", must_not_run)
    plan = solve(tiny_dataset, tiny_dataset.scenario, baseline=unfinished)
    assert plan.optimal
    assert np.isnan(plan.grids["baseline_coverage"]).all()  # unknown, not 0 %
    assert plan.grids["coverage"].notna().all()


def test_a_baseline_still_solving_does_not_keep_the_process_alive(tiny_dataset_dir: Path) -> None:
    """The concurrent baseline runs on a daemon thread: exit does not wait for it."""
    script = textwrap.dedent(
        f"""
        import os, sys, threading
        sys.path.insert(0, {str(REPO)!r})
        import govopt.optimize as optimize
        from govopt.data.validate import load_dataset

        entered = threading.Event()

        def endless(*args):  # a long solve in C: it cannot be interrupted
            entered.set()
            threading.Event().wait()

        optimize._baseline_solution = endless
        solved = threading.Event()
        own_solve = optimize.AllocationModel.solve

        def scenario_solve(self, *args, **kwargs):  # the scenario finishes; the baseline hangs
            try:
                return own_solve(self, *args, **kwargs)
            finally:
                solved.set()

        optimize.AllocationModel.solve = scenario_solve
        ds = load_dataset({str(tiny_dataset_dir)!r})
        on_highs = ds.scenario.replace(solver="highs")  # the baseline on a second thread
        runner = threading.Thread(target=optimize.solve, args=(ds, on_highs), daemon=True)
        runner.start()  # like Streamlit's script threads
        assert entered.wait(60), "the baseline never started"
        assert solved.wait(60), "the scenario never finished"
        print("exiting", flush=True)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "exiting" in proc.stdout
