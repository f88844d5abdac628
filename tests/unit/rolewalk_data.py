"""Data with restricted rows for the role walk (``test_workbench_roles.py``), and the same data
without them, each made record by record, not one from the other.

The *public* data are the small fixture's public records plus a few more (evidence rows, an
alias, funding coverage); the *full* data are the public data plus restricted records of every
kind and public records that hang only on a restricted one. The public data are not made with
``Dataset.without_restricted``: the walk would then share that function's mistakes.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ccm_graph.coverage import Coverage, FundingCoverage, YearWindow
from ccm_graph.dataset import Dataset, read_seed, write_seed
from ccm_graph.keeping import HISTORY_FILE
from ccm_graph.metadata import DatasetInfo
from ccm_graph.schema import Actor, Coalition, Evidence, Obligation, Relation
from ccm_graph.sync import default_snapshots_dir

from ..conftest import SMALL_SEED

__all__ = ["HIDDEN_NAMES", "full_and_public", "write_pair"]

SOURCE = "test fixture (synthetic)"

SHADOW = Actor(
    "shade-ops",
    "operator",
    "Shadow Demining Group",
    aliases="Ghost Deminers; fr:Démineurs fantômes",
    sensitivity="restricted",
    source=SOURCE,
)
SECRET_OBLIGATION = Obligation(
    "ob-SDN-4",
    "secretdonor",
    4,
    "2025-01-01",
    "extended",
    original_deadline="2020-01-01",
    extensions=1,
    granted_by="9MSP",
    extension_requested="2024-06",
    request_outcome="not_recorded",
    source=SOURCE,
)
HANGING_COALITION = Coalition(
    "coal-sdn",
    "Coalition for the hidden State",
    "secretdonor",
    "proposed",
    sensitivity="public",
    source=SOURCE,
)
RESTRICTED_RELATIONS = [
    Relation("shade-ops", "OPERATES_IN", "LAO", since="2021", source=SOURCE),
    Relation(
        "CHE", "MEMBER_OF", "coal-lbn", role="partner", sensitivity="restricted", source=SOURCE
    ),
    Relation(
        "halo",
        "SUPPORTS",
        "ob-LBN-4",
        role="technical",
        year=2025,
        sensitivity="restricted",
        source=SOURCE,
    ),
    Relation(
        "NLD", "FUNDS", "coal-sdn", year=2025, amount_usd=250000.0, convention="CCM", source=SOURCE
    ),
    Relation(
        "CHE",
        "PARTICIPATES_IN",
        "wp-a",
        role="participant",
        sensitivity="restricted",
        source=SOURCE,
    ),
    Relation("NLD", "MEMBER_OF", "coal-secret", role="member", source=SOURCE),
    Relation("shade-ops", "SUPPORTS", "ob-LAO-4", role="technical", year=2025, source=SOURCE),
    Relation(
        "CHE",
        "FUNDS",
        "secretdonor",
        year=2024,
        amount_usd=70000.0,
        convention="CCM",
        source=SOURCE,
    ),
]
"""Restricted relations, and public ones that hang on a restricted record."""

HIDDEN_IDS = {"secretdonor", "coal-secret", "shade-ops", "ob-SDN-4", "coal-sdn"}
"""The records a reader without the confidential role never sees (by hand, not computed)."""

HIDDEN_NAMES = [
    "Secret Donor",
    "Quiet coalition",
    "Shadow Demining Group",
    "Ghost Deminers",
    "Démineurs fantômes",
    "Coalition for the hidden State",
    "ob-SDN-4",
    "9MSP",
    *sorted(HIDDEN_IDS),
]
"""Words that only the hidden records hold (searched for, and looked for in every answer)."""

PUBLIC_EVIDENCE = [
    Evidence("ob-LAO-4", "deadline", "2025-08-01", "indicative", note="from a meeting report"),
]
HIDDEN_EVIDENCE = [
    Evidence("ob-SDN-4", "deadline", "2025-01-01", "indicative", note="told in confidence"),
]


def _coverage(recipients: dict[str, YearWindow]) -> Coverage:
    return Coverage(
        funding=FundingCoverage(recipients=tuple(sorted(recipients.items()))), stated=True
    )


def full_and_public() -> tuple[Dataset, Dataset]:
    """(the data with restricted rows, the same data without them)."""
    small = read_seed(SMALL_SEED)
    halo = next(a for a in small.actors if a.id == "halo")
    public_actors = [
        dataclasses.replace(a, aliases="HALO Trust") if a.id == "halo" else a
        for a in small.actors
        if a.id not in HIDDEN_IDS
    ]
    assert halo in small.actors
    public_coalitions = [c for c in small.coalitions if c.id not in HIDDEN_IDS]
    small_hidden = {("secretdonor", "FUNDS", "coal-lbn"), ("CHE", "FUNDS", "LAO")}
    public_relations = [
        r for r in small.relations if (r.from_id, r.type, r.to_id) not in small_hidden
    ]
    info = dataclasses.replace(
        small.info,
        as_of="2026-02-27",
        coverage=_coverage({"LAO": YearWindow(2010, 2023)}),
        stated=True,
    )
    public = Dataset(
        public_actors,
        list(small.obligations),
        public_coalitions,
        list(small.activities),
        public_relations,
        list(PUBLIC_EVIDENCE),
        info=info,
    )
    full_info = dataclasses.replace(
        info,
        coverage=_coverage({"LAO": YearWindow(2010, 2023), "secretdonor": YearWindow(2012, 2020)}),
    )
    full = Dataset(
        [*public_actors, *(a for a in small.actors if a.id in HIDDEN_IDS), SHADOW],
        [*small.obligations, SECRET_OBLIGATION],
        [*small.coalitions, HANGING_COALITION],
        list(small.activities),
        [
            *public_relations,
            *(r for r in small.relations if (r.from_id, r.type, r.to_id) in small_hidden),
            *RESTRICTED_RELATIONS,
        ],
        [*PUBLIC_EVIDENCE, *HIDDEN_EVIDENCE],
        info=full_info,
    )
    assert isinstance(full.info, DatasetInfo)
    return full, public


PUBLIC_HISTORY = [
    {
        "when": "2026-03-01T09:00:00Z",
        "summary": "edited actor halo",
        "note": "new name",
        "by": "ana",
        "snapshot": "snapshots/snapshot-20260301T090000Z",
        "evidence": 0,
    },
    {
        "when": "2026-03-02T09:00:00Z",
        "summary": "verified deadline:ob-LAO-4: deadline",
        "note": "",
        "by": "ben",
        "snapshot": "snapshots/snapshot-20260302T090000Z",
        "evidence": 1,
    },
]
HIDDEN_HISTORY = [
    {
        "when": "2026-03-01T10:00:00Z",
        "summary": "edited actor secretdonor",
        "note": "Secret Donor pledged more",
        "by": "cy",
        "snapshot": "snapshots/snapshot-20260301T100000Z",
        "evidence": 0,
        "restricted": True,
    },
    {
        "when": "2026-03-01T11:00:00Z",
        "summary": "verified decision:ob-SDN-4: request_outcome",
        "note": "",
        "by": "cy",
        "snapshot": "snapshots/snapshot-20260301T110000Z",
        "evidence": 1,
    },
    {
        "when": "2026-03-01T12:00:00Z",
        "summary": "added coalition coal-sdn",
        "note": "",
        "by": "cy",
        "snapshot": "snapshots/snapshot-20260301T120000Z",
        "evidence": 0,
    },
]
"""Lines of the workbench history about hidden records: one flagged when written, two
written before lines were flagged (recognised by the records they name)."""


def write_pair(base: Path) -> tuple[Path, Path]:
    """The full data in ``base/full/seed`` and the public data in ``base/public/seed``, each
    with its workbench history beside it (the same lines, the hidden ones only in the full)."""
    full, public = full_and_public()
    folders = []
    for name, data, hidden in (("full", full, HIDDEN_HISTORY), ("public", public, [])):
        folder = base / name / "seed"
        write_seed(data, folder, include_restricted=True)
        lines = [PUBLIC_HISTORY[0], *hidden[:2], PUBLIC_HISTORY[1], *hidden[2:]]
        history = default_snapshots_dir(folder) / HISTORY_FILE
        history.parent.mkdir(parents=True)
        history.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        folders.append(folder)
    return folders[0], folders[1]
