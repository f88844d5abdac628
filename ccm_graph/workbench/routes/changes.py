"""What changed between two snapshots of the data, or a snapshot and the data now, as the
meeting page (:func:`~ccm_graph.diff_words.meeting_page`) in the request's language.

Snapshots are chosen by name from the source's snapshots folder (drop-downs on ``/history``);
a name that is not one of them is refused (404), so no path a person types is ever read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...diff_words import meeting_page
from ...errors import DataError
from ...i18n import translator
from ...keeping.comparing import CURRENT, UnknownSnapshot, compare_snapshots, snapshot_names
from ...source import DataSource
from ..web import analyses, language, link, page, viewer, workbench

__all__ = ["ROUTES", "history_choices"]


def history_choices(source: DataSource, entries: Sequence[Mapping[str, Any]],
                    lang: str) -> dict[str, Any]:  # fmt: skip
    """What ``/history`` offers to compare: the snapshot names (oldest first) and, for each
    history entry's snapshot that is one of them, the address of "what changed" from it to
    the next snapshot (or to the data now, for the newest)."""
    names = snapshot_names(source)
    following = {name: ([*names[1:], CURRENT])[i] for i, name in enumerate(names)}
    diff_links = {}
    for entry in entries:
        snapshot = entry.get("snapshot")
        name = Path(str(snapshot)).name if snapshot else None
        if name in following:
            pair = {"from": name, "to": following[name]}
            diff_links[snapshot] = link("/history/diff", lang, **pair)
    return {"snapshots": names, "diff_links": diff_links, "current": CURRENT}


def history_diff(request: Request) -> Response:
    """``/history/diff?from=SNAP&to=SNAP`` (``to=current``: the data now): the meeting page,
    restricted records left out unless the viewer may see them; gaps as of the data's date."""
    a, lang = analyses(request), language(request)
    old = request.query_params.get("from", "")
    new = request.query_params.get("to", "") or CURRENT
    include = viewer(request).include_restricted
    _ = translator(lang)

    def make() -> Any:
        diff = compare_snapshots(workbench(request).source, old, new, as_of=a.as_of,
                                 include_restricted=include)  # fmt: skip
        label = {CURRENT: _("the data now")}
        return meeting_page(diff, old=label.get(old, old), new=label.get(new, new), lang=lang,
                            include_restricted=include)  # fmt: skip

    try:
        meeting = a.kept(("history diff", old, new, lang), make)
    except UnknownSnapshot:
        raise HTTPException(404) from None
    except DataError:
        return page(request, "error.html.j2", analyses=a, status=409, message=_(
            "One of these snapshots breaks the data rules and cannot be compared; check it "
            "with ccm-graph validate --seed and the snapshot's folder."))  # fmt: skip
    choices = history_choices(workbench(request).source, [], lang)
    return page(request, "history_diff.html.j2", analyses=a, meeting=meeting, choices=choices,
                old=old, new=new)  # fmt: skip


ROUTES = [Route("/history/diff", history_diff)]
