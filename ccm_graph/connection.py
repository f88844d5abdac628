"""Where Neo4j is and who we are: the connection settings, free of the driver.

Kept apart from :mod:`ccm_graph.store` so that reading them (every command that could talk to
Neo4j does) does not import the Neo4j driver; :mod:`ccm_graph.store` re-exports the class.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ConnectionSettings"]


@dataclass(frozen=True)
class ConnectionSettings:
    """Where Neo4j is and who we are. ``repr`` never shows the password."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = dataclasses.field(default="", repr=False)
    database: str = "neo4j"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConnectionSettings:
        """Settings from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""
        env = os.environ if environ is None else environ
        default = cls()
        return cls(
            uri=env.get("NEO4J_URI") or default.uri,
            user=env.get("NEO4J_USER") or default.user,
            password=env.get("NEO4J_PASSWORD") or default.password,
            database=env.get("NEO4J_DATABASE") or default.database,
        )
