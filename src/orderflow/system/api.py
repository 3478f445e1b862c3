"""Calendar arithmetic for planners: "when is 5 working days from now?"."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query
from pydantic import BaseModel

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.core.durations import format_duration, parse_duration
from orderflow.core.errors import FieldError, ValidationFailed

router = APIRouter(tags=["calendar"])


class DueAnswer(BaseModel):
    start: datetime
    duration: str
    due: datetime
    timezone: str


def compute_due(rt_policy, start: datetime, duration: str) -> DueAnswer:  # type: ignore[no-untyped-def]
    problems = []
    if start.tzinfo is None:
        problems.append(
            FieldError(
                "start",
                "Give the time with its UTC offset, e.g. 2026-09-30T16:00+08:00",
                "naive_datetime",
            )
        )
    try:
        span = parse_duration(duration)
    except ValueError as exc:
        problems.append(FieldError("duration", str(exc), "bad_duration"))
    if problems:
        raise ValidationFailed.of(problems)
    due = rt_policy.business_calendar.due(start, span)
    return DueAnswer(
        start=start, duration=format_duration(span), due=due, timezone=rt_policy.calendar.timezone
    )


@router.get("/calendar/due", response_model=DueAnswer)
def calendar_due(
    rt: RuntimeDep,
    _: PrincipalDep,
    start: datetime = Query(...),
    duration: str = Query(..., examples=["2h", "30min", "5wd"]),
) -> DueAnswer:
    return compute_due(rt.policy, start, duration)
