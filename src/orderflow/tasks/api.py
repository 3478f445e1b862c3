"""/api/v1/tasks: ``?assignee=me&state=open`` and ``&overdue=true``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.auth.roles import PERMISSIONS
from orderflow.core.errors import PermissionDenied
from orderflow.tasks.service import TaskView, list_tasks

router = APIRouter(prefix="/tasks", tags=["tasks"])


@router.get("", response_model=Page[TaskView])
def tasks(
    rt: RuntimeDep,
    me: PrincipalDep,
    assignee: Literal["me", "any"] = "me",
    state: Literal["open", "done", "cancelled", "all"] = "open",
    overdue: bool | None = None,
    document_type: str | None = None,
    document_id: int | None = None,
    limit: int = Query(100, ge=1, le=500),
) -> Page[TaskView]:
    if assignee == "any" and not me.can(PERMISSIONS["notifications.read_all"]):
        raise PermissionDenied("Only managers may list everybody's tasks")
    items = list_tasks(
        rt,
        me,
        mine=assignee == "me",
        state=None if state == "all" else state,
        overdue=overdue,
        document_type=document_type,
        document_id=document_id,
        limit=limit,
    )
    return Page(items=items, next=None)
