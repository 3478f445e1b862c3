"""The routes every document collection shares (shared/API.md): read one, apply a step with
``If-Match``, read the timeline. An area adds its own create and list routes beside them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel

from orderflow.api.deps import IfMatchDep, PrincipalDep, RuntimeDep
from orderflow.api.schemas import EventRead
from orderflow.core.kit import DocumentKind, Reader, document_events, get_document, run_step
from orderflow.runtime import Runtime


def with_etag(response: Response, doc: Any) -> Any:
    """Answer the document with its version as the ETag a client sends back in If-Match."""
    response.headers["ETag"] = f'"{doc.version}"'
    return doc


def add_document_routes(
    router: APIRouter,
    kind: DocumentKind[Any],
    *,
    read: Reader[Any, Any] | Callable[[Runtime], Reader[Any, Any]],
    read_model: type[BaseModel],
    read_needs_runtime: bool = False,
) -> None:
    """``GET /{id}``, ``POST /{id}/transitions/{name}`` and ``GET /{id}/events`` on ``router``.

    ``read_needs_runtime``: ``read`` is a factory taking the runtime and answering the
    reader (for read models that need the clock or the policy, e.g. "expired")."""
    label = kind.document_type.replace("_", " ")
    steps = ", ".join(kind.lifecycle.transitions)

    def reader(rt: Runtime) -> Reader[Any, Any]:
        if read_needs_runtime:
            return cast("Callable[[Runtime], Reader[Any, Any]]", read)(rt)
        return cast("Reader[Any, Any]", read)

    def get_one(doc_id: int, rt: RuntimeDep, me: PrincipalDep, response: Response) -> Any:
        return with_etag(response, get_document(rt, me, kind, doc_id, reader(rt)))

    def transition(
        doc_id: int,
        name: str,
        rt: RuntimeDep,
        me: PrincipalDep,
        response: Response,
        version: IfMatchDep,
        fields: dict[str, Any] | None = Body(default=None),
    ) -> Any:
        doc = run_step(
            rt, me, kind, doc_id, name, fields, expected_version=version, read=reader(rt)
        )
        return with_etag(response, doc)

    def events(doc_id: int, rt: RuntimeDep, me: PrincipalDep) -> list[EventRead]:
        return document_events(rt, me, kind, doc_id)

    router.add_api_route(
        "/{doc_id}",
        get_one,
        methods=["GET"],
        response_model=read_model,
        summary=f"Read one {label}",
        description=f"The {label} with `version` (also the ETag) and `allowed_transitions`.",
    )
    router.add_api_route(
        "/{doc_id}/transitions/{name}",
        transition,
        methods=["POST"],
        response_model=read_model,
        summary=f"Apply a step to a {label}",
        description=f"Steps: {steps}. Send the step's fields as JSON and `If-Match: <version>`;"
        " a step not allowed now, for this caller or at this version changes nothing.",
    )
    router.add_api_route(
        "/{doc_id}/events",
        events,
        methods=["GET"],
        response_model=list[EventRead],
        summary=f"The {label}'s timeline, oldest first",
    )
