"""The what-if solve under AppTest: time limit field, Cancel button, leaving the page stops it."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest
from apptest_support import new_app, run
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import ElementTree, parse_tree_from_messages
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

import govopt.optimize as optimize
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.plan import Plan, Status


def _what_if(lang: str = "en") -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    return run(at)


@pytest.mark.usefixtures("app_env")
def test_form_has_the_time_limit_with_its_60_s_default() -> None:
    at = _what_if()
    field = at.number_input(key="sf_time_limit")
    assert field.value == 60
    assert field.label == "Longest solver time (s)"


class _Recorded:
    """The runners of AppTest's script runs, to read what a run showed before it was stopped."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runners: list[LocalScriptRunner] = []
        real = LocalScriptRunner.run
        recorded = self

        def run(self: LocalScriptRunner, *args: Any, **kwargs: Any) -> ElementTree:
            recorded.runners.append(self)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(LocalScriptRunner, "run", run)

    def last_tree(self) -> ElementTree:
        return parse_tree_from_messages(self.runners[-1].forward_msgs())


@pytest.mark.usefixtures("app_env")
def test_leaving_the_page_during_a_solve_cancels_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = optimize.solve
    started, finished = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def long_solve(dataset: Dataset, scenario: Scenario, **kw: Any) -> Plan:
        started.set()
        cancel = kw["cancel"]
        seen["cancelled"] = cancel.wait(120)  # a solve far longer than the page run
        plan = real(dataset, scenario, **kw)  # with the token set: cancelled at once
        seen["status"] = plan.status
        finished.set()
        return plan

    monkeypatch.setattr(optimize, "solve", long_solve)
    recorded = _Recorded(monkeypatch)
    at = _what_if()
    at.checkbox(key="sf_int").check()
    at.button[0].click()
    with pytest.raises(RuntimeError, match="timed out"):
        at.run(timeout=4)  # AppTest then stops the script run, as a page left does
    assert started.is_set()
    shown = recorded.last_tree()
    assert [b.label for b in shown.button if b.key == "wi_cancel"] == ["Cancel"]
    assert any("s of at most 60 s" in str(getattr(p, "proto", "")) for p in shown.get("progress"))
    assert finished.wait(60), "the solve did not stop"
    assert seen == {"cancelled": True, "status": Status.CANCELLED}
    # Nothing was cached: the same scenario solves again, this time to the end.
    monkeypatch.setattr(optimize, "solve", real)
    at = run(at)
    at.button[0].click()
    at = run(at)
    assert any(m.label == "Coverage" for m in at.metric)


@pytest.mark.usefixtures("app_env")
def test_cancel_button_leaves_a_notice() -> None:
    at = _what_if()
    at.session_state["wi_cancelled"] = True  # what the Cancel button's callback records
    at = run(at)
    assert any("The solve was cancelled" in i.value for i in at.info)
    at = run(at)
    assert not any("The solve was cancelled" in i.value for i in at.info)


@pytest.mark.usefixtures("app_env")
def test_feasible_plan_is_shown_with_its_label(monkeypatch: pytest.MonkeyPatch) -> None:
    real = optimize.solve

    def stopped_at_the_limit(dataset: Dataset, scenario: Scenario, **kw: Any) -> Plan:
        return replace(real(dataset, scenario, **kw), status=Status.FEASIBLE, gap=0.0038)

    monkeypatch.setattr(optimize, "solve", stopped_at_the_limit)
    at = _what_if()
    at.checkbox(key="sf_int").check()
    at.button[0].click()
    at = run(at)
    assert any("feasible, not proven optimal (gap 0.38%)" in w.value for w in at.warning)
    assert any(m.label == "Coverage" for m in at.metric)
    assert not at.error
