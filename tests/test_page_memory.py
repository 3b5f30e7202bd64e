"""What the dashboard keeps: the what-if form across pages, and language and dataset in the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import APP, TIMEOUT, assert_literal, new_app, run
from streamlit.testing.v1 import AppTest

from govopt.data.dataset import Dataset
from govopt.data.scenario import Objective, Scenario
from govopt.data.upload import save_upload, uploaded_datasets
from govopt.optimize import solve

_FIELDS = (
    "sf_name",
    "sf_objective",
    "sf_staff_total",
    "sf_funds_total",
    "sf_max_transfers",
    "sf_max_funds_moved",
    "sf_radius_community",
    "sf_min_funds_street",
    "sf_coverage_target",
    "sf_time_limit",
)
_PREVIOUS = "The plan below is for the previous settings"


def _what_if(lang: str = "en") -> AppTest:
    at = new_app(lang)
    at.switch_page("pages/what_if.py")
    return run(at)


def _solve(at: AppTest) -> AppTest:
    at.button[0].click()
    return run(at)


def _form(at: AppTest) -> dict[str, object]:
    widgets = {w.key: w for w in at.main if getattr(w, "key", None) in _FIELDS}
    return {key: widgets[key].value for key in _FIELDS}


def _away_and_back(at: AppTest, page: str = "pages/scenarios.py") -> AppTest:
    at.switch_page(page)
    run(at)
    at.switch_page("pages/what_if.py")
    return run(at)


def _plan_scenario(at: AppTest) -> Scenario:
    last = at.session_state["govopt"].last
    assert last is not None
    scenario: Scenario = last.plan.scenario
    return scenario


def _warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("page", ["pages/scenarios.py", "pages/coverage_map.py", "app.py"])
def test_the_form_keeps_the_solved_settings_across_pages(page: str, tiny_dataset: Dataset) -> None:
    at = _what_if()
    at.text_input(key="sf_name").set_value("twenty staff")
    at.selectbox(key="sf_objective").set_value(Objective.EQUITY)
    at.number_input(key="sf_staff_total").set_value(20.0)
    at.number_input(key="sf_radius_community").set_value(1500.0)
    at.slider(key="sf_coverage_target").set_value(70)
    at = _solve(at)
    solved = _form(at)
    assert solved["sf_staff_total"] == 20 and solved["sf_radius_community"] == 1500

    at = _away_and_back(at, page)
    assert _form(at) == solved  # not the dataset's 12 staff and 1000 m
    plan = _plan_scenario(at)
    assert (plan.name, plan.objective, plan.staff_total) == ("twenty staff", Objective.EQUITY, 20)
    assert plan.radius_m.community == 1500 and plan.coverage_target == pytest.approx(0.7)
    assert any("twenty staff" in c.value for c in at.caption if "Showing" in c.value)
    assert not any(_PREVIOUS in w for w in _warnings(at))

    at = _solve(at)  # solving the kept values again gives the same plan
    assert _plan_scenario(at) == plan
    shown = at.dataframe[0].value.set_index("center_id")["staff"]
    expected = solve(tiny_dataset, plan).centers.set_index("center_id")["staff"]
    assert shown.to_dict() == pytest.approx(expected.round(1).to_dict())


@pytest.mark.usefixtures("app_env")
def test_settings_not_solved_are_kept_and_the_plan_below_says_it_is_older() -> None:
    at = _solve(_what_if())
    assert not any(_PREVIOUS in w for w in _warnings(at))
    at.number_input(key="sf_min_funds_street").set_value(500_000.0)  # above the 400,000 budget
    at = _solve(at)
    assert "Please change these settings" in at.error[0].value
    assert any(_PREVIOUS in w and "'tiny'" in w for w in _warnings(at))
    assert _plan_scenario(at).min_funds_cny.street == 0  # the plan shown is the earlier one

    at = _away_and_back(at)
    assert at.number_input(key="sf_min_funds_street").value == 500_000
    assert any(_PREVIOUS in w for w in _warnings(at))

    at.number_input(key="sf_min_funds_street").set_value(50_000.0)
    at = _solve(at)
    assert not any(_PREVIOUS in w for w in _warnings(at))
    assert _plan_scenario(at).min_funds_cny.street == 50_000


@pytest.mark.usefixtures("app_env")
def test_the_previous_settings_notice_in_chinese() -> None:
    at = _solve(_what_if("zh"))
    at.number_input(key="sf_min_funds_street").set_value(500_000.0)
    at = _solve(at)
    assert any("下方方案按上一次求解的设置" in w for w in _warnings(at))


@pytest.mark.usefixtures("app_env")
def test_an_emptied_limit_means_no_limit_and_stays_empty() -> None:
    at = _what_if()
    for key in ("sf_staff_total", "sf_funds_total", "sf_max_transfers", "sf_time_limit"):
        box = at.number_input(key=key)
        # A box with a default gets it back in the browser when cleared: these have none.
        assert box.value is not None and not box.proto.HasField("default"), key
    assert at.number_input(key="sf_max_transfers").value == 3
    at.number_input(key="sf_max_transfers").set_value(None)
    at.number_input(key="sf_staff_total").set_value(None)
    at = _solve(at)
    plan = _plan_scenario(at)
    assert plan.max_transfers is None and plan.staff_total is None
    assert plan.funds_total_cny == 400_000  # the fields left alone keep their values
    assert at.session_state["govopt"].last.plan.optimal
    assert at.number_input(key="sf_max_transfers").value is None  # empty, not 3 again

    at = run(at)
    assert at.number_input(key="sf_max_transfers").value is None
    at = _away_and_back(at)
    assert at.number_input(key="sf_max_transfers").value is None
    assert at.number_input(key="sf_staff_total").value is None
    at = _solve(at)
    assert _plan_scenario(at).max_transfers is None


@pytest.mark.usefixtures("app_env")
def test_each_dataset_keeps_its_own_form(tmp_path: Path, tiny_dataset_dir: Path) -> None:
    upload = _upload(tmp_path / "home", tiny_dataset_dir, "other")
    at = _what_if()
    at.number_input(key="sf_staff_total").set_value(20.0)
    at = _solve(at)
    at.session_state["govopt"].data_path = str(upload)  # as the Data page's "Use" does
    at.session_state["govopt"].last = None
    at = _away_and_back(at)
    assert at.number_input(key="sf_staff_total").value == 12  # the upload's own defaults
    at.session_state["govopt"].data_path = None
    at = _away_and_back(at)
    assert at.number_input(key="sf_staff_total").value == 20


def _upload(home: Path, source: Path, name: str) -> Path:
    """``source``'s files uploaded under ``home`` as a dataset called ``name``."""
    files = [(p.name, p.read_bytes()) for p in sorted(source.iterdir()) if p.is_file()]
    about = f'name = "{name}"\nname_zh = "{name}"\nsynthetic = "true"\n'.encode()
    files = [(n, about if n == "about.toml" else data) for n, data in files]
    return save_upload(files, home)


def _fresh(**params: str) -> AppTest:
    """A new browser session opening the app at ``?params``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    return run(at)


def _sidebar_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def test_the_url_restores_language_and_dataset(app_env: Path, tiny_dataset_dir: Path) -> None:
    upload = _upload(app_env, tiny_dataset_dir, "uploaded district")
    [upload_id] = uploaded_datasets(app_env)
    assert uploaded_datasets(app_env)[upload_id] == upload

    at = _fresh(lang="en", data=upload_id)
    assert at.radio(key="govopt_lang_widget").value == "en"
    assert "In use: uploaded district (your upload)" in _sidebar_text(at)
    assert at.session_state["govopt"].data_path == str(upload)
    assert at.query_params == {"lang": "en", "data": upload_id}
    assert not at.warning

    at.switch_page("pages/what_if.py")
    at = run(at)
    assert at.query_params == {"lang": "en", "data": upload_id}  # written again on each page
    assert at.title[0].value.startswith("What-if")


@pytest.mark.usefixtures("app_env")
def test_language_and_dataset_choices_are_written_to_the_url(tiny_dataset_dir: Path) -> None:
    at = new_app("zh")
    assert at.query_params == {"lang": "zh"}  # the bundled data: no data parameter
    at.radio(key="govopt_lang_widget").set_value("en")
    at = run(at)
    assert at.query_params == {"lang": "en"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_dataset_in_the_url_is_ignored_with_a_message(
    app_env: Path, tiny_dataset_dir: Path, lang: str
) -> None:
    _upload(app_env, tiny_dataset_dir, "uploaded district")
    for bogus in ("upload-0000000000000000", "../datasets", str(tiny_dataset_dir), "x\ny"):
        at = _fresh(lang=lang, data=bogus)
        [warning] = at.warning
        assert_literal(warning.value, " ".join(bogus.splitlines()))
        assert ("is not known here" if lang == "en" else "不存在") in warning.value
        assert at.session_state["govopt"].data_path is None  # the bundled dataset
        assert at.query_params == {"lang": lang}  # dropped from the address
        at = run(at)
        assert not at.warning  # said once


@pytest.mark.usefixtures("app_env")
def test_an_unknown_language_in_the_url_is_ignored() -> None:
    at = _fresh(lang="fr")
    assert at.radio(key="govopt_lang_widget").value == "zh"
    assert at.query_params == {"lang": "zh"}


def test_a_dataset_picked_on_the_data_page_is_opened_again_by_the_url(
    app_env: Path, tiny_dataset_dir: Path
) -> None:
    at = new_app("en")
    at.switch_page("pages/data.py")
    at = run(at)
    files = [(p.name, p.read_bytes(), "text/plain") for p in sorted(tiny_dataset_dir.iterdir())]
    at.file_uploader(key="da_files").set_value(files)
    at = run(at)
    at.button(key="da_use").click()
    at = run(at)
    [(upload_id, upload)] = uploaded_datasets(app_env).items()
    assert at.query_params == {"lang": "en", "data": upload_id}

    again = _fresh(**at.query_params)  # a reload: a new session with the same address
    assert again.session_state["govopt"].data_path == str(upload)
    assert "your upload" in _sidebar_text(again)

    at.button[0].click()  # back to the bundled sample
    at = run(at)
    assert at.session_state["govopt"].data_path is None
    assert at.query_params == {"lang": "en"}
