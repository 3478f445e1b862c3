"""Store and serve files attached to documents.

Uploads are checked before anything is written: size (``ORDERFLOW_UPLOAD_MAX_BYTES``) and
type, judged by the file's first bytes rather than its name or the browser's word (PDF,
PNG, JPEG, WebP). Bytes live under ``ORDERFLOW_FILES_DIR`` named by their SHA-256, so the
same scan uploaded twice is stored once and no user-chosen name ever reaches the disk.
A file is served only to a caller who may see the document it belongs to (404 otherwise).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.config import Settings
from orderflow.core.documents import DocumentMixin
from orderflow.core.errors import FieldError, NotFound, ValidationFailed
from orderflow.core.events import Actor
from orderflow.core.kit import KINDS
from orderflow.files.models import Attachment
from orderflow.runtime import Principal, Runtime

#: Leading bytes → content type. Scans come as PDF or images; nothing else is accepted.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
}


def sniff(data: bytes) -> str | None:
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _safe_name(filename: str, content_type: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", Path(filename or "file").name, flags=re.UNICODE).strip("._")
    stem = (stem or "file")[:150]
    ext = EXTENSIONS[content_type]
    return stem if stem.lower().endswith(ext) else stem + ext


def check_upload(settings: Settings, data: bytes, *, field: str = "file") -> str:
    """The file's content type, or a 422 naming ``field``."""
    if not data:
        raise ValidationFailed.of([FieldError(field, "The file is empty", "empty_file")])
    if len(data) > settings.upload_max_bytes:
        raise ValidationFailed.of(
            [
                FieldError(
                    field,
                    f"The file is {len(data)} bytes; at most {settings.upload_max_bytes} are accepted",
                    "file_too_large",
                )
            ]
        )
    kind = sniff(data)
    if kind is None:
        raise ValidationFailed.of(
            [FieldError(field, "Upload a PDF, PNG, JPEG or WebP file", "file_type")]
        )
    return kind


def store(
    session: Session,
    settings: Settings,
    doc: DocumentMixin,
    *,
    purpose: str,
    filename: str,
    data: bytes,
    actor: Actor,
    at: datetime,
    field: str = "file",
) -> Attachment:
    """Check, write the bytes, and add the attachment row to the caller's transaction."""
    content_type = check_upload(settings, data, field=field)
    digest = hashlib.sha256(data).hexdigest()
    folder = settings.files_path()
    folder.mkdir(parents=True, exist_ok=True)
    stored = digest + EXTENSIONS[content_type]
    target = folder / stored
    if not target.exists():
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)  # atomic: a reader never sees half a file
    row = Attachment(
        company_id=doc.company_id,
        document_type=doc.document_type,
        document_id=doc.id,
        purpose=purpose,
        filename=_safe_name(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=digest,
        stored_name=stored,
        uploaded_by_id=actor.id,
        uploaded_by_name=actor.name,
        uploaded_at=at,
    )
    session.add(row)
    session.flush()
    return row


def attachments_of(session: Session, doc: DocumentMixin) -> list[Attachment]:
    return list(
        session.scalars(
            select(Attachment)
            .where(Attachment.document_type == doc.document_type, Attachment.document_id == doc.id)
            .order_by(Attachment.id)
        )
    )


@dataclass(frozen=True)
class FileContent:
    filename: str
    content_type: str
    data: bytes


def read_bytes(settings: Settings, row: Attachment) -> bytes:
    return (settings.files_path() / row.stored_name).read_bytes()


def open_file(rt: Runtime, principal: Principal, attachment_id: int) -> FileContent:
    """The file, if the caller may see the document it belongs to; 404 otherwise."""
    with rt.db.reading() as session:
        row = session.get(Attachment, attachment_id)
        kind = KINDS.get(row.document_type) if row is not None else None
        if row is None or kind is None or row.company_id != principal.company_id:
            raise NotFound(f"No file {attachment_id}")
        kind.load(session, principal, row.document_id)  # 404 unless theirs to see
        try:
            data = read_bytes(rt.settings, row)
        except FileNotFoundError as exc:
            raise NotFound(f"The file {attachment_id} is missing from the files folder") from exc
        return FileContent(row.filename, row.content_type, data)
