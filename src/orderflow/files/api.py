"""/api/v1/files/{id}: a document's attached file, for callers who may see the document."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.files.service import FileContent, open_file

router = APIRouter(prefix="/files", tags=["files"])


def file_response(content: FileContent) -> Response:
    return Response(
        content.data,
        media_type=content.content_type,
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(content.filename)}",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/{file_id}", response_class=Response)
def get_file(file_id: int, rt: RuntimeDep, me: PrincipalDep) -> Response:
    """The file's bytes (404 unless the caller may see the document it is attached to)."""
    return file_response(open_file(rt, me, file_id))
