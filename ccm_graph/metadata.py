"""What a dataset says about itself: its as-of date, title, publisher, and who plays which forum.

A seed folder may hold ``metadata.json`` beside the five CSV files::

    {
      "as_of": "2026-02-27",
      "title": "Country Coalitions under the CCM: who is who",
      "publisher": "ccm-graph contributors",
      "forums": {
        "masg": "masg",
        "apmbc_committee": "apmbc-committee-ca",
        "ccm_coordinators": ["ccm-coord-ica"]
      }
    }

Every key is optional; unknown keys are an error so that typos surface. ``coverage`` (an
object) says what the data covers, per kind of fact; it is kept as read and written back.
``forums`` names the actor ids the analyses need: the Mine Action Support Group (the donors'
group), the APMBC Committee on the Enhancement of Cooperation and Assistance, and the CCM
Coordinators on International Cooperation and Assistance. A folder without the file still
works: the as-of date then comes from a line ``As-of date: 27 February 2026`` in its
``README.md`` if there is one (folders made before this file existed), and the forums are the
ids above.

``export`` writes the file; ``load`` stores it in Neo4j on one ``:DatasetInfo`` node.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import Problem
from .files import LINK_OUTSIDE, links_outside
from .schema import Column, ColumnType
from .values import ValueProblem, check_value

__all__ = [
    "DEFAULT_FORUMS",
    "METADATA_FILE",
    "DatasetInfo",
    "Forums",
    "info_from_json",
    "info_to_json",
    "read_info",
]

METADATA_FILE = "metadata.json"


@dataclass(frozen=True)
class Forums:
    """Which actor ids play which part in the analyses.

    :param masg: the Mine Action Support Group (the donors' group).
    :param apmbc_committee: the APMBC Committee on the Enhancement of Cooperation and Assistance.
    :param ccm_coordinators: the CCM Coordinators on International Cooperation and Assistance.
    :param ccm_prefix: forums and secretariats whose id starts with this are CCM bodies.
    """

    masg: str = "masg"
    apmbc_committee: str = "apmbc-committee-ca"
    ccm_coordinators: tuple[str, ...] = ("ccm-coord-ica",)
    ccm_prefix: str = "ccm-"


DEFAULT_FORUMS = Forums()


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset's own description.

    ``coverage`` is the data's own statement of what it covers (the ``coverage`` object of
    ``metadata.json``, kept as read: per kind of fact, e.g. ``funding``, the years each
    recipient's funding records cover); None when the data states none.
    ``stated`` is False when the folder has no metadata file; ``forums_stated`` False when the
    forum ids are the defaults rather than the data's own (then ``export`` does not write them).
    """

    as_of: str | None = None
    title: str | None = None
    publisher: str | None = None
    forums: Forums = field(default_factory=Forums)
    coverage: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    stated: bool = field(default=False, compare=False)
    forums_stated: bool = field(default=False, compare=False)

    def as_of_text(self) -> str:
        """The as-of date for a page header, or a plain sentence when the data states none."""
        return self.as_of or "not stated in the data"


_KEYS = ("as_of", "title", "publisher", "forums", "coverage")
_FORUM_KEYS = ("masg", "apmbc_committee", "ccm_coordinators")
_ID = Column(ColumnType.ID)
_TEXT = Column(ColumnType.TEXT)
_DATE = Column(ColumnType.DATE)


def info_from_json(text: str, display: str = METADATA_FILE) -> tuple[DatasetInfo, list[Problem]]:
    """Parse the text of a ``metadata.json``; problems are located at ``display``.

    >>> info, problems = info_from_json('{"as_of": "2026-02-27", "forums": {"masg": "mg"}}')
    >>> info.as_of, info.forums.masg, info.forums.apmbc_committee, problems
    ('2026-02-27', 'mg', 'apmbc-committee-ca', [])
    >>> info_from_json('{"asof": "2026"}')[1][0].message
    "unknown key 'asof' (expected: as_of, title, publisher, forums, coverage)"
    """
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(display, None, message))

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(display, exc.lineno, f"not valid JSON: {exc.msg}"))
        return DatasetInfo(), problems
    if not isinstance(data, dict):
        problem("expected a JSON object ({...}) with as_of, title, publisher, forums")
        return DatasetInfo(), problems
    for key in data:
        if key not in _KEYS:
            problem(f"unknown key {key!r} (expected: {', '.join(_KEYS)})")
    values: dict[str, Any] = {}
    for key, column in (("as_of", _DATE), ("title", _TEXT), ("publisher", _TEXT)):
        try:
            values[key] = check_value(column, data.get(key))
        except ValueProblem as exc:
            problem(f"{key}: {exc}")
    forums = DEFAULT_FORUMS
    raw = data.get("forums", {})
    if not isinstance(raw, dict):
        problem('forums: expected an object like {"masg": "masg"}')
    else:
        chosen: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in _FORUM_KEYS:
                problem(f"forums: unknown key {key!r} (expected: {', '.join(_FORUM_KEYS)})")
                continue
            items = value if key == "ccm_coordinators" else [value]
            if key == "ccm_coordinators" and isinstance(value, str):
                items = [value]
            if not isinstance(items, list):
                problem(f"forums.{key}: expected a list of ids")
                continue
            try:
                ids = tuple(check_value(_ID, item) for item in items)
            except ValueProblem as exc:
                problem(f"forums.{key}: {exc}")
                continue
            if None in ids or not ids:
                problem(f"forums.{key}: an id cannot be blank")
                continue
            chosen[key] = ids if key == "ccm_coordinators" else ids[0]
        forums = Forums(**chosen)
    forums_stated = isinstance(raw, dict) and bool(raw)
    coverage = data.get("coverage")
    if coverage is not None and not isinstance(coverage, dict):
        problem("coverage: expected an object (per kind of fact, what the data covers)")
        coverage = None
    return (
        DatasetInfo(
            **values,
            forums=forums,
            coverage=coverage,
            stated=True,
            forums_stated=forums_stated,
        ),
        problems,
    )


def info_to_json(info: DatasetInfo) -> str:
    """The text of ``metadata.json`` for ``info`` (stable key order, UTF-8, newline at the end)."""
    data: dict[str, Any] = {}
    for key in ("as_of", "title", "publisher"):
        if getattr(info, key) is not None:
            data[key] = getattr(info, key)
    if info.forums_stated:
        data["forums"] = {
            "masg": info.forums.masg,
            "apmbc_committee": info.forums.apmbc_committee,
            "ccm_coordinators": list(info.forums.ccm_coordinators),
        }
    if info.coverage is not None:
        data["coverage"] = info.coverage
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read_info(folder: str | os.PathLike[str]) -> tuple[DatasetInfo, list[Problem]]:
    """The :class:`DatasetInfo` of a seed folder, and any problem with its ``metadata.json``.

    Without the file: the as-of date a ``README.md`` states (``As-of date: 27 February 2026``),
    default forums, ``stated`` False. Either file as a link to outside the folder is a
    problem and is not read (:func:`~ccm_graph.files.links_outside`).
    """
    path = Path(folder) / METADATA_FILE
    readme = Path(folder) / "README.md"
    outside = [p for p in (path, readme) if links_outside(folder, p)]
    if outside:
        return DatasetInfo(), [Problem(str(p), None, LINK_OUTSIDE) for p in outside]
    if path.is_file():
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            return DatasetInfo(), [Problem(str(path), None, "not UTF-8 text")]
        return info_from_json(text, str(path))
    return DatasetInfo(as_of=_readme_as_of(Path(folder))), []


_AS_OF = re.compile(
    r"as-of date:\W*([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2} [A-Z][a-z]+ [0-9]{4})", re.IGNORECASE
)


def _readme_as_of(folder: Path) -> str | None:
    try:
        text = (folder / "README.md").read_text(encoding="utf-8-sig")
    except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError):
        return None
    match = _AS_OF.search(text)
    if match is None:
        return None
    value = match.group(1)
    try:
        if value[:4].isdigit():
            return check_value(_DATE, value)  # type: ignore[no-any-return]
        return datetime.strptime(value, "%d %B %Y").date().isoformat()
    except (ValueProblem, ValueError):
        return None
