"""/api/v1/auth/token: username and password in, bearer token out."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.auth.service import authenticate, issue_token

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    id: int
    username: str
    display_name: str
    company_id: int
    roles: list[str]
    locale: str


@router.post("/token", response_model=TokenResponse)
def token(body: TokenRequest, rt: RuntimeDep) -> TokenResponse:
    with rt.db.transaction() as session:
        principal = authenticate(session, body.username, body.password)
    return TokenResponse(
        access_token=issue_token(rt, principal), expires_in=rt.settings.token_ttl_hours * 3600
    )


@router.get("/me", response_model=Me)
def me(principal: PrincipalDep) -> Me:
    return Me(
        id=principal.id,
        username=principal.username,
        display_name=principal.display_name,
        company_id=principal.company_id,
        roles=sorted(principal.roles),
        locale=principal.locale,
    )
