"""My tasks: the first page everybody sees — overdue first, with working time left."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orderflow.auth.roles import PERMISSIONS
from orderflow.tasks.service import list_tasks
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/tasks")
def tasks_page(request: Request, me: PagePrincipal, everyone: bool = False) -> Response:
    may_see_all = me.can(PERMISSIONS["notifications.read_all"])
    tasks = list_tasks(runtime(request), me, mine=not (everyone and may_see_all))
    return render(
        request,
        "tasks.html",
        tasks=tasks,
        everyone=everyone and may_see_all,
        may_see_all=may_see_all,
    )
