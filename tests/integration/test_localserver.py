"""Provisioning the local Neo4j: the first password is set whatever characters it has."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccm_graph.localserver import LocalServer, free_port, install

pytestmark = pytest.mark.neo4j  # runs Neo4j's own admin tool (from the provisioned jars)


@pytest.mark.parametrize("password", ["-starts-with-a-dash", "plain-password-123"])
def test_the_first_password_is_set_even_when_it_starts_with_a_dash(
    password: str, tmp_path: Path
) -> None:
    """A generated password starts with '-' once in 64 (URL-safe base64): the admin tool read
    it as an unknown option, and the suite's server failed to start at random."""
    server = LocalServer(home=tmp_path / "neo4j", port=free_port())
    conf = server._write_config()
    classpath = f"{install(server.version).resolve()}/*"
    server._set_initial_password(password, classpath, server._environment(conf))
    assert server.password() == password
    assert (tmp_path / "neo4j" / "data" / "dbms" / "auth.ini").exists()
