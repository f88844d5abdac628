"""The map page: one self-contained HTML file that draws a view, for a browser with no network.

:func:`render_html` is the entry point. The page is one file with no reference to any other
file or host: vis-network comes from the Pyvis package and is copied in, the data arrives as
JSON in a ``<script type="application/json">`` block, and a Content-Security-Policy allows only
the page's two scripts (by hash) and blocks every fetch, font, frame and form. The script
builds the legend, filters, search results and hover cards with ``textContent`` and DOM nodes
only.

The page's fixed text is in the language asked for (``en``, ``fr``, ``es``): the template's
``[[…]]`` texts and the script's ``t("…")`` calls are replaced by their translation from the
product's catalogs (:mod:`ccm_graph.i18n`) when the page is built (:func:`page_template`,
:func:`page_script`); an English page is built from the English text as written.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx

from .. import __version__
from ..i18n import JS_CALL, JS_LITERAL, JS_MESSAGE, TEMPLATE_MARK, Translate, js_string, translator
from .layout import LAYOUTS
from .payload import map_payload
from .restricted import refuse_restricted

__all__ = [
    "PAGE_ASSETS",
    "VIS_NETWORK_VERSION",
    "asset_text",
    "content_security_policy",
    "page",
    "page_script",
    "page_template",
    "render_html",
    "script_json",
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
    lang: str = "en",
) -> str:
    """The complete page, its fixed text in ``lang``. ``data_json`` must come from
    :func:`script_json`.

    The style sheet and both scripts are inlined exactly as the policy's hashes were computed
    over them; every other value is HTML-escaped (``data_json`` is already safe).
    """
    vis = vis_js()
    css, app = asset_text("page.css"), page_script(lang)
    banner = ""
    if restricted_banner:
        banner = f'\n<p class="restricted-banner" role="alert">{_text(restricted_banner)}</p>'
    return page_template(lang).format(
        lang=_text(lang),
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
def page_script(lang: str = "en") -> str:
    """The page's script with every ``t("…")`` call replaced by its text in ``lang``.

    ``t("Hide panel")`` becomes the string literal ``"Masquer le panneau"``; a sentence with
    values, ``t("Showing {shown} of {total}", {shown: a, total: b.c})``, becomes
    ``"Affichage de " + a + " sur " + b.c`` (``(…)`` round a value that is not a plain name,
    member or call), so a translation may put the values in any order. In English the literals
    are kept as written (escapes and line breaks included): an English page is what it was
    before the page could be translated.

    :raises ValueError: a malformed ``t(`` call, or a translation naming a value the call
        does not give.
    """
    return compile_script(asset_text("page.js"), translator(lang), english=lang == "en")


def compile_script(script: str, _: Translate, *, english: bool) -> str:
    """``script`` with its ``t(…)`` calls replaced (see :func:`page_script`).

    >>> compile_script('x = t("A {n} b", {n: c.d}); y = t("Hi");', str, english=True)
    'x = "A " + c.d + " b"; y = "Hi";'
    >>> compile_script('x = t("A {n} b", {n: c - 1});', lambda m: "{n} : a", english=False)
    'x = (c - 1) + " : a";'
    """
    out: list[str] = []
    pos = 0
    for call in JS_CALL.finditer(script):
        if call.start() < pos:  # inside a call already replaced (a value of an outer call)
            continue
        out.append(script[pos : call.start()])
        text, pos = _compile_call(script, call.end(), _, english)
        out.append(text)
    out.append(script[pos:])
    return "".join(out)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _compile_call(script: str, start: int, _: Translate, english: bool) -> tuple[str, int]:
    """The replacement of the ``t(`` call whose arguments start at ``start``, and where the
    call ends."""
    line = script.count("\n", 0, start) + 1
    match = JS_MESSAGE.match(script, start)
    if match is None:
        raise ValueError(f"page.js:{line}: t( needs a string literal as its message")
    raw = match.group(1)
    values: dict[str, str] = {}
    end = match.end()
    if script[end - 1] == ",":
        body_start = script.index("{", end)
        body_end = _closing(script, body_start)
        for item in _split_top(script[body_start + 1 : body_end], ","):
            if not item.strip():
                continue
            key, _sep, expr = item.partition(":")
            values[key.strip()] = compile_script(expr.strip(), _, english=english)
        end = script.index(")", body_end) + 1
    message = "".join(js_string(s) for s in JS_LITERAL.findall(raw))
    if re.match(r"\{\w+\}(\{\w+\}|$)", message):
        raise ValueError(f"page.js:{line}: put text between the first values of {message!r}")
    if english:
        pieces, last = [], 0
        for literal in JS_LITERAL.finditer(raw):
            pieces.append(raw[last : literal.start()])
            inner = literal.group(0)[1:-1]
            pieces.append(_with_values(inner, values, line, quote=_as_is, first=False))
            last = literal.end()
        pieces.append(raw[last:])
        return "".join(pieces), end
    return _with_values(_(message), values, line, quote=_js_literal, first=True), end


def _as_is(text: str) -> str:
    return f'"{text}"'


def _js_literal(text: str) -> str:
    literal = json.dumps(text, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):  # fmt: skip
        literal = literal.replace(raw, escaped)
    return literal


def _with_values(
    text: str, values: dict[str, str], line: int, *, quote: Callable[[str], str], first: bool
) -> str:
    """``text`` as a JavaScript expression: its literal parts quoted, its ``{name}`` parts
    replaced by the values' expressions, joined with ``+``. ``first``: ``text`` starts the
    expression, so ``""`` goes first when it starts with two values (never add two numbers)."""
    parts: list[str] = []
    kinds: list[bool] = []  # True: a value
    last = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in values:
            raise ValueError(f"page.js:{line}: no value for {{{match.group(1)}}} in {text!r}")
        if match.start() > last:
            parts.append(quote(text[last : match.start()]))
            kinds.append(False)
        expr = values[match.group(1)]
        parts.append(f"({expr})" if _needs_parens(expr) else expr)
        kinds.append(True)
        last = match.end()
    if last < len(text) or not parts:
        parts.append(quote(text[last:]))
        kinds.append(False)
    if first and kinds[0] and (len(kinds) == 1 or kinds[1]):
        parts.insert(0, '""')
    return " + ".join(parts)


def _code(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """``(index, char, depth)`` for each character of ``text`` from ``start`` that is code,
    not inside a string literal; ``depth`` counts the brackets open before it (a closing
    bracket is reported at its own, inner depth)."""
    depth = 0
    quote = ""
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            yield index, char, depth
            depth += 1
        elif char in ")]}":
            yield index, char, depth
            depth -= 1
        else:
            yield index, char, depth


def _needs_parens(expr: str) -> bool:
    """Whether ``expr`` has anything but names, members and calls at its top level."""
    return any(
        depth == 0 and char not in "()[]{}" and not (char.isalnum() or char in "_$.")
        for _index, char, depth in _code(expr)
    )


def _closing(text: str, start: int) -> int:
    """The index of the bracket that closes the one at ``start`` (strings skipped)."""
    for index, char, depth in _code(text, start):
        if char in ")]}" and depth == 1:
            return index
    raise ValueError(f"no closing bracket for the one at {start}")


def _split_top(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets and strings."""
    cuts = [i for i, char, depth in _code(text) if char == separator and depth == 0]
    starts = [0, *(i + 1 for i in cuts)]
    ends = [*cuts, len(text)]
    return [text[a:b] for a, b in zip(starts, ends, strict=True)]


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
    lang: str = "en",
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
    :param lang: the language of the page's fixed text (``en``, ``fr``, ``es``): header,
        panel, legend, cards, messages; names from the data's aliases in that language when
        it has them. ``title`` is shown as given.

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
        lang=lang,
    )
    restricted_count = payload["meta"]["restrictedCount"]
    banner = _restricted_banner(restricted_count, translator(lang))
    return page(
        title=title,
        as_of=as_of,
        command=command,
        data_json=script_json(payload),
        restricted_banner=banner if restricted_included else None,
        lang=lang,
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
