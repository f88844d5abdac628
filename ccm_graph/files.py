"""Writing output files whole or not at all, and saying in one line why one could not be.

Every writer of outputs (maps, briefs, the demo, export) goes through here:
:func:`write_atomically` for one file, :func:`write_together` for files that appear together
(a seed folder), :func:`output_folder` for a folder of outputs. A folder
that could not be filled is not left behind half-made, and the failure is one
:class:`~ccm_graph.errors.OutputError` sentence: a read-only folder, a file in the way, a
full disk.

CSV cells that a spreadsheet would run as a formula are escaped here too
(:func:`escape_formula`, :func:`unescape_formula`), for every CSV ccm-graph writes; and every
reader of a seed folder asks :func:`links_outside` before it opens one of the folder's files.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from .errors import OutputError

__all__ = [
    "FORMULA_TRIGGERS",
    "LINK_OUTSIDE",
    "FileSet",
    "Terminated",
    "csv_line",
    "describe_os_error",
    "escape_formula",
    "links_outside",
    "ordinary_file_mode",
    "output_folder",
    "unescape_formula",
    "write_atomically",
    "write_together",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP, CSV injection)."""


LINK_OUTSIDE = "is a link to a file outside the seed folder; copy the file in instead"
"""The problem with a seed folder's file that :func:`links_outside` finds."""


def links_outside(folder: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether ``path``, a file of the seed folder ``folder``, is a symbolic link to something
    outside the folder (or to nothing, or in a loop), found without reading it.

    Such a file is refused rather than followed: it would read, and quote in an error, a file
    the folder's owner did not put there (``actors.csv`` → ``/etc/passwd``). A link to a file
    inside the folder (``actors.csv`` → ``versions/actors-v2.csv``) is read like the file, and
    so is a folder that is itself a link.
    """
    link = Path(path)
    if not link.is_symlink():
        return False
    try:
        target = link.resolve(strict=True)
        return not target.is_relative_to(Path(folder).resolve(strict=True))
    except (OSError, RuntimeError):  # dangling, or a loop (RuntimeError before Python 3.13)
        return True


def _needs_escape(text: str) -> bool:
    # a formula-leading cell, or one that already looks escaped (a quote before such a cell,
    # or before another such quote): escaping those too keeps the reading side exact
    while text.startswith("'"):
        text = text[1:]
        if not text:
            return False
    return text.startswith(FORMULA_TRIGGERS)


def escape_formula(text: str) -> str:
    """Make a CSV cell safe to open in a spreadsheet: prefix one ``'`` when it would
    otherwise start a formula.

    The rule: a cell gets one leading ``'`` when it starts with ``=``, ``+``, ``-``, ``@``,
    tab or carriage return, *or* with one or more ``'`` followed by one of those. Any other
    cell, including one that starts with a quote before ordinary text (``'t was``), is
    written as it is. :func:`unescape_formula` undoes exactly this, so round trips are exact.

    >>> escape_formula("=1+1"), escape_formula("'=1+1"), escape_formula("'tis")
    ("'=1+1", "''=1+1", "'tis")
    """
    return "'" + text if _needs_escape(text) else text


def unescape_formula(text: str) -> str:
    """The cell :func:`escape_formula` was given: one leading ``'`` removed exactly when
    what follows it would have been escaped.

    >>> unescape_formula("'=1+1"), unescape_formula("''=1+1"), unescape_formula("'tis")
    ('=1+1', "'=1+1", "'tis")
    """
    if text.startswith("'") and _needs_escape(text[1:]):
        return text[1:]
    return text


def csv_line(cells: Iterable[object]) -> str:
    """One CSV row ending in ``\\n``: a cell is quoted when it holds a comma, a double quote,
    a line feed or a carriage return (Python's writer with ``\\n`` line ends leaves a bare CR
    unquoted, and the row splits on reading)."""
    out = []
    for cell in cells:
        text = str(cell)
        if any(c in text for c in ',"\r\n'):
            text = '"' + text.replace('"', '""') + '"'
        out.append(text)
    return ",".join(out) + "\n"


def ordinary_file_mode() -> int:
    """The mode a new file gets under the current umask (``mkstemp`` would give 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def describe_os_error(exc: OSError, path: str | os.PathLike[str]) -> str:
    """One sentence saying why ``path`` could not be written."""
    where = str(path)
    code = exc.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return f"cannot write {where}: the disk is full"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {where}: the folder is read-only (no permission to write there)"
    if code in (errno.ENOTDIR, errno.EEXIST):
        return f"cannot write {where}: a file is in the way where a folder should be"
    if code == errno.EISDIR:
        return f"cannot write {where}: it is a folder, not a file"
    return f"cannot write {where}: {exc.strerror or exc}"


def _make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; the ones created, deepest last."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    if current.exists() and not current.is_dir():
        raise OutputError(f"cannot write into {folder}: {current} is a file, not a folder")
    created: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            created.append(path)
    except OSError as exc:
        _remove_folders(created)
        raise OutputError(describe_os_error(exc, folder)) from None
    return created


def _remove_folders(created: list[Path]) -> None:
    for path in reversed(created):
        shutil.rmtree(path, ignore_errors=True)


def _staged(target: Path, chunks: Iterable[bytes], mode: int | None = None) -> Path:
    """A temporary file beside ``target`` holding ``chunks``, with ``mode`` or else the mode a
    new file gets (``mkstemp`` would give 0600); removed again if writing it fails."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.chmod(temporary, ordinary_file_mode() if mode is None else mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


class Terminated(SystemExit):
    """A termination signal (SIGTERM, SIGHUP) that arrived while a file was being written:
    raised so that the temporary file is removed, then the process ends with the shell's
    code for that signal (128 + its number) and no traceback."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


_TERMINATING = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _terminations_raise() -> Iterator[None]:
    """Inside the block, SIGTERM and SIGHUP raise :class:`Terminated` instead of killing the
    process at once, so ``finally`` and ``except`` clauses clean up. Only where Python can
    (the main thread) and where no one else handles the signal (a server's own handler)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in _TERMINATING:
        if signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _raise_terminated)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def write_atomically(path: str | os.PathLike[str], content: str | bytes, *,
                     mode: int | None = None) -> int:  # fmt: skip
    """Write ``content`` (text as UTF-8) to ``path`` via a temporary file and a rename, so a
    reader never sees half a file and a failure leaves the old file in place (and no folder
    it had to create). A SIGTERM or SIGHUP during the write removes the temporary file too
    before the process ends (:class:`Terminated`). ``mode`` (``0o600`` for a file of secrets)
    is set before the file appears under its name; by default, the mode a new file gets.

    :returns: the number of bytes written.
    :raises OutputError: one sentence: a read-only folder, a file in the way, a full disk.
    """
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder, not a file")
    with _terminations_raise():
        return _write_via_temporary(target, data, mode)


def _write_via_temporary(target: Path, data: bytes, mode: int | None = None) -> int:
    created = _make_folder(target.parent)
    try:
        temporary = _staged(target, [data], mode)
        try:
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        _remove_folders(created)
        raise OutputError(describe_os_error(exc, target)) from None
    except BaseException:
        _remove_folders(created)
        raise
    return len(data)


class FileSet:
    """The files of one folder written by :func:`write_together`: each is staged beside its
    place, and all are put in place together when the block ends without an error."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._staged: list[tuple[Path, Path]] = []
        self._removed: list[Path] = []

    def write(self, name: str, text: Iterable[str]) -> None:
        """Stage the file ``name`` holding the pieces of ``text`` (UTF-8, line ends as given);
        the pieces are written as they come, so a large file is never held whole."""
        target = self.folder / name
        self._staged.append((_staged(target, (piece.encode("utf-8") for piece in text)), target))

    def remove(self, name: str) -> None:
        """Remove the file ``name`` (if there is one) once the staged files are in place."""
        self._removed.append(self.folder / name)

    def _commit(self) -> None:
        for temporary, target in self._staged:
            os.replace(temporary, target)
        for path in self._removed:
            path.unlink(missing_ok=True)

    def _discard(self) -> None:
        for temporary, _ in self._staged:
            temporary.unlink(missing_ok=True)


@contextmanager
def write_together(folder: str | os.PathLike[str]) -> Iterator[FileSet]:
    """Write several files into ``folder`` (created with missing parents), all or none: the
    files written in the block (:meth:`FileSet.write`) are staged, and renamed into place
    only when the block ends without an error. So no half-written file is ever left, nor a
    half-made folder (:func:`output_folder`); a failure leaves the folder's old files as they
    were and comes out as one :class:`OutputError` sentence.
    """
    with _terminations_raise(), output_folder(folder) as target:
        files = FileSet(target)
        try:
            yield files
            files._commit()
        finally:
            files._discard()


@contextmanager
def output_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Create ``folder`` (and missing parents) for a set of outputs written inside the block.

    When the block fails, the folders it created are removed again, so no partial folder is
    left; an :class:`OSError` comes out as one :class:`OutputError` sentence.
    """
    target = Path(folder)
    created = _make_folder(target)
    try:
        yield target
    except OSError as exc:
        _remove_folders(created)
        raise OutputError(describe_os_error(exc, exc.filename or target)) from None
    except BaseException:
        _remove_folders(created)
        raise
