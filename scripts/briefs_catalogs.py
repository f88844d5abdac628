"""Keep the product's translation catalogs (hand-outs and maps) in step with the code.

``python scripts/briefs_catalogs.py`` extracts every message of ``ccm_graph/briefs`` and
``ccm_graph/maps`` (Python ``_()``/``N_()``, the map page's ``t("…")`` and ``[[…]]``; see
:mod:`ccm_graph.i18n`) and rewrites ``locale/{fr,es}/LC_MESSAGES/ccm_graph.po`` with them
(existing translations kept, new messages with an empty ``msgstr`` for a translator,
messages no longer used dropped), then compiles each ``.po`` into its ``.mo``. ``--check``
changes nothing and exits 1 when a catalog lacks a message or a translation, or a ``.mo``
is stale.
"""

from __future__ import annotations

import sys

from ccm_graph.i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    compile_mo,
    extract_messages,
    read_po,
)

HEADER = {
    "fr": "Language: fr\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n",
    "es": "Language: es\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def po_text(lang: str, messages: list[str], translations: dict[str, str]) -> str:
    lines = [
        f"# Fixed text of the ccm-graph hand-outs: {lang}.",
        "# Use the Convention's official terminology; keep {placeholders} as they are.",
        'msgid ""',
        f"msgstr {_quote(HEADER[lang])}",
        "",
    ]
    for message in messages:
        lines += [f"msgid {_quote(message)}", f"msgstr {_quote(translations.get(message, ''))}", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    messages = extract_messages()
    problems = []
    for lang in LANGUAGES[1:]:
        folder = LOCALE_DIR / lang / "LC_MESSAGES"
        po = folder / f"{DOMAIN}.po"
        mo = folder / f"{DOMAIN}.mo"
        old = read_po(po) if po.exists() else {}
        text = po_text(lang, messages, old)
        missing = [m for m in messages if not old.get(m)]
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
