"""What every part of the deck's planning shares: the slide's geometry, labels, styles, the
template's layouts, and measuring text into boxes. Frozen: planning never changes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from briefgen.brief.markup import RichText, Span
from briefgen.brief.model import Brief
from briefgen.labels import Labels, format_date, labels_for
from briefgen.layout import plan
from briefgen.layout.measure import Measured, line_height, wrap
from briefgen.layout.messages import LayoutMessage, warning
from briefgen.theme.model import DECK_FONT_METRICS, Colors, DeckSizes, Theme
from briefgen.theme.template import TemplateInfo

MARGIN = 48.0
LOGO_H = 26.0
GAP = 12.0
# The layouts of the deck's own master each slide kind is built on.
OWN_LAYOUTS = {"title": "Title Slide"}
OWN_CONTENT_LAYOUT = "Title Only"
TWO_CONTENT_LAYOUT = "Two Content"
TWO_CONTENT_GAP = 24.0  # between the two content areas, pt
# Usual layout names of PowerPoint's default master, tried in order for each slide kind.
TEMPLATE_LAYOUTS = {
    "title": ("Title Slide",),
    "content": ("Title Only", "Title and Content"),
}
SLIDE_KINDS = ("title", "summary", "agenda", "section", "risks", "verdict", "predictions",
               "conclusion", "sources")

ImageSizes = Mapping[str, tuple[int, int]]


@dataclass(frozen=True)
class Context:
    """The deck being planned: one brief under one theme."""

    brief: Brief
    theme: Theme
    labels: Labels
    image_sizes: ImageSizes
    width: float
    height: float
    # The template layout of each slide kind, and the warning its choice needs, if any.
    layouts: Mapping[str, tuple[str | None, LayoutMessage | None]]
    date_text: str

    @property
    def c(self) -> Colors:
        return self.theme.colors

    @property
    def s(self) -> DeckSizes:
        return self.theme.sizes.deck

    @property
    def template(self) -> TemplateInfo | None:
        return self.theme.template_info

    @property
    def logo(self) -> tuple[str, int, int] | None:
        return self.theme.logo_info

    @property
    def logo_w(self) -> float:
        """A logo stands at the top right of every slide; titles keep clear of it."""
        return (LOGO_H * self.logo[1] / self.logo[2]) if self.logo else 0.0

    @property
    def content_w(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def body_bottom(self) -> float:
        return self.height - 40.0

    @property
    def family(self) -> str:
        return DECK_FONT_METRICS[self.theme.fonts.deck.body]

    @property
    def heading_family(self) -> str:
        return DECK_FONT_METRICS[self.theme.fonts.deck.heading]

    # ---- styles and measuring ----------------------------------------------------------

    def style(self, size: float, color: str | None = None, *, bold: bool = False,
              italic: bool = False, heading: bool = False) -> plan.Style:
        fonts = self.theme.fonts.deck
        return plan.Style(
            font=fonts.heading if heading else fonts.body,
            size=size,
            color=color or self.c.text,
            bold=bold,
            italic=italic,
            east_asian=fonts.east_asian,
            code_font=fonts.code,
            line_spacing=self.s.line_spacing,
            heading=heading,
        )

    def measure(self, spans: tuple[Span, ...], width: float, style: plan.Style) -> float:
        family = DECK_FONT_METRICS[style.font]
        return wrap(styled(spans, style), width, style.size, family, style.line_spacing).height

    def wrapped(self, para: plan.Para, width: float) -> Measured:
        style = para.style
        return wrap(styled(para.spans, style), width - para.indent, style.size,
                    DECK_FONT_METRICS[style.font], style.line_spacing)

    def paras_height(self, paras: Sequence[plan.Para], width: float) -> float:
        return sum(p.space_before + self.measure(p.spans, width - p.indent, p.style)
                   for p in paras)

    def box(self, x: float, y: float, w: float, paras: Sequence[plan.Para], **kw: object
            ) -> plan.TextBox:
        """A text box exactly as tall as its measured paragraphs."""
        return plan.TextBox(x, y, w, self.paras_height(paras, w), tuple(paras),
                            **kw)  # type: ignore[arg-type]

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
            head = lines_para(para, lines[:fit], joins[:fit - 1])
            tail = lines_para(replace(para, bullet=None, space_before=0.0), lines[fit:],
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
        return lines_para(para, lines, measured.joins[:max_lines - 1]), True

    # ---- slides ---------------------------------------------------------------------------

    def layout_for(self, kind: str) -> str | None:
        return self.layouts[kind][0]

    def title_placeholder(self, kind: str) -> tuple[float, float, float, float] | None:
        name = self.layout_for(kind)
        layout = self.template.layout(name) if self.template and name else None
        return layout.title if layout else None

    def two_content_areas(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The left and right content areas of the Two Content layout, as (x, width): the
        content width in two halves with a gutter between."""
        width = (self.content_w - TWO_CONTENT_GAP) / 2
        return (MARGIN, width), (MARGIN + width + TWO_CONTENT_GAP, width)

    def two_content_layout(self) -> str | None:
        """The layout of a slide with two content areas: Two Content, where the master has it."""
        template = self.template
        if template is None or template.layout(TWO_CONTENT_LAYOUT):
            return TWO_CONTENT_LAYOUT
        return self.layout_for("section")

    def slide(self, kind: str, items: Sequence[plan.Item], notes: str,
              layout: str | None = None) -> plan.Slide:
        # The master's background is the theme's; no slide needs one of its own.
        return plan.Slide(kind, tuple(items), notes, layout or self.layout_for(kind))

    def prepared_by(self) -> str | None:
        author = self.brief.meta.author
        return self.labels.format("prepared_by", author=author.plain) if author else None


def make_context(brief: Brief, theme: Theme, image_sizes: ImageSizes | None
                 ) -> tuple[Context, list[LayoutMessage]]:
    """The context of a deck, and what choosing its labels had to say."""
    labels, said = labels_for(brief.meta.language, brief.meta.labels)
    width = 960.0 if theme.deck.aspect == "16:9" else 720.0
    height = 540.0
    template = theme.template_info
    if template:
        width, height = template.width, template.height
    context = Context(brief, theme, labels, image_sizes or {}, width, height,
                      {kind: template_layout(theme, kind) for kind in SLIDE_KINDS},
                      format_date(brief.meta.date, labels.language))
    return context, [warning("meta.language", w) for w in said]


def template_layout(theme: Theme, kind: str) -> tuple[str | None, LayoutMessage | None]:
    """The template layout a slide kind is built on, and the warning for a fallback."""
    template = theme.template_info
    if not template:
        return OWN_LAYOUTS.get(kind, OWN_CONTENT_LAYOUT), None
    named = theme.deck.layouts
    wanted = [named[k] for k in (kind, "content") if k in named and
              (k == kind or kind != "title")]
    wanted += list(TEMPLATE_LAYOUTS.get(kind, TEMPLATE_LAYOUTS["content"]))
    found = next((n for n in wanted if template.layout(n)), None)
    if found is None:
        found = "Blank" if template.layout("Blank") else template.layouts[0].name
    if found == wanted[0]:
        return found, None
    return found, warning("", f"template has no layout '{wanted[0]}' for {kind} slides; "
                              f"using '{found}'")


def styled(spans: tuple[Span, ...], style: plan.Style) -> tuple[Span, ...]:
    """The spans bold or italic where their paragraph's style is."""
    if not (style.bold or style.italic):
        return spans
    return tuple(replace(s, bold=s.bold or style.bold, italic=s.italic or style.italic)
                 for s in spans)


def lines_para(para: plan.Para, lines: Sequence[tuple[Span, ...]], joins: Sequence[str]
               ) -> plan.Para:
    """The paragraph of some of its wrapped lines, joined as they were in the text."""
    spans: list[Span] = []
    for n, line in enumerate(lines):
        if n and joins[n - 1]:
            spans.append(replace(line[0], text=joins[n - 1]) if line else Span(joins[n - 1]))
        spans.extend(line)
    return replace(para, spans=tuple(spans))


def first_para(text: RichText) -> tuple[Span, ...]:
    """A text as one paragraph: a cell or card shows its paragraphs joined by line breaks."""
    spans: list[Span] = []
    for n, paragraph in enumerate(text.paragraphs):
        if n:
            spans.append(Span("\n"))
        spans.extend(paragraph)
    return tuple(spans)
