"""Why-below-target words: every cause has them, names are escaped, numbers read right."""

from __future__ import annotations

import pytest
from model_cases import C, G, make_case, scenario

from govopt.analysis.diagnosis import CAUSES, diagnose
from govopt.i18n import STRINGS
from govopt.optimize import solve
from govopt.ui import why_view
from govopt.ui.why_view import below_target_table, cause_table, grid_lines


def test_every_cause_has_a_label_and_an_explanation() -> None:
    for table in (why_view._LABELS, why_view._EXPLAIN):
        assert list(table) == list(CAUSES)
        assert all(key in STRINGS for key in table.values())


def test_names_are_escaped_and_the_gain_is_in_points() -> None:
    # As in test_diagnosis: B gets 1,200 of 5,000 h; one more staff adds 1,600 h = 32 points.
    ds = make_case([G(0, 0, 2000, priority=1.5), G(1000, 0, 5000)], [C(0, 0, name="**C** <b>")])
    plan = solve(ds, scenario(staff_total=2))
    found = diagnose(ds, plan)
    lines = grid_lines(found[0], "en")
    assert lines[0] == "**Budget used up**"
    assert "Coverage 24.0% (target 80%); 3,800 hours a year unmet." in lines
    name = "\\*\\*C\\*\\* \\<b\\>"
    assert f"- {name} (street center, 1,000 m): load 100.0%, staff 2.0 of at most 100.0" in lines
    assert lines[-1].startswith(f"One more staff member at {name}")
    assert "at most 32.0 percentage points" in lines[-1]
    zh = grid_lines(found[0], "zh")
    assert zh[0] == "**可达中心可增员，但预算已用完**"
    table = below_target_table(found, "en")
    assert table[["grid_id", "cause", "best_center"]].values.tolist() == [
        ["G1", "Budget used up", "**C** <b>"]
    ]
    assert table["one_more_gain"].tolist() == pytest.approx([0.32])
    counts = cause_table(found, "en").set_index("cause")["grids"]
    assert counts.to_dict() == {
        "No center within reach": 0,
        "Centers in reach are full": 0,
        "Budget used up": 1,
        "Hours go to other grids": 0,
    }
