"""The funding coverage a seed folder states (``metadata.json``'s ``coverage.funding``, the
coverage contract of issue #18), read leniently for the "to verify" queue: per recipient, the
last year its funding records cover. No folder, no file or no such object: nothing known."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..metadata import METADATA_FILE

__all__ = ["read_funding_coverage"]


def read_funding_coverage(folder: str | os.PathLike[str] | None) -> dict[str, int]:
    """Recipient id → the last year its funding records cover (``coverage.funding.recipients``
    of ``folder``'s ``metadata.json``); empty when the data state no coverage. Entries that are
    not a whole year are skipped (``validate`` reports them)."""
    if folder is None:
        return {}
    try:
        data = json.loads((Path(folder) / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    recipients = (((data or {}).get("coverage") or {}).get("funding") or {}).get("recipients")
    if not isinstance(recipients, dict):
        return {}
    found = {}
    for ident, window in recipients.items():
        to = window.get("to") if isinstance(window, dict) else None
        if isinstance(to, int) and not isinstance(to, bool):
            found[str(ident)] = to
    return found
