"""Brief + Theme → DeckPlan: which slides exist and where every measured box goes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from briefgen.brief.markup import RichText, Span
from briefgen.brief.model import (
    Block,
    Brief,
    Callout,
    Chart,
    Image,
    Player,
    Prediction,
    Quote,
    Risk,
    Section,
    Table,
)
from briefgen.labels import Labels, format_date, labels_for
from briefgen.layout import plan
from briefgen.layout.common import (
    confidence_value,
    is_numeric_column,
    level_score,
    mix,
    number_format,
    sort_predictions,
)
from briefgen.layout.measure import Measured, line_height, longest_word, wrap
from briefgen.layout.messages import LayoutMessage, note, unique, warning
from briefgen.theme.model import DECK_FONT_METRICS, Theme

MARGIN = 48.0
LOGO_H = 26.0
# Usual layout names of PowerPoint's default master, tried in order for each slide kind.
TEMPLATE_LAYOUTS = {
    "title": ("Title Slide",),
    "content": ("Title Only", "Title and Content"),
}
GAP = 12.0
CELL_PAD_X = 6.0
CELL_PAD_Y = 4.0
MIN_COLUMN = 44.0
CHART_MIN = 180.0
IMAGE_MIN = 110.0
TITLE_SHARE = 0.25  # of the slide's height, the most a title at its floor size may take

ImageSizes = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class PredictionColumns:
    """Widths of the predictions table's columns, pt."""

    number: float
    text: float
    horizon: float
    confidence: float
    label: float  # the confidence label beside its bar


@dataclass(frozen=True)
class Piece:
    """A measured unit of slide body: text pieces merge into one box, others draw themselves."""

    height: float
    gap: float = GAP
    para: plan.Para | None = None
    group: int = -1
    draw: Callable[[float, float, float, float], list[plan.Item]] | None = None
    keep_with_next: bool = False
    # Given the room left, returns the part that fits (or None) and the rest (or None).
    split: Callable[[float], tuple[Piece | None, Piece | None]] | None = None
    min_head: float = 0.0
    flexible: bool = False  # a chart or image: shrinks to the room left instead of splitting
    key: str = ""  # where in the brief the piece comes from, for layout messages
    # What planning the piece had to say; kept only if the attempt the piece is part of is.
    messages: tuple[LayoutMessage, ...] = ()
    split_key: str = ""  # the parts of one split table share it, to say how many slides it took


class DeckPlanner:
    """Plans the slides of one brief under one theme."""

    def __init__(self, brief: Brief, theme: Theme, image_sizes: ImageSizes | None = None) -> None:
        self.brief = brief
        self.theme = theme
        self.c = theme.colors
        self.s = theme.sizes.deck
        self.fonts = theme.fonts.deck
        self.labels: Labels
        self.labels, warnings = labels_for(brief.meta.language, brief.meta.labels)
        self.messages: list[LayoutMessage] = [warning("meta.language", w) for w in warnings]
        self.image_sizes = image_sizes or {}
        self.template = theme.template_info
        self.width = 960.0 if theme.deck.aspect == "16:9" else 720.0
        self.height = 540.0
        if self.template:
            self.width, self.height = self.template.width, self.template.height
        self.layouts: dict[str, str | None] = {}
        self.logo = theme.logo_info
        # A logo stands at the top right of every slide; titles keep clear of it.
        self.logo_w = (LOGO_H * self.logo[1] / self.logo[2]) if self.logo else 0.0
        self.content_w = self.width - 2 * MARGIN
        self.body_bottom = self.height - 40.0
        self.kind = ""  # the slide kind being planned, for template layouts
        self.continuation_room = self.body_bottom - 150  # set per flow by flow_slides
        self.family = DECK_FONT_METRICS[self.fonts.body]
        self.heading_family = DECK_FONT_METRICS[self.fonts.heading]
        self._group = 0
        self.date_text = format_date(brief.meta.date, self.labels.language)

    # ---- styles -------------------------------------------------------------------------

    def style(self, size: float, color: str | None = None, *, bold: bool = False,
              italic: bool = False, heading: bool = False) -> plan.Style:
        return plan.Style(
            font=self.fonts.heading if heading else self.fonts.body,
            size=size,
            color=color or self.c.text,
            bold=bold,
            italic=italic,
            east_asian=self.fonts.east_asian,
            code_font=self.fonts.code,
            line_spacing=self.s.line_spacing,
        )

    def measure(self, spans: tuple[Span, ...], width: float, style: plan.Style) -> float:
        family = DECK_FONT_METRICS[style.font]
        styled = self._styled(spans, style)
        return wrap(styled, width, style.size, family, style.line_spacing).height

    @staticmethod
    def _styled(spans: tuple[Span, ...], style: plan.Style) -> tuple[Span, ...]:
        if not (style.bold or style.italic):
            return spans
        return tuple(replace(s, bold=s.bold or style.bold, italic=s.italic or style.italic)
                     for s in spans)

    def wrapped(self, para: plan.Para, width: float) -> Measured:
        style = para.style
        return wrap(self._styled(para.spans, style), width - para.indent, style.size,
                    DECK_FONT_METRICS[style.font], style.line_spacing)

    def paras_height(self, paras: Sequence[plan.Para], width: float) -> float:
        return sum(p.space_before + self.measure(p.spans, width - p.indent, p.style)
                   for p in paras)

    def split_paras(self, paras: Sequence[plan.Para], width: float, room: float
                    ) -> tuple[list[plan.Para], list[plan.Para]]:
        """The paragraphs that fit `room`, the last cut between lines, and the rest."""
        used = 0.0
        for n, para in enumerate(paras):
            height = para.space_before + self.measure(para.spans, width - para.indent,
                                                      para.style)
            if used + height <= room + 0.01:
                used += height
                continue
            measured = self.wrapped(para, width)
            per_line = line_height(para.style.size, para.style.line_spacing)
            fit = int((room - used - para.space_before) / per_line + 1e-6)
            rest = list(paras[n + 1:])
            if fit <= 0:
                return list(paras[:n]), [replace(para, space_before=0.0), *rest]
            lines, joins = measured.lines, measured.joins
            head = self._lines_para(para, lines[:fit], joins[:fit - 1])
            tail = self._lines_para(replace(para, bullet=None, space_before=0.0), lines[fit:],
                                    joins[fit:])
            return [*paras[:n], head], [tail, *rest]
        return list(paras), []

    def cut_to_lines(self, para: plan.Para, width: float, max_lines: int
                     ) -> tuple[plan.Para, bool]:
        """The paragraph within `max_lines` lines, ending in an ellipsis where it was cut."""
        measured = self.wrapped(para, width)
        if len(measured.lines) <= max_lines:
            return para, False
        lines = list(measured.lines[:max_lines])
        last = list(lines[-1])
        while True:
            while last and not last[-1].text.rstrip():
                last.pop()
            if last:
                last[-1] = replace(last[-1], text=last[-1].text.rstrip())
            ended = (*last, replace(last[-1], text="…", href=None) if last else Span("…"))
            if not last or len(self.wrapped(replace(para, spans=ended), width).lines) <= 1:
                break
            last[-1] = replace(last[-1], text=last[-1].text[:-1])
        lines[-1] = ended
        return self._lines_para(para, lines, measured.joins[:max_lines - 1]), True

    def box(self, x: float, y: float, w: float, paras: Sequence[plan.Para], **kw: object
            ) -> plan.TextBox:
        """A text box exactly as tall as its measured paragraphs."""
        height = sum(p.space_before + self.measure(p.spans, w - p.indent, p.style) for p in paras)
        return plan.TextBox(x, y, w, height, tuple(paras), **kw)  # type: ignore[arg-type]

    def next_group(self) -> int:
        self._group += 1
        return self._group

    # ---- slide frame --------------------------------------------------------------------

    def fit_title(self, text: tuple[Span, ...], width: float, size: float, floor: float,
                  max_lines: int = 2, where: str = "") -> tuple[plan.Para, float]:
        """The title at the largest size from `size` down to `floor` at which it fits
        `max_lines`; at the floor, cut where it would take the body's room."""
        current = size
        while True:
            style = self.style(current, self.c.primary, bold=True, heading=True)
            measured = wrap(self._styled(text, style), width, current, self.heading_family,
                            style.line_spacing)
            if len(measured.lines) <= max_lines or current <= floor:
                break
            current = max(floor, current - 2)
        if current < size and where:
            self.messages.append(note(where, f"title shrunk to {current:g} pt"))
        # At the floor a title wraps on, as far as a quarter of the slide; there it is cut.
        most = max(max_lines, int(self.height * TITLE_SHARE // line_height(current,
                                                                           style.line_spacing)))
        para, cut = self.cut_to_lines(plan.Para(text, style), width, most)
        if cut and where:
            self.messages.append(warning(where, f"title cut to {most} lines at {current:g} pt; "
                                                "shorten it"))
        return para, self.measure(para.spans, width, style)

    def continued_title(self, title: tuple[Span, ...], width: float) -> tuple[Span, ...]:
        """The title of a continuation slide, its text shortened so that the label fits."""
        plain = "".join(s.text for s in title)

        def label(text: str) -> tuple[Span, ...]:
            return (Span(self.labels.format("continued", title=text)),)

        style = self.style(self.s.title_floor, bold=True, heading=True)
        most = max(2, int(self.height * TITLE_SHARE // line_height(style.size,
                                                                   style.line_spacing)))

        def fits(spans: tuple[Span, ...]) -> bool:
            return len(self.wrapped(plan.Para(spans, style), width).lines) <= most

        if fits(label(plain)):
            return label(plain)
        low, high = 0, len(plain)  # the longest prefix whose label fits
        while low < high:
            middle = (low + high + 1) // 2
            if fits(label(plain[:middle].rstrip() + "…")):
                low = middle
            else:
                high = middle - 1
        return label(plain[:low].rstrip() + "…")

    def layout_for(self, kind: str) -> str | None:
        """The template layout a slide kind is built on, falling back with a warning."""
        if not self.template:
            return None
        if kind not in self.layouts:
            named = self.theme.deck.layouts
            wanted = [named[k] for k in (kind, "content") if k in named and
                      (k == kind or kind != "title")]
            wanted += list(TEMPLATE_LAYOUTS.get(kind, TEMPLATE_LAYOUTS["content"]))
            found = next((n for n in wanted if self.template.layout(n)), None)
            if found is None:
                found = "Blank" if self.template.layout("Blank") else self.template.layouts[0].name
            if found != wanted[0]:
                self.messages.append(warning("", f"template has no layout '{wanted[0]}' for "
                                             f"{kind} slides; using '{found}'"))
            self.layouts[kind] = found
        return self.layouts[kind]

    def title_placeholder(self) -> tuple[float, float, float, float] | None:
        name = self.layout_for(self.kind)
        layout = self.template.layout(name) if self.template and name else None
        return layout.title if layout else None

    def title_width(self) -> float:
        placeholder = self.title_placeholder()
        return placeholder[2] if placeholder else self.content_w - (self.logo_w + 16 if self.logo
                                                                    else 0)

    def frame(self, title: tuple[Span, ...], kicker: str | None, where: str = ""
              ) -> tuple[list[plan.Item], float]:
        """Kicker, title and rule of a content slide; returns the items and the body's top."""
        items: list[plan.Item] = []
        placeholder = self.title_placeholder()
        x, y, width = MARGIN, 26.0, self.title_width()
        if placeholder:
            x, y, width, least = placeholder
        if kicker and (not placeholder or y >= 24):
            kick, cut = self.cut_to_lines(
                plan.Para((Span(kicker),), self.style(self.s.small + 1, self.c.accent,
                                                      bold=True)), width, 1)
            if cut and where:
                self.messages.append(warning(f"{where}.title", "cut to one line above the "
                                                               "slide's title; shorten it"))
            kick_h = line_height(self.s.small + 1, self.s.line_spacing)
            if placeholder:
                items.append(self.box(x, y - kick_h - 4, width, [kick], name="Kicker"))
            else:
                items.append(self.box(x, y, width, [kick], name="Kicker"))
                y += kick_h + 4
        para, height = self.fit_title(title, width, self.s.title, self.s.title_floor,
                                      where=where)
        if placeholder:
            height = max(height, least)
        items.append(plan.TextBox(x, y, width, height, (para,), name="Title",
                                  placeholder="title" if placeholder else None))
        y += height + 8
        if self.theme.deck.style == "rule" and not placeholder:
            items.append(plan.Shape("rect", MARGIN, y, 56, 3, self.c.accent, name="Rule"))
            y += 3
        elif self.theme.deck.style == "band" and not placeholder:
            items.insert(0, plan.Shape("rect", 0, 0, 14, self.height, self.c.primary,
                                       name="Band"))
        return items, y + 16

    def logo_items(self, slide: plan.Slide) -> list[plan.Item]:
        if not self.logo:
            return []
        band = next((i for i in slide.items if i.name == "Title band"), None)
        top = band.y + band.h + 28 if band else 24.0
        return [plan.Picture(self.width - MARGIN - self.logo_w, top, self.logo_w, LOGO_H,
                             self.logo[0], "Logo", name="Logo")]

    def footer(self, number: int, total: int) -> list[plan.Item]:
        style = self.style(self.s.small, self.c.muted)
        left = " · ".join(t for t in (self.brief.meta.classification, self.theme.footer,
                                      self.date_text) if t)
        y = self.height - 28
        right_w = 80.0
        footer, cut = self.cut_to_lines(plan.Para((Span(left),), style), self.content_w - right_w,
                                        1)
        if cut and number == 1:
            self.messages.append(warning("meta.classification" if self.brief.meta.classification
                                         else "", "the footer is cut to fit its line; shorten "
                                                  "the classification or the theme's footer"))
        items: list[plan.Item] = [
            self.box(MARGIN, y, self.content_w - right_w, [footer], name="Footer"),
            self.box(self.width - MARGIN - right_w, y, right_w,
                     [plan.Para((Span(self.labels.format("slide", number=number, total=total)),),
                                style, align="right")], name="Slide number"),
        ]
        return items

    # ---- pieces -------------------------------------------------------------------------

    def text_pieces(self, text: RichText | None, width: float, style: plan.Style,
                    gap: float = GAP, group: int | None = None) -> list[Piece]:
        if not text:
            return []
        group = self.next_group() if group is None else group
        pieces = []
        for n, paragraph in enumerate(text.paragraphs):
            para = plan.Para(paragraph, style)
            pieces.append(self.para_piece(para, width, gap if n == 0 else style.size * 0.6,
                                          group))
        return pieces

    def para_piece(self, para: plan.Para, width: float, gap: float, group: int,
                   keep_with_next: bool = False) -> Piece:
        style = para.style
        family = DECK_FONT_METRICS[style.font]
        measured = wrap(self._styled(para.spans, style), width - para.indent, style.size, family,
                        style.line_spacing)
        return self._lines_piece(para, measured.lines, measured.joins, gap, group,
                                 keep_with_next)

    def _lines_piece(self, para: plan.Para, lines: Sequence[tuple[Span, ...]],
                     joins: Sequence[str], gap: float, group: int, keep_with_next: bool = False
                     ) -> Piece:
        """A piece of a paragraph already wrapped into `lines`; its split slices the lines, so a
        paragraph that runs over many slides is wrapped once, not once per slide."""
        style = para.style
        per_line = line_height(style.size, style.line_spacing)
        height = len(lines) * style.size * style.line_spacing  # as wrap() measures it

        def split(room: float) -> tuple[Piece | None, Piece | None]:
            # Break inside a paragraph only at a line boundary, keeping two lines together
            # where the paragraph is long enough.
            if len(lines) < 4 and height <= room:
                return None, None  # a short paragraph splits only when taller than a slide
            fit = min(int(room // per_line), len(lines) - 1)
            if len(lines) >= 4:
                fit = min(fit, len(lines) - 2)
            if fit < min(2, len(lines) - 1) or fit < 1:
                return None, None
            head = self._lines_para(para, lines[:fit], joins[:fit - 1])
            tail = self._lines_para(replace(para, bullet=None), lines[fit:], joins[fit:])
            return (self._lines_piece(head, lines[:fit], joins[:fit - 1], gap, group),
                    self._lines_piece(tail, lines[fit:], joins[fit:], 0.0, group))

        return Piece(height, gap, para=para, group=group, keep_with_next=keep_with_next,
                     split=split if len(lines) >= 2 else None,
                     min_head=2 * per_line if len(lines) >= 4 else height)

    @staticmethod
    def _lines_para(para: plan.Para, lines: Sequence[tuple[Span, ...]], joins: Sequence[str]
                    ) -> plan.Para:
        """The paragraph of some of its wrapped lines, joined as they were in the text."""
        spans: list[Span] = []
        for n, line in enumerate(lines):
            if n and joins[n - 1]:
                spans.append(replace(line[0], text=joins[n - 1]) if line else Span(joins[n - 1]))
            spans.extend(line)
        return replace(para, spans=tuple(spans))

    def bullet_pieces(self, items: Sequence[tuple[RichText, Sequence[RichText]]], width: float,
                      size: float, numbered: bool = False) -> list[Piece]:
        group = self.next_group()
        indent = size * (1.6 if numbered else 1.1)
        pieces = []
        for n, (text, subs) in enumerate(items, 1):
            marker = f"{n}." if numbered else "•"
            for k, paragraph in enumerate(text.paragraphs):
                para = plan.Para(paragraph, self.style(size), indent=indent,
                                 bullet=marker if k == 0 else None, hang=indent)
                gap = GAP if n == 1 and k == 0 else size * 0.45
                pieces.append(self.para_piece(para, width, gap, group))
            for sub in subs:
                for k, paragraph in enumerate(sub.paragraphs):
                    para = plan.Para(paragraph, self.style(size - 2, self.c.text),
                                     indent=indent * 2, bullet="–" if k == 0 else None,
                                     hang=indent)
                    pieces.append(self.para_piece(para, width, size * 0.3, group))
        return pieces

    def band_piece(self, label: str | None, text: RichText, width: float, size: float,
                   *, quote_by: str | None = None) -> list[Piece]:
        """A callout (labelled band) or a quote (large italic, attributed)."""
        inset = 12.0
        inner = width - 2 * inset - 6
        paras: list[plan.Para] = []
        if label:
            paras.append(plan.Para((Span(label),), self.style(size - 2, self.c.accent, bold=True)))
        text_style = self.style(size + (2 if quote_by is not None else 0), self.c.text,
                                italic=quote_by is not None)
        for n, paragraph in enumerate(text.paragraphs):
            spans = paragraph
            if quote_by is not None:
                if n == 0:
                    spans = (Span("“"), *spans)
                if n == len(text.paragraphs) - 1:
                    spans = (*spans, Span("”"))
            paras.append(plan.Para(spans, text_style, space_before=4 if paras else 0))
        if quote_by:
            paras.append(plan.Para((Span("— " + quote_by),), self.style(size - 2, self.c.muted),
                                   space_before=6))
        height = sum(p.space_before + self.measure(p.spans, inner, p.style) for p in paras)
        total = height + 2 * inset
        if total > self.body_bottom - 150:
            # Too tall for one band: let it flow as ordinary text instead.
            flow = self.text_pieces(text, width, self.style(size))
            if label:
                head = plan.Para((Span(label),), self.style(size, self.c.accent, bold=True))
                flow.insert(0, self.para_piece(head, width, GAP, self.next_group(), True))
            return flow
        fill = self.c.surface if quote_by is None else None

        def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
            return [
                plan.Shape("rect", x, y, w, total, fill, name="Band"),
                plan.Shape("rect", x, y, 4, total, self.c.accent, name="Band accent"),
                plan.TextBox(x + inset + 6, y + inset, inner, height, tuple(paras),
                             name="Band text"),
            ]

        return [Piece(total, GAP, draw=draw)]

    def table_pieces(self, table: Table, width: float, size: float, number: int, key: str
                     ) -> list[Piece]:
        pieces: list[Piece] = []
        if table.title:
            title = plan.Para(table.title.paragraphs[0] if table.title.paragraphs else (),
                              self.style(size + 1, self.c.primary, bold=True))
            pieces.append(self.para_piece(title, width, GAP, self.next_group(), True))
        after = self.takeaway_pieces(table.takeaway, table.source, width)
        # What the table may take so that it, its title and takeaway share one slide.
        budget = self.continuation_room - sum(p.height + p.gap for p in (*pieces, *after))
        pieces.extend(self.grid_pieces([c for c in table.columns], [list(r) for r in table.rows],
                                       width, size, name=f"table {number}", key=key,
                                       keep_with_next=bool(table.takeaway), budget=budget))
        pieces.extend(after)
        return pieces

    def takeaway_pieces(self, takeaway: RichText | None, source: RichText | None,
                        width: float) -> list[Piece]:
        pieces: list[Piece] = []
        if takeaway:
            band = self.band_piece(self.labels.get("takeaway"), takeaway, width,
                                   self.s.body - 2)
            pieces.extend(band)
        if source:
            spans = (Span(self.labels.format("source", source=source.plain)),)
            para = plan.Para(spans, self.style(self.s.small, self.c.muted))
            pieces.append(self.para_piece(para, width, 6, self.next_group()))
        if pieces and len(pieces) > 1:
            pieces[0] = replace(pieces[0], keep_with_next=True)
        return pieces

    def column_widths(self, cells: list[list[tuple[Span, ...]]], width: float, size: float
                      ) -> tuple[list[float], bool]:
        """Widths from measured content; False when the floor size still cannot fit words."""
        columns = len(cells[0])
        pad = 2 * CELL_PAD_X
        natural = [0.0] * columns
        least = [MIN_COLUMN] * columns
        for row in cells:
            for c, spans in enumerate(row):
                measured = wrap(spans, 10_000, size, self.family, self.s.line_spacing)
                natural[c] = max(natural[c], measured.widest + pad)
                least[c] = max(least[c], min(longest_word(spans, size, self.family) + pad, 180))
        fits = sum(least) <= width
        if not fits:
            least = [width / columns] * columns
        if sum(natural) <= width:
            spare = width - sum(natural)
            return [n + spare * n / sum(natural) for n in natural], fits
        extra = width - sum(least)
        want = [max(n - m, 0.0) for n, m in zip(natural, least, strict=True)]
        total_want = sum(want) or 1.0
        return [m + extra * w / total_want for m, w in zip(least, want, strict=True)], fits

    def grid_pieces(self, columns: list[RichText], rows: list[list[RichText]], width: float,
                    size: float, name: str, key: str, keep_with_next: bool = False,
                    budget: float | None = None) -> list[Piece]:
        """A native table measured row by row; splits between rows with the header repeated.

        Text shrinks toward the floor while words do not fit their columns or a row is taller
        than a slide, and also when that lets a table within `budget` stay on one slide.
        """
        header = [self._first_para(c) for c in columns]
        bold_header = [tuple(replace(s, bold=True) for s in cell) for cell in header]
        body = [[self._first_para(c) for c in row] for row in rows]
        numeric = [is_numeric_column([r[c].plain for r in rows]) for c in range(len(columns))]
        tallest_allowed = self.body_bottom - 160  # a row must fit on a continuation slide

        def row_height(cells: list[tuple[Span, ...]], style: plan.Style,
                       widths: list[float]) -> float:
            heights = [self.measure(s, w - 2 * CELL_PAD_X, style) for s, w in
                       zip(cells, widths, strict=True)]
            return max(heights) + 2 * CELL_PAD_Y

        def layout(at: float) -> tuple[list[float], bool, float, float]:
            widths, fits = self.column_widths([bold_header, *body], width, at)
            style = self.style(at)
            heights = [row_height(r, style, widths) for r in body]
            total = sum(heights) + row_height(header, self.style(at, bold=True), widths)
            return widths, fits, max(heights, default=0.0), total

        readable: float | None = None  # the largest size whose words and rows fit
        words_fit: float | None = None  # the largest size whose words fit their columns
        current = size
        while True:
            widths, fits, tallest, total = layout(current)
            if words_fit is None and fits:
                words_fit = current
            if readable is None and fits and tallest <= tallest_allowed:
                readable = current
            if readable is not None and (budget is None or total <= budget):
                break
            if current <= self.s.table_floor:
                # Even the floor cannot keep it on one slide: split it at a readable size
                # (between rows, or inside a row that no size keeps on one slide).
                current = next((s for s in (readable, words_fit) if s is not None), current)
                break
            current = max(self.s.table_floor, current - 1)
        widths, fits, tallest, total = layout(current)
        cell_style = self.style(current)
        said = (note(key, f"text shrunk to {current:g} pt to fit the slide"),) if current < size \
            else ()
        head_style = self.style(current, self.c.on_primary, bold=True)

        def cell(spans: tuple[Span, ...], style: plan.Style, c: int) -> plan.Cell:
            align: plan.Align = "right" if numeric[c] else "left"
            return plan.Cell((plan.Para(spans, style, align=align),))

        head_cells = tuple(cell(s, head_style, c) for c, s in enumerate(header))
        head_h = row_height(header, head_style, widths)
        body_rows = [tuple(cell(s, cell_style, c) for c, s in enumerate(r)) for r in body]
        body_hs = [row_height(r, cell_style, widths) for r in body]
        return [self._table_piece(head_cells, head_h, body_rows, body_hs, widths, keep_with_next,
                                  name, key, messages=said)]

    def _table_piece(self, head: tuple[plan.Cell, ...], head_h: float,
                     rows: list[tuple[plan.Cell, ...]], heights: list[float],
                     widths: list[float], keep_with_next: bool, name: str, key: str,
                     part: int = 1, band: int = 0, messages: tuple[LayoutMessage, ...] = ()
                     ) -> Piece:
        """Rows under the header, banded from each slide's first row; `band` 1 shades the first
        row, the rest of a row cut on the slide before, to match its beginning."""
        total = head_h + sum(heights)

        def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
            banded = tuple(
                tuple(replace(c, fill=self.c.surface if (band + n) % 2 else None) for c in row)
                for n, row in enumerate(rows)
            )
            header = tuple(replace(c, fill=self.c.primary) for c in head)
            return [plan.Table(x, y, tuple(widths), (head_h, *heights), (header, *banded), 1,
                               CELL_PAD_X, mix(self.c.muted, self.c.background, 0.6),
                               name=f"Table ({name})")]

        def split(room: float) -> tuple[Piece | None, Piece | None]:
            used = head_h
            count = 0
            for h in heights:
                if used + h > room:
                    break
                used += h
                count += 1
            first, rest = list(rows[:count]), list(rows[count:])
            first_hs, rest_hs = list(heights[:count]), list(heights[count:])
            rest_band = 0
            if count < len(rows) and head_h + heights[count] > self.continuation_room:
                # A row no slide can hold starts here and continues, cut between lines.
                cut = self._split_row(rows[count], widths, room - used)
                if cut is not None:
                    (top, top_h), (bottom, bottom_h) = cut
                    first, first_hs = [*first, top], [*first_hs, top_h]
                    rest, rest_hs = [bottom, *rest[1:]], [bottom_h, *rest_hs[1:]]
                    rest_band = (band + count) % 2
            if not first or not rest:
                return None, None
            head_part = self._table_piece(head, head_h, first, first_hs, widths, False, name,
                                          key, part, band)
            tail = self._table_piece(head, head_h, rest, rest_hs, widths, keep_with_next, name,
                                     key, part + 1, rest_band)
            return replace(head_part, messages=messages), tail

        can_split = len(rows) > 1 or (bool(rows) and head_h + heights[0] > self.continuation_room)
        piece = Piece(total, GAP, draw=draw, keep_with_next=keep_with_next,
                      split=split if can_split else None,
                      min_head=head_h + (heights[0] if heights else 0), split_key=key,
                      messages=messages)
        return piece

    def _split_row(self, row: tuple[plan.Cell, ...], widths: list[float], room: float
                   ) -> tuple[tuple[tuple[plan.Cell, ...], float], tuple[tuple[plan.Cell, ...],
                                                                           float]] | None:
        """A row cut after the lines that fit `room` (each cell's first paragraph is its
        text), with the heights of both parts; None when fewer than two lines fit."""
        style = row[0].paras[0].style
        per_line = line_height(style.size, style.line_spacing)
        fit = int((room - 2 * CELL_PAD_Y) // per_line)
        if fit < 2:
            return None
        top: list[plan.Cell] = []
        bottom: list[plan.Cell] = []
        for cell, width in zip(row, widths, strict=True):
            para = cell.paras[0]
            measured = wrap(self._styled(para.spans, para.style), width - 2 * CELL_PAD_X,
                            para.style.size, DECK_FONT_METRICS[para.style.font],
                            para.style.line_spacing)
            lines, joins = measured.lines, measured.joins
            top.append(replace(cell, paras=(self._lines_para(para, lines[:fit],
                                                             joins[:fit - 1]),)))
            bottom.append(replace(cell, paras=(self._lines_para(para, lines[fit:],
                                                                joins[fit:]),)))

        def height(cells: list[plan.Cell]) -> float:
            return max(self.measure(c.paras[0].spans, w - 2 * CELL_PAD_X, c.paras[0].style)
                       for c, w in zip(cells, widths, strict=True)) + 2 * CELL_PAD_Y

        return (tuple(top), height(top)), (tuple(bottom), height(bottom))

    @staticmethod
    def _first_para(text: RichText) -> tuple[Span, ...]:
        # A cell shows its paragraphs joined by line breaks.
        spans: list[Span] = []
        for n, paragraph in enumerate(text.paragraphs):
            if n:
                spans.append(Span("\n"))
            spans.extend(paragraph)
        return tuple(spans)

    def chart_pieces(self, chart: Chart, width: float, number: int) -> list[Piece]:
        pieces: list[Piece] = []
        if chart.title:
            title = plan.Para(self._first_para(chart.title),
                              self.style(self.s.body - 1, self.c.primary, bold=True))
            pieces.append(self.para_piece(title, width, GAP, self.next_group(), True))
        values = [v for s in chart.series for v in s.values]
        fmt = number_format(values, chart.unit)
        categories = tuple(c.plain for c in chart.categories)
        series = tuple(plan.SeriesData(s.name.plain, tuple(s.values)) for s in chart.series)
        alt = f"{chart.type} chart" + (f": {chart.title.plain}" if chart.title else "") + ". " + \
            "; ".join(f"{s.name}: " + ", ".join(f"{c} {v:g}{chart.unit or ''}"
                                                for c, v in zip(categories, s.values, strict=True))
                      for s in series)
        colors = tuple(self.c.series)

        def make(height: float) -> Piece:
            def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
                return [plan.Chart(x, y, w, height, chart.type, categories, series, colors, fmt,
                                   self.fonts.body, self.s.small + 1, self.c.text,
                                   mix(self.c.muted, self.c.background, 0.7), alt,
                                   name=f"Chart {number}")]

            def shrink(room: float) -> tuple[Piece | None, Piece | None]:
                return (make(min(room, height)), None) if room >= CHART_MIN else (None, None)

            return Piece(height, GAP, draw=draw, split=shrink, min_head=CHART_MIN,
                         keep_with_next=bool(chart.takeaway or chart.source), flexible=True)

        pieces.append(make(min(300.0, self.body_bottom - 200)))
        pieces.extend(self.takeaway_pieces(chart.takeaway, chart.source, width))
        return pieces

    def image_pieces(self, image: Image, width: float) -> list[Piece]:
        size = self.image_sizes.get(image.path, (4, 3))
        aspect = size[0] / size[1]
        pieces: list[Piece] = []

        def make(height: float) -> Piece:
            def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
                pic_w = min(w, height * aspect)
                pic_h = pic_w / aspect
                return [plan.Picture(x + (w - pic_w) / 2, y, pic_w, pic_h, image.path,
                                     image.alt.plain, name="Picture")]

            def shrink(room: float) -> tuple[Piece | None, Piece | None]:
                return (make(min(room, height)), None) if room >= IMAGE_MIN else (None, None)

            return Piece(height, GAP, draw=draw, split=shrink, min_head=IMAGE_MIN,
                         keep_with_next=bool(image.caption), flexible=True)

        pieces.append(make(min(width / aspect, 300.0)))
        if image.caption:
            para = plan.Para(self._first_para(image.caption),
                             self.style(self.s.small + 1, self.c.muted, italic=True),
                             align="center")
            pieces.append(self.para_piece(para, width, 6, self.next_group()))
        return pieces

    def player_pieces(self, players: Sequence[Player], width: float) -> list[Piece]:
        per_row = 3 if self.width > 800 else 2
        if len(players) == 4 and per_row == 3:
            per_row = 2
        gap = 14.0
        card_w = (width - gap * (per_row - 1)) / per_row
        pieces: list[Piece] = []
        for start in range(0, len(players), per_row):
            row = [(n, self._card_paras(p)) for n, p in enumerate(players[start:start + per_row])]
            pieces.append(self.card_row(row, card_w, gap, GAP if start == 0 else gap))
        return pieces

    def card_row(self, cards: Sequence[tuple[int, Sequence[plan.Para]]], card_w: float,
                 gap: float, gap_before: float, continued: bool = False) -> Piece:
        """A row of cards, each at its column; a row taller than a slide continues on the next
        with the rest of each card's text, cut between lines."""
        inner = card_w - 24
        heights = [self.paras_height(paras, inner) for _, paras in cards]
        card_h = max(heights) + 24

        def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
            items: list[plan.Item] = []
            for (n, paras), text_h in zip(cards, heights, strict=True):
                cx = x + n * (card_w + gap)
                items.append(plan.Shape("rect", cx, y, card_w, card_h, self.c.surface,
                                        name="Card"))
                if not continued:
                    items.append(plan.Shape("rect", cx, y, card_w, 3, self.c.primary,
                                            name="Card accent"))
                items.append(plan.TextBox(cx + 12, y + 12, inner, text_h, tuple(paras),
                                          name="Card text"))
            return items

        def split(room: float) -> tuple[Piece | None, Piece | None]:
            if card_h <= room:
                return None, None
            cut = [(n, *self.split_paras(paras, inner, room - 24)) for n, paras in cards]
            head = [(n, shown) for n, shown, _ in cut if shown]
            tail = [(n, rest) for n, _, rest in cut if rest]
            if not head or not tail:
                return None, None
            return (self.card_row(head, card_w, gap, gap_before, continued),
                    self.card_row(tail, card_w, gap, 0.0, continued=True))

        return Piece(card_h, gap_before, draw=draw, split=split, min_head=card_h)

    def _card_paras(self, player: Player) -> list[plan.Para]:
        size = self.s.body - 3
        paras = [plan.Para(self._first_para(player.name),
                           self.style(size + 2, self.c.primary, bold=True))]
        role = ", ".join(t.plain for t in (player.role, player.org) if t)
        if role:
            paras.append(plan.Para((Span(role),), self.style(size - 1, self.c.accent, bold=True),
                                   space_before=2))
        if player.note:
            paras.append(plan.Para(self._first_para(player.note), self.style(size - 1),
                                   space_before=6))
        return paras

    def block_pieces(self, block: Block, width: float, size: float, table_size: float,
                     counters: dict[str, int], where: str) -> list[Piece]:
        content = block.content
        kind = block.kind
        if kind == "text":
            return self.text_pieces(content, width, self.style(size))
        if kind in ("bullets", "numbered"):
            items = ([(b.text, b.sub) for b in content] if kind == "bullets"
                     else [(t, ()) for t in content])
            return self.bullet_pieces(items, width, size, numbered=kind == "numbered")
        if kind == "table":
            counters["table"] += 1
            return self.table_pieces(content, width, table_size, counters["table"],
                                     f"{where}.table")
        if kind == "chart":
            counters["chart"] += 1
            return self.chart_pieces(content, width, counters["chart"])
        if kind == "quote":
            quote: Quote = content
            return self.band_piece(None, quote.text, width, size,
                                   quote_by=quote.by.plain if quote.by else "")
        if kind == "callout":
            callout: Callout = content
            return self.band_piece(callout.label.plain if callout.label else None, callout.text,
                                   width, size)
        if kind == "players":
            return self.player_pieces(content, width)
        if kind == "image":
            return self.image_pieces(content, width)
        raise AssertionError(kind)  # pragma: no cover - the model admits no other kinds

    # ---- packing ------------------------------------------------------------------------

    def pack(self, pieces: list[Piece], rooms: tuple[float, float]
             ) -> tuple[list[list[tuple[Piece, float]]], list[LayoutMessage]]:
        """Fill slides with pieces: returns, per slide, the pieces and their y offsets, and the
        warnings for what no slide could hold.

        A piece that does not fit moves to a new slide when it fits there whole; it is split
        (tables between rows, paragraphs between lines) only when it is taller than a slide.
        A piece that no split makes fit an empty slide is left out, never drawn off the slide.
        """
        slides: list[list[tuple[Piece, float]]] = [[]]
        said: list[LayoutMessage] = []
        queue = list(pieces)
        y = 0.0

        def place(piece: Piece, at: float) -> None:
            nonlocal y
            slides[-1].append((piece, at))
            y = at + piece.height

        def new_slide() -> None:
            nonlocal y
            slides.append([])
            y = 0.0

        while queue:
            piece = queue.pop(0)
            room = rooms[0] if len(slides) == 1 else rooms[1]
            fresh = rooms[1]
            on_slide = bool(slides[-1])
            gap = piece.gap if on_slide else 0.0
            left = room - y - gap
            keep = piece.keep_with_next and bool(queue)
            need_next = self._chain_need(queue, fresh) if keep else 0.0
            # A slide holding only headings waiting for their content counts as empty.
            only_heads = all(p.keep_with_next for p, _ in slides[-1])
            whole = piece.height + (need_next if keep else 0.0)
            if whole <= left + 0.01:
                place(piece, y + gap)
                continue
            if piece.flexible and piece.split:
                head, _ = piece.split(left - (need_next if keep else 0.0))
                if head is None and not on_slide:
                    head, _ = piece.split(room - (need_next if keep else 0.0))
                if head is not None:
                    place(head, y + gap)
                    continue
            if on_slide and not only_heads and (whole <= fresh + 0.01 or keep):
                new_slide()
                queue.insert(0, piece)
                continue
            if piece.split and (only_heads or left >= 0.4 * room or piece.min_head <= left):
                # Leave room for what is kept with the piece only if its last part lands here.
                fits_alone = piece.height <= left + 0.01
                head, tail = piece.split(left - need_next if keep and fits_alone else left)
                if head is not None:
                    place(head, y + gap)
                    if tail is not None:
                        new_slide()
                        queue.insert(0, tail)
                    continue
            if on_slide:
                new_slide()
                queue.insert(0, piece)
                continue
            # Alone on an empty slide and taller than it: split at the slide's full height.
            if piece.split:
                head, tail = piece.split(room)
                if head is not None and head.height <= room + 0.01:
                    place(head, 0.0)
                    if tail is not None:
                        new_slide()
                        queue.insert(0, tail)
                    continue
            if piece.height <= room + 0.01:
                place(piece, 0.0)
                continue
            said.append(warning(piece.key, "taller than a slide and cannot be split; left out "
                                           "of the deck"))
        return [s for s in slides if s], said

    @staticmethod
    def _chain_need(queue: list[Piece], fresh: float, depth: int = 0) -> float:
        """Room the pieces kept with the current one need on this slide: all of a piece that
        will move whole to a new slide, or the first part of one that will be split."""
        nxt = queue[0]
        least = nxt.gap + (nxt.min_head or nxt.height)
        rest = (DeckPlanner._chain_need(queue[1:], fresh, depth + 1)
                if nxt.keep_with_next and len(queue) > 1 and depth < 4 else 0.0)
        if nxt.flexible:
            return least + rest  # a chart shrinks, but keeps its takeaway beside it
        whole = nxt.height + rest
        return nxt.gap + whole if whole <= fresh else least

    def draw(self, placed: list[tuple[Piece, float]], x: float, top: float, width: float
             ) -> list[plan.Item]:
        """Turn placed pieces into items, merging consecutive text of one block into one box."""
        items: list[plan.Item] = []
        run: list[plan.Para] = []
        run_group = -2
        run_y = 0.0
        run_h = 0.0

        def flush() -> None:
            if run:
                items.append(plan.TextBox(x, top + run_y, width, run_h, tuple(run)))
                run.clear()

        for piece, y in placed:
            if piece.para is not None:
                if run and piece.group == run_group:
                    gap = y - (run_y + run_h)
                    run.append(replace(piece.para, space_before=gap))
                    run_h += gap + piece.height
                    continue
                flush()
                run.append(replace(piece.para, space_before=0.0))
                run_group, run_y, run_h = piece.group, y, piece.height
                continue
            flush()
            run_group = -2
            assert piece.draw is not None
            items.extend(piece.draw(x, top + y, width, piece.height))
        flush()
        return items

    # ---- slides -------------------------------------------------------------------------

    def flow_slides(self, kind: str, title: tuple[Span, ...], kicker: str | None,
                    build: Callable[[float, float], list[Piece]], notes: str, where: str,
                    x: float = MARGIN, width: float | None = None,
                    first_extra: Callable[[float], list[plan.Item]] | None = None,
                    first_room: float | None = None, continued: bool = False
                    ) -> list[plan.Slide]:
        """Slides for one flow of pieces, shrinking text toward the floor to save a slide."""
        width = width or self.content_w
        self.kind = kind
        cont_items, cont_top = self.frame(self.continued_title(title, self.title_width()),
                                          kicker)
        first_items, top = ((cont_items, cont_top) if continued
                            else self.frame(title, kicker, where))
        rooms = (first_room if first_room is not None else self.body_bottom - top,
                 self.body_bottom - cont_top)
        self.continuation_room = rooms[1]
        best: tuple[list[list[tuple[Piece, float]]], list[LayoutMessage]] | None = None
        steps = 0
        size, table_size = self.s.body, self.s.table
        while True:
            packed = self.pack(self._keyed(build(size, table_size), where), rooms)
            if best is None or len(packed[0]) == 1:
                best = packed
            if len(packed[0]) == 1 or size <= self.s.body_floor:
                break
            size = max(self.s.body_floor, size - 2)
            table_size = max(self.s.table_floor, table_size - 1)
            steps += 1
        if len(best[0]) == 1 and steps and where:
            self.messages.append(note(where, f"text shrunk to {size:g} pt to fit one slide"))
        # Otherwise the first attempt, at the theme's sizes, is the one kept.
        placed_slides = best[0] or [[]]  # nothing but the title: the title is the message
        self.messages.extend(self.kept_messages(*best))
        if len(placed_slides) > 1 and where:
            self.messages.append(note(where, f"continues on {len(placed_slides) - 1} more "
                                             f"slide{'s' if len(placed_slides) > 2 else ''}"))
        slides = []
        for n, placed in enumerate(placed_slides):
            frame = first_items if n == 0 else cont_items
            body_top = top if n == 0 else cont_top
            items = [*frame]
            if n == 0 and first_extra:
                items.extend(first_extra(body_top))
            items.extend(self.draw(placed, x, body_top, width))
            slides.append(self.slide(kind, items, notes))
        return slides

    @staticmethod
    def kept_messages(slides: list[list[tuple[Piece, float]]], said: list[LayoutMessage]
                      ) -> list[LayoutMessage]:
        """What the pieces of the kept attempt say, with how many slides each split block took
        and what the packing had to leave out."""
        messages = [m for placed in slides for piece, _ in placed for m in piece.messages]
        parts: dict[str, set[int]] = {}
        for n, placed in enumerate(slides):
            for piece, _ in placed:
                if piece.split_key:
                    parts.setdefault(piece.split_key, set()).add(n)
        messages.extend(note(key, f"split across {len(on)} slides")
                        for key, on in parts.items() if len(on) > 1)
        return [*messages, *said]

    @staticmethod
    def _keyed(pieces: list[Piece], key: str) -> list[Piece]:
        """Pieces that do not say which block they come from are the flow's own."""
        return [p if p.key else replace(p, key=key) for p in pieces]

    def slide(self, kind: str, items: Sequence[plan.Item], notes: str) -> plan.Slide:
        background = None if self.template else self.c.background
        return plan.Slide(kind, tuple(items), notes, background, self.layout_for(kind))

    def title_slide(self) -> plan.Slide:
        self.kind = "title"
        placeholder = self.title_placeholder()
        if placeholder:
            return self.template_title_slide(placeholder)
        meta = self.brief.meta
        band_h = self.height * 0.58
        width = self.content_w
        items: list[plan.Item] = [plan.Shape("rect", 0, 0, self.width, band_h, self.c.primary,
                                             name="Title band")]
        title, _ = self.fit_title(meta.title.paragraphs[0], width, self.s.title + 10,
                                  self.s.title_floor + 4, max_lines=3, where="meta.title")
        title = replace(title, style=replace(title.style, color=self.c.on_primary))
        details = self.detail_lines(width)
        # The band grows with its text, as far as leaves room for the details below it.
        most_band = self.height - 40 - 44 - self.paras_height(details, width)
        paras = [title]
        if meta.subtitle:
            sub_style = self.style(self.s.body + 2, self.c.on_primary)
            subtitle = [plan.Para(paragraph, sub_style, space_before=10)
                        for paragraph in meta.subtitle.paragraphs]
            room = most_band - 90 - self.paras_height(paras, width)
            shown, rest = self.split_paras(subtitle, width, room)
            if rest:
                self.messages.append(warning("meta.subtitle", "cut to fit the title slide; "
                                                              "shorten it"))
            paras.extend(shown)
        text = self.box(MARGIN, 0, width, paras, name="Title")
        if text.h > band_h - 60:
            band_h = text.h + 90
            items[0] = replace(items[0], h=band_h)  # type: ignore[arg-type]
        items.append(replace(text, y=band_h - 36 - text.h))
        items.append(plan.Shape("rect", MARGIN, band_h + 28, 56, 3, self.c.accent, name="Rule"))
        if details:
            items.append(self.box(MARGIN, band_h + 44, width, details, name="Details"))
        return self.slide("title", items, "")

    def detail_lines(self, width: float, color: str | None = None, first_gap: float = 0.0
                     ) -> list[plan.Para]:
        """Author, date and classification under the title, one line each."""
        meta = self.brief.meta
        lines = [(k, t) for k, t in (("meta.author", self.prepared_by()), ("", self.date_text),
                                     ("meta.classification", meta.classification)) if t]
        details = []
        for n, (key, line) in enumerate(lines):
            para = plan.Para((Span(line),), self.style(self.s.body - 2, color or self.c.text,
                                                       bold=n == 0),
                             space_before=(first_gap if n == 0 else 4))
            para, cut = self.cut_to_lines(para, width, 1)
            if cut:
                self.messages.append(warning(key, "cut to one line on the title slide; "
                                                  "shorten it"))
            details.append(para)
        return details

    def prepared_by(self) -> str | None:
        author = self.brief.meta.author
        return self.labels.format("prepared_by", author=author.plain) if author else None

    def template_title_slide(self, placeholder: tuple[float, float, float, float]
                             ) -> plan.Slide:
        """The title slide on a template: the title in the layout's title placeholder, the
        subtitle and details below it, or above it where the layout leaves no room below."""
        x, y, width, least = placeholder
        title, height = self.fit_title(self.brief.meta.title.paragraphs[0], width,
                                       self.s.title + 6, self.s.title_floor, max_lines=3,
                                       where="meta.title")
        box = plan.TextBox(x, y, width, max(height, least), (title,), name="Title",
                           placeholder="title")
        items: list[plan.Item] = [box]
        subtitle = self.brief.meta.subtitle
        paras = [plan.Para(p, self.style(self.s.body + 2, self.c.text), space_before=8 if n else 0)
                 for n, p in enumerate(subtitle.paragraphs if subtitle else ())]
        details = self.detail_lines(width, self.c.muted, first_gap=14 if paras else 0)
        below_room = self.height - 36 - (y + box.h + 12)
        above_room = y - 12
        room = max(below_room, above_room) - self.paras_height(details, width)
        shown, rest = self.split_paras(paras, width, room)
        if rest:
            self.messages.append(warning("meta.subtitle", "cut to fit the title slide; "
                                                          "shorten it"))
        if shown or details:
            below = self.box(x, y + box.h + 12, width, [*shown, *details], name="Details")
            if below.h > below_room:
                below = replace(below, y=max(0.0, y - below.h - 12))
            items.append(below)
        return self.slide("title", items, "")

    def summary_slides(self) -> list[plan.Slide]:
        thesis = self.brief.thesis
        notes = thesis.summary.plain if thesis.summary else ""

        def build(size: float, _table: float) -> list[Piece]:
            if thesis.points:
                return self.bullet_pieces([(p, ()) for p in thesis.points], self.content_w, size)
            return self.text_pieces(thesis.summary, self.content_w, self.style(size))

        return self.flow_slides("summary", thesis.headline.paragraphs[0],
                                self.labels.get("executive_summary"), build, notes,
                                "thesis.headline")

    def agenda_slide(self) -> list[plan.Slide]:
        entries = [s.title for s in self.brief.sections]
        names = [("risks", self.brief.risks), ("verdict", self.brief.verdict),
                 ("predictions", self.brief.predictions)]
        extra = [RichText(self.labels.get(k), ((Span(self.labels.get(k)),),)) for k, v in names
                 if v]

        def build(size: float, _table: float) -> list[Piece]:
            return self.bullet_pieces([(t, ()) for t in [*entries, *extra]], self.content_w,
                                      size, numbered=True)

        label = self.labels.get("agenda")
        return self.flow_slides("agenda", (Span(label),), None, build, "", "sections")

    def section_slides(self, index: int, section: Section, counters: dict[str, int]
                       ) -> list[plan.Slide]:
        where = f"sections[{index}]"
        title = section.lead.paragraphs[0] if section.lead else section.title.paragraphs[0]
        kicker = section.title.plain if section.lead else None

        def build(size: float, table_size: float) -> list[Piece]:
            saved = dict(counters)
            pieces: list[Piece] = []
            for m, block in enumerate(section.blocks):
                if not block.shown_in("deck"):
                    continue
                key = f"{where}.blocks[{m}]"
                pieces.extend(replace(piece, key=key) for piece in self.block_pieces(
                    block, self.content_w, size, table_size, counters, key))
            built_counters.update(counters)
            counters.update(saved)
            return pieces

        built_counters: dict[str, int] = {}
        notes = section.notes.plain if section.notes else ""
        slides = self.flow_slides("section", title, kicker, build, notes, where)
        counters.update(built_counters)
        return slides

    def risk_slides(self) -> list[plan.Slide]:
        risks = self.brief.risks
        rated = [r for r in risks if r.likelihood and r.impact]
        label = self.labels.get("risks")
        notes = "\n\n".join(f"{n}. {r.title.plain}" + (f": {r.detail.plain}" if r.detail else "")
                            for n, r in enumerate(risks, 1))
        if not rated:
            return self.flow_slides("risks", (Span(label),), None,
                                    lambda size, _t: self.risk_list(risks, self.content_w, size),
                                    notes, "risks")
        _, top = self.frame((Span(label),), None)
        matrix_size = min(self.body_bottom - top - 40, self.content_w * 0.36)
        list_x = MARGIN + matrix_size + 76
        list_w = self.width - MARGIN - list_x

        def matrix(top: float) -> list[plan.Item]:
            return self.risk_matrix(risks, MARGIN + 52, top, matrix_size)

        mark = len(self.messages)
        beside = self.flow_slides("risks", (Span(label),), None,
                                  lambda size, _t: self.risk_list(risks, list_w, size - 2),
                                  notes, "risks", x=list_x, width=list_w, first_extra=matrix)
        if len(beside) == 1:
            return beside
        # Too long to stand beside the matrix: the matrix gets a slide, the list follows.
        del self.messages[mark:]
        items, top = self.frame((Span(label),), None)
        size = min(self.body_bottom - top - 40, self.content_w * 0.6)
        items.extend(self.risk_matrix(risks, (self.width - size) / 2 + 26, top, size))
        listed = self.flow_slides("risks", (Span(label),), None,
                                  lambda size, _t: self.risk_list(risks, self.content_w, size),
                                  notes, "risks", continued=True)
        return [self.slide("risks", items, notes), *listed]

    def risk_list(self, risks: Sequence[Risk], width: float, size: float) -> list[Piece]:
        pieces = []
        for n, risk in enumerate(risks, 1):
            group = self.next_group()
            head = plan.Para((Span(f"{n}  "), *risk.title.paragraphs[0]),
                             self.style(size, self.c.primary, bold=True))
            pieces.append(self.para_piece(head, width, GAP if n > 1 else 0, group,
                                          keep_with_next=bool(risk.detail)))
            ratings = [f"{self.labels.get(k)}: {self.labels.get(v)}" for k, v in
                       (("likelihood", risk.likelihood), ("impact", risk.impact)) if v]
            detail = [*(risk.detail.paragraphs if risk.detail else ())]
            if ratings:
                detail.append((Span(" · ".join(ratings)),))
            for k, paragraph in enumerate(detail):
                color = self.c.muted if ratings and k == len(detail) - 1 else self.c.text
                para = plan.Para(paragraph, self.style(size - 2, color))
                pieces.append(self.para_piece(para, width, 3, group,
                                              keep_with_next=k < len(detail) - 1))
        return pieces

    def risk_matrix(self, risks: Sequence[Risk], x: float, y: float, size: float
                    ) -> list[plan.Item]:
        cell = size / 3
        items: list[plan.Item] = []
        small = self.style(self.s.small, self.c.muted)
        levels = ("low", "medium", "high")
        for row, impact in enumerate(reversed(levels)):
            for col, likelihood in enumerate(levels):
                score = level_score(likelihood) + level_score(impact)
                tone = (self.c.positive if score <= 1 else self.c.warning if score == 2
                        else self.c.negative)
                items.append(plan.Shape("rect", x + col * cell, y + row * cell, cell, cell,
                                        mix(tone, self.c.background, 0.22),
                                        line=self.c.background, name="Matrix cell"))
            items.append(self.box(x - 52, y + row * cell + cell / 2 - 7, 48,
                                  [plan.Para((Span(self.labels.get(impact)),), small,
                                             align="right")], name="Axis"))
        for col, likelihood in enumerate(levels):
            items.append(self.box(x + col * cell, y + size + 4, cell,
                                  [plan.Para((Span(self.labels.get(likelihood)),), small,
                                             align="center")], name="Axis"))
        axis = self.style(self.s.small, self.c.text, bold=True)
        items.append(self.box(x, y + size + 20, size,
                              [plan.Para((Span(self.labels.get("likelihood_axis")),), axis,
                                         align="center")], name="Axis title"))
        items.append(self.box(x - 52, y - 18, size,
                              [plan.Para((Span(self.labels.get("impact_axis")),), axis)],
                              name="Axis title"))
        # Markers: numbered circles, laid out in a small grid inside their cell.
        marker = min(26.0, cell / 3.4)
        in_cell: dict[tuple[int, int], int] = {}
        marker_style = self.style(max(8.0, marker * 0.45), self.c.on_primary, bold=True)
        for n, risk in enumerate(risks, 1):
            if not (risk.likelihood and risk.impact):
                continue
            col = levels.index(risk.likelihood)
            row = 2 - levels.index(risk.impact)
            k = in_cell.get((row, col), 0)
            in_cell[(row, col)] = k + 1
            per_line = max(1, int((cell - 8) // (marker + 4)))
            mx = x + col * cell + 6 + (k % per_line) * (marker + 4)
            my = y + row * cell + 6 + (k // per_line) * (marker + 4)
            text = plan.TextBox(mx, my, marker, marker,
                                (plan.Para((Span(str(n)),), marker_style, align="center"),),
                                anchor="middle")
            items.append(plan.Shape("ellipse", mx, my, marker, marker, self.c.primary,
                                    text=text, name=f"Risk {n}"))
        return items

    def verdict_slides(self) -> list[plan.Slide]:
        verdict = self.brief.verdict
        assert verdict is not None
        label = self.labels.get("verdict")

        def build(size: float, _t: float) -> list[Piece]:
            style = self.style(self.s.title - 4, self.c.on_primary, bold=True, heading=True)
            paras = [plan.Para(p, style, space_before=6 if n else 0)
                     for n, p in enumerate(verdict.headline.paragraphs)]
            return [self.verdict_band(paras),
                    *self.text_pieces(verdict.summary, self.content_w, self.style(size),
                                      gap=18)]

        return self.flow_slides("verdict", (Span(label),), None, build, "", "verdict")

    def verdict_band(self, paras: Sequence[plan.Para]) -> Piece:
        """The verdict's headline on its band; a headline taller than a slide continues on
        the next, cut between lines."""
        inset = 20.0
        inner = self.content_w - 2 * inset
        height = self.paras_height(paras, inner)

        def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
            return [plan.Shape("rect", x, y, w, height + 2 * inset, self.c.primary,
                               name="Verdict band"),
                    plan.TextBox(x + inset, y + inset, inner, height, tuple(paras),
                                 name="Verdict")]

        def split(room: float) -> tuple[Piece | None, Piece | None]:
            if height + 2 * inset <= room:
                return None, None
            head, tail = self.split_paras(paras, inner, room - 2 * inset)
            if not head or not tail:
                return None, None
            return self.verdict_band(head), self.verdict_band(tail)

        return Piece(height + 2 * inset, 0, draw=draw, split=split,
                     min_head=height + 2 * inset)

    def prediction_slides(self) -> list[plan.Slide]:
        predictions = sort_predictions(self.brief.predictions, self.brief.meta.date)
        label = self.labels.get("predictions")
        notes = "\n\n".join(p.statement.plain + (f" ({p.horizon})" if p.horizon else "")
                            for _, p in predictions)

        def build(size: float, _t: float) -> list[Piece]:
            return self.prediction_rows(predictions, size - 2)

        return self.flow_slides("predictions", (Span(label),), None, build, notes, "predictions")

    def prediction_rows(self, predictions: Sequence[tuple[int, Prediction]], size: float
                        ) -> list[Piece]:
        num_w = 30.0
        horizon_w, conf_w = min(110.0, self.content_w * 0.13), min(130.0, self.content_w * 0.16)
        text_w = self.content_w - num_w - horizon_w - conf_w - 3 * 16
        small = self.style(self.s.small + 1, self.c.muted, bold=True)
        head_items = [(num_w, "number_sign"), (text_w, "prediction"), (horizon_w, "horizon"),
                      (conf_w, "confidence")]

        def header(x: float, y: float, w: float, h: float) -> list[plan.Item]:
            items: list[plan.Item] = []
            cx = x
            for width, key in head_items:
                items.append(self.box(cx, y, width, [plan.Para((Span(self.labels.get(key)),),
                                                                small)], name="Column head"))
                cx += width + 16
            items.append(plan.Shape("rect", x, y + 18, w, 1, self.c.muted, name="Rule"))
            return items

        pieces = [Piece(20.0, 0, draw=header, keep_with_next=True)]
        # The confidence label beside the bar is as wide as the longest label needs.
        label_style = self.style(size - 3, self.c.text)
        label_w = max(wrap((Span(t),), 10_000, label_style.size, self.family).widest
                      for t in ("100%", *(self.labels.get(k) for k in ("low", "medium", "high"))))
        label_w = min(label_w + 4, conf_w - 40)
        columns = PredictionColumns(num_w, text_w, horizon_w, conf_w, label_w)
        for number, prediction in predictions:
            paras = [plan.Para(prediction.statement.paragraphs[0],
                               self.style(size, self.c.text, bold=True))]
            if prediction.signal:
                paras.append(plan.Para((Span(self.labels.get("signal") + ": "),
                                        *prediction.signal.paragraphs[0]),
                                       self.style(size - 2, self.c.muted), space_before=3))
            horizon: plan.Para | None = None
            said: tuple[LayoutMessage, ...] = ()
            if prediction.horizon:
                horizon, cut = self.cut_to_lines(
                    plan.Para((Span(prediction.horizon),),
                              self.style(size - 2, self.c.text, bold=True)), horizon_w, 3)
                if cut:
                    said = (warning(f"predictions[{number - 1}].horizon",
                                    "cut to three lines; shorten it"),)
            value = confidence_value(prediction.confidence)
            confidence: tuple[float, plan.Para] | None = None
            if value is not None:
                conf = prediction.confidence
                text = self.labels.get(conf) if isinstance(conf, str) else f"{round(value * 100)}%"
                confidence = (value, plan.Para((Span(text),), self.style(size - 3, self.c.text)))
            pieces.append(self.prediction_piece(columns, number, paras, horizon, confidence,
                                                said))
        return pieces

    def prediction_piece(self, columns: PredictionColumns, number: int,
                         paras: Sequence[plan.Para], horizon: plan.Para | None,
                         confidence: tuple[float, plan.Para] | None,
                         messages: tuple[LayoutMessage, ...] = (), continued: bool = False
                         ) -> Piece:
        """One prediction's row: number, text, horizon and confidence bar; a row taller than
        a slide continues on the next, its text cut between lines."""
        c = columns
        marker = 22.0
        bar_w = c.confidence - c.label - 6
        text_h = self.paras_height(paras, c.text)
        horizon_h = self.paras_height([horizon], c.horizon) + 2 if horizon else 0.0
        label_h = self.paras_height([confidence[1]], c.confidence - bar_w - 6) + 1 \
            if confidence else 0.0
        aside = max(horizon_h, label_h, 0.0 if continued else 26.0)
        row_h = max(text_h, aside)

        def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
            items: list[plan.Item] = [plan.TextBox(x + c.number + 16, y, c.text, text_h,
                                                   tuple(paras), name="Prediction")]
            if not continued:
                num_style = self.style(11, self.c.on_primary, bold=True)
                items.insert(0, plan.Shape(
                    "ellipse", x + 2, y, marker, marker, self.c.primary,
                    text=plan.TextBox(x + 2, y, marker, marker,
                                      (plan.Para((Span(str(number)),), num_style,
                                                 align="center"),), anchor="middle"),
                    name="Number"))
            hx = x + c.number + c.text + 32
            if horizon:
                items.append(self.box(hx, y + 2, c.horizon, [horizon], name="Horizon"))
            cx = hx + c.horizon + 16
            if confidence:
                value, label = confidence
                items.append(plan.Shape("rect", cx, y + 6, bar_w, 8,
                                        mix(self.c.muted, self.c.background, 0.25),
                                        name="Confidence track"))
                items.append(plan.Shape("rect", cx, y + 6, max(2.0, bar_w * value), 8,
                                        self.c.accent, name="Confidence bar"))
                items.append(self.box(cx + bar_w + 6, y + 1, c.confidence - bar_w - 6, [label],
                                      name="Confidence"))
            return items

        def split(room: float) -> tuple[Piece | None, Piece | None]:
            if row_h <= room or aside > room:
                return None, None
            head, tail = self.split_paras(paras, c.text, room)
            if not head or not tail:
                return None, None
            return (self.prediction_piece(c, number, head, horizon, confidence, messages,
                                          continued),
                    self.prediction_piece(c, number, tail, None, None, continued=True))

        return Piece(row_h, 2 if continued else 14, draw=draw, split=split, min_head=row_h,
                     messages=messages)

    def conclusion_slides(self) -> list[plan.Slide]:
        conclusion = self.brief.conclusion
        assert conclusion is not None
        title = (conclusion.title.paragraphs[0] if conclusion.title
                 else (Span(self.labels.get("conclusion")),))
        return self.flow_slides(
            "conclusion", title, None,
            lambda size, _t: self.text_pieces(conclusion.text, self.content_w, self.style(size),
                                              gap=0),
            "", "conclusion")

    def source_slides(self) -> list[plan.Slide]:
        def build(size: float, _t: float) -> list[Piece]:
            pieces = []
            for n, source in enumerate(self.brief.sources, 1):
                group = self.next_group()
                title = source.title.paragraphs[0]
                url = source.url if source.url and source.url.lower().startswith(
                    ("http://", "https://")) else None
                if url:
                    title = tuple(replace(s, href=s.href or url) for s in title)
                head = plan.Para((Span(f"{n}.  "), *title), self.style(size - 2, bold=True))
                pieces.append(self.para_piece(head, self.content_w, GAP if n > 1 else 0, group))
                parts = [t for t in (source.publisher.plain if source.publisher else None,
                                     format_date(source.date, self.labels.language)
                                     if source.date else None) if t]
                if source.url:
                    parts.append(source.url)
                if parts:
                    para = plan.Para((Span(" · ".join(parts)),),
                                     self.style(size - 4, self.c.muted))
                    pieces.append(self.para_piece(replace(para, indent=size * 1.4),
                                                  self.content_w, 2, group))
            return pieces

        return self.flow_slides("sources", (Span(self.labels.get("sources")),), None, build, "",
                                "sources")

    def plan(self) -> plan.DeckPlan:
        brief = self.brief
        slides = [self.title_slide(), *self.summary_slides()]
        if len(brief.sections) >= 3:
            slides.extend(self.agenda_slide())
        counters = {"table": 0, "chart": 0}
        for index, section in enumerate(brief.sections):
            slides.extend(self.section_slides(index, section, counters))
        if brief.risks:
            slides.extend(self.risk_slides())
        if brief.verdict:
            slides.extend(self.verdict_slides())
        if brief.predictions:
            slides.extend(self.prediction_slides())
        if brief.conclusion and (brief.conclusion.text or brief.conclusion.title):
            slides.extend(self.conclusion_slides())
        if brief.sources:
            slides.extend(self.source_slides())
        total = len(slides)
        numbered = [replace(s, items=(*s.items, *self.footer(n, total), *self.logo_items(s)))
                    for n, s in enumerate(slides, 1)]
        meta = brief.meta
        metadata = plan.Metadata(
            title=meta.title.plain,
            author=meta.author.plain if meta.author else "",
            subject=meta.subtitle.plain if meta.subtitle else "",
            keywords=", ".join(meta.tags),
            language=meta.language,
            date=meta.date,
            classification=meta.classification or "",
        )
        # Re-planning a section at smaller sizes repeats some warnings; keep each once.
        return plan.DeckPlan(self.width, self.height, tuple(numbered), metadata,
                             self.c.primary, self.template.path if self.template else None,
                             tuple(unique(self.messages)))


def plan_deck(brief: Brief, theme: Theme, image_sizes: ImageSizes | None = None
              ) -> tuple[plan.DeckPlan, list[LayoutMessage]]:
    """Plan the deck of a brief; returns the plan and its layout messages."""
    deck = DeckPlanner(brief, theme, image_sizes).plan()
    return deck, list(deck.messages)

