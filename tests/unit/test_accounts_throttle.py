"""The login throttle on a fake clock: waits, locks, per name and per address, bounded memory."""

from __future__ import annotations

import threading

import pytest

from ccm_graph.accounts import LoginThrottle
from ccm_graph.accounts.throttle import LOCK_TIME, WINDOW


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(clock: Clock) -> LoginThrottle:
    return LoginThrottle(clock)


def fail(
    throttle: LoginThrottle, times: int, name: str = "alice", client: str = "10.0.0.1"
) -> None:
    for _ in range(times):
        throttle.failed(name, client)


def test_five_failures_cost_nothing_then_each_one_doubles_the_wait(throttle, clock) -> None:
    fail(throttle, 5 - 1)
    assert throttle.wait("alice", "10.0.0.1") == 0
    waits = []
    for _ in range(4):  # the 5th to the 8th failure
        throttle.failed("alice", "10.0.0.1")
        waits.append(throttle.wait("alice", "10.0.0.1"))
    assert waits == [1, 2, 4, 8]
    clock.advance(3)
    assert throttle.wait("alice", "10.0.0.1") == 5  # counted from the last failure


def test_ten_failures_within_fifteen_minutes_lock_for_fifteen_minutes(throttle, clock) -> None:
    fail(throttle, 10)
    assert throttle.wait("alice", "10.0.0.1") == LOCK_TIME
    fail(throttle, 3)  # attempts during the lock neither count nor lengthen it
    clock.advance(LOCK_TIME - 1)
    assert throttle.wait("alice", "10.0.0.1") == 1
    clock.advance(1)
    assert throttle.wait("alice", "10.0.0.1") == 0
    fail(throttle, 4)  # a fresh start: four failures cost nothing
    assert throttle.wait("alice", "10.0.0.1") == 0


def test_failures_older_than_the_window_are_not_counted(throttle, clock) -> None:
    for i in range(10):  # ten failures spread over a little more than 15 minutes
        clock.advance(WINDOW / 9 + 1 if i else 0)
        throttle.failed("alice", "10.0.0.1")
    assert throttle.wait("alice", "10.0.0.1") == 16  # nine in the window: no lock


def test_a_name_is_counted_from_every_address_and_an_address_for_every_name(throttle) -> None:
    for i in range(10):
        throttle.failed("Alice", f"10.0.0.{i}")  # one guess from each of ten addresses
    assert throttle.wait("alice", "192.168.1.1") == LOCK_TIME
    for i in range(10):
        throttle.failed(f"user{i}", "10.9.9.9")  # one guess at each of ten names
    assert throttle.wait("bob", "10.9.9.9") == LOCK_TIME
    assert throttle.wait("bob", "10.1.1.1") == 0


def test_the_answer_is_the_same_for_any_name(throttle) -> None:
    """The throttle knows no accounts: an unknown name is slowed down exactly as a real one."""
    fail(throttle, 7, name="alice", client="a")
    fail(throttle, 7, name="no-such-account", client="b")
    assert throttle.wait("alice", "c") == throttle.wait("no-such-account", "d") == 4


def test_success_clears_the_name_but_not_the_address(throttle) -> None:
    for name in ("bob", "carol", "dave", "erin", "frank", "grace"):
        throttle.failed(name, "10.0.0.1")
    fail(throttle, 6, name="alice", client="10.0.0.2")
    throttle.succeeded("alice", "10.0.0.1")
    assert throttle.wait("alice", "10.0.0.3") == 0  # the name's count is gone
    assert throttle.wait("henry", "10.0.0.1") == 2  # guessing from 10.0.0.1 is still slowed


def test_memory_is_bounded_and_quiet_entries_are_forgotten(clock) -> None:
    throttle = LoginThrottle(clock, max_entries=50)
    for i in range(1000):
        throttle.failed(f"name{i}", f"10.0.{i // 256}.{i % 256}")
    assert len(throttle) <= 50
    clock.advance(WINDOW + 1)
    throttle.failed("alice", "10.0.0.1")
    assert len(throttle) == 2


def test_a_flood_of_new_names_does_not_lift_a_lock(clock) -> None:
    throttle = LoginThrottle(clock, max_entries=50)
    fail(throttle, 10)
    for i in range(500):  # one guess at each of 500 names, each from its own address
        throttle.failed(f"name{i}", f"10.1.{i // 256}.{i % 256}")
    assert len(throttle) <= 50
    assert throttle.wait("alice", "10.9.9.9") == LOCK_TIME
    assert throttle.wait("bob", "10.0.0.1") == LOCK_TIME


def test_threads_counting_at_once_lose_no_failure(throttle) -> None:
    start = threading.Barrier(4)

    def guess() -> None:
        start.wait()
        for _ in range(2):
            throttle.failed("alice", "10.0.0.1")

    threads = [threading.Thread(target=guess) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.wait("alice", "10.0.0.1") == 8  # eight failures: 2 ** (8 - 5) seconds
