"""Problems are codes and values; their sentences live in the string table, rendered at the edge."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from govopt.data.errors import DataError, Problem, problem
from govopt.i18n import STRINGS
from govopt.output.problem_text import (
    PROBLEM_KEYS,
    describe,
    describe_problem,
    problem_fix,
    problem_message,
)

ROOT = Path(__file__).resolve().parent.parent
GOVOPT = ROOT / "govopt"
STRUCTURE_KEYS = {"problem.at_row", "problem.at_column", "problem.sep", "problem.rows"}


def _built_problems() -> set[tuple[str, str]]:
    """Every (code, variant) a module of govopt builds with a literal ``code=``."""
    found: set[tuple[str, str]] = set()
    for path in sorted(GOVOPT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            code = kw.get("code")
            if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
                continue
            variant = kw.get("variant")
            if variant is None:
                found.add((code.value, ""))
            elif isinstance(variant, ast.Constant):
                found.add((code.value, str(variant.value)))
            elif isinstance(variant, ast.IfExp):
                for branch in (variant.body, variant.orelse):
                    assert isinstance(branch, ast.Constant), f"{path}: variant must be literal"
                    found.add((code.value, str(branch.value)))
            else:
                raise AssertionError(f"{path}:{node.lineno}: give the variant as a literal")
    return found


PROBLEM_MODULES = ("errors.py", "io.py", "validate.py", "upload.py", "schema.py", "templates.py")


def test_the_modules_that_find_problems_do_not_import_the_string_table() -> None:
    for path in (GOVOPT / "data" / name for name in PROBLEM_MODULES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            assert not any(n.startswith("govopt.i18n") for n in names), path.name


def test_every_problem_built_has_a_message_and_a_fix_in_both_languages() -> None:
    built = {f"{code}.{variant}" if variant else code for code, variant in _built_problems()}
    assert len(built) > 40
    assert sorted(built - set(PROBLEM_KEYS)) == []
    for message, fix in PROBLEM_KEYS.values():
        assert message in STRINGS and fix in STRINGS


def test_no_problem_kind_or_sentence_is_left_unused() -> None:
    built = {f"{code}.{variant}" if variant else code for code, variant in _built_problems()}
    assert sorted(set(PROBLEM_KEYS) - built) == []
    used = set(STRUCTURE_KEYS) | {"problem.unknown"}
    used |= {key for pair in PROBLEM_KEYS.values() for key in pair}
    unused = sorted(k for k in STRINGS if k.startswith("problem.") and k not in used)
    assert unused == []


def test_problem_is_frozen_hashable_and_holds_plain_values() -> None:
    p = problem("centers.csv", code="not_allowed", row=np.int64(3), column="level", rows=[3, 4])
    q = Problem("error", "centers.csv", 3, "level", "not_allowed", {"rows": (3, 4)})
    assert p == q and hash(p) == hash(q) and len({p, q}) == 1
    assert p.params["rows"] == (3, 4)
    with pytest.raises(TypeError):
        p.params["rows"] = ()  # type: ignore[index]
    assert type(problem("a", code="too_large", size=np.float64(2.5)).params["size"]) is float
    assert problem("a", code="not_csv", variant="").params == {}


def test_one_line_in_english_and_chinese() -> None:
    p = problem(
        "centers.csv", code="not_a_number", row=2, column="staff", count=7, rows=(2, 3, 4, 5, 6)
    )
    assert describe_problem(p, "en") == (
        "centers.csv, row 2, column staff: not a number (7 row(s): 2, 3, 4, 5, 6 …) — "
        "write plain numbers such as 1200 (no units, no thousands separators)"
    )
    assert describe_problem(p, "zh") == (
        "centers.csv，第2行，列 staff: 不是数字（共7行：第2, 3, 4, 5, 6 …行） — "
        "请填写纯数字，如 1200（不带单位和千分位逗号）"
    )


def test_values_fill_the_sentence_and_lists_join_per_language() -> None:
    p = problem("x.exe", code="bad_file_name", variant="suffix", suffixes=(".csv", ".zip"))
    assert problem_message(p, "en").endswith("(use .csv, .zip)")
    assert problem_message(p, "zh").endswith("（可用：.csv、.zip）")
    assert problem_fix(p, "zh").startswith("请把文件改为简单的名称")
    mb = 1024 * 1024
    big = problem("a.csv", code="file_too_large", size_bytes=250 * mb, limit_bytes=200 * mb)
    assert problem_message(big) == "the file is 250.0 MB, over the 200.0 MB limit"
    assert problem_message(big, "zh") == "文件大小为250.0 MB，超过200.0 MB上限"


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (200 * 1024 * 1024 + 1, "200.000001"),
        (200 * 1024 * 1024 + 50_000, "200.05"),
        (300 * 1024 * 1024, "300.0"),
    ],
)
def test_a_size_over_the_limit_never_reads_like_the_limit(size: int, shown: str) -> None:
    p = problem("upload", code="too_large", size_bytes=size, limit_bytes=200 * 1024 * 1024)
    assert problem_message(p) == f"the upload is {shown} MB; the limit is 200.0 MB"


def test_an_unknown_code_is_shown_not_raised() -> None:
    p = problem("a.csv", code="no_such_code", n=3)
    assert problem_message(p, "en") == "data problem no_such_code (n=3)"
    assert problem_fix(p) == ""
    broken = problem("a.csv", code="below_minimum", minimum="low")
    assert "below_minimum" in problem_message(broken)


def test_data_error_str_is_a_plain_english_log_line() -> None:
    exc = DataError(
        [
            problem("centers.csv", code="empty_cell", row=4, column="staff", count=1, rows=(4,)),
            problem("grids.geojson", code="missing_crs", column="geometry"),
            problem("about.toml", code="unreadable_file", severity="warning", why="x"),
        ]
    )
    assert str(exc) == (
        "centers.csv, row 4, column staff: empty_cell (count=1, rows=(4,)) (and 1 more)"
    )


def test_describe_renders_every_problem_and_common_errors() -> None:
    exc = DataError([problem("centers.csv", code="missing_file")])
    assert describe(exc, "en") == (
        "centers.csv: required file missing: centers.csv — add the file "
        "(download the templates from the Data page or `govopt sample`)"
    )
    assert describe(exc, "zh").startswith("centers.csv: 缺少必需文件：centers.csv")
    missing = FileNotFoundError(2, "No such file", "/x/grids.geojson")
    assert describe(missing, "en") == "file or folder not found: /x/grids.geojson"
    assert describe(missing, "zh") == "找不到文件或文件夹：/x/grids.geojson"
    assert describe(ValueError("odd")) == "ValueError: odd"


def test_every_severity_has_a_label() -> None:
    labels = [STRINGS[f"report.severity.{s}"] for s in ("error", "warning", "info")]
    assert [en for _, en in labels] == ["ERROR", "WARNING", "INFO"]


def test_a_scenario_problem_inside_a_data_problem_is_worded_in_the_planners_language() -> None:
    from govopt.data.scenario import Scenario, ScenarioError

    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml('objective = "fastest"\n')
    p = problem("scenario.toml", code="bad_scenario", detail=info.value.problems[0])
    zh, en = describe_problem(p, "zh"), describe_problem(p, "en")
    assert "未知的优化目标“fastest”" in zh and "unknown" not in zh
    assert "objective 'fastest' is unknown" in en
