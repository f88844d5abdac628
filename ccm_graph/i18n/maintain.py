"""Keeping the catalogs in step with the code, with Babel: extract every message, update
each language's ``.po`` (translations and translator comments kept, new messages added
untranslated, unused ones dropped), compile the ``.mo``; and the check that a catalog is
complete (``scripts/catalogs.py``, ``scripts/catalogs.py --check``)."""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from .catalogs import DOMAIN, LANGUAGES, LOCALE_DIR
from .extract import PACKAGE_DIR, message_entries

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = [
    "CatalogReport",
    "compile_catalog",
    "message_catalog",
    "placeholder_problems",
    "update_catalogs",
]

HEADER_COMMENT = """\
# Fixed text of ccm-graph (hand-outs, maps, the analyses' sentences) in {language}.
# Use the Convention's official terminology (docs/translations.md); keep every {{placeholder}}.
# Translator comments start with "# "; scripts/catalogs.py keeps them. Do not edit the .mo."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class CatalogReport:
    """What :func:`update_catalogs` found: one sentence per problem (a message without a
    translation, a translation that drops or invents a ``{placeholder}``, a ``.po`` or
    ``.mo`` not in step with the code), and the files it wrote."""

    problems: tuple[str, ...]
    written: tuple[Path, ...]


def message_catalog(root: Path = PACKAGE_DIR) -> Catalog:
    """Every message of the product as a Babel template catalog (a ``.pot`` in memory),
    each with the files that use it."""
    from babel.messages.catalog import Catalog

    where: dict[str | tuple[str, str], dict[str, None]] = {}
    for message, path, _line in message_entries(root):
        where.setdefault(message, {})[path] = None
    template = Catalog(domain=DOMAIN, project="ccm-graph", fuzzy=False)
    for message, paths in where.items():
        template.add(message, locations=[(path, None) for path in paths])  # type: ignore[misc]
    return template


def placeholder_problems(
    msgid: str | Sequence[str], msgstr: str | Sequence[str] | None
) -> list[str]:
    """What is wrong with the ``{placeholders}`` of a translation: one its English has and it
    lacks, or one it names that the English does not give (a plural's first form is checked
    against the singular, the others against the plural).

    >>> placeholder_problems("{name} : {count}", "{name}: nota")
    ['{count} missing']
    >>> placeholder_problems(("{count} day", "{count} days"), ("{n} jour", "{count} jours"))
    ['{count} missing', '{n} unknown']
    """
    ids = (msgid,) if isinstance(msgid, str) else tuple(msgid)
    forms = (msgstr or "",) if isinstance(msgstr, str | None) else tuple(msgstr)
    problems = []
    given = {name for text in ids for name in _PLACEHOLDER.findall(text)}
    for index, form in enumerate(forms):
        english = set(_PLACEHOLDER.findall(ids[min(index, len(ids) - 1)]))
        names = set(_PLACEHOLDER.findall(form))
        problems += [f"{{{name}}} missing" for name in sorted(english - names)]
        problems += [f"{{{name}}} unknown" for name in sorted(names - given)]
    return problems


def compile_catalog(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes of a catalog (Babel's ``write_mo``; untranslated and fuzzy
    messages are left out, so gettext falls back to English for them)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update_catalogs(
    *, check: bool = False, root: Path = PACKAGE_DIR, locale_dir: Path = LOCALE_DIR
) -> CatalogReport:
    """Bring each language's catalog in step with the messages under ``root``.

    Without ``check``: every ``.po`` is rewritten (new messages with an empty translation,
    unused ones dropped, translations and ``# `` translator comments kept) and compiled
    into its ``.mo``. With ``check``: nothing is written; a ``.po`` whose messages,
    translations or comments would change, or a ``.mo`` that does not hold the ``.po``'s
    translations, is a problem. Either way a message without a translation, or with a
    ``{placeholder}`` problem (:func:`placeholder_problems`), is a problem.
    """
    from babel.messages.pofile import read_po, write_po

    template = message_catalog(root)
    problems: list[str] = []
    written: list[Path] = []
    for lang in LANGUAGES[1:]:
        folder = locale_dir / lang / "LC_MESSAGES"
        po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        if po.exists():
            with po.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=DOMAIN)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, domain=DOMAIN, project="ccm-graph", fuzzy=False)
        before = _contents(catalog)
        template.creation_date = catalog.creation_date  # no new date unless messages change
        catalog.update(template, no_fuzzy_matching=True)
        language = catalog.locale.english_name if catalog.locale else lang
        catalog.header_comment = HEADER_COMMENT.format(language=language)
        catalog.project, catalog.version = "ccm-graph", __version__
        catalog.msgid_bugs_address = ""
        catalog.last_translator = catalog.language_team = "ccm-graph translators"
        for message in list(catalog)[1:]:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            text = message.id if isinstance(message.id, str) else message.id[0]
            if not all(strings):
                problems.append(f"{po}: no translation for {text!r}")
            elif message.fuzzy:
                problems.append(f"{po}: translation of {text!r} marked fuzzy: review it")
            for problem in placeholder_problems(message.id, message.string):
                problems.append(f"{po}: translation of {text!r}: {problem}")
        if check:
            if _contents(catalog) != before:
                problems.append(f"{po}: not in step with the code (run scripts/catalogs.py)")
            if not mo.exists() or _mo_contents(mo.read_bytes()) != _mo_contents(
                compile_catalog(catalog)
            ):
                problems.append(f"{mo}: stale (run scripts/catalogs.py)")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True)
        po.write_bytes(out.getvalue())
        mo.write_bytes(compile_catalog(catalog))
        written += [po, mo]
    return CatalogReport(tuple(problems), tuple(written))


def _contents(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a ``.po`` says, without the header and the locations: each message with its
    translation, flags and translator comments, in order."""
    return [(m.id, m.string, tuple(m.user_comments), m.fuzzy) for m in list(catalog)[1:]]


def _mo_contents(data: bytes) -> tuple[dict[object, str], tuple[int, ...]]:
    """The translations of ``.mo`` bytes, and their plural forms for 0 to 2 (the header,
    which names Babel's version, left out)."""
    found = gettext.GNUTranslations(io.BytesIO(data))
    entries = {k: v for k, v in found._catalog.items() if k != ""}  # type: ignore[attr-defined]
    return entries, tuple(found.plural(n) for n in range(3))  # type: ignore[attr-defined]
