"""MemoPlan → .pdf: reportlab platypus flowables, embedded fonts, escaped text, page furniture."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Circle, Drawing, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
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
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

from briefgen.brief.markup import Span
from briefgen.labels import NO_LINE_END, NO_LINE_START
from briefgen.layout import memo as m
from briefgen.layout.measure import has_wide, is_wide
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

Spans = tuple[Span, ...]


def _hex(color: str) -> Any:
    return HexColor("#" + color)


class Styles:
    """Paragraph styles for the memo's roles, built from the plan's sizes and colours."""

    def __init__(self, plan: m.MemoPlan, fonts: Fonts) -> None:
        c, s = plan.colors, plan.sizes
        body = s["body"]
        self.fonts = fonts
        self.link = c.link
        base = ParagraphStyle("body", fontName="Body", fontSize=body, leading=body * 1.38,
                              textColor=_hex(c.text), spaceAfter=body * 0.6, splitLongWords=1,
                              allowWidows=0, allowOrphans=0, bulletFontName="Body")
        self.body = base
        self.lead = ParagraphStyle("lead", base, fontName="Body-Semibold", fontSize=body + 1.5,
                                   leading=(body + 1.5) * 1.35, textColor=_hex(c.primary))
        self.small = ParagraphStyle("small", base, fontSize=s["small"], leading=s["small"] * 1.3)
        self.muted = ParagraphStyle("muted", self.small, textColor=_hex(c.muted), spaceAfter=6)
        self.caption = ParagraphStyle("caption", self.muted, alignment=TA_CENTER,
                                      fontName="Body-Italic")
        self.h1 = ParagraphStyle("h1", base, fontName="Body-Bold", fontSize=s["heading"],
                                 leading=s["heading"] * 1.25, textColor=_hex(c.primary),
                                 spaceBefore=s["heading"] * 1.1, spaceAfter=6)
        self.h2 = ParagraphStyle("h2", base, fontName="Body-Bold", fontSize=body + 0.5,
                                 leading=(body + 0.5) * 1.3, textColor=_hex(c.primary),
                                 spaceBefore=8, spaceAfter=4)
        self.label = ParagraphStyle("label", base, fontName="Body-Bold", fontSize=s["small"] + 0.5,
                                    leading=(s["small"] + 0.5) * 1.3, textColor=_hex(c.accent),
                                    spaceAfter=2)
        table = s["table"]
        self.cell = ParagraphStyle("cell", base, fontSize=table, leading=table * 1.3,
                                   spaceAfter=0)
        self.cell_right = ParagraphStyle("cell-right", self.cell, alignment=TA_RIGHT)
        self.cell_head = ParagraphStyle("cell-head", self.cell, fontName="Body-Bold")
        self.quote = ParagraphStyle("quote", base, fontName="Body-Italic", fontSize=body + 2,
                                    leading=(body + 2) * 1.35, textColor=_hex(c.text))
        self.headline = ParagraphStyle("headline", base, fontName="Body-Bold",
                                       fontSize=body + 3, leading=(body + 3) * 1.3,
                                       textColor=_hex(c.primary), spaceAfter=6)
        self.bullet = ParagraphStyle("bullet", base, leftIndent=16, bulletIndent=4,
                                     spaceAfter=body * 0.3)
        self.sub_bullet = ParagraphStyle("sub-bullet", self.bullet, leftIndent=32,
                                         bulletIndent=20)
        self.memo_title = ParagraphStyle("memo-title", base, fontName="Body-Bold", fontSize=20,
                                         leading=24, textColor=_hex(c.primary), spaceAfter=10)
        self.field = ParagraphStyle("field", self.cell, fontName="Body-Bold", fontSize=body - 1,
                                    textColor=_hex(c.muted))
        self.field_value = ParagraphStyle("field-value", self.cell, fontSize=body,
                                          leading=body * 1.3)
        self.contents = ParagraphStyle("contents", self.cell, fontSize=body - 0.5,
                                       leading=(body - 0.5) * 1.3)
        self.contents_page = ParagraphStyle("contents-page", self.contents, alignment=TA_RIGHT)


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    # A table sets its cells' font before drawing them, Helvetica unless told: never embedded.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), "Body"), *commands])


def _is_bold(style: ParagraphStyle) -> bool:
    return style.fontName in ("Body-Bold", "Body-BoldItalic", "Body-Semibold")


def markup(spans: Spans, styles: Styles, bold: bool = False) -> str:
    """Our own reportlab markup for user spans: every user character escaped, each run of
    characters the body font lacks set in a fallback font of the same weight."""
    fonts = styles.fonts
    out: list[str] = []
    for span in spans:
        pieces: list[str] = []
        for family, text in fonts.runs(shape_arabic(span.text), code=span.code):
            safe = escape(text).replace("\n", "<br/>")
            if family != "Body":
                face = fonts.face(family, span.bold or bold, span.italic)
                safe = f"<font name={quoteattr(face)}>{safe}</font>"
            pieces.append(safe)
        text = "".join(pieces)
        if span.bold:
            text = f"<b>{text}</b>"
        if span.italic:
            text = f"<i>{text}</i>"
        if span.href:
            text = (f"<a href={quoteattr(span.href)} color={quoteattr('#' + styles.link)}>"
                    f"<u>{text}</u></a>")
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
    lines: list[Any] = []
    start, count = 0, len(glyphs)
    while start < count:
        width = widths[min(len(lines), len(widths) - 1)]
        used, i, last_break, hard = 0.0, start, 0, False
        while i < count:
            glyph = glyphs[i]
            if hasattr(glyph.frag, "lineBreak"):
                hard = True
                break
            if i > start and _may_break(glyphs[i - 1], glyph):
                last_break = i
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
        lines.append(makeCJKParaLine(line, width, used, width - used, hard, calc_bounds))
        start = following
        while not hard and start < count and glyphs[start] == " ":
            start += 1
    return ParaLines(kind=1, lines=lines)


class Text(Paragraph):  # type: ignore[misc]
    """A paragraph; with any CJK in it, lines break by the memo's kinsoku rules."""

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


def text_style(spans: Spans, style: ParagraphStyle, continues: bool = False) -> ParagraphStyle:
    """The style a paragraph is set in: our own line breaking when it has CJK or right-to-left
    text, no space after a piece that the next paragraph continues."""
    changes: dict[str, Any] = {}
    if any(has_wide(s.text) or has_rtl(s.text) for s in spans):
        changes["wordWrap"] = "CJK"
    if continues:
        changes["spaceAfter"] = 0
    return ParagraphStyle(style.name + "-x", style, **changes) if changes else style


def para(spans: Spans, style: ParagraphStyle, styles: Styles, continues: bool = False,
         **kw: Any) -> Text:
    return Text(markup(spans, styles, _is_bold(style)), text_style(spans, style, continues), **kw)


def paras(items: Iterable[m.Para], style: ParagraphStyle, styles: Styles) -> list[Text]:
    return [para(p.spans, style, styles, p.continues) for p in items]


def words(text: str, style: ParagraphStyle, styles: Styles) -> Text:
    """A paragraph of a fixed label or other plain text."""
    return para((Span(text),), style, styles)


class Heading(Text):
    """A heading that leaves a bookmark and an outline entry, and its page for the contents."""

    def __init__(self, heading: m.Heading, style: ParagraphStyle, styles: Styles) -> None:
        text = markup(heading.text, styles, bold=True)
        if heading.number:
            text = f"{escape(heading.number)}&nbsp;&nbsp;{text}"
        super().__init__(text, text_style(heading.text, style))
        self.heading = heading


class Chip(Flowable):  # type: ignore[misc]
    """A small rounded coloured label, as a table cell's content."""

    def __init__(self, chip: m.Chip, fonts: Fonts, size: float) -> None:
        super().__init__()
        self.chip = chip
        self.fonts = fonts
        self.natural_size = self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A label wider than its column (a long word in some language) is set smaller.
        natural = _runs_width(self.chip.text, self.natural_size, self.fonts, bold=True)
        room = max(availWidth - 2 * m.CHIP_PAD, 1.0)
        self.size = max(5.0, self.natural_size * min(1.0, room / natural)) if natural else (
            self.natural_size)
        self.width = min(availWidth, _runs_width(self.chip.text, self.size, self.fonts, True)
                         + 2 * m.CHIP_PAD)
        self.height = self.size + 5
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(_hex(self.chip.fill))
        canvas.setStrokeColor(_hex(self.chip.border))
        canvas.setLineWidth(0.6)
        canvas.roundRect(0, 0, self.width, self.height, self.height / 2, stroke=1, fill=1)
        canvas.setFillColor(_hex(self.chip.color))
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


class Keep(KeepTogether):  # type: ignore[misc]
    """Keeps its flowables on one page, except that a run too long for the space left starts
    here when more than `least` points are left, rather than leaving that space empty."""

    def __init__(self, flowables: list[Any], least: float) -> None:
        super().__init__(flowables)
        self.least = least

    def split(self, aW: float, aH: float) -> list[Any]:
        if aH > self.least:
            return list(self._content)
        return list(super().split(aW, aH))


class Box(Table):  # type: ignore[misc]
    """A one-cell table around a callout, quote or verdict: only a box taller than `least`
    splits across pages, so a short one never leaves its label behind."""

    least = 0.0  # the pieces of a split box split freely

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if self.wrap(availWidth, availHeight)[1] <= self.least:
            return []
        return list(super().split(availWidth, availHeight))


class DataTable(Table):  # type: ignore[misc]
    """A data table whose rows move whole to the next page, except a row taller than
    m.TALL_ROW, which starts where it is when a good part of it fits and continues under the
    repeated header. (reportlab cuts any row that does not fit, which leaves the repeated
    header and a sliver of a row at the foot of a page.)"""

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        self._calc(availWidth, availHeight)
        used, fit = 0.0, 0
        for height in self._rowHeights:
            if used + height > availHeight:
                break
            used, fit = used + height, fit + 1
        cut = (fit < len(self._rowHeights) and self._rowHeights[fit] > m.TALL_ROW
               and availHeight - used >= m.TALL_ROW / 2)
        # The parts a split makes are of this class, and so decide for themselves again.
        self.splitByRow, self.splitInRow = (0, 1) if cut else (1, 0)
        try:
            return list(super().split(availWidth, availHeight))
        finally:
            self.splitByRow, self.splitInRow = 1, 1


class MemoCanvas(Canvas):  # type: ignore[misc]
    """A canvas that leaves a gap where a page shows a number known only once the whole memo
    is laid out (the page count, the page of a heading) and draws into the gaps on saving, so
    the memo is laid out once. What fills a gap must not change the layout around it. Pages
    still go out as they finish, since a bookmark points at the page in progress."""

    def __init__(self, *args: Any, date: str, **kw: Any) -> None:
        # reportlab dates a document from SOURCE_DATE_EPOCH when it is set, and fails on one
        # that is not a number; the memo is dated from the brief, as the deck is.
        saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
        try:
            super().__init__(*args, **kw)
        finally:
            if saved is not None:
                os.environ["SOURCE_DATE_EPOCH"] = saved
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
        super().save()


class HeadingPage(Flowable):  # type: ignore[misc]
    """The page of a heading in the contents list, right-aligned and linked to the heading:
    drawn on saving, in the room of a one-line number."""

    def __init__(self, key: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.key = key
        self.style = style

    def text(self, number: str) -> Text:
        return Text(f'<a href="#{self.key}">{number}</a>', self.style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.text("0").wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas: MemoCanvas, x: float, y: float, _sW: float = 0) -> None:
        def draw(canvas: MemoCanvas) -> None:
            text = self.text(str(canvas.heading_pages.get(self.key, "")))
            text.wrap(self.width, self.height)
            text.drawOn(canvas, x, y, _sW)

        canvas.later(draw)


class MemoDoc(BaseDocTemplate):  # type: ignore[misc]
    """Leaves a bookmark, an outline entry and the page of every heading."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            heading = flowable.heading
            top = self.frame._y + flowable.height + 4
            self.canv.bookmarkPage(heading.key, fit="XYZ", left=0, top=top)
            self.canv.addOutlineEntry(heading.outline, heading.key, level=heading.level - 1,
                                      closed=False)
            self.canv.heading_pages[heading.key] = self.page


def _running_title(plan: m.MemoPlan, fonts: Fonts) -> str:
    """The title as the running header shows it: cut short with an ellipsis to leave room for
    the classification."""
    size = plan.sizes["small"]
    logo = plan.logo[1] + 8 if plan.logo else 0.0
    room = plan.frame_width - _runs_width(plan.header_right, size, fonts) - 24 - logo
    title = plan.header_left
    if _runs_width(title, size, fonts) <= room:
        return title
    low, high = 0, len(title)  # the longest prefix that fits, found by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if _runs_width(title[:middle] + "…", size, fonts) <= room:
            low = middle
        else:
            high = middle - 1
    return title[:low].rstrip() + "…"


def _furniture(canvas: MemoCanvas, plan: m.MemoPlan, fonts: Fonts, title: str, page: int
               ) -> None:
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
    _draw_runs(canvas, left, header_y, title, size, fonts)
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


SHORT_LIST = 5  # items; a list this short is kept on one page


class Flow:
    """Turns memo elements into flowables."""

    def __init__(self, plan: m.MemoPlan, styles: Styles, base: Path, with_contents: bool
                 ) -> None:
        self.plan = plan
        self.s = styles
        self.fonts = styles.fonts
        self.base = base
        self.width = plan.frame_width
        self.third = plan.frame_height / 3
        self.with_contents = with_contents

    def keep(self, flowables: list[Any], least: float | None = None) -> KeepTogether:
        """Keep flowables together; a long run that can split may start low on a page, when
        more than `least` (a third of the page) is left."""
        if any(isinstance(f, (Drawing, PlatypusImage)) for f in flowables):
            return KeepTogether(flowables)
        return Keep(flowables, self.third if least is None else least)

    def box(self, content: list[Any], fill: str | None, accent: str | None,
            padding: float = 10) -> Table:
        table = Box([[content]], colWidths=[self.width], splitInRow=1)
        table.least = self.third
        commands: list[tuple[Any, ...]] = [
            ("LEFTPADDING", (0, 0), (-1, -1), padding + (3 if accent else 0)),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.6),
        ]
        if fill:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), _hex(fill)))
        if accent:
            # A butt cap keeps the accent bar flush with the box's top and bottom.
            commands.append(("LINEBEFORE", (0, 0), (0, -1), 3, _hex(accent), 0))
        table.setStyle(_table_style(commands))
        table.spaceAfter = 10
        return table

    def header(self, block: m.HeaderBlock) -> list[Any]:
        rows = [[words(label, self.s.field, self.s), para(value, self.s.field_value, self.s)]
                for label, value in block.rows]
        table = Table(rows, colWidths=[92, self.width - 92])
        table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, _hex(block.rule)),
        ]))
        table.spaceAfter = 14
        return [words(block.title, self.s.memo_title, self.s), table]

    def contents(self) -> list[Any]:
        rows = []
        for element in self.plan.elements:
            if isinstance(element, m.Heading) and element.level == 1:
                link = f'<a href="#{element.key}">'
                title = markup(tuple(replace(s, href=None) for s in element.text), self.s)
                rows.append([
                    Text(f"{link}{escape(element.number)}&nbsp;&nbsp;{title}</a>",
                         text_style(element.text, self.s.contents)),
                    HeadingPage(element.key, self.s.contents_page)])
        if not rows:
            return []  # a long memo of only a bottom line has no sections to list
        table = Table(rows, colWidths=[self.width - 36, 36], splitInRow=1)
        table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, _hex(self.plan.colors.muted), 0, (0.5, 2)),
        ]))
        table.spaceAfter = 10
        return [self.keep([words(self.plan.contents_label, self.s.h2, self.s), table])]

    def bullets(self, items: tuple[tuple[m.Cell, int], ...], numbered: bool) -> list[list[Any]]:
        """The paragraphs of each item of a list."""
        out = []
        number = 0
        for pieces, level in items:
            style = self.s.sub_bullet if level else self.s.bullet
            if level == 0:
                number += 1
            marker = f"{number}." if numbered and level == 0 else ("–" if level else "•")
            out.append([para(spans, style, self.s, n < len(pieces) - 1,
                             **({"bulletText": marker} if n == 0 else {}))
                        for n, spans in enumerate(pieces)])
        return out

    def list_block(self, block: m.ListBlock) -> list[Any]:
        items = self.bullets(block.items, block.numbered)
        # The last item does not stand alone at the top of a page, unless that would leave
        # more than a sixth of the page before it empty.
        tail = [self.keep([*items[-2], *items[-1]], self.third / 2)] if len(items) > 1 else (
            items[-1])
        last = items[-1][-1]
        # Space after the list goes on its last paragraph: a spacer could start a blank page.
        last.style = ParagraphStyle(last.style.name + "-end", last.style,
                                    spaceAfter=last.style.spaceAfter + 4)
        if len(items) <= SHORT_LIST:
            # A short list reads as one block: it moves whole rather than leave a line or two.
            return [self.keep([p for item in items for p in item], self.third / 2)]
        return [*(p for item in items[:-2] for p in item), *tail]

    def bottom_line(self, block: m.BottomLine) -> list[Any]:
        content: list[Any] = [words(block.label, self.s.label, self.s),
                              para(block.headline, self.s.headline, self.s)]
        content.extend(paras(block.summary, self.s.body, self.s))
        if block.points:
            content.append(words(block.points_label, self.s.label, self.s))
            for item in self.bullets(tuple((p, 0) for p in block.points), False):
                content.extend(item)
        return [self.box(content, block.fill, block.accent, padding=12)]

    def cell(self, pieces: m.Cell, style: ParagraphStyle) -> list[Text]:
        return [para(spans, style, self.s, n < len(pieces) - 1)
                for n, spans in enumerate(pieces)]

    def grid(self, grid: m.Grid) -> Table:
        head_style = ParagraphStyle("head", self.s.cell_head, textColor=_hex(grid.header_text))
        head_right = ParagraphStyle("head-right", head_style, alignment=TA_RIGHT)
        rows: list[list[Any]] = [[para(c, head_right if grid.numeric[n] else head_style, self.s)
                                  for n, c in enumerate(grid.columns)]]
        for r, row in enumerate(grid.rows):
            cells: list[Any] = []
            for c, pieces in enumerate(row):
                chip = grid.chips[r][c] if grid.chips else None
                if chip is not None:
                    cells.append(Chip(chip, self.fonts, self.plan.sizes["table"] - 0.5))
                else:
                    cells.append(self.cell(pieces,
                                           self.s.cell_right if grid.numeric[c] else self.s.cell))
            rows.append(cells)
        table = DataTable(rows, colWidths=list(grid.widths), repeatRows=1, splitInRow=1)
        table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), _hex(grid.header_fill)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, _hex(grid.band_fill)]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, _hex(grid.rule)),
            ("LEFTPADDING", (0, 0), (-1, -1), m.CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), m.CELL_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        table.spaceAfter = 6
        return table

    def face_for(self, texts: Iterable[str], bold: bool = False) -> str:
        """The face of the first family with the most glyphs of texts: chart labels take one."""
        needed = {ord(ch) for text in texts for ch in text if not ch.isspace()}
        chain = self.fonts.chain
        if needed <= self.fonts.coverage[chain[0]]:
            return self.fonts.face(chain[0], bold)  # without loading the fallback fonts
        family = max(chain, key=lambda f: (len(needed & self.fonts.coverage[f]), -chain.index(f)))
        return self.fonts.face(family, bold)

    def figure(self, figure: m.Figure) -> Drawing:
        # A drawing's text starts out in Helvetica, which is never embedded.
        drawing = Drawing(figure.width, figure.height, initialFontName="Body")
        size = self.plan.sizes["small"]
        fmt = _formatter(figure.number_format)
        colors = [_hex(c) for c in figure.colors]
        body = self.fonts.face("Body")
        legend = self.legend(figure, colors, size)
        legend_h = legend.y + 4 if legend else 0
        if figure.kind == "pie":
            chart: Any = Pie()
            chart.width = chart.height = figure.height - legend_h - 30
            chart.x = (figure.width - chart.width) / 2
            chart.y = legend_h + 12
            chart.data = list(figure.series[0][1])
            chart.labels = [fmt(v) for v in chart.data]
            chart.simpleLabels = 1
            chart.slices.fontName = body
            chart.slices.fontSize = size
            chart.slices.strokeColor = _hex(self.plan.colors.background)
            for n in range(len(chart.data)):
                chart.slices[n].fillColor = colors[n % len(colors)]
                chart.slices[n].labelRadius = 1.18
        else:
            if figure.kind == "bar":
                chart = HorizontalBarChart()
            elif figure.kind == "column":
                chart = VerticalBarChart()
            else:
                chart = HorizontalLineChart()
            chart.x = 60 if figure.kind == "bar" else 40
            chart.y = legend_h + 24
            chart.width = figure.width - chart.x - (40 if figure.kind == "bar" else 20)
            chart.height = figure.height - chart.y - 12
            chart.data = [list(values) for _, values in figure.series]
            names = [visual(c if len(c) < 22 else c[:20] + "…") for c in figure.categories]
            chart.categoryAxis.categoryNames = names
            chart.categoryAxis.labels.fontSize = size
            for n, name in enumerate(names):
                chart.categoryAxis.labels[n].fontName = self.face_for([name])
            chart.categoryAxis.strokeColor = _hex(figure.grid)
            # Category labels sit at the chart's edge, not on a zero line among negative bars.
            chart.categoryAxis.joinAxisMode = "left" if figure.kind == "bar" else "bottom"
            chart.valueAxis.labels.fontName = body
            chart.valueAxis.labels.fontSize = size
            chart.valueAxis.labelTextFormat = fmt
            chart.valueAxis.strokeColor = _hex(figure.grid)
            chart.valueAxis.visibleGrid = 1
            chart.valueAxis.gridStrokeColor = _hex(figure.grid)
            chart.valueAxis.gridStrokeWidth = 0.3
            # Round the axis out to whole ticks so no bar ends on the chart's edge.
            chart.valueAxis.rangeRound = "both"
            if min(v for _, vs in figure.series for v in vs) >= 0:
                chart.valueAxis.valueMin = 0
            if figure.kind == "bar":
                chart.categoryAxis.reverseDirection = 1
                chart.categoryAxis.labels.boxAnchor = "e"
            for n in range(len(figure.series)):
                if figure.kind == "line":
                    chart.lines[n].strokeColor = colors[n % len(colors)]
                    chart.lines[n].strokeWidth = 2
                else:
                    chart.bars[n].fillColor = colors[n % len(colors)]
                    chart.bars[n].strokeColor = None
            if figure.kind == "line":
                labels = chart.lineLabels
                # Values on a long line would overlap: the grid carries them instead.
                chart.lineLabelFormat = fmt if len(figure.categories) <= 8 else None
            else:
                labels = chart.barLabels
                chart.barLabelFormat = fmt
            labels.fontName = body
            labels.fontSize = size - 0.5
            if figure.kind != "line":
                # A value label starts just beyond its bar's end (reportlab flips the anchor
                # of a negative bar's label to the side away from zero).
                labels.nudge = 3
                labels.boxAnchor = "w" if figure.kind == "bar" else "s"
        drawing.add(chart)
        if legend:
            drawing.add(legend)
        return drawing

    def legend(self, figure: m.Figure, colors: list[Any], size: float) -> Legend | None:
        """The legend of a pie or a chart of several series, in as many columns as fit."""
        if figure.kind != "pie" and len(figure.series) < 2:
            return None
        names = [visual(name if len(name) <= 40 else name[:39] + "…") for name in (
            figure.categories if figure.kind == "pie" else [n for n, _ in figure.series])]
        legend = Legend()
        legend.colorNamePairs = [(colors[n % len(colors)], name) for n, name in enumerate(names)]
        legend.fontName = self.face_for(names)
        legend.fontSize = size
        legend.dx = legend.dy = 7
        legend.deltax = max(stringWidth(n, legend.fontName, size) for n in names) + 30
        legend.deltay = size + 5
        columns = max(1, min(len(names), int((figure.width - 10) // legend.deltax)))
        legend.columnMaximum = -(-len(names) // columns)
        legend.x = 10
        legend.y = legend.columnMaximum * legend.deltay + 4
        legend.alignment = "right"
        legend.boxAnchor = "nw"
        return legend

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
            out.append(Heading(exhibit.heading, self.s.h2, self.s))
        body = exhibit.body
        if isinstance(body, m.Grid):
            out.append(self.grid(body))
        elif isinstance(body, m.Figure):
            out.append(self.figure(body))
        else:
            image = PlatypusImage(str(self.base / body.path), body.width, body.height)
            image.hAlign = "CENTER"
            out.append(image)
        if exhibit.caption:
            out.append(para(exhibit.caption.spans, self.s.caption, self.s))
        if exhibit.takeaway:
            box = self.callout(exhibit.takeaway)[0]
            box.spaceBefore = 4
            out.append(box)
        if exhibit.source:
            out.append(para(exhibit.source.spans, self.s.muted, self.s))
        return [self.keep(out)]

    def callout(self, callout: m.Callout) -> list[Any]:
        content: list[Any] = []
        if callout.label:
            content.append(words(callout.label, self.s.label, self.s))
        content.extend(paras(callout.paras, ParagraphStyle("callout", self.s.body, spaceAfter=3),
                             self.s))
        return [self.box(content, callout.fill, callout.accent)]

    def quote(self, quote: m.Quote) -> list[Any]:
        content: list[Any] = paras(quote.paras, self.s.quote, self.s)
        if quote.by:
            content.append(words("— " + quote.by, self.s.muted, self.s))
        return [self.box(content, None, quote.accent)]

    def verdict(self, box: m.VerdictBox) -> list[Any]:
        content: list[Any] = paras(box.headline, self.s.headline, self.s)
        content.extend(paras(box.summary, self.s.body, self.s))
        return [self.box(content, box.fill, box.text, padding=12)]

    def flowables(self) -> list[Any]:
        out: list[Any] = []
        pending: list[Any] = []  # headings and leads waiting to be kept with what follows
        for element in self.plan.elements:
            if isinstance(element, m.Heading):
                style = self.s.h1 if element.level == 1 else self.s.h2
                pending.append(Heading(element, style, self.s))
                continue
            if isinstance(element, m.Para) and element.role == "lead":
                pending.append(para(element.spans, self.s.lead, self.s))
                continue
            parts = self.element(element)
            if pending and parts:
                first, rest = parts[0], parts[1:]
                group = list(first._content) if isinstance(first, KeepTogether) else [first]
                parts = [self.keep([*pending, *group]), *rest]
                pending = []
            out.extend(parts)
        out.extend(pending)
        return out

    def element(self, element: m.Element) -> list[Any]:
        if isinstance(element, m.HeaderBlock):
            return self.header(element)
        if isinstance(element, m.BottomLine):
            found = self.bottom_line(element)
            if self.with_contents:
                found.extend(self.contents())
            return found
        if isinstance(element, m.Para):
            style = {"body": self.s.body, "muted": self.s.muted,
                     "caption": self.s.caption}[element.role]
            return [para(element.spans, style, self.s, element.continues)]
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
        if isinstance(element, m.RiskMatrix):
            return [self.matrix(element)]
        raise AssertionError(element)  # pragma: no cover - every element kind is handled above


def _formatter(number_format: str) -> Any:
    decimals = number_format.split('"')[0].count("0") - 1
    suffix = number_format.split('"')[1] if '"' in number_format else ""

    def fmt(value: float) -> str:
        return f"{value:,.{max(decimals, 0)}f}{suffix}"

    return fmt


def _build(plan: m.MemoPlan, base: Path, with_contents: bool) -> tuple[bytes, int]:
    fonts = register(plan.language)
    styles = Styles(plan, fonts)
    buffer = io.BytesIO()
    top, right, bottom, left = plan.margins
    doc = MemoDoc(buffer, pagesize=plan.page, leftMargin=left, rightMargin=right,
                  topMargin=top, bottomMargin=bottom, title=plan.title, author=plan.author,
                  subject=plan.subject, keywords=plan.keywords, creator="briefgen",
                  producer="briefgen", invariant=1, lang=plan.lang_tag,
                  initialFontName=fonts.face("Body"), displayDocTitle=1)
    frame = Frame(left, bottom, plan.frame_width, plan.frame_height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    title = _running_title(plan, fonts)

    def on_page(canvas: MemoCanvas, doc: MemoDoc) -> None:
        canvas.showOutline()
        _furniture(canvas, plan, fonts, title, doc.page)

    doc.addPageTemplates([PageTemplate(id="memo", frames=[frame], onPage=on_page)])
    doc.build(Flow(plan, styles, base, with_contents).flowables(),
              canvasmaker=partial(MemoCanvas, date=plan.date))
    return buffer.getvalue(), doc.page


def _likely_pages(plan: m.MemoPlan) -> float:
    """A rough page count: a page holds ~3,000 characters of text (a CJK character takes the
    room of two), a chart, picture or risk matrix takes its height, and every element some
    space around it."""
    per_character = plan.frame_height / 3000

    def points(value: Any) -> float:
        if isinstance(value, Span):
            return (len(value.text) + sum(map(is_wide, value.text))) * per_character
        if isinstance(value, (m.Figure, m.Picture)):
            return value.height
        if isinstance(value, m.RiskMatrix):
            return value.size + 44
        if isinstance(value, (tuple, list)):
            return sum(points(item) for item in value)
        if hasattr(value, "__dataclass_fields__"):
            return sum(points(getattr(value, name)) for name in value.__dataclass_fields__)
        return 0.0

    return (points(plan.elements) + 20 * len(plan.elements)) / plan.frame_height


def render_pdf(plan: m.MemoPlan, base: Path) -> tuple[bytes, int]:
    """The memo as PDF bytes and its page count; `base` is the folder image paths start from."""
    # Whether the memo has a contents list depends on its page count, which the list itself
    # changes: it is guessed, and only a memo that contradicts the guess is built again with
    # the other choice. Where both choices hold (the list alone makes the memo long) the guess
    # stands; where neither does, the memo keeps the list. So it is built at most twice.
    limit = plan.contents_after_pages
    with_contents = _likely_pages(plan) > limit
    data, pages = _build(plan, base, with_contents)
    if (pages > limit) != with_contents:
        other, other_pages = _build(plan, base, not with_contents)
        if (other_pages > limit) != with_contents or not with_contents:
            data, pages = other, other_pages
    return data, pages
