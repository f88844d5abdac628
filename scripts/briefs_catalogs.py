"""Keep the product's translation catalogs (hand-outs and maps) in step with the code.

``python scripts/briefs_catalogs.py`` extracts every message of the product (the hand-outs'
and maps' ``_()``/``N_()``, the analyses' ``say()``/``say_n()`` sentences with their plurals,
the map page's ``t("…")`` and ``[[…]]``; see :data:`ccm_graph.i18n.MESSAGE_SOURCES`) and
rewrites ``locale/{fr,es}/LC_MESSAGES/ccm_graph.po`` with them (existing translations and
translator comments kept, new messages with an empty ``msgstr`` for a translator, messages no
longer used dropped), then compiles each ``.po`` into its ``.mo``. ``--check`` changes nothing
and exits 1 when a catalog lacks a message or a translation, or a ``.mo`` is stale.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from ccm_graph.i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    PLURAL_SEPARATOR,
    compile_mo,
    extract_messages,
    read_po,
)

HEADER = {
    "fr": "Language: fr\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=2; plural=(n > 1);\n",
    "es": "Language: es\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=2; plural=(n != 1);\n",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def po_text(
    lang: str,
    messages: list[str],
    translations: dict[str, str],
    comments: dict[str, list[str]] | None = None,
) -> str:
    comments = comments or {}
    lines = [
        f"# Fixed text of the ccm-graph hand-outs: {lang}.",
        "# Use the Convention's official terminology; keep {placeholders} as they are.",
        'msgid ""',
        f"msgstr {_quote(HEADER[lang])}",
        "",
    ]
    for message in messages:
        for comment in comments.get(message, ()):
            lines.append(f"#. {comment}")
        if PLURAL_SEPARATOR in message:
            singular, plural = message.split(PLURAL_SEPARATOR)
            forms = (translations.get(message) or PLURAL_SEPARATOR).split(PLURAL_SEPARATOR)
            lines += [f"msgid {_quote(singular)}", f"msgid_plural {_quote(plural)}"]
            lines += [f"msgstr[{i}] {_quote(form)}" for i, form in enumerate(forms)]
            lines.append("")
            continue
        lines += [f"msgid {_quote(message)}", f"msgstr {_quote(translations.get(message, ''))}", ""]
    return "\n".join(lines)


def translated(value: str | None) -> bool:
    """Whether a msgstr (every form of a plural one) is filled in."""
    return bool(value) and all((value or "").split(PLURAL_SEPARATOR))


def read_comments(path: Path) -> dict[str, list[str]]:
    """The translator comments (``#.`` lines) above each message of a ``.po`` file, kept when
    the file is rewritten."""
    comments: dict[str, list[str]] = {}
    pending: list[str] = []
    singular: str | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#. "):
            pending.append(line[3:])
        elif line.startswith("msgid "):
            singular = ast.literal_eval(line[6:])
        elif line.startswith("msgid_plural ") and singular is not None:
            key = singular + PLURAL_SEPARATOR + ast.literal_eval(line[13:])
            comments[key], pending = pending, []
            singular = None
        elif line.startswith("msgstr") and singular is not None:
            if pending:
                comments[singular], pending = pending, []
            singular = None
    return {k: v for k, v in comments.items() if v}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    messages = extract_messages()
    problems = []
    for lang in LANGUAGES[1:]:
        folder = LOCALE_DIR / lang / "LC_MESSAGES"
        po = folder / f"{DOMAIN}.po"
        mo = folder / f"{DOMAIN}.mo"
        old = read_po(po) if po.exists() else {}
        text = po_text(lang, messages, old, read_comments(po) if po.exists() else {})
        missing = [m for m in messages if not translated(old.get(m))]
        problems += [f"{po}: no translation for {m!r}" for m in missing]
        if check:
            if not po.exists() or po.read_text(encoding="utf-8") != text:
                problems.append(f"{po}: not in step with the code (run scripts/briefs_catalogs.py)")
            if not mo.exists() or mo.read_bytes() != compile_mo(read_po(po)):
                problems.append(f"{mo}: stale (run scripts/briefs_catalogs.py)")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        po.write_text(text, encoding="utf-8")
        mo.write_bytes(compile_mo(read_po(po)))
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
