"""Fixed text of the hand-outs in English, French and Spanish, through gettext catalogs.

The catalogs live in ``ccm_graph/briefs/locale/{fr,es}/LC_MESSAGES/ccm_graph.po`` (the text
translators edit) with the compiled ``.mo`` beside them (what the stdlib :mod:`gettext` reads;
regenerate it with ``scripts/compile_catalogs.py`` after editing a ``.po`` — a test fails when
a ``.mo`` is stale or a message has no translation). English is the source language.

Data-derived text (names, sources, notes) is never translated; a State's name comes from its
``fr:``/``es:`` alias when the data has one (:func:`ccm_graph.names.name_in`).
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Translate",
    "compile_mo",
    "extract_messages",
    "read_po",
    "translator",
]

DOMAIN = "ccm_graph"
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""The languages of the hand-outs: English (source), French, Spanish."""
LOCALE_DIR = Path(__file__).parent / "locale"

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; it is translated where it is used."""
    return message


def translator(lang: str = "en") -> Translate:
    """The ``gettext`` function of ``lang`` (``en``, ``fr`` or ``es``).

    :raises ValueError: another language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if lang == "en":
        return gettext.NullTranslations().gettext
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang]).gettext


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    if not isinstance(value, str):
        raise ValueError(f"not a string: {text}")
    return value


def read_po(path: Path) -> dict[str, str]:
    """The ``msgid`` → ``msgstr`` pairs of a ``.po`` file (the header has msgid ``""``).

    Only what the catalogs use: no plural forms, no contexts; ``#`` comments are skipped.
    """
    entries: dict[str, str] = {}
    msgid: str | None = None
    msgstr: str | None = None
    field: str | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            entries[msgid] = msgstr

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr, field = _unquote(line[6:]), None, "msgid"
        elif line.startswith("msgstr "):
            msgstr, field = _unquote(line[7:]), "msgstr"
        elif line.startswith('"'):
            if field == "msgid" and msgid is not None:
                msgid += _unquote(line)
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

    kept = sorted((k, v) for k, v in entries.items() if v or k == "")
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
    """Every message of the hand-outs' code, in first-use order: the string literal passed to
    ``_(…)`` or ``N_(…)`` (adjacent literals joined). Default: the modules of this package."""
    paths = paths or sorted(Path(__file__).parent.glob("*.py"))
    found: dict[str, None] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, None)
    return list(found)
