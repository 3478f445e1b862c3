"""Who confirms a design error notice for which department (G4), as pure rules."""

from __future__ import annotations

import pytest

from orderflow.auth.roles import DEPARTMENT_ROLES
from orderflow.changes.flow import departments_of, pick_department
from orderflow.core.errors import PermissionDenied, ValidationFailed

TOLD = ["production", "quality", "procurement"]


def test_a_caller_confirms_for_the_told_departments_they_work_in() -> None:
    assert departments_of(TOLD, {"planner"}, DEPARTMENT_ROLES) == ["production"]
    assert departments_of(TOLD, {"quality_manager", "materials_control"}, DEPARTMENT_ROLES) == [
        "quality",
        "procurement",
    ]
    assert departments_of(TOLD, {"finance"}, DEPARTMENT_ROLES) == []
    assert departments_of(TOLD, {"admin"}, DEPARTMENT_ROLES) == TOLD


def test_their_only_department_still_to_confirm_is_picked_or_they_say_which() -> None:
    assert pick_department(TOLD, ["quality"], None) == "quality"
    assert pick_department(["procurement"], ["quality", "procurement"], None) == "procurement"
    with pytest.raises(ValidationFailed) as ambiguous:
        pick_department(TOLD, ["quality", "procurement"], None)
    assert ambiguous.value.errors[0].field == "department"
    assert pick_department(TOLD, ["quality", "procurement"], "procurement") == "procurement"
    with pytest.raises(ValidationFailed):
        pick_department(["production"], ["quality"], "quality")  # quality confirmed already
    with pytest.raises(PermissionDenied):
        pick_department(["production"], ["quality"], None)
