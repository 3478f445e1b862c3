"""How an attached file is described to API clients and pages."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from orderflow.files.models import Attachment


class FileRead(BaseModel):
    id: int
    purpose: str
    filename: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    url: str


def file_read(row: Attachment) -> FileRead:
    return FileRead(
        id=row.id,
        purpose=row.purpose,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        uploaded_by=row.uploaded_by_name,
        uploaded_at=row.uploaded_at,
        url=f"/api/v1/files/{row.id}",
    )
