"""The package's shape, kept by a test: no module over 600 lines, no function over 80, no import
cycle. A year of features added by people who did not write the first version stays readable
only if each file keeps to one job (docs/architecture.md says where things go)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ccm_graph"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (``ccm_graph.analysis.gaps``); assets and the
    Cypher folder are data, not modules."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that runs, at the top or inside a function (an import inside a
    function is still a dependency); ``if TYPE_CHECKING:`` blocks never run, so they don't."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _runtime_imports_of(child))
            continue
        yield from _runtime_imports_of(node)


def _runtime_imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _runtime_imports(node)


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            # ``from pkg import sub`` imports the submodule; ``from pkg import name``, the package
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            if target in known and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
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
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_found() -> None:
    graph = import_graph()
    assert "ccm_graph.graph" in graph["ccm_graph.source"]  # a function-level import counts
    assert "ccm_graph.dataset" in graph["ccm_graph.source"]
    assert "ccm_graph.queries" in graph["ccm_graph.source"]


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" ⇄ ".join(c) for c in found)


def test_maps_do_not_reach_into_the_hand_outs() -> None:
    """Maps and hand-outs both stand on the translation layer; neither imports the other's
    inside (the hand-outs may draw a map)."""
    graph = import_graph()
    reach = {
        f"{name} → {target}"
        for name, targets in graph.items()
        if name.startswith("ccm_graph.maps")
        for target in targets
        if target.startswith("ccm_graph.briefs")
    }
    assert not reach, reach


def test_the_translation_layer_never_leads_back_to_an_output() -> None:
    """Every output (maps, hand-outs, later web pages) stands on ``ccm_graph.i18n``; nothing it
    imports, however indirectly, is an output."""
    graph = import_graph()
    layer = [name for name in graph if name.startswith("ccm_graph.i18n")]
    assert len(layer) >= 6
    reached: set[str] = set()
    todo = list(layer)
    while todo:
        for target in graph[todo.pop()]:
            if target not in reached:
                reached.add(target)
                todo.append(target)
    outputs = ("ccm_graph.briefs", "ccm_graph.maps", "ccm_graph.cli", "ccm_graph.analysis")
    assert not {name for name in reached if name.startswith(outputs)}


def test_the_library_does_not_import_click() -> None:
    """Only the command line knows click: the notebook and the workbench use the library."""
    users = []
    for name, path in modules().items():
        if name.startswith("ccm_graph.cli") or name == "ccm_graph.__main__":
            continue
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            if any(n and n.split(".")[0] == "click" for n in names):
                users.append(name)
    assert not users, users


def test_every_package_ships_in_the_wheel() -> None:
    """``pyproject.toml`` lists the packages by name (the Cypher folder is mapped into one): a
    package left off the list is missing from the wheel, and only a user notices."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {
        ".".join(path.parent.relative_to(PACKAGE.parent).parts)
        for path in PACKAGE.rglob("__init__.py")
    }
    assert packages <= listed, f"add to pyproject.toml's packages: {sorted(packages - listed)}"


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_over_the_limit(name: str) -> None:
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines: split it by job"


def test_no_function_over_the_limit() -> None:
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name} ({length} lines)")
    assert not long, "functions over the limit: " + ", ".join(long)
