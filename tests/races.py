"""Clients released at once against the same rows: the harness of the concurrency tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    #: What each call that went through answered.
    won: list[T] = field(default_factory=list)
    #: The expected refusals, one per call refused.
    refused: list[BaseException] = field(default_factory=list)


def race(
    clients: int,
    attempt: Callable[[], T],
    *,
    rounds: int = 1,
    refusals: tuple[type[BaseException], ...] = (),
) -> Outcome[T]:
    """``clients`` threads, released together by a barrier, each call ``attempt`` ``rounds``
    times. A refusal of the expected kinds is counted; anything else fails the test."""
    outcome: Outcome[T] = Outcome()
    failures: list[BaseException] = []
    barrier = threading.Barrier(clients)
    lock = threading.Lock()

    def client() -> None:
        barrier.wait()
        for _ in range(rounds):
            try:
                answer = attempt()
            except refusals as exc:
                with lock:
                    outcome.refused.append(exc)
                continue
            except BaseException as exc:
                with lock:
                    failures.append(exc)
                continue
            with lock:
                outcome.won.append(answer)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise AssertionError(f"{len(failures)} calls failed unexpectedly") from failures[0]
    assert len(outcome.won) + len(outcome.refused) == clients * rounds  # every call answered
    return outcome
