"""Step forms with nested inputs, named by field path as errors name them."""

from __future__ import annotations

from starlette.datastructures import FormData

from orderflow.web.documents import document_url, nested_form_fields


def test_inputs_named_by_field_path_become_lists_and_objects() -> None:
    form = FormData(
        [
            ("csrf_token", "x"),
            ("version", "3"),
            ("reason", " 客户减量 "),
            ("lines[0].line_no", "1"),
            ("lines[0].quantity", "60"),
            ("lines[1].line_no", "2"),
            ("lines[1].quantity", ""),
            ("lines[3].quantity", "5"),
            ("findings[0].defect", "dimension"),
        ]
    )
    assert nested_form_fields(form) == {
        "reason": "客户减量",
        "lines": [{"line_no": "1", "quantity": "60"}, {"line_no": "2"}, {"quantity": "5"}],
        "findings": [{"defect": "dimension"}],
    }


def test_every_document_type_has_its_page() -> None:
    import orderflow.web.pages  # noqa: F401  (the areas register their pages)

    assert document_url("sales_order", 7) == "/orders/7"
    assert document_url("purchase_order", 3) == "/purchasing/orders/3"
    assert document_url("exception_slip", 1) == "/exceptions/1"
    assert document_url("unknown", 1) is None and document_url("inspection", None) is None
