"""The background loop: sweep deadlines, dispatch mail. Run as ``orderflow worker`` (any
number of them on PostgreSQL) or as a thread inside ``orderflow serve``."""

from __future__ import annotations

import logging
import threading

import orderflow.models  # noqa: F401  (every document type, port and overdue action)
from orderflow.core.sweeper import sweep
from orderflow.notify.service import dispatch_email
from orderflow.runtime import Runtime

log = logging.getLogger(__name__)


def run_once(rt: Runtime) -> None:
    now = rt.now()
    report = sweep(rt.db, rt.policy, now=now)
    mail = dispatch_email(rt.db, rt.settings, now=now)
    if report.overdue or report.escalated or mail.sent or mail.failed:
        log.info(
            "sweep: %s overdue, %s escalated; mail: %s sent, %s failed",
            report.overdue,
            report.escalated,
            mail.sent,
            mail.failed,
        )


def run_worker(rt: Runtime, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            run_once(rt)
        except Exception:  # keep the loop alive; the next round retries
            log.exception("worker round failed")
        stop.wait(rt.settings.sweep_interval_seconds)
