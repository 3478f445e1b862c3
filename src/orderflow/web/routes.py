"""The web pages: login, language switch, layout and error pages; areas add their own routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderflow.auth.service import authenticate
from orderflow.core.errors import NotAuthenticated, NotFound, OrderFlowError
from orderflow.i18n import LOCALES
from orderflow.web.render import render
from orderflow.web.session import LoginRequired, check_csrf, runtime, set_locale, start_session

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/tasks", status_code=303)


@router.get("/login")
def login_page(request: Request) -> Response:
    if "csrf" not in request.session:
        import secrets

        request.session["csrf"] = secrets.token_urlsafe(24)
    return render(request, "login.html", next=request.query_params.get("next", "/tasks"))


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/tasks",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        with runtime(request).db.transaction() as session:
            principal = authenticate(session, username, password)
    except NotAuthenticated:
        return render(
            request,
            "login.html",
            status_code=401,
            error="login.failed",
            username=username,
            next=next,
        )
    start_session(request, principal)
    target = next if next.startswith("/") and not next.startswith("//") else "/tasks"
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> Response:
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    if code in LOCALES:
        request.session["locale"] = code
    back = request.headers.get("referer") or "/"
    return RedirectResponse(
        back if back.startswith(str(request.base_url)) else "/", status_code=303
    )


def _page_error(request: Request, exc: OrderFlowError) -> Response:
    if isinstance(exc, NotAuthenticated):
        return RedirectResponse("/login", status_code=303)
    status = 404 if isinstance(exc, NotFound) else exc.status
    template = "error_fragment.html" if request.headers.get("HX-Request") else "error.html"
    response = render(request, template, status_code=status, error=exc)
    if request.headers.get("HX-Request"):
        # HTMX swaps error answers only when told; show the message in the page's error slot.
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class LocaleAndHeaders:
    """Picks the page language and adds the security headers, as plain ASGI: the
    ``@app.middleware("http")`` form wraps every request and response in extra tasks and
    streams, which cost about half a millisecond per API call."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        set_locale(Request(scope))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS:
                    headers.setdefault(name.decode(), value.decode())
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    from orderflow.web.pages import PAGE_ROUTERS

    rt = app.state.runtime

    app.add_middleware(LocaleAndHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=rt.settings.secret_key,
        session_cookie="orderflow_session",
        same_site="lax",
        https_only=rt.settings.cookie_secure,
        max_age=12 * 3600,
    )

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _: LoginRequired) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    app.state.page_error = _page_error
    app.mount("/static", StaticFiles(packages=[("orderflow", "static")]), name="static")
    app.include_router(router)
    for page_router in PAGE_ROUTERS:
        app.include_router(page_router)
