"""Where Neo4j is and who we are: the connection settings, free of the driver.

Kept apart from :mod:`ccm_graph.store` so that reading them (every command that could talk to
Neo4j does) does not import the Neo4j driver; :mod:`ccm_graph.store` re-exports the class.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

__all__ = ["ConnectionSettings", "redact_uri"]


def redact_uri(uri: str) -> str:
    """``uri`` with any user and password it carries replaced by ``***``, for messages.

    >>> redact_uri("neo4j+s://neo4j:hunter22@example.org:7687")
    'neo4j+s://***@example.org:7687'
    >>> redact_uri("bolt://127.0.0.1:7687")
    'bolt://127.0.0.1:7687'
    """
    try:
        parts = urlsplit(uri)
        if "@" not in parts.netloc:
            return uri
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"***@{host}"))
    except ValueError:
        return "(an unreadable URI)" if "@" in uri else uri


@dataclass(frozen=True)
class ConnectionSettings:
    """Where Neo4j is and who we are. ``repr`` never shows the password."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = dataclasses.field(default="", repr=False)
    database: str = "neo4j"

    @property
    def display_uri(self) -> str:
        """The URI as messages show it: credentials inside it replaced by ``***``."""
        return redact_uri(self.uri)

    def scrub(self, text: str) -> str:
        """``text`` with this URI and password replaced by what may be shown."""
        text = text.replace(self.uri, self.display_uri)
        if self.password:
            text = text.replace(self.password, "***")
        return text

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
