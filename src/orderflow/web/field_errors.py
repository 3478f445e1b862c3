"""Refused inputs in the page's language, each next to its field, on every form.

Services refuse in English with a stable code per rule (``FieldError(field, message,
code)``); the API answers those words as they are. Pages look the code up in the
``field_error`` catalog (locales/field_errors.*.toml): first by the field's own name
(``field_error.email.value_error``), then by the code alone. ``{n}`` in a catalog text is
the number in the service's message (the 10 of "at least 10 characters"), ``{detail}`` the
message itself, which names the product, amount or limit involved. A code the catalog does
not know keeps the service's words, so nothing is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi import Request

from orderflow import i18n
from orderflow.core.errors import FieldError, OrderFlowError

Errors = dict[str, str]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_INDEX = re.compile(r"\[\d+\]")


def message(error: FieldError, locale: str) -> str:
    """One refusal in ``locale``."""
    found = _NUMBER.search(error.message)
    n = found.group(0) if found else ""
    code = "missing" if error.code == "string_too_short" and n == "1" else error.code
    leaf = _INDEX.sub("", error.field).rsplit(".", 1)[-1]
    catalog = i18n.catalog(locale if locale in i18n.LOCALES else "zh-CN")
    for key in (f"field_error.{leaf}.{code}", f"field_error.{code}"):
        if key in catalog:
            return catalog[key].format(n=n, detail=error.message)
    return error.message


def field_messages(
    errors: list[FieldError], locale: str, inputs: Mapping[str, str] | None = None
) -> Errors:
    """Refusals by the form input they belong to (``inputs`` renames API field paths);
    two on one input are both shown."""
    out: Errors = {}
    for error in errors:
        name = (inputs or {}).get(error.field, error.field)
        text = message(error, locale)
        out[name] = f"{out[name]}; {text}" if name in out else text
    return out


def form_errors(
    request: Request, refusal: OrderFlowError, inputs: Mapping[str, str] | None = None
) -> Errors:
    """``field_messages`` of a refusal, in the language of the page that posted the form."""
    return field_messages(refusal.errors, getattr(request.state, "locale", "zh-CN"), inputs)
