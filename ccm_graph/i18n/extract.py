"""Finding every message of the product with Babel's extractors: the whole ``ccm_graph``
package (every Python module, wherever it moves) and the map page's script and template.

How messages are marked:

- Python: the string literal passed to ``_(…)`` (also ``obj._(…)``) or ``N_(…)``; the
  analyses' sentences: the literal passed to :func:`ccm_graph.wording.say`, and the singular
  and plural passed to ``say_n`` (one plural message).
- The map page's script (``maps/assets/page.js``): ``t("…")`` or
  ``t("… {name} …", {name: value})`` (string literals joined with ``+`` are one message).
  The page looks the message up in its strings (:func:`ccm_graph.maps.page.page_strings`).
- The map page's template (``maps/assets/page.html``): ``[[…]]`` around a text (its runs of
  white space count as one space).
- The Jinja2 templates (``templates/*.j2``, the workbench's ``templates/*/*.j2``):
  ``_("…")``, ``gettext("…")``,
  ``ngettext("…", "…", n)`` and ``{% trans %}`` blocks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

__all__ = [
    "KEYWORDS",
    "METHOD_MAP",
    "PACKAGE_DIR",
    "PLURAL_SEPARATOR",
    "TEMPLATE_MARK",
    "extract_jinja",
    "extract_messages",
    "extract_python",
    "extract_template",
    "message_entries",
    "script_messages",
    "template_messages",
]

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``ccm_graph`` package: every message is somewhere under it."""

KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "say": None,
    "say_n": (1, 2),
    "t": None,
    "gettext": None,
    "ngettext": (1, 2),
}
"""The marking functions, in Babel's keyword notation (``say_n``: singular and plural are the
first two arguments)."""

PLURAL_SEPARATOR = "\0"
"""Between the singular and plural of a plural message in :func:`extract_messages`' list,
as in a ``.mo`` file."""

TEMPLATE_MARK = re.compile(r"\[\[(.+?)\]\]", re.S)
"""A text to translate in the page's HTML template."""


def extract_template(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for the map page's HTML template: every ``[[…]]`` text, its white
    space runs as one space (``(line, funcname, message, comments)``)."""
    text = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    for match in TEMPLATE_MARK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield line, "_", " ".join(match.group(1).split()), []


def extract_python(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str | tuple[str, ...], list[str]]]:
    """Babel extractor for Python modules that reads the syntax tree, so a call inside an
    f-string (``f"## {_('Members and roles')}"``) is found as well (Babel's own Python
    extractor skips f-strings). A keyword's arguments are string literals (adjacent ones
    joined); a call whose message is anything else is not a message (``_(label)``)."""
    tree = ast.parse(fileobj.read().decode(str(options.get("encoding", "utf-8"))))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if not isinstance(name, str) or name not in keywords:
            continue
        spec = KEYWORDS.get(name) or (1,)
        values = [_literal(node.args[i - 1]) if i <= len(node.args) else None for i in spec]
        if any(value is None for value in values):
            continue
        message = values[0] if len(values) == 1 else tuple(values)
        yield node.lineno, name, message, []  # type: ignore[misc]


def extract_jinja(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str | tuple[str, ...], list[str]]]:
    """Babel extractor for the hand-outs' Jinja2 templates: the literal passed to ``_``,
    ``gettext`` or ``ngettext`` (singular and plural) and the text of ``{% trans %}`` blocks,
    parsed with the syntax settings of :mod:`ccm_graph.templating`."""
    from jinja2 import Environment
    from jinja2.ext import extract_from_ast

    environment = Environment(
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True, autoescape=True
    )
    tree = environment.parse(fileobj.read().decode(str(options.get("encoding", "utf-8"))))
    functions = ("_", "gettext", "ngettext")
    for line, name, found in extract_from_ast(tree, functions, babel_style=False):
        forms = [found] if isinstance(found, str) else [f for f in found or () if f]
        if len(forms) == 1:
            yield line, name, forms[0], []
        elif len(forms) >= 2:
            yield line, name, (forms[0], forms[1]), []


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


METHOD_MAP: list[tuple[str, Any]] = [
    ("**/assets/*.js", "javascript"),
    ("**/assets/*.html", extract_template),
    ("**/templates/*.j2", extract_jinja),
    ("**/templates/*/*.j2", extract_jinja),
    ("**.py", extract_python),
]
"""Which Babel extractor reads which files of the package (first match wins; other files
are skipped)."""


def message_entries(
    root: Path = PACKAGE_DIR,
) -> Iterator[tuple[str | tuple[str, str], str, int]]:
    """``(message, file, line)`` for every use of every message under ``root``: a plural
    message as ``(singular, plural)``; ``file`` relative to ``root``'s parent."""
    from babel.messages.extract import extract_from_dir

    for filename, line, message, _comments, _context in extract_from_dir(
        str(root),
        METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
        directory_filter=_searched,
    ):
        where = (Path(root.name) / filename).as_posix()
        if isinstance(message, tuple):
            singular, plural = message[0], message[1]
            if singular and plural:
                yield (singular, plural), where, line
        elif message:
            yield message, where, line


def _searched(dirpath: str) -> bool:
    """Every folder of the package is searched (``_private`` packages too, which Babel's
    default filter skips), except caches and hidden folders."""
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def extract_messages(root: Path = PACKAGE_DIR) -> list[str]:
    """Every message of the product, once each, in the order Babel finds them (file by
    file): a plural message as its singular and plural joined by :data:`PLURAL_SEPARATOR`."""
    found: dict[str, None] = {}
    for message, _where, _line in message_entries(root):
        key = message if isinstance(message, str) else PLURAL_SEPARATOR.join(message)
        found.setdefault(key, None)
    return list(found)


def script_messages(script: str) -> list[str]:
    """The messages of a page script: the first argument of every ``t(…)`` call (string
    literals, joined when written with ``+``), as Babel's JavaScript extractor reads them.

    >>> script_messages('el("p", t("Hide panel")); x = t("A " +\\n "{n} b", {n: 1});')
    ['Hide panel', 'A {n} b']
    """
    from io import BytesIO

    from babel.messages.extract import extract

    found = extract("javascript", BytesIO(script.encode("utf-8")), keywords={"t": None})
    return list(dict.fromkeys(m for _line, m, _c, _ctx in found if isinstance(m, str) and m))


def template_messages(template: str) -> list[str]:
    """The ``[[…]]`` texts of an HTML template, each with its runs of white space as one space.

    >>> template_messages('<p>[[Data as of]] <b>{as_of}</b>. [[Made\\nwith]]</p>')
    ['Data as of', 'Made with']
    """
    return [" ".join(m.split()) for m in TEMPLATE_MARK.findall(template)]
