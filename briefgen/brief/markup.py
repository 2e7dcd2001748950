"""User text: cleaning of unsafe characters and parsing of the inline markup into styled spans."""

from __future__ import annotations

import re

from msgspec import Struct, field

# A raw vertical tab cannot pass the YAML reader, so the loader swaps it for this noncharacter
# before parsing; cleaning turns either back into a line break.
VT_STAND_IN = "\ufdd0"
LINE_BREAK = "\n"
LINK_SCHEMES = ("http://", "https://", "mailto:")

_PARAGRAPH_SPLIT = re.compile(r"\n[ \t]*\n\s*")
_SOURCE_SPACE = re.compile(r"[ \n]+")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")


class Span(Struct, frozen=True):
    """A run of text with one style; `text` is exactly what is shown (a "\\n" is a line break)."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


Paragraph = tuple[Span, ...]


class RichText(Struct, frozen=True):
    """A text field of the brief: cleaned, split into paragraphs, each a tuple of spans."""

    source: str
    paragraphs: tuple[Paragraph, ...] = field(default=())

    @property
    def plain(self) -> str:
        """The shown text without styling, paragraphs separated by a blank line."""
        return "\n\n".join("".join(s.text for s in p) for p in self.paragraphs)

    def __str__(self) -> str:
        return self.plain

    def __bool__(self) -> bool:
        return bool(self.paragraphs)

    # The paragraphs are made from the source: texts of the same source are equal.
    def __eq__(self, other: object) -> bool:
        return self.source == other.source if isinstance(other, RichText) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.source)


# What a text field drops: control characters (but the line break; a tab is a space by
# then, a vertical tab stands in as VT_STAND_IN), surrogates, and noncharacters such as
# U+FFFE/U+FFFF, which break OOXML.
_DROPPED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd1-\ufdef"
                      + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}"
                                for plane in range(0, 0x110000, 0x10000)) + "]")


def clean(text: str) -> str:
    """Normalise newlines, keep a vertical tab as a line break, drop control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\v", VT_STAND_IN).replace("\u2028", VT_STAND_IN)
    text = text.replace("\u2029", "\n\n").replace("\t", " ")
    return _DROPPED.sub("", text).replace(VT_STAND_IN, "\v")


def _find_closing(text: str, marker: str, start: int) -> int:
    """Index of the closing emphasis marker, or -1; the content may not start or end with space."""
    if start >= len(text) or text[start].isspace():
        return -1
    j = start
    while True:
        j = text.find(marker, j)
        if j < 0:
            return -1
        if marker == "**":
            while text.startswith("*", j + 2):
                j += 1  # "***" closes bold after an inner italic
        is_double_star = marker == "*" and text.startswith("**", j)
        if j > start and not text[j - 1].isspace() and not is_double_star:
            return j
        j += 2 if is_double_star else 1


_MAY_OPEN = re.compile(r"[`*\[]")


def _parse_inline(text: str, bold: bool, italic: bool, href: str | None) -> list[Span]:
    spans: list[Span] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold=bold, italic=italic, href=href))
            buf.clear()

    i = 0
    while i < len(text):
        # Text up to the next character that may open markup is kept as it is.
        special = _MAY_OPEN.search(text, i)
        if special is None:
            buf.append(text[i:])
            break
        if special.start() > i:
            buf.append(text[i : special.start()])
            i = special.start()
        ch = text[i]
        if ch == "`":
            end = text.find("`", i + 1)
            if end > i + 1:
                flush()
                spans.append(Span(text[i + 1 : end], bold, italic, code=True, href=href))
                i = end + 1
                continue
        elif text.startswith("**", i):
            end = _find_closing(text, "**", i + 2)
            if end > 0:
                flush()
                spans.extend(_parse_inline(text[i + 2 : end], True, italic, href))
                i = end + 2
                continue
        elif ch == "*":
            end = _find_closing(text, "*", i + 1)
            if end > 0:
                flush()
                spans.extend(_parse_inline(text[i + 1 : end], bold, True, href))
                i = end + 1
                continue
        elif ch == "[" and href is None:
            match = _LINK.match(text, i)
            if match and match.group(2).lower().startswith(LINK_SCHEMES):
                flush()
                spans.extend(_parse_inline(match.group(1), bold, italic, match.group(2)))
                i = match.end()
                continue
        buf.append(ch)
        i += 1
    flush()
    return spans


def _merge(spans: list[Span]) -> Paragraph:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.code, last.href) == (
            span.bold,
            span.italic,
            span.code,
            span.href,
        ):
            merged[-1] = Span(last.text + span.text, span.bold, span.italic, span.code, span.href)
        else:
            merged.append(span)
    return tuple(merged)


def _parse_paragraph(text: str) -> Paragraph:
    # A single newline is a soft wrap in the source (as in Markdown); a vertical tab is a break.
    lines = [_SOURCE_SPACE.sub(" ", part).strip(" ") for part in text.split("\v")]
    spans: list[Span] = []
    for n, line in enumerate(lines):
        if n:
            spans.append(Span(LINE_BREAK))
        spans.extend(_parse_inline(line, False, False, None))
    return _merge(spans)


def parse(text: str) -> RichText:
    """Clean `text` and parse its paragraphs and inline markup."""
    cleaned = clean(text).strip()
    blocks = [b for b in _PARAGRAPH_SPLIT.split(cleaned) if b.strip(" \n\v")]
    paragraphs = tuple(p for p in (_parse_paragraph(b) for b in blocks) if p)
    return RichText(source=text, paragraphs=paragraphs)


def plain(text: str) -> str:
    """Clean text that takes no markup (ids, names of fonts, URLs): one line, no controls."""
    return " ".join(clean(text).replace("\v", " ").split())
