"""The indicator catalogue and its per-grid values."""

from __future__ import annotations

import math

import pytest
from fakes import make_dataset, make_plan

from govopt.analysis import indicators
from govopt.output.indicator_text import format_value, grid_details


def test_catalogue_has_unique_ids_labels_in_both_languages_and_a_category_entry() -> None:
    d = make_dataset()
    cat = indicators.catalogue(d)
    ids = [i.id for i in cat]
    assert len(ids) == len(set(ids))
    assert "orders_per_1k:elderly_care" in ids
    assert "orders_per_1k:disputes_mediation" in ids
    for ind in cat:
        assert ind.zh and ind.en
        assert indicators.get(ind.id) == ind
    assert [i.id for i in indicators.catalogue(d, with_plans=False) if i.plans] == []


def test_unknown_indicator_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="staff_per_10k"):
        indicators.get("nope")


def test_indicator_table_values_by_hand() -> None:
    tab = indicators.indicator_table(make_dataset())
    assert list(tab.index) == ["G1", "G2", "G3", "G4"]
    assert tab.loc["G1", "orders_per_1k"] == pytest.approx(2.0)  # 2 orders, 1,000 residents
    assert tab.loc["G4", "orders_per_1k:elderly_care"] == pytest.approx(2.5)
    assert tab.loc["G1", "orders_per_1k:disputes_mediation"] == 0.0
    assert tab.loc["G1", "demand_per_1k"] == pytest.approx(1106.0)
    assert tab.loc["G1", "satisfaction"] == pytest.approx(4.2)
    assert math.isnan(tab.loc["G2", "satisfaction"])
    assert tab["unreachable"].sum() == 0
    # The fake has no party columns: no data rather than zero.
    assert tab["party_per_1k"].isna().all()


def test_party_indicators_per_1000_residents_and_share_of_60_plus() -> None:
    d = make_dataset()
    d.grids["party_members"] = [50, 0, 30, 10]
    d.grids["party_members_60plus"] = [20, 0, 15, 10]
    d.grids["key_families"] = [5, 0, 3, 1]
    tab = indicators.indicator_table(d)
    assert tab.loc["G1", "party_per_1k"] == pytest.approx(50.0)
    assert tab.loc["G1", "party_60plus_share"] == pytest.approx(0.4)
    assert math.isnan(tab.loc["G2", "party_60plus_share"])  # no members: no share
    assert tab.loc["G4", "key_families_per_1k"] == pytest.approx(2.5)


def test_plan_indicators_read_the_plan_and_change_is_other_minus_plan() -> None:
    d = make_dataset()
    a = make_plan("a")
    b = make_plan("b", served=(1000.0, 800.0, 500.0, 200.0))
    cov = indicators.compute(d, "plan_coverage", plan=a)
    assert cov.to_dict() == pytest.approx({"G1": 0.9, "G2": 0.875, "G3": 0.6, "G4": 0.0})
    base = indicators.compute(d, "baseline_coverage", plan=a)
    assert base["G3"] == pytest.approx(0.5)
    change = indicators.compute(d, "coverage_change", plan=a, other=b)
    assert change.to_dict() == pytest.approx({"G1": 0.1, "G2": 0.125, "G3": 0.4, "G4": 1.0})


def test_plan_indicator_without_a_plan_says_so() -> None:
    with pytest.raises(ValueError, match="needs a solved plan"):
        indicators.compute(make_dataset(), "plan_coverage")


def test_formatting_per_kind() -> None:
    assert format_value(indicators.get("plan_coverage"), 0.8, "en") == "80.0%"
    assert format_value(indicators.get("coverage_change"), 0.05, "en") == "+5.0%"
    assert format_value(indicators.get("dist_street"), 1234.4, "en") == "1,234 m"
    assert format_value(indicators.get("dist_street"), 1234.4, "zh") == "1,234 米"
    assert format_value(indicators.get("unreachable"), 1.0, "zh") == "是"
    assert format_value(indicators.get("satisfaction"), None, "en") == "—"


def test_grid_details_show_the_grid_and_every_indicator() -> None:
    d = make_dataset()
    extra = indicators.compute(d, "plan_coverage", plan=make_plan())
    details = grid_details(d, "G4", "en", extra=extra)
    rows = dict(zip(details["Item"], details["Value"], strict=True))
    assert rows["Name"] == "<b>西二</b>"  # plain text: the table escapes it
    assert rows["Coverage under the plan"] == "0.0%"
    assert rows["Residents"] == "400"
    with pytest.raises(KeyError, match="G9"):
        grid_details(d, "G9", "en")
