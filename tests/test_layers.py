"""The package's layers (docs/architecture.md): imports point down and never form a cycle.

Every ``import`` in ``govopt/`` is read with :mod:`ast`, also those inside
functions, so a lazy import cannot hide an upward arrow or a cycle. Imports
under ``if TYPE_CHECKING:`` count for the layers but not for cycles: they never
run (a family of constraints may name the model it builds on in its types).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "govopt"

# Layer of each top-level part of govopt; a module imports only its own layer or lower ones.
LAYER: dict[str, int] = {
    "": 0,  # govopt/__init__.py
    "data": 1,
    "plan": 2,
    "analysis": 3,
    "optimize": 4,
    "output": 5,
    "cli": 6,
    "ui": 6,
}
# Same layer but separate: the command line and the Streamlit helpers never import each other.
APART = {("cli", "ui"), ("ui", "cli")}
# The words for the planner (govopt/i18n.py) are used at the edge only; any layer may name
# the languages (the ``Lang`` type, ``LANGS``), which are codes, not words.
I18N_USERS = {"output", "cli", "ui"}
LANGUAGE_CODES = {"Lang", "LANGS"}
# Modules that still render planner text below the edge; to be moved out, then removed here.
I18N_PENDING = {"govopt.data.scenario"}
STREAMLIT_USERS = {"ui"}


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of ``path`` inside the package folder ``root``."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(tree: ast.Module) -> set[int]:
    """Ids of the import statements under ``if TYPE_CHECKING:``."""
    out: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for inner in node.body:
                out.update(id(n) for n in ast.walk(inner))
    return out


def read_imports(root: Path, *, type_only: bool = True) -> dict[str, set[str]]:
    """Every module of the package in ``root`` and the absolute names it imports.

    A name taken from a module (``from govopt.i18n import t``) is listed both as
    the module and as ``govopt.i18n:t``. ``type_only=False`` leaves out the
    imports under ``if TYPE_CHECKING:``.
    """
    modules = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        names: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        skip = set() if type_only else _type_only(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in modules:
                        names.add(full)
                    else:
                        names.update((base, f"{base}:{alias.name}"))
        found[name] = names
    return found


def part(module: str) -> str:
    """The top-level part of govopt a module belongs to ("" for the package itself)."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else ""


def layer_violations(imports: dict[str, set[str]]) -> list[str]:
    """Imports that break the layer rules, as readable lines."""
    out = []
    for module, names in sorted(imports.items()):
        here = part(module)
        taken = {n.split(":")[1] for n in names if n.startswith("govopt.i18n:")}
        only_codes = bool(taken) and taken <= LANGUAGE_CODES
        for target in sorted(n for n in names if ":" not in n):
            top = target.split(".")[0]
            if top == "streamlit" and here not in STREAMLIT_USERS:
                out.append(f"{module} imports streamlit (only govopt.ui may)")
            if top != "govopt":
                continue
            there = part(target)
            if there == "i18n":
                allowed = only_codes or module in I18N_PENDING
                if here not in I18N_USERS | {"i18n"} and not allowed:
                    out.append(f"{module} imports {target} (words belong to output, cli, ui)")
            elif here == "i18n":
                out.append(f"{module} imports {target} (i18n depends on nothing in govopt)")
            elif (here, there) in APART or LAYER[there] > LAYER[here]:
                out.append(f"{module} imports {target}, which is above it")
    return out


def find_cycle(imports: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the package's modules, or ``None``."""
    graph = {m: sorted(n for n in names if n in imports and n != m) for m, names in imports.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_every_import_points_down_the_layers() -> None:
    assert layer_violations(read_imports(PACKAGE)) == []


def test_no_import_cycle() -> None:
    cycle = find_cycle(read_imports(PACKAGE, type_only=False))
    assert cycle is None, " -> ".join(cycle or [])


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {part(m) for m in read_imports(PACKAGE)}
    assert parts - set(LAYER) == {"i18n"}


def test_pending_i18n_exceptions_still_exist() -> None:
    imports = read_imports(PACKAGE)
    for module in I18N_PENDING:
        assert "govopt.i18n" in imports.get(module, set()), f"{module}: remove it from I18N_PENDING"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "govopt"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"govopt/data/io.py": "def f():\n    from govopt.analysis import geo\n"},
            "govopt.data.io imports govopt.analysis.geo, which is above it",
        ),
        (
            {"govopt/analysis/geo.py": "from govopt.i18n import t\n"},
            "govopt.analysis.geo imports govopt.i18n (words belong to output, cli, ui)",
        ),
        (
            {"govopt/plan.py": "from govopt.i18n import LANGS, Lang, t\n"},
            "govopt.plan imports govopt.i18n (words belong to output, cli, ui)",
        ),
        (
            {"govopt/output/maps.py": "import streamlit as st\n"},
            "govopt.output.maps imports streamlit (only govopt.ui may)",
        ),
        (
            {"govopt/cli/map.py": "from govopt.ui import cache\n"},
            "govopt.cli.map imports govopt.ui.cache, which is above it",
        ),
        (
            {"govopt/optimize/solvers.py": "from ..output import export\n"},
            "govopt.optimize.solvers imports govopt.output.export, which is above it",
        ),
    ],
)
def test_the_layer_check_catches_an_upward_import(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    base = {
        "govopt/__init__.py": "",
        "govopt/i18n.py": "",
        "govopt/ui/cache.py": "",
        "govopt/analysis/geo.py": "",
        "govopt/output/export.py": "",
    }
    root = _write(tmp_path, {**base, **files})
    assert layer_violations(read_imports(root)) == [expected]


def test_any_layer_may_name_the_languages(tmp_path: Path) -> None:
    files = {
        "govopt/__init__.py": "",
        "govopt/i18n.py": "",
        "govopt/plan.py": "from govopt.i18n import Lang\n",
        "govopt/data/io.py": "from govopt.i18n import LANGS, Lang\n",
    }
    assert layer_violations(read_imports(_write(tmp_path, files))) == []


def test_the_cycle_check_finds_a_cycle_through_a_lazy_import(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "govopt/__init__.py": "",
            "govopt/analysis/a.py": "from govopt.analysis import b\n",
            "govopt/analysis/b.py": "def f():\n    from govopt.analysis.c import g\n",
            "govopt/analysis/c.py": "import govopt.analysis.a\n",
        },
    )
    assert find_cycle(read_imports(root)) == [
        "govopt.analysis.a",
        "govopt.analysis.b",
        "govopt.analysis.c",
        "govopt.analysis.a",
    ]


def test_a_cycle_through_type_hints_alone_is_not_a_cycle(tmp_path: Path) -> None:
    files = {
        "govopt/__init__.py": "",
        "govopt/optimize/model.py": "from govopt.optimize import rows\n",
        "govopt/optimize/rows.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from govopt.optimize.model import Model\n"
        ),
    }
    root = _write(tmp_path, files)
    assert "govopt.optimize.model" in read_imports(root)["govopt.optimize.rows"]
    assert find_cycle(read_imports(root, type_only=False)) is None
    root.joinpath("optimize", "rows.py").write_text(
        "def f():\n    from govopt.optimize.model import Model\n", encoding="utf-8"
    )
    assert find_cycle(read_imports(root, type_only=False)) == [
        "govopt.optimize.model",
        "govopt.optimize.rows",
        "govopt.optimize.model",
    ]
