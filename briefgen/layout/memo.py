"""Brief + Theme → MemoPlan: the memo's structure, numbering, text styles, column widths,
chart geometry, running header and colours; page breaks are placed by memo_pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from msgspec.structs import replace

from briefgen.brief.markup import LINK_SCHEMES, RichText, Span
from briefgen.brief.model import Block, Brief, Chart, Table
from briefgen.brief.model import KeyFigure as BriefFigure
from briefgen.labels import Labels, format_date, labels_for, punctuation
from briefgen.layout.common import (
    confidence_value,
    is_numeric_column,
    level_score,
    mix,
)
from briefgen.layout.measure import has_wide
from briefgen.layout.memo_charts import FigurePlanner
from briefgen.layout.memo_metrics import (
    TextStyle,
    fit_text,
    longest_word,
    spans_width,
    text_width,
)
from briefgen.layout.memo_pages import TALL_ROW, Measure, paginate
from briefgen.layout.memo_plan import (
    CELL_PAD,
    CHIP_PAD,
    FIGURE_PAD,
    FIGURE_VALUE_MAX,
    LOGO_HEIGHT,
    BottomLine,
    Callout,
    Cell,
    Chip,
    Colors,
    Contents,
    Element,
    Exhibit,
    FigureRow,
    Grid,
    HeaderBlock,
    Heading,
    KeyFigure,
    ListBlock,
    MemoPlan,
    Para,
    Picture,
    Quote,
    RiskMatrix,
    Spans,
    VerdictBox,
)
from briefgen.layout.messages import LayoutMessage, note, warning
from briefgen.theme.model import MemoSizes, Theme

PAGE_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
MIN_COLUMN = 24.0
TABLE_FLOOR = 6.0  # pt: the smallest table text, for a table of many columns on a narrow page
CONTENTS_AFTER_PAGES = 3  # a memo longer than this gets a contents list
MAX_LEAST_COLUMN = 110.0
# A column whose values are all at most this share of the frame wide ("18-24 months", "12%")
# keeps each value on one line while the table still fits.
SHORT_VALUES = 0.16
# reportlab wraps one paragraph in quadratic time: longer paragraphs go out in pieces.
CHUNK_CHARS = 1200
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]* +|[。！？][」』”’）]*")
_LINKABLE = LINK_SCHEMES  # the same addresses become links in the deck and the memo


def chunks(spans: Spans, limit: int = CHUNK_CHARS) -> tuple[Spans, ...]:
    """A paragraph in pieces of at most about `limit` characters, cut after a sentence where
    there is one, else after a space, else anywhere."""
    text = "".join(s.text for s in spans)
    if len(text) <= limit:
        return (spans,)
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    cuts: list[int] = []
    start = 0
    while len(text) - start > limit:
        inside = [e for e in ends if start < e <= start + limit]
        cut = inside[-1] if inside else text.rfind(" ", start + 1, start + limit) + 1
        cuts.append(cut if cut > start else start + limit)
        start = cuts[-1]
    pieces: list[list[Span]] = [[]]
    offset = 0
    for span in spans:
        begin = 0
        while cuts and cuts[0] < offset + len(span.text):
            at = cuts.pop(0) - offset
            if at > begin:
                pieces[-1].append(replace(span, text=span.text[begin:at]))
            pieces.append([])
            begin = at
        if begin < len(span.text):
            pieces[-1].append(replace(span, text=span.text[begin:]))
        offset += len(span.text)
    return tuple(tuple(p) for p in pieces if p)


def http_links(spans: Iterable[Span]) -> Spans:
    """The spans with every link outside http, https and mailto turned into plain text."""
    return tuple(s if s.href is None or s.href.lower().startswith(_LINKABLE)
                 else replace(s, href=None) for s in spans)


def _lines(spans: Spans) -> list[Spans]:
    """The spans cut at their line breaks."""
    lines: list[list[Span]] = [[]]
    for span in spans:
        for n, text in enumerate(span.text.split("\n")):
            if n:
                lines.append([])
            if text:
                lines[-1].append(replace(span, text=text))
    return [tuple(line) for line in lines]


def plain(spans: Spans) -> str:
    return "".join(s.text for s in spans)


def text_styles(sizes: MemoSizes) -> dict[str, TextStyle]:
    """The memo's paragraph styles by role, from the theme's sizes."""
    body, small, table, heading = sizes.body, sizes.small, sizes.table, sizes.heading
    return {
        "body": TextStyle("Body", body, body * 1.38, 0, body * 0.6),
        "lead": TextStyle("Body-Semibold", body + 1.5, (body + 1.5) * 1.35, 0, body * 0.6),
        "small": TextStyle("Body", small, small * 1.3, 0, body * 0.6),
        "muted": TextStyle("Body", small, small * 1.3, 0, 6),
        "caption": TextStyle("Body-Italic", small, small * 1.3, 0, 6),
        "h1": TextStyle("Body-Bold", heading, heading * 1.25, heading * 1.1, 6),
        "h2": TextStyle("Body-Bold", body + 0.5, (body + 0.5) * 1.3, 8, 4),
        "label": TextStyle("Body-Bold", small + 0.5, (small + 0.5) * 1.3, 0, 2),
        "cell": TextStyle("Body", table, table * 1.3),
        "cell_head": TextStyle("Body-Bold", table, table * 1.3),
        "quote": TextStyle("Body-Italic", body + 2, (body + 2) * 1.35, 0, body * 0.6),
        "headline": TextStyle("Body-Bold", body + 3, (body + 3) * 1.3, 0, 6),
        "callout": TextStyle("Body", body, body * 1.38, 0, 3),
        "bullet": TextStyle("Body", body, body * 1.38, 0, body * 0.3, 16),
        "sub_bullet": TextStyle("Body", body, body * 1.38, 0, body * 0.3, 32),
        "memo_title": TextStyle("Body-Bold", 20, 24, 0, 10),
        "field": TextStyle("Body-Bold", body - 1, table * 1.3),
        "field_value": TextStyle("Body", body, body * 1.3),
        "contents": TextStyle("Body", body - 0.5, (body - 0.5) * 1.3),
        # A big number's parts; its value's size is the figure row's.
        "figure_value": TextStyle("Body-Bold", FIGURE_VALUE_MAX, FIGURE_VALUE_MAX * 1.15),
        "figure_delta": TextStyle("Body-Bold", small + 0.5, (small + 0.5) * 1.3, 2),
        "figure_label": TextStyle("Body", body - 0.5, (body - 0.5) * 1.3, 3),
        "figure_note": TextStyle("Body", small, small * 1.3, 3),
    }


class MemoPlanner:
    """Plans the memo of one brief under one theme."""

    def __init__(self, brief: Brief, theme: Theme,
                 image_sizes: dict[str, tuple[int, int]] | None = None) -> None:
        self.brief = brief
        self.theme = theme
        # Paper is white: a theme may give the memo its own colours (a dark deck's light memo).
        self.c = theme.colors.model_copy(update={str(k): v for k, v in theme.memo.colors.items()})
        self.sizes = theme.sizes.memo
        self.labels: Labels
        self.labels, warnings = labels_for(brief.meta.language, brief.meta.labels)
        self.punct = punctuation(self.labels.language)
        self.messages: list[LayoutMessage] = [warning("meta.language", w) for w in warnings]
        self.key = ""  # where in the brief the block being planned is
        self.image_sizes = image_sizes or {}
        self.page = PAGE_SIZES[theme.memo.page]
        top, right, bottom, left = theme.memo.margins
        self.margins = (top, right, bottom, left)
        self.width = self.page[0] - right - left
        self.counters = {"table": 0, "chart": 0}
        self.styles = text_styles(self.sizes)
        self.frame_height = self.page[1] - top - bottom

    def label(self, key: str) -> str:
        return self.labels.get(key)

    def date(self, value: str) -> str:
        return format_date(value, self.labels.language)

    @staticmethod
    def flow(text: RichText | Iterable[Spans] | None, role: str = "body") -> tuple[Para, ...]:
        """Paragraphs as Paras, each long one in several pieces that continue each other."""
        paragraphs = text.paragraphs if isinstance(text, RichText) else (text or ())
        out: list[Para] = []
        for spans in paragraphs:
            pieces = chunks(http_links(spans))
            out.extend(Para(p, role, n < len(pieces) - 1) for n, p in enumerate(pieces))
        return tuple(out)

    @staticmethod
    def joined(text: RichText | None) -> Spans:
        """All paragraphs of a short field as one, separated by line breaks."""
        spans: list[Span] = []
        for n, paragraph in enumerate(text.paragraphs if text else ()):
            if n:
                spans.append(Span("\n"))
            spans.extend(paragraph)
        return http_links(spans)

    def cell(self, text: RichText | Spans | None) -> Cell:
        return chunks(text if isinstance(text, tuple) else self.joined(text))

    def header(self) -> HeaderBlock:
        meta = self.brief.meta
        subject = self.joined(meta.title)
        if meta.subtitle:
            subject = (*subject, Span(" — "), *self.joined(meta.subtitle))
        rows: list[tuple[str, Spans]] = []
        if meta.to:
            recipients: list[Span] = []
            for n, person in enumerate(meta.to):
                if n:
                    recipients.append(Span(self.punct.semicolon))
                recipients.extend(self.joined(person))
            rows.append((self.label("to"), tuple(recipients)))
        if meta.sender:
            rows.append((self.label("from"), self.joined(meta.sender)))
        rows.append((self.label("date"), (Span(self.date(meta.date)),)))
        rows.append((self.label("subject"), subject))
        if meta.classification:
            rows.append((self.label("classification"), (Span(meta.classification),)))
        # Memo field names are set in capitals; upper() leaves scripts without case alone.
        return HeaderBlock(tuple((label.upper(), value) for label, value in rows),
                           self.label("memo"), self.c.primary)

    def bottom_line(self) -> BottomLine:
        thesis = self.brief.thesis
        return BottomLine(self.label("bottom_line"), self.joined(thesis.headline),
                          self.flow(thesis.summary), self.label("key_points"),
                          tuple(self.cell(p) for p in thesis.points),
                          mix(self.c.primary, self.c.background, 0.07), self.c.primary)

    def column_widths(self, cells: Sequence[Sequence[Cell]], size: float, pad: float,
                      chips: Sequence[bool] = ()) -> tuple[float, ...]:
        """Column widths that sum to the frame: natural widths, squeezed toward longest words;
        the first row is the header; a column of chips also holds their padding."""
        columns = len(cells[0])
        natural = [MIN_COLUMN] * columns
        least = [MIN_COLUMN] * columns
        values = [0.0] * columns  # the widest body value of each column, on one line
        for r, row in enumerate(cells):
            face = "Body-Bold" if r == 0 else "Body"
            for c, cell in enumerate(row):
                room = 2 * pad + (2 * CHIP_PAD if chips and chips[c] else 0.0)
                for spans in cell:
                    width = max((spans_width(line, size, face) for line in _lines(spans)),
                                default=0.0) + room
                    natural[c] = max(natural[c], width)
                    values[c] = max(values[c], width) if r else values[c]
                    # A CJK header could break after any character: keep it on one line.
                    wide = r == 0 and has_wide(plain(spans))
                    shortest = width if wide else longest_word(spans, size, face) + room
                    least[c] = max(least[c], min(shortest, MAX_LEAST_COLUMN))
        unbroken = [max(m, v) if v <= SHORT_VALUES * self.width else m
                    for m, v in zip(least, values, strict=True)]
        if sum(unbroken) <= self.width:
            least = unbroken
        if sum(least) > self.width:
            least = [self.width / columns] * columns
        if sum(natural) <= self.width:
            spare = self.width - sum(natural)
            return tuple(n + spare * n / sum(natural) for n in natural)
        extra = self.width - sum(least)
        want = [max(n - m, 0.0) for n, m in zip(natural, least, strict=True)]
        total = sum(want) or 1.0
        return tuple(m + extra * w / total for m, w in zip(least, want, strict=True))

    def grid(self, columns: Sequence[Spans], rows: Sequence[Sequence[Cell]],
             numeric: Sequence[bool] | None = None,
             chips: tuple[tuple[Chip | None, ...], ...] = ()) -> Grid:
        if numeric is None:
            numeric = [is_numeric_column([" ".join(plain(p) for p in r[c]) for r in rows])
                       if rows else False for c in range(len(columns))]
        has_chips = [any(row[c] for row in chips) for c in range(len(columns))] if chips else []
        # Many columns on a narrow page: smaller text and padding, so every column keeps room
        # for a few letters.
        share = self.width / len(columns)
        size = max(TABLE_FLOOR, min(self.sizes.table, share / 3))
        pad = min(CELL_PAD, max(1.0, (share - 2 * size) / 2))
        if size < self.sizes.table:
            self.messages.append(note(self.key, f"{len(columns)} columns set at {size:.1f} pt "
                                      "to fit the page"))
        widths = self.column_widths([[(c,) for c in columns], *rows], size, pad, has_chips)
        fitted = tuple(tuple(None if chip is None else self.fitted_chip(chip, w - 2 * pad)
                             for chip, w in zip(row, widths, strict=True)) for row in chips)
        grid = Grid(tuple(columns), tuple(tuple(r) for r in rows), widths, tuple(numeric),
                    self.c.primary, self.c.on_primary, mix(self.c.surface, self.c.background, 0.9),
                    mix(self.c.muted, self.c.background, 0.5), fitted, size, pad)
        return self.grid_breaks(grid)

    def grid_breaks(self, grid: Grid) -> Grid:
        """Where a table may break: rows move whole to the next page, except a tall row (or
        one that would not fit a page under the header), which may be cut; the header is
        repeated on each page unless it would take a quarter of one."""
        measure = Measure(self.styles, self.width, self.frame_height)
        header = measure.header_row(grid)
        repeat = header <= self.frame_height / 4
        room = self.frame_height * 0.9 - (header if repeat else 0.0)
        cut = tuple(h > TALL_ROW or h > room for h in measure.rows(grid))
        return replace(grid, cut_rows=cut, least_cut=TALL_ROW / 2, repeat_header=repeat)

    def exhibit_heading(self, kind: str, title: RichText | None) -> Heading:
        self.counters[kind] += 1
        number = self.counters[kind]
        label = self.labels.format(kind, number=number)
        text: Spans = (Span(label + (self.punct.colon if title else "")), *self.joined(title))
        return Heading(text, "", 2, f"{kind}-{number}", plain(text))

    def takeaway(self, text: RichText | None) -> Callout | None:
        if not text:
            return None
        return Callout(self.label("takeaway"), self.flow(text),
                       mix(self.c.accent, self.c.background, 0.08), self.c.accent)

    def source(self, text: RichText | None) -> Para | None:
        if not text:
            return None
        return Para((Span(self.labels.format("source", source=text.plain)),), "muted")

    def table(self, table: Table) -> Exhibit:
        grid = self.grid([self.joined(c) for c in table.columns],
                         [[self.cell(c) for c in row] for row in table.rows])
        return Exhibit(self.exhibit_heading("table", table.title), grid,
                       self.takeaway(table.takeaway), self.source(table.source))

    def chart(self, chart: Chart) -> Exhibit:
        planner = FigurePlanner(self.c, self.width, self.frame_height, self.sizes.small)
        figure, warnings = planner.figure(chart)
        self.messages.extend(warning(self.key, text) for text in warnings)
        heading = self.exhibit_heading("chart", chart.title)
        if figure.spec.title_unit:
            unit = figure.spec.title_unit
            heading = replace(heading, text=(*heading.text, Span(f" ({unit})")))
        return Exhibit(heading, figure, self.takeaway(chart.takeaway), self.source(chart.source))

    def figure_row(self, figures: Sequence[BriefFigure]) -> FigureRow:
        """Big numbers in a row, their values at the largest size (at most FIGURE_VALUE_MAX)
        at which every one fits its cell on one line, down to the body size."""
        row = FigureRow(tuple(KeyFigure(self.joined(f.value), self.joined(f.label),
                                        f.delta or "", self.joined(f.note)) for f in figures),
                        FIGURE_VALUE_MAX, mix(self.c.surface, self.c.background, 0.9),
                        self.c.primary)
        room = row.cell_width(self.width) - 2 * FIGURE_PAD
        size = FIGURE_VALUE_MAX
        while size > self.sizes.body and any(
                spans_width(f.value, size, "Body-Bold") > room for f in row.figures):
            size -= 1
        return replace(row, value_size=size)

    def quote(self, text: RichText, by: RichText | None) -> Quote:
        opening, closing = self.punct.quotes
        paragraphs = list(text.paragraphs) or [()]
        paragraphs[0] = (Span(opening), *paragraphs[0])
        paragraphs[-1] = (*paragraphs[-1], Span(closing))
        return Quote(self.flow(paragraphs), by.plain if by else None, self.c.accent)

    def block(self, block: Block) -> list[Element]:
        kind, content = block.kind, block.content
        if kind == "text":
            return list(self.flow(content))
        if kind == "bullets":
            items: list[tuple[Cell, int]] = []
            for bullet in content:
                items.append((self.cell(bullet.text), 0))
                items.extend((self.cell(sub), 1) for sub in bullet.sub)
            return [ListBlock(tuple(items))]
        if kind == "numbered":
            return [ListBlock(tuple((self.cell(t), 0) for t in content), numbered=True)]
        if kind == "table":
            return [self.table(content)]
        if kind == "chart":
            return [self.chart(content)]
        if kind == "quote":
            return [self.quote(content.text, content.by)]
        if kind == "callout":
            return [Callout(content.label.plain if content.label else None,
                            self.flow(content.text), mix(self.c.surface, self.c.background, 0.9),
                            self.c.accent)]
        if kind == "players":
            columns = [(Span(self.label(k)),) for k in ("name", "role", "organisation", "note")]
            rows = [[self.cell(p.name), self.cell(p.role), self.cell(p.org), self.cell(p.note)]
                    for p in content]
            return [Exhibit(None, self.grid(columns, rows, [False] * 4), None, None)]
        if kind == "figures":
            return [self.figure_row(content)]
        if kind == "image":
            width_px, height_px = self.image_sizes.get(content.path, (4, 3))
            width = min(self.width, width_px * 0.75)
            height = width * height_px / width_px
            tallest = min(320.0, self.frame_height * 0.75)
            if height > tallest:
                width, height = width * tallest / height, tallest
            caption = Para(self.joined(content.caption), "caption") if content.caption else None
            return [Exhibit(None, Picture(content.path, width, height, content.alt.plain), None,
                            None, caption)]
        raise AssertionError(kind)  # pragma: no cover - the model admits no other kinds

    def heading(self, number: int, text: Spans, key: str) -> Heading:
        return Heading(text, f"{number}.", 1, key, f"{number}. {plain(text)}")

    def chip(self, level: str) -> Chip:
        tone = {"low": self.c.positive, "medium": self.c.warning, "high": self.c.negative}[level]
        return Chip(self.label(level), mix(tone, self.c.background, 0.16),
                    mix(tone, self.c.background, 0.55), mix(tone, self.c.text, 0.5),
                    self.sizes.table - 0.5)

    @staticmethod
    def fitted_chip(chip: Chip, room: float) -> Chip:
        """A chip whose label is set smaller where it is wider than its column (a long word in
        some language), down to 5 pt."""
        natural = text_width(chip.text, "Body-Bold", chip.size)
        fits = max(room - 2 * CHIP_PAD, 1.0)
        return chip if natural <= fits else replace(
            chip, size=max(5.0, chip.size * fits / natural))

    def risks(self, number: int) -> list[Element]:
        risks = self.brief.risks
        elements: list[Element] = [self.heading(number, (Span(self.label("risks")),), "risks")]
        columns = [(Span(self.label(k)),) for k in ("number_sign", "risk", "likelihood", "impact")]
        rows: list[list[Cell]] = []
        chips: list[tuple[Chip | None, ...]] = []
        for n, risk in enumerate(risks, 1):
            text: list[Span] = [replace(s, bold=True) for s in self.joined(risk.title)]
            if risk.detail:
                text.append(Span("\n"))
                text.extend(self.joined(risk.detail))
            levels = (risk.likelihood, risk.impact)
            rows.append([self.cell((Span(str(n)),)), self.cell(tuple(text)),
                         *(self.cell((Span(self.label(v), bold=True),) if v else ())
                           for v in levels)])
            chips.append((None, None, *(self.chip(v) if v else None for v in levels)))
        elements.append(Exhibit(None, self.grid(columns, rows, [False] * 4, tuple(chips)),
                                None, None))
        rated = tuple((n, r.likelihood, r.impact) for n, r in enumerate(risks, 1)
                      if r.likelihood and r.impact)
        if rated:
            tones = []
            for impact in ("high", "medium", "low"):
                row = []
                for likelihood in ("low", "medium", "high"):
                    score = level_score(likelihood) + level_score(impact)
                    tone = (self.c.positive if score <= 1 else self.c.warning if score == 2
                            else self.c.negative)
                    row.append(mix(tone, self.c.background, 0.22))
                tones.append(tuple(row))
            elements.append(RiskMatrix(
                rated, (self.label("low"), self.label("medium"), self.label("high")),
                self.label("likelihood_axis"), self.label("impact_axis"), tuple(tones),
                self.c.primary, self.c.on_primary, self.c.text, min(240.0, self.width * 0.5),
                f"{self.label('likelihood_axis')} / {self.label('impact_axis')}: " + "; ".join(
                    f"{n}: {self.label(li)} / {self.label(im)}" for n, li, im in rated)))
        return elements

    def predictions(self, number: int) -> list[Element]:
        columns = [(Span(self.label(k)),) for k in ("number_sign", "prediction", "horizon",
                                                     "confidence", "signal")]
        rows = []
        for n, prediction in enumerate(self.brief.predictions, 1):
            value = confidence_value(prediction.confidence)
            conf = prediction.confidence
            shown = (self.label(conf) if isinstance(conf, str)
                     else f"{round(value * 100)}%" if value is not None else "")
            rows.append([self.cell((Span(str(n)),)), self.cell(prediction.statement),
                         self.cell((Span(prediction.horizon or ""),)), self.cell((Span(shown),)),
                         self.cell(prediction.signal)])
        grid = self.grid(columns, rows, [False, False, False, True, False])
        return [self.heading(number, (Span(self.label("predictions")),), "predictions"),
                Exhibit(None, grid, None, None)]

    def sources(self, number: int) -> list[Element]:
        items: list[tuple[Cell, int]] = []
        for source in self.brief.sources:
            url = source.url or ""
            link = url if url.lower().startswith(("http://", "https://")) else None
            spans: list[Span] = [replace(s, bold=True, href=s.href or link)
                                 for s in self.joined(source.title)]
            details = [t for t in (source.publisher.plain if source.publisher else None,
                                   self.date(source.date) if source.date else None) if t]
            if details:
                spans.append(Span(self.punct.period + self.punct.comma.join(details)))
            if url:
                spans.extend([Span(self.punct.period), Span(url, href=link)])
            items.append((self.cell(tuple(spans)), 0))
        return [self.heading(number, (Span(self.label("sources")),), "sources"),
                ListBlock(tuple(items), numbered=True)]

    def logo(self) -> tuple[str, float, float] | None:
        """The logo at the header's height, no wider than a quarter of the line."""
        if not self.theme.logo_info:
            return None
        path, width, height = self.theme.logo_info
        scale = min(LOGO_HEIGHT / height, self.width / 4 / width)
        return path, width * scale, height * scale

    def running_header(self, logo: tuple[str, float, float] | None) -> tuple[str, str]:
        """The running header's title and classification, each shortened to fit: the
        classification takes at most half the line, the title what is left."""
        size = self.sizes.small
        line = self.width - (logo[1] + 8 if logo else 0.0) - 24
        right = " · ".join(t for t in (self.brief.meta.classification, self.theme.footer) if t)
        right = fit_text(right, line / 2, size)
        room = line - text_width(right, "Body", size)
        return fit_text(self.brief.meta.title.plain, room, size), right

    def plan(self) -> MemoPlan:
        brief = self.brief
        elements: list[Element] = [self.header(), self.bottom_line()]
        number = 0
        for index, section in enumerate(brief.sections):
            number += 1
            elements.append(self.heading(number, self.joined(section.title), f"section-{index}"))
            if section.lead:
                elements.append(Para(self.joined(section.lead), "lead"))
            for at, block in enumerate(section.blocks):
                if not block.shown_in("memo"):
                    continue
                self.key = f"sections[{index}].blocks[{at}].{block.kind}"
                elements.extend(self.block(block))
        if brief.risks:
            number += 1
            self.key = "risks"
            elements.extend(self.risks(number))
        if brief.verdict:
            number += 1
            elements.append(self.heading(number, (Span(self.label("verdict")),), "verdict"))
            elements.append(VerdictBox(self.flow(brief.verdict.headline),
                                       self.flow(brief.verdict.summary),
                                       mix(self.c.primary, self.c.background, 0.07),
                                       self.c.primary))
        if brief.predictions:
            number += 1
            self.key = "predictions"
            elements.extend(self.predictions(number))
        conclusion = brief.conclusion
        if conclusion and (conclusion.text or conclusion.title):
            number += 1
            title = self.joined(conclusion.title) or (Span(self.label("conclusion")),)
            elements.append(self.heading(number, title, "conclusion"))
            elements.extend(self.flow(conclusion.text))
        if brief.sources:
            number += 1
            elements.extend(self.sources(number))
        placed, pages = self.pages(elements)
        meta = brief.meta
        logo = self.logo()
        header_left, header_right = self.running_header(logo)
        return MemoPlan(
            page=self.page,
            margins=self.margins,
            elements=placed,
            colors=Colors(self.c.text, self.c.muted, self.c.primary, self.c.accent,
                          self.c.background, self.c.primary),
            styles=self.styles,
            sizes={"body": self.sizes.body, "table": self.sizes.table,
                   "heading": self.sizes.heading, "small": self.sizes.small},
            language=self.labels.language,
            header_left=header_left,
            header_right=header_right,
            logo=logo,
            footer_left=self.date(meta.date),
            page_label=self.labels.get("page"),
            title=meta.title.plain,
            author=meta.author.plain if meta.author else "",
            subject=meta.subtitle.plain if meta.subtitle else brief.thesis.headline.plain,
            keywords=", ".join(meta.tags),
            lang_tag=meta.language,
            date=meta.date,
            pages=pages,
            messages=tuple(self.messages),
        )

    def pages(self, elements: list[Element]) -> tuple[tuple[Element, ...], int]:
        """The elements with their page breaks, and the page count; a memo longer than
        CONTENTS_AFTER_PAGES pages gets a contents list after its bottom line."""
        measure = Measure(self.styles, self.width, self.frame_height)
        placed, pages = paginate(elements, measure)
        entries = tuple(e for e in elements if isinstance(e, Heading) and e.level == 1)
        if pages <= CONTENTS_AFTER_PAGES or not entries:
            return placed, pages
        at = next(n for n, e in enumerate(elements) if isinstance(e, BottomLine)) + 1
        contents = Contents(self.label("contents"), entries)
        return paginate([*elements[:at], contents, *elements[at:]], measure)


def plan_memo(brief: Brief, theme: Theme, image_sizes: dict[str, tuple[int, int]] | None = None
              ) -> tuple[MemoPlan, list[LayoutMessage]]:
    """Plan the memo of a brief; returns the plan and its layout messages."""
    memo = MemoPlanner(brief, theme, image_sizes).plan()
    return memo, list(memo.messages)
