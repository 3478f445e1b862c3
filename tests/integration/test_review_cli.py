"""``orderflow review …``: list, step, PDF and versions by document number."""

from __future__ import annotations

import json
from pathlib import Path

from orderflow.runtime import Runtime
from tests.factories import World
from tests.integration.test_cli import order_file, runner, world  # noqa: F401 (fixture)


def test_a_review_is_stepped_and_a_quote_printed_from_the_command_line(
    rt: Runtime,
    world: World,  # noqa: F811
    tmp_path: Path,
) -> None:
    from orderflow.cli import app

    path = order_file(tmp_path, rt, custom_design=True)
    made = runner.invoke(app, ["orders", "create", str(path), "--as", "sales_clerk"])
    assert made.exit_code == 0, made.output
    listed = runner.invoke(app, ["review", "list", "--mine", "--as", "technical"])
    assert "RV-2026-000001" in listed.output and "technical" in listed.output
    refused = runner.invoke(
        app, ["review", "step", "RV-2026-000001", "sign_off", "--as", "finance"]
    )
    assert refused.exit_code == 3 and "departments" in refused.output
    signed = runner.invoke(
        app,
        [
            "review",
            "step",
            "RV-2026-000001",
            "object",
            "--as",
            "production",
            "--fields",
            json.dumps({"topic": "risk", "reason": "新工艺需验证"}),
        ],
    )
    assert signed.exit_code == 0 and "open" in signed.output
    assert runner.invoke(app, ["review", "step", "XX-1", "sign_off"]).exit_code == 2
    from orderflow.quotes import service as quotes
    from orderflow.quotes.schemas import QuoteCreate

    quote = quotes.create_quote(rt, world["sales_clerk"], QuoteCreate(order_id=1))
    quotes.apply_step(rt, world["order_manager"], quote.id, "price", {}, expected_version=None)
    out = tmp_path / "q.pdf"
    printed = runner.invoke(app, ["review", "pdf", quote.number, str(out)])
    assert printed.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    versions = runner.invoke(app, ["review", "versions", "SO-2026-000001"])
    assert "v1  original" in versions.output


def test_a_design_error_is_confirmed_from_the_command_line(
    rt: Runtime,
    world: World,  # noqa: F811
    tmp_path: Path,
) -> None:
    from orderflow.changes import design_errors
    from orderflow.changes.schemas import DesignErrorCreate
    from orderflow.cli import app

    made = runner.invoke(
        app, ["orders", "create", str(order_file(tmp_path, rt)), "--as", "sales_clerk"]
    )
    assert made.exit_code == 0, made.output
    notice = design_errors.issue_design_error(
        rt,
        world["technical"],
        DesignErrorCreate(order_id=1, description="孔距标错", correction="改为 190 mm"),
    )
    done = runner.invoke(
        app,
        [
            "review",
            "step",
            notice.number,
            "acknowledge",
            "--as",
            "quality",
            "--fields",
            '{"note": "已知悉"}',
        ],
    )
    assert done.exit_code == 0 and f"{notice.number} issued" in done.output
