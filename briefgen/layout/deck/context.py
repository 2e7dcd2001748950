"""What every part of the deck's planning shares: the slide's geometry, labels, styles, the
template's layouts, and measuring text into boxes. Frozen: planning never changes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct
from msgspec.structs import replace

from briefgen.brief.markup import RichText, Span
from briefgen.brief.model import Brief
from briefgen.labels import Labels, format_date, labels_for
from briefgen.layout import plan
from briefgen.layout.deck.look import resolve
from briefgen.layout.measure import Measured, line_height, wrap
from briefgen.layout.messages import LayoutMessage, note, warning
from briefgen.theme.fonts import ESTIMATE_SCALE, family_of, font_family
from briefgen.theme.model import Colors, DeckSizes, Theme
from briefgen.theme.template import Layout, TemplateInfo

MARGIN = 48.0
LOGO_H = 26.0
GAP = 12.0
# The layouts of the deck's own master each slide kind is built on.
OWN_LAYOUTS = {"title": "Title Slide", "two": "Two Content"}
OWN_CONTENT_LAYOUT = "Title Only"
# The deck's own content area starts below a one-line title and its rule, and ends above
# the footer line.
OWN_CONTENT_TOP = 96.0
OWN_FOOTER_ROOM = 40.0
TWO_CONTENT_GAP = 24.0
# On a template, what each slide kind needs of a layout, best first (template.LAYOUT_KINDS).
WANTED = {"title": ("title",), "two": ("two",)}
WANTED_CONTENT = ("content", "title_only", "two", "section")
SLIDE_KINDS = ("title", "summary", "agenda", "section", "risks", "verdict", "predictions",
               "conclusion", "sources")

Box = tuple[float, float, float, float]  # x, y, w, h in pt


class LayoutChoice(Struct, frozen=True):
    """The layout a slide kind is built on: its name, where it is in the package (master
    and place among that master's layouts; None on the deck's own master, found by name),
    what the template says of it, and the note its choice needs, if any."""

    name: str
    master: int | None = None
    index: int | None = None
    layout: Layout | None = None
    message: LayoutMessage | None = None

ImageSizes = Mapping[str, tuple[int, int]]


class Context(Struct, frozen=True):
    """The deck being planned: one brief under one theme."""

    brief: Brief
    theme: Theme
    labels: Labels
    image_sizes: ImageSizes
    width: float
    height: float
    # The layout of each slide kind, and of slides with two content areas ("two").
    layouts: Mapping[str, LayoutChoice]
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

    # ---- geometry ---------------------------------------------------------------------------

    def content_area(self, kind: str) -> Box:
        """Where a slide kind's body, exhibits and cards may go: the layout's content
        placeholder on a template, inside the margins on the deck's own master. The body
        starts at y or below the slide's title, whichever is lower."""
        layout = self.layouts[kind].layout
        if layout is None:
            return (MARGIN, OWN_CONTENT_TOP, self.width - 2 * MARGIN,
                    self.height - OWN_FOOTER_ROOM - OWN_CONTENT_TOP)
        return _layout_area(layout, self.width, self.height)

    def two_content_areas(self, kind: str = "section") -> tuple[Box, Box]:
        """The left and right content areas of a slide with two side by side: the "Two
        Content" layout's placeholders on a template, halves of `kind`'s content area
        otherwise (and on a template without such a layout). Slides with two content areas
        are made with `slide(..., two_content=True)`."""
        x, y, w, h = self.content_area(kind)
        layout = self.layouts["two"].layout
        if layout is not None and layout.kind == "two":
            return (_inside(layout.bodies[0], self.width, self.height),
                    _inside(layout.bodies[1], self.width, self.height))
        half = (w - TWO_CONTENT_GAP) / 2
        return (x, y, half, h), (x + half + TWO_CONTENT_GAP, y, half, h)

    @property
    def content_x(self) -> float:
        """The left edge of the content area shared by every content slide kind."""
        return self._shared_area[0]

    @property
    def content_w(self) -> float:
        """The width of the content area shared by every content slide kind."""
        return self._shared_area[2]

    @property
    def body_bottom(self) -> float:
        """The bottom of the content area shared by every content slide kind."""
        _, y, _, h = self._shared_area
        return y + h

    @property
    def _shared_area(self) -> Box:
        # Slide kinds on different layouts share what lies inside all their content areas,
        # so that a block planned once fits whichever slide it lands on.
        areas = [self.content_area(kind) for kind in SLIDE_KINDS if kind != "title"]
        left = max(a[0] for a in areas)
        top = max(a[1] for a in areas)
        right = min(a[0] + a[2] for a in areas)
        bottom = min(a[1] + a[3] for a in areas)
        return (left, top, max(right - left, 120.0), max(bottom - top, 120.0))

    @property
    def family(self) -> str:
        return family_of(self.theme.fonts.deck.body)

    @property
    def heading_family(self) -> str:
        return family_of(self.theme.fonts.deck.heading)

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
        family = family_of(style.font)
        return wrap(styled(spans, style), width, style.size, family, style.line_spacing).height

    def wrapped(self, para: plan.Para, width: float) -> Measured:
        style = para.style
        return wrap(styled(para.spans, style), width - para.indent, style.size,
                    family_of(style.font), style.line_spacing)

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
        return self.layouts[kind].name

    def title_placeholder(self, kind: str) -> Box | None:
        """Where the layout puts the title; None on the deck's own master, and on a fallback
        layout made for something else (a title slide's centred title), where the title
        stands at the top as on the own master."""
        layout = self.layouts[kind].layout
        if layout is None or layout.title is None or (
                kind != "title" and layout.kind not in ("content", "two", "title_only")):
            return None
        return _inside(layout.title, self.width, self.height)

    def placeholder(self, kind: str, which: str) -> Box | None:
        """The box of a template layout's "footer", "date", "number" or "subtitle"
        placeholder, inside the slide; None on the deck's own master or where it has none."""
        layout = self.layouts[kind].layout
        box = getattr(layout, which) if layout else None
        return _inside(box, self.width, self.height) if box else None

    def clear_of_artwork(self, kind: str, box: Box) -> bool:
        """True where a slide kind's layout draws nothing in the box but its background:
        no shape, band or picture of the master's or the layout's over part of the slide."""
        layout = self.layouts[kind].layout
        if layout is None:
            return True
        x, y, w, h = box
        for backdrop in layout.backdrops:
            bx, by, bw, bh = backdrop.box
            if not backdrop.covers(self.width, self.height) and bx < x + w and x < bx + bw \
                    and by < y + h and y < by + bh:
                return False
        return True

    def own_number(self, kind: str) -> bool:
        """True where the template's master shows a slide number of its own on every slide."""
        choice = self.layouts[kind]
        return bool(self.template and choice.master is not None
                    and self.template.masters[choice.master].own_number)

    def slide(self, kind: str, items: Sequence[plan.Item], notes: str,
              two_content: bool = False) -> plan.Slide:
        """A slide of a kind on its layout, or on the layout with two content areas."""
        # The master's background is the theme's; no slide needs one of its own.
        choice = self.layouts["two" if two_content else kind]
        return plan.Slide(kind, tuple(items), notes, choice.name, choice.master, choice.index)

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
    layouts = {kind: choose_layout(theme, kind) for kind in (*SLIDE_KINDS, "two")}
    messages = [warning("meta.language", w) for w in said]
    if template:
        # The deck takes the template's look, except what the theme file sets itself.
        theme = resolve(theme, layouts["section"].layout, theme.explicit).theme
        fonts = theme.fonts.deck
        for name in dict.fromkeys((fonts.heading, fonts.body)):
            if not font_family(name)[1]:
                where = ("is embedded in the template compressed (MicroType Express, as "
                         "PowerPoint saves it), which briefgen cannot read, and is not "
                         "installed here" if name in template.unreadable_fonts
                         else "is not installed here")
                messages.append(warning("", f"the template's font '{name}' {where}; its text "
                                            "is measured as Arial widened by "
                                            f"{round(ESTIMATE_SCALE * 100 - 100)} %, which "
                                            "may leave room to spare (install the font to "
                                            "measure it exactly)"))
    context = Context(brief, theme, labels, image_sizes or {}, width, height, layouts,
                      format_date(brief.meta.date, labels.language))
    return context, messages


def choose_layout(theme: Theme, kind: str) -> LayoutChoice:
    """The layout a slide kind is built on. On a template: the one the theme names, else
    the first whose placeholders suit the kind (title slide; title and content; title only;
    two content), preferring the master the template's own slides use for it."""
    template = theme.template_info
    if not template:
        return LayoutChoice(OWN_LAYOUTS.get(kind, OWN_CONTENT_LAYOUT))
    named: dict[str, str] = {str(k): v for k, v in theme.deck.layouts.items()}
    name = named.get(kind) or (named.get("content") if kind not in ("title", "two") else None)
    # The template's first slide shows its title master, the second its content master.
    example = template.example_masters
    preferred = (example[:1] if kind == "title" else example[1:2] or example[:1]) or (0,)
    order = sorted(template.layouts, key=lambda lay: lay.master not in preferred)
    if name:
        found = next((lay for lay in order if lay.name == name), None)
        if found:
            return _choice(found)
    wanted = WANTED.get(kind, WANTED_CONTENT)
    for rank, layout_kind in enumerate(wanted):
        found = next((lay for lay in order if lay.kind == layout_kind
                      and (kind == "title" or _roomy(lay, template))), None)
        if found:
            if name:
                return _choice(found, warning("", f"template has no layout '{name}' for "
                                                  f"{kind} slides; using {found.label}"))
            if rank and kind != "two":
                return _choice(found, note("", f"template has no title and content layout "
                                               f"for {kind} slides; using {found.label}"))
            return _choice(found)
    if kind == "two":
        return choose_layout(theme, "section")
    # Nothing suits: the layout with a title and most room, else the first; the slide's own
    # boxes then stay within the slide.
    titled = [lay for lay in order if lay.title] or list(order)
    found = max(titled, key=lambda lay: _layout_area(lay, template.width, template.height)[3])
    return _choice(found, warning("", f"template has no layout with a title and room for "
                                      f"{'a title slide' if kind == 'title' else kind + ' slides'}"
                                      f"; using {found.label}"))


def _choice(layout: Layout, message: LayoutMessage | None = None) -> LayoutChoice:
    return LayoutChoice(layout.name, layout.master, layout.index, layout, message)


def _roomy(layout: Layout, template: TemplateInfo) -> bool:
    """A content layout leaves at least a third of the slide's height for the body."""
    return _layout_area(layout, template.width, template.height)[3] >= template.height / 3


def _inside(box: Box, width: float, height: float) -> Box:
    """A template's box moved and cut to lie on the slide."""
    x, y, w, h = box
    x, y = min(max(0.0, x), width - 1), min(max(0.0, y), height - 1)
    return (x, y, max(1.0, min(w, width - x)), max(1.0, min(h, height - y)))


def _layout_area(layout: Layout, width: float, height: float) -> Box:
    """A layout's content area: its content placeholder (the two side by side together),
    else the room below its title and above its footers."""
    if layout.kind in ("content", "two") and layout.bodies:
        left = _inside(layout.bodies[0], width, height)
        right = _inside(layout.bodies[-1], width, height)
        area = (left[0], left[1], right[0] + right[2] - left[0],
                max(left[1] + left[3], right[1] + right[3]) - left[1])
        return _clear_of_artwork(area, layout, width, height)
    title = _inside(layout.title, width, height) if layout.title else None
    footers = [b[1] for b in (layout.footer, layout.date, layout.number)
               if b and b[1] > height / 2]
    bottom = min([*footers, height - OWN_FOOTER_ROOM + 8]) - 8
    if title and title[1] + title[3] < height / 2:
        top = title[1] + title[3] + GAP
        x, w = title[0], title[2]
    else:
        top, x, w = OWN_CONTENT_TOP, MARGIN, width - 2 * MARGIN
    return _clear_of_artwork((x, top, w, max(bottom - top, 120.0)), layout, width, height)


def _clear_of_artwork(area: Box, layout: Layout, width: float, height: float) -> Box:
    """The area less the artwork that reaches into it from below or above (a band, a row of
    music notes the designer drew over the placeholder's edge), where the artwork spans a
    third of its width; a panel behind the whole area is where the text goes, and stays."""
    x, top, w, h = area
    bottom = top + h
    for backdrop in layout.backdrops:
        bx, by, bw, bh = backdrop.box
        across = min(x + w, bx + bw) - max(x, bx)
        if backdrop.covers(width, height) or across < w / 3 or by >= bottom or by + bh <= top:
            continue
        if by <= top and by + bh >= bottom:
            continue  # a panel behind the area
        middle = (top + bottom) / 2
        if by > middle:
            bottom = min(bottom, by - 4)
        elif by + bh < middle:
            top = max(top, by + bh + 4)
    if bottom - top < 120.0:
        return area  # what is left is too small for a body: the placeholder's own
    return (x, top, w, bottom - top)


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
