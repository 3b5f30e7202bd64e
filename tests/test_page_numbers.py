"""How the dashboard writes numbers: card deltas, table decimals, amounts of CNY."""

from __future__ import annotations

import json

import pytest
from apptest_support import new_app, run
from streamlit.testing.v1 import AppTest

_NONE, _DOWN = 2, 0  # Metric.direction: no arrow, arrow down


def _what_if_solved(lang: str, staff_total: float | None = None) -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    run(at)
    if staff_total is not None:
        at.number_input(key="sf_staff_total").set_value(staff_total)
    at.button[0].click()
    return run(at)


@pytest.mark.usefixtures("app_env")
def test_unchanged_figures_show_no_arrow_and_no_sign() -> None:
    at = _what_if_solved("en")
    cards = {m.label: m for m in at.metric if m.delta}
    assert cards["Staff used"].value == "10"
    for card in cards.values():
        assert card.delta in ("0", "0.0%"), card.label
        assert card.proto.direction == _NONE, card.label


@pytest.mark.usefixtures("app_env")
def test_changed_figures_keep_their_sign_and_arrow() -> None:
    at = _what_if_solved("en", staff_total=8)
    staff = next(m for m in at.metric if m.label == "Staff used")
    assert (staff.value, staff.delta, staff.proto.direction) == ("8", "-2", _DOWN)


def _table_app() -> None:
    import pandas as pd

    from govopt.ui.widgets import table

    table(
        pd.DataFrame(
            {
                "unmet_hours": [4377.0, 3328.14],
                "demand_hours": [100.0, 200.0],
                "staff": [3.0, 5.24],
                "orders": [1, 2],
            }
        ),
        "en",
    )


def test_a_column_with_decimals_shows_them_in_every_row_but_staff_stays_whole() -> None:
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    columns = json.loads(at.dataframe[0].proto.columns)
    formats = {name: c["type_config"]["format"] for name, c in columns.items() if name != "_index"}
    assert formats == {
        "unmet_hours": "%,.1f",
        "demand_hours": "localized",
        "staff": "localized",
        "orders": "localized",
    }
    assert list(at.dataframe[0].value["staff"]) == [3.0, 5.2]
