"""A small TrueType font with CJK coverage, built for the tests (fontTools), so the
embedded-font path (ORDERFLOW_PDF_FONT) is tested on every machine without a font package.

Every CJK ideograph, CJK punctuation, full-width form and printable ASCII character maps to
one box glyph (ASCII half as wide): enough for reportlab to lay out, subset and embed any
document, and for a PDF reader to extract its text again through the ToUnicode map.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

RANGES = [(0x20, 0x7E), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)]


def _box(width: int) -> object:
    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((width - 50, 700))
    pen.lineTo((width - 50, 0))
    pen.closePath()
    return pen.glyph()


def cjk_font(family: str = "OrderFlowTestCJK", *, cff: bool = False) -> TTFont:
    """``cff``: PostScript (CFF) outlines instead of TrueType ones, as OpenType CJK fonts
    such as Noto Sans CJK have (which reportlab cannot embed)."""
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder([".notdef", "wide", "narrow"])
    cmap = {cp: "narrow" if cp < 0x80 else "wide" for lo, hi in RANGES for cp in range(lo, hi + 1)}
    fb.setupCharacterMap(cmap)
    if cff:
        from fontTools.pens.t2CharStringPen import T2CharStringPen

        charstrings = {}
        for name, width in ((".notdef", 500), ("wide", 1000), ("narrow", 500)):
            pen = T2CharStringPen(width, None)
            pen.moveTo((50, 0))
            pen.lineTo((50, 700))
            pen.lineTo((width - 50, 700))
            pen.lineTo((width - 50, 0))
            pen.closePath()
            charstrings[name] = pen.getCharString()
        fb.setupCFF(family, {"FullName": family}, charstrings, {})
    else:
        fb.setupGlyf({".notdef": _box(500), "wide": _box(1000), "narrow": _box(500)})
    fb.setupHorizontalMetrics({".notdef": (500, 50), "wide": (1000, 50), "narrow": (500, 50)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular", "psName": family})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    return fb.font


def write_ttf(path: Path, family: str = "OrderFlowTestCJK") -> Path:
    cjk_font(family).save(str(path))
    return path


def write_ttc(path: Path, families: list[str]) -> Path:
    collection = TTCollection()
    collection.fonts = [cjk_font(f) for f in families]
    collection.save(str(path))
    return path


def write_otf(path: Path) -> Path:
    cjk_font("OrderFlowTestCFF", cff=True).save(str(path))
    return path
