"""The claims check: what no output may say, checked over the corpus
(:mod:`ccm_graph.review.corpus`) with pure functions on text.

The rules (issue #18, "every sentence reviewable"):

``absence_without_window``, ``absence_without_coverage``
    An absence of funding or support ("no funding", "aucun financement", "ningún
    financiamiento", "none recorded" under a funding heading …) is said with its year window
    ("in 2023–2026", "since 2019", "in 2015") and with the data's coverage ("the funding data
    for Iraq run to 2023", "les données de financement … jusqu'en 2023", "coverage not known").
    A coverage said with its years, or said not to be stated ("the years the funding data cover
    for Chile are not stated", "les années couvertes par les données … ne sont pas indiquées"),
    is also the absence's window: the absence holds for the years the data cover. Citations
    (the data's own source texts, :attr:`Subject.verbatim`) are not checked: they say what
    their source says.
``undated_now``
    A present-state absence ("no coalition", "aucune coalition", "ninguna coalición") is dated
    (an ISO date or a date in words).
``advice_to_withdrawn``
    Nothing about a State that withdrew from the Convention pitches it a coalition: no partners
    to approach, no "invite", "re-engage", "propose", "present the model".
``observer_as_member``
    An observer of a forum is never called its member on the same line.
``english_in_translation``
    A French or Spanish output holds none of :data:`ENGLISH_WORDS` outside quoted source text:
    names and aliases, citations (masked as the data has them, :attr:`Subject.verbatim`), text
    between quotation marks (« », “ ”, " ") and between backticks. Markdown's backslash
    escapes are read away first (``state\\_party`` is the data's ``state_party``).

A *unit* of text is one line, read with its context: a Markdown table row with the table's
caption (the line before it) and header row, so a window in a column heading ("Funding
2023–2026") counts for the cells under it; a nested list item with its parent items. The
patterns are deliberately simple and listed here, so that a reviewer can see and change what
is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..dataset import Dataset

__all__ = [
    "ABSENCE",
    "ADVICE",
    "COVERAGE",
    "COVERAGE_YEARS",
    "ENGLISH_WORDS",
    "NOW_ABSENCE",
    "RULES",
    "Subject",
    "Unit",
    "Violation",
    "check_corpus",
    "check_file",
    "check_unit",
    "english_words",
    "has_coverage",
    "has_coverage_years",
    "has_date",
    "has_window",
    "subjects_of",
    "unescaped",
    "units",
]

RULES = ("absence_without_window", "absence_without_coverage", "undated_now",
         "advice_to_withdrawn", "observer_as_member", "english_in_translation")  # fmt: skip
"""Every rule of the check, in the order a unit is checked."""


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


ABSENCE: dict[str, re.Pattern[str]] = {
    "en": _any(r"\bno (?:recorded |distinct |new )?"
               r"(?:funding|support|supporters?|grants?|donors?)\b",
               r"\bnone recorded\b", r"\bnothing (?:is )?recorded\b",
               r"\b(?:has|have) not (?:supported|funded)\b"),
    "fr": _any(r"\baucune? (?:appui|financement|partenaire d'appui|subvention|bailleur)",
               r"\baucune? enregistrée?s?\b", r"\brien n'est enregistré",
               r"\bn'a pas (?:financé|appuyé|soutenu)\b", r"\bsans (?:appui|financement)\b"),
    "es": _any(r"\bning[uú]na? (?:apoyo|financiaci[oó]n|financiamiento|asociado|donante|subvenci)",
               r"\bno consta (?:ning[uú]n |ninguna )?(?:apoyo|financiaci[oó]n|financiamiento)",
               r"\bningun[oa]s? registrad[oa]s?\b", r"\bnada (?:registrado|desde)\b",
               r"\bno se registra\b", r"\bno ha (?:financiado|apoyado)\b",
               r"\bno consta nada\b", r"(?:^|\|)\s*no consta\b",
               r"\bno hay (?:apoyo|financiaci[oó]n|financiamiento)\b",
               r"\bsin (?:apoyo|financiaci[oó]n|financiamiento)\b"),
}  # fmt: skip
"""Absence of funding or support, per language."""

NOW_ABSENCE: dict[str, re.Pattern[str]] = {
    "en": _any(r"\bno (?:recorded )?coalition\b(?! members)"),
    "fr": _any(r"\baucune coalition\b"),
    "es": _any(r"\bninguna coalici[oó]n\b"),
}
"""A present-state absence, per language: dated, or refused."""

_YEAR = r"\b(?:19|20)[0-9]{2}\b"
_SPAN = re.compile(rf"{_YEAR}\s*[–-]\s*{_YEAR}")
_IN_YEAR = _any(rf"\b(?:in|en|dated|daté|fechad[oa]s?) {_YEAR}")
_SINCE = _any(r"\bsince\b", r"\bafter\b", r"\blater\b", r"\bdepuis\b", r"\baprès\b",
              r"\bdesde\b", r"\bdespués\b", r"\bentonces\b", r"\bposterior\b")  # fmt: skip

COVERAGE_YEARS: dict[str, re.Pattern[str]] = {
    "en": _any(rf"\b(?:data|records)\b[^;|]*?\b(?:runs?|covers?|covered|stops?|ends?|reach(?:es)?"
               rf"|go(?:es)?)\b[^;|]*?{_YEAR}",
               rf"{_YEAR}[^;|]*?\byears? the (?:[a-z]+ )?data cover\b",
               r"\byears? the (?:[a-z]+ )?data cover\b[^;|]*?\bnot stated\b"),
    "fr": _any(rf"\bdonnées\b[^;|]*?\b(?:couvrent|vont|s'arrêtent|courent|jusqu)[^;|]*?{_YEAR}",
               rf"{_YEAR}[^;|]*?\bannées couvertes par les données\b",
               r"\bannées couvertes par les données\b[^;|]*?\bne sont pas indiquées\b"),
    "es": _any(rf"\bdatos\b[^;|]*?\b(?:cubren|llegan|terminan|abarcan|hasta)\b[^;|]*?{_YEAR}",
               rf"{_YEAR}[^;|]*?\baños que cubren los datos\b",
               r"\baños que cubren los datos\b[^;|]*?\bno se indican\b"),
}  # fmt: skip
"""The data's coverage said with its years, per language: the years the data run to or
cover (``the funding data for Iraq run to 2019``, ``2015, the last years the funding data
cover``), or that they are not stated (``the years the funding data cover for Chile are not
stated``). Said beside an absence, it is also the absence's window: the absence holds for the
years the data cover, and a reader is told which (or that no one knows)."""

COVERAGE: dict[str, re.Pattern[str]] = {
    lang: _any(pattern.pattern, word)
    for (lang, pattern), word in zip(
        COVERAGE_YEARS.items(),
        (r"\bcoverage\b", r"\bcouverture\b", r"\bcobertura\b"),
        strict=True,
    )
}
"""The data's coverage said beside an absence, per language."""

_DATE = _any(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b",
             r"\b[0-9]{1,2}(?:er)? (?:de )?[a-zéû]+ (?:de )?[0-9]{4}\b",
             r"\b[A-Z][a-z]+ [0-9]{1,2}, [0-9]{4}\b")  # fmt: skip

ADVICE: dict[str, re.Pattern[str]] = {
    "en": _any(r"\bapproach", r"\binvite\b", r"\bre-engage\b", r"\bpropos(?:e|ing)\b",
               r"\bpresent the\b[^.]*\bmodel\b", r"\bconsider (?:a|proposing)\b"),
    "fr": _any(r"\bcontacter\b", r"\binviter\b", r"\brenouer\b", r"\bproposer\b",
               r"\bprésenter le modèle\b", r"\benvisager (?:une|de proposer)\b"),
    "es": _any(r"\bcontactar\b", r"\binvitar\b", r"\bretomar\b", r"\bproponer\b",
               r"\bpresentar(?:le)? el modelo\b", r"\bestudiar una coalici[oó]n\b"),
}  # fmt: skip
"""Advice that pitches a coalition, per language (refused for a withdrawn State)."""

_MEMBER = {"en": r"\bmembers?\b", "fr": r"\bmembres?\b", "es": r"\bmiembros?\b"}
_OBSERVER = {"en": r"\bobservers?\b", "fr": r"\bobservat(?:eur|rice)s?\b",
             "es": r"\bobservador(?:a|es|as)?\b"}  # fmt: skip

ENGLISH_WORDS = frozenset(
    """
the and of with for from to by is are was were has have been not none this that these those
which who what when where their its it be will would should could can also only than after
before since between within without each every any all into over under about
funding funded grant grants recorded deadline deadlines passed partners partner supporters
supporter requested request pending outcome amount clearance stockpile teams team years year
donor donors member members meeting available instead fully equipped trained finish still
known unknown yet already further more most least new joined left added removed changed
""".split()  # noqa: SIM905
)
"""Common English words that never belong to a French or Spanish sentence (words that French
or Spanish share with English — "a", "on", "an", "or", "no", "coalition", "extension" — are
left out)."""

_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"|`[^`]*`|https?://\S+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SCAFFOLD = re.compile(r"^(?:<!-- ccm-graph corpus:.*-->|# [A-Z0-9]+ · [a-z]{2}|## `[a-z]+`)$")
_NEGATIVE_CELL = _any(r"^(?:none|none recorded|aucune?|aucune? enregistrée?|ningun[oa]|"
                      r"ningun[oa] registrad[oa]|no consta)$")  # fmt: skip
_FUNDING_HEAD = _any(r"\bsupport", r"\bfunding\b", r"\bgrant", r"\bappui\b", r"\bfinancement\b",
                     r"\bapoyo\b", r"\bfinanciaci[oó]n\b", r"\bfinanciamiento\b")  # fmt: skip


@dataclass(frozen=True)
class Subject:
    """What the check knows from the data about the State a corpus file is about.

    :ivar state: its id; ``lang`` the file's language.
    :ivar ccm_status: ``state_party``, ``withdrawn`` …
    :ivar observers: the names (and aliases) of actors that are observers, not members, of a
        forum.
    :ivar verbatim: text printed as the data has it, in whatever language the source wrote it:
        names, aliases, citations. Masked before the English word check.
    """

    state: str
    lang: str
    ccm_status: str | None = None
    observers: tuple[str, ...] = ()
    verbatim: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """One line of a corpus file, by its line number, with the line it belongs to
    (``context``: a table row's header row, a nested list item's parent item), whose window,
    coverage or date count for it too; ``section`` is the corpus section it is in."""

    line: int
    text: str
    section: str = ""
    context: str = ""

    @property
    def read(self) -> str:
        """The line with its context, as the window, coverage and date checks read it."""
        return f"{self.context} || {self.text}" if self.context else self.text


@dataclass(frozen=True)
class Violation:
    """A claim the check refuses: which rule, where (``LAO.fr.md:12``), what it says."""

    rule: str
    where: str
    text: str
    detail: str = ""

    def __str__(self) -> str:
        extra = f" [{self.detail}]" if self.detail else ""
        return f"{self.where}: {self.rule}{extra}: {self.text.strip()[:240]}"


def units(text: str) -> list[Unit]:
    """The units of a corpus file: every non-blank line but the corpus's own scaffolding
    (its header comment, title and section headings) and table separators, each with its
    context (a table row's caption — the line before the table — and header row, a nested
    list item's parent item) and section."""
    found: list[Unit] = []
    header = caption = ""
    parents: list[tuple[int, str]] = []
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("## `"):
            section = stripped.strip("#` ")
        if (
            not stripped
            or _SCAFFOLD.match(stripped)
            or re.fullmatch(r"\|[| :]*-[-| :]*\|", stripped)
        ):
            continue
        if stripped.startswith("|"):
            if not header:  # a table's caption is the line before it
                header = caption
                found.append(Unit(number, stripped, section, header))
                header = f"{caption} || {stripped}" if caption else stripped
                continue
            found.append(Unit(number, stripped, section, header))
            continue
        header = ""
        caption = stripped
        indent = len(line) - len(line.lstrip())
        item = re.match(r"(?:[-*]|[0-9]+\.) ", stripped)
        while parents and (not item or parents[-1][0] >= indent):
            parents.pop()
        context = " || ".join(text for _indent, text in parents)
        found.append(Unit(number, stripped, section, context))
        if item:
            parents.append((indent, stripped))
    return found


def has_window(text: str) -> bool:
    """A year window is said: a span (``2023–2026``), a year with since/after, or one year
    (``in 2015``, ``en 2015``)."""
    return (
        bool(_SPAN.search(text))
        or bool(re.search(_YEAR, text) and _SINCE.search(text))
        or bool(_IN_YEAR.search(text))
    )


def has_coverage(text: str, lang: str) -> bool:
    """The data's coverage is said (``the funding data … run to 2023``, ``coverage``)."""
    return bool(COVERAGE[lang].search(text))


def has_coverage_years(text: str, lang: str) -> bool:
    """The data's coverage is said with its years, or said not to be stated
    (:data:`COVERAGE_YEARS`): it gives an absence its window."""
    return bool(COVERAGE_YEARS[lang].search(text))


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def unescaped(text: str) -> str:
    """``text`` without Markdown's backslash escapes (``state\\_party`` → ``state_party``), so
    that it reads as the data has it."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


def _masked(text: str, verbatim: Iterable[str]) -> str:
    """``text`` with the ``verbatim`` texts (longest first) blanked out."""
    for item in sorted((v for v in verbatim if len(v) > 2), key=len, reverse=True):
        if item in text:
            text = text.replace(item, " ")
    return text


def has_date(text: str) -> bool:
    """A date is said (``2026-02-27``, ``27 février 2026``, ``27 de febrero de 2026``)."""
    return bool(_DATE.search(text))


def _cell_absences(unit: Unit) -> list[tuple[str, str]]:
    """(heading, cell) of each cell of a table row that is a bare "none": the heading is the
    column's, or in a two-column table without headings the row's first cell."""
    if not unit.text.startswith("|"):
        return []
    row = [c.strip() for c in unit.text.strip("|").split("|")]
    heads = [c.strip() for c in unit.context.strip("|").split("|")] if unit.context else []
    if len(row) == 2 and not any(heads):
        heads = [row[0], row[0]]
    return [
        (heads[i] if i < len(heads) else "", cell)
        for i, cell in enumerate(row)
        if _NEGATIVE_CELL.match(cell)
    ]


def _said(text: str) -> str:
    """What a unit says in words: a line, or a table row's cells but those that are a bare
    "none" (read with their heading by :func:`_cell_absences`)."""
    if not text.startswith("|"):
        return text
    cells = text.strip("|").split("|")
    return " | ".join(c for c in cells if not _NEGATIVE_CELL.match(c.strip()))


def english_words(text: str, verbatim: Iterable[str] = ()) -> list[str]:
    """The :data:`ENGLISH_WORDS` in ``text`` outside quotation marks, backticks and the
    ``verbatim`` texts (longest masked first), in order."""
    # the data's own texts first: a citation may quote a page title ('Support for Mine
    # Action'), and removing the quotation first would leave the rest of it unmatched
    masked = _QUOTED.sub(" ", _masked(unescaped(text), verbatim))
    return [w for w in _WORD.findall(masked) if w.lower() in ENGLISH_WORDS and not w.isupper()]


def check_unit(unit: Unit, subject: Subject, where: str = "") -> list[Violation]:
    """Every rule on one unit of a file about ``subject``."""
    lang, text, read = subject.lang, unit.text, unit.read
    place = f"{where}:{unit.line}" if where else str(unit.line)
    found: list[Violation] = []

    def refuse(rule: str, detail: str = "") -> None:
        found.append(Violation(rule, place, text, detail))

    cells = _cell_absences(unit)
    funding_cells = [c for c in cells if _FUNDING_HEAD.search(c[0])]
    # a citation says what its source says: the source's own words are not the output's claim
    absence = ABSENCE[lang].search(_masked(unescaped(_said(text)), subject.verbatim))
    if absence or funding_cells:
        said = absence.group(0) if absence else " ".join(funding_cells[0])
        if not has_window(read) and not has_coverage_years(read, lang):
            refuse("absence_without_window", said)
        if not has_coverage(read, lang):
            refuse("absence_without_coverage", said)
    # a table is dated by its caption: only sentences are checked for a date
    now = None if text.startswith("|") else NOW_ABSENCE[lang].search(text)
    if now and not has_date(read):
        refuse("undated_now", now.group(0))
    if subject.ccm_status == "withdrawn":
        advice = ADVICE[lang].search(text)
        if advice:
            refuse("advice_to_withdrawn", advice.group(0))
        elif unit.section == "recommend" and re.match(r"[0-9]+\. ", text):
            refuse("advice_to_withdrawn", "a partner proposed")
    member = re.search(_MEMBER[lang], text, re.IGNORECASE)
    if member and not re.search(_OBSERVER[lang], text, re.IGNORECASE):
        named = [n for n in subject.observers if n and n in text]
        if named:
            refuse("observer_as_member", named[0])
    if lang != "en":
        words = english_words(text, subject.verbatim)
        if words:
            refuse("english_in_translation", ", ".join(dict.fromkeys(words)))
    return found


def check_file(name: str, text: str, subject: Subject) -> list[Violation]:
    """Every claim the check refuses in one corpus file (``name`` says where)."""
    return [v for unit in units(text) for v in check_unit(unit, subject, name)]


def subjects_of(dataset: Dataset) -> dict[str, Subject]:
    """``{state id: Subject}`` (language ``en``; replace it per file) for every State of the
    dataset: its status, the forums' observers, and the names, aliases and citations as the
    data has them."""
    from dataclasses import fields

    verbatim: set[str] = set()
    for table in (dataset.actors, dataset.obligations, dataset.coalitions, dataset.activities,
                  dataset.relations):  # fmt: skip
        for record in table:
            for f in fields(record):
                if f.name in ("name", "title") or f.name.endswith("source"):
                    verbatim.add(" ".join(str(getattr(record, f.name) or "").split()))
                if f.name == "aliases":
                    listed = str(getattr(record, f.name) or "").split(";")
                    verbatim |= {a.partition(":")[2] or a for a in listed}
    names = {a.id: a for a in dataset.actors}
    observer_ids = {r.from_id for r in dataset.relations
                    if r.type == "MEMBER_OF" and r.role == "observer"}  # fmt: skip
    observers: set[str] = set()
    for ident in observer_ids:
        actor = names.get(ident)
        if actor is not None:
            observers.add(actor.name)
            aliases = str(getattr(actor, "aliases", "") or "").split(";")
            observers |= {a.partition(":")[2] or a for a in aliases if a}
    said = tuple(sorted(v.strip() for v in verbatim if v.strip()))
    return {
        a.id: Subject(a.id, "en", a.ccm_status, tuple(sorted(observers)), said)
        for a in dataset.actors
        if a.kind == "state"
    }


def check_corpus(folder: Path, dataset: Dataset) -> list[Violation]:
    """Every claim the check refuses in the corpus files of ``folder`` (``LAO.fr.md`` …)."""
    from dataclasses import replace

    subjects = subjects_of(dataset)
    found: list[Violation] = []
    for path in sorted(folder.glob("*.md")):
        state, _, rest = path.name.partition(".")
        lang = rest.partition(".")[0]
        subject = replace(subjects.get(state, Subject(state, lang)), lang=lang)
        found += check_file(path.name, path.read_text(encoding="utf-8"), subject)
    return found
