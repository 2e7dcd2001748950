"""MemoPlan → .pdf: reportlab platypus flowables, embedded fonts, escaped text, page furniture."""

from __future__ import annotations

import copy
import io
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape, quoteattr

from msgspec.structs import replace
from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus import Image as PlatypusImage
from reportlab.platypus.paragraph import (
    ParaLines,
    _handleBulletWidth,
    cjkU,
    cleanBlockQuotedText,
    makeCJKParaLine,
    textTransformFrags,
)
from reportlab.platypus.paraparser import ParaParser
from reportlab.rl_config import _FUZZ

from briefgen.brief.markup import Span
from briefgen.labels import NO_LINE_END, NO_LINE_START
from briefgen.layout import memo_plan as m
from briefgen.layout.measure import URL, has_wide, is_wide, url_breaks
from briefgen.layout.memo_metrics import TextStyle
from briefgen.render.fonts import (
    Fonts,
    bidi_levels,
    has_rtl,
    mirrored,
    register,
    shape_arabic,
    visual,
    visual_order,
)
from briefgen.render.recall import Recall
from briefgen.render.tagging import (
    SPAN_CALLBACK,
    Element,
    Tagger,
    has_spans,
    language_of,
    span_marked,
)

if TYPE_CHECKING:
    from briefgen.render.memo_charts import ChartDrawer

Spans = tuple[Span, ...]


def _hex(color: str) -> Any:
    return HexColor("#" + color)


class Styles:
    """reportlab paragraph styles for the plan's text styles, in the plan's colours."""

    def __init__(self, roles: tuple[tuple[str, TextStyle], ...], c: m.Colors, language: str,
                 fonts: Fonts) -> None:
        self.fonts = fonts
        self.language = language
        self.link = c.link
        colors = {"lead": c.primary, "muted": c.muted, "caption": c.muted, "h1": c.primary,
                  "h2": c.primary, "label": c.accent, "headline": c.primary,
                  "memo_title": c.primary, "field": c.muted, "figure_value": c.primary,
                  "figure_delta": c.accent, "figure_note": c.muted}
        alignment = {"caption": TA_CENTER}
        made: dict[str, ParagraphStyle] = {}
        for role, style in roles:
            made[role] = ParagraphStyle(
                role, fontName=style.face, fontSize=style.size, leading=style.leading,
                spaceBefore=style.space_before, spaceAfter=style.space_after,
                leftIndent=style.indent, bulletIndent=max(style.indent - 12, 0),
                textColor=_hex(colors.get(role, c.text)), alignment=alignment.get(role, 0),
                splitLongWords=1, allowWidows=0, allowOrphans=0, bulletFontName="Body")
        self.roles = made
        self.body, self.lead, self.muted = made["body"], made["lead"], made["muted"]
        self.caption, self.h1, self.h2, self.label = (made["caption"], made["h1"], made["h2"],
                                                      made["label"])
        self.cell, self.cell_head, self.quote = made["cell"], made["cell_head"], made["quote"]
        self.cell_right = ParagraphStyle("cell-right", self.cell, alignment=TA_RIGHT)
        self.headline, self.bullet, self.sub_bullet = (made["headline"], made["bullet"],
                                                       made["sub_bullet"])
        self.callout, self.memo_title = made["callout"], made["memo_title"]
        self.field, self.field_value = made["field"], made["field_value"]
        self.contents = made["contents"]
        self.contents_page = ParagraphStyle("contents-page", self.contents, alignment=TA_RIGHT)

    def sized(self, style: ParagraphStyle, size: float) -> ParagraphStyle:
        """A style at another size, for a table set smaller than the theme's table text."""
        if size == style.fontSize:
            return style
        return _derived(style, f"-{size:g}", fontSize=size, leading=size * 1.3)

    @classmethod
    def of(cls, plan: m.MemoPlan) -> Styles:
        """The plan's styles: the same objects for every memo in the same look, so that what
        a memo's paragraphs parse into can be reused by the next memo (Text)."""
        return _styles(tuple(plan.styles.items()), plan.colors, plan.lang_tag, plan.language)


@lru_cache(maxsize=8)
def _styles(roles: tuple[tuple[str, TextStyle], ...], colors: m.Colors, lang_tag: str,
            language: str) -> Styles:
    return Styles(roles, colors, lang_tag, register(language))


@lru_cache(maxsize=1024)
def _derived(style: ParagraphStyle, suffix: str, **changes: Any) -> ParagraphStyle:
    """A style changed from another, the same object each time it is asked for."""
    return ParagraphStyle(style.name + suffix, style, **changes)


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    # A table sets its cells' font before drawing them, Helvetica unless told: never embedded.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), "Body"), *commands])


def _is_bold(style: ParagraphStyle) -> bool:
    return style.fontName in ("Body-Bold", "Body-BoldItalic", "Body-Semibold")


def markup(spans: Spans, styles: Styles, bold: bool = False) -> str:
    """Our own reportlab markup for user spans: every user character escaped, each run of
    characters the body font lacks set in a fallback font of the same weight."""
    fonts = styles.fonts
    # Right-to-left text reads back from its paragraph's ActualText, as one piece: its links
    # and runs are not marked apart.
    marked = not any(has_rtl(span.text) for span in spans)
    out: list[str] = []
    for span in spans:
        pieces: list[str] = []
        for family, text in fonts.runs(shape_arabic(span.text), code=span.code):
            safe = escape(text).replace("\n", "<br/>")
            if family != "Body":
                face = fonts.face(family, span.bold or bold, span.italic)
                safe = f"<font name={quoteattr(face)}>{safe}</font>"
                language = language_of(text, styles.language) if marked else None
                if language:
                    safe = span_marked(safe, "lang", language)
            pieces.append(safe)
        text = "".join(pieces)
        if span.bold:
            text = f"<b>{text}</b>"
        if span.italic:
            text = f"<i>{text}</i>"
        if span.href:
            text = (f"<a href={quoteattr(span.href)} color={quoteattr('#' + styles.link)}>"
                    f"<u>{text}</u></a>")
            if marked:
                text = span_marked(text, "link", span.href)
        out.append(text)
    return "".join(out)


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end between two characters: after a space, or beside a CJK character
    unless kinsoku forbids it (labels.NO_LINE_START/END, as the deck measures), never inside a
    Latin word."""
    if not before or not after or after == " ":
        return False
    if before == " ":
        return True
    if before in NO_LINE_END or after in NO_LINE_START:
        return False
    return is_wide(before) or is_wide(after)


def _kinsoku_lines(frags: list[Any], widths: list[float], calc_bounds: bool) -> Any:
    """Lines of CJK and mixed text, filled greedily between the break opportunities of
    _may_break; a piece wider than the line (a long URL) is cut where it overflows."""
    glyphs = [cjkU(char, frag, "utf8") for frag in frags for char in (frag.text or [""])]
    # Inside a web address a line may also end after '/', '.' or '-', as the planner measures.
    within_urls = url_breaks("".join(glyph or "\ufffc" for glyph in glyphs))
    lines: list[Any] = []
    start, count = 0, len(glyphs)
    while start < count:
        width = widths[min(len(lines), len(widths) - 1)]
        used, i, last_break, hard, before = 0.0, start, 0, False, ""
        while i < count:
            glyph = glyphs[i]
            if hasattr(glyph.frag, "lineBreak"):
                hard = True
                break
            # A span's marker (an empty glyph) is not a character: the break is decided by
            # the characters around it.
            if i > start and glyph and (_may_break(before, glyph) or i in within_urls):
                last_break = i
            if glyph:
                before = glyph
            if used + glyph.width > width + _FUZZ and glyph != " " and i > start:
                break
            used += glyph.width
            i += 1
        if hard:
            end = following = i + 1
        elif i >= count:
            end = following = count
        else:
            end = following = last_break or i
        line = glyphs[start:end]
        while line and line[-1] == " ":
            line.pop()
        if any(has_rtl(g) for g in line):
            levels = bidi_levels("".join(g or "\ufffc" for g in line))
            line = [cjkU(mirrored(line[i], levels[i]), line[i].frag, "utf8") if line[i] else line[i]
                    for i in visual_order(levels)]
        used = sum(g.width for g in line)
        made = makeCJKParaLine(line, width, used, width - used, hard, calc_bounds)
        # A line ended inside a web address gets no space added at its end.
        made.joined = not hard and end < count and end in within_urls
        lines.append(made)
        start = following
        while not hard and start < count and glyphs[start] == " ":
            start += 1
    return ParaLines(kind=1, lines=lines)


# Text without tags or entities is one fragment in its paragraph's style: reportlab's parser
# (an HTML parser, ~0.1 ms a paragraph) makes it once per style, as it would for any such text.
_MARKUP = re.compile("[<&]")
_PLAIN_FRAGMENTS: WeakKeyDictionary[ParagraphStyle, Any] = WeakKeyDictionary()
# Paragraphs of markup, by their markup and style: what reportlab parsed them into. The
# sample has ~150; a memo of thousands keeps its first 2,000 for the next build.
_PARSED: Recall[tuple[str, ParagraphStyle, list[Any]]] = Recall(room=2_000)


def _plain_fragment(style: ParagraphStyle) -> Any:
    if style not in _PLAIN_FRAGMENTS:
        _, frags, _ = ParaParser().parse("x", style)
        _PLAIN_FRAGMENTS[style] = frags[0]
    return _PLAIN_FRAGMENTS[style]


class Text(Paragraph):  # type: ignore[misc]
    """A paragraph marked as its structure element (an artifact when it has none, or when it
    is drawn again, as a table's repeated header); with any CJK in it, lines break by the
    memo's kinsoku rules."""

    tag: Element | None = None
    label: Element | None = None  # a list item's Lbl, for its marker
    marked = False  # whether its markup marks spans (tagging.span_marked)
    frags: list[Any]

    def __init__(self, text: Any, style: ParagraphStyle, **kw: Any) -> None:
        plain = (cleanBlockQuotedText(text) if isinstance(text, str) and "frags" not in kw
                 and not _MARKUP.search(text) else "")
        if plain:  # (empty text has no fragment at all)
            text = plain
            kw["frags"] = [_plain_fragment(style).clone(text=text)]
            textTransformFrags(kw["frags"], style)
        if isinstance(text, str) and "frags" not in kw:
            self._parse(text, style, kw)
        else:
            super().__init__(text, style, **kw)
        self.marked = isinstance(text, str) and SPAN_CALLBACK in text
        self.wrapped: tuple[float, Any, tuple[float, float]] | None = None

    def _parse(self, text: str, style: ParagraphStyle, kw: dict[str, Any]) -> None:
        """Set up a paragraph of markup as reportlab does, parsing it only if the last memo
        had no paragraph of the same markup and style; each gets copies of the fragments."""
        parsed = _PARSED.get((text, style))
        if parsed is None:
            super().__init__(text, style, **kw)
            parsed = (self.text, self.style, self.frags)
        else:
            super().__init__(parsed[0], parsed[1], frags=parsed[2], **kw)
        _PARSED.keep((text, style), parsed)
        self.frags = [fragment.clone() for fragment in parsed[2]]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # reportlab breaks the lines again on every call, and a paragraph is wrapped several
        # times at one width (a table measures its cells, then draws them; a kept group is
        # measured, then placed): the lines broken for a width and style are kept. A split
        # that finds no room drops them (blPara), and they are broken again.
        if (self.wrapped is not None and self.wrapped[0] == availWidth
                and self.wrapped[1] is self.style and "blPara" in self.__dict__):
            return self.wrapped[2]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self.wrapped = (availWidth, self.style, size)
        return size

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger = canvas.tagger
        # Only now, when the lines are final: a space added before a split would widen them.
        _space_line_ends(self.blPara, self.style.alignment)
        element = None if tagger.repeats(self) else self.tag
        if element is not None and self.marked and has_spans(self.blPara):
            self._draw_spans(canvas, element, x, y, _sW)
            return
        if element is not None and self.label is not None and self.bulletText:
            # The marker is the first text the paragraph draws: the canvas marks it as the
            # label and opens the body after it.
            canvas.marker = (self.label, element, self.actual_text(with_marker=False))
            try:
                super().drawOn(canvas, x, y, _sW)
            finally:
                drawn = canvas.marker is None  # an empty item draws no marker, opens no body
                canvas.marker = None
            if drawn:
                tagger.end(canvas)
            return
        with tagger.content(canvas, element, self.actual_text()):
            super().drawOn(canvas, x, y, _sW)

    def _draw_spans(self, canvas: Any, element: Element, x: float, y: float, _sW: float
                    ) -> None:
        """Draw a paragraph whose links and runs in other languages are elements of their
        own; the rest of it is in the memo's language."""
        if element.lang is None:
            element.lang = ""
        with canvas.tagger.spans_of(canvas, element):
            if self.label is not None and self.bulletText:
                canvas.marker = (self.label, None, "")  # the marker, then the spans
            try:
                super().drawOn(canvas, x, y, _sW)
            finally:
                canvas.marker = None

    def actual_text(self, with_marker: bool = True) -> str:
        """The paragraph's text as written: its marker, its words in logical order (shaped
        Arabic back to its letters) and a space where a line ends within it."""
        text = "".join(getattr(frag, "text", "") for frag in self.frags if
                       not hasattr(frag, "lineBreak"))
        text = unicodedata.normalize("NFKC", text) if has_rtl(text) else text
        marker = f"{self.bulletText} " if self.bulletText and with_marker else ""
        return marker + text

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = list(super().split(availWidth, availHeight))
        for n, part in enumerate(parts):
            part.tag = self.tag  # a paragraph cut across pages stays one element
            part.label = self.label if n == 0 else None
            part.marked = self.marked
        return parts

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, widths)
        if not self.frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                             textColor=style.textColor, lines=[], ascent=style.fontSize,
                             descent=-0.2 * style.fontSize)
        auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return _kinsoku_lines(self.frags, widths, auto not in ("", "off"))


def _space_line_ends(lines: Any, alignment: int) -> None:
    """A space drawn at the end of every line that breaks between two words (not between CJK
    characters), so the text reads back with its spaces, not "ReshapesChina". It is invisible
    at the end of a left aligned line; lines set right or centred keep their ends as they are."""
    if alignment != 0 or getattr(lines, "spaced", False) or not lines.lines:
        return
    lines.spaced = True

    def between_words(before: str, after: str) -> bool:
        return bool(before and after) and not (is_wide(before[-1]) or is_wide(after[0]))

    if lines.kind == 0:
        for n, (left, words) in enumerate(lines.lines[:-1]):
            following = lines.lines[n + 1][1]
            if words and following and between_words(words[-1], following[0]):
                lines.lines[n] = (left, [*words[:-1], words[-1] + " "])
        return
    for line, following in zip(lines.lines, lines.lines[1:], strict=False):
        # The words with text: not a span's marker.
        words = [n for n, w in enumerate(getattr(line, "words", None) or ()) if w.text]
        after = [w for w in getattr(following, "words", None) or () if w.text]
        if not words or not after or getattr(line, "lineBreak", False) or \
                getattr(line, "joined", False):
            continue
        text = line.words[words[-1]].text
        if not text.endswith(" ") and between_words(text, after[0].text):
            line.words[words[-1]] = copy.copy(line.words[words[-1]])
            line.words[words[-1]].text = text + " "


def text_style(spans: Spans, style: ParagraphStyle, continues: bool = False) -> ParagraphStyle:
    """The style a paragraph is set in: our own line breaking when it has CJK or right-to-left
    text, no space after a piece that the next paragraph continues."""
    changes: dict[str, Any] = {}
    # Our own line breaking also for web addresses, which may end a line after '/', '.', '-'.
    if any(has_wide(s.text) or has_rtl(s.text) or URL.search(s.text) for s in spans):
        changes["wordWrap"] = "CJK"
    if continues:
        changes["spaceAfter"] = 0
    return _derived(style, "-x", **changes) if changes else style


def para(spans: Spans, style: ParagraphStyle, styles: Styles, continues: bool = False,
         tag: Element | None = None, **kw: Any) -> Text:
    text = Text(markup(spans, styles, _is_bold(style)), text_style(spans, style, continues), **kw)
    text.tag = tag
    return text


def paras(items: Iterable[m.Para], style: ParagraphStyle, styles: Styles,
          parent: Element | None = None, tag: str = "P") -> list[Text]:
    """Paragraphs, each piece of one paragraph in the same element under `parent`."""
    out: list[Text] = []
    element: Element | None = None
    for p in items:
        if element is None and parent is not None:
            element = parent.add(tag)
        out.append(para(p.spans, style, styles, p.continues, element))
        if not p.continues:
            element = None
    return out


def para_text(text: str, style: ParagraphStyle, tag: Element) -> Text:
    """A paragraph of our own markup (a contents entry with its link)."""
    made = Text(text, style)
    made.tag = tag
    return made


def words(text: str, style: ParagraphStyle, styles: Styles, tag: Element | None = None) -> Text:
    """A paragraph of a fixed label or other plain text."""
    return para((Span(text),), style, styles, tag=tag)


class Heading(Text):
    """A heading that leaves a bookmark and an outline entry, and its page for the contents;
    a heading too long for a page splits like any paragraph, its first part keeping the mark."""

    heading: m.Heading | None = None

    @classmethod
    def of(cls, heading: m.Heading, style: ParagraphStyle, styles: Styles, tag: Element
           ) -> Heading:
        text = markup(heading.text, styles, bold=True)
        if heading.number:
            text = f"{escape(heading.number)}&nbsp;&nbsp;{text}"
        made = cls(text, text_style(heading.text, style))
        made.heading = heading
        made.tag = tag
        return made

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = list(super().split(availWidth, availHeight))
        for n, part in enumerate(parts):
            part.heading = self.heading if n == 0 else None
        return parts


class Chip(Flowable):  # type: ignore[misc]
    """A small rounded coloured label, as a table cell's content."""

    def __init__(self, chip: m.Chip, fonts: Fonts) -> None:
        super().__init__()
        self.chip = chip
        self.fonts = fonts
        self.size = chip.size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = min(availWidth, _runs_width(self.chip.text, self.size, self.fonts, True)
                         + 2 * m.CHIP_PAD)
        self.height = self.size + 5
        return self.width, self.height

    tag: Element | None = None

    def draw(self) -> None:
        canvas = self.canv
        tagger: Tagger = canvas.tagger
        with tagger.artifact(canvas):
            canvas.setFillColor(_hex(self.chip.fill))
            canvas.setStrokeColor(_hex(self.chip.border))
            canvas.setLineWidth(0.6)
            canvas.roundRect(0, 0, self.width, self.height, self.height / 2, stroke=1, fill=1)
        canvas.setFillColor(_hex(self.chip.color))
        with tagger.content(canvas, None if tagger.repeats(self) else self.tag):
            _draw_runs(canvas, m.CHIP_PAD, self.height / 2 - self.size * 0.34, self.chip.text,
                       self.size, self.fonts, bold=True)


def _runs_width(text: str, size: float, fonts: Fonts, bold: bool = False) -> float:
    return sum(stringWidth(run, fonts.face(family, bold), size)
               for family, run in fonts.runs(visual(text)))


def _draw_runs(canvas: Canvas, x: float, y: float, text: str, size: float, fonts: Fonts,
               bold: bool = False) -> None:
    for family, run in fonts.runs(visual(text)):
        face = fonts.face(family, bold)
        canvas.setFont(face, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, face, size)


class Ruled(Table):  # type: ignore[misc]
    """A table whose backgrounds and rules are artifacts; its cells mark themselves."""

    def _drawBkgrnd(self) -> None:
        with self.canv.tagger.artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self) -> None:
        with self.canv.tagger.artifact(self.canv):
            super()._drawLines()


class Marked(Flowable):  # type: ignore[misc]
    """A drawing or picture drawn as its structure element (a Figure with its Alt)."""

    def __init__(self, content: Any, tag: Element) -> None:
        super().__init__()
        self.content = content
        self.tag = tag
        self.hAlign = getattr(content, "hAlign", "LEFT")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.content.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        with canvas.tagger.content(canvas, self.tag):
            self.content.drawOn(canvas, x, y, _sW)


class DataTable(Ruled):
    """A data table that breaks as its plan says: rows move whole to the next page, except a
    row the plan lets be cut, which starts where it is when `least_cut` points are left and
    continues under the repeated header. A row that fits on no page is cut whatever the plan
    measured. (reportlab cuts any row that does not fit, which leaves the repeated header and
    a sliver of a row at the foot of a page.)"""

    grid: m.Grid
    frame_height = 0.0  # a row that does not fit a page this tall is cut
    first = 0  # the plan's index of this part's first body row
    head_rows = 1  # rows above it: the header, or its repetition (none when not repeated)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        head = self.head_rows
        used, fit = 0.0, 0
        for height in heights:
            if used + height > availHeight:
                break
            used, fit = used + height, fit + 1
        row = self.first + fit - head  # the plan's index of the row that does not fit
        cut_rows = self.grid.cut_rows
        # A header too tall to repeat is cut like a tall row.
        may_cut = cut_rows[row] if 0 <= row < len(cut_rows) else not self.grid.repeat_header
        empty_page = fit <= head and availHeight >= self.frame_height - 1
        cut = fit < len(heights) and (
            empty_page or (may_cut and availHeight - used >= self.grid.least_cut))
        # The parts a split makes are of this class, and so decide for themselves again.
        self.splitByRow, self.splitInRow = (0, 1) if cut else (1, 0)
        try:
            parts = list(super().split(availWidth, availHeight))
        finally:
            self.splitByRow, self.splitInRow = 1, 1
        if len(parts) == 2:
            done = len(parts[0]._cellvalues) - head
            for part in parts:
                part.grid, part.frame_height = self.grid, self.frame_height
            parts[0].first, parts[0].head_rows = self.first, head
            parts[1].first = self.first + done - (1 if cut else 0)
            parts[1].head_rows = self.repeatRows
        return parts


class MemoCanvas(Canvas):  # type: ignore[misc]
    """A canvas that leaves a gap where a page shows a number known only once the whole memo
    is laid out (the page count, the page of a heading) and draws into the gaps on saving, so
    the memo is laid out once. What fills a gap must not change the layout around it. Pages
    still go out as they finish, since a bookmark points at the page in progress."""

    def __init__(self, *args: Any, date: str, tagger: Tagger, **kw: Any) -> None:
        self.tagger = tagger
        # A list item's label, body and its text; no body when its spans mark the body.
        self.marker: tuple[Element, Element | None, str] | None = None
        # reportlab dates a document from SOURCE_DATE_EPOCH when it is set, and fails on one
        # that is not a number; the memo is dated from the brief, as the deck is.
        saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
        try:
            super().__init__(*args, **kw)
        finally:
            if saved is not None:
                os.environ["SOURCE_DATE_EPOCH"] = saved
        self.setNamedCB(SPAN_CALLBACK, tagger.span)
        stamp = self._doc._timeStamp
        day = time.strptime(date + ("-01" if len(date) == 7 else ""), "%Y-%m-%d")
        stamp.YMDhms, stamp.dhh, stamp.dmm = tuple(day)[:6], 0, 0
        self.heading_pages: dict[str, int] = {}
        self.gaps: list[tuple[int, str, int, dict[str, Any], Callable[[MemoCanvas], None]]] = []

    @property
    def page_count(self) -> int:
        """The pages finished so far: on saving, all of them."""
        return len(self._doc.Pages.pages)

    def later(self, draw: Callable[[MemoCanvas], None]) -> None:
        """Leave a gap here for `draw` to fill on saving, in the graphics state of now."""
        marker = f"%gap {len(self.gaps)}"  # a comment, on a line of its own in the page
        self._code.append(marker)
        state = {name: getattr(self, name) for name in self.STATE_ATTRIBUTES}
        self.gaps.append((self._pageNumber - 1, marker, len(self._annotationrefs), state, draw))

    def save(self) -> None:
        pages = self._doc.Pages.pages
        # Backwards, so that each gap's links go in among the links already on its page at
        # the place they had when the gap was left: the reading order of the links stays.
        for page, marker, at, state, draw in reversed(self.gaps):
            code: list[str] = []
            links: list[Any] = []
            self._code, self._annotationrefs = code, links
            self.__dict__.update(state)
            draw(self)
            drawn = "\n".join(code)
            pages[page].stream = pages[page].stream.replace(f"\n{marker}\n", f"\n{drawn}\n", 1)
            pages[page].Annots[at:at] = links
        self._code = []
        self.tagger.finish(self)
        super().save()

    def drawText(self, text: Any) -> None:
        if self.marker is None:
            code = text.getCode()  # which closes the text object: call it once
            self._code.append(self.tagger.spanned(self, code) or code)
            return
        label, body, words = self.marker
        self.marker = None
        if body is None:  # a list item drawn by spans_of
            with self.tagger.out_of_artifact(self), self.tagger.content(self, label):
                super().drawText(text)
            return
        with self.tagger.content(self, label):
            super().drawText(text)
        self.tagger.begin(self, body, words)

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1
                       ) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        reference = self._doc.refAnnotation(name or f"NUMBER{self._annotationCount}")
        self.tagger.annotation(annotation, reference)


class HeadingPage(Flowable):  # type: ignore[misc]
    """The page of a heading in the contents list, right-aligned and linked to the heading:
    drawn on saving, in the room of a one-line number."""

    def __init__(self, key: str, style: ParagraphStyle, tag: Element) -> None:
        super().__init__()
        self.key = key
        self.style = style
        self.tag = tag

    def text(self, number: str) -> Text:
        return Text(f'<a href="#{self.key}">{number}</a>', self.style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.text("0").wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas: MemoCanvas, x: float, y: float, _sW: float = 0) -> None:
        link = self.tag.add("Link", label=self.tag.label)

        def draw(canvas: MemoCanvas) -> None:
            text = self.text(str(canvas.heading_pages.get(self.key, "")))
            text.wrap(self.width, self.height)
            with canvas.tagger.inside(link):
                Paragraph.drawOn(text, canvas, x, y, _sW)

        # The number's marked content is opened and closed around the gap it is drawn into,
        # as a Link to the heading, which its annotation joins.
        with canvas.tagger.content(canvas, link):
            canvas.later(draw)


class MemoDoc(BaseDocTemplate):  # type: ignore[misc]
    """Leaves a bookmark, an outline entry and the page of every heading."""

    def afterFlowable(self, flowable: Flowable) -> None:
        heading = flowable.heading if isinstance(flowable, Heading) else None
        if heading is not None:
            top = self.frame._y + flowable.height + 4
            self.canv.bookmarkPage(heading.key, fit="XYZ", left=0, top=top)
            self.canv.addOutlineEntry(heading.outline, heading.key, level=heading.level - 1,
                                      closed=False)
            self.canv.heading_pages[heading.key] = self.page


def _furniture(canvas: MemoCanvas, plan: m.MemoPlan, fonts: Fonts, page: int) -> None:
    """The running header (title, classification) and footer (date, 'Page X of Y', drawn once
    the page count is known)."""
    width, height = plan.page
    top, right, bottom, left = plan.margins
    size = plan.sizes["small"]
    canvas.saveState()
    canvas.setFillColor(_hex(plan.colors.muted))
    canvas.setStrokeColor(_hex(plan.colors.muted))
    canvas.setLineWidth(0.4)
    header_y = height - top + 18
    _draw_runs(canvas, left, header_y, plan.header_left, size, fonts)
    right_x = width - right
    text_right = right_x
    if plan.logo:
        path, logo_w, logo_h = plan.logo
        canvas.drawImage(path, right_x - logo_w, header_y - 2, logo_w, logo_h, mask="auto")
        text_right -= logo_w + 8
    _draw_runs(canvas, text_right - _runs_width(plan.header_right, size, fonts), header_y,
               plan.header_right, size, fonts)
    canvas.line(left, header_y - 5, right_x, header_y - 5)
    footer_y = bottom - 28
    _draw_runs(canvas, left, footer_y, plan.footer_left, size, fonts)

    def page_label(canvas: MemoCanvas) -> None:
        label = plan.page_label.format(page=page, pages=canvas.page_count)
        _draw_runs(canvas, right_x - _runs_width(label, size, fonts), footer_y, label, size,
                   fonts)

    canvas.later(page_label)
    canvas.restoreState()


class Flow:
    """Translates memo elements into flowables, one for one."""

    def __init__(self, plan: m.MemoPlan, styles: Styles, base: Path, root: Element) -> None:
        self.plan = plan
        self.s = styles
        self.fonts = styles.fonts
        self.base = base
        self.width = plan.frame_width
        self.root = root  # the structure tree's Document, filled in reading order
        self.list: Element | None = None  # the list the next ListBlock continues
        self._charts: ChartDrawer | None = None

    @property
    def charts(self) -> ChartDrawer:
        # reportlab's chart widgets take ~15 ms to import: only for a memo that has charts.
        if self._charts is None:
            from briefgen.render.memo_charts import ChartDrawer

            self._charts = ChartDrawer(self.fonts)
        return self._charts

    def box(self, content: list[Any], fill: str | None, accent: str | None,
            padding: float = m.BOX_PAD) -> Table:
        table = Ruled([[content]], colWidths=[self.width], splitInRow=1)
        commands: list[tuple[Any, ...]] = [
            ("LEFTPADDING", (0, 0), (-1, -1), padding + (m.BOX_ACCENT if accent else 0)),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding * m.BOX_TOP),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding * m.BOX_BOTTOM),
        ]
        if fill:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), _hex(fill)))
        if accent:
            # A butt cap keeps the accent bar flush with the box's top and bottom.
            commands.append(("LINEBEFORE", (0, 0), (0, -1), m.BOX_ACCENT, _hex(accent), 0))
        table.setStyle(_table_style(commands))
        table.spaceAfter = m.BOX_SPACE_AFTER
        return table

    def figure_row(self, row: m.FigureRow) -> list[Any]:
        """Big numbers in shaded cells side by side, each a group of paragraphs."""
        roles = self.s.roles
        value_style = ParagraphStyle("figure-value-sized", roles["figure_value"],
                                     fontSize=row.value_size, leading=row.value_size * 1.15)
        group = self.root.add("Div")
        cells: list[Any] = []
        for n, figure in enumerate(row.figures):
            tile = group.add("Div")
            content = [para(figure.value, value_style, self.s, tag=tile.add("P"))]
            if figure.delta:
                content.append(words(figure.delta, roles["figure_delta"], self.s,
                                     tile.add("P")))
            content.append(para(figure.label, roles["figure_label"], self.s, tag=tile.add("P")))
            if figure.note:
                content.append(para(figure.note, roles["figure_note"], self.s,
                                    tag=tile.add("P")))
            cells += [content] if n == 0 else ["", content]
        cell = row.cell_width(self.width)
        widths = [cell if n % 2 == 0 else m.FIGURE_GAP for n in range(len(cells))]
        table = Ruled([cells], colWidths=widths)
        commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
        for column in range(0, len(cells), 2):
            commands += [
                ("BACKGROUND", (column, 0), (column, 0), _hex(row.fill)),
                ("LINEABOVE", (column, 0), (column, 0), 2, _hex(row.rule), 0),
                ("LEFTPADDING", (column, 0), (column, 0), m.FIGURE_PAD),
                ("RIGHTPADDING", (column, 0), (column, 0), m.FIGURE_PAD),
                ("TOPPADDING", (column, 0), (column, 0), m.FIGURE_PAD),
                ("BOTTOMPADDING", (column, 0), (column, 0), m.FIGURE_PAD)]
        for column in range(1, len(cells), 2):
            commands += [(side, (column, 0), (column, 0), 0)
                         for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING",
                                      "BOTTOMPADDING")]
        table.setStyle(_table_style(commands))
        table.spaceAfter = m.BOX_SPACE_AFTER
        return [table]

    def header(self, block: m.HeaderBlock) -> list[Any]:
        title = words(block.title, self.s.memo_title, self.s, self.root.add("H1"))
        fields = self.root.add("Table")
        rows = []
        for label, value in block.rows:
            row = fields.add("TR")
            rows.append([words(label, self.s.field, self.s, row.add("TH", scope="Row")),
                         para(value, self.s.field_value, self.s, tag=row.add("TD"))])
        # A long sender or many recipients continue on the next page, inside their row.
        table = Ruled(rows, colWidths=[m.FIELD_COLUMN, self.width - m.FIELD_COLUMN],
                      splitInRow=1)
        table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), m.FIELD_GAP),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, _hex(block.rule)),
        ]))
        table.spaceAfter = m.HEADER_SPACE_AFTER
        return [title, table]

    def contents(self, contents: m.Contents) -> list[Any]:
        label = words(contents.label, self.s.h2, self.s, self.root.add("H2"))
        toc = self.root.add("TOC")
        rows = []
        for heading in contents.entries:
            entry = toc.add("TOCI", label=heading.outline)
            link = f'<a href="#{heading.key}">'
            title = markup(tuple(replace(s, href=None) for s in heading.text), self.s)
            rows.append([
                para_text(span_marked(f"{link}{escape(heading.number)}&nbsp;&nbsp;{title}</a>",
                                      "link", f"#{heading.key}"),
                          text_style(heading.text, self.s.contents), entry),
                HeadingPage(heading.key, self.s.contents_page, entry)])
        table = Ruled(rows, colWidths=[self.width - m.CONTENTS_PAGE_COLUMN,
                                       m.CONTENTS_PAGE_COLUMN], splitInRow=1)
        table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, _hex(self.plan.colors.muted), 0, (0.5, 2)),
        ]))
        table.spaceAfter = m.BOX_SPACE_AFTER
        return [label, table]

    def bullets(self, items: tuple[tuple[m.Cell, int], ...], numbered: bool, start: int = 1,
                parent: Element | None = None) -> list[Text]:
        """The paragraphs of a list's items, each item's first with its marker; each item an
        LI of the list `parent` (a new L if None), a sub-item in a list inside its item."""
        out: list[Text] = []
        number = start - 1
        top = parent or self.root.add("L")
        item: Element | None = None
        inner: Element | None = None
        for pieces, level in items:
            style = self.s.sub_bullet if level else self.s.bullet
            if level == 0:
                number += 1
                item, inner = top.add("LI"), None
                entry = item
            else:
                if inner is None:
                    inner = (item or top.add("LI")).add("L")
                entry = inner.add("LI")
            label, body = entry.add("Lbl"), entry.add("LBody")
            marker = f"{number}." if numbered and level == 0 else ("–" if level else "•")
            texts = [para(spans, style, self.s, n < len(pieces) - 1, body,
                          **({"bulletText": marker} if n == 0 else {}))
                     for n, spans in enumerate(pieces)]
            texts[0].label = label
            out.extend(texts)
        return out

    def list_block(self, block: m.ListBlock) -> list[Any]:
        element = self.list or self.root.add("L")
        self.list = element if block.more else None
        paragraphs = self.bullets(block.items, block.numbered, block.start, element)
        if not block.more:
            # Space after the list goes on its last paragraph: a spacer could start a blank page.
            last = paragraphs[-1]
            last.style = ParagraphStyle(last.style.name + "-end", last.style,
                                        spaceAfter=last.style.spaceAfter + m.LIST_SPACE_AFTER)
        return paragraphs

    def bottom_line(self, block: m.BottomLine) -> list[Any]:
        box = self.root.add("Div")
        content: list[Any] = [words(block.label, self.s.label, self.s, box.add("P")),
                              para(block.headline, self.s.headline, self.s, tag=box.add("P"))]
        content.extend(paras(block.summary, self.s.body, self.s, box))
        if block.points:
            content.append(words(block.points_label, self.s.label, self.s, box.add("P")))
            content.extend(self.bullets(tuple((p, 0) for p in block.points), False, 1,
                                        box.add("L")))
        return [self.box(content, block.fill, block.accent, padding=m.PANEL_PAD)]

    def cell(self, pieces: m.Cell, style: ParagraphStyle, tag: Element) -> list[Text]:
        return [para(spans, style, self.s, n < len(pieces) - 1, tag)
                for n, spans in enumerate(pieces)]

    def grid(self, grid: m.Grid) -> Table:
        cell = self.s.sized(self.s.cell, grid.size)
        cell_right = self.s.sized(self.s.cell_right, grid.size)
        head_style = ParagraphStyle("head", self.s.sized(self.s.cell_head, grid.size),
                                    textColor=_hex(grid.header_text))
        head_right = ParagraphStyle("head-right", head_style, alignment=TA_RIGHT)
        table_tag = self.root.add("Table")
        head = table_tag.add("THead").add("TR")
        rows: list[list[Any]] = [[para(c, head_right if grid.numeric[n] else head_style, self.s,
                                       tag=head.add("TH", scope="Column"))
                                  for n, c in enumerate(grid.columns)]]
        body = table_tag.add("TBody")
        for r, row in enumerate(grid.rows):
            cells: list[Any] = []
            tr = body.add("TR")
            for c, pieces in enumerate(row):
                chip = grid.chips[r][c] if grid.chips else None
                td = tr.add("TD")
                if chip is not None:
                    made = Chip(chip, self.fonts)
                    made.tag = td
                    cells.append(made)
                else:
                    cells.append(self.cell(pieces, cell_right if grid.numeric[c] else cell, td))
            rows.append(cells)
        table = DataTable(rows, colWidths=list(grid.widths),
                          repeatRows=1 if grid.repeat_header else 0, splitInRow=1)
        table.grid, table.frame_height = grid, self.plan.frame_height
        table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), _hex(grid.header_fill)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, _hex(grid.band_fill)]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, _hex(grid.rule)),
            ("LEFTPADDING", (0, 0), (-1, -1), grid.pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), grid.pad),
            ("TOPPADDING", (0, 0), (-1, -1), m.CELL_TOP),
            ("BOTTOMPADDING", (0, 0), (-1, -1), m.CELL_BOTTOM),
        ]))
        table.spaceAfter = m.TABLE_SPACE_AFTER
        return table

    def strings(self, drawing: Drawing, x: float, y: float, text: str, anchor: str,
                color: str, bold: bool = False) -> None:
        """Text in a drawing, one String per font run, since a String has a single font."""
        size = self.plan.sizes["small"]
        width = _runs_width(text, size, self.fonts, bold)
        x -= {"start": 0.0, "middle": width / 2, "end": width}[anchor]
        for family, run in self.fonts.runs(visual(text)):
            face = self.fonts.face(family, bold)
            drawing.add(String(x, y, run, fontName=face, fontSize=size, fillColor=_hex(color)))
            x += stringWidth(run, face, size)

    def matrix(self, block: m.RiskMatrix) -> Drawing:
        size = block.size
        cell = size / 3
        drawing = Drawing(self.width, size + 44, initialFontName="Body")
        x0, y0 = (self.width - size) / 2, 34.0
        small = self.plan.sizes["small"]
        muted = self.plan.colors.muted
        for row in range(3):
            for col in range(3):
                drawing.add(Rect(x0 + col * cell, y0 + (2 - row) * cell, cell, cell,
                                 fillColor=_hex(block.tones[row][col]),
                                 strokeColor=_hex(self.plan.colors.background), strokeWidth=2))
        for n, level in enumerate(block.levels):
            self.strings(drawing, x0 + n * cell + cell / 2, y0 - 12, level, "middle", muted)
            self.strings(drawing, x0 - 6, y0 + n * cell + cell / 2 - 3, level, "end", muted)
        self.strings(drawing, x0 + size / 2, y0 - 26, block.x_label, "middle", block.text, True)
        self.strings(drawing, x0 - 52, y0 + size + 4, block.y_label, "start", block.text, True)
        levels = ("low", "medium", "high")
        seen: dict[tuple[int, int], int] = {}
        radius = min(10.0, cell / 7)
        for number, likelihood, impact in block.markers:
            col, row = levels.index(likelihood), levels.index(impact)
            k = seen.get((col, row), 0)
            seen[(col, row)] = k + 1
            per_line = max(1, int((cell - 6) // (2 * radius + 4)))
            cx = x0 + col * cell + 6 + radius + (k % per_line) * (2 * radius + 4)
            cy = y0 + (row + 1) * cell - 6 - radius - (k // per_line) * (2 * radius + 4)
            drawing.add(Circle(cx, cy, radius, fillColor=_hex(block.marker), strokeColor=None))
            drawing.add(String(cx, cy - small * 0.35, str(number),
                               fontName=self.fonts.face("Body", True), fontSize=small,
                               textAnchor="middle", fillColor=_hex(block.marker_text)))
        return drawing

    def exhibit(self, exhibit: m.Exhibit) -> list[Any]:
        out: list[Any] = []
        if exhibit.heading:
            out.append(Heading.of(exhibit.heading, self.s.h2, self.s, self.root.add("H2")))
        body = exhibit.body
        if isinstance(body, m.Grid):
            out.append(self.grid(body))
        elif isinstance(body, m.Figure):
            out.append(Marked(self.charts.drawing(body),
                              self.root.add("Figure", alt=body.description)))
        else:
            image = PlatypusImage(str(self.base / body.path), body.width, body.height)
            image.hAlign = "CENTER"
            out.append(Marked(image, self.root.add("Figure", alt=body.alt)))
        if exhibit.caption:
            out.append(para(exhibit.caption.spans, self.s.caption, self.s,
                            tag=self.root.add("Caption")))
        if exhibit.takeaway:
            box = self.callout(exhibit.takeaway)[0]
            box.spaceBefore = 4
            out.append(box)
        if exhibit.source:
            out.append(para(exhibit.source.spans, self.s.muted, self.s, tag=self.root.add("P")))
        return out

    def callout(self, callout: m.Callout) -> list[Any]:
        group = self.root.add("Div")
        content: list[Any] = []
        if callout.label:
            content.append(words(callout.label, self.s.label, self.s, group.add("P")))
        content.extend(paras(callout.paras, self.s.callout, self.s, group))
        return [self.box(content, callout.fill, callout.accent)]

    def quote(self, quote: m.Quote) -> list[Any]:
        group = self.root.add("BlockQuote")
        content: list[Any] = paras(quote.paras, self.s.quote, self.s, group)
        if quote.by:
            content.append(words("— " + quote.by, self.s.muted, self.s, group.add("P")))
        return [self.box(content, None, quote.accent)]

    def verdict(self, box: m.VerdictBox) -> list[Any]:
        group = self.root.add("Div")
        content: list[Any] = paras(box.headline, self.s.headline, self.s, group)
        content.extend(paras(box.summary, self.s.body, self.s, group))
        return [self.box(content, box.fill, box.text, padding=m.PANEL_PAD)]

    def flowables(self) -> list[Any]:
        out: list[Any] = []
        element: Element | None = None  # the paragraph the next Para piece continues
        for item in self.plan.elements:
            if isinstance(item, m.Para):
                tag = "Caption" if item.role == "caption" else "P"
                element = element or self.root.add(tag)
                out.append(para(item.spans, self.s.roles[item.role], self.s, item.continues,
                                element))
                element = element if item.continues else None
            else:
                out.extend(self.element(item))
        return out

    def element(self, element: m.Element) -> list[Any]:
        if isinstance(element, m.Break):
            return [CondPageBreak(element.need)]
        if isinstance(element, m.Heading):
            style, tag = (self.s.h1, "H1") if element.level == 1 else (self.s.h2, "H2")
            return [Heading.of(element, style, self.s, self.root.add(tag))]
        if isinstance(element, m.HeaderBlock):
            return self.header(element)
        if isinstance(element, m.BottomLine):
            return self.bottom_line(element)
        if isinstance(element, m.Contents):
            return self.contents(element)
        if isinstance(element, m.ListBlock):
            return self.list_block(element)
        if isinstance(element, m.Callout):
            return self.callout(element)
        if isinstance(element, m.Quote):
            return self.quote(element)
        if isinstance(element, m.Exhibit):
            return self.exhibit(element)
        if isinstance(element, m.VerdictBox):
            return self.verdict(element)
        if isinstance(element, m.FigureRow):
            return self.figure_row(element)
        if isinstance(element, m.RiskMatrix):
            return [Marked(self.matrix(element),
                           self.root.add("Figure", alt=element.description))]
        raise AssertionError(element)  # pragma: no cover - every element kind is handled above


def render_pdf(plan: m.MemoPlan, base: Path) -> tuple[bytes, int]:
    """The memo as PDF bytes and its page count; `base` is the folder image paths start from."""
    styles = Styles.of(plan)
    fonts = styles.fonts
    _PARSED.begin()
    buffer = io.BytesIO()
    top, right, bottom, left = plan.margins
    doc = MemoDoc(buffer, pagesize=plan.page, leftMargin=left, rightMargin=right,
                  topMargin=top, bottomMargin=bottom, title=plan.title, author=plan.author,
                  subject=plan.subject, keywords=plan.keywords, creator="briefgen",
                  producer="briefgen", invariant=1, lang=plan.lang_tag,
                  initialFontName=fonts.face("Body"), displayDocTitle=1)
    frame = Frame(left, bottom, plan.frame_width, plan.frame_height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canvas: MemoCanvas, doc: MemoDoc) -> None:
        canvas.showOutline()
        with canvas.tagger.artifact(canvas, "Pagination"):
            _furniture(canvas, plan, fonts, doc.page)

    doc.addPageTemplates([PageTemplate(id="memo", frames=[frame], onPage=on_page)])
    tagger = Tagger(plan.lang_tag, plan.title, plan.author, plan.date)
    # Streams only compressed, not also spelt out in ASCII (reportlab's default, from when
    # files went by e-mail as text): a quarter smaller, and quicker to write.
    ascii85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(Flow(plan, styles, base, tagger.root).flowables(),
                  canvasmaker=partial(MemoCanvas, date=plan.date, tagger=tagger,
                                      pdfVersion=(1, 7)))
    finally:
        rl_config.useA85 = ascii85
    _PARSED.done()
    return buffer.getvalue(), doc.page
