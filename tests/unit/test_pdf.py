"""The bilingual PDF sheet (D1, D3): the built-in CID font with Latin runs in Helvetica, and
ORDERFLOW_PDF_FONT embedding a TrueType CJK font (a font built for the test; a system one
too where installed), or refusing one it cannot embed with the reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from orderflow.files.pdf import BUILTIN, LATIN, PdfFontError, Sheet, _runs
from tests.fonts import write_otf, write_ttc, write_ttf

TEXT = "报价单 Quotation QT-2026-000001：合计 1,380.00 CNY（含税）"

#: TrueType CJK fonts Debian ships (fonts-wqy-zenhei, -microhei, fonts-droid-fallback,
#: fonts-arphic-uming); Noto Sans CJK has CFF outlines and cannot be embedded.
SYSTEM_FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc#0",
]


def render(font: Path | None) -> PdfReader:
    sheet = Sheet(font, title=TEXT, subtitle="ACME 制造")
    sheet.fields([("客户 / Customer", "C1 华东客户")])
    sheet.table(
        ["#", "产品 / Product", "金额 / Amount"],
        [["1", "P1 柜体\nP1-spec", "1380.00"]],
        [8, 100, 66],
        numeric={2},
    )
    sheet.total("合计 / Total: 1380.00 CNY")
    return PdfReader(io.BytesIO(sheet.render()))


def fonts_of(pdf: PdfReader) -> dict[str, bool]:
    """Base font name → embedded, for every font the first page uses (descendants too)."""
    out: dict[str, bool] = {}
    for ref in pdf.pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        for f in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
            descriptor = f.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            name = str(f["/BaseFont"])
            out[name] = out.get(name, False) or embedded
    return out


def test_text_is_cut_into_latin_and_chinese_runs() -> None:
    assert list(_runs("报价单 Quotation QT-1：合计")) == [
        (False, "报价单"),
        (True, " Quotation QT-1"),
        (False, "：合计"),
    ]
    assert list(_runs("")) == []


def test_the_built_in_font_sets_chinese_and_helvetica_sets_latin_nothing_embedded() -> None:
    pdf = render(None)
    fonts = fonts_of(pdf)
    assert fonts.get(f"/{BUILTIN}") is False and fonts.get(f"/{LATIN}") is False
    text = pdf.pages[0].extract_text()
    assert "报价单" in text and "Quotation QT-2026-000001" in text and "华东客户" in text


def test_a_truetype_font_is_embedded_and_sets_everything(tmp_path: Path) -> None:
    pdf = render(write_ttf(tmp_path / "cjk.ttf"))
    fonts = fonts_of(pdf)
    embedded = [name for name, inside in fonts.items() if inside]
    assert embedded and all("OrderFlowTestCJK" in name for name in embedded)
    assert f"/{BUILTIN}" not in fonts
    text = pdf.pages[0].extract_text()
    assert "报价单" in text and "华东客户" in text and "1380.00" in text


def test_a_font_of_a_collection_is_chosen_by_its_index(tmp_path: Path) -> None:
    ttc = write_ttc(tmp_path / "cjk.ttc", ["FirstFace", "SecondFace"])
    embedded = [n for n, inside in fonts_of(render(Path(f"{ttc}#1"))).items() if inside]
    assert embedded and all("SecondFace" in n for n in embedded)


@pytest.mark.parametrize("bad", ["missing.ttf", "cff.otf", "cjk.ttc#5"])
def test_a_font_that_cannot_be_embedded_is_refused_with_the_reason(
    tmp_path: Path, bad: str
) -> None:
    write_otf(tmp_path / "cff.otf")
    write_ttc(tmp_path / "cjk.ttc", ["OnlyFace"])
    with pytest.raises(PdfFontError, match="ORDERFLOW_PDF_FONT=.*TrueType") as refused:
        Sheet(tmp_path / bad, title="x")
    if bad == "cff.otf":
        assert "postscript outlines" in str(refused.value)


def test_a_chinese_truetype_font_of_the_system_embeds_too() -> None:
    found = next((f for f in SYSTEM_FONTS if Path(f.partition("#")[0]).exists()), None)
    if found is None:
        pytest.skip(
            "no TrueType CJK font installed (e.g. Debian's fonts-wqy-zenhei); the embedding "
            "itself is tested with a font built for the test above"
        )
    pdf = render(Path(found))
    assert any(inside for inside in fonts_of(pdf).values())
    text = pdf.pages[0].extract_text()
    assert "报价单" in text and "Quotation" in text
