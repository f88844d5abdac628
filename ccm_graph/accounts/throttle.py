"""Slowing down password guessing: how long the next sign-in attempt must wait.

Failed sign-ins are counted per account name and per client address, over the last
:data:`WINDOW` seconds (15 minutes). After :data:`FREE_FAILURES` (5) failures, each further
attempt waits ``2 ** (n - 5)`` seconds after the last failure (1 s, 2 s, 4 s …, at most
:data:`MAX_DELAY`, 60 s); after :data:`LOCK_FAILURES` (10) within the window, the name or the
address is locked for :data:`LOCK_TIME` (15 minutes). A name that exists and one that does not
are counted alike, so the throttle's answer never tells which names exist.

A successful sign-in clears its name's count, not its address's: someone who holds one
account cannot sign in between guesses at other accounts to wipe the address's count. (A
team behind one address shares that count; a locked address waits 15 minutes.)

Memory is bounded: names and addresses with no failure in the window and no lock are
forgotten, and at most :data:`MAX_ENTRIES` are remembered (beyond that the longest quiet that
is not locked is forgotten first); a name is counted by its first :data:`NAME_LIMIT` characters.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

__all__ = [
    "FREE_FAILURES",
    "LOCK_FAILURES",
    "LOCK_TIME",
    "MAX_DELAY",
    "MAX_ENTRIES",
    "NAME_LIMIT",
    "WINDOW",
    "LoginThrottle",
]

FREE_FAILURES = 5
"""Failures within the window that cost nothing; each one more doubles the wait."""
LOCK_FAILURES = 10
"""Failures within the window that lock the name or address."""
WINDOW = 15 * 60.0
"""Seconds over which failures are counted."""
LOCK_TIME = 15 * 60.0
"""Seconds a name or address stays locked."""
MAX_DELAY = 60.0
"""The longest wait between two attempts short of a lock (seconds)."""
MAX_ENTRIES = 10_000
"""Names and addresses remembered at most."""
NAME_LIMIT = 128
"""Characters of a name that count (a longer name is no account's)."""
_SCAN = 64
"""Entries looked at, oldest first, for one that is not locked, when one must be forgotten."""


@dataclass
class _Failures:
    """The recent failures of one name or address, and until when it is locked."""

    times: deque[float] = field(default_factory=lambda: deque(maxlen=LOCK_FAILURES))
    locked_until: float = 0.0

    def recent(self, now: float) -> int:
        while self.times and self.times[0] <= now - WINDOW:
            self.times.popleft()
        return len(self.times)

    def wait(self, now: float) -> float:
        if self.locked_until > now:
            return self.locked_until - now
        n = self.recent(now)
        if n < FREE_FAILURES:
            return 0.0
        delay = min(MAX_DELAY, 2.0 ** (n - FREE_FAILURES))
        return max(0.0, self.times[-1] + delay - now)

    def quiet(self, now: float) -> bool:
        """Nothing left to remember: not locked and no failure in the window."""
        return self.locked_until <= now and self.recent(now) == 0


class LoginThrottle:
    """Failed sign-ins per name and per client address, and the wait they impose.

    :param clock: seconds from any fixed point, never going back (``time.monotonic``; tests
        pass a fake one).
    :param max_entries: names and addresses remembered at most.

    Safe to share between threads (one lock around each call).
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, max_entries: int = MAX_ENTRIES
    ) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, name: str, client: str) -> float:
        """Seconds the next attempt for ``name`` from ``client`` must wait (0: it may go
        ahead now); during a lock, the time left of it. The same for a name that exists as
        for one that does not."""
        with self._lock:
            now = self.clock()
            waits = [entry.wait(now) for key in _keys(name, client)
                     if (entry := self._entries.get(key)) is not None]  # fmt: skip
            return max(waits, default=0.0)

    def failed(self, name: str, client: str) -> None:
        """Count a failed attempt (wrong password or unknown name) against ``name`` and
        ``client``; the tenth within the window locks it."""
        with self._lock:
            now = self.clock()
            for key in _keys(name, client):
                entry = self._entries.pop(key, None) or _Failures()
                self._entries[key] = entry  # the most recently failed last
                if entry.locked_until > now:
                    continue  # an attempt during a lock neither counts nor lengthens it
                entry.recent(now)
                entry.times.append(now)
                if len(entry.times) >= LOCK_FAILURES:
                    entry.locked_until = now + LOCK_TIME
                    entry.times.clear()
            self._forget(now)

    def succeeded(self, name: str, client: str) -> None:
        """A successful sign-in: ``name``'s failures are forgotten (``client``'s are kept,
        see the module's docstring)."""
        with self._lock:
            self._entries.pop(_keys(name, client)[0], None)

    def __len__(self) -> int:
        """Names and addresses remembered now."""
        with self._lock:
            return len(self._entries)

    def _forget(self, now: float) -> None:
        """Forget what is quiet, and keep at most ``max_entries``. The entries are in the order
        of their last attempt, so the quiet ones come first; beyond the limit the longest
        quiet that is not locked goes (among the first :data:`_SCAN`), so a flood of new
        names does not lift a lock."""
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if not entry.quiet(now):
                break
            del self._entries[key]
        while len(self._entries) > self.max_entries:
            first = islice(self._entries.items(), _SCAN)
            victim = next((k for k, e in first if e.locked_until <= now), None)
            del self._entries[victim if victim is not None else next(iter(self._entries))]


def _keys(name: str, client: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The name (folded as account names are, cut to :data:`NAME_LIMIT`) and the address."""
    folded = unicodedata.normalize("NFKC", name or "").strip().lower()[:NAME_LIMIT]
    return ("name", folded), ("client", client or "")
