"""MemoPlan → .pdf: reportlab platypus flowables, embedded fonts, escaped text, page furniture."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Circle, Drawing, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Image as PlatypusImage
from reportlab.platypus.tableofcontents import TableOfContents

from briefgen.brief.markup import Span
from briefgen.layout import memo as m
from briefgen.layout.measure import is_wide
from briefgen.render.fonts import register, runs_by_font

Spans = tuple[Span, ...]


def _hex(color: str) -> Any:
    return HexColor("#" + color)


class Styles:
    """Paragraph styles for the memo's roles, built from the plan's sizes and colours."""

    def __init__(self, plan: m.MemoPlan, chain: tuple[str, ...]) -> None:
        c, s = plan.colors, plan.sizes
        body = s["body"]
        self.chain = chain
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
                                 spaceBefore=s["heading"] * 1.1, spaceAfter=6, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", base, fontName="Body-Bold", fontSize=body + 0.5,
                                 leading=(body + 0.5) * 1.3, textColor=_hex(c.primary),
                                 spaceBefore=8, spaceAfter=4, keepWithNext=1)
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
        self.toc = [ParagraphStyle("toc1", base, leftIndent=0, spaceAfter=2)]


def markup(spans: Spans, styles: Styles, color: str | None = None) -> str:
    """Our own reportlab markup for user spans: every user character escaped."""
    out: list[str] = []
    for span in spans:
        pieces: list[str] = []
        for font, text in runs_by_font(span.text, styles.chain):
            safe = escape(text).replace("\n", "<br/>")
            if span.code and font == styles.chain[0]:
                safe = f'<font name="Code">{safe}</font>'
            elif font != styles.chain[0]:
                safe = f'<font name="{font}">{safe}</font>'
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
    result = "".join(out)
    return f'<font color="#{color}">{result}</font>' if color else result


def _wrap_style(spans: Spans, style: ParagraphStyle) -> ParagraphStyle:
    text = "".join(s.text for s in spans)
    wide = sum(1 for ch in text if is_wide(ch))
    if wide and wide * 3 >= len(text):
        return ParagraphStyle(style.name + "-cjk", style, wordWrap="CJK")
    return style


def para(spans: Spans, style: ParagraphStyle, styles: Styles, **kw: Any) -> Paragraph:
    return Paragraph(markup(spans, styles), _wrap_style(spans, style), **kw)


class Heading(Paragraph):  # type: ignore[misc]
    """A heading that leaves a bookmark, an outline entry and a contents entry."""

    def __init__(self, heading: m.Heading, style: ParagraphStyle, styles: Styles) -> None:
        text = markup(heading.text, styles)
        if heading.number:
            text = f"{escape(heading.number)}&nbsp;&nbsp;{text}"
        super().__init__(text, _wrap_style(heading.text, style))
        self.heading = heading


class MemoDoc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: io.BytesIO, plan: m.MemoPlan, **kw: Any) -> None:
        super().__init__(buffer, **kw)
        self.plan = plan

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            heading = flowable.heading
            self.canv.bookmarkPage(heading.key)
            self.canv.addOutlineEntry(heading.outline, heading.key, level=heading.level - 1,
                                      closed=False)
            if heading.level == 1:
                self.notify("TOCEntry", (0, escape(heading.outline), self.page, heading.key))


def _numbered_canvas(plan: m.MemoPlan, chain: tuple[str, ...]) -> type[Canvas]:
    """A canvas that draws the running header and 'Page X of Y' once the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _text(self, x: float, y: float, text: str, size: float, align: str) -> None:
            width = 0.0
            runs = runs_by_font(text, chain)
            for font, run in runs:
                width += self.stringWidth(run, font, size)
            x = x - width if align == "right" else x
            for font, run in runs:
                self.setFont(font, size)
                self.drawString(x, y, run)
                x += self.stringWidth(run, font, size)

        def _furniture(self, total: int) -> None:
            width, height = plan.page
            top, right, bottom, left = plan.margins
            size = plan.sizes["small"]
            self.saveState()
            self.setFillColor(_hex(plan.colors.muted))
            self.setStrokeColor(_hex(plan.colors.muted))
            self.setLineWidth(0.4)
            header_y = height - top + 18
            title = plan.header_left
            if len(title) > 90:
                title = title[:87].rstrip() + "…"
            self._text(left, header_y, title, size, "left")
            self._text(width - right, header_y, plan.header_right, size, "right")
            self.line(left, header_y - 5, width - right, header_y - 5)
            footer_y = bottom - 28
            self._text(left, footer_y, plan.footer_left, size, "left")
            label = plan.page_label.format(page=self._pageNumber, pages=total)
            self._text(width - right, footer_y, label, size, "right")
            self.restoreState()

    return NumberedCanvas


class Flow:
    """Turns memo elements into flowables."""

    def __init__(self, plan: m.MemoPlan, styles: Styles, base: Path) -> None:
        self.plan = plan
        self.s = styles
        self.base = base
        self.width = plan.frame_width

    def box(self, content: list[Any], fill: str | None, accent: str | None,
            padding: float = 10) -> Table:
        table = Table([[content]], colWidths=[self.width], splitInRow=1)
        commands: list[tuple[Any, ...]] = [
            ("LEFTPADDING", (0, 0), (-1, -1), padding + (3 if accent else 0)),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.6),
        ]
        if fill:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), _hex(fill)))
        if accent:
            commands.append(("LINEBEFORE", (0, 0), (0, -1), 3, _hex(accent)))
        table.setStyle(TableStyle(commands))
        table.spaceAfter = 10
        return table

    def header(self, block: m.HeaderBlock) -> list[Any]:
        rows = [[Paragraph(escape(label.upper() if label.isascii() else label), self.s.field),
                 para(value, self.s.field_value, self.s)] for label, value in block.rows]
        table = Table(rows, colWidths=[92, self.width - 92])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, _hex(block.rule)),
        ]))
        table.spaceAfter = 14
        return [Paragraph(escape(block.title), self.s.memo_title), table]

    def bullets(self, items: tuple[tuple[Spans, int], ...], numbered: bool) -> list[Any]:
        out = []
        number = 0
        for spans, level in items:
            style = self.s.sub_bullet if level else self.s.bullet
            if level == 0:
                number += 1
            marker = f"{number}." if numbered and level == 0 else ("–" if level else "•")
            out.append(para(spans, style, self.s, bulletText=marker))
        return out

    def bottom_line(self, block: m.BottomLine) -> list[Any]:
        content: list[Any] = [Paragraph(escape(block.label), self.s.label),
                              para(block.headline, self.s.headline, self.s)]
        content.extend(para(p, self.s.body, self.s) for p in block.summary)
        if block.points:
            content.append(Paragraph(escape(block.points_label), self.s.label))
            content.extend(self.bullets(tuple((p, 0) for p in block.points), False))
        return [self.box(content, block.fill, block.accent, padding=12)]

    def grid(self, grid: m.Grid) -> Table:
        head_style = ParagraphStyle("head", self.s.cell_head, textColor=_hex(grid.header_text))
        head = [para(c, head_style, self.s) for c in grid.columns]
        rows: list[list[Any]] = [head]
        for r, row in enumerate(grid.rows):
            cells = []
            for c, spans in enumerate(row):
                style = self.s.cell_right if grid.numeric[c] else self.s.cell
                color = grid.cell_colors[r][c] if grid.cell_colors else None
                if color:
                    style = ParagraphStyle("chip", style, textColor=_hex(color),
                                           fontName="Body-Bold", alignment=TA_CENTER)
                cells.append(para(spans, style, self.s))
            rows.append(cells)
        table = Table(rows, colWidths=list(grid.widths), repeatRows=1, splitInRow=1)
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), _hex(grid.header_fill)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, _hex(grid.band_fill)]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, _hex(grid.rule)),
            ("LEFTPADDING", (0, 0), (-1, -1), m.CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), m.CELL_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        for r, fills in enumerate(grid.cell_fills, 1):
            for c, fill in enumerate(fills):
                if fill:
                    commands.append(("BACKGROUND", (c, r), (c, r), _hex(fill)))
        table.setStyle(TableStyle(commands))
        table.spaceAfter = 6
        return table

    def figure(self, figure: m.Figure) -> Drawing:
        drawing = Drawing(figure.width, figure.height)
        legend_h = 22 if figure.kind == "pie" or len(figure.series) > 1 else 0
        size = self.plan.sizes["small"]
        fmt = _formatter(figure.number_format)
        colors = [_hex(c) for c in figure.colors]
        if figure.kind == "pie":
            chart: Any = Pie()
            chart.width = chart.height = figure.height - legend_h - 30
            chart.x = (figure.width - chart.width) / 2
            chart.y = legend_h + 12
            chart.data = list(figure.series[0][1])
            chart.labels = [fmt(v) for v in chart.data]
            chart.simpleLabels = 1
            chart.slices.fontName = "Body"
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
            chart.width = figure.width - chart.x - 20
            chart.height = figure.height - chart.y - 12
            chart.data = [list(values) for _, values in figure.series]
            chart.categoryAxis.categoryNames = [c if len(c) < 22 else c[:20] + "…"
                                                for c in figure.categories]
            chart.categoryAxis.labels.fontName = "Body"
            chart.categoryAxis.labels.fontSize = size
            chart.categoryAxis.strokeColor = _hex(figure.grid)
            chart.valueAxis.labels.fontName = "Body"
            chart.valueAxis.labels.fontSize = size
            chart.valueAxis.labelTextFormat = fmt
            chart.valueAxis.strokeColor = _hex(figure.grid)
            chart.valueAxis.visibleGrid = 1
            chart.valueAxis.gridStrokeColor = _hex(figure.grid)
            chart.valueAxis.gridStrokeWidth = 0.3
            low = min(min(v for _, vs in figure.series for v in vs), 0)
            chart.valueAxis.valueMin = low
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
                chart.lineLabelFormat = fmt
            else:
                labels = chart.barLabels
                chart.barLabelFormat = fmt
            labels.fontName = "Body"
            labels.fontSize = size - 0.5
            if figure.kind != "line":
                labels.nudge = 7
        drawing.add(chart)
        if legend_h:
            legend = Legend()
            names = (figure.categories if figure.kind == "pie"
                     else tuple(name for name, _ in figure.series))
            legend.colorNamePairs = [(colors[n % len(colors)], name[:40])
                                     for n, name in enumerate(names)]
            legend.fontName = "Body"
            legend.fontSize = size
            legend.x = 10
            legend.y = legend_h - 4
            legend.alignment = "right"
            legend.columnMaximum = 1
            legend.deltax = max(60, min(160, figure.width / max(1, len(names))))
            legend.dx = legend.dy = 7
            legend.boxAnchor = "nw"
            drawing.add(legend)
        return drawing

    def matrix(self, block: m.RiskMatrix) -> Drawing:
        label_w = 56.0
        size = block.size
        cell = size / 3
        drawing = Drawing(self.width, size + 44)
        x0, y0 = (self.width - size) / 2, 34.0
        small = self.plan.sizes["small"]
        for row in range(3):
            for col in range(3):
                drawing.add(Rect(x0 + col * cell, y0 + (2 - row) * cell, cell, cell,
                                 fillColor=_hex(block.tones[row][col]),
                                 strokeColor=_hex(self.plan.colors.background), strokeWidth=2))
        for n, level in enumerate(block.levels):
            drawing.add(String(x0 + n * cell + cell / 2, y0 - 12, level, fontName="Body",
                               fontSize=small, textAnchor="middle",
                               fillColor=_hex(self.plan.colors.muted)))
            drawing.add(String(x0 - 6, y0 + n * cell + cell / 2 - 3, level, fontName="Body",
                               fontSize=small, textAnchor="end",
                               fillColor=_hex(self.plan.colors.muted)))
        drawing.add(String(x0 + size / 2, y0 - 26, block.x_label, fontName="Body-Bold",
                           fontSize=small, textAnchor="middle", fillColor=_hex(block.text)))
        drawing.add(String(x0 - label_w + 4, y0 + size + 4, block.y_label, fontName="Body-Bold",
                           fontSize=small, fillColor=_hex(block.text)))
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
            drawing.add(String(cx, cy - small * 0.35, str(number), fontName="Body-Bold",
                               fontSize=small, textAnchor="middle",
                               fillColor=_hex(block.marker_text)))
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
            out.append(Spacer(1, 4))
            out.extend(self.callout(exhibit.takeaway))
        if exhibit.source:
            out.append(para(exhibit.source.spans, self.s.muted, self.s))
        if isinstance(body, m.Grid) and len(body.rows) > 12:
            return [CondPageBreak(120), *out]
        return [KeepTogether(out)]

    def callout(self, callout: m.Callout) -> list[Any]:
        content: list[Any] = []
        if callout.label:
            content.append(Paragraph(escape(callout.label), self.s.label))
        content.extend(para(p, ParagraphStyle("callout", self.s.body, spaceAfter=3), self.s)
                       for p in callout.paras)
        return [self.box(content, callout.fill, callout.accent)]

    def quote(self, quote: m.Quote) -> list[Any]:
        content: list[Any] = []
        for n, spans in enumerate(quote.paras):
            if n == 0:
                spans = (Span("“"), *spans)
            if n == len(quote.paras) - 1:
                spans = (*spans, Span("”"))
            content.append(para(spans, self.s.quote, self.s))
        if quote.by:
            content.append(para((Span("— " + quote.by),), self.s.muted, self.s))
        return [self.box(content, None, quote.accent)]

    def verdict(self, box: m.VerdictBox) -> list[Any]:
        content: list[Any] = [para(p, self.s.headline, self.s) for p in box.headline]
        content.extend(para(p, self.s.body, self.s) for p in box.summary)
        return [self.box(content, box.fill, box.text, padding=12)]

    def flowables(self, contents: bool) -> list[Any]:
        out: list[Any] = []
        pending: list[Any] = []  # headings and leads waiting to be kept with what follows
        for element in self.plan.elements:
            if isinstance(element, m.Heading) or (isinstance(element, m.Para)
                                                   and element.role == "lead"):
                if isinstance(element, m.Heading):
                    style = self.s.h1 if element.level == 1 else self.s.h2
                    pending.append(Heading(element, style, self.s))
                else:
                    pending.append(para(element.spans, self.s.lead, self.s))
                continue
            start = len(out)
            self.element(element, out, contents)
            if pending and len(out) > start:
                out[start:start + 1] = [KeepTogether([*pending, out[start]])]
                pending = []
        out.extend(pending)
        return out

    def element(self, element: m.Element, out: list[Any], contents: bool) -> None:
        if isinstance(element, m.HeaderBlock):
            out.extend(self.header(element))
        elif isinstance(element, m.BottomLine):
            out.extend(self.bottom_line(element))
            if contents:
                toc = TableOfContents()
                toc.levelStyles = self.s.toc
                toc.dotsMinLevel = 0
                out.extend([Paragraph(escape(self.plan.contents_label), self.s.h2), toc])
        elif isinstance(element, m.Para):
            style = {"body": self.s.body, "lead": self.s.lead, "muted": self.s.muted,
                     "caption": self.s.caption, "small": self.s.small}[element.role]
            out.append(para(element.spans, style, self.s))
        elif isinstance(element, m.ListBlock):
            out.extend(self.bullets(element.items, element.numbered))
            out.append(Spacer(1, 4))
        elif isinstance(element, m.Callout):
            out.extend(self.callout(element))
        elif isinstance(element, m.Quote):
            out.extend(self.quote(element))
        elif isinstance(element, m.Exhibit):
            out.extend(self.exhibit(element))
        elif isinstance(element, m.VerdictBox):
            out.extend(self.verdict(element))
        elif isinstance(element, m.RiskMatrix):
            out.append(self.matrix(element))


def _formatter(number_format: str) -> Any:
    decimals = number_format.split('"')[0].count("0") - 1
    suffix = number_format.split('"')[1] if '"' in number_format else ""

    def fmt(value: float) -> str:
        return f"{value:,.{max(decimals, 0)}f}{suffix}"

    return fmt


def _build(plan: m.MemoPlan, base: Path, contents: bool) -> tuple[bytes, int]:
    chain = register(plan.language)
    styles = Styles(plan, chain)
    buffer = io.BytesIO()
    top, right, bottom, left = plan.margins
    doc = MemoDoc(buffer, plan, pagesize=plan.page, leftMargin=left, rightMargin=right,
                  topMargin=top, bottomMargin=bottom, title=plan.title, author=plan.author,
                  subject=plan.subject, keywords=plan.keywords, creator="briefgen",
                  producer="briefgen", invariant=1, lang=plan.lang_tag)
    frame = Frame(left, bottom, plan.frame_width, plan.page[1] - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="memo", frames=[frame])])
    canvas_class = _numbered_canvas(plan, chain)

    def on_first(canvas: Canvas, _doc: Any) -> None:
        canvas.setViewerPreference("DisplayDocTitle", "true")
        canvas.showOutline()
        catalog = canvas._doc.Catalog
        catalog.Lang = PDFString(plan.lang_tag)
        if "Lang" not in catalog.__NoDefault__:
            catalog.__NoDefault__ = [*catalog.__NoDefault__, "Lang"]

    doc.pageTemplates[0].beforeDrawPage = on_first
    story = Flow(plan, styles, base).flowables(contents)
    if contents:
        doc.multiBuild(story, canvasmaker=canvas_class)
    else:
        doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue(), doc.page


def render_pdf(plan: m.MemoPlan, base: Path) -> tuple[bytes, int]:
    """The memo as PDF bytes and its page count; `base` is the folder image paths start from."""
    data, pages = _build(plan, base, contents=False)
    if pages > plan.contents_after_pages:
        data, pages = _build(plan, base, contents=True)
    return data, pages
