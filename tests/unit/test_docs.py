"""Docs are tested, not hoped for: the reference, the data model and the README follow the code."""

from __future__ import annotations

import dataclasses
import importlib.util
import re

import pytest

from ccm_graph.cli import cli
from ccm_graph.schema import TABLES, Label, RelType

from ..conftest import ROOT


def _load_reference_module():
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts" / "cli_reference.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current() -> None:
    reference = _load_reference_module()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference.render(), (
        "docs/cli.md is stale: run .venv/bin/python scripts/cli_reference.py"
    )


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_readme_shows_every_command(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"ccm-graph {command}" in readme


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    assert block.group(1).strip().splitlines() == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_data_model_documents_every_label_type_and_column() -> None:
    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    names = [label.value for label in Label] + [t.value for t in RelType]
    names += [column for table in TABLES for column in table.columns]
    missing = [name for name in names if f"`{name}`" not in text]
    assert not missing


@pytest.mark.parametrize(
    "variable", ["NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"]
)
def test_readme_documents_connection_variables(variable: str) -> None:
    assert f"`{variable}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_record_field_has_column_metadata() -> None:
    for table in TABLES:
        for field in dataclasses.fields(table.record):
            assert "column" in field.metadata, (table.file, field.name)
