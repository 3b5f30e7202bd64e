"""One-line help for every indicator, KPI card, district figure and form field."""

from __future__ import annotations

from dataclasses import fields

import pytest
from apptest_support import new_app, run
from fakes import make_dataset

from govopt.analysis import indicators
from govopt.data.scenario import OBJECTIVES
from govopt.i18n import LANGS
from govopt.output.help_text import FORM_FIELDS, HELP_KEYS, help_text
from govopt.plan import Kpis


@pytest.mark.parametrize("lang", LANGS)
def test_every_map_indicator_is_explained(lang: str) -> None:
    for ind in indicators.catalogue(make_dataset(), with_plans=True):
        text = help_text(ind.id, lang)  # type: ignore[arg-type]
        assert text and text != HELP_KEYS.get(ind.id), ind.id
    assert help_text("orders_per_1k:elderly_care", "en") == (
        "Work orders of this category per 1,000 residents."
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_kpi_objective_and_form_field_is_explained(lang: str) -> None:
    names = [f.name for f in fields(Kpis) if f.name != "lowest_share"]
    names += [f"objective_{o.value}" for o in OBJECTIVES]
    names += list(FORM_FIELDS)
    names += ["grids", "streets", "residents", "elderly_share", "orders_per_1000",
              "work_orders", "centers", "staff", "funds", "orgs"]  # fmt: skip
    missing = [n for n in names if not help_text(n, lang)]  # type: ignore[arg-type]
    assert missing == []


def test_unknown_field_has_no_help() -> None:
    assert help_text("no_such_field", "zh") is None


def test_help_is_in_the_language_asked() -> None:
    assert help_text("coverage", "zh") == "全区已服务时长占需求时长的比例。"
    assert help_text("coverage", "en") == "Served hours as a share of demand hours, district-wide."


@pytest.mark.usefixtures("app_env")
def test_form_fields_name_widgets_of_the_what_if_form() -> None:
    at = new_app("en")
    at.switch_page("pages/what_if.py")
    at = run(at)
    keys = {w.key for kind in ("number_input", "selectbox", "slider", "checkbox")
            for w in at.get(kind)}  # fmt: skip
    wanted = {key for ks in FORM_FIELDS.values() for key in ks}
    assert wanted <= keys, sorted(wanted - keys)


@pytest.mark.usefixtures("app_env")
def test_map_picker_explains_the_chosen_indicator() -> None:
    at = new_app("zh")
    at.switch_page("pages/coverage_map.py")
    at = run(at)
    captions = [c.value for c in at.caption]
    assert help_text("staff_per_10k", "zh") in captions
    at.selectbox(key="map_indicator_zh").set_value("dist_street")
    at = run(at)
    assert help_text("dist_street", "zh") in [c.value for c in at.caption]


@pytest.mark.usefixtures("app_env")
def test_overview_cards_explain_themselves() -> None:
    at = run(new_app("en"))
    helps = {m.label: m.help for m in at.metric}
    assert helps["Grids"] == help_text("grids", "en")
    assert helps["Coverage today"] == help_text("baseline_coverage", "en")
    assert all(helps.values()), [k for k, v in helps.items() if not v]
