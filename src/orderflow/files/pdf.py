"""PDF documents in Chinese and English (D1, D3) with reportlab.

Chinese text needs a font with CJK glyphs. By default the PDF names Adobe's CID font
STSong-Light (Adobe-GB1): reportlab ships its metrics, so nothing is installed, and every
common viewer renders it with its own Song typeface (Acrobat's Asian font pack, macOS
Preview, Windows and Chromium's PDFium with the system's Chinese fonts). Set
``ORDERFLOW_PDF_FONT`` to a TrueType file (``.ttf``, or ``.ttc#0`` for a collection) to
embed a subset of that font instead, for viewers on machines with no Chinese font.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BUILTIN = "STSong-Light"


@cache
def font_name(font: Path | None) -> str:
    """Register the font once per process and answer its name."""
    if font is None:
        pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN))
        return BUILTIN
    path, _, index = str(font).partition("#")
    name = "OrderFlowCJK"
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=int(index or 0)))
    return name


class Sheet:
    """A bilingual business document: a title, label/value blocks, tables, paragraphs."""

    def __init__(self, font: Path | None, *, title: str, subtitle: str = "") -> None:
        self.font = font_name(font)
        self.body = ParagraphStyle("body", fontName=self.font, fontSize=9.5, leading=14)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=11)
        self.heading = ParagraphStyle("h", parent=self.body, fontSize=12, leading=18)
        self.title_style = ParagraphStyle(
            "title", parent=self.body, fontSize=16, leading=22, alignment=1
        )
        self.flow: list[object] = [Paragraph(escape(title), self.title_style)]
        if subtitle:
            self.flow.append(
                Paragraph(escape(subtitle), ParagraphStyle("s", parent=self.small, alignment=1))
            )
        self.flow.append(Spacer(1, 4 * mm))
        self.title = title

    def p(self, text: str, *, small: bool = False) -> None:
        style = self.small if small else self.body
        self.flow.append(Paragraph(escape(text).replace("\n", "<br/>"), style))

    def h(self, text: str) -> None:
        self.flow.append(Spacer(1, 2 * mm))
        self.flow.append(Paragraph(escape(text), self.heading))

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        rows = [
            [Paragraph(escape(k), self.small), Paragraph(escape(v), self.body)] for k, v in pairs
        ]
        table = Table(rows, colWidths=[45 * mm, 125 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ]
            )
        )
        self.flow.append(table)

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        data = [[Paragraph(escape(h), self.small) for h in header]]
        data += [[Paragraph(escape(str(c)), self.body) for c in row] for row in rows]
        table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.flow.append(Spacer(1, 2 * mm))
        self.flow.append(table)

    def render(self) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=self.title,
            author="OrderFlow",
        )
        doc.build(self.flow)
        return out.getvalue()
