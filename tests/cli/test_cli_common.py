"""The shared CLI objects: one ConnectionSettings and one ReadOptions per command."""

from __future__ import annotations

from datetime import date

import click
import pytest
from click.testing import CliRunner

from ccm_graph.cli.common import (
    ReadOptions,
    as_of_option,
    connection_options,
    restricted_option,
    source_options,
    window_option,
)
from ccm_graph.connection import ConnectionSettings

from ..conftest import SMALL_SEED


@click.command()
@connection_options
def show_connection(connection: ConnectionSettings) -> None:
    click.echo(repr(connection))
    click.echo(f"password length {len(connection.password)}")


@click.command()
@as_of_option
@click.option("--top", default=1)
@window_option
@restricted_option
@source_options
def show_source(top: int, source: ReadOptions) -> None:
    click.echo(repr(source))


@click.command()
@source_options
def plain_source(source: ReadOptions) -> None:
    click.echo(f"{source.include_restricted} {source.as_of} {source.window_years}")


def test_connection_is_one_object_from_options_and_environment() -> None:
    env = {"NEO4J_URI": "neo4j://db.example:7687", "NEO4J_PASSWORD": "hunter22"}
    result = CliRunner().invoke(show_connection, ["--user", "analyst"], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ConnectionSettings(uri='neo4j://db.example:7687', user='analyst', database='neo4j', "
        "timeout=15.0)",
        "password length 8",
    ]


def test_the_timeout_comes_from_the_option_or_the_environment() -> None:
    result = CliRunner().invoke(show_connection, [], env={"CCM_GRAPH_NEO4J_TIMEOUT": "2.5"})
    assert result.exit_code == 0 and "timeout=2.5)" in result.stdout, result.output
    result = CliRunner().invoke(show_connection, ["--timeout", "40"])
    assert result.exit_code == 0 and "timeout=40.0)" in result.stdout, result.output
    for wrong in ("0", "-1", "soon"):
        result = CliRunner().invoke(show_connection, ["--timeout", wrong])
        assert result.exit_code == 2 and "Invalid value for '--timeout'" in result.stderr


def test_source_collects_every_source_option_wherever_it_sits() -> None:
    args = ["--as-of", "2026-06-01", "--window", "1", "--include-restricted", "--from", "neo4j",
            "--seed", "elsewhere", "--password", "hunter22", "--top", "3"]  # fmt: skip
    result = CliRunner().invoke(show_source, args)
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    assert text == (
        "ReadOptions(origin='neo4j', seed_dir=PosixPath('elsewhere'), "
        "connection=ConnectionSettings(uri='bolt://127.0.0.1:7687', user='neo4j', "
        "database='neo4j', timeout=15.0), as_of=datetime.date(2026, 6, 1), window_years=1, "
        "include_restricted=True)"
    )
    assert "hunter22" not in text


def test_source_defaults_without_the_optional_options() -> None:
    result = CliRunner().invoke(plain_source, [])
    assert result.stdout.strip() == "False None 3"  # a command without the option hides them
    result = CliRunner().invoke(show_source, [])
    assert "include_restricted=False" in result.stdout and "as_of=None" in result.stdout


def test_source_reads_the_seed_and_leaves_restricted_records_out() -> None:
    source = ReadOptions(seed_dir=SMALL_SEED, include_restricted=False)
    full = source.read_all()
    assert full.has_restricted()
    assert not source.dataset().has_restricted()
    assert not ReadOptions(seed_dir=SMALL_SEED).dataset().has_restricted()
    assert ReadOptions(seed_dir=SMALL_SEED, include_restricted=True).dataset().has_restricted()
    assert source.graph().number_of_nodes() == len(source.dataset().node_index())


@pytest.mark.parametrize(
    ("as_of", "expected"), [(date(2026, 6, 1), date(2026, 6, 1)), (None, date(2026, 2, 27))]
)
def test_reference_date_is_as_of_or_the_datas_own_date(as_of: date | None, expected: date) -> None:
    # the shipped seed's metadata.json says as_of 2026-02-27: every "now" is dated there
    assert ReadOptions(as_of=as_of).reference_date() == expected


def test_as_of_today_asks_for_today_and_a_bad_date_is_a_usage_error() -> None:
    from click.testing import CliRunner

    from ccm_graph.cli import cli

    today = CliRunner().invoke(cli, ["support", "--as-of", "today", "--format", "json"])
    assert today.exit_code == 0, today.output
    assert f'"as_of": "{date.today().isoformat()}"' in today.output
    default = CliRunner().invoke(cli, ["support", "--format", "json"])
    assert '"as_of": "2026-02-27"' in default.output
    bad = CliRunner().invoke(cli, ["support", "--as-of", "27/02/2026"])
    assert bad.exit_code == 2 and "give YYYY-MM-DD or 'today'" in bad.output
