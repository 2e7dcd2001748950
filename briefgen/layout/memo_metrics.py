"""The memo's text measured with its embedded fonts' own advance widths: width, lines, height."""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path

from msgspec import Struct

from briefgen.brief.markup import Span
from briefgen.layout.measure import has_wide, is_wide, url_breaks

_SANS = "source-sans/ttf/SourceSans3-"
# The files of the memo's faces, by the name the renderer registers them under.
FACE_FILES = {
    "Body": _SANS + "Regular.ttf",
    "Body-Bold": _SANS + "Bold.ttf",
    "Body-Italic": _SANS + "It.ttf",
    "Body-BoldItalic": _SANS + "BoldIt.ttf",
    "Body-Semibold": _SANS + "Semibold.ttf",
    "Code": "source-code/ttf/SourceCodePro-Regular.ttf",
    "Code-Bold": "source-code/ttf/SourceCodePro-Bold.ttf",
    "Wide": "kurinto/ttf/KurintoSans-Rg.ttf",
    "Wide-Bold": "kurinto/ttf/KurintoSans-Bd.ttf",
}
_WIDE_EM = 1.0  # CJK ideographs, kana and full-width forms are one em in every CJK face
_BREAK = re.compile(r"(\s+)")
def font_path(relative: str) -> Path:
    return Path(str(files("weblate_fonts") / "static" / "weblate_fonts" / relative))


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    found = {}
    for n in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * n)
        found[tag] = (offset, length)
    return found


def _cmap(data: bytes, offset: int) -> dict[int, int]:
    """Code point → glyph from the Unicode subtable (format 12 where there is one, else 4)."""
    count = struct.unpack_from(">H", data, offset + 2)[0]
    subtables: dict[int, int] = {}
    for n in range(count):
        platform, encoding, at = struct.unpack_from(">HHI", data, offset + 4 + 8 * n)
        fmt = struct.unpack_from(">H", data, offset + at)[0]
        if (platform, encoding) in ((3, 10), (3, 1), (0, 3), (0, 4), (0, 6)):
            subtables.setdefault(fmt, offset + at)
    glyphs: dict[int, int] = {}
    if 12 in subtables:
        at = subtables[12]
        groups = struct.unpack_from(">I", data, at + 12)[0]
        for n in range(groups):
            first, last, glyph = struct.unpack_from(">III", data, at + 16 + 12 * n)
            for code in range(first, last + 1):
                glyphs[code] = glyph + code - first
        return glyphs
    at = subtables[4]
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", data, ranges_at)
    for n in range(segments):
        for code in range(starts[n], ends[n] + 1):
            if code == 0xFFFF:
                continue
            if ranges[n] == 0:
                glyph = (code + deltas[n]) & 0xFFFF
            else:
                where = ranges_at + 2 * n + ranges[n] + 2 * (code - starts[n])
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + deltas[n]) & 0xFFFF if glyph else 0
            if glyph:
                glyphs[code] = glyph
    return glyphs


@cache
def advance_widths(face: str) -> dict[int, float]:
    """Each character's advance in em, as a face's cmap and hmtx tables give it."""
    data = font_path(FACE_FILES[face]).read_bytes()
    tables = _tables(data)
    units = struct.unpack_from(">H", data, tables[b"head"][0] + 18)[0]
    metrics = struct.unpack_from(">H", data, tables[b"hhea"][0] + 34)[0]
    hmtx = tables[b"hmtx"][0]
    advances = struct.unpack_from(f">{2 * metrics}H", data, hmtx)[::2]
    return {code: advances[min(glyph, metrics - 1)] / units
            for code, glyph in _cmap(data, tables[b"cmap"][0]).items()}


def _fallback(face: str) -> str:
    return "Wide-Bold" if "Bold" in face else "Wide"


@cache
def char_em(char: str, face: str) -> float:
    """A character's width in em in a face, or in the face the renderer falls back to."""
    known = advance_widths(face).get(ord(char))
    if known is not None:
        return known
    if is_wide(char):
        return _WIDE_EM
    return advance_widths(_fallback(face)).get(ord(char), _WIDE_EM)


class _Widths(dict[str, float]):
    """A face's widths in em by character, each looked up once."""

    def __init__(self, face: str) -> None:
        super().__init__()
        self.face = face

    def __missing__(self, char: str) -> float:
        width = self[char] = char_em(char, self.face)
        return width


@cache
def _widths(face: str) -> _Widths:
    return _Widths(face)


def text_width(text: str, face: str, size: float) -> float:
    return _text_em(text, face) * size


# Pagination measures the same paragraphs at several widths and sizes: words repeat.
@lru_cache(maxsize=1 << 16)
def _text_em(text: str, face: str) -> float:
    return sum(map(_widths(face).__getitem__, text))


def face_of(span: Span, bold: bool = False, italic: bool = False) -> str:
    """The face a span is set in, inside a paragraph of a bold or italic style."""
    if span.code:
        return "Code-Bold" if span.bold or bold else "Code"
    b, i = span.bold or bold, span.italic or italic
    return "Body" + {(False, False): "", (True, False): "-Bold", (False, True): "-Italic",
                     (True, True): "-BoldItalic"}[(b, i)]


def spans_width(spans: Sequence[Span], size: float, face: str = "Body") -> float:
    """The width of spans set on one line in a style whose face is `face`."""
    bold, italic = "Bold" in face or "Semibold" in face, "Italic" in face
    return sum(text_width(s.text, face_of(s, bold, italic), size) for s in spans)


class TextStyle(Struct, frozen=True):
    """A paragraph style of the memo: its face, size, leading and space around it, in pt."""

    face: str
    size: float
    leading: float
    space_before: float = 0.0
    space_after: float = 0.0
    indent: float = 0.0  # left indent of the text (a list item's), pt


def count_lines(spans: Sequence[Span], width: float, style: TextStyle) -> int:
    """The lines a paragraph takes at a width, filled greedily between spaces and around CJK
    characters, a word wider than the line cut where it overflows (as the renderer sets it)."""
    return _count_lines(tuple(spans), width, style)


# Pagination measures a paragraph at each width it tries, and watch every unchanged
# paragraph again on each rebuild.
@lru_cache(maxsize=8192)
def _count_lines(spans: tuple[Span, ...], width: float, style: TextStyle) -> int:
    bold = "Bold" in style.face or "Semibold" in style.face
    italic = "Italic" in style.face
    room = max(width - style.indent, 1.0)
    lines, used = 1, 0.0
    space = char_em(" ", style.face) * style.size
    for span in spans:
        face = face_of(span, bold, italic)
        for n, part in enumerate(span.text.split("\n")):
            if n:
                lines, used = lines + 1, 0.0
            for word in _BREAK.split(part):
                if not word:
                    continue
                if word.isspace():
                    used += space * len(word) if used else 0.0
                    continue
                pieces = _pieces(word)
                for piece in pieces:
                    w = text_width(piece, face, style.size)
                    if used + w <= room + 1e-6:
                        used += w
                        continue
                    if used:
                        lines, used = lines + 1, 0.0
                    while w > room:  # a word longer than the line is cut
                        lines += 1
                        w -= room
                    used = w
    return lines


def _pieces(word: str) -> list[str]:
    """A word in the pieces a line may end between: each CJK character alone, a web address
    after each '/', '.' or '-'."""
    breaks = url_breaks(word)
    if breaks:
        cuts = [0, *sorted(breaks), len(word)]
        return [word[a:b] for a, b in pairwise(cuts)]
    if not has_wide(word):
        return [word]
    out: list[str] = []
    for ch in word:
        if is_wide(ch) or not out or is_wide(out[-1][-1]):
            out.append(ch)
        else:
            out[-1] += ch
    return out


def para_height(spans: Sequence[Span], width: float, style: TextStyle, spaced: bool = True
                ) -> float:
    """A paragraph's height, with the space after it when `spaced`."""
    height = count_lines(spans, width, style) * style.leading
    return height + (style.space_before + style.space_after if spaced else 0.0)


def longest_word(spans: Sequence[Span], size: float, face: str = "Body") -> float:
    """The width of the widest unbreakable piece of the spans."""
    bold = "Bold" in face or "Semibold" in face
    widest = 0.0
    for span in spans:
        f = face_of(span, bold, "Italic" in face)
        for word in _BREAK.split(span.text):
            for piece in _pieces(word.strip()):
                widest = max(widest, text_width(piece, f, size))
    return widest


def fit_text(text: str, room: float, size: float, face: str = "Body") -> str:
    """The text, or its longest start that fits `room` with an ellipsis after it."""
    if text_width(text, face, size) <= room:
        return text
    low, high = 0, len(text)  # the longest prefix that fits, found by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle] + "…", face, size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else ""
