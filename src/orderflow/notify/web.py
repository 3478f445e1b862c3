"""The Messages page: urging notices and the outbox."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orderflow.notify.inbox import inbox
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/notifications")
def notifications_page(request: Request, me: PagePrincipal) -> Response:
    return render(request, "notifications.html", messages=inbox(runtime(request), me))
