"""Customer personal data never reaches a log line in the clear (O1)."""

from __future__ import annotations

import logging

import pytest

from orderflow.privacy import MaskingFilter, mask_email, mask_phone, mask_text


def test_masks() -> None:
    assert mask_email("liu.wei@huadong.example.com") == "l***@huadong.example.com"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_email(None) == "***" and mask_phone("12") == "***"
    assert (
        mask_text("call 13812345678 or mail liu@example.com")
        == "call 138****5678 or mail l***@example.com"
    )


def test_the_log_filter_masks_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("orderflow.test.privacy")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="orderflow.test.privacy"):
        logger.info("order for %s, phone %s", "zhang@example.com", "13900001111")
    assert caplog.messages == ["order for z***@example.com, phone 139****1111"]
