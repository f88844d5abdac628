"""Load the same synthetic rows into Neo4j three ways and compare rows per second and memory.

The methods, each into an emptied database with the project's schema applied:

``project``
    :meth:`ccm_graph.store.Store.load` as it is called by default: batched ``UNWIND $rows`` +
    ``CREATE``, checked as the rows are made; one write transaction up to
    ``AUTO_STAGED_ROWS`` (50,000) rows, a staged load above (so at 10k/100k). Timed from the
    call to its return (validation, row preparation, schema check, batches and commit or
    switch all count).
``naive``
    The same Cypher and rows, but one auto-commit ``session.run`` per node and per relationship
    (``WITH $row AS row`` instead of ``UNWIND $rows AS row``; values still go as parameters).
    This is slow, so by default it writes every node and derived edge but only every tenth
    ``relations.csv`` row (``--naive-fraction 0.1``), times the two phases apart and
    *extrapolates* the relationship phase to the full row count; ``--naive-fraction 1`` runs it
    all. The output says which.
``load_csv``
    Neo4j's own ``LOAD CSV WITH HEADERS … CALL (row) { … } IN TRANSACTIONS OF 10000 ROWS`` of
    the same rows, written beforehand (untimed) as CSV files into the server's import folder,
    one file per node label / relationship group, with the bodies the project's loader runs
    into an empty database (CREATE), so what is written is the same: every property, the
    ``rel_key`` and the load stamp ``_loaded`` included (computed beforehand; a run checks the
    stamps stored against the data's). The project's
    ``*_rel_key`` relationship indexes are dropped for this run: with them Neo4j 5.26 plans some
    of these MERGEs as a relationship *index scan* per row and LOAD CSV slows down by 50x or more
    (``--load-csv-with-rel-indexes`` keeps them, to see it; docs/performance.md has the plans).
``project_staged`` (opt-in)
    ``project`` as a staged load whatever the size (``Store.load(..., staged=True)``):
    transactions of about 20,000 rows, two written at once, unseen, then switched in (see
    :mod:`ccm_graph.store.staging`); the "commit_or_switch" phase is the switch and the
    removal of what it replaced.
``project_one_transaction`` (opt-in)
    ``project`` in one transaction whatever the size (``Store.load(..., staged=False)``), as
    every load was before 7 December 2026.
``project_patched`` (opt-in, ``--methods project,project_patched,naive,load_csv``)
    ``project`` with the change proposed in docs/performance.md applied in the child process
    only (see :func:`apply_proposed_patch`), to measure it before it lands.

Rows are the Neo4j nodes and relationships written, derived ``HAS_OBLIGATION`` and
``FOCUSES_ON`` included. After each load the database is counted and must hold exactly the
expected nodes and relationships; on the first run of each method the whole database is read
back with :meth:`Store.read_dataset` and must equal the dataset.

Each method's load runs in a child process (this script with ``--method``), so its peak RSS
(``VmHWM``, reset through ``/proc/self/clear_refs`` just before the load) is its own. The
server's peak RSS is read the same way from its process when this script started it.

Usage (starts and stops its own Neo4j under ``.neo4j/bench`` on a free port)::

    .venv/bin/python benchmarks/load_benchmark.py            # or: make benchmark
    .venv/bin/python benchmarks/load_benchmark.py --repeat 1 --naive-fraction 0.05

With ``NEO4J_URI`` and ``NEO4J_PASSWORD`` set it uses that server instead; since it deletes
everything in the database, a non-empty one is refused unless ``--wipe-external`` is given.
``load_csv`` then needs ``--import-dir`` (the server's ``server.directories.import``).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import importlib.metadata
import itertools
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
from synthetic import generate

from ccm_graph import localserver as _localserver
from ccm_graph.bookkeeping import LOADED, content_hash
from ccm_graph.dataset import Dataset
from ccm_graph.localserver import NEO4J_VERSION, LocalServer, free_port
from ccm_graph.queries import (
    derived_create_query,
    derived_upsert_query,
    node_create_query,
    relation_create_query,
    schema_statements,
)
from ccm_graph.schema import (
    NODE_TABLES,
    Actor,
    ActorKind,
    Column,
    ColumnType,
    NodeType,
    Relation,
    RelType,
)
from ccm_graph.store import (
    BATCH_SIZE,
    ConnectionSettings,
    Store,
    record_properties,
    relation_key,
    relation_properties,
)
from ccm_graph.store.batches import load_plan
from ccm_graph.values import format_value

METHODS = (
    "project",
    "project_staged",
    "project_one_transaction",
    "project_baseline",
    "project_patched",
    "naive",
    "load_csv",
)
"""Every method, in run order. ``project_staged``, ``project_one_transaction``,
``project_baseline`` and ``project_patched`` are opt-in (see ``DEFAULT_METHODS``)."""
PROJECT_METHODS = (
    "project",
    "project_staged",
    "project_one_transaction",
    "project_baseline",
    "project_patched",
)
DEFAULT_HEAP: str = getattr(_localserver, "DEFAULT_HEAP", "4g")
"""The local server's default heap (a baseline checkout older than it runs as a child only)."""
DEFAULT_METHODS = ("project", "naive", "load_csv")
TARGET_VS_NAIVE = 20.0
"""The project's loader should be at least this many times faster than the naive one."""
TARGET_VS_LOAD_CSV = 1.0
"""… and at least this fraction of LOAD CSV's rows per second (the shared-store issue raised it
from 0.5 to 0.7, the store-under-faults issue to 1.0)."""
TARGET_PER_DOUBLING = 2.2
"""Doubling the data should at most multiply the project loader's time by this."""

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
"""Empty the database 10,000 nodes per transaction (``CALL () { MATCH (n) … }`` would run its
one subquery in one transaction: more than a 1.5 GB heap's transaction memory at 50k/500k)."""
CSV_TX_ROWS = 10_000
_UNWIND = "UNWIND $rows AS row\n"


# --- memory -----------------------------------------------------------------------------------


def _status_kib(pid: int | str, field: str) -> int | None:
    """A ``kB`` field (``VmHWM``, ``VmRSS``) of ``/proc/<pid>/status``, or None."""
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def cpu_seconds(pid: int | str) -> float | None:
    """User + system CPU time a process has used so far (``/proc/PID/stat``), all threads."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_rss(pid: int | str = "self") -> bool:
    """Reset a process's peak RSS (``VmHWM``) to its current RSS; False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def _mib(kib: int | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


# --- rows for the three methods -----------------------------------------------------------------


def naive_subset(dataset: Dataset, fraction: float) -> Dataset:
    """Every node (so every relation's endpoints exist) and every ``1/fraction``-th relation.

    Taking every n-th row keeps the mix of relationship types of the full dataset.
    """
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    step = round(1 / fraction)
    return dataclasses.replace(dataset, relations=dataset.relations[::step], origins={})


def expected_counts(dataset: Dataset) -> dict[str, int]:
    """Nodes and relationships a load of ``dataset`` must leave in an empty database."""
    nodes = sum(len(dataset.table(spec)) for spec in NODE_TABLES)
    rels = len(dataset.relations) + len(dataset.obligations) + len(dataset.coalitions)
    return {"nodes": nodes, "relationships": rels}


def _cypher_value(column: Column, ref: str) -> str:
    """Cypher turning a LOAD CSV cell back into the value :func:`parse_value` would give."""
    if column.type in (ColumnType.YEAR, ColumnType.COUNT, ColumnType.ARTICLE):
        return f"toInteger({ref})"
    if column.type in (ColumnType.AMOUNT, ColumnType.AREA):
        return f"CASE WHEN {ref} CONTAINS '.' THEN toFloat({ref}) ELSE toInteger({ref}) END"
    return ref


def _props_map(record: type, skip: tuple[str, ...] = (), extra: str = "") -> str:
    """A Cypher map literal of a record type's properties read from CSV ``row`` columns."""
    entries = [
        f"{f.name}: {_cypher_value(f.metadata['column'], f'row.{f.name}')}"
        for f in dataclasses.fields(record)
        if f.name not in skip
    ]
    if extra:
        entries.append(extra)
    return "{" + ", ".join(entries) + "}"


def _csv_statement(upsert: str, props: str | None) -> str:
    """Wrap one of the project's ``UNWIND $rows`` upserts into LOAD CSV in transactions."""
    from ccm_graph.queries import relation_properties_map  # not in a --baseline before 12-07

    body = upsert.removeprefix(_UNWIND)
    if props is not None:
        # a relationship's properties are a map in its CREATE pattern, a node's "SET n = …"
        pattern = relation_properties_map()
        body = body.replace(pattern if pattern in body else "row.props", props)
    body = "\n".join("  " + line for line in body.splitlines())
    return (
        "LOAD CSV WITH HEADERS FROM $url AS row\n"
        f"CALL (row) {{\n{body}\n}} IN TRANSACTIONS OF {CSV_TX_ROWS} ROWS"
    )


def _write_csv(path: Path, header: list[str], rows: Iterator[list[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([format_value(v) for v in row])
            count += 1
    return count


def write_load_csv_files(dataset: Dataset, folder: Path) -> list[tuple[str, str]]:
    """Write the dataset as CSV files into ``folder``; return ``(file name, statement)`` pairs.

    Files are named ``bench-*.csv``; statements reuse the bodies :meth:`Store.load` runs into
    an empty database (the CREATE statements of :mod:`ccm_graph.queries`), so LOAD CSV writes
    exactly what the project's loader writes, the same way.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("bench-*.csv"):
        old.unlink()
    plan: list[tuple[str, str]] = []

    # every node and relationship carries the load stamp, as the project's loader writes it
    # (computed here, not timed, like rel_key)
    stamp = f"{LOADED}: row.{LOADED}"

    def add_nodes(name: str, record: type, records: list[Any], upsert: str) -> None:
        if not records:
            return
        names = [f.name for f in dataclasses.fields(record)]
        _write_csv(
            folder / name,
            [*names, LOADED],
            ([*(getattr(r, n) for n in names), content_hash(record_properties(r))]
             for r in records),
        )  # fmt: skip
        plan.append((name, _csv_statement(upsert, _props_map(record, extra=stamp))))

    for kind in ActorKind:
        actors = [a for a in dataset.actors if a.kind == kind.value]
        add_nodes(f"bench-actors-{kind.value}.csv", Actor, actors, node_create_query(
            NodeType.ACTOR, kind))  # fmt: skip
    for spec in NODE_TABLES[1:]:
        assert spec.node_type is not None
        add_nodes(
            f"bench-{spec.file}",
            spec.record,
            dataset.table(spec),
            node_create_query(spec.node_type),
        )
    derived = (
        (RelType.HAS_OBLIGATION, [(o.state, o.id) for o in dataset.obligations]),
        (RelType.FOCUSES_ON, [(c.id, c.focus) for c in dataset.coalitions]),
    )
    for rel_type, pairs in derived:
        if pairs:
            name = f"bench-{rel_type.value.lower()}.csv"
            _write_csv(folder / name, ["from", "to"], (list(p) for p in pairs))
            plan.append((name, _csv_statement(derived_create_query(rel_type), None)))

    node_types = {record.id: node_type for node_type, record in dataset.nodes()}
    groups: dict[tuple[RelType, NodeType, NodeType], list[Relation]] = {}
    for rel in dataset.relations:
        group = (RelType(rel.type), node_types[rel.from_id], node_types[rel.to_id])
        groups.setdefault(group, []).append(rel)
    skip = ("from_id", "type", "to_id")
    prop_names = [f.name for f in dataclasses.fields(Relation) if f.name not in skip]
    for (rel_type, from_type, to_type), rels in sorted(groups.items()):
        name = f"bench-{rel_type.value.lower()}-{from_type.value}-{to_type.value}.csv"
        _write_csv(
            folder / name,
            ["from", "to", "key", *prop_names, LOADED],
            (
                [r.from_id, r.to_id, relation_key(r), *(getattr(r, n) for n in prop_names),
                 content_hash(relation_properties(r))]
                for r in rels
            ),
        )  # fmt: skip
        props = _props_map(Relation, skip=skip, extra=f"rel_key: row.key, {stamp}")
        plan.append((name, _csv_statement(relation_create_query(rel_type, from_type, to_type),
                                          props)))  # fmt: skip
    return plan


# --- one method, in a child process ------------------------------------------------------------


def _driver(settings: ConnectionSettings) -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password),
        notifications_min_severity="OFF",
    )


def run_method(args: argparse.Namespace) -> dict[str, Any]:
    """Load the dataset one way into the (already emptied) database; time it, measure memory."""
    settings = ConnectionSettings.from_env()
    dataset = generate(args.actors, args.relations, args.seed)
    import ccm_graph

    code = Path(ccm_graph.__file__).resolve().parent
    result: dict[str, Any] = {
        "method": args.method,
        "code": str(code.relative_to(ROOT)) if code.is_relative_to(ROOT) else code.name,
    }
    driver = _driver(settings)
    try:
        driver.verify_connectivity()
        if args.method == "project":
            result.update(_run_project(driver, settings.database, dataset))
        elif args.method == "project_staged":
            result.update(_run_project(driver, settings.database, dataset, staged=True))
        elif args.method == "project_one_transaction":
            result.update(_run_project(driver, settings.database, dataset, staged=False))
        elif args.method == "project_patched":
            apply_proposed_patch()
            result.update(_run_project(driver, settings.database, dataset))
        elif args.method == "naive":
            result.update(_run_naive(driver, settings.database, dataset, args.naive_fraction))
        else:
            if args.import_dir is None:
                raise SystemExit("load_csv needs --import-dir")
            result.update(_run_load_csv(driver, settings.database, dataset, args.import_dir))
    finally:
        driver.close()
    return result


def rel_key_index_names() -> list[str]:
    """The names of the project's relationship indexes on ``rel_key``."""
    names = []
    for statement in schema_statements():
        found = re.match(r"CREATE INDEX (\w+_rel_key) ", statement)
        if found:
            names.append(found.group(1))
    return names


def apply_proposed_patch() -> None:
    """In this process only, change :mod:`ccm_graph.store` as proposed in docs/performance.md.

    1. ``_props`` (:mod:`ccm_graph.store.rows`) reads the fields with ``getattr`` instead of
       ``dataclasses.asdict`` (which deep-copies every value); the rows it makes are identical.
    2. ``apply_schema`` (``create_schema`` of :mod:`ccm_graph.store.loading`) no longer creates
       the ``*_rel_key`` relationship indexes (the parent drops them before this run), so the
       planner cannot pick a relationship index scan for the relationship ``MERGE``.
    """
    import functools

    from ccm_graph.store import loading as store_loading
    from ccm_graph.store import rows as store_rows

    @functools.cache
    def field_names(record_type: type) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(record_type))

    def props(record: Any, skip: tuple[str, ...] | set[str] = ()) -> dict[str, Any]:
        return {
            name: value
            for name in field_names(type(record))
            if name not in skip and (value := getattr(record, name)) is not None
        }

    store_rows._props = props  # type: ignore[assignment]
    store_loading.schema_statements = lambda: [  # type: ignore[assignment]
        s for s in schema_statements() if "_rel_key " not in s
    ]


def _memory_start() -> tuple[int | None, bool]:
    reset = reset_peak_rss()
    _CPU_START[0] = time.process_time()
    return _status_kib("self", "VmRSS"), reset


_CPU_START = [0.0]


def _memory_end(start_kib: int | None, reset: bool) -> dict[str, Any]:
    """Peak RSS of this process since :func:`_memory_start`, and the CPU time it used."""
    peak = _status_kib("self", "VmHWM")
    return {
        "client_cpu_seconds": round(time.process_time() - _CPU_START[0], 3),
        "client_rss_start_mib": _mib(start_kib),
        "client_peak_rss_mib": _mib(peak),
        "client_peak_growth_mib": _mib(peak - start_kib) if peak and start_kib else None,
        "client_peak_is_per_load": reset,
    }


def _run_project(
    driver: neo4j.Driver, database: str, dataset: Dataset, *, staged: bool | None = None
) -> dict[str, Any]:
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def tracer(query: str, _params: list[str]) -> None:
        if query.startswith("UNWIND"):
            marks.setdefault("batches", time.perf_counter())
            cpu.setdefault("batches", time.process_time())

    def progress(_rows: int) -> None:
        marks["last_batch"] = time.perf_counter()
        cpu["last_batch"] = time.process_time()

    store = Store(driver, database, tracer=tracer)
    start_kib, reset = _memory_start()
    start, cpu_start = time.perf_counter(), time.process_time()
    chosen = {} if staged is None else {"staged": staged}  # a baseline may not know it
    report = store.load(dataset, progress=progress, **chosen)
    end = time.perf_counter()
    cpu_end = time.process_time()
    memory = _memory_end(start_kib, reset)
    # before the first batch: the checks of a load into a database that holds data, the
    # schema (one statement when it is in place), a staged load's marker; after the last
    # batch is written: the commit (one transaction) or the switch and clean-up (staged)
    cpu_phases = {
        "whole_load": cpu_end - cpu_start,
        "before_batches": cpu["batches"] - cpu_start,
        "batches": cpu["last_batch"] - cpu["batches"],
    }
    phases = {
        "before_batches": marks["batches"] - start,
        "batches": marks["last_batch"] - marks["batches"],
        "commit_or_switch": end - marks["last_batch"],
    }
    return {
        "seconds": end - start,
        "rows": report.total,
        "batch_size": BATCH_SIZE,
        "phases_seconds": {k: round(v, 3) for k, v in phases.items()},
        "phases_client_cpu_seconds": {k: round(v, 3) for k, v in cpu_phases.items()},
        **memory,
    }


def _run_naive(
    driver: neo4j.Driver, database: str, dataset: Dataset, fraction: float
) -> dict[str, Any]:
    subset = naive_subset(dataset, fraction)
    derived = {derived_upsert_query(t) for t in (RelType.HAS_OBLIGATION, RelType.FOCUSES_ON)}
    start_kib, reset = _memory_start()
    start = time.perf_counter()
    plan = list(load_plan(subset))
    prepared = time.perf_counter()
    phase_seconds = {"nodes_and_derived": 0.0, "relations": 0.0}
    phase_rows = {"nodes_and_derived": 0, "relations": 0}
    with driver.session(database=database) as session:
        for query, rows in plan:
            single = "WITH $row AS row\n" + query.removeprefix(_UNWIND)
            phase = "nodes_and_derived" if query in derived or "MERGE (n:" in query else "relations"
            t0 = time.perf_counter()
            for row in rows:
                session.run(single, row=row).consume()
            phase_seconds[phase] += time.perf_counter() - t0
            phase_rows[phase] += len(rows)
    end = time.perf_counter()
    memory = _memory_end(start_kib, reset)
    full_relations = len(dataset.relations)
    scale = full_relations / phase_rows["relations"] if phase_rows["relations"] else 1.0
    projected = (
        (prepared - start) + phase_seconds["nodes_and_derived"] + phase_seconds["relations"] * scale
    )
    return {
        "seconds": end - start,
        "rows": sum(phase_rows.values()),
        "fraction_of_relations": len(subset.relations) / max(1, full_relations),
        "phases_seconds": {
            "prepare": round(prepared - start, 3),
            **{k: round(v, 3) for k, v in phase_seconds.items()},
        },
        "phase_rows": phase_rows,
        "projected_full_seconds": projected,
        "projected_full_rows": expected_counts(dataset)["nodes"]
        + expected_counts(dataset)["relationships"],
        **memory,
    }


def _run_load_csv(
    driver: neo4j.Driver, database: str, dataset: Dataset, import_dir: Path
) -> dict[str, Any]:
    plan = write_load_csv_files(dataset, import_dir)
    start_kib, reset = _memory_start()
    start = time.perf_counter()
    per_file: dict[str, float] = {}
    with driver.session(database=database) as session:
        for name, statement in plan:
            t0 = time.perf_counter()
            session.run(statement, url=f"file:///{name}").consume()
            per_file[name] = round(time.perf_counter() - t0, 3)
    end = time.perf_counter()
    memory = _memory_end(start_kib, reset)
    counts = expected_counts(dataset)
    return {
        "seconds": end - start,
        "rows": counts["nodes"] + counts["relationships"],
        "tx_rows": CSV_TX_ROWS,
        "files": len(plan),
        "phases_seconds": per_file,
        **memory,
    }


# --- the parent: server, wipes, checks, report -------------------------------------------------


def stored_stamps(driver: neo4j.Driver, database: str) -> list[str]:
    """Every node's and relationship's load stamp (``_loaded``), sorted: ``read_dataset``
    leaves bookkeeping out, so this is how a method is seen to write the same stamps."""
    records, _, _ = driver.execute_query(
        f"MATCH (n) WHERE n.{LOADED} IS NOT NULL RETURN n.{LOADED} AS s UNION ALL "
        f"MATCH ()-[r]->() WHERE r.{LOADED} IS NOT NULL RETURN r.{LOADED} AS s",
        database_=database,
    )
    return sorted(record["s"] for record in records)


def expected_stamps(dataset: Dataset) -> list[str]:
    """The load stamps the project's loader gives ``dataset``'s records, sorted."""
    return sorted(
        row["props"][LOADED] for _, rows in load_plan(dataset) for row in rows if "props" in row
    )


def _count(driver: neo4j.Driver, database: str) -> dict[str, int]:
    """Record nodes (actors, obligations, coalitions, activities: not the one DatasetInfo node
    or the change records a load also writes) and relationships."""
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n) WHERE n:Actor OR n:Obligation OR n:Coalition OR n:Activity "
        "RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } "
        "RETURN nodes, relationships",
        database_=database,
    )
    return {"nodes": records[0]["nodes"], "relationships": records[0]["relationships"]}


def _drop_rel_key_indexes(driver: neo4j.Driver, database: str) -> None:
    with driver.session(database=database) as session:
        for name in rel_key_index_names():
            session.run(f"DROP INDEX {name} IF EXISTS").consume()


def _wipe(driver: neo4j.Driver, database: str) -> None:
    with driver.session(database=database) as session:
        session.run(WIPE).consume()


def _interpreter() -> str:
    """This Python, relative to the project when it lives there (``.venv/bin/python``)."""
    path = Path(sys.executable)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine_info(driver: neo4j.Driver) -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        found = re.search(
            r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE
        )
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    mem_kib = _status_meminfo("MemTotal")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    info = driver.get_server_info()
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": cpu,
        "memory_gib": round(mem_kib / 1024 / 1024, 1) if mem_kib else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "neo4j_driver": neo4j.__version__,
        "neo4j_rust_ext": _package_version("neo4j-rust-ext"),
        "neo4j_server": info.agent,
        "java": (java.stderr.splitlines() or ["unknown"])[0],
    }


def _status_meminfo(field: str) -> int | None:
    try:
        text = Path("/proc/meminfo").read_text(encoding="ascii")
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def _child(
    method: str,
    args: argparse.Namespace,
    actors: int,
    relations: int,
    env: dict[str, str],
    import_dir: Path | None,
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--method",
        method,
        "--actors",
        str(actors),
        "--relations",
        str(relations),
        "--seed",
        str(args.seed),
        "--naive-fraction",
        str(args.naive_fraction),
    ]
    if import_dir is not None:
        command += ["--import-dir", str(import_dir)]
    if method == "project_baseline":
        # the same child, with another version's ccm_graph package first on the path
        command[command.index("--method") + 1] = "project"
        env = dict(env, PYTHONPATH=str(args.baseline.resolve()))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{method} load failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["method"] = method
    return result


def _rows_per_second(run: dict[str, Any]) -> float:
    if run["method"] == "naive":
        return run["projected_full_rows"] / run["projected_full_seconds"]
    return run["rows"] / run["seconds"]


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Run every method (warm-up, repeats), check what landed, and gather the figures."""
    external = bool(os.environ.get("NEO4J_URI") and os.environ.get("NEO4J_PASSWORD"))
    server: LocalServer | None = None
    import_dir: Path | None = args.import_dir
    if external:
        settings = ConnectionSettings.from_env()
    else:
        server = LocalServer(home=args.home, port=free_port(), heap=args.heap)
        print(f"starting Neo4j {server.version} on {server.uri} (heap {args.heap}) …", flush=True)
        server.start()
        settings = ConnectionSettings(uri=server.uri, password=server.password())
        import_dir = server.home / "import"
    methods = [m for m in METHODS if m in args.methods]
    if "project_baseline" in methods and args.baseline is None:
        raise SystemExit("project_baseline needs --baseline DIR (a folder holding ccm_graph/)")
    if "load_csv" in methods and import_dir is None:
        print("no --import-dir for this server: skipping load_csv", file=sys.stderr)
        methods.remove("load_csv")
    env = dict(os.environ)
    env.update(
        NEO4J_URI=settings.uri,
        NEO4J_USER=settings.user,
        NEO4J_PASSWORD=settings.password,
        NEO4J_DATABASE=settings.database,
    )
    driver = _driver(settings)
    try:
        driver.verify_connectivity()
        store = Store(driver, settings.database)
        if external and _count(driver, settings.database)["nodes"] and not args.wipe_external:
            raise SystemExit(
                f"{settings.uri} holds data and this benchmark deletes everything; "
                "use an empty database or pass --wipe-external"
            )
        jvm_pid = server.pid() if server else None
        dataset = generate(args.actors, args.relations, args.seed)
        expected = expected_counts(dataset)
        naive_expected = expected_counts(naive_subset(dataset, args.naive_fraction))
        results: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": " ".join([_interpreter(), "benchmarks/load_benchmark.py", *args.argv]),
            "machine": machine_info(driver),
            "server": {
                "started_by_benchmark": server is not None,
                "heap": args.heap if server else None,
                "transaction_memory": server.transaction_memory if server else None,
                "pagecache": server.pagecache if server else None,
                "version_provisioned": NEO4J_VERSION,
            },
            "dataset": {
                "generator": f"benchmarks/synthetic.py generate({args.actors}, "
                f"{args.relations}, seed={args.seed})",
                "records": dataset.counts(),
                **expected,
                "rows": expected["nodes"] + expected["relationships"],
            },
            "warmup_rounds": args.warmup,
            "runs": [],
            "scale_runs": [],
        }

        def one_run(method: str, actors: int, relations: int, verify: bool) -> dict[str, Any]:
            with TransactionMemoryPoller(driver, settings.database) as poller:
                run = _one_run(method, actors, relations, verify)
            run["peak_transaction_memory_mib"] = _mib(poller.peak_bytes // 1024)
            return run

        def _one_run(method: str, actors: int, relations: int, verify: bool) -> dict[str, Any]:
            _wipe(driver, settings.database)
            store.apply_schema()
            if method == "project_patched" or (
                method == "load_csv" and not args.load_csv_with_rel_indexes
            ):
                _drop_rel_key_indexes(driver, settings.database)
            assert _count(driver, settings.database) == {"nodes": 0, "relationships": 0}
            load_before = os.getloadavg()[0]
            jvm_reset = reset_peak_rss(jvm_pid) if jvm_pid else False
            jvm_start = _status_kib(jvm_pid, "VmRSS") if jvm_pid else None
            jvm_cpu = cpu_seconds(jvm_pid) if jvm_pid else None
            run = _child(method, args, actors, relations, env, import_dir)
            if jvm_pid and jvm_cpu is not None:
                # the child's time before the load (making the dataset) is idle time for the
                # server, so this is the server's CPU for the load, its JIT and GC included
                run["server_cpu_seconds"] = round((cpu_seconds(jvm_pid) or 0.0) - jvm_cpu, 2)
            if jvm_pid:
                run["server_rss_start_mib"] = _mib(jvm_start)
                run["server_peak_rss_mib"] = _mib(_status_kib(jvm_pid, "VmHWM"))
                run["server_peak_is_per_load"] = jvm_reset
            run["load_average_1min_before_after"] = [load_before, os.getloadavg()[0]]
            run["counted"] = _count(driver, settings.database)
            if verify:
                sized = generate(actors, relations, args.seed) if (
                    (actors, relations) != (args.actors, args.relations)) else dataset  # fmt: skip
                want = naive_expected if method == "naive" else expected_counts(sized)
                if run["counted"] != want:
                    raise AssertionError(f"{method}: counted {run['counted']}, expected {want}")
                if not args.no_verify_content:
                    stored = store.read_dataset().sorted()
                    reference = naive_subset(dataset, args.naive_fraction) if (
                        method == "naive") else sized  # fmt: skip
                    if stored != reference.sorted():
                        raise AssertionError(f"{method}: what Neo4j holds differs from the data")
                    if stored_stamps(driver, settings.database) != expected_stamps(reference):
                        raise AssertionError(f"{method}: the load stamps differ from the data's")
                    run["content_verified"] = True
            run["rows_per_second"] = _rows_per_second(run)
            return run

        # untimed loads of each method at the size of the timed runs, in rounds: a smaller
        # one (a tenth, until 7 December) leaves code unwarmed, since a load over
        # AUTO_STAGED_ROWS is staged and one under it is not; and after one round the
        # server's JIT was still compiling through the next three loads (server CPU 12.3,
        # 9.6, 7.6, 5.4 s for the same staged load; docs/performance.md)
        for round_ in range(args.warmup):
            for method in methods:
                print(f"warm-up {round_ + 1}/{args.warmup}: {method} on {args.actors} actors, "
                      f"{args.relations} relations", flush=True)  # fmt: skip
                one_run(method, args.actors, args.relations, verify=False)
        # interleaved, in rounds: a change in how busy the machine is touches every method
        # alike; each round starts with the next method (project, load_csv; load_csv,
        # project …), since the first load after another method's ran slower (12.1 s against
        # 8.2-10.3 s for the project loader, which always came first)
        rounds = max(args.repeat, args.naive_repeat if "naive" in methods else 0)
        for i in range(rounds):
            for method in methods[i % len(methods) :] + methods[: i % len(methods)]:
                repeats = args.naive_repeat if method == "naive" else args.repeat
                if i >= repeats:
                    continue
                run = one_run(method, args.actors, args.relations, verify=True)
                run["repeat"] = i + 1
                results["runs"].append(run)
                print(
                    f"{method} run {i + 1}/{repeats}: {run['seconds']:.1f} s, "
                    f"{run['rows_per_second']:,.0f} rows/s",
                    flush=True,
                )
        for factor in args.scale:
            actors, relations = round(args.actors * factor), round(args.relations * factor)
            scaled = [m for m in methods if m in PROJECT_METHODS]
            if args.warmup:
                # one untimed load at this size first: the first load of a larger transaction
                # than before pays for the JIT, the plans and the heap it touches for the first
                # time (10k/100k: 18 s cold, 7-9 s warm), which is not what doubling costs
                for method in scaled:
                    print(f"warm-up: {method} on {actors} actors, {relations} relations",
                          flush=True)  # fmt: skip
                    one_run(method, actors, relations, verify=False)
            for method in scaled:
                run = one_run(method, actors, relations, verify=True)
                run.update(scale=factor, actors=actors, relations=relations)
                results["scale_runs"].append(run)
                print(
                    f"{method} at {actors:,} actors / {relations:,} relations: "
                    f"{run['seconds']:.1f} s, {run['rows_per_second']:,.0f} rows/s",
                    flush=True,
                )
        _wipe(driver, settings.database)
    finally:
        driver.close()
        if server is not None:
            server.stop()
            print("stopped the benchmark's Neo4j", flush=True)
    results["summary"] = summarise(results["runs"], methods)
    results["summary"]["scale"] = {
        method: per_doubling(
            [r for r in results["runs"] if r["method"] == method],
            [r for r in results["scale_runs"] if r["method"] == method],
        )
        for method in methods
        if method in PROJECT_METHODS
    }
    return results


def per_doubling(base_runs: list[dict[str, Any]], scale_runs: list[dict[str, Any]]) -> dict:
    """The project loader's time per doubling of the data, between successive sizes.

    For sizes of ``r1`` and ``r2`` rows taking ``t1`` and ``t2`` seconds, the factor per
    doubling is ``(t2 / t1) ** (1 / log2(r2 / r1))``: 2.0 is linear, 2.2 the target. The base
    size's time is the median of its runs.
    """
    if not base_runs or not scale_runs:
        return {}
    sizes = [(base_runs[0]["rows"], statistics.median(r["seconds"] for r in base_runs))]
    sizes += [(r["rows"], r["seconds"]) for r in scale_runs]
    steps = []
    for (rows1, t1), (rows2, t2) in itertools.pairwise(sizes):
        doublings = math.log2(rows2 / rows1)
        steps.append({
            "from_rows": rows1, "to_rows": rows2, "seconds": [round(t1, 2), round(t2, 2)],
            "per_doubling": round((t2 / t1) ** (1 / doublings), 3),
        })  # fmt: skip
    (rows1, t1), (rows2, t2) = sizes[0], sizes[-1]
    overall = round((t2 / t1) ** (1 / math.log2(rows2 / rows1)), 3)
    worst = max(s["per_doubling"] for s in steps)
    return {
        "steps": steps,
        "overall_per_doubling": overall,
        "target": TARGET_PER_DOUBLING,
        "met": worst <= TARGET_PER_DOUBLING,
    }


class TransactionMemoryPoller:
    """Polls ``SHOW TRANSACTIONS`` once a second while a load runs: the largest
    ``estimatedUsedHeapMemory`` seen (what counts against ``db.memory.transaction.total.max``
    is close to it)."""

    def __init__(self, driver: neo4j.Driver, database: str) -> None:
        self.driver = driver
        self.database = database
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(1.0):
            try:
                records, _, _ = self.driver.execute_query(
                    "SHOW TRANSACTIONS YIELD estimatedUsedHeapMemory AS used "
                    "RETURN max(used) AS used",
                    database_=self.database,
                )
            except neo4j.exceptions.Neo4jError:
                continue
            self.peak_bytes = max(self.peak_bytes, records[0]["used"] or 0)

    def __enter__(self) -> TransactionMemoryPoller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _median_of(items: list[dict[str, Any]], key: str) -> float | None:
    values = [item[key] for item in items if item.get(key) is not None]
    return round(statistics.median(values), 2) if values else None


def summarise(runs: list[dict[str, Any]], methods: list[str]) -> dict[str, Any]:
    """Median figures per method, the ratios and whether the targets are met."""
    summary: dict[str, Any] = {}
    for method in methods:
        mine = [r for r in runs if r["method"] == method]
        median_rate = statistics.median(r["rows_per_second"] for r in mine)
        summary[method] = {
            "runs": len(mine),
            "rows_per_second_median": round(median_rate),
            "rows_per_second_all": [round(r["rows_per_second"]) for r in mine],
            "seconds_median": round(statistics.median(r["seconds"] for r in mine), 2),
            "client_peak_rss_mib_max": max(r["client_peak_rss_mib"] or 0 for r in mine),
            "client_peak_growth_mib_max": max(r["client_peak_growth_mib"] or 0 for r in mine),
            "server_peak_rss_mib_max": max(
                (r.get("server_peak_rss_mib") or 0 for r in mine), default=None
            ),
            "server_cpu_seconds_median": _median_of(mine, "server_cpu_seconds"),
            "client_cpu_seconds_median": _median_of(
                [r.get("phases_client_cpu_seconds") or {} for r in mine], "whole_load"
            ),
        }
    if "project" in summary and "project_baseline" in summary:
        summary["project_vs_project_baseline"] = {"ratio": round(
            summary["project"]["rows_per_second_median"]
            / summary["project_baseline"]["rows_per_second_median"], 2)}  # fmt: skip
    for mine in PROJECT_METHODS:
        if mine not in summary:
            continue
        rate = summary[mine]["rows_per_second_median"]
        for other, target in (("naive", TARGET_VS_NAIVE), ("load_csv", TARGET_VS_LOAD_CSV)):
            if other in summary:
                ratio = rate / summary[other]["rows_per_second_median"]
                summary[f"{mine}_vs_{other}"] = {
                    "ratio": round(ratio, 2),
                    "target": target,
                    "met": ratio >= target,
                }
    return summary


def _seconds_cell(seconds: float | None, width: int) -> str:
    return f"{seconds:>{width - 2}.1f} s" if seconds is not None else f"{'n/a':>{width}}"


def print_table(results: dict[str, Any]) -> None:
    """The figures for people."""
    summary = results["summary"]
    names = {
        "project": "(a) project loader",
        "project_staged": "(a+) staged load",
        "project_one_transaction": "(a1) one transaction",
        "project_baseline": "(a0) baseline code",
        "project_patched": "(a') with patch (preview)",
        "naive": "(b) naive, 1 stmt/row",
        "load_csv": "(c) LOAD CSV",
    }
    print()
    print(f"dataset: {results['dataset']['generator']}: {results['dataset']['rows']:,} rows")
    header = (
        f"{'method':<28}{'runs':>5}{'seconds':>10}{'rows/s':>10}"
        f"{'client peak':>13}{'client +':>10}{'Neo4j peak':>12}{'CPU client':>12}{'server':>8}"
    )
    print(header)
    print("-" * len(header))
    for method, name in names.items():
        if method not in summary:
            continue
        s = summary[method]
        seconds = f"{s['seconds_median']:.1f}"
        if method == "naive":
            run = next(r for r in results["runs"] if r["method"] == "naive")
            if run["fraction_of_relations"] < 1:
                seconds += "*"
        server = s["server_peak_rss_mib_max"]
        print(
            f"{name:<28}{s['runs']:>5}{seconds:>10}{s['rows_per_second_median']:>10,}"
            f"{s['client_peak_rss_mib_max']:>10.0f} MiB{s['client_peak_growth_mib_max']:>6.0f} MiB"
            + (f"{server:>8.0f} MiB" if server else f"{'n/a':>12}")
            + _seconds_cell(s["client_cpu_seconds_median"], 12)
            + _seconds_cell(s["server_cpu_seconds_median"], 8)
        )
    naive_runs = [r for r in results["runs"] if r["method"] == "naive"]
    if naive_runs and naive_runs[0]["fraction_of_relations"] < 1:
        run = naive_runs[0]
        print(
            f"* naive: measured on {run['rows']:,} rows (all nodes and derived edges, "
            f"{run['fraction_of_relations']:.0%} of relations.csv); rows/s is "
            f"{run['projected_full_rows']:,} rows / {run['projected_full_seconds']:.0f} s "
            "projected for the full dataset"
        )
    for method, scale in (summary.get("scale") or {}).items():
        for step in scale.get("steps", []):
            print(
                f"{method}: {step['from_rows']:,} → {step['to_rows']:,} rows: "
                f"{step['seconds'][0]:.1f} s → {step['seconds'][1]:.1f} s, "
                f"×{step['per_doubling']:.2f} per doubling"
            )
        if scale:
            verdict = "met" if scale["met"] else "NOT met"
            print(
                f"{method}: per doubling, overall ×{scale['overall_per_doubling']:.2f}  "
                f"(target ≤ {scale['target']:g} at every step: {verdict})"
            )
    if "project_vs_project_baseline" in summary:
        print(f"(a)/(a0) = {summary['project_vs_project_baseline']['ratio']:.2f}")
    for key, label in (
        ("project_vs_naive", "(a)/(b)"),
        ("project_vs_load_csv", "(a)/(c)"),
        ("project_staged_vs_load_csv", "(a+)/(c)"),
        ("project_one_transaction_vs_load_csv", "(a1)/(c)"),
        ("project_baseline_vs_load_csv", "(a0)/(c)"),
        ("project_patched_vs_naive", "(a')/(b)"),
        ("project_patched_vs_load_csv", "(a')/(c)"),
    ):
        if key in summary:
            r = summary[key]
            verdict = "met" if r["met"] else "NOT met"
            print(f"{label} = {r['ratio']:.2f}  (target ≥ {r['target']:g}: {verdict})")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (``--method`` is the internal child mode)."""
    parser = argparse.ArgumentParser(
        prog="load_benchmark.py",
        description="Load synthetic data into Neo4j three ways; compare speed and memory.",
    )
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--methods",
        default=",".join(DEFAULT_METHODS),
        help="comma-separated subset of " + ",".join(METHODS),
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of project and load_csv")
    parser.add_argument("--naive-repeat", type=int, default=1, help="runs of the naive loader")
    parser.add_argument(
        "--naive-fraction",
        type=float,
        default=0.1,
        help="share of relations.csv rows the naive loader writes (1 = all; the rest is projected)",
    )
    parser.add_argument(
        "--heap",
        default=DEFAULT_HEAP,
        help="heap of the Neo4j this script starts (default: the local server's, "
        f"{DEFAULT_HEAP}; transaction memory 75%% of it)",
    )
    parser.add_argument(
        "--scale",
        default="2,5",
        help="after the comparison, load --actors/--relations times each of these with the "
        "project loader alone, for the time per doubling (default 2,5: 20k/200k and 50k/500k; "
        "'' for none)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=3,
        help="rounds of untimed loads of every method before the timed ones (default 3)",
    )
    parser.add_argument("--no-warmup", action="store_true", help="the same as --warmup 0")
    parser.add_argument(
        "--home",
        type=Path,
        default=ROOT / ".neo4j" / "bench",
        help="home of the Neo4j this script starts (another one runs beside a first run)",
    )
    parser.add_argument("--no-verify-content", action="store_true")
    parser.add_argument("--import-dir", type=Path, help="server import folder (external server)")
    parser.add_argument("--wipe-external", action="store_true")
    parser.add_argument(
        "--load-csv-with-rel-indexes",
        action="store_true",
        help="keep the *_rel_key relationship indexes for LOAD CSV (very slow: see the docs)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="for the method project_baseline: a folder holding another version's ccm_graph "
        "package (e.g. git archive COMMIT ccm_graph | tar -x -C DIR), run as the project loader",
    )
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/load-DATE)")
    parser.add_argument("--method", choices=METHODS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    args.scale = [float(f) for f in args.scale.split(",") if f.strip()]
    if args.no_warmup:
        args.warmup = 0
    unknown = set(args.methods) - set(METHODS)
    if unknown:
        parser.error(f"unknown method(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--method``, one load as a child process)."""
    args = parse_args(argv)
    if args.method:
        print(json.dumps(run_method(args)))
        return 0
    results = benchmark(args)
    print_table(results)
    out = args.out or RESULTS / f"load-{dt.date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
