"""Fixed text of the hand-outs and the maps, and the analyses' sentences, in English, French
and Spanish, through one set of gettext catalogs for the whole product.

The catalogs live in ``ccm_graph/briefs/locale/{fr,es}/LC_MESSAGES/ccm_graph.po`` (the text
translators edit) with the compiled ``.mo`` beside them (what the stdlib :mod:`gettext` reads).
``python scripts/briefs_catalogs.py`` extracts every message (:func:`extract_messages`), adds
new ones to each ``.po`` and compiles the ``.mo``; ``--check`` exits 1 when a message has no
translation or a ``.mo`` is stale, and a test runs it. English is the source language.

Where the messages are, and how they are marked:

- Python (``ccm_graph/briefs``, ``ccm_graph/maps``): the string literal passed to ``_(…)``
  or ``N_(…)``; the analyses' sentences (``ccm_graph/wording.py`` and the analysis modules of
  :data:`MESSAGE_SOURCES`): the literal passed to :func:`ccm_graph.wording.say`, and the
  singular and plural passed to ``say_n`` (one plural message, ``msgid_plural`` in the
  ``.po``, forms by each language's rule).
- The map page's script (``maps/assets/page.js``): ``t("…")``, or
  ``t("… {name} …", {name: expression})`` for a sentence with values in it. The page is built
  with the translations put in place of these calls (:func:`ccm_graph.maps.page.page_script`),
  so the page needs no translation table and English pages are what they were.
- The map page's template (``maps/assets/page.html``): ``[[…]]`` around a text (its spaces
  and line breaks count as one space in the message).

Data-derived text (names, sources, notes, amounts) is never translated by the catalogs; a
State's name comes from its ``fr:``/``es:`` alias when the data has one
(:func:`ccm_graph.names.name_in`), amounts and ranks are written by :mod:`ccm_graph.wording`
for the language. ``docs/translations.md`` lists the Convention terms used and their sources.
"""

from __future__ import annotations

import ast
import gettext
import json
import re
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "MESSAGE_SOURCES",
    "N_",
    "PLURAL_SEPARATOR",
    "Translate",
    "compile_mo",
    "extract_messages",
    "jinja_messages",
    "js_messages",
    "read_po",
    "template_messages",
    "translations",
    "translator",
]

DOMAIN = "ccm_graph"
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""The languages of the hand-outs and maps: English (source), French, Spanish."""
LOCALE_DIR = Path(__file__).parent / "briefs" / "locale"
"""Where the catalogs are (under ``briefs/`` for history: one catalog serves every package)."""
_PACKAGE = Path(__file__).parent

MESSAGE_SOURCES: tuple[Path, ...] = (
    *sorted((_PACKAGE / "briefs").glob("*.py")),
    *sorted((_PACKAGE / "templates").glob("*.j2")),
    *sorted((_PACKAGE / "maps").glob("*.py")),
    _PACKAGE / "wording.py",
    _PACKAGE / "analysis" / "_window.py",
    _PACKAGE / "analysis" / "gaps.py",
    _PACKAGE / "analysis" / "recommend.py",
    _PACKAGE / "analysis" / "support.py",
    _PACKAGE / "maps" / "assets" / "page.js",
    _PACKAGE / "maps" / "assets" / "page.html",
)
"""Where the catalogs' messages are: the hand-outs' and maps' fixed text, the analyses'
sentences, the hand-outs' Jinja2 templates, the map page's script and template."""

PLURAL_SEPARATOR = "\0"
"""Between the singular and plural msgid (and the msgstr forms) of a plural message, as in a
``.mo`` file."""

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; it is translated where it is used."""
    return message


def translator(lang: str = "en") -> Translate:
    """The ``gettext`` function of ``lang`` (``en``, ``fr`` or ``es``).

    :raises ValueError: another language.
    """
    return translations(lang).gettext


def translations(lang: str = "en") -> gettext.NullTranslations:
    """The catalog of ``lang`` (``gettext`` and ``ngettext``); English is the source text.

    :raises ValueError: another language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    if not isinstance(value, str):
        raise ValueError(f"not a string: {text}")
    return value


def read_po(path: Path) -> dict[str, str]:
    """The ``msgid`` → ``msgstr`` pairs of a ``.po`` file (the header has msgid ``""``).

    Only what the catalogs use: no contexts; ``#`` comments are skipped. A plural message
    (``msgid_plural``, ``msgstr[0]``, ``msgstr[1]``) is one entry whose key and value join the
    forms with :data:`PLURAL_SEPARATOR`, as a ``.mo`` file stores them.
    """
    entries: dict[str, str] = {}
    msgid: str | None = None
    msgstr: str | None = None
    field: str | None = None
    plural: str | None = None
    forms: list[str] = []

    def flush() -> None:
        if msgid is not None and plural is not None:
            entries[msgid + PLURAL_SEPARATOR + plural] = PLURAL_SEPARATOR.join(forms)
        elif msgid is not None and msgstr is not None:
            entries[msgid] = msgstr

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr, field, plural, forms = _unquote(line[6:]), None, "msgid", None, []
        elif line.startswith("msgid_plural "):
            plural, field = _unquote(line[13:]), "msgid_plural"
        elif line.startswith("msgstr["):
            forms.append(_unquote(line.partition("]")[2].strip()))
            field = "msgstr[]"
        elif line.startswith("msgstr "):
            msgstr, field = _unquote(line[7:]), "msgstr"
        elif line.startswith('"'):
            if field == "msgid" and msgid is not None:
                msgid += _unquote(line)
            elif field == "msgid_plural" and plural is not None:
                plural += _unquote(line)
            elif field == "msgstr[]" and forms:
                forms[-1] += _unquote(line)
            elif field == "msgstr" and msgstr is not None:
                msgstr += _unquote(line)
            else:
                raise ValueError(f"{path}:{number}: a string continues nothing")
        else:
            raise ValueError(f"{path}:{number}: cannot read {line!r}")
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU ``.mo`` bytes of a catalog (as ``msgfmt`` writes them, without a hash table);
    untranslated messages are left out, so gettext falls back to English for them."""
    import struct

    kept = sorted((k, v) for k, v in entries.items() if v.strip(PLURAL_SEPARATOR) or k == "")
    ids = [k.encode("utf-8") for k, _ in kept]
    strs = [v.encode("utf-8") for _, v in kept]
    count = len(kept)
    key_start = 7 * 4 + 16 * count
    offsets: list[int] = []
    blob = b""
    for text in ids:
        offsets += [len(text), key_start + len(blob)]
        blob += text + b"\0"
    value_start = key_start + len(blob)
    values = b""
    value_offsets: list[int] = []
    for text in strs:
        value_offsets += [len(text), value_start + len(values)]
        values += text + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    return (
        header
        + struct.pack(f"{2 * count}i", *offsets)
        + struct.pack(f"{2 * count}i", *value_offsets)
        + blob
        + values
    )


def extract_messages(paths: list[Path] | None = None) -> list[str]:
    """Every message of the product, in first-use order: the string literal passed to
    ``_(…)`` (or ``obj._(…)``), ``N_(…)`` or ``say(…)`` in Python (adjacent literals joined),
    the singular and plural passed to ``say_n(…)`` (one entry, joined by
    :data:`PLURAL_SEPARATOR`), ``t("…")`` in a ``.js`` file, ``[[…]]`` in an ``.html``
    template and ``_("…")``/``ngettext(…)``/``{% trans %}`` in a Jinja2 ``.j2`` template
    (:func:`jinja_messages`). Default: :data:`MESSAGE_SOURCES`.

    :raises ValueError: a ``t(`` in a script whose message is not a string literal (it could
        not be found here, so it would never be translated).
    """
    if paths is None:
        paths = list(MESSAGE_SOURCES)
    found: dict[str, None] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".js":
            found.update(dict.fromkeys(js_messages(text, str(path))))
            continue
        if path.suffix == ".html":
            found.update(dict.fromkeys(template_messages(text)))
            continue
        if path.suffix == ".j2":
            found.update(dict.fromkeys(jinja_messages(text, str(path))))
            continue
        tree = ast.parse(text, filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node.func)
            args = [_literal(a) for a in node.args]
            if name in ("_", "N_", "say") and args and args[0] is not None:
                found.setdefault(args[0], None)
            elif name == "say_n" and len(args) >= 2 and args[0] is not None and args[1]:
                found.setdefault(args[0] + PLURAL_SEPARATOR + args[1], None)
    return list(found)


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called_name(func: ast.expr) -> str | None:
    """``_`` for ``_(…)`` and for ``words._(…)`` (a translate function kept on an object)."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


JS_CALL = re.compile(r"(?<![\w$.])t\(")
"""Where a ``t(…)`` call starts in a script (not ``at(``, not ``x.t(``)."""
JS_MESSAGE = re.compile(r'\s*("(?:[^"\\\n]|\\.)*"(?:\s*\+\s*"(?:[^"\\\n]|\\.)*")*)\s*[,)]')
"""The message of a ``t(`` call: string literals joined with ``+``, then ``,`` or ``)``."""
JS_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
TEMPLATE_MARK = re.compile(r"\[\[(.+?)\]\]", re.S)
"""A text to translate in the page's HTML template."""


def js_string(literal: str) -> str:
    """The value of a double-quoted JavaScript string literal (``"a\\u2013b"`` → ``a–b``)."""
    value = json.loads(literal)
    if not isinstance(value, str):
        raise ValueError(f"not a string: {literal}")
    return value


def js_messages(script: str, where: str = "script") -> list[str]:
    """The messages of a script: the first argument of every ``t(…)`` call, a string literal
    or several joined with ``+`` (so a long sentence can be written over several lines).

    :raises ValueError: a ``t(`` whose first argument is anything else, with its line.

    >>> js_messages('el("p", t("Hide panel")); x = t("A " +\\n "{n} b", {n: 1});')
    ['Hide panel', 'A {n} b']
    """
    messages = []
    for call in JS_CALL.finditer(script):
        match = JS_MESSAGE.match(script, call.end())
        if match is None:
            line = script.count("\n", 0, call.start()) + 1
            raise ValueError(f"{where}:{line}: t( needs a string literal as its message")
        messages.append("".join(js_string(s) for s in JS_LITERAL.findall(match.group(1))))
    return messages


def template_messages(template: str) -> list[str]:
    """The ``[[…]]`` texts of an HTML template, each with its runs of white space as one space.

    >>> template_messages('<p>[[Data as of]] <b>{as_of}</b>. [[Made\\nwith]]</p>')
    ['Data as of', 'Made with']
    """
    return [" ".join(m.split()) for m in TEMPLATE_MARK.findall(template)]


def jinja_messages(template: str, where: str = "template") -> list[str]:
    """The messages of a Jinja2 template (``ccm_graph/templates``): the string literal passed
    to ``_(…)`` or ``gettext(…)`` (adjacent literals joined), the singular and plural passed
    to ``ngettext(…)`` (joined by :data:`PLURAL_SEPARATOR`) and the text of a
    ``{% trans %}`` block, parsed with the hand-outs' own environment.

    >>> jinja_messages('<h2>{{ _("Map") }}</h2>{{ _("Data as of " "{date}.", date=d) }}')
    ['Map', 'Data as of {date}.']
    """
    from jinja2.ext import extract_from_ast

    from .templating import environment

    messages = []
    tree = environment("html").parse(template, filename=where)
    for _line, _function, found in extract_from_ast(tree, babel_style=False):
        forms = [found] if isinstance(found, str) else [f for f in found or () if f]
        messages.append(PLURAL_SEPARATOR.join(forms[:2]))
    return messages
