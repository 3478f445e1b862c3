"""PDF documents in Chinese and English (D1, D3) with reportlab.

Chinese text needs a font with CJK glyphs. By default the PDF names Adobe's CID font
STSong-Light (Adobe-GB1): reportlab ships its metrics, so nothing is installed, and every
common viewer renders it with its own Song typeface (Acrobat's Asian font pack, macOS
Preview, Windows and Chromium's PDFium with the system's Chinese fonts). A viewer that
substitutes another Chinese font keeps the CID font's widths, which fit its Chinese
glyphs but not its Latin ones ("V alid", "Q T-…"), so Latin runs (whatever Windows-1252
holds: letters, digits, punctuation) are set in Helvetica, whose metrics every viewer
matches, and only the rest in the CID font.

Set ``ORDERFLOW_PDF_FONT`` to a TrueType file (``.ttf``, or ``file.ttc#N`` for the Nth font
of a collection) to embed a subset of that font instead, for viewers on machines with no
Chinese font; it sets every run, Latin too. The font must have TrueType outlines (glyf),
e.g. WenQuanYi Zen Hei, Droid Sans Fallback, AR PL UMing; OpenType fonts with CFF
outlines (Noto Sans CJK, Source Han) cannot be embedded by reportlab, and are refused
with that reason.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Collection, Iterator, Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BUILTIN = "STSong-Light"
#: One of the PDF standard 14: every viewer has a metric-compatible face for it.
LATIN = "Helvetica"
#: The page's text width: A4 less 18 mm margins, in mm.
WIDTH = 174


class PdfFontError(ValueError):
    """``ORDERFLOW_PDF_FONT`` names a file that cannot be embedded; the message says why."""


@cache
def font_name(font: Path | None) -> str:
    """Register the font once per process and answer its name (one name per file, so a
    process may use several)."""
    if font is None:
        pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN))
        return BUILTIN
    path, _, index = str(font).partition("#")
    name = "OrderFlowCJK-" + hashlib.sha256(str(font).encode()).hexdigest()[:8]
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=int(index or 0)))
    except (TTFError, OSError, ValueError, IndexError) as exc:
        raise PdfFontError(
            f"ORDERFLOW_PDF_FONT={font}: {exc}. Give a TrueType font with CJK glyphs "
            "(.ttf, or file.ttc#N for the Nth font of a collection), or unset it to use "
            "the built-in STSong-Light."
        ) from exc
    return name


def _is_latin(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return ch.isprintable()


def _runs(text: str) -> Iterator[tuple[bool, str]]:
    """``text`` cut into runs of Latin (Windows-1252) and other characters."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or _is_latin(text[i]) != _is_latin(text[start]):
            yield _is_latin(text[start]), text[start:i]
            start = i


class Sheet:
    """A bilingual business document: a title, label/value blocks, tables, paragraphs."""

    def __init__(self, font: Path | None, *, title: str, subtitle: str = "") -> None:
        self.font = font_name(font)
        # The built-in CID font sets only what Helvetica cannot (see the module's doc).
        self.mixed = font is None
        self.body = ParagraphStyle("body", fontName=self.font, fontSize=9.5, leading=14)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=11)
        # A heading never ends a page: it goes over with what it heads.
        self.heading = ParagraphStyle(
            "h", parent=self.body, fontSize=12, leading=18, keepWithNext=1
        )
        self.title_style = ParagraphStyle(
            "title", parent=self.body, fontSize=16, leading=22, alignment=TA_CENTER
        )
        self.flow: list[object] = [self._para(title, self.title_style)]
        if subtitle:
            self.flow.append(
                self._para(subtitle, ParagraphStyle("s", parent=self.small, alignment=TA_CENTER))
            )
        self.flow.append(Spacer(1, 4 * mm))
        self.title = title

    def _markup(self, text: str) -> str:
        if not self.mixed:
            return escape(text).replace("\n", "<br/>")
        return "".join(
            f'<font name="{LATIN}">{escape(run)}</font>' if latin else escape(run)
            for latin, run in _runs(text.replace("\n", "\x00"))
        ).replace("\x00", "<br/>")

    def _para(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(self._markup(text), style)

    def p(self, text: str, *, small: bool = False, right: bool = False) -> None:
        style = self.small if small else self.body
        if right:
            style = ParagraphStyle("right", parent=style, alignment=TA_RIGHT)
        self.flow.append(self._para(text, style))

    def h(self, text: str) -> None:
        self.flow.append(Spacer(1, 2 * mm))
        self.flow.append(self._para(text, self.heading))

    def total(self, text: str) -> None:
        """A document's total: right-aligned under the table before it."""
        self.flow.append(Spacer(1, 1.5 * mm))
        self.flow.append(
            self._para(text, ParagraphStyle("total", parent=self.heading, alignment=TA_RIGHT))
        )

    def fields(self, pairs: Sequence[tuple[str, str]]) -> None:
        rows = [[self._para(k, self.small), self._para(v, self.body)] for k, v in pairs]
        table = Table(rows, colWidths=[49 * mm, (WIDTH - 49) * mm])
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
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        numeric: Collection[int] = (),
    ) -> None:
        """A ruled table; ``numeric``: the columns set flush right (quantities, money)."""
        right_small = ParagraphStyle("rs", parent=self.small, alignment=TA_RIGHT)
        right_body = ParagraphStyle("rb", parent=self.body, alignment=TA_RIGHT)
        data = [
            [
                self._para(h, right_small if i in numeric else self.small)
                for i, h in enumerate(header)
            ]
        ]
        data += [
            [
                self._para(str(c), right_body if i in numeric else self.body)
                for i, c in enumerate(row)
            ]
            for row in rows
        ]
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
