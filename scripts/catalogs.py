"""Keep the product's translation catalogs in step with the code (Babel).

``python scripts/catalogs.py`` extracts every message of the ``ccm_graph`` package (the
``_()``/``N_()`` texts, the analyses' ``say()``/``say_n()`` sentences with their plurals, the
map page's ``t("…")`` and ``[[…]]``; see :mod:`ccm_graph.i18n.extract`), updates
``ccm_graph/i18n/locale/{fr,es}/LC_MESSAGES/ccm_graph.po`` (translations and translator
comments kept, new messages untranslated, unused ones dropped) and compiles each ``.mo``.

``--check`` writes nothing and exits 1 when a message lacks a translation, a translation
drops or invents a ``{placeholder}``, or a ``.po`` or ``.mo`` is not in step with the code.
"""

from __future__ import annotations

import sys

from ccm_graph.i18n.maintain import update_catalogs


def main(argv: list[str]) -> int:
    report = update_catalogs(check="--check" in argv)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
