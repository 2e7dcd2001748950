"""The title slide: title and subtitle on the theme's band, or in a template's placeholder,
with who made the brief, its date and classification."""

from __future__ import annotations

from msgspec.structs import replace

from briefgen.brief.markup import Span
from briefgen.layout import plan
from briefgen.layout.deck.context import MARGIN, Context
from briefgen.layout.deck.frame import fit_title
from briefgen.layout.measure import line_height
from briefgen.layout.messages import LayoutMessage, warning

Said = list[LayoutMessage]


def title_slide(ctx: Context) -> tuple[plan.Slide, Said]:
    placeholder = ctx.title_placeholder("title")
    if placeholder:
        return template_title_slide(ctx, placeholder)
    meta = ctx.brief.meta
    band_h = ctx.height * 0.58
    width = ctx.content_w
    items: list[plan.Item] = [plan.Shape("rect", 0, 0, ctx.width, band_h, ctx.c.primary,
                                         name="Title band")]
    title, _, said = fit_title(ctx, meta.title.paragraphs[0], width, ctx.s.title + 10,
                               ctx.s.title_floor + 4, max_lines=3, where="meta.title")
    title = replace(title, style=replace(title.style, color=ctx.c.on_primary))
    details, detail_said = detail_lines(ctx, width)
    said.extend(detail_said)
    # The band grows with its text, as far as leaves room for the details below it.
    most_band = ctx.height - 40 - 44 - ctx.paras_height(details, width)
    paras = [title]
    if meta.subtitle:
        sub_style = ctx.style(ctx.s.body + 2, ctx.c.on_primary)
        subtitle = [plan.Para(paragraph, sub_style, space_before=10)
                    for paragraph in meta.subtitle.paragraphs]
        room = most_band - 90 - ctx.paras_height(paras, width)
        shown, rest = ctx.split_paras(subtitle, width, room)
        if rest:
            said.append(warning("meta.subtitle", "cut to fit the title slide; shorten it"))
        paras.extend(shown)
    text = ctx.box(MARGIN, 0, width, paras, name="Title")
    if text.h > band_h - 60:
        band_h = text.h + 90
        items[0] = replace(items[0], h=band_h)
    # The title in the layout's title placeholder, the subtitle in a box right below it.
    top = band_h - 36 - text.h
    title_box = ctx.box(MARGIN, top, width, paras[:1], name="Title", placeholder="title")
    items.append(title_box)
    if paras[1:]:
        # Viewers differ on space before a box's first paragraph: the box starts lower.
        gap = paras[1].space_before
        subtitle = [replace(paras[1], space_before=0.0), *paras[2:]]
        items.append(ctx.box(MARGIN, top + title_box.h + gap, width, subtitle, name="Subtitle"))
    items.append(plan.Shape("rect", MARGIN, band_h + 28, 56, 3, ctx.c.accent, name="Rule"))
    if details:
        items.append(ctx.box(MARGIN, band_h + 44, width, details, name="Details"))
    return ctx.slide("title", items, ""), said


def detail_lines(ctx: Context, width: float, color: str | None = None, first_gap: float = 0.0,
                 shown_below: bool = False) -> tuple[list[plan.Para], Said]:
    """Author, date and classification under the title, one line each; the author alone when
    the slide's footer shows the others (`shown_below`)."""
    meta = ctx.brief.meta
    lines = [(k, t) for k, t in (("meta.author", ctx.prepared_by()), ("", ctx.date_text),
                                 ("meta.classification", meta.classification))
             if t and not (shown_below and k != "meta.author")]
    details = []
    said: Said = []
    for n, (key, line) in enumerate(lines):
        para = plan.Para((Span(line),), ctx.style(ctx.s.body - 2, color or ctx.c.text,
                                                  bold=n == 0),
                         space_before=(first_gap if n == 0 else 4))
        para, cut = ctx.cut_to_lines(para, width, 1)
        if cut:
            said.append(warning(key, "cut to one line on the title slide; shorten it"))
        details.append(para)
    return details, said


def template_title_slide(ctx: Context, placeholder: tuple[float, float, float, float]
                         ) -> tuple[plan.Slide, Said]:
    """The title slide on a template: the title in the layout's title placeholder, the
    subtitle and details below it, or above it where the layout leaves no room below."""
    x, y, width, least = placeholder
    # The title keeps to its placeholder's lines where it can, shrinking toward the floor.
    lines = int(least // line_height(ctx.s.title + 6, ctx.s.line_spacing))
    title, height, said = fit_title(ctx, ctx.brief.meta.title.paragraphs[0], width,
                                    ctx.s.title + 6, ctx.s.title_floor,
                                    max_lines=max(2, min(3, lines)), where="meta.title")
    box = plan.TextBox(x, y, width, max(height, least), (title,), name="Title",
                       placeholder="title")
    items: list[plan.Item] = [box]
    subtitle = ctx.brief.meta.subtitle
    paras = [plan.Para(p, ctx.style(ctx.s.body + 2, ctx.c.text), space_before=8 if n else 0)
             for n, p in enumerate(subtitle.paragraphs if subtitle else ())]
    # The subtitle and details go in the layout's subtitle placeholder where it has one below
    # the title, else below the title, or above it where the layout leaves no room below.
    spot = ctx.placeholder("title", "subtitle")
    in_spot = bool(spot and spot[1] >= y + least * 0.5)
    if spot and in_spot:
        top = max(spot[1], y + box.h + 12)
        bottom = min(ctx.height - 4, max(spot[1] + spot[3], ctx.height - 36))
        sub_x, sub_w = spot[0], spot[2]
    else:
        top = y + box.h + 12
        bottom = ctx.height - 36
        sub_x, sub_w = x, width
    # Never over the layout's footer, date or number, which the slide fills.
    footers = [b[1] for kind in ("footer", "date", "number")
               if (b := ctx.placeholder("title", kind)) and b[1] > top]
    below_room = min([bottom, *(f - 4 for f in footers)]) - top
    # The footer shows the classification and the date (or the date placeholder does): on a
    # template's title slide, whose room is the template's, the details do not repeat them.
    details, detail_said = detail_lines(ctx, sub_w, ctx.c.muted, first_gap=14 if paras else 0,
                                        shown_below=True)
    said.extend(detail_said)
    details_h = ctx.paras_height(details, sub_w)
    # In the layout's subtitle placeholder below the title, however little of the subtitle
    # fits there; without one, below the title while a line of the subtitle fits, else above.
    above = not in_spot and below_room - details_h < (
        line_height(ctx.s.body + 2, ctx.s.line_spacing) if paras else 0) and y - 12 > below_room
    room = (y - 12 if above else below_room) - details_h
    shown, rest = ctx.split_paras(paras, sub_w, room)
    if rest:
        said.append(warning("meta.subtitle", "cut to fit the title slide; shorten it"))
    if shown or details:
        below = ctx.box(sub_x, top, sub_w, [*shown, *details], name="Details")
        if above:
            below = replace(below, y=max(0.0, y - below.h - 12))
        items.append(below)
    return ctx.slide("title", items, ""), said
