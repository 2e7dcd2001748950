"""Brief + Theme → MemoPlan: the memo's structure, numbering, column widths and colours."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from briefgen.brief.markup import LINK_SCHEMES, RichText, Span
from briefgen.brief.model import Block, Brief, Chart, Table
from briefgen.labels import Labels, format_date, labels_for, punctuation
from briefgen.layout.common import (
    confidence_value,
    is_numeric_column,
    level_score,
    mix,
    number_format,
    sort_predictions,
)
from briefgen.layout.measure import has_wide, longest_word, wrap
from briefgen.layout.messages import LayoutMessage, warning
from briefgen.theme.model import Theme

Spans = tuple[Span, ...]
Cell = tuple[Spans, ...]  # one paragraph of a table cell, in chunks
LOGO_HEIGHT = 14.0  # the logo in the running header, pt
PAGE_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
MIN_COLUMN = 24.0
MAX_LEAST_COLUMN = 110.0
CELL_PAD = 4.0
CHIP_PAD = 5.0  # between a chip's rounded edge and its text
# reportlab wraps one paragraph in quadratic time: longer paragraphs go out in pieces.
CHUNK_CHARS = 1200
TALL_ROW = 200.0  # pt: a table row taller than this may be cut across pages; others move whole
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


def plain(spans: Spans) -> str:
    return "".join(s.text for s in spans)


@dataclass(frozen=True)
class Para:
    """A paragraph in a named style of the memo: body, lead, muted, caption."""

    spans: Spans
    role: str = "body"
    continues: bool = False  # the next Para is the rest of this paragraph: no space between


@dataclass(frozen=True)
class Heading:
    text: Spans
    number: str
    level: int  # 1 for a section, 2 for a table or chart title
    key: str  # bookmark and outline key
    outline: str


@dataclass(frozen=True)
class ListBlock:
    items: tuple[tuple[Cell, int], ...]  # text in chunks and nesting level (0 or 1)
    numbered: bool = False


@dataclass(frozen=True)
class Callout:
    label: str | None
    paras: tuple[Para, ...]
    fill: str
    accent: str


@dataclass(frozen=True)
class Quote:
    paras: tuple[Para, ...]  # quote marks included
    by: str | None
    accent: str


@dataclass(frozen=True)
class Chip:
    """A small rounded label in a table cell: a risk's likelihood or impact."""

    text: str
    fill: str
    border: str
    color: str


@dataclass(frozen=True)
class Grid:
    """A table with its header row, column widths in pt and per-cell chips."""

    columns: tuple[Spans, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    header_fill: str
    header_text: str
    band_fill: str
    rule: str
    chips: tuple[tuple[Chip | None, ...], ...] = ()  # per body cell, drawn instead of its text


@dataclass(frozen=True)
class Figure:
    """A chart drawn from the brief's data."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    colors: tuple[str, ...]
    number_format: str
    unit: str
    width: float
    height: float
    grid: str
    text: str


@dataclass(frozen=True)
class RiskMatrix:
    markers: tuple[tuple[int, str, str], ...]  # number, likelihood, impact
    levels: tuple[str, str, str]  # labels for low, medium, high
    x_label: str
    y_label: str
    tones: tuple[tuple[str, ...], ...]  # [row from top][column] fill
    marker: str
    marker_text: str
    text: str
    size: float


@dataclass(frozen=True)
class Picture:
    path: str
    width: float
    height: float
    alt: str


@dataclass(frozen=True)
class Exhibit:
    """A table or figure with its title, takeaway and source, kept together where possible."""

    heading: Heading | None
    body: Grid | Figure | Picture
    takeaway: Callout | None
    source: Para | None
    caption: Para | None = None


@dataclass(frozen=True)
class HeaderBlock:
    rows: tuple[tuple[str, Spans], ...]
    title: str
    rule: str


@dataclass(frozen=True)
class BottomLine:
    label: str
    headline: Spans
    summary: tuple[Para, ...]
    points_label: str
    points: tuple[Cell, ...]
    fill: str
    accent: str


@dataclass(frozen=True)
class VerdictBox:
    headline: tuple[Para, ...]
    summary: tuple[Para, ...]
    fill: str
    text: str


Element = (Para | Heading | ListBlock | Callout | Quote | Exhibit | HeaderBlock | BottomLine
           | VerdictBox | RiskMatrix)


@dataclass(frozen=True)
class Colors:
    text: str
    muted: str
    primary: str
    accent: str
    background: str
    link: str


@dataclass(frozen=True)
class MemoPlan:
    page: tuple[float, float]
    margins: tuple[float, float, float, float]  # top, right, bottom, left
    elements: tuple[Element, ...]
    colors: Colors
    sizes: dict[str, float]
    language: str  # catalogue language, picks the CJK font
    header_left: str
    header_right: str
    footer_left: str
    logo: tuple[str, float, float] | None  # path, width and height in pt, right of the header
    page_label: str  # "Page {page} of {pages}" in the brief's language
    contents_label: str
    contents_after_pages: int  # a contents list is added when the memo is longer than this
    title: str
    author: str
    subject: str
    keywords: str
    lang_tag: str
    date: str = "2000-01-01"  # the brief's date, ISO: the memo's creation date
    messages: tuple[LayoutMessage, ...] = field(default=())

    @property
    def frame_width(self) -> float:
        return self.page[0] - self.margins[1] - self.margins[3]

    @property
    def frame_height(self) -> float:
        return self.page[1] - self.margins[0] - self.margins[2]


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
        self.messages = [warning("meta.language", w) for w in warnings]
        self.image_sizes = image_sizes or {}
        self.page = PAGE_SIZES[theme.memo.page]
        top, right, bottom, left = theme.memo.margins
        self.margins = (top, right, bottom, left)
        self.width = self.page[0] - right - left
        self.counters = {"table": 0, "chart": 0}

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

    def column_widths(self, cells: Sequence[Sequence[Cell]], size: float,
                      chips: Sequence[bool] = ()) -> tuple[float, ...]:
        """Column widths that sum to the frame: natural widths, squeezed toward longest words;
        the first row is the header; a column of chips also holds their padding."""
        columns = len(cells[0])
        natural = [MIN_COLUMN] * columns
        least = [MIN_COLUMN] * columns
        for r, row in enumerate(cells):
            for c, cell in enumerate(row):
                pad = 2 * CELL_PAD + (2 * CHIP_PAD if chips and chips[c] else 0.0)
                for spans in cell:
                    width = wrap(spans, 10_000, size).widest + pad
                    natural[c] = max(natural[c], width)
                    # A CJK header could break after any character: keep it on one line.
                    wide = r == 0 and has_wide(plain(spans))
                    shortest = width if wide else longest_word(spans, size) + pad
                    least[c] = max(least[c], min(shortest, MAX_LEAST_COLUMN))
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
        widths = self.column_widths([[(c,) for c in columns], *rows], self.sizes.table,
                                    has_chips)
        return Grid(tuple(columns), tuple(tuple(r) for r in rows), widths, tuple(numeric),
                    self.c.primary, self.c.on_primary, mix(self.c.surface, self.c.background, 0.9),
                    mix(self.c.muted, self.c.background, 0.5), chips)

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
        values = [v for s in chart.series for v in s.values]
        categories = tuple(c.plain for c in chart.categories)
        height = 200.0 if chart.type != "bar" else max(160.0, 24.0 * len(categories) + 60)
        figure = Figure(chart.type, categories,
                        tuple((s.name.plain, tuple(s.values)) for s in chart.series),
                        tuple(self.c.series), number_format(values, chart.unit),
                        chart.unit or "", self.width, min(height, 320.0),
                        mix(self.c.muted, self.c.background, 0.35), self.c.text)
        return Exhibit(self.exhibit_heading("chart", chart.title), figure,
                       self.takeaway(chart.takeaway), self.source(chart.source))

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
        if kind == "image":
            width_px, height_px = self.image_sizes.get(content.path, (4, 3))
            width = min(self.width, width_px * 0.75)
            height = width * height_px / width_px
            if height > 320:
                width, height = width * 320 / height, 320.0
            caption = Para(self.joined(content.caption), "caption") if content.caption else None
            return [Exhibit(None, Picture(content.path, width, height, content.alt.plain), None,
                            None, caption)]
        raise AssertionError(kind)  # pragma: no cover - the model admits no other kinds

    def heading(self, number: int, text: Spans, key: str) -> Heading:
        return Heading(text, f"{number}.", 1, key, f"{number}. {plain(text)}")

    def chip(self, level: str) -> Chip:
        tone = {"low": self.c.positive, "medium": self.c.warning, "high": self.c.negative}[level]
        return Chip(self.label(level), mix(tone, self.c.background, 0.16),
                    mix(tone, self.c.background, 0.55), mix(tone, self.c.text, 0.5))

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
                self.c.primary, self.c.on_primary, self.c.text, min(240.0, self.width * 0.5)))
        return elements

    def predictions(self, number: int) -> list[Element]:
        columns = [(Span(self.label(k)),) for k in ("number_sign", "prediction", "horizon",
                                                     "confidence", "signal")]
        rows = []
        for n, prediction in sort_predictions(self.brief.predictions, self.brief.meta.date):
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
        if not self.theme.logo_info:
            return None
        path, width, height = self.theme.logo_info
        return path, LOGO_HEIGHT * width / height, LOGO_HEIGHT

    def plan(self) -> MemoPlan:
        brief = self.brief
        elements: list[Element] = [self.header(), self.bottom_line()]
        number = 0
        for index, section in enumerate(brief.sections):
            number += 1
            elements.append(self.heading(number, self.joined(section.title), f"section-{index}"))
            if section.lead:
                elements.append(Para(self.joined(section.lead), "lead"))
            for block in section.blocks:
                elements.extend(self.block(block))
        if brief.risks:
            number += 1
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
        meta = brief.meta
        return MemoPlan(
            page=self.page,
            margins=self.margins,
            elements=tuple(elements),
            colors=Colors(self.c.text, self.c.muted, self.c.primary, self.c.accent,
                          self.c.background, self.c.primary),
            sizes={"body": self.sizes.body, "table": self.sizes.table,
                   "heading": self.sizes.heading, "small": self.sizes.small},
            language=self.labels.language,
            header_left=meta.title.plain,
            header_right=" · ".join(t for t in (meta.classification, self.theme.footer) if t),
            logo=self.logo(),
            footer_left=self.date(meta.date),
            page_label=self.labels.get("page"),
            contents_label=self.label("contents"),
            contents_after_pages=3,
            title=meta.title.plain,
            author=meta.author.plain if meta.author else "",
            subject=meta.subtitle.plain if meta.subtitle else brief.thesis.headline.plain,
            keywords=", ".join(meta.tags),
            lang_tag=meta.language,
            date=meta.date,
            messages=tuple(self.messages),
        )


def plan_memo(brief: Brief, theme: Theme, image_sizes: dict[str, tuple[int, int]] | None = None
              ) -> tuple[MemoPlan, list[LayoutMessage]]:
    """Plan the memo of a brief; returns the plan and its layout messages."""
    memo = MemoPlanner(brief, theme, image_sizes).plan()
    return memo, list(memo.messages)
