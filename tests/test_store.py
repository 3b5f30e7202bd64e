"""The SQLite scenario store: round trips, unique names, concurrency, crash safety."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from fakes import make_plan
from fs_support import read_only, snapshot

from govopt.output.store import (
    DB_FILENAME,
    NameTaken,
    ScenarioStore,
    StoreError,
    default_home,
    open_store,
)
from govopt.output.words import explain_infeasible
from govopt.plan import Conflict, Status


@pytest.fixture
def store(tmp_path: Path) -> ScenarioStore:
    return open_store(tmp_path)


def test_round_trip_keeps_every_field(store: ScenarioStore) -> None:
    plan = make_plan("加200人", staff=(7.0, 4.0, 3.0))
    assert store.save("加200人", plan, dataset="zhangqiu") == "加200人"
    back = store.load("加200人")
    assert back.scenario == plan.scenario
    assert back.status is Status.OPTIMAL
    assert back.objective == plan.objective
    assert back.kpis == plan.kpis
    assert back.marginal == plan.marginal
    assert dict(back.timings) == dict(plan.timings)
    pd.testing.assert_frame_equal(back.centers, plan.centers, check_dtype=False)
    pd.testing.assert_frame_equal(back.grids, plan.grids, check_dtype=False)
    assert back.flows is not None and plan.flows is not None
    pd.testing.assert_frame_equal(back.flows, plan.flows, check_dtype=False)
    [row] = store.list()
    assert (row.name, row.dataset, row.objective, row.status) == (
        "加200人",
        "zhangqiu",
        "coverage",
        "optimal",
    )
    assert row.staff_used == 14.0


def test_infeasible_plan_round_trips_explanation(store: ScenarioStore) -> None:
    plan = make_plan("bad", status=Status.INFEASIBLE)
    store.save("bad", plan)
    back = store.load("bad")
    assert back.status is Status.INFEASIBLE
    assert back.kpis is None
    assert back.conflicts == plan.conflicts
    assert explain_infeasible(back, "en") == [
        "Minimum staffing needs 14 staff; the staff budget allows 11."
    ]
    assert back.flows is None


def test_conflicts_keep_the_other_policies_of_their_conflict(store: ScenarioStore) -> None:
    conflicts = (
        Conflict("budget_staff", 4.0, 3.0, 1, 1.0, None, ("transfers",)),
        Conflict("transfers", 2.0, 1.0, 1, 1.0, None, ("budget_staff",)),
    )
    store.save("both", replace(make_plan("both", status=Status.INFEASIBLE), conflicts=conflicts))
    back = store.load("both")
    assert back.conflicts == conflicts
    assert explain_infeasible(back, "en") == [
        "The staff budget allows 3 staff; with the transfer limit, the plan needs 4.",
        "The transfer limit lets 1 staff move; with the staff budget, 2 must move.",
    ]


# The table as the first version of the store wrote it: sentences, no conflicts.
_OLD_SCHEMA = """
CREATE TABLE scenarios (
    name TEXT PRIMARY KEY, saved_at TEXT NOT NULL, dataset TEXT NOT NULL,
    scenario_json TEXT NOT NULL, status TEXT NOT NULL, objective REAL, solver TEXT NOT NULL,
    timings_json TEXT NOT NULL, kpis_json TEXT, marginal_json TEXT,
    explanation_json TEXT NOT NULL, explanation_zh_json TEXT NOT NULL, message TEXT NOT NULL,
    centers_parquet BLOB NOT NULL, grids_parquet BLOB NOT NULL, flows_parquet BLOB
)
"""


def test_plan_saved_by_the_first_version_still_opens(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    empty = make_plan("x", status=Status.INFEASIBLE).centers
    blob = pd.DataFrame(empty).to_parquet(index=False)
    with sqlite3.connect(path) as con:
        con.execute(_OLD_SCHEMA)
        con.execute(
            "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "旧方案", "2025-01-01T00:00:00+00:00", "zhangqiu",
                make_plan("旧方案").scenario.to_json(), "infeasible", None, "highs",
                '{"solve": 0.1}', None, None,
                '["Minimum staffing needs 9 staff; the staff budget allows 8."]',
                '["最低配置标准需要 9 名工作人员；人员预算只允许 8 名。"]',
                "no plan meets every policy at once; see the explanation",
                blob, blob, None,
            ),
        )  # fmt: skip
    store = ScenarioStore(path)
    old = store.load("旧方案")
    assert old.status is Status.INFEASIBLE and old.conflicts == ()
    assert explain_infeasible(old, "en") == [
        "Minimum staffing needs 9 staff; the staff budget allows 8."
    ]
    assert explain_infeasible(old, "zh") == ["最低配置标准需要 9 名工作人员；人员预算只允许 8 名。"]
    # The same file takes new plans with their conflicts, next to the old row.
    store.save("新方案", make_plan("新方案", status=Status.INFEASIBLE))
    assert store.load("新方案").conflicts == make_plan(status=Status.INFEASIBLE).conflicts
    assert sorted(store.names()) == ["新方案", "旧方案"]
    assert ScenarioStore(path).load("旧方案").saved_explanation == old.saved_explanation


def test_taken_name_raises_renames_or_overwrites(store: ScenarioStore) -> None:
    store.save("a", make_plan("a", staff=(6.0, 3.0, 2.0)))
    with pytest.raises(NameTaken, match="'a' is already saved"):
        store.save("a", make_plan("a"))
    assert store.save("a", make_plan("a"), on_conflict="rename") == "a (2)"
    assert store.save("a", make_plan("a"), on_conflict="rename") == "a (3)"
    assert store.save("a (2)", make_plan("a"), on_conflict="rename") == "a (4)"
    assert store.free_name("a") == "a (5)"
    assert store.free_name("new") == "new"
    store.save("a", make_plan("a", staff=(9.0, 3.0, 2.0)), on_conflict="overwrite")
    assert store.load("a").kpis is not None
    assert store.load("a").kpis.staff_used == 14.0  # type: ignore[union-attr]
    assert sorted(store.names()) == ["a", "a (2)", "a (3)", "a (4)"]


def test_rename_and_delete(store: ScenarioStore) -> None:
    store.save("x", make_plan("x"))
    store.save("y", make_plan("y"))
    with pytest.raises(NameTaken):
        store.rename("x", "y")
    with pytest.raises(KeyError, match="no saved scenario called 'zz'"):
        store.rename("zz", "w")
    store.rename("x", "z")
    assert sorted(store.names()) == ["y", "z"]
    assert store.delete("z") is True
    assert store.delete("z") is False
    assert store.names() == ["y"]
    with pytest.raises(KeyError):
        store.load("z")


def test_empty_name_is_refused(store: ScenarioStore) -> None:
    with pytest.raises(ValueError, match="name is empty"):
        store.save("  ", make_plan())


def test_concurrent_saves_never_lose_one(tmp_path: Path) -> None:
    plan = make_plan("same")
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            store = open_store(tmp_path)  # one store object per session
            for j in range(5):
                store.save("same", plan, on_conflict="rename")
                store.save(f"own-{i}-{j}", plan)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    names = open_store(tmp_path).names()
    assert len(names) == 80
    assert len([n for n in names if n.startswith("same")]) == 40
    assert "same (40)" in names


def test_database_uses_wal_and_failed_write_leaves_old_row(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save("keep", make_plan("keep"))
    con = sqlite3.connect(tmp_path / DB_FILENAME)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    broken = make_plan("keep")
    object.__setattr__(broken, "centers", "not a table")
    with pytest.raises(AttributeError):
        store.save("keep", broken, on_conflict="overwrite")
    assert store.load("keep").kpis == make_plan("keep").kpis
    con = sqlite3.connect(tmp_path / DB_FILENAME)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_interrupted_transaction_is_rolled_back(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save("a", make_plan("a"))
    with pytest.raises(RuntimeError), store._write() as con:
        con.execute("DELETE FROM scenarios")
        raise RuntimeError("power cut")
    assert store.names() == ["a"]


def test_home_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVOPT_HOME", str(tmp_path / "home"))
    assert default_home() == tmp_path / "home"
    open_store().save("a", make_plan())
    assert (tmp_path / "home" / DB_FILENAME).exists()
    monkeypatch.delenv("GOVOPT_HOME")
    assert default_home().name == "var"


def _saved_store(home: Path) -> Path:
    store = open_store(home)
    store.save("a", make_plan("a", staff=(6.0, 3.0, 2.0)), dataset="zhangqiu")
    store.save("b", make_plan("b"))
    return home / DB_FILENAME


@pytest.mark.parametrize(
    "content",
    [b"this is a spreadsheet, not a database\n" * 20, b"PK\x03\x04" + bytes(2000)],
)
def test_damaged_file_is_reported_and_left_as_it_is(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / DB_FILENAME
    path.write_bytes(content)
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as info:
        open_store(tmp_path)
    assert info.value.problem == "damaged"
    assert info.value.path == path
    assert str(path) in str(info.value) and "restore it from a backup" in str(info.value)
    assert snapshot(tmp_path) == before  # not overwritten, no -wal/-shm files beside it


def test_truncated_database_is_damaged_not_a_traceback(tmp_path: Path) -> None:
    path = _saved_store(tmp_path)
    path.write_bytes(path.read_bytes()[:1500])  # the SQLite header survives, pages do not
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as info:
        open_store(tmp_path).load("a")
    assert info.value.problem == "damaged"
    assert snapshot(tmp_path) == before


def test_read_only_home_lists_and_loads_but_refuses_writes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _saved_store(home)
    before = snapshot(home)
    with read_only(home):
        store = open_store(home)
        assert store.read_only
        assert sorted(store.names()) == ["a", "b"]
        assert store.exists("a") and store.free_name("a") == "a (2)"
        assert store.load("a").kpis == make_plan("a", staff=(6.0, 3.0, 2.0)).kpis
        for attempt in (
            lambda: store.save("c", make_plan("c")),
            lambda: store.rename("a", "z"),
            lambda: store.delete("a"),
        ):
            with pytest.raises(StoreError) as info:
                attempt()
            assert info.value.problem == "read_only"
            assert "GOVOPT_HOME" in str(info.value)
        assert snapshot(home) == before
    assert sorted(open_store(home).names()) == ["a", "b"]


def test_read_only_home_without_a_store_is_empty_and_refuses_saving(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with read_only(home):
        store = open_store(home)
        assert store.read_only and store.list() == [] and not store.exists("a")
        with pytest.raises(KeyError):
            store.load("a")
        with pytest.raises(StoreError, match="read-only"):
            store.save("a", make_plan("a"))
    assert list(home.iterdir()) == []


def test_killed_saver_leaves_a_readable_store(tmp_path: Path) -> None:
    """SIGKILL in the middle of saving: every row that is there loads, the file checks ok."""
    script = f"""
import sys
sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parents[1])!r}]
from fakes import make_plan
from govopt.output.store import open_store
store = open_store(__import__("pathlib").Path({str(tmp_path)!r}))
plan = make_plan("p")
for i in range(100000):
    store.save(f"p{{i}}", plan)
    if i == 3:
        print("saving", flush=True)
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "saving\n"
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    con = sqlite3.connect(tmp_path / DB_FILENAME)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    store = open_store(tmp_path)
    names = store.names()
    assert len(names) >= 4
    for name in names:
        assert store.load(name).kpis == make_plan("p").kpis


def test_marginal_values_round_trip_and_older_ones_still_open(store: ScenarioStore) -> None:
    from dataclasses import replace

    from govopt.output.words import explain_marginal
    from govopt.plan import MarginalValues, TopCenter

    top = TopCenter("C3", "西社区站", "community", 1600.0, gain_points=0.12, gain_hours=800.0)
    marginal = MarginalValues(
        1600.0, 125.0, None, (top,), per_staff_points=0.12, per_staff_hours=800.0, partial=True
    )
    store.save("new", replace(make_plan("new"), marginal=marginal))
    assert store.load("new").marginal == marginal
    # A plan saved when marginal values were stage 1's duals only.
    store.save("old", make_plan("old"))
    old_json = (
        '{"per_staff": 1234.5, "per_10k_cny": 125.0, "per_transfer": null, "top_centers": [{'
        '"center_id": "C3", "name": "西社区站", "level": "community", "hours_per_staff": 1600.0'
        "}]}"
    )
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE scenarios SET marginal_json = ? WHERE name = 'old'", (old_json,))
    old = store.load("old")
    assert old.marginal == make_plan().marginal
    assert old.marginal is not None and old.marginal.per_staff_points is None
    assert old.marginal.top_centers[0].gain_hours is None
    assert explain_marginal(old, "en")[0] == (
        "One more staff member in the budget covers about 1,234.5 more "
        "(priority-weighted) hours a year."
    )
