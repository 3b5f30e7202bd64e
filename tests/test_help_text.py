"""One-line help for every indicator, KPI card, district figure and form field."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest
from apptest_support import new_app, run
from fakes import make_dataset
from language import english_runs

from govopt.analysis import indicators
from govopt.data.scenario import OBJECTIVES
from govopt.i18n import LANGS
from govopt.output.help_text import FORM_FIELDS, HELP_KEYS, help_text
from govopt.plan import Kpis

_FORM_KINDS = ("text_input", "number_input", "selectbox", "slider", "checkbox")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LIMITS = ("sf_staff_total", "sf_funds_total", "sf_max_transfers", "sf_max_funds_moved",
           "sf_time_limit")  # fmt: skip


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
    keys = {w.key for kind in _FORM_KINDS for w in at.get(kind)}
    wanted = {key for ks in FORM_FIELDS.values() for key in ks}
    assert wanted <= keys, sorted(wanted - keys)


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("lang", LANGS)
def test_every_widget_of_the_what_if_form_explains_itself(lang: str) -> None:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    at = run(at)
    widgets = {w.key: w for kind in _FORM_KINDS for w in at.get(kind)
               if w.key and w.key.startswith("sf_")}  # fmt: skip
    field_of = {key: field for field, keys in FORM_FIELDS.items() for key in keys}
    assert sorted(widgets) == sorted(field_of)
    for key, widget in widgets.items():
        text = widget.help
        assert text and text.startswith(help_text(field_of[key], lang) or "?"), key  # type: ignore[arg-type]
        if lang == "zh":
            assert _CJK.search(text) and english_runs(text) == [], (key, text)
        else:
            assert not _CJK.search(text), (key, text)
    no_limit = {"zh": "留空表示不限", "en": "leave empty for no limit"}[lang]
    for key in _LIMITS:
        assert no_limit in widgets[key].help.casefold(), key


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize(
    ("lang", "funds", "moved"),
    [
        ("zh", "经费总额上限 13,180,000 元（1,318 万元）", "最多调减经费 250,000 元（25 万元）"),
        ("en", "funds in total 13,180,000 CNY (13.18 million)", "funds moved 250,000 CNY"),
    ],
)
def test_budget_amounts_are_read_back_with_digits_grouped(
    lang: str, funds: str, moved: str
) -> None:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    at = run(at)
    first = " ".join(c.value for c in at.caption)
    assert ("400,000 元（40 万元）" if lang == "zh" else "400,000 CNY") in first
    assert ("最多调减经费 不限" if lang == "zh" else "funds moved no limit") in first
    at.number_input(key="sf_funds_total").set_value(13_180_000.0)
    at.number_input(key="sf_max_funds_moved").set_value(250_000.0)
    at.number_input(key="sf_min_funds_community").set_value(30_000.0)
    at.button[0].click()
    at = run(at)
    captions = " ".join(c.value for c in at.caption)
    assert funds in captions and moved in captions
    assert ("社区中心 30,000 元（3 万元）" if lang == "zh" else "community center 30,000 CNY") in (
        captions
    )
    plan = at.session_state["govopt"].last.plan
    assert plan.scenario.funds_total_cny == 13_180_000
    assert plan.scenario.max_funds_moved_cny == 250_000


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
