"""A team on one workbench: 50 sessions at once on Neo4j, 20 editing and 30 reading (#21).

The local Neo4j (:mod:`ccm_graph.localserver`, a private home in a temporary folder, or
``NEO4J_URI`` … when set and ``--wipe-external`` is given) holds the shipped seed; the
workbench is ``ccm-graph serve --from neo4j`` (uvicorn) on a free port. For ``--duration``
seconds:

- each of ``--editors`` sessions opens the edit form of an actor of a shared pool (``--pool``
  public actors: two editors meet on one record now and then), appends a marker unique to this
  save to its ``notes`` and saves it through the form. A 409 conflict page (someone saved the
  record meanwhile) is resolved as a careful person would: the marker is appended to the value
  stored now, shown on the page, and the form sent again; conflicts are counted apart, not as
  errors;
- each of ``--readers`` sessions reads the pages in turn.

Reported: per page, p50/p95/max in milliseconds; **errors** (a failed request, any 5xx, any
status but the one expected: 200, or 409 with the conflict page for a save); **lost edits**,
the acknowledged saves (200 "The change is written") whose marker is missing from the notes of
their actor in a ``ccm-graph export`` at the end; the load average before, during (highest
one-minute figure, sampled every 5 s) and after. Results go to
``benchmarks/results/workbench-team-<date>[-accounts][-<tag>].json``;
``docs/performance.md`` records them.

With ``--accounts``, one account per session (editor or viewer) is created through
``ccm_graph.accounts.accounts_for`` (kept in the Neo4j) and each session signs in first:
``GET /login`` for the form's token, ``POST /login`` with ``name``, ``password``, ``token`` and
``next``, answered by a 303 and the ``ccm_session`` cookie.

    .venv/bin/python benchmarks/workbench_team.py [--duration 120] [--editors 20]
        [--readers 30] [--pool 20] [--accounts] [--heap 1g] [--tag NAME]
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import logging
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "benchmarks"))

READER_PAGES = ["/", "/?sort=deadline&region=africa", "/state/LAO", "/state/TCD?lang=fr",
                "/actor/NLD", "/coalition/coal-mne", "/search?q=e", "/search?q=Tchad",
                "/support.csv", "/brief/LAO", "/map?focus=LAO", "/verify",
                "/verify/deadline:ob-IRQ-4", "/upload", "/history"]  # fmt: skip
"""What the reading sessions open, in turn (the workbench benchmark's pages that read)."""

FORMS = ("/upload", "/verify/deadline:ob-IRQ-4")
"""Pages with a form that writes: a ``viewer`` account does not open them (``--accounts``)."""

CONFLICT = "Someone else saved this record while you were editing it"
SAVED = "The change is written"


@dataclass
class Tally:
    """What every session saw, gathered under one lock."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    acknowledged: list[tuple[str, str]] = field(default_factory=list)
    conflicts: int = 0
    resolved: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def took(self, label: str, seconds: float) -> None:
        with self.lock:
            self.times[label].append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def percentiles(times: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest rank) and the maximum, in milliseconds, and the count."""
    ordered = sorted(times)
    rank = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return {"p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
            "p95_ms": round(ordered[rank] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "n": len(ordered)}  # fmt: skip


def form_values(page: str) -> dict[str, str]:
    """What a browser sends from a record's form: text boxes, text areas, the chosen options
    and the hidden fields (token, base, started)."""
    values = dict(re.findall(r'<input id="[^"]*" name="([^"]+)" type="text" value="([^"]*)"', page))
    values |= dict(re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    for name, options in re.findall(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', page,
                                    re.S):  # fmt: skip
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    values |= dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return {name: html.unescape(value) for name, value in values.items()}


def stored_now(page: str, column: str) -> str:
    """The value a conflict page shows as stored now for ``column``."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]  # fmt: skip
        if cells and cells[0].split(" ")[0] == column and len(cells) == 4:
            return "" if cells[2] == "—" else cells[2]
    raise ValueError(f"the conflict page shows no row for {column}")


def signed_in(http: Any, name: str, password: str, tally: Tally) -> bool:
    """Sign ``http`` in (the login form's token, then the form); whether it worked."""
    page = http.get("/login")
    token = re.search(r'name="token" value="([^"]*)"', page.text)
    if page.status_code != 200 or token is None:
        tally.error(f"GET /login: HTTP {page.status_code}, no token")
        return False
    started = time.perf_counter()
    sent = {"name": name, "password": password, "token": html.unescape(token.group(1)),
            "next": "/"}  # fmt: skip
    answer = http.post("/login", data=sent)
    tally.took("POST /login", time.perf_counter() - started)
    if answer.status_code != 303 or "ccm_session" not in http.cookies:
        tally.error(f"POST /login as {name}: HTTP {answer.status_code}")
        return False
    return True


def edit(http: Any, number: int, pool: list[str], stop: float, tally: Tally) -> None:
    """An editing session: open an actor's form, append a unique marker to its notes, save;
    a conflict resolved on the value stored now."""
    rng = random.Random(number)
    count = 0
    while time.monotonic() < stop:
        ident = rng.choice(pool)
        path = f"/edit/actor/{ident}"
        started = time.perf_counter()
        page = http.get(path)
        tally.took("GET /edit/actor/{id}", time.perf_counter() - started)
        if page.status_code != 200:
            tally.error(f"GET {path}: HTTP {page.status_code}")
            continue
        marker = f"bench-e{number:02d}-{count:04d}"
        count += 1
        sent = form_values(page.text)
        sent["notes"] = f"{sent.get('notes', '')} {marker}".strip()
        label = "POST /edit/actor/{id}"
        for _attempt in range(10):
            started = time.perf_counter()
            answer = http.post(path, data=sent)
            tally.took(label, time.perf_counter() - started)
            if answer.status_code == 200 and SAVED in answer.text:
                with tally.lock:
                    tally.acknowledged.append((ident, marker))
                break
            if answer.status_code == 409 and CONFLICT in answer.text:
                with tally.lock:
                    tally.conflicts += 1
                sent = form_values(answer.text)
                sent["notes"] = f"{stored_now(answer.text, 'notes')} {marker}".strip()
                label = "POST /edit/actor/{id} (after a conflict)"
                continue
            tally.error(f"POST {path}: HTTP {answer.status_code}")
            break
        else:
            tally.error(f"POST {path}: still in conflict after 10 attempts")
        if label.endswith("conflict)") and tally.acknowledged[-1:] == [(ident, marker)]:
            with tally.lock:
                tally.resolved += 1


def read(http: Any, number: int, stop: float, tally: Tally, pages: list[str]) -> None:
    """A reading session: the pages in turn."""
    i = number
    while time.monotonic() < stop:
        path = pages[i % len(pages)]
        i += 1
        started = time.perf_counter()
        answer = http.get(path, follow_redirects=True)  # a search with one match goes there
        tally.took(path, time.perf_counter() - started)
        if answer.status_code != 200:
            tally.error(f"GET {path}: HTTP {answer.status_code}")


def session(address: str, role: str, number: int, pool: list[str], stop: float,
            tally: Tally, account: tuple[str, str] | None) -> None:  # fmt: skip
    import httpx

    with httpx.Client(base_url=address, timeout=300, follow_redirects=False) as http:
        try:
            if account is not None and not signed_in(http, *account, tally):
                return
            if role == "editor":
                edit(http, number, pool, stop, tally)
            else:
                pages = [p for p in READER_PAGES if account is None or p not in FORMS]
                read(http, number, stop, tally, pages)
        except httpx.HTTPError as exc:
            tally.error(f"{role} {number}: {exc!r}")


def public_actors(seed: Path, count: int) -> list[str]:
    """The first ``count`` public actors of the seed (the records the editors share)."""
    with (seed / "actors.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["sensitivity"] == "public"]
    return [r["id"] for r in rows[:count]]


def make_accounts(settings: Any, editors: int, readers: int) -> dict[str, tuple[str, str]]:
    """One account per session, ``editor-NN`` or ``viewer-NN``, with a random password."""
    try:
        from ccm_graph.accounts import accounts_for  # type: ignore[attr-defined]
    except ImportError:
        raise SystemExit(
            "--accounts needs the account storage (ccm_graph.accounts.accounts_for), not in "
            "this build yet: run without --accounts"
        ) from None
    from ccm_graph.source import DataSource

    made = {}
    with DataSource.neo4j(settings) as source:
        accounts = accounts_for(source)
        for role, count in (("editor", editors), ("viewer", readers)):
            for n in range(count):
                name, password = f"{role}-{n:02d}", secrets.token_urlsafe(18)
                accounts.add(name, role, password)
                made[f"{role}:{n}"] = (name, password)
    return made


def exported_notes(env: dict[str, str], folder: Path) -> dict[str, str]:
    """Every actor's notes in a ``ccm-graph export`` of the database."""
    subprocess.run([sys.executable, "-m", "ccm_graph", "export", "--out", str(folder)],
                   env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    with (folder / "actors.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {r["id"]: r["notes"] or "" for r in csv.DictReader(handle)}


def run(args: argparse.Namespace, settings: Any, work: Path) -> dict[str, Any]:
    """Load the seed, serve the workbench, run the sessions, export, count."""
    from ccm_graph.dataset import read_seed
    from ccm_graph.store import Store

    logging.getLogger("neo4j").setLevel(logging.ERROR)  # "label does not exist" on a new database

    with Store.connect(settings) as store:
        store.apply_schema()
        store.load(read_seed(args.seed), wipe=True)
    accounts = make_accounts(settings, args.editors, args.readers) if args.accounts else {}
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database}  # fmt: skip
    (work / "serve").mkdir()
    workbench = subprocess.Popen(
        [sys.executable, "-m", "ccm_graph", "serve", "--from", "neo4j", "--port", "0"],
        stdout=subprocess.PIPE, text=True, cwd=work / "serve", env=env,
    )  # fmt: skip
    assert workbench.stdout is not None
    line = workbench.stdout.readline()
    address = line.split(" at ", 1)[1].split("/ ", 1)[0]
    print(f"workbench at {address}; {args.editors} editing and {args.readers} reading "
          f"sessions for {args.duration:.0f} s …", flush=True)  # fmt: skip
    tally = Tally()
    pool = public_actors(args.seed, args.pool)
    stop = time.monotonic() + args.duration
    loads: list[float] = []
    threads = [threading.Thread(target=session, args=(
        address, role, n, pool, stop, tally, accounts.get(f"{role}:{n}")))
        for role, count in (("editor", args.editors), ("viewer", args.readers))
        for n in range(count)]  # fmt: skip
    sampler = threading.Thread(target=_sample_load, args=(loads, stop), daemon=True)
    try:
        sampler.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        workbench.send_signal(signal.SIGINT)
        workbench.wait(timeout=60)
    notes = exported_notes(env, work / "export")
    lost = [f"{ident}: {marker}" for ident, marker in tally.acknowledged
            if marker not in notes.get(ident, "").split()]  # fmt: skip
    requests = sum(len(t) for t in tally.times.values())
    return {
        "sessions": {"editing": args.editors, "reading": args.readers, "accounts": args.accounts},
        "duration_s": args.duration,
        "pool_of_records": len(pool),
        "requests": requests,
        "requests_per_s": round(requests / args.duration, 1),
        "saves_acknowledged": len(tally.acknowledged),
        "conflicts": tally.conflicts,
        "conflicts_resolved": tally.resolved,
        "errors": len(tally.errors),
        "first_errors": tally.errors[:10],
        "lost_edits": len(lost),
        "first_lost_edits": lost[:10],
        "load_average_max_during": max(loads) if loads else None,
        "pages": {label: percentiles(times) for label, times in sorted(tally.times.items())},
    }


def _sample_load(loads: list[float], stop: float) -> None:
    while time.monotonic() < stop:
        loads.append(round(os.getloadavg()[0], 2))
        time.sleep(5)


def main(argv: list[str] | None = None) -> int:
    from analysis_benchmark import machine
    from benchmark_neo4j import benchmark_neo4j, load_average

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--readers", type=int, default=30)
    parser.add_argument("--pool", type=int, default=20, help="actors the editors share")
    parser.add_argument("--accounts", action="store_true", help="one account per session")
    parser.add_argument("--heap", default="1g", help="the local Neo4j's heap")
    parser.add_argument("--seed", type=Path, default=ROOT / "seed")
    parser.add_argument("--tag", default="", help="added to the results file's name")
    parser.add_argument("--wipe-external", action="store_true",
                        help="use NEO4J_URI … (everything in it is replaced)")  # fmt: skip
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"machine": {**machine(), "load_average_before": load_average()},
                              "command": "benchmarks/workbench_team.py " + " ".join(
                                  argv if argv is not None else sys.argv[1:])}  # fmt: skip
    with (
        tempfile.TemporaryDirectory(prefix="ccm-team-") as tmp,
        benchmark_neo4j(Path(tmp), heap=args.heap, wipe_external=args.wipe_external) as (
            settings, neo4j),
    ):  # fmt: skip
        result["neo4j"] = neo4j
        result["team"] = run(args, settings, Path(tmp))
    result["machine"]["load_average_after"] = load_average()
    team = result["team"]
    for label, figures in team["pages"].items():
        print(f"  {label:<44} {figures}")
    print({k: v for k, v in team.items() if k != "pages"})
    RESULTS.mkdir(exist_ok=True)
    suffix = ("-accounts" if args.accounts else "") + (f"-{args.tag}" if args.tag else "")
    out = RESULTS / f"workbench-team-{date.today().isoformat()}{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0 if team["errors"] == 0 and team["lost_edits"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
