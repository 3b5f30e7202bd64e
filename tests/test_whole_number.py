"""Whole-number staffing always comes back: feasible at the time limit, cancellable, labelled."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pulp
import pytest
from fakes import make_plan

import govopt.optimize as optimize
from govopt.cli import main
from govopt.data.dataset import Dataset
from govopt.data.io import write_dataset
from govopt.data.sample import generate
from govopt.optimize import Cancel, solve
from govopt.optimize.allocation import AllocationModel
from govopt.optimize.inputs import model_inputs
from govopt.optimize.rounding import whole_number_start
from govopt.optimize.solvers import status_of
from govopt.output.export import summary, write_plan
from govopt.output.store import open_store
from govopt.output.words import plan_notes, plan_status
from govopt.plan import Plan, Status


def _whole(plan: Plan) -> None:
    staff = plan.centers["staff"].to_numpy(float)
    assert np.array_equal(staff, np.round(staff))


def _district(n_grids: int) -> Dataset:
    ds = generate(n_grids=n_grids, seed=0)
    assert ds.scenario is not None
    return ds


@pytest.mark.parametrize("objective", ["cost", "coverage", "equity"])
def test_short_time_limit_returns_a_labelled_whole_number_plan(objective: str) -> None:
    ds = _district(200)
    assert ds.scenario is not None
    sc = ds.scenario.replace(objective=objective, integer_staff=True)
    # Short, but long enough for the first whole-number plan on this machine right now.
    start = whole_number_start(AllocationModel(model_inputs(ds, sc), sc))
    assert start.values is not None
    plan = solve(ds, sc.replace(time_limit_s=3 * start.seconds + 0.3))
    assert plan.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert plan.has_values and plan.kpis is not None and plan.objective is not None
    _whole(plan)
    if plan.status is Status.FEASIBLE:
        assert not plan.optimal
        assert plan_status(plan, "en").startswith("feasible, not proven optimal")
        # The gap is unknown only when equity's second step had no time to bound its plan.
        assert (plan.gap is not None and plan.gap > 0) or objective == "equity"
    else:
        assert plan.gap is None


def test_search_stopped_before_it_starts_returns_the_rounded_plan() -> None:
    ds = _district(200)
    assert ds.scenario is not None
    sc = ds.scenario.replace(objective="cost", integer_staff=True)
    inputs = model_inputs(ds, sc)
    start = whole_number_start(AllocationModel(inputs, sc))
    assert start.values is not None and start.gap is not None
    model = AllocationModel(inputs, sc.replace(time_limit_s=1e-9))
    sol = model.solve(mip_start=start)
    assert sol.status is Status.FEASIBLE
    assert sol.gap == pytest.approx(start.gap)
    start_staff = [start.values[v.name] for v in model.staff]
    assert sol.staff.tolist() == start_staff
    assert sol.objective == pytest.approx(start.objective)


def test_cancel_from_another_thread_stops_a_large_solve() -> None:
    ds = _district(1000)
    assert ds.scenario is not None
    sc = ds.scenario.replace(objective="equity", integer_staff=True, time_limit_s=300.0)
    cancel = Cancel()
    stages: list[str] = []

    def progress(stage: str, share: float) -> None:
        stages.append(stage)
        if stage == "start":  # the whole-number solve is under way: stop it from outside
            threading.Timer(0.5, cancel.set).start()

    plan = solve(ds, sc, progress=progress, cancel=cancel)
    assert "start" in stages
    assert plan.status is Status.CANCELLED
    assert plan.objective is None and plan.kpis is None and plan.centers.empty
    assert not plan.has_values
    assert "cancelled" in plan_notes(plan, "en")[0]


def test_cancel_set_before_the_solve_runs_no_solver(tiny_dataset: Dataset) -> None:
    cancel = Cancel()
    cancel.set()
    assert tiny_dataset.scenario is not None
    plan = solve(tiny_dataset, tiny_dataset.scenario.replace(integer_staff=True), cancel=cancel)
    assert plan.status is Status.CANCELLED and plan.kpis is None


def test_cbc_incumbent_of_a_mip_is_feasible_not_optimal() -> None:
    prob = pulp.LpProblem("mip", pulp.LpMaximize)
    x = prob.add_variable("x", 0, 3, pulp.LpInteger)
    prob += x
    prob.status, prob.sol_status = pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
    assert status_of(prob, "cbc") is Status.FEASIBLE
    prob.sol_status = pulp.LpSolutionOptimal
    assert status_of(prob, "cbc") is Status.OPTIMAL


def _feasible(plan: Plan) -> Plan:
    return replace(plan, status=Status.FEASIBLE, gap=0.004, notes=("start_rounding_failed",))


def test_feasible_plan_is_labelled_with_its_gap() -> None:
    plan = _feasible(make_plan("whole"))
    assert plan_status(plan, "en") == "feasible, not proven optimal (gap 0.40%)"
    assert plan_status(plan, "zh") == "可行（未证明最优，差距 0.40%）"
    assert plan.has_values and not plan.optimal
    notes = plan_notes(plan, "en")
    assert notes[0].startswith("this is the best whole-number plan found within the time limit")
    assert "No rounding met the staff budget" in notes[1]
    assert plan_status(replace(plan, gap=None), "en") == "feasible, not proven optimal"


def test_feasible_plan_round_trips_the_store_and_writes_its_tables(tmp_path: Path) -> None:
    plan = _feasible(make_plan("whole"))
    store = open_store(tmp_path / "home")
    store.save("whole", plan)
    back = store.load("whole")
    assert back.status is Status.FEASIBLE
    assert back.gap == pytest.approx(0.004)
    assert back.notes == ("start_rounding_failed",)
    assert back.kpis == plan.kpis
    [row] = store.list()
    assert row.status == "feasible"
    written = {p.name for p in write_plan(plan, make_dataset_for(plan), tmp_path / "out")}
    assert {"centers_plan.csv", "grids_coverage.csv", "summary.json"} <= written
    data = summary(plan)
    assert (data["status"], data["gap"], data["notes"]) == (
        "feasible",
        0.004,
        ["start_rounding_failed"],
    )
    assert summary(make_plan("optimal"))["gap"] is None


def make_dataset_for(plan: Plan) -> Dataset:
    from fakes import make_dataset

    return make_dataset()


def test_cli_exit_3_for_a_feasible_plan(
    tiny_dataset_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = optimize.solve

    def stopped_at_the_limit(dataset: Dataset, scenario: object, **kw: object) -> Plan:
        return _feasible(real(dataset, scenario, **kw))  # type: ignore[arg-type]

    monkeypatch.setattr(optimize, "solve", stopped_at_the_limit)
    out = tmp_path / "plan"
    assert main(["solve", str(tiny_dataset_dir), "--out", str(out), "--lang", "en"]) == 3
    printed = capsys.readouterr().out
    assert "feasible (gap 0.40%)" in printed
    assert "the solve stopped at the time limit" in printed and "exit code 3" in printed
    assert (out / "centers_plan.csv").is_file()
    saved = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert saved["status"] == "feasible" and saved["gap"] == pytest.approx(0.004)


def test_large_whole_number_cli_solve_comes_back(tmp_path: Path) -> None:
    folder = tmp_path / "district"
    ds = _district(200)
    write_dataset(replace(ds, scenario=None), folder)
    (folder / "scenario.toml").write_text(
        ds.scenario.replace(integer_staff=True, objective="cost").to_toml(),  # type: ignore[union-attr]
        encoding="utf-8",
    )
    code = main(["solve", str(folder), "--out", str(tmp_path / "o"), "--time-limit", "0.5"])
    assert code in (0, 3)
    saved = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert saved["status"] == ("optimal" if code == 0 else "feasible")
    assert (saved["gap"] is None) == (code == 0)


def test_feasible_plan_workbook_report_and_folder_carry_values_and_label(
    tiny_dataset: Dataset, tmp_path: Path
) -> None:
    from govopt.output.plan_reader import read_plan
    from govopt.output.report import report_html
    from govopt.output.workbook import plan_workbook

    assert tiny_dataset.scenario is not None
    plan = _feasible(solve(tiny_dataset, tiny_dataset.scenario.replace(integer_staff=True)))
    wb = plan_workbook(plan, tiny_dataset, "en")
    assert len(wb.sheetnames) > 1  # the centers and grids sheets, as for an optimal plan
    cells = [str(c.value) for row in wb[wb.sheetnames[0]].iter_rows() for c in row]
    assert "feasible, not proven optimal (gap 0.40%)" in cells
    html = report_html(plan, tiny_dataset, "en")
    assert "feasible, not proven optimal (gap 0.40%)" in html
    write_plan(plan, tiny_dataset, tmp_path / "out")
    back = read_plan(tmp_path / "out").plan
    assert back.status is Status.FEASIBLE and back.gap == pytest.approx(0.004)
    assert back.kpis is not None and len(back.centers) == len(plan.centers)
