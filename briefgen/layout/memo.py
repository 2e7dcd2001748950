"""Brief + Theme → MemoPlan: the memo's structure, numbering, column widths and colours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen.brief.markup import RichText, Span
from briefgen.brief.model import Block, Brief, Chart, Table
from briefgen.labels import Labels, format_date, labels_for
from briefgen.layout.common import (
    confidence_value,
    is_numeric_column,
    level_score,
    mix,
    number_format,
    sort_predictions,
)
from briefgen.layout.measure import longest_word, wrap
from briefgen.theme.model import Theme

Spans = tuple[Span, ...]
PAGE_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
MIN_COLUMN = 40.0
CELL_PAD = 4.0


@dataclass(frozen=True)
class Para:
    """A paragraph in a named style of the memo: body, lead, small, muted, label, caption."""

    spans: Spans
    role: str = "body"
    keep_with_next: bool = False


@dataclass(frozen=True)
class Heading:
    text: Spans
    number: str
    level: int  # 1 for a section, 2 for a table or chart title
    key: str  # bookmark and outline key
    outline: str


@dataclass(frozen=True)
class ListBlock:
    items: tuple[tuple[Spans, int], ...]  # text and nesting level (0 or 1)
    numbered: bool = False


@dataclass(frozen=True)
class Callout:
    label: str | None
    paras: tuple[Spans, ...]
    fill: str
    accent: str


@dataclass(frozen=True)
class Quote:
    paras: tuple[Spans, ...]
    by: str | None
    accent: str


@dataclass(frozen=True)
class Grid:
    """A table with its header row, column widths in pt and per-cell fills."""

    columns: tuple[Spans, ...]
    rows: tuple[tuple[Spans, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    header_fill: str
    header_text: str
    band_fill: str
    rule: str
    cell_fills: tuple[tuple[str | None, ...], ...] = ()  # per body cell, overrides banding
    cell_colors: tuple[tuple[str | None, ...], ...] = ()  # text colour per body cell


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
    alt: str


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
    summary: tuple[Spans, ...]
    points_label: str
    points: tuple[Spans, ...]
    fill: str
    accent: str


@dataclass(frozen=True)
class VerdictBox:
    headline: tuple[Spans, ...]
    summary: tuple[Spans, ...]
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
    page_label: str  # "Page {page} of {pages}" in the brief's language
    contents_label: str
    contents_after_pages: int  # a contents list is added when the memo is longer than this
    title: str
    author: str
    subject: str
    keywords: str
    lang_tag: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def frame_width(self) -> float:
        return self.page[0] - self.margins[1] - self.margins[3]


class MemoPlanner:
    """Plans the memo of one brief under one theme."""

    def __init__(self, brief: Brief, theme: Theme,
                 image_sizes: dict[str, tuple[int, int]] | None = None) -> None:
        self.brief = brief
        self.theme = theme
        # Paper is white: a theme may give the memo its own colours (a dark deck's light memo).
        self.c = theme.colors.model_copy(update=dict(theme.memo.colors))
        self.sizes = theme.sizes.memo
        self.labels: Labels
        self.labels, warnings = labels_for(brief.meta.language, brief.meta.labels)
        self.warnings = list(warnings)
        self.image_sizes = image_sizes or {}
        self.page = PAGE_SIZES[theme.memo.page]
        top, right, bottom, left = theme.memo.margins
        self.margins = (top, right, bottom, left)
        self.width = self.page[0] - right - left
        self.counters = {"table": 0, "chart": 0}

    def label(self, key: str) -> str:
        return self.labels.get(key)

    @staticmethod
    def paras(text: RichText | None) -> tuple[Spans, ...]:
        return text.paragraphs if text else ()

    @staticmethod
    def joined(text: RichText | None) -> Spans:
        """All paragraphs of a short field as one, separated by line breaks."""
        spans: list[Span] = []
        for n, paragraph in enumerate(text.paragraphs if text else ()):
            if n:
                spans.append(Span("\n"))
            spans.extend(paragraph)
        return tuple(spans)

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
                    recipients.append(Span("; "))
                recipients.extend(self.joined(person))
            rows.append((self.label("to"), tuple(recipients)))
        if meta.sender:
            rows.append((self.label("from"), self.joined(meta.sender)))
        rows.append((self.label("date"), (Span(format_date(meta.date, self.labels.language)),)))
        rows.append((self.label("subject"), subject))
        if meta.classification:
            rows.append((self.label("classification"), (Span(meta.classification),)))
        return HeaderBlock(tuple(rows), self.label("memo"), self.c.primary)

    def bottom_line(self) -> BottomLine:
        thesis = self.brief.thesis
        return BottomLine(self.label("bottom_line"), self.joined(thesis.headline),
                          self.paras(thesis.summary), self.label("key_points"),
                          tuple(self.joined(p) for p in thesis.points),
                          mix(self.c.primary, self.c.background, 0.07), self.c.primary)

    def column_widths(self, cells: Sequence[Sequence[Spans]], size: float) -> tuple[float, ...]:
        """Column widths that sum to the frame: natural widths, squeezed toward longest words."""
        columns = len(cells[0])
        natural = [MIN_COLUMN] * columns
        least = [MIN_COLUMN] * columns
        for row in cells:
            for c, spans in enumerate(row):
                natural[c] = max(natural[c], wrap(spans, 10_000, size).widest + 2 * CELL_PAD)
                least[c] = max(least[c], min(longest_word(spans, size) + 2 * CELL_PAD, 110))
        if sum(least) > self.width:
            least = [self.width / columns] * columns
        if sum(natural) <= self.width:
            spare = self.width - sum(natural)
            return tuple(n + spare * n / sum(natural) for n in natural)
        extra = self.width - sum(least)
        want = [max(n - m, 0.0) for n, m in zip(natural, least, strict=True)]
        total = sum(want) or 1.0
        return tuple(m + extra * w / total for m, w in zip(least, want, strict=True))

    def grid(self, columns: Sequence[Spans], rows: Sequence[Sequence[Spans]],
             numeric: Sequence[bool] | None = None, **extra: object) -> Grid:
        plain_rows = [["".join(s.text for s in cell) for cell in row] for row in rows]
        if numeric is None:
            numeric = [is_numeric_column([r[c] for r in plain_rows]) if plain_rows else False
                       for c in range(len(columns))]
        widths = self.column_widths([list(columns), *rows], self.sizes.table)
        return Grid(tuple(columns), tuple(tuple(r) for r in rows), widths, tuple(numeric),
                    self.c.primary, self.c.on_primary, mix(self.c.surface, self.c.background, 0.9),
                    mix(self.c.muted, self.c.background, 0.5), **extra)  # type: ignore[arg-type]

    def exhibit_heading(self, kind: str, title: RichText | None, section: str) -> Heading:
        self.counters[kind] += 1
        number = self.counters[kind]
        label = self.labels.format(kind, number=number)
        text: Spans = (Span(label + (": " if title else "")), *self.joined(title))
        key = f"{kind}-{number}"
        return Heading(text, "", 2, key, "".join(s.text for s in text))

    def takeaway(self, text: RichText | None) -> Callout | None:
        if not text:
            return None
        return Callout(self.label("takeaway"), self.paras(text),
                       mix(self.c.accent, self.c.background, 0.08), self.c.accent)

    def source(self, text: RichText | None) -> Para | None:
        if not text:
            return None
        return Para((Span(self.labels.format("source", source=text.plain)),), "muted")

    def table(self, table: Table, section: str) -> Exhibit:
        grid = self.grid([self.joined(c) for c in table.columns],
                         [[self.joined(c) for c in row] for row in table.rows])
        return Exhibit(self.exhibit_heading("table", table.title, section), grid,
                       self.takeaway(table.takeaway), self.source(table.source))

    def chart(self, chart: Chart, section: str) -> Exhibit:
        values = [v for s in chart.series for v in s.values]
        categories = tuple(c.plain for c in chart.categories)
        height = 200.0 if chart.type != "bar" else max(160.0, 24.0 * len(categories) + 60)
        alt = f"{chart.type} chart: " + "; ".join(
            f"{s.name.plain}: " + ", ".join(f"{c} {v:g}" for c, v in zip(categories, s.values,
                                                                       strict=True))
            for s in chart.series)
        figure = Figure(chart.type, categories,
                        tuple((s.name.plain, tuple(s.values)) for s in chart.series),
                        tuple(self.c.series), number_format(values, chart.unit),
                        chart.unit or "", self.width, min(height, 320.0),
                        mix(self.c.muted, self.c.background, 0.35), self.c.text, alt)
        return Exhibit(self.exhibit_heading("chart", chart.title, section), figure,
                       self.takeaway(chart.takeaway), self.source(chart.source))

    def block(self, block: Block, section: str) -> list[Element]:
        kind, content = block.kind, block.content
        if kind == "text":
            return [Para(p) for p in content.paragraphs]
        if kind == "bullets":
            items: list[tuple[Spans, int]] = []
            for bullet in content:
                items.append((self.joined(bullet.text), 0))
                items.extend((self.joined(sub), 1) for sub in bullet.sub)
            return [ListBlock(tuple(items))]
        if kind == "numbered":
            return [ListBlock(tuple((self.joined(t), 0) for t in content), numbered=True)]
        if kind == "table":
            return [self.table(content, section)]
        if kind == "chart":
            return [self.chart(content, section)]
        if kind == "quote":
            return [Quote(self.paras(content.text), content.by.plain if content.by else None,
                          self.c.accent)]
        if kind == "callout":
            return [Callout(content.label.plain if content.label else None,
                            self.paras(content.text), mix(self.c.surface, self.c.background, 0.9),
                            self.c.accent)]
        if kind == "players":
            columns = [(Span(self.label(k)),) for k in ("name", "role", "organisation", "note")]
            rows = [[self.joined(p.name), self.joined(p.role), self.joined(p.org),
                     self.joined(p.note)] for p in content]
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

    def heading(self, number: int | str, text: Spans, key: str) -> Heading:
        title = "".join(s.text for s in text)
        number_text = f"{number}." if number != "" else ""
        return Heading(text, number_text, 1, key,
                       f"{number_text} {title}".strip())

    def risks(self, number: int) -> list[Element]:
        risks = self.brief.risks
        elements: list[Element] = [self.heading(number, (Span(self.label("risks")),), "risks")]
        chips = {"low": self.c.positive, "medium": self.c.warning, "high": self.c.negative}
        columns = [(Span(self.label("number_sign")),), (Span(self.label("risk")),),
                   (Span(self.label("likelihood")),), (Span(self.label("impact")),)]
        rows: list[list[Spans]] = []
        fills: list[tuple[str | None, ...]] = []
        colors: list[tuple[str | None, ...]] = []
        for n, risk in enumerate(risks, 1):
            text: list[Span] = [*(Span(s.text, bold=True, italic=s.italic, code=s.code,
                                       href=s.href) for s in self.joined(risk.title))]
            if risk.detail:
                text.append(Span("\n"))
                text.extend(self.joined(risk.detail))
            rows.append([(Span(str(n)),), tuple(text),
                         (Span(self.label(risk.likelihood)),) if risk.likelihood else (),
                         (Span(self.label(risk.impact)),) if risk.impact else ()])
            fills.append((None, None, chips.get(risk.likelihood or ""),
                          chips.get(risk.impact or "")))
            colors.append((None, None, self.c.on_primary if risk.likelihood else None,
                           self.c.on_primary if risk.impact else None))
        grid = self.grid(columns, rows, [False] * 4, cell_fills=tuple(fills),
                         cell_colors=tuple(colors))
        narrow = (24.0, self.width - 24.0 - 2 * 72.0, 72.0, 72.0)
        grid = Grid(grid.columns, grid.rows, narrow, grid.numeric, grid.header_fill,
                    grid.header_text, grid.band_fill, grid.rule, grid.cell_fills,
                    grid.cell_colors)
        elements.append(Exhibit(None, grid, None, None))
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
            rows.append([(Span(str(n)),), self.joined(prediction.statement),
                         (Span(prediction.horizon or ""),), (Span(shown),),
                         self.joined(prediction.signal)])
        grid = self.grid(columns, rows, [False, False, False, True, False])
        rest = self.width - 24 - 72 - 64
        widths = (24.0, rest * 0.55, 72.0, 64.0, rest * 0.45)
        grid = Grid(grid.columns, grid.rows, widths, grid.numeric, grid.header_fill,
                    grid.header_text, grid.band_fill, grid.rule)
        return [self.heading(number, (Span(self.label("predictions")),), "predictions"),
                Exhibit(None, grid, None, None)]

    def sources(self, number: int) -> list[Element]:
        items: list[tuple[Spans, int]] = []
        for source in self.brief.sources:
            url = source.url or ""
            link = url if url.lower().startswith(("http://", "https://")) else None
            spans: list[Span] = [Span(s.text, bold=True, italic=s.italic, code=s.code,
                                      href=s.href or link) for s in self.joined(source.title)]
            details = [t for t in (source.publisher.plain if source.publisher else None,
                                   format_date(source.date, self.labels.language)
                                   if source.date else None) if t]
            if details:
                spans.append(Span(". " + ", ".join(details)))
            if url:
                spans.extend([Span(". "), Span(url, href=link)])
            items.append((tuple(spans), 0))
        return [self.heading(number, (Span(self.label("sources")),), "sources"),
                ListBlock(tuple(items), numbered=True)]

    def plan(self) -> MemoPlan:
        brief = self.brief
        elements: list[Element] = [self.header(), self.bottom_line()]
        number = 0
        for index, section in enumerate(brief.sections):
            number += 1
            slug = f"section-{index}"
            elements.append(self.heading(number, self.joined(section.title), slug))
            if section.lead:
                elements.append(Para(self.joined(section.lead), "lead"))
            for block in section.blocks:
                elements.extend(self.block(block, slug))
        if brief.risks:
            number += 1
            elements.extend(self.risks(number))
        if brief.verdict:
            number += 1
            elements.append(self.heading(number, (Span(self.label("verdict")),), "verdict"))
            elements.append(VerdictBox(self.paras(brief.verdict.headline),
                                       self.paras(brief.verdict.summary),
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
            elements.extend(Para(p) for p in self.paras(conclusion.text))
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
            footer_left=format_date(meta.date, self.labels.language),
            page_label=self.labels.get("page"),
            contents_label=self.label("contents"),
            contents_after_pages=3,
            title=meta.title.plain,
            author=meta.author.plain if meta.author else "",
            subject=meta.subtitle.plain if meta.subtitle else brief.thesis.headline.plain,
            keywords=", ".join(meta.tags),
            lang_tag=meta.language,
            warnings=tuple(self.warnings),
        )


def plan_memo(brief: Brief, theme: Theme, image_sizes: dict[str, tuple[int, int]] | None = None
              ) -> tuple[MemoPlan, list[str]]:
    """Plan the memo of a brief; returns the plan and its warnings."""
    memo = MemoPlanner(brief, theme, image_sizes).plan()
    return memo, list(memo.warnings)
