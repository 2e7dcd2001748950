"""Text measuring: spans → wrapped lines → height, with the metrics of the font the viewer draws."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from functools import cache, cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from msgspec import Struct

from briefgen.brief.markup import Span
from briefgen.labels import NO_LINE_END, NO_LINE_START

# Standard PDF font metrics are metric-compatible with the fonts viewers draw decks with.
_METRIC_FONTS = {
    ("sans", False, False): "Helvetica",
    ("sans", True, False): "Helvetica-Bold",
    ("sans", False, True): "Helvetica-Oblique",
    ("sans", True, True): "Helvetica-BoldOblique",
    ("serif", False, False): "Times-Roman",
    ("serif", True, False): "Times-Bold",
    ("serif", False, True): "Times-Italic",
    ("serif", True, True): "Times-BoldItalic",
}
# Beyond the standard metrics (Latin-1), widths of the Liberation fonts, which match Arial's,
# Times New Roman's and Courier New's glyph for glyph, for Greek, Cyrillic, Hebrew and the rest
# they cover. Made from the font files by tests/test_metrics.py.
METRICS_FILE = Path(__file__).with_name("liberation-widths.json")
# Scripts neither data set covers (Arabic, Devanagari, Thai, …): an estimate of their widths.
UNKNOWN_WIDTH = 0.62
_EMOJI_WIDTH = 1.2
# Renderers kern and hint differently; leave this share of every line unused.
WIDTH_SAFETY = 0.95


@cache
def _width_table(font: str) -> dict[str, float]:
    from reportlab.pdfbase import _fontdata

    if font.startswith("ttf:"):
        return _file_widths(font[4:])
    if "*" in font:
        base, scale = font.split("*")
        return {char: width * float(scale) for char, width in _width_table(base).items()}
    if font.startswith("Courier"):
        return {chr(c): 0.6 for c in range(32, 0x250)}
    glyph_widths = _fontdata.widthsByFontGlyph[font]
    encoding = _fontdata.encodings["WinAnsiEncoding"]
    table: dict[str, float] = {}
    for code, glyph in enumerate(encoding):
        if glyph and glyph in glyph_widths:
            try:
                char = bytes([code]).decode("cp1252")
            except UnicodeDecodeError:
                continue
            table[char] = glyph_widths[glyph] / 1000
    table["\u00a0"] = table.get(" ", 0.278)
    return table


# TrueType data that is no file of its own (a font a template embeds), by the name that
# stands for its path.
FONT_DATA: dict[str, bytes] = {}


@cache
def _file_widths(path: str) -> dict[str, float]:
    """A TrueType file's advance widths in em, for the characters it has."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = TTFontFile(io.BytesIO(FONT_DATA[path]) if path in FONT_DATA else path)
    return {chr(code): width / 1000 for code, width in face.charWidths.items()
            if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000}


@cache
def _liberation_data() -> dict[str, object]:
    return dict(json.loads(METRICS_FILE.read_text(encoding="utf-8")))


@cache
def _liberation_widths(font: str) -> dict[str, float]:
    """One face's widths in em; each face is unpacked when first needed (a memo or deck uses
    a few of the nine)."""
    data = _liberation_data()
    fonts: dict[str, list[list[int]]] = data["fonts"]  # type: ignore[assignment]
    em: int = data["units_per_em"]  # type: ignore[assignment]
    runs = fonts.get(font, fonts["Helvetica"])
    return {chr(run[0] + n): width / em for run in runs if run
            for n, width in enumerate(run[1:])}


def _liberation_width(char: str, font: str) -> float | None:
    base, _, scale = font.partition("*")
    width = _liberation_widths(base).get(char)
    return width * float(scale) if width is not None and scale else width


def is_wide(char: str) -> bool:
    """True for CJK and other full-width characters, which break between any two of them
    (not for unassigned code points, which unicodedata calls wide)."""
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char) != "Cn"


# No assigned character below U+1100 (Hangul Jamo) is wide: most text needs no closer look.
_FIRST_WIDE = "\u1100"


def has_wide(text: str) -> bool:
    # Dashes and curly quotes are above U+1100 too: look at each such character once.
    return max(text, default=" ") >= _FIRST_WIDE and any(
        is_wide(char) for char in set(text) if char >= _FIRST_WIDE)


@cache
def char_width(char: str, font: str) -> float:
    """Width of one character in em."""
    known = _width_table(font).get(char)
    if known is not None:
        return known
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0  # combining marks and zero-width joiners take no room
    code = ord(char)
    if code >= 0x1F000 or 0x2600 <= code <= 0x27BF:
        return _EMOJI_WIDTH  # drawn from a colour emoji font whatever the text's font
    liberation = _liberation_width(char, font)
    if liberation is not None:
        return liberation
    if is_wide(char):
        return 1.0
    return UNKNOWN_WIDTH


def metric_font(family: str, bold: bool, italic: bool, code: bool) -> str:
    """The metrics of a family's face: a standard font's name, "ttf:" and a font file's path,
    or a standard font's name and "*" the factor an estimate widens it by."""
    if code or family == "mono":
        return "Courier"
    if family.startswith("ttf:"):
        return "ttf:" + family[4:].split("|")[bold + 2 * italic]
    base, star, scale = family.partition("*")
    return _METRIC_FONTS[(base, bold, italic)] + star + scale


@cache
def text_width(text: str, font: str) -> float:
    """Width of `text` in em."""
    try:
        return sum(map(_width_table(font).__getitem__, text))  # every character in the table
    except KeyError:
        return sum(char_width(c, font) for c in text)


class Measured(Struct, frozen=True, dict=True):
    """Wrapped lines of a paragraph and the height they take."""

    height: float
    widest: float  # width of the longest line, pt
    # What joined each line to the one before in the text: "\n" (a line break), the spaces
    # the wrap dropped, or "" (inside a word too long for the line, or between CJK characters).
    joins: tuple[str, ...]
    atom_lines: tuple[tuple[_Atom, ...], ...]

    @cached_property
    def lines(self) -> tuple[tuple[Span, ...], ...]:
        """The lines as spans; made when asked for, since most callers want only the height."""
        return tuple(_to_spans(list(line)) for line in self.atom_lines)


class _Atom(NamedTuple):
    """A piece of a line: a word, part of one, or a space."""

    text: str
    span: Span
    width: float
    space: bool  # a breakable space: dropped at a line end
    hard_break: bool = False


_TOKENS = re.compile(r"\n| |[^ \n]+")
# A web address may end a line after a '/', '.' or '-' (before the next character that is
# none of them); other words only at spaces. Both outputs break lines at the same places.
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_URL_BREAK = re.compile(r"(?<=[/.\-])(?=[^/.\-])")


def url_breaks(text: str) -> set[int]:
    """The positions in `text`, inside web addresses, where a line may end without a space."""
    return {m.start() for url in URL.finditer(text)
            for m in _URL_BREAK.finditer(text, url.start(), url.end())
            if url.start() < m.start() < url.end()}


def _url_pieces(token: str) -> list[str]:
    cuts = [0, *sorted(url_breaks(token)), len(token)]
    return [token[a:b] for a, b in pairwise(cuts)]


# A table's layout measures every cell at several widths and sizes: split the text into atoms
# once per size, not once per try. Atoms are frozen and the result is a tuple, so sharing is safe.
@lru_cache(maxsize=8192)
def _atoms(spans: tuple[Span, ...], family: str, size: float) -> tuple[_Atom, ...]:
    atoms: list[_Atom] = []
    for span in spans:
        font = metric_font(family, span.bold, span.italic, span.code)
        word = ""

        def push(text: str, space: bool = False, *, span: Span = span, font: str = font) -> None:
            atoms.append(_Atom(text, span, text_width(text, font) * size, space))

        if not has_wide(span.text):
            # No CJK: words are what lies between spaces and line breaks.
            has_url = URL.search(span.text) is not None
            for token in _TOKENS.findall(span.text):
                if token == "\n":
                    atoms.append(_Atom("", span, 0.0, False, hard_break=True))
                elif token == " ":
                    push(token, True)
                elif has_url:
                    for piece in _url_pieces(token):  # no space between: a line may end there
                        push(piece)
                else:
                    push(token)
            continue
        for char in span.text:
            if char == "\n":
                if word:
                    push(word)
                    word = ""
                atoms.append(_Atom("", span, 0.0, False, hard_break=True))
            elif char == " ":
                if word:
                    push(word)
                    word = ""
                push(" ", True)
            elif is_wide(char) or char in NO_LINE_START:
                # Closing punctuation sticks to what precedes it; wide characters stand alone.
                if char in NO_LINE_START and (word or atoms):
                    word += char
                    continue
                if word:
                    push(word)
                word = char
            else:
                if word and (is_wide(word[-1]) and word[-1] not in NO_LINE_END):
                    push(word)
                    word = ""
                word += char
        if word:
            push(word)
    return tuple(_glue_punctuation(atoms))


def _glue_punctuation(atoms: list[_Atom]) -> list[_Atom]:
    """Join an atom that must not start a line onto the one before it."""
    glued: list[_Atom] = []
    for atom in atoms:
        if (glued and atom.text and atom.text[0] in NO_LINE_START and not glued[-1].space
                and not glued[-1].hard_break and glued[-1].span == atom.span):
            last = glued.pop()
            atom = _Atom(last.text + atom.text, atom.span, last.width + atom.width, False)
        glued.append(atom)
    return glued


def _split_long(atom: _Atom, width: float, family: str, size: float) -> list[_Atom]:
    """Break a word longer than the line into pieces that fit."""
    font = metric_font(family, atom.span.bold, atom.span.italic, atom.span.code)
    pieces: list[_Atom] = []
    current = ""
    current_width = 0.0
    for char in atom.text:
        w = char_width(char, font) * size
        if current and current_width + w > width:
            pieces.append(_Atom(current, atom.span, current_width, False))
            current, current_width = "", 0.0
        current += char
        current_width += w
    if current:
        pieces.append(_Atom(current, atom.span, current_width, False))
    return pieces


def _to_spans(atoms: list[_Atom]) -> tuple[Span, ...]:
    """A line's atoms as spans: neighbours in the same style joined into one."""
    spans: list[Span] = []
    texts: list[str] = []
    current: Span | None = None
    for atom in atoms:
        if not atom.text:
            continue
        span = atom.span
        if current is not None and (span is current or _style(span) == _style(current)):
            texts.append(atom.text)
            continue
        if current is not None:
            spans.append(Span("".join(texts), *_style(current)))
        current, texts = span, [atom.text]
    if current is not None:
        spans.append(Span("".join(texts), *_style(current)))
    return tuple(spans)


def _style(span: Span) -> tuple[bool, bool, bool, str | None]:
    return span.bold, span.italic, span.code, span.href


# The deck's planner measures a paragraph again for each size and layout it tries: half the
# calls or more repeat one before, and a rebuild after an edit (watch) measures the same
# paragraphs again. Bounded: the stress fixture's wraps take ~6 MB.
@lru_cache(maxsize=8192)
def wrap(spans: tuple[Span, ...], width: float, size: float, family: str = "sans",
         line_spacing: float = 1.2) -> Measured:
    """Wrap a paragraph's spans to `width` pt at `size` pt; an empty paragraph is one line."""
    usable = max(width * WIDTH_SAFETY, size)
    lines: list[list[_Atom]] = [[]]
    joins: list[str] = []
    line_width = 0.0
    for atom in _atoms(spans, family, size):
        if atom.hard_break:
            lines.append([])
            joins.append("\n")
            line_width = 0.0
            continue
        if atom.space and not lines[-1]:
            continue  # no space at the start of a wrapped line
        pieces = _split_long(atom, usable, family, size) if atom.width > usable else [atom]
        for piece in pieces:
            if line_width + piece.width > usable and lines[-1] and not piece.space:
                dropped = ""
                while lines[-1] and lines[-1][-1].space:
                    space = lines[-1].pop()
                    line_width -= space.width
                    dropped = space.text + dropped
                lines.append([])
                joins.append(dropped)
                line_width = 0.0
            if piece.space and not lines[-1]:
                continue
            lines[-1].append(piece)
            line_width += piece.width
    widest = 0.0
    for line in lines:
        while line and line[-1].space:
            line.pop()
        widest = max(widest, sum(a.width for a in line) / WIDTH_SAFETY)
    return Measured(len(lines) * size * line_spacing, widest, tuple(joins),
                    tuple(tuple(line) for line in lines))


def longest_word(spans: tuple[Span, ...], size: float, family: str = "sans") -> float:
    """Width in pt of the widest unbreakable piece: the least width a column needs."""
    widths = [a.width for a in _atoms(spans, family, size) if not a.space]
    return max(widths, default=0.0) / WIDTH_SAFETY


def line_height(size: float, line_spacing: float = 1.2) -> float:
    return size * line_spacing
