"""Slowing down password guessing: failed sign-ins counted per account name and per client.

After :data:`FREE_FAILURES` failures, each further attempt must wait twice as long as the one
before (1 s, 2 s, 4 s … at most :data:`MAX_WAIT` s); after :data:`LOCK_FAILURES` failures
within :data:`WINDOW` seconds, the name (or the client) is locked for :data:`LOCK` seconds.
The same happens whether the name exists or not, so the answer never tells which names exist.
Counts live in memory: a restart forgets them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["FREE_FAILURES", "LOCK", "LOCK_FAILURES", "MAX_WAIT", "WINDOW", "LoginThrottle"]

FREE_FAILURES = 5
"""Failures allowed without any wait."""
LOCK_FAILURES = 10
"""Failures within :data:`WINDOW` that lock the name or client."""
WINDOW = 15 * 60.0
"""Seconds over which failures are counted."""
LOCK = 15 * 60.0
"""Seconds a name or client stays locked."""
MAX_WAIT = 60.0
"""The longest wait between two attempts before the lock."""
_KEPT = 10_000
"""Keys kept at most (the oldest forgotten first), so guessing cannot fill the memory."""


class LoginThrottle:
    """Failed sign-ins by name and by client address, on ``clock`` (seconds, monotonic)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait(self, name: str, client: str) -> float:
        """Seconds the next attempt for ``name`` from ``client`` must wait (0: none)."""
        now = self._clock()
        with self._lock:
            return max(self._wait(k, now) for k in self._keys(name, client))

    def failed(self, name: str, client: str) -> None:
        """Count a failed attempt."""
        now = self._clock()
        with self._lock:
            for key in self._keys(name, client):
                times = [t for t in self._failures.pop(key, []) if now - t < WINDOW + LOCK]
                self._failures[key] = [*times, now]
            while len(self._failures) > _KEPT:
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, name: str, client: str) -> None:
        """Forget the failures of ``name`` (the client's stay: it may be guessing others)."""
        with self._lock:
            self._failures.pop(self._keys(name, client)[0], None)

    @staticmethod
    def _keys(name: str, client: str) -> tuple[str, str]:
        return f"name:{name.strip().lower()}", f"client:{client}"

    def _wait(self, key: str, now: float) -> float:
        times = self._failures.get(key, [])
        recent = [t for t in times if now - t < WINDOW]
        if not recent:
            return 0.0
        last = recent[-1]
        if len(recent) >= LOCK_FAILURES:
            return max(0.0, last + LOCK - now)
        if len(recent) < FREE_FAILURES:
            return 0.0
        delay = min(MAX_WAIT, 2.0 ** (len(recent) - FREE_FAILURES))
        return max(0.0, last + delay - now)
