"""The layout keeps its shape: no import cycle in generator/, no long module, click in cli/ only.

Imports are read with `ast`, not by importing: every `import` and `from … import`
anywhere in a module counts, at the top, under `if TYPE_CHECKING:` or inside a
function. A function-level import defers the cost of loading a module, not the
dependency: two modules that import each other that way still cannot be
understood, tested or moved one without the other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "generator"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE
MAX_LINES = 400
CLI = f"{PACKAGE}.cli"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Every module name an import in the file names, resolved to an absolute name.

    `import a.b.c` names a.b.c; `from a.b import c` names a.b and a.b.c (c may be a
    module). The packages an import passes through on the way (a and a.b for
    a.b.c) are not named: Python runs their __init__ first, but a package is made
    of its modules, so the arrow that matters points from the package down.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            yield stem
            for alias in node.names:
                yield f"{stem}.{alias.name}"


def internal_imports(name: str, path: Path) -> set[str]:
    """The generator modules this one imports."""
    return {
        imported
        for imported in imported_names(name, path)
        if imported in MODULES and imported != name
    }


GRAPH = {name: internal_imports(name, path) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_walk_sees_imports_at_every_level() -> None:
    # The reader must resolve relative imports, `from . import x`, and imports
    # inside functions, or a clean result would mean nothing.
    assert f"{PACKAGE}.cli" in GRAPH[f"{PACKAGE}.__main__"]
    assert f"{PACKAGE}.build" in GRAPH[f"{PACKAGE}.api"]  # imported inside a function
    assert f"{PACKAGE}.outputs" in GRAPH[f"{PACKAGE}.build"]  # the registry
    assert f"{PACKAGE}.bank.model" in GRAPH[f"{PACKAGE}.bank.load"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_inside_the_package() -> None:
    found = cycles(GRAPH)
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_build_knows_the_outputs_only_through_the_registry() -> None:
    registry, shared = f"{PACKAGE}.outputs", f"{PACKAGE}.outputs.base"
    for name in (f"{PACKAGE}.build", f"{PACKAGE}.workers"):
        named = {m for m in GRAPH[name] if m == registry or m.startswith(registry + ".")}
        assert named <= {registry, shared}, f"{name} imports {sorted(named - {registry, shared})}"
    # The types every output shares import no output and not the build that calls them.
    assert not {m for m in GRAPH[shared] if m.startswith(registry + ".") or m == f"{PACKAGE}.build"}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_the_limit(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines; split it where a seam shows"


@pytest.mark.parametrize(
    "name", sorted(name for name in MODULES if name != CLI and not name.startswith(CLI + "."))
)
def test_only_the_command_line_imports_click(name: str) -> None:
    imported = set(imported_names(name, MODULES[name]))
    assert not {n for n in imported if n == "click" or n.startswith("click.")}, (
        f"{MODULES[name]} imports click: the library API never does; only {CLI} and its modules may"
    )
