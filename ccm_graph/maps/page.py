"""The map page: one self-contained HTML file that draws a view, for a browser with no network.

:func:`render_html` is the entry point. The page is one file with no reference to any other
file or host: vis-network comes from the Pyvis package and is copied in, the data arrives as
JSON in a ``<script type="application/json">`` block, and a Content-Security-Policy allows only
the page's two scripts (by hash) and blocks every fetch, font, frame and form. The script
builds the legend, filters, search results and hover cards with ``textContent`` and DOM nodes
only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx

from .. import __version__
from .layout import LAYOUTS
from .payload import map_payload
from .restricted import refuse_restricted

__all__ = [
    "PAGE_ASSETS",
    "VIS_NETWORK_VERSION",
    "asset_text",
    "content_security_policy",
    "page",
    "render_html",
    "script_json",
    "vis_js",
]

VIS_NETWORK_VERSION = "9.1.2"
PAGE_ASSETS = ("page.html", "page.css", "page.js")
"""The page's own files in ``ccm_graph/maps/assets/``: the HTML template (``str.format``
fields such as ``{title}``), the style sheet and the script, each inlined as it is."""


@lru_cache(maxsize=len(PAGE_ASSETS))
def asset_text(name: str) -> str:
    """The text of one of the page's own files (:data:`PAGE_ASSETS`), read as package data
    with :mod:`importlib.resources`, so it works from a wheel or a zip as from a checkout."""
    if name not in PAGE_ASSETS:
        raise ValueError(f"unknown page asset {name!r}; choose one of {', '.join(PAGE_ASSETS)}")
    return (resources.files("ccm_graph.maps") / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vis_js() -> str:
    """vis-network's standalone script as shipped inside the Pyvis package."""
    path = resources.files("pyvis") / "lib" / f"vis-{VIS_NETWORK_VERSION}" / "vis-network.min.js"
    text = path.read_text(encoding="utf-8")
    # Never let the library's text close its own <script> element early.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def script_json(payload: Any) -> str:
    """``payload`` as JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (so no ``</script>``
    or ``<!--`` can appear), and U+2028/U+2029 are escaped too; ``JSON.parse`` restores them.

    >>> script_json({"name": "</script><img src=x onerror=alert(1)>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(raw, escaped)
    return text


def _sha256(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: tuple[str, ...], styles: tuple[str, ...]) -> str:
    """A policy that runs only these inline scripts, applies only these style sheets (style
    set from script, as vis-network does, is not affected) and lets the page load nothing."""
    script_hashes = " ".join(_sha256(s) for s in scripts)
    style_hashes = " ".join(_sha256(s) for s in styles)
    return (
        f"default-src 'none'; script-src {script_hashes}; style-src {style_hashes}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def page(
    *,
    title: str,
    as_of: str,
    command: str,
    data_json: str,
    restricted_banner: str | None,
) -> str:
    """The complete page. ``data_json`` must come from :func:`script_json`.

    The style sheet and both scripts are inlined exactly as the policy's hashes were computed
    over them; every other value is HTML-escaped (``data_json`` is already safe).
    """
    vis = vis_js()
    css, app = asset_text("page.css"), asset_text("page.js")
    banner = ""
    if restricted_banner:
        banner = f'\n<p class="restricted-banner" role="alert">{_text(restricted_banner)}</p>'
    return asset_text("page.html").format(
        csp=_text(content_security_policy((vis, app), (css,))),
        version=_text(__version__),
        title=_text(title),
        as_of=_text(as_of),
        command=_text(command),
        banner=banner,
        css=css,
        data=data_json,
        vis=vis,
        app=app,
    )


def render_html(
    view: nx.MultiDiGraph,
    *,
    title: str,
    as_of: str,
    command: str,
    highlights: Mapping[str, Sequence[str]] | None = None,
    layout: str = "physics",
    size_by: str = "degree",
    seed: int = 42,
    restricted_included: bool = False,
) -> str:
    """One self-contained HTML page that draws ``view``, for a browser with no network.

    :param title: the page's heading; ``as_of``: the data's as-of date as shown;
        ``command``: the command line that made the map (shown so it can be remade).
    :param highlights: record id → reasons (gap findings): drawn with a red ring, the reasons
        listed in the record's hover card. Ids not in the view are ignored.
    :param layout: ``physics`` (the browser arranges the map) or ``static`` (positions from
        :func:`static_positions`, physics off: a 2,000-node map shows at once).
    :param size_by: a :data:`SIZE_MEASURES` measure for node size.
    :param restricted_included: the view may hold restricted records; the page then says so
        at the top in red. Without it a view with a restricted record raises ``ValueError``.

    The page holds vis-network inline (from the Pyvis package), a Content-Security-Policy that
    allows no network access at all, and the data as JSON in a ``<script
    type="application/json">`` block with ``<``, ``>``, ``&`` and the JavaScript line
    separators escaped; the page's code puts every data string on screen with
    ``textContent``, so a name such as ``<img src=x onerror=alert(1)>`` shows as text.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    refuse_restricted(view, restricted_included)
    payload = map_payload(
        view,
        highlights=highlights or {},
        layout=layout,
        size_by=size_by,
        seed=seed,
        meta={"title": title, "asOf": as_of, "command": command},
        restricted_included=restricted_included,
    )
    restricted_count = payload["meta"]["restrictedCount"]
    return page(
        title=title,
        as_of=as_of,
        command=command,
        data_json=script_json(payload),
        restricted_banner=_restricted_banner(restricted_count) if restricted_included else None,
    )


def _restricted_banner(count: int) -> str:
    """The red warning at the top of a page made with restricted records allowed."""
    if count == 0:
        return (
            "RESTRICTED DATA: this map was made with --include-restricted. No record in this "
            "view is marked restricted, but check before you share it."
        )
    held = f"{count} restricted record{'s' if count != 1 else ''}"
    return (
        f"RESTRICTED DATA: this map was made with --include-restricted and holds {held} "
        "(dashed outlines). Do not forward, print for others or publish it."
    )


def _text(value: str) -> str:
    """``value`` escaped for HTML text and attribute values."""
    return html.escape(str(value), quote=True)
