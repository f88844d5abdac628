"""The map page: one self-contained HTML file that draws a view, for a browser with no network.

:func:`render_html` is the entry point. The page is one file with no reference to any other
file or host: vis-network comes from the Pyvis package and is copied in, the data arrives as
JSON in a ``<script type="application/json">`` block, and a Content-Security-Policy allows only
the page's two scripts (by hash) and blocks every fetch, font, frame and form; the script's
fixed text arrives as a second JSON block. The script
builds the legend, filters, search results and hover cards with ``textContent`` and DOM nodes
only.

The page's fixed text is in the language asked for (``en``, ``fr``, ``es``), from the
product's catalogs (:mod:`ccm_graph.i18n`): the template's ``[[…]]`` texts are replaced by
their translation when the page is built (:func:`page_template`), and the script gets its
strings as data, a second JSON block (:func:`page_strings`) that its ``t(key, values)``
looks up at run time. The data's date in the header reads as the language writes dates
(:func:`shown_date`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx

from .. import __version__
from ..i18n import Translate, format_date, translator
from ..i18n.dates import iso_date
from ..i18n.extract import TEMPLATE_MARK, script_messages
from .layout import LAYOUTS
from .payload import map_payload
from .restricted import refuse_restricted

__all__ = [
    "PAGE_ASSETS",
    "SCRIPT_FILES",
    "VIS_NETWORK_VERSION",
    "MapOptions",
    "asset_text",
    "content_security_policy",
    "page",
    "page_strings",
    "page_template",
    "render_html",
    "script_json",
    "shown_date",
    "vis_js",
]

VIS_NETWORK_VERSION = "9.1.2"
PAGE_ASSETS = ("page.html", "page.css", "page.js")
"""The page's own files in ``ccm_graph/maps/assets/``: the HTML template (``str.format``
fields such as ``{title}``, ``[[…]]`` around fixed text), the style sheet (inlined as it is)
and the script (``t("…")`` around fixed text), in the page's language."""


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


def content_security_policy(
    scripts: tuple[str, ...], styles: tuple[str, ...], *, scripts_from_self: bool = False
) -> str:
    """A policy that runs only these inline scripts (or, ``scripts_from_self``, only script
    files of the page's own site, none inline), applies only these style sheets (style set
    from script, as vis-network does, is not affected) and lets the page load nothing else."""
    script_hashes = "'self'" if scripts_from_self else " ".join(_sha256(s) for s in scripts)
    style_hashes = " ".join(_sha256(s) for s in styles)
    return (
        f"default-src 'none'; script-src {script_hashes}; style-src {style_hashes}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


SCRIPT_FILES: dict[str, Callable[[], str]] = {
    "vis-network.min.js": vis_js,
    "page.js": lambda: asset_text("page.js"),
}
"""The page's two scripts by file name, for a page served with ``scripts_at`` (the
workbench): vis-network and the page's own code."""


def page(
    *,
    title: str,
    as_of: str,
    command: str,
    data_json: str,
    restricted_banner: str | None,
    lang: str = "en",
    scripts_at: str | None = None,
) -> str:
    """The complete page, its fixed text in ``lang`` (the script's strings as JSON, from
    :func:`page_strings`). ``data_json`` must come from :func:`script_json`.

    The style sheet and both scripts are inlined exactly as the policy's hashes were computed
    over them (a file that works offline); with ``scripts_at`` (a path such as ``/map``), the
    scripts are loaded from ``scripts_at/`` + each name of :data:`SCRIPT_FILES` instead and no
    script is inline (a page served by the workbench). Every other value is HTML-escaped
    (``data_json`` is already safe).
    """
    vis = vis_js()
    css, app = asset_text("page.css"), asset_text("page.js")
    policy = content_security_policy((vis, app), (css,), scripts_from_self=bool(scripts_at))
    if scripts_at is None:
        scripts = f"<script>{vis}</script>\n<script>{app}</script>"
    else:
        scripts = "\n".join(f'<script src="{_text(scripts_at)}/{name}"></script>'
                            for name in SCRIPT_FILES)  # fmt: skip
    banner = ""
    if restricted_banner:
        banner = f'\n<p class="restricted-banner" role="alert">{_text(restricted_banner)}</p>'
    return page_template(lang).format(
        lang=_text(lang),
        csp=_text(policy),
        version=_text(__version__),
        title=_text(title),
        as_of=_text(shown_date(as_of, lang)),
        command=_text(command),
        banner=banner,
        css=css,
        data=data_json,
        strings=script_json(page_strings(lang)),
        scripts=scripts,
    )


@lru_cache(maxsize=8)
def page_template(lang: str = "en") -> str:
    """The HTML template with its ``[[…]]`` texts in ``lang`` (HTML-escaped); in English, the
    texts as the template has them. Still a ``str.format`` template (braces of a translation
    are doubled)."""
    _ = translator(lang)
    template = asset_text("page.html")
    if lang == "en":
        return TEMPLATE_MARK.sub(lambda m: m.group(1), template)

    def translated(match: re.Match[str]) -> str:
        text = _text(_(" ".join(match.group(1).split())))
        return text.replace("{", "{{").replace("}", "}}")

    return TEMPLATE_MARK.sub(translated, template)


@lru_cache(maxsize=8)
def page_strings(lang: str = "en") -> dict[str, str]:
    """The page script's fixed text in ``lang``: every message of a ``t("…")`` call in
    ``page.js`` (its English text, the key) → its translation (English: itself).

    The page holds them as JSON beside its data (``<script type="application/json"
    id="ccm-map-strings">``); its ``t(key, values)`` looks a key up and puts the values in the
    ``{name}`` placeholders, so a translation may put them in any order.

    >>> page_strings("fr")["Hide panel"]
    'Masquer le panneau'
    """
    _ = translator(lang)
    return {message: _(message) for message in script_messages(asset_text("page.js"))}


def shown_date(value: str, lang: str) -> str:
    """The data's date as the page's header says it: as given in English (``2026-02-27``),
    in words in French and Spanish prose (``27 février 2026``); anything that is not a full
    date (``as of 2026``) as given.

    >>> shown_date("2026-03-01", "fr"), shown_date("2026-03-01", "en"), shown_date("2026", "es")
    ('1er mars 2026', '2026-03-01', '2026')
    """
    if lang == "en" or iso_date(value) is None:
        return value
    return format_date(value, lang)


@dataclass(frozen=True)
class MapOptions:
    """What a map page (or graph file) shows besides its records, and how: one value that
    :func:`render_html` and :func:`~ccm_graph.maps.write_map` both take.

    :param title: the page's heading; ``as_of``: the data's as-of date as given (the page's
        header words a full date in French or Spanish: ``1er mars 2026``); ``command``: the
        command line that made the map (shown so it can be remade).
    :param highlights: record id → reasons (gap findings): drawn with a red ring, the reasons
        listed in the record's hover card. Ids not in the view are ignored.
    :param layout: ``physics`` (the browser arranges the map) or ``static`` (positions from
        :func:`static_positions`, physics off: a 2,000-node map shows at once).
    :param size_by: a :data:`SIZE_MEASURES` measure for node size.
    :param seed: the layout's random seed (the same seed draws the same map).
    :param restricted_included: the view may hold restricted records; the page then says so
        at the top in red. Without it a view with a restricted record raises ``ValueError``.
    :param lang: the language of the page's fixed text (``en``, ``fr``, ``es``): header,
        panel, legend, cards, messages; names from the data's aliases in that language when
        it has them. ``title`` is shown as given; graph files have no fixed text.
    :param scripts_at: ``None`` for a page that holds its scripts (works offline); a path
        (``/map``) for a page served from a site that serves :data:`SCRIPT_FILES` there, with
        no inline script at all.
    """

    title: str
    as_of: str
    command: str
    highlights: Mapping[str, Sequence[str]] | None = None
    layout: str = "physics"
    size_by: str = "degree"
    seed: int = 42
    restricted_included: bool = False
    lang: str = "en"
    scripts_at: str | None = None


def render_html(view: nx.MultiDiGraph, options: MapOptions) -> str:
    """One self-contained HTML page that draws ``view``, for a browser with no network, as
    ``options`` say (:class:`MapOptions`).

    The page holds vis-network inline (from the Pyvis package), a Content-Security-Policy that
    allows no network access at all, and the data as JSON in a ``<script
    type="application/json">`` block with ``<``, ``>``, ``&`` and the JavaScript line
    separators escaped; the page's code puts every data string on screen with
    ``textContent``, so a name such as ``<img src=x onerror=alert(1)>`` shows as text.

    :raises ValueError: an unknown layout, or a restricted record in the view without
        ``restricted_included``.
    """
    o = options
    if o.layout not in LAYOUTS:
        raise ValueError(f"unknown layout {o.layout!r}; choose one of {', '.join(LAYOUTS)}")
    refuse_restricted(view, o.restricted_included)
    payload = map_payload(
        view,
        highlights=o.highlights or {},
        layout=o.layout,
        size_by=o.size_by,
        seed=o.seed,
        meta={"title": o.title, "asOf": o.as_of, "command": o.command},
        restricted_included=o.restricted_included,
        lang=o.lang,
    )
    restricted_count = payload["meta"]["restrictedCount"]
    banner = _restricted_banner(restricted_count, translator(o.lang))
    return page(
        title=o.title,
        as_of=o.as_of,
        command=o.command,
        data_json=script_json(payload),
        restricted_banner=banner if o.restricted_included else None,
        lang=o.lang,
        scripts_at=o.scripts_at,
    )


def _restricted_banner(count: int, _: Translate) -> str:
    """The red warning at the top of a page made with restricted records allowed."""
    if count == 0:
        return _(
            "RESTRICTED DATA: this map was made with --include-restricted. No record in this "
            "view is marked restricted, but check before you share it."
        )
    if count == 1:
        text = _(
            "RESTRICTED DATA: this map was made with --include-restricted and holds {count} "
            "restricted record (dashed outlines). Do not forward, print for others or publish it."
        )
    else:
        text = _(
            "RESTRICTED DATA: this map was made with --include-restricted and holds {count} "
            "restricted records (dashed outlines). Do not forward, print for others or publish "
            "it."
        )
    return text.format(count=count)


def _text(value: str) -> str:
    """``value`` escaped for HTML text and attribute values."""
    return html.escape(str(value), quote=True)
