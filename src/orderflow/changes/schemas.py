"""API shapes of change notices and order versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orderflow.changes.flow import ChangePatch
from orderflow.files.schemas import FileRead


class ChangeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_id: int
    description: str = Field(min_length=1, max_length=4000)
    #: 技术更改通知单: needs the customer's written approval before it is answered (G3).
    technical: bool = False
    patch: ChangePatch


class ContractRef(BaseModel):
    id: int
    number: str
    state: str


class ChangeRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    order_id: int
    order_number: str
    technical: bool
    description: str
    patch: dict[str, Any]
    suggested_impact: str
    impact: str | None
    answer: str | None
    answered_at: datetime | None
    answered_by: str | None
    review_id: int | None
    review_passed: bool
    approval_file_id: int | None
    from_version: int | None
    to_version: int | None
    #: A structural change of an order with a signed contract needs a supplementary
    #: contract signed before it is applied (G2; ``contracts.structural_change_needs_…``).
    supplementary_needed: bool
    supplementary_signed: bool
    supplementary_contracts: list[ContractRef]
    files: list[FileRead]
    created_at: datetime
    updated_at: datetime
    allowed_transitions: list[str]


class ChangeSummary(BaseModel):
    id: int
    number: str
    state: str
    order_id: int
    order_number: str
    technical: bool
    impact: str | None
    created_at: datetime


class VersionRead(BaseModel):
    version_no: int
    reason: str
    created_at: datetime | None
    created_by: str
    snapshot: dict[str, Any]


class DiffRowRead(BaseModel):
    field: str
    before: Any
    after: Any


class VersionDiff(BaseModel):
    order_id: int
    a: int
    b: int
    rows: list[DiffRowRead]


# --- design error notices (G4) -------------------------------------------------------------


class DesignErrorCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_id: int
    #: The drawing or specification concerned (图号 / 规范编号).
    drawing: str = Field(default="", max_length=120)
    #: What is wrong (事由).
    description: str = Field(min_length=1, max_length=4000)
    #: What is corrected (更正内容).
    correction: str = Field(min_length=1, max_length=4000)


class DepartmentAck(BaseModel):
    department: str
    #: None while the department has not confirmed yet.
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    note: str


class DesignErrorRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    order_id: int
    order_number: str
    drawing: str
    description: str
    correction: str
    issued_by: str
    departments: list[DepartmentAck]
    #: The caller's departments still to confirm (what the page's form offers).
    mine_pending: list[str]
    exception_number: str | None
    created_at: datetime
    updated_at: datetime
    allowed_transitions: list[str]


class DesignErrorSummary(BaseModel):
    id: int
    number: str
    state: str
    order_id: int
    order_number: str
    drawing: str
    pending: list[str]
    created_at: datetime
