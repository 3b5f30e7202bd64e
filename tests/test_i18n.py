"""The string table: complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from govopt import i18n
from govopt.i18n import LANGS, STRINGS, fmt_cny, fmt_int, fmt_money, fmt_num, fmt_pct, t

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "govopt").rglob("*.py")]
)


def _t_literals(path: Path) -> set[str]:
    keys: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "t"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            keys.add(node.args[0].value)
    return keys


_FILE_ENDINGS = frozenset({"csv", "geojson", "html", "json", "py", "sqlite", "toml", "xlsx", "zip"})


def _key_like_constants(path: Path) -> set[str]:
    """String constants shaped like a key of a namespace of STRINGS (``wi.saved``), not files."""
    spaces = "|".join(sorted({re.escape(k.split(".")[0]) for k in STRINGS}))
    shape = re.compile(rf"^(?:{spaces})\.[a-z0-9_]+(?:\.[a-z0-9_]+)*$")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if shape.match(text) and text.rsplit(".", 1)[1] not in _FILE_ENDINGS:
                found.add(text)
    return found


def _built_keys(path: Path) -> list[int]:
    """Lines where ``t`` gets a key built at run time (f-string, ``+`` or ``%``)."""
    lines: list[int] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "t"
            and node.args
            and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))
        ):
            lines.append(node.lineno)
    return lines


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_chinese_and_english() -> None:
    for key, pair in STRINGS.items():
        assert len(pair) == len(LANGS), key
        zh, en = pair
        assert zh.strip() and en.strip(), key
        words = re.sub(r"\{[^}]*\}", "", zh)
        if re.search(r"[A-Za-z]{4,}", words):
            assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: Chinese text expected"


def test_placeholders_match_between_languages() -> None:
    for key, (zh, en) in STRINGS.items():
        assert _fields(zh) == _fields(en), key


def test_no_key_is_written_twice() -> None:
    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    keys: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "STRINGS":
            assert isinstance(node.value, ast.Dict)
            keys = [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
    assert keys, "STRINGS not found"
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_literal_key_used_in_code_exists(path: Path) -> None:
    missing = sorted(_t_literals(path) - set(STRINGS))
    assert not missing, f"{path.name} uses unknown keys {missing}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_written_in_code_exists(path: Path) -> None:
    # Keys kept in tables (status -> key, code -> key) or chosen by a condition
    # are literals too; a key built with an f-string leaves a prefix that fails here.
    if path.name == "i18n.py":
        return
    missing = sorted(_key_like_constants(path) - set(STRINGS))
    assert not missing, f"{path.name} names unknown keys {missing}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_key_is_built_at_run_time(path: Path) -> None:
    assert _built_keys(path) == [], f"{path.name}: write the key as a literal"


def test_the_key_checks_catch_built_and_unknown_keys(tmp_path: Path) -> None:
    code = tmp_path / "page.py"
    code.write_text(
        'which = "x"\nt(f"wi.download_{which}", "zh")\nt("wi." + which)\n'
        'LABELS = {"a": "status.optimal", "b": "status.no_such"}\n'
        'FILES = ("scenario.toml", "map.html")\n',
        encoding="utf-8",
    )
    assert _built_keys(code) == [2, 3]
    assert sorted(_key_like_constants(code) - set(STRINGS)) == ["status.no_such", "wi.download_"]


def test_translation_and_fallback() -> None:
    assert t("nav.overview", "zh") == "总览"
    assert t("nav.overview", "en") == "Overview"
    assert t("wi.saved", "en", name="A").startswith("Saved as 'A'")
    assert t("no.such.key", "en") == "no.such.key"


def test_number_formats() -> None:
    assert fmt_int(1_075_784, "en") == "1,075,784"
    assert fmt_int(1_075_784, "zh") == "107.6万"
    assert fmt_int(9_999, "zh") == "9,999"
    assert fmt_num(1234.56, "en") == "1,234.6"
    assert fmt_pct(0.8) == "80.0%"
    assert fmt_pct(None) == "—"
    assert fmt_num(float("nan")) == "—"


def test_amounts_of_cny_are_grouped_and_in_large_units() -> None:
    assert fmt_cny(13_180_000, "zh") == "13,180,000 元（1,318 万元）"
    assert fmt_cny(13_180_000, "en") == "13,180,000 CNY (13.18 million)"
    assert fmt_cny(13_183_456, "zh") == "13,183,456 元（1,318.35 万元）"
    assert fmt_cny(250_000, "en") == "250,000 CNY"
    assert fmt_cny(9_999, "zh") == "9,999 元"
    assert fmt_cny(30_000, "zh") == "30,000 元（3 万元）"
    assert fmt_cny(None, "en") == "—"


def test_amounts_on_cards_are_short() -> None:
    assert fmt_money(13_180_000, "zh") == "1,318万"
    assert fmt_money(13_180_000, "en") == "13.18M"
    assert fmt_money(-1_196_400, "en") == "-1.20M"
    assert fmt_money(290_000, "en") == "290,000"
    assert fmt_money(None, "zh") == "—"


def test_keys_built_from_values_exist() -> None:
    from govopt.analysis.compare import KPI_NAMES
    from govopt.analysis.overview import STREET_COLUMNS
    from govopt.data.scenario import OBJECTIVES, PROBLEM_KEYS
    from govopt.data.schema import LEVELS
    from govopt.plan import Status

    needed = [f"sf.objective.{o}" for o in OBJECTIVES]
    needed += [f"status.{s.value}" for s in Status]
    needed += [f"sf.{kind}.{lv}" for kind in ("radius", "min_staff", "min_funds") for lv in LEVELS]
    needed += [f"col.level_{lv}" for lv in LEVELS]
    needed += [f"col.{name}" for name in (*KPI_NAMES, *STREET_COLUMNS)]
    needed += [f"wi.conflict_{c}" for c in ("rename", "overwrite")]
    needed += [f"wi.stage.{s}" for s in ("demand", "links", "build", "solve", "extract")]
    needed += [f"status_note.{s.value}" for s in Status if s is not Status.OPTIMAL]
    needed += list(PROBLEM_KEYS.values())
    needed += [f"col.severity_{s}" for s in ("error", "warning", "info")]
    assert sorted(k for k in needed if k not in STRINGS) == []
