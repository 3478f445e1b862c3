"""Permission checks shared by every area's services."""

from __future__ import annotations

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.errors import PermissionDenied
from orderflow.runtime import Principal


def require(principal: Principal, permission: str) -> None:
    """Refuse (403) unless one of the caller's roles holds ``permission``."""
    if not principal.can(PERMISSIONS[permission]):
        raise PermissionDenied(f"Your role may not do {permission}")
