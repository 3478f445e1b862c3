"""Masking of customer personal data wherever it may reach a log (O1)."""

from __future__ import annotations

import logging
import re


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return "***"
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_phone(value: str | None) -> str:
    digits = value or ""
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "***"


_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask e-mail addresses and mainland mobile numbers inside free text."""
    return _PHONE.sub(r"\1****\2", _EMAIL.sub(r"\1***@\2", text))


class MaskingFilter(logging.Filter):
    """Installed on the root handlers: no log line carries a customer's e-mail or mobile."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
