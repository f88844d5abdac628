"""Fixed text of the hand-outs and the analyses' sentences in English, French and Spanish,
through gettext catalogs.

The catalogs live in ``ccm_graph/briefs/locale/{fr,es}/LC_MESSAGES/ccm_graph.po`` (the text
translators edit, plural forms included) with the compiled ``.mo`` beside them (what the
stdlib :mod:`gettext` reads; regenerate both with ``scripts/briefs_catalogs.py`` after
editing a ``.po`` — a test fails when a ``.mo`` is stale or a message has no translation).
English is the source language. ``docs/translations.md`` lists the Convention terms used.

Data-derived text (names, sources, notes, amounts) is never translated by the catalogs; a
State's name comes from its ``fr:``/``es:`` alias when the data has one
(:func:`ccm_graph.names.name_in`), amounts and ranks are written by
:mod:`ccm_graph.wording` for the language.
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Callable
from pathlib import Path

from ..wording import Voice

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "MESSAGE_MODULES",
    "N_",
    "Translate",
    "compile_mo",
    "extract_messages",
    "read_po",
    "translator",
    "voice",
]

DOMAIN = "ccm_graph"
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""The languages of the hand-outs: English (source), French, Spanish."""
LOCALE_DIR = Path(__file__).parent / "locale"

Translate = Callable[[str], str]

_PACKAGE = Path(__file__).parent.parent
MESSAGE_MODULES: tuple[Path, ...] = (
    *sorted(Path(__file__).parent.glob("*.py")),
    _PACKAGE / "wording.py",
    _PACKAGE / "analysis" / "_window.py",
    _PACKAGE / "analysis" / "gaps.py",
    _PACKAGE / "analysis" / "recommend.py",
    _PACKAGE / "analysis" / "support.py",
)
"""The modules whose messages the catalogs hold: the hand-outs' fixed text and the analyses'
sentences (:func:`ccm_graph.wording.say`)."""

PLURAL_SEPARATOR = "\0"
"""Between the singular and plural msgid (and the msgstr forms) of a plural message, as in a
``.mo`` file."""


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; it is translated where it is used."""
    return message


def translator(lang: str = "en") -> Translate:
    """The ``gettext`` function of ``lang`` (``en``, ``fr`` or ``es``).

    :raises ValueError: another language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return _translations(lang).gettext


def _translations(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def voice(lang: str = "en", *, for_people: bool = True) -> Voice:
    """The :class:`~ccm_graph.wording.Voice` of a hand-out in ``lang``: the catalog's
    sentences, plural forms by the language's rule, enum values as the hand-outs word them
    (:func:`~ccm_graph.briefs.words.word`), and no tool commands (``for_people``).

    :raises ValueError: another language.
    """
    from .words import word

    found = _translations(lang)
    return Voice(
        lang=lang,
        gettext=found.gettext,
        ngettext=found.ngettext,
        term=lambda value: word(value, found.gettext),
        for_people=for_people,
    )


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


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract_messages(paths: list[Path] | None = None) -> list[str]:
    """Every message of the hand-outs' and the analyses' code, in first-use order: the string
    literal passed to ``_(…)``, ``N_(…)`` or ``say(…)``, and the singular and plural passed to
    ``say_n(…)`` (one entry, joined by :data:`PLURAL_SEPARATOR`). Adjacent literals are
    joined. Default: :data:`MESSAGE_MODULES`."""
    paths = paths or list(MESSAGE_MODULES)
    found: dict[str, None] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            args = [_literal(a) for a in node.args]
            if name in ("_", "N_", "say") and args and args[0] is not None:
                found.setdefault(args[0], None)
            elif name == "say_n" and len(args) >= 2 and args[0] is not None and args[1]:
                found.setdefault(args[0] + PLURAL_SEPARATOR + args[1], None)
    return list(found)
