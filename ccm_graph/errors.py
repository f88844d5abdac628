"""The exceptions ccm-graph raises; only the CLI turns them into exit codes."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AnalysisError",
    "CcmGraphError",
    "CommitUnknown",
    "ConcurrentChange",
    "DataError",
    "EditsWouldBeLost",
    "OutputError",
    "Problem",
    "QueryError",
    "RestrictedRecord",
    "StoreUnavailable",
    "TransactionTooLarge",
    "UnknownRecord",
]


class CcmGraphError(Exception):
    """Base class of every error ccm-graph raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class DataError(CcmGraphError):
    """Raised when seed data (or data read from Neo4j) is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.message)


class StoreUnavailable(CcmGraphError):
    """Raised when Neo4j cannot be reached or refuses the credentials."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class CommitUnknown(StoreUnavailable):
    """Raised when the connection broke while a write was committing: it may or may not
    have been written (exit 3, like an unreachable server, with a hint to check)."""


class QueryError(CcmGraphError):
    """Raised when Neo4j rejects a Cypher statement (syntax, a write in read mode, a constraint)."""


class TransactionTooLarge(QueryError):
    """Raised when Neo4j refuses a write for memory (its transaction-memory limit or its heap):
    the transaction is rolled back, nothing is written, and the message names the setting."""


class UnknownRecord(CcmGraphError):
    """Raised when an id names no actor, coalition, obligation or activity (``nx.NodeNotFound``)."""

    def __init__(self, record_id: str, kind: str = "actor", suggestions: list[str] | None = None):
        self.record_id = record_id
        self.kind = kind
        self.suggestions = suggestions or []
        message = f"no {kind} {record_id!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)


class RestrictedRecord(UnknownRecord):
    """Raised when a record asked for by id is restricted and restricted records were not
    asked for (``include_restricted``). ``remedy`` says how to ask for them; a front end
    words it its own way (the CLI: ``add --include-restricted``)."""

    def __init__(self, record_id: str, kind: str = "coalition",
                 remedy: str = "ask with include_restricted") -> None:  # fmt: skip
        super().__init__(record_id, kind)
        self.args = (f"{kind} {record_id!r} is restricted; {remedy} to show it",)

    def __str__(self) -> str:
        return str(self.args[0])


class OutputError(CcmGraphError):
    """Raised when an output cannot be written: a read-only folder, a file in the way, a full
    disk, or a folder an export would destroy."""


class AnalysisError(CcmGraphError):
    """Raised when an analysis cannot answer what it is asked (e.g. partners for an operator)."""


class EditsWouldBeLost(CcmGraphError):
    """Raised when a load would overwrite or remove records edited in Neo4j since the last
    load (without ``force``); nothing is written. ``records`` names each one."""

    def __init__(self, records: list[str], hint: str = "") -> None:
        self.records = list(records)
        count = len(self.records)
        lines = [
            f"{count} record{'s' if count != 1 else ''} edited in Neo4j since the last load "
            "would be overwritten or removed; nothing was written:",
            *(f"  {r}" for r in self.records),
        ]
        if hint:
            lines.append(f"Hint: {hint}")
        super().__init__("\n".join(lines))


class ConcurrentChange(CcmGraphError):
    """Raised when Neo4j changed between a load's preview and its write; nothing is written."""
