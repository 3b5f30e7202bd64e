"""A plan another session solved is read from the cache without replaying its progress bar."""

from __future__ import annotations

import pytest
from apptest_support import new_app, run
from streamlit.testing.v1 import AppTest

from govopt.i18n import t


def _solve(lang: str) -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    run(at)
    at.button[0].click()
    return run(at)


@pytest.mark.usefixtures("app_env")
def test_a_second_session_solving_the_same_scenario_gets_the_plan() -> None:
    first = _solve("en")
    assert any(h.value == t("wi.kpis", "en") for h in first.subheader)
    second = _solve("en")  # a new session: the plan comes from the cache
    assert [e.value for e in second.error] == []
    assert any(h.value == t("wi.kpis", "en") for h in second.subheader)
    staff = {m.label: m.value for m in second.metric}["Staff used"]
    assert staff == {m.label: m.value for m in first.metric}["Staff used"]
