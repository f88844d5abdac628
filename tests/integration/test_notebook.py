"""The analyst's notebook runs top to bottom on the seed, and against Neo4j."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from ccm_graph.dataset import read_seed
from ccm_graph.store import Store

from ..conftest import ROOT, SHIPPED_SEED

NOTEBOOK = ROOT / "notebooks" / "explore_coalitions.ipynb"


def execute(monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("CCM_GRAPH_SEED", str(SHIPPED_SEED))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()  # fmt: skip
    return notebook


def text_of(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


def test_notebook_runs_on_the_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    out = text_of(execute(monkeypatch))
    assert "gaps as of 2026-06-01" in out
    assert "Norway (state)" in out  # a partner for Lebanon
    assert "<iframe srcdoc=" in out and "records, " in out
    assert "No NEO4J_URI set" in out


def test_notebook_runs_against_neo4j(monkeypatch: pytest.MonkeyPatch, neo4j_env: dict,
                                     store: Store) -> None:  # fmt: skip
    store.load(read_seed(SHIPPED_SEED))
    monkeypatch.setenv("CCM_GRAPH_FROM", "neo4j")  # the whole notebook reads the database
    out = text_of(execute(monkeypatch))
    assert "the Neo4j database at" in out and "gaps as of 2026-06-01" in out
    assert "Norway (state)" in out
    # Iraq keeps its original deadline: the 11MSP decision on its request is not in the sources.
    assert "IRQ  Iraq" in out and "due 2023-11-01" in out


def test_notebook_database_step_leaves_restricted_records_out(
    monkeypatch: pytest.MonkeyPatch, neo4j_env: dict, store: Store
) -> None:
    store.load(read_seed(SHIPPED_SEED))
    store.query("MATCH (s:State {id: 'IRQ'}) SET s.sensitivity = 'restricted'", write=True)
    out = text_of(execute(monkeypatch))
    assert "LBN  Lebanon" in out
    assert "IRQ  Iraq" not in out  # its obligation hangs on a restricted State
