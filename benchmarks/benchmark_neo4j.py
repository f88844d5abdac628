"""The Neo4j a benchmark writes to: ``NEO4J_URI``'s (only with ``--wipe-external``, since the
benchmark replaces everything in it), or a local server of its own in a scratch folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ccm_graph.connection import ConnectionSettings
from ccm_graph.localserver import LocalServer, free_port


@contextmanager
def benchmark_neo4j(
    work: Path, *, heap: str, wipe_external: bool
) -> Iterator[tuple[ConnectionSettings, str]]:
    """The settings of the server to use and how to name it (``external`` or ``local
    <version>``); a local one is started under ``work`` and stopped afterwards."""
    if os.environ.get("NEO4J_URI"):
        if not wipe_external:
            raise SystemExit("NEO4J_URI is set: this benchmark replaces everything in that "
                             "database; pass --wipe-external, or unset it")  # fmt: skip
        yield ConnectionSettings.from_env(), "external"
        return
    server = LocalServer(home=work / "neo4j", port=free_port(), heap=heap)
    print(f"starting Neo4j {server.version} on {server.uri} …", flush=True)
    server.start()
    try:
        yield ConnectionSettings(uri=server.uri, password=server.password()), (
            f"local {server.version}")  # fmt: skip
    finally:
        server.stop()


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, for the results file."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
