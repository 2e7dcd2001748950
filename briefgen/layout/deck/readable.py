"""Text that reads on a template: each paragraph's colour checked against what is really
behind it (its box's fill, a shape the slide draws, the layout's or master's artwork or
background) and changed to the template's light or dark text colour where it would not read."""

from __future__ import annotations

from msgspec.structs import replace

from briefgen.errors import listed
from briefgen.layout import plan
from briefgen.layout.deck.context import Context
from briefgen.layout.deck.look import LARGE_CONTRAST, TEXT_CONTRAST, backdrop_at, readable_on
from briefgen.layout.messages import LayoutMessage, warning
from briefgen.theme.model import contrast
from briefgen.theme.template import Layout, MasterLook

Fill = tuple[float, float, float, float, str]


def _least(style: plan.Style) -> float:
    large = style.size >= 18 or (style.bold and style.size >= 14)
    return LARGE_CONTRAST if large else TEXT_CONTRAST


def _behind(fills: list[Fill], layout: Layout, box: tuple[float, float, float, float],
            background: str) -> tuple[str, ...]:
    """The colours behind a box, at its first and last line's start and middle: the slide's
    own shapes, then the template's ("" where that is a picture)."""
    x, y, w, h = box
    inset = min(h / 2, 8.0)
    found = []
    for px in (x + min(w / 2, 8.0), x + w / 2):
        for py in (y + inset, y + h - inset):
            color = next((c for fx, fy, fw, fh, c in reversed(fills)
                          if fx <= px <= fx + fw and fy <= py <= fy + fh), None)
            if color is None:
                color = backdrop_at(layout.backdrops, px, py)
            found.append(background if color is None else color)
    return tuple(dict.fromkeys(found))


def _paras(paras: tuple[plan.Para, ...], backs: tuple[str, ...], options: tuple[str, ...],
           title: str | None) -> tuple[plan.Para, ...]:
    fixed = []
    solid = tuple(b for b in backs if b) or ("FFFFFF",)
    for para in paras:
        wanted = (title, *options) if title else options
        color = readable_on(para.style.color, solid, _least(para.style),
                            tuple(c for c in wanted if c))
        fixed.append(para if color == para.style.color
                     else replace(para, style=replace(para.style, color=color)))
    return tuple(fixed)


def _box(box: plan.TextBox, backs: tuple[str, ...], options: tuple[str, ...],
         look: MasterLook) -> plan.TextBox:
    backs = (box.fill,) if box.fill else backs
    title = look.title_color if box.placeholder == "title" else None
    paras = box.paras
    if title:
        # The template's title colour wins where it reads.
        paras = tuple(replace(p, style=replace(p.style, color=title)) for p in paras)
    elif not any(backs) and look.body_color:
        # On a picture nothing can be checked: text takes the colour the template's designer
        # gave its text there rather than a muted or accent one.
        paras = tuple(replace(p, style=replace(p.style, color=look.body_color)) for p in paras)
    fixed = _paras(paras, backs, options, title)
    solid = tuple(b for b in backs if b) or ("FFFFFF",)
    if box.fill is None and any(contrast(p.style.color, back) < _least(p.style)
                                for p in fixed for back in solid):
        # No colour reads on everything behind it (text across bands of artwork): the box
        # gets the page's colour behind its text.
        page = max(options, key=lambda c: min(contrast(p.style.color, c) for p in paras))
        return replace(box, fill=page, paras=_paras(paras, (page,), options, title))
    return replace(box, paras=fixed)


def _cell(cell: plan.Cell, backs: tuple[str, ...], options: tuple[str, ...]) -> plan.Cell:
    """A table cell whose text reads on its fill, or on everything behind the table; where
    no colour reads on all of that (a table across bands of artwork), on the page's colour
    as the cell's own fill."""
    if cell.fill or not cell.paras:
        return replace(cell, paras=_paras(cell.paras, (cell.fill or "FFFFFF",), options, None))
    fixed = _paras(cell.paras, backs, options, None)
    solid = tuple(b for b in backs if b) or ("FFFFFF",)
    if all(contrast(p.style.color, back) >= _least(p.style) for p in fixed for back in solid):
        return replace(cell, paras=fixed)
    page = max(options, key=lambda c: min(contrast(p.style.color, c) for p in cell.paras))
    return replace(cell, fill=page, paras=_paras(cell.paras, (page,), options, None))


def readable_slides(ctx: Context, slides: list[plan.Slide]
                    ) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    """The slides with every text run readable on its template; a note where text stands on
    a picture, which cannot be checked."""
    template = ctx.template
    if template is None:
        return slides, []
    layouts: dict[tuple[int | None, int | None], Layout] = {
        (lay.master, lay.index): lay for lay in template.layouts}
    pictured: set[str] = set()
    out = []
    for slide in slides:
        layout = layouts.get((slide.master, slide.layout_index))
        if layout is None:
            out.append(slide)
            continue
        look = template.masters[layout.master]
        options = tuple(c for c in (look.color("tx1"), look.color("bg1"), ctx.c.text,
                                    ctx.c.background, look.color("tx2"), look.color("bg2"))
                        if c)
        fills: list[Fill] = []
        items: list[plan.Item] = []
        for item in slide.items:
            backs = _behind(fills, layout, (item.x, item.y, item.w, item.h), ctx.c.background)
            if "" in backs and not getattr(item, "fill", None) and not isinstance(
                    item, plan.Picture | plan.Shape):
                pictured.add(slide.kind)
            if isinstance(item, plan.TextBox):
                item = _box(item, backs, options, look)
            elif isinstance(item, plan.Shape) and item.text:
                item = replace(item, text=_box(item.text, (item.fill,) if item.fill else backs,
                                               options, look))
            elif isinstance(item, plan.Table):
                rows = tuple(tuple(_cell(cell, backs, options) for cell in row)
                             for row in item.rows)
                item = replace(item, rows=rows)
            elif isinstance(item, plan.Chart):
                item = replace(item, text_color=readable_on(
                    item.text_color, tuple(b for b in backs if b) or ("FFFFFF",),
                    TEXT_CONTRAST, options))
            fill = getattr(item, "fill", None)
            if isinstance(item, plan.Shape | plan.TextBox) and fill:
                fills.append((item.x, item.y, item.w, item.h, fill))
            items.append(item)
        out.append(replace(slide, items=tuple(items)))
    said = [warning("", f"the template draws a picture behind the text of "
                        f"{listed(sorted(pictured))} slides; check that the text reads on it")
            ] if pictured else []
    return out, said

