"""Where Neo4j is and who we are: the connection settings, free of the driver.

Kept apart from :mod:`ccm_graph.store` so that reading them (every command that could talk to
Neo4j does) does not import the Neo4j driver; :mod:`ccm_graph.store` re-exports the class.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from .errors import StoreUnavailable

__all__ = [
    "BOLT_SCHEMES",
    "DEFAULT_TIMEOUT",
    "TIMEOUT_VARIABLE",
    "ConnectionSettings",
    "redact_uri",
]

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
"""The URI schemes ccm-graph talks to Neo4j with (Bolt; ``neo4j`` routes, ``+s`` encrypts)."""

DEFAULT_TIMEOUT = 15.0
"""Seconds to wait for Neo4j to answer (connecting, or between two answers within a
command) before saying it does not: a frozen or dead server gives up within this."""

TIMEOUT_VARIABLE = "CCM_GRAPH_NEO4J_TIMEOUT"
"""The environment variable that sets :attr:`ConnectionSettings.timeout` (``--timeout``)."""


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
    """Where Neo4j is and who we are. ``repr`` never shows the password.

    ``timeout`` is how many seconds to wait for the server to answer, to connect or between
    two answers within a command (:data:`DEFAULT_TIMEOUT`); a statement that runs longer
    without an answer needs more.
    """

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = dataclasses.field(default="", repr=False)
    database: str = "neo4j"
    timeout: float = DEFAULT_TIMEOUT

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

    def check_uri(self) -> None:
        """Refuse a URI that is not a Bolt address before any driver sees it.

        :raises StoreUnavailable: ``http://…`` (the browser's address), no scheme, or another
            scheme than :data:`BOLT_SCHEMES`; the message shows the URI without credentials.
        """
        scheme = self.uri.partition("://")[0].lower() if "://" in self.uri else ""
        if scheme in BOLT_SCHEMES:
            return
        what = f"the scheme {scheme}:// is not Bolt" if scheme else "it has no scheme"
        raise StoreUnavailable(
            f"invalid Neo4j URI {self.display_uri!r}: {what}",
            hint="use bolt://host:7687, neo4j://host:7687 or neo4j+s://… for Aura (the "
            "http:// address on port 7474 is Neo4j's browser, not the database)",
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConnectionSettings:
        """Settings from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``
        and :data:`TIMEOUT_VARIABLE`.

        :raises ValueError: the timeout is not a number of seconds above 0.
        """
        env = os.environ if environ is None else environ
        default = cls()
        return cls(
            uri=env.get("NEO4J_URI") or default.uri,
            user=env.get("NEO4J_USER") or default.user,
            password=env.get("NEO4J_PASSWORD") or default.password,
            database=env.get("NEO4J_DATABASE") or default.database,
            timeout=parse_timeout(env.get(TIMEOUT_VARIABLE) or str(default.timeout)),
        )


def parse_timeout(text: str) -> float:
    """A timeout in seconds from its text.

    >>> parse_timeout("2.5")
    2.5
    >>> parse_timeout("0")
    Traceback (most recent call last):
    ...
    ValueError: CCM_GRAPH_NEO4J_TIMEOUT must be a number of seconds above 0, not '0'
    """
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (0 < seconds < math.inf):
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a number of seconds above 0, not {text!r}")
    return seconds
