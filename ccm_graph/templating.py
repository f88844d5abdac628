"""The templates of the hand-outs (briefs, the guideline, the diff page): one Jinja2
environment per output format, built here and nowhere else.

The templates are package data in ``ccm_graph/templates/``: one template per output and format
(``brief.html.j2``, ``brief.md.j2`` …) and shared partials whose names start with ``_``
(``_page.html.j2``: the offline page shell; ``_notes.*.j2``: source notes and the numbered
sources; ``_restricted.*.j2``: the restricted banner; ``_blocks.*.j2``: headings, paragraphs,
lists and tables). They get typed records (frozen dataclasses built in Python) and hold no
logic beyond loops and conditionals.

Every value a template outputs is escaped for its format, with no way to forget it: the
environment's ``finalize`` escapes whatever is not marked safe, in HTML exactly as
:func:`html.escape` (so the pages keep their bytes), in Markdown with :func:`md_escape`
(backslashes, never entities). Marked safe are the templates' own macros and includes, the
fixed text of a Markdown hand-out (``_("…")`` without values), HTML fragments the Python side
drew (:class:`~markupsafe.Markup`, e.g. the map's SVG) and Markdown it formatted
(:class:`MarkdownText`). A translated sentence with values (``_("Data as of {date}.",
date=…)``) is text: it is escaped as a whole.

Registered for every template: ``_`` (the catalogs of :mod:`ccm_graph.i18n`, ``{name}``
placeholders filled from keyword values), ``ngettext`` (the plural), the filters ``date`` and
``money``; ``lang`` must be given to every render. ``{% trans %}`` works too (Jinja's own
``%(name)s`` placeholders, escaped the same way); prefer ``_()``, the form the rest of the
product uses.
"""

from __future__ import annotations

import html
from datetime import date
from functools import cache
from typing import Any, Literal
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .escaping import md_escape
from .i18n import format_date as format_date_in
from .i18n import translations
from .i18n.dates import iso_date
from .wording import format_usd_in

__all__ = [
    "Format",
    "MarkdownText",
    "environment",
    "format_date",
    "html_escape",
    "md_escape",
    "money",
    "render",
]

Format = Literal["html", "markdown"]
"""The formats of the hand-outs: ``.html.j2`` templates are HTML, ``.md.j2`` Markdown."""


def html_escape(value: Any) -> Markup:
    """A value as HTML text, escaped exactly as :func:`html.escape` does (``None`` is empty).

    >>> str(html_escape("Norwegian People's Aid <NPA>"))
    'Norwegian People&#x27;s Aid &lt;NPA&gt;'
    """
    return Markup(html.escape("" if value is None else str(value)))


class MarkdownText(Markup):
    """Markdown the Python side has already formatted (every data-derived part escaped): a
    Markdown template outputs it as it is; an HTML template escapes it as text."""


def format_date(value: date | str | None, lang: str = "en") -> str:
    """A date as the hand-outs' prose writes it: ISO ``YYYY-MM-DD`` in English (as every
    English output), in words in French and Spanish (:func:`ccm_graph.i18n.format_date`).
    Text that is not a date (a partial date, a note) is printed as it is.

    >>> format_date(date(2026, 3, 1), "en"), format_date(date(2026, 3, 1), "fr")
    ('2026-03-01', '1er mars 2026')
    >>> format_date("2026-03-15", "es"), format_date("2026", "fr")
    ('15 de marzo de 2026', '2026')
    """
    if value is None:
        return ""
    if lang != "en" and iso_date(value) is not None:
        return format_date_in(value, lang)
    return value.isoformat() if isinstance(value, date) else str(value)


def money(amount: float | None, lang: str = "en", missing: str = "") -> str:
    """An amount in US dollars as ``lang`` writes it (``USD 1,200,000``); ``missing`` when
    there is none.

    >>> money(1200000, "fr")
    '1\\xa0200\\xa0000 USD'
    """
    return format_usd_in(lang, amount, missing)


def _finalize_html(value: Any) -> Any:
    if isinstance(value, MarkdownText) or not hasattr(value, "__html__"):
        return html_escape(value)
    return value


def _finalize_markdown(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(value))


def _translators(fmt: Format) -> tuple[Any, Any]:
    """``_`` and ``ngettext`` for the templates of ``fmt``: the language is the render's
    ``lang``; a message without values is fixed text (left as it is in Markdown, escaped in
    HTML); with values it is a sentence holding data, escaped as a whole."""

    def worded(message: str, text: str, values: dict[str, Any]) -> str:
        if not values:
            return Markup(text) if fmt == "markdown" else text
        if "%(" in message:  # a {% trans %} block: Jinja's own placeholders
            return str(text % values)
        return text.format(**values)

    @pass_context
    def gettext(context: Context, message: str, **values: Any) -> str:
        return worded(message, translations(context["lang"]).gettext(message), values)

    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, number: int, /, **values: Any
    ) -> str:
        text = translations(context["lang"]).ngettext(singular, plural, number)
        return worded(singular, text, values)

    return gettext, ngettext


def _markdown_link(target: str) -> Markup:
    """A file name as a Markdown link target: percent-encoded, so spaces, parentheses and
    markup characters cannot end or change the link."""
    return Markup(quote(target))


@cache
def environment(fmt: Format) -> Environment:
    """The one Jinja2 environment of ``fmt``: templates from ``ccm_graph/templates``, an
    undefined name an error, white space as written (block tags take their line with them),
    every output escaped for the format unless marked safe."""
    env = Environment(
        loader=PackageLoader("ccm_graph", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize_html if fmt == "html" else _finalize_markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # {% trans %} blocks call gettext/ngettext with their values, as _() does: one escaping path
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    gettext, ngettext = _translators(fmt)
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    env.filters.update(date=format_date, money=money)
    if fmt == "markdown":
        env.filters["link"] = _markdown_link
    return env


def render(template: str, /, **context: Any) -> str:
    """Render ``template`` (its format from its name: ``.html.j2`` or ``.md.j2``) with
    ``context``, which must hold ``lang``.

    :raises jinja2.UndefinedError: the template uses a name the context lacks.
    """
    fmt: Format = "html" if template.endswith(".html.j2") else "markdown"
    return environment(fmt).get_template(template).render(**context)
