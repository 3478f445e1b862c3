"""SQLite writers queue on a lock that serves them in arrival order."""

from __future__ import annotations

import threading
import time

from orderflow.db import FairLock


def test_waiters_get_the_lock_in_the_order_they_asked() -> None:
    lock = FairLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for i in range(6):
        thread = threading.Thread(
            target=lambda i=i: (lock.acquire(), order.append(i), lock.release())
        )
        thread.start()
        threads.append(thread)
        # Each waiter is queued before the next one starts.
        while len(lock._waiters) < i + 1:
            time.sleep(0.001)
    # The holder releases and at once asks again: it must queue behind all six.
    lock.release()
    lock.acquire()
    order.append(99)
    lock.release()
    for thread in threads:
        thread.join(timeout=5)
    assert order == [0, 1, 2, 3, 4, 5, 99]


def test_a_free_lock_is_taken_at_once_and_left_free() -> None:
    lock = FairLock()
    with lock:
        assert lock._held
    assert not lock._held and not lock._waiters
