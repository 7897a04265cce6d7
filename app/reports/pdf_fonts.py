"""The PDF's fonts: DejaVu Sans for text, and fallbacks for the characters it has no glyph for.

Importer names come from all over the world; an account of a Chinese, Japanese or Korean manufacturer must
print its name, not empty boxes. ReportLab does no font fallback of its own, so `markup()` splits a text into
runs by which embedded font covers each character and wraps the runs DejaVu lacks in a `<font>` tag.
The fonts ship in `resources/fonts/` (see its README) and are embedded (subset) in every PDF.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.locations import resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CJK = "DroidSansFallback"  # Chinese, Japanese (and more)
HANGUL = "NanumGothic"  # Korean syllables, which Droid Sans Fallback lacks

_FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    CJK: "DroidSansFallbackFull.ttf",
    HANGUL: "NanumGothic.ttf",
}
_FALLBACKS = (CJK, HANGUL)  # tried in order for a character DejaVu lacks

_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}


def register_fonts() -> None:
    """Register the embedded fonts with ReportLab once per process (reports may be written on any thread)."""
    with _lock:
        if _coverage:
            return
        folder = resources_dir() / "fonts"
        fonts = {name: TTFont(name, str(folder / file)) for name, file in _FONT_FILES.items()}
        for font in fonts.values():
            pdfmetrics.registerFont(font)
        # <b> inside a paragraph of DejaVu Sans switches to DejaVu Sans Bold (no italics are bundled).
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        _coverage.update({name: frozenset(font.face.charToGlyph) for name, font in fonts.items()})


@lru_cache(maxsize=8192)
def _font_for(char: str) -> str:
    """The font that draws `char`: DejaVu when it can, else the first fallback that has it, else DejaVu."""
    code = ord(char)
    if code in _coverage[REGULAR]:
        return REGULAR
    for name in _FALLBACKS:
        if code in _coverage[name]:
            return name
    return REGULAR  # no font has it: DejaVu's empty box, never an error


def clean(text: str) -> str:
    """`text` with control characters (which a PDF cannot show and XML cannot carry) made spaces."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == "\n" else " " for char in text)


def runs(text: str) -> Iterator[tuple[str, str]]:
    """(font name, piece) for consecutive characters drawn by the same font; DejaVu's font for plain text."""
    register_fonts()
    text = clean(text)
    if text.isascii():
        if text:
            yield REGULAR, text
        return
    start, current = 0, REGULAR
    for index, char in enumerate(text):
        font = REGULAR if char.isspace() else _font_for(char)  # spaces join the run they sit in
        if font != current and index > start:
            yield current, text[start:index]
            start = index
        if not char.isspace():
            current = font
    if start < len(text):
        yield current, text[start:]


def needs_fallback(text: str) -> bool:
    """True when some character of `text` is not in DejaVu Sans (a plain table cell would show a box)."""
    if text.isascii():
        return False
    register_fonts()
    return any(not char.isspace() and _font_for(char) != REGULAR for char in text)


def markup(text: str) -> str:
    """Paragraph markup for plain `text`: XML escaped, line breaks kept, fallback fonts where DejaVu lacks."""
    pieces = []
    for font, piece in runs(text):
        escaped = escape(piece).replace("\n", "<br/>")
        pieces.append(escaped if font == REGULAR else f'<font name="{font}">{escaped}</font>')
    return "".join(pieces)


def string_width(text: str, font: str, size: float) -> float:
    """Width of `text` drawn run by run (fallback fonts included), in points."""
    return sum(
        pdfmetrics.stringWidth(piece, font if run_font == REGULAR else run_font, size)
        for run_font, piece in runs(text)
    )
