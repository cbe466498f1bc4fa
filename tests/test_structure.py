"""The package's shape, as docs/ARCHITECTURE.md describes it: short modules, features
that never import one another, no import circle, suffixes listed only by the registry."""

from __future__ import annotations

import ast
from pathlib import Path

from kushiro_editor.formats import registry

PACKAGE = Path(__file__).resolve().parent.parent / "kushiro_editor"
FEATURES = ("files", "year", "inquiry", "review", "find", "snapshots", "structure", "reports")
FEATURES += ("guide", "kpi", "pasttense", "history")
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, *, top_level_only: bool) -> set[str]:
    """The package's modules ``name`` imports (at its top level only, if asked)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("kushiro_editor")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.startswith("kushiro_editor"):
                found.add(module)
                found |= {f"{module}.{a.name}" for a in node.names}
    return found


def test_no_module_is_longer_than_600_lines():
    long = {
        name: count
        for name, path in _modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_feature_package_imports_another():
    modules = _modules()
    crossings = []
    for name, path in modules.items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] != "gui" or parts[2] not in FEATURES:
            continue
        for imported in _imports(name, path, top_level_only=False):
            other = imported.split(".")
            crossing = len(other) > 2 and other[1] == "gui" and other[2] in FEATURES
            if crossing and other[2] != parts[2]:
                crossings.append(f"{name} → {imported}")
    assert crossings == []


def test_no_import_circle():
    modules = _modules()
    graph = {
        name: {m for m in _imports(name, path, top_level_only=True) if m in modules and m != name}
        for name, path in modules.items()
    }
    # A package's __init__ importing its own modules is not a circle through them.
    for name, imported in graph.items():
        imported -= {m for m in imported if name.startswith(m + ".")}
    circles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" → ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


# The folder of 照会 answers holds the answer workbooks the packs are: a fixed
# file of its own, not one of the report's formats.
SUFFIX_ALLOWED = {"kushiro_editor.core.inquiryfolder": {".xlsx"}}


def test_no_suffix_is_listed_outside_the_registry():
    suffixes = {s for f in registry.FORMATS for s in f.suffixes}
    found = []
    for name, path in _modules().items():
        if name == "kushiro_editor.formats.registry":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # A file name the editor gives what it writes (f"依頼文_{year}.docx") is
        # not a list of formats.
        named = {
            id(part) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for part in n.values
        }
        for node in ast.walk(tree):
            if id(node) in named:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value.lower()
                if value in suffixes and value not in SUFFIX_ALLOWED.get(name, set()):
                    found.append(f"{name}: {node.value}")
    assert found == []


def test_the_checks_above_can_see_a_crossing(tmp_path):
    # The import reader follows relative imports the way the features write them.
    path = tmp_path / "work.py"
    path.write_text("from ..year.dialogs import NewYearDialog\nfrom ...core import kinds\n")
    found = _imports("kushiro_editor.gui.files.work", path, top_level_only=True)
    assert "kushiro_editor.gui.year.dialogs" in found
    assert "kushiro_editor.core.kinds" in found
