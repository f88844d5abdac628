"""The translation layer sits below every output: maps import nothing from the hand-outs, and
no import path (module-level or inside a function) leads from ``ccm_graph.i18n`` back to
``ccm_graph.briefs``."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[2] / "ccm_graph"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    """Module → the ``ccm_graph`` modules it imports, wherever the import statement is."""
    graph = nx.DiGraph()
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                stem = node.module or ""
                root = f"{base}.{stem}".strip(".") if node.level else stem
                targets = [f"{root}.{alias.name}" for alias in node.names] + [root]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def test_maps_import_nothing_from_the_briefs() -> None:
    graph = import_graph()
    maps = [m for m in graph if m.startswith("ccm_graph.maps")]
    assert maps
    assert [(m, t) for m in maps for t in graph.successors(m)
            if t.startswith("ccm_graph.briefs")] == []  # fmt: skip


def test_the_translation_layer_never_leads_back_to_an_output() -> None:
    graph = import_graph()
    i18n = [m for m in graph if m.startswith("ccm_graph.i18n")]
    assert len(i18n) >= 6
    reached = set().union(*(nx.descendants(graph, m) for m in i18n))
    assert not {m for m in reached if m.startswith(("ccm_graph.briefs", "ccm_graph.maps"))}
    cycles = [c for c in nx.simple_cycles(graph)
              if any(m.startswith("ccm_graph.i18n") for m in c)]  # fmt: skip
    assert cycles == []
