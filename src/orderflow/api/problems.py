"""One mapping from errors to RFC 9457 problem+json."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from orderflow.core.errors import FieldError, OrderFlowError, ValidationFailed, field_path

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def _loc(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return field_path(parts) or "body"


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": f"https://orderflow.dev/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors or [],
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and hasattr(request.app.state, "page_error")


def install(app: FastAPI) -> None:
    """Errors become problem+json under /api; pages get the web layer's ``page_error``."""

    @app.exception_handler(OrderFlowError)
    async def _domain(request: Request, exc: OrderFlowError) -> Response:
        if _wants_page(request):
            return request.app.state.page_error(request, exc)  # type: ignore[no-any-return]
        return problem(
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            [{"field": e.field, "message": e.message, "code": e.code} for e in exc.errors],
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": _loc(tuple(e["loc"])),
                "message": e["msg"].removeprefix("Value error, "),
                "code": e["type"],
            }
            for e in exc.errors()
        ]
        names = ", ".join(e["field"] for e in errors)
        if _wants_page(request):
            failed = ValidationFailed(
                f"Invalid fields: {names}",
                errors=[FieldError(e["field"], e["message"], e["code"]) for e in errors],
            )
            return request.app.state.page_error(request, failed)  # type: ignore[no-any-return]
        return problem(
            422, "validation_failed", "Validation failed", f"Invalid fields: {names}", errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, "http_error", str(exc.detail), str(exc.detail))
