"""Reading a seed folder (or an Excel workbook) into a checked Dataset.

:func:`read_seed` reads and validates a folder and raises :class:`~ccm_graph.errors.DataError`
listing *every* problem as ``file:line: message``; :func:`read_data` also takes a workbook;
:func:`read_additions` reads rows to put on top of a dataset; :func:`read_as_of` the folder's
as-of date.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DataError, Problem
from ..files import LINK_OUTSIDE, links_outside
from ..metadata import read_info
from ..schema import TABLES
from .cross_checks import check_dataset
from .records import Dataset
from .rows import cuts_the_file, read_table

__all__ = ["read_additions", "read_as_of", "read_data", "read_folder", "read_seed"]


def read_seed(folder: str | os.PathLike[str]) -> Dataset:
    """Read and validate a seed folder.

    :param folder: a folder holding ``actors.csv``, ``obligations.csv``, ``coalitions.csv``,
        ``activities.csv`` and ``relations.csv``.
    :returns: the :class:`Dataset`, in file order.
    :raises DataError: listing every problem found, as ``file:line: message``; when a file
        could not be read to its end (a quote never closed), the checks across records are
        left for the next run, as they would report every reference to its missing rows.
    """
    dataset, problems = read_folder(Path(folder), partial=False)
    if not any(cuts_the_file(problem) for problem in problems):
        problems.extend(check_dataset(dataset))
    if problems:
        raise DataError(problems)
    return dataset


def read_data(path: str | os.PathLike[str]) -> Dataset:
    """Read and validate a seed folder or an Excel workbook (``.xlsx``) of the same tables.

    A path ending in ``.xlsx`` is read by :func:`ccm_graph.workbook.read_workbook` (problems
    as ``book.xlsx:sheet:row: message``); anything else is a folder for :func:`read_seed`.

    :raises DataError: listing every problem found.
    """
    if Path(path).suffix.lower() == ".xlsx":
        # imported when needed: the workbook reader imports this package's records, rows and
        # checks (not this module), and would find the package half-made at import time
        from ..workbook import read_workbook

        return read_workbook(path)
    if Path(path).is_file():
        message = "a file, not a seed folder: give the folder, or an Excel workbook (.xlsx)"
        raise DataError([Problem(str(path), None, message)])
    return read_seed(path)


def read_additions(folder: str | os.PathLike[str], base: Dataset) -> Dataset:
    """Rows in the seed format to put on top of ``base``: any subset of the five files.

    Each file present is read with the same value rules as :func:`read_seed`; the rows are
    then checked *together with* ``base`` (an added relation may point at a base actor, an
    added id may not repeat a base id).

    :returns: ``base`` with the added rows appended (``base`` itself is not changed).
    :raises DataError: every problem, as ``file:line: message``.
    """
    added, problems = read_folder(Path(folder), partial=True)
    merged = Dataset(info=base.info, origins=dict(base.origins))
    for spec in TABLES:
        offset = len(base.table(spec))
        merged.table(spec).extend([*base.table(spec), *added.table(spec)])
        for index in range(len(added.table(spec))):
            origin = added.origins.get((spec.file, index))
            if origin is not None:
                merged.origins[(spec.file, offset + index)] = origin
    if not any(cuts_the_file(problem) for problem in problems):
        problems.extend(check_dataset(merged))
    if problems:
        raise DataError(problems)
    return merged


def read_folder(folder: Path, *, partial: bool) -> tuple[Dataset, list[Problem]]:
    """The records of a folder's seed files and the problems reading them (each file through
    the value rules; no cross-record checks). ``partial``: any subset of the files, but
    at least one; otherwise each missing file is a problem (but an optional one such as
    ``evidence.csv``). A file that is a link to outside
    the folder is a problem, never read (:func:`~ccm_graph.files.links_outside`).

    :raises DataError: ``folder`` is not a folder.
    """
    problems: list[Problem] = []
    dataset = Dataset()
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, "no such folder")])
    dataset.info, info_problems = read_info(folder)
    problems.extend(info_problems)
    found = 0
    for spec in TABLES:
        path = folder / spec.file
        display = str(path)
        if links_outside(folder, path):
            problems.append(Problem(display, None, LINK_OUTSIDE))
            found += 1
            continue
        if not path.is_file():
            if not partial and not spec.optional:
                problems.append(Problem(display, None, "missing file"))
            continue
        found += 1
        records, origins, file_problems = read_table(spec, path.read_bytes(), display)
        problems.extend(file_problems)
        dataset.table(spec).extend(records)
        for index, origin in enumerate(origins):
            dataset.origins[(spec.file, index)] = origin
    if partial and not found:
        names = ", ".join(spec.file for spec in TABLES)
        problems.append(Problem(str(folder), None, f"none of the seed files ({names})"))
    return dataset, problems


def read_as_of(folder: str | os.PathLike[str]) -> str | None:
    """The as-of date of a seed folder: from its ``metadata.json``, else its ``README.md``.

    :returns: the date as ``YYYY-MM-DD``, or ``None`` when the folder states none.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "README.md").write_text("**As-of date: 27 February 2026.**")
    >>> read_as_of(folder)
    '2026-02-27'
    """
    return read_info(folder)[0].as_of
