"""The frame of a slide: kicker, title, rule or band, footer, slide number and logo."""

from __future__ import annotations

from msgspec import Struct
from msgspec.structs import replace

from briefgen.brief.markup import Span
from briefgen.layout import plan
from briefgen.layout.deck.context import LOGO_H, MARGIN, Context, styled
from briefgen.layout.measure import line_height, wrap
from briefgen.layout.messages import LayoutMessage, note, warning

TITLE_SHARE = 0.25  # of the slide's height, the most a title at its floor size may take
LEAD_SHARE = 0.5  # of a template's content area, the most a title leading the body may take
NUMBER_MARK = "\ue000"  # where the slide number goes in its label


class Frame(Struct, frozen=True):
    """A slide's frame: its items, where its body starts, and what fitting the title said."""

    items: tuple[plan.Item, ...]
    top: float
    messages: tuple[LayoutMessage, ...] = ()


def fit_title(ctx: Context, text: tuple[Span, ...], width: float, size: float, floor: float,
              max_lines: int = 2, where: str = ""
              ) -> tuple[plan.Para, float, list[LayoutMessage]]:
    """The title at the largest size from `size` down to `floor` at which it fits
    `max_lines`; at the floor, cut where it would take the body's room."""
    said: list[LayoutMessage] = []
    current = size
    while True:
        style = ctx.style(current, ctx.c.primary, bold=True, heading=True)
        measured = wrap(styled(text, style), width, current, ctx.heading_family,
                        style.line_spacing)
        if len(measured.lines) <= max_lines or current <= floor:
            break
        current = max(floor, current - 2)
    if current < size and where:
        said.append(note(where, f"title shrunk to {current:g} pt"))
    # At the floor a title wraps on, as far as a quarter of the slide; there it is cut.
    most = max(max_lines, int(ctx.height * TITLE_SHARE // line_height(current,
                                                                      style.line_spacing)))
    para, cut = ctx.cut_to_lines(plan.Para(text, style), width, most)
    if cut and where:
        said.append(warning(where, f"title cut to {most} lines at {current:g} pt; shorten it"))
    return para, ctx.measure(para.spans, width, style), said


def continued_title(ctx: Context, title: tuple[Span, ...], width: float,
                    number: int = 1, lines: int | None = None) -> tuple[Span, ...]:
    """The title of the number-th continuation slide, its text shortened so that the label
    fits (in `lines`, where a template's placeholder holds so many); from the second
    continuation on the label counts, so that titles stay unique."""
    plain = "".join(s.text for s in title)

    def label(text: str) -> tuple[Span, ...]:
        if number == 1:
            return (Span(ctx.labels.format("continued", title=text)),)
        return (Span(ctx.labels.format("continued_more", title=text, number=number)),)

    style = ctx.style(ctx.s.title_floor, bold=True, heading=True)
    most = lines or max(2, int(ctx.height * TITLE_SHARE // line_height(style.size,
                                                                     style.line_spacing)))

    def fits(spans: tuple[Span, ...]) -> bool:
        return len(ctx.wrapped(plan.Para(spans, style), width).lines) <= most

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


def title_width(ctx: Context, kind: str) -> float:
    placeholder = ctx.title_placeholder(kind)
    return placeholder[2] if placeholder else ctx.content_w - (ctx.logo_w + 16 if ctx.logo
                                                               else 0)


def placeholder_lines(ctx: Context, kind: str) -> int | None:
    """How many title lines at the floor a template's title placeholder holds (None on the
    own master)."""
    placeholder = ctx.title_placeholder(kind)
    if not placeholder:
        return None
    return max(1, min(2, int((placeholder[3] + 0.5)
                             // line_height(ctx.s.title_floor, ctx.s.line_spacing))))


def frame(ctx: Context, kind: str, title: tuple[Span, ...], kicker: str | None,
          where: str = "", lead: bool = True) -> Frame:
    """Kicker, title and rule of a content slide, and the top of its body."""
    items: list[plan.Item] = []
    said: list[LayoutMessage] = []
    placeholder = ctx.title_placeholder(kind)
    x, y, width = MARGIN, 26.0, title_width(ctx, kind)
    lead_para = None
    if placeholder:
        x, y, width, least = placeholder
        floor = ctx.style(ctx.s.title_floor, bold=True, heading=True)
        if lead and kicker and ctx.measure(title, width, floor) > least + 0.5:
            # A title the placeholder cannot hold even at the floor would run off the band
            # made for it: the slide takes its kicker as title, the title leads the body.
            lead_para = plan.Para(title, ctx.style(ctx.s.title_floor, ctx.c.primary,
                                                   bold=True, heading=True))
            title, kicker = (Span(kicker),), None
    kick_h = line_height(ctx.s.small + 1, ctx.s.line_spacing)
    # Over a template's title placeholder only where there is room and no artwork.
    if kicker and (not placeholder or (y >= 24 and ctx.clear_of_artwork(
            kind, (x, y - kick_h - 4, width, kick_h)))):
        kick, cut = ctx.cut_to_lines(
            plan.Para((Span(kicker),), ctx.style(ctx.s.small + 1, ctx.c.accent, bold=True)),
            width, 1)
        if cut and where:
            said.append(warning(f"{where}.title",
                                "cut to one line above the slide's title; shorten it"))
        if placeholder:
            items.append(ctx.box(x, y - kick_h - 4, width, [kick], name="Kicker"))
        else:
            items.append(ctx.box(x, y, width, [kick], name="Kicker"))
            y += kick_h + 4
    # In a template's title placeholder, the title shrinks toward the floor to keep to the
    # lines the placeholder holds, so that it stays on the artwork made for it.
    lines = placeholder_lines(ctx, kind) or 2
    para, height, fitted = fit_title(ctx, title, width, ctx.s.title, ctx.s.title_floor,
                                     max_lines=lines, where=where)
    said.extend(fitted)
    if placeholder:
        height = max(height, least)
    items.append(plan.TextBox(x, y, width, height, (para,), name="Title", placeholder="title"))
    y += height + 8
    if placeholder:
        # The body starts in the layout's content area, or below a title that outgrew its
        # placeholder.
        top = max(ctx.content_area(kind)[1], y + 8)
        if lead_para:
            area_x, area_y, area_w, area_h = ctx.content_area(kind)
            # The lead takes at most half of the content area, so the body keeps room.
            most = max(1, int((area_y + area_h - top) * LEAD_SHARE // line_height(
                ctx.s.title_floor, ctx.s.line_spacing)))
            lead_para, cut = ctx.cut_to_lines(lead_para, area_w, most)
            if cut and where:
                said.append(warning(where, f"title cut to {most} lines at "
                                           f"{ctx.s.title_floor:g} pt; shorten it"))
            box = ctx.box(area_x, top, area_w, [lead_para], name="Lead")
            items.append(box)
            top += box.h + 12
        return Frame(tuple(items), top, tuple(said))
    if ctx.theme.deck.style == "rule":
        items.append(plan.Shape("rect", MARGIN, y, 56, 3, ctx.c.accent, name="Rule"))
        y += 3
    elif ctx.theme.deck.style == "band":
        items.insert(0, plan.Shape("rect", 0, 0, 14, ctx.height, ctx.c.primary, name="Band"))
    return Frame(tuple(items), y + 16, tuple(said))


def logo_items(ctx: Context, slide: plan.Slide) -> list[plan.Item]:
    if not ctx.logo:
        return []
    band = next((i for i in slide.items if i.name == "Title band"), None)
    top = band.y + band.h + 28 if band else 24.0
    return [plan.Picture(ctx.width - MARGIN - ctx.logo_w, top, ctx.logo_w, LOGO_H,
                         ctx.logo[0], "Logo", name="Logo")]


def footer(ctx: Context, number: int, total: int, kind: str = "section"
           ) -> tuple[list[plan.Item], list[LayoutMessage]]:
    """The footer line and the slide number, in the layout's footer, date and slide-number
    placeholders where it has them; a footer too long for its line is cut."""
    style = ctx.style(ctx.s.small, ctx.c.muted)
    own_date = ctx.placeholder(kind, "date")
    left = " · ".join(t for t in (ctx.brief.meta.classification, ctx.theme.footer,
                                  None if own_date else ctx.date_text) if t)
    right_w = 80.0
    y = ctx.height - 28
    spot = ctx.placeholder(kind, "footer")
    footer_box = spot or (MARGIN, y, ctx.content_w - right_w, 0.0)
    # A footer placeholder in the middle of the slide is centred text.
    centred = bool(spot and abs(spot[0] + spot[2] / 2 - ctx.width / 2) < ctx.width * 0.1)
    items: list[plan.Item] = []
    said: list[LayoutMessage] = []
    if left:
        line, cut = ctx.cut_to_lines(
            plan.Para((Span(left),), style, align="center" if centred else "left"),
            footer_box[2], 1)
        if cut:
            said.append(warning("meta.classification" if ctx.brief.meta.classification
                                else "", "the footer is cut to fit its line; shorten the "
                                "classification or the theme's footer"))
        items.append(_placed(ctx, footer_box, line, "Footer", "footer"))
    if own_date and ctx.date_text:
        line, _ = ctx.cut_to_lines(plan.Para((Span(ctx.date_text),), style), own_date[2], 1)
        items.append(_placed(ctx, own_date, line, "Date", "date"))
    if ctx.own_number(kind):
        return items, said  # the master numbers every slide itself
    # The number is a field, which stays right when slides are added; the rest of the label
    # ("/ 17") is text.
    before, _, after = ctx.labels.format("slide", number=NUMBER_MARK, total=total).partition(
        NUMBER_MARK)
    spans = tuple(Span(t) for t in (before, str(number), after) if t)
    number_box = ctx.placeholder(kind, "number") or (ctx.width - MARGIN - right_w, y, right_w,
                                                     0.0)
    items.append(_placed(ctx, number_box, plan.Para(spans, style, align="right"),
                         "Slide number", "number", field=1 if before else 0))
    return items, said


def _placed(ctx: Context, spot: tuple[float, float, float, float], para: plan.Para,
            name: str, placeholder: str, field: int | None = None) -> plan.TextBox:
    """A one-line box in a footer placeholder's spot, its text centred in it, never below
    the slide's edge."""
    x, y, w, h = spot
    box = ctx.box(x, y, w, [para], name=name, placeholder=placeholder, field=field)
    if h <= box.h:
        return replace(box, y=min(y, ctx.height - box.h))
    return replace(box, h=h, anchor="middle")
