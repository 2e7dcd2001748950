"""The memo's page-break policy: each element measured, breaks placed before what must not
be cut (a heading with what follows, a short list, a figure with its caption), and the memo's
length estimated, with fallbacks where something cannot be kept together."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec.structs import replace

from briefgen.brief.markup import Span
from briefgen.layout import memo_plan as p
from briefgen.layout.memo_metrics import TextStyle, para_height

SHORT_LIST = 5  # items; a list this short is kept on one page where it fits
FLOAT_EMPTY = 0.25  # a figure that moves on and leaves more of its page than this empty floats
TALL_ROW = 200.0  # pt: a table row taller than this may be cut across pages; others move whole


class Measure:
    """Heights of the memo's elements in a frame, with the plan's text styles."""

    def __init__(self, styles: dict[str, TextStyle], width: float, height: float) -> None:
        self.styles = styles
        self.width = width
        self.frame = height
        # Heights by the id of what was measured: the page-break policy asks for them more
        # than once, and the elements live as long as the planning.
        self.known: dict[int, tuple[object, float]] = {}
        self.known_rows: dict[int, tuple[object, list[float]]] = {}

    def para(self, spans: p.Spans, role: str, width: float | None = None,
             spaced: bool = True) -> float:
        return para_height(spans, self.width if width is None else width, self.styles[role],
                           spaced)

    def paras(self, paras: Sequence[p.Para], role: str, width: float) -> float:
        return sum(self.para(x.spans, role, width, not x.continues) for x in paras)

    def box(self, inner: float, padding: float, accent: bool = True) -> float:
        return inner + padding * (p.BOX_TOP + p.BOX_BOTTOM) + p.BOX_SPACE_AFTER

    def box_width(self, padding: float, accent: bool = True) -> float:
        return self.width - 2 * padding - (p.BOX_ACCENT if accent else 0.0)

    def item(self, cell: p.Cell, level: int) -> float:
        role = "sub_bullet" if level else "bullet"
        return sum(self.para(s, role, None, n == len(cell) - 1) for n, s in enumerate(cell))

    def cell(self, cell: p.Cell, width: float, style: TextStyle) -> float:
        return sum(para_height(s, width, style, False) for s in cell)

    def row(self, grid: p.Grid, cells: Sequence[p.Cell], role: str, r: int | None = None
            ) -> float:
        style = self.styles[role]
        if style.size != grid.size:  # a table of many columns is set smaller
            style = replace(style, size=grid.size, leading=grid.size * 1.3)
        tallest = 0.0
        for c, (cell, width) in enumerate(zip(cells, grid.widths, strict=True)):
            chip = grid.chips[r][c] if r is not None and grid.chips else None
            if chip is not None:
                tallest = max(tallest, chip.size + 5)
            else:
                tallest = max(tallest, self.cell(cell, width - 2 * grid.pad, style))
        return tallest + p.CELL_TOP + p.CELL_BOTTOM

    def header_row(self, grid: p.Grid) -> float:
        return self.row(grid, [(c,) for c in grid.columns], "cell_head")

    def rows(self, grid: p.Grid) -> list[float]:
        known = self.known_rows.get(id(grid))
        if known is None or known[0] is not grid:
            known = self.known_rows[id(grid)] = (
                grid, [self.row(grid, cells, "cell", r) for r, cells in enumerate(grid.rows)])
        return known[1]

    def callout(self, box: p.Callout) -> float:
        width = self.box_width(p.BOX_PAD)
        inner = self.paras(box.paras, "callout", width)
        if box.label:
            inner += self.para((Span(box.label),), "label", width)
        return self.box(inner, p.BOX_PAD)

    def body(self, body: p.Grid | p.Figure | p.Picture) -> float:
        if isinstance(body, p.Grid):
            return self.header_row(body) + sum(self.rows(body)) + p.TABLE_SPACE_AFTER
        return body.height

    def exhibit(self, exhibit: p.Exhibit) -> float:
        height = self.heading(exhibit.heading) if exhibit.heading else 0.0
        height += self.body(exhibit.body)
        if exhibit.caption:
            height += self.para(exhibit.caption.spans, "caption")
        if exhibit.takeaway:
            height += self.callout(exhibit.takeaway) + 4
        if exhibit.source:
            height += self.para(exhibit.source.spans, "muted")
        return height

    def figure_row(self, row: p.FigureRow) -> float:
        """The tallest of the big numbers' cells, padded, with the rule over them."""
        width = row.cell_width(self.width) - 2 * p.FIGURE_PAD
        value = replace(self.styles["figure_value"], size=row.value_size,
                        leading=row.value_size * 1.15)
        tallest = 0.0
        for figure in row.figures:
            height = para_height(figure.value, width, value, False)
            if figure.delta:
                height += self.para((Span(figure.delta),), "figure_delta", width)
            height += self.para(figure.label, "figure_label", width)
            if figure.note:
                height += self.para(figure.note, "figure_note", width)
            tallest = max(tallest, height)
        return tallest + 2 * p.FIGURE_PAD + p.BOX_SPACE_AFTER

    def heading(self, heading: p.Heading) -> float:
        role = "h1" if heading.level == 1 else "h2"
        number = (Span(heading.number + "  "),) if heading.number else ()
        return self.para((*number, *heading.text), role)

    def header(self, block: p.HeaderBlock) -> float:
        value_width = self.width - p.FIELD_COLUMN - p.FIELD_GAP
        rows = sum(max(self.para((Span(label),), "field", p.FIELD_COLUMN - p.FIELD_GAP,
                                 False),
                       self.para(value, "field_value", value_width, False)) + 5
                   for label, value in block.rows)
        return self.para((Span(block.title),), "memo_title") + rows + p.HEADER_SPACE_AFTER

    def bottom_line(self, block: p.BottomLine) -> float:
        width = self.box_width(p.PANEL_PAD)
        inner = (self.para((Span(block.label),), "label", width)
                 + self.para(block.headline, "headline", width)
                 + self.paras(block.summary, "body", width))
        if block.points:
            inner += self.para((Span(block.points_label),), "label", width)
            inner += sum(para_height(s, width, self.styles["bullet"], n == len(c) - 1)
                         for c in block.points for n, s in enumerate(c))
        return self.box(inner, p.PANEL_PAD)

    def verdict(self, box: p.VerdictBox) -> float:
        width = self.box_width(p.PANEL_PAD)
        return self.box(self.paras(box.headline, "headline", width)
                        + self.paras(box.summary, "body", width), p.PANEL_PAD)

    def quote(self, quote: p.Quote) -> float:
        width = self.box_width(p.BOX_PAD)
        inner = self.paras(quote.paras, "quote", width)
        if quote.by:
            inner += self.para((Span("— " + quote.by),), "muted", width)
        return self.box(inner, p.BOX_PAD)

    def contents(self, contents: p.Contents) -> float:
        width = self.width - p.CONTENTS_PAGE_COLUMN
        rows = sum(self.para((Span(h.number + "  "), *h.text), "contents", width, False) + 3
                   for h in contents.entries)
        return self.para((Span(contents.label),), "h2") + rows + p.BOX_SPACE_AFTER

    def height(self, element: p.Element) -> float:
        """The height an element takes, all of it."""
        known = self.known.get(id(element))
        if known is None or known[0] is not element:
            known = self.known[id(element)] = (element, self.measured(element))
        return known[1]

    def measured(self, element: p.Element) -> float:
        if isinstance(element, p.Para):
            return self.para(element.spans, element.role, None, not element.continues)
        if isinstance(element, p.Heading):
            return self.heading(element)
        if isinstance(element, p.ListBlock):
            return sum(self.item(c, level) for c, level in element.items) + (
                0.0 if element.more else p.LIST_SPACE_AFTER)
        if isinstance(element, p.Callout):
            return self.callout(element)
        if isinstance(element, p.Quote):
            return self.quote(element)
        if isinstance(element, p.VerdictBox):
            return self.verdict(element)
        if isinstance(element, p.BottomLine):
            return self.bottom_line(element)
        if isinstance(element, p.Exhibit):
            return self.exhibit(element)
        if isinstance(element, p.HeaderBlock):
            return self.header(element)
        if isinstance(element, p.RiskMatrix):
            return element.size + p.MATRIX_MARGIN
        if isinstance(element, p.Contents):
            return self.contents(element)
        if isinstance(element, p.FigureRow):
            return self.figure_row(element)
        return 0.0  # a Break takes no room

    def lines(self, role: str, count: int = 2) -> float:
        return self.styles[role].leading * count

    def first(self, element: p.Element) -> float:
        """The height of what must come onto the page with an element's start: a whole
        element that is never cut, else its first lines, first row or first item."""
        whole = self.height(element)
        if isinstance(element, p.Para):
            return min(whole, self.lines(element.role) + self.styles[element.role].space_before)
        if isinstance(element, p.ListBlock):
            cell, level = element.items[0]
            return min(self.item(cell, level), self.lines("bullet"))
        if isinstance(element, (p.Callout, p.Quote, p.VerdictBox, p.BottomLine)):
            return whole if whole <= self.frame / 3 else self.lines("body") + p.BOX_PAD
        if isinstance(element, p.Exhibit):
            return self.exhibit_need(element)
        if isinstance(element, p.Contents):
            return min(whole, self.frame / 3)
        return whole

    def exhibit_need(self, exhibit: p.Exhibit) -> float:
        """An exhibit moves whole to the next page when it fits one (a table only when it
        takes less than a third of a page); else its heading, its figure and caption or the
        table's header and first row must come together."""
        whole = self.exhibit(exhibit)
        body = exhibit.body
        limit = self.frame / 3 if isinstance(body, p.Grid) else self.frame
        if whole <= limit:
            return whole
        need = self.heading(exhibit.heading) if exhibit.heading else 0.0
        if isinstance(body, p.Grid):
            # The header and first row, or as much of them as may start a page when cut.
            header = self.header_row(body)
            if not body.repeat_header:
                return need + min(header, body.least_cut)
            first = self.rows(body)[0]
            need += header + (min(first, body.least_cut) if body.cut_rows[0] else first)
        else:
            need += body.height
            if exhibit.caption:
                need += self.para(exhibit.caption.spans, "caption")
        return need


def _list_pieces(block: p.ListBlock, measure: Measure) -> list[p.Element]:
    """A list with breaks between its items: a short list kept whole, a long one with its last
    two items together; each break asks for no more than a sixth of a page."""
    sixth = measure.frame / 6
    heights = [measure.item(c, level) for c, level in block.items]
    if len(block.items) <= SHORT_LIST or len(block.items) < 3:
        return [p.Break(min(sum(heights), sixth)), block]
    cut = len(block.items) - 2
    # The item where the tail starts continues the numbering of the items before it.
    start = block.start + sum(1 for _, level in block.items[:cut] if level == 0)
    return [replace(block, items=block.items[:cut], more=True),
            p.Break(min(sum(heights[cut:]), sixth)),
            replace(block, items=block.items[cut:], start=start)]


def paginate(elements: Sequence[p.Element], measure: Measure) -> tuple[tuple[p.Element, ...],
                                                                        int]:
    """The elements with the breaks that keep what belongs together on a page, and an
    estimate of the pages they fill."""
    out: list[p.Element] = []
    for element in elements:
        if isinstance(element, p.ListBlock):
            out.extend(_list_pieces(element, measure))
        elif isinstance(element, (p.Exhibit, p.RiskMatrix, p.Callout, p.Quote, p.VerdictBox,
                                  p.Contents, p.FigureRow)):
            out.extend([p.Break(measure.first(element)), element])
        else:
            out.append(element)
    # A heading (and the lead under it) comes onto a page only with the start of what
    # follows: one break before it asks for all of them, at most a page, and the breaks
    # between them go.
    placed: list[p.Element] = []
    n = 0
    while n < len(out):
        element = out[n]
        if not isinstance(element, p.Heading):
            placed.append(element)
            n += 1
            continue
        run: list[p.Element] = []
        kept = 0.0  # what a break among them asked to keep with what follows
        while n < len(out) and (isinstance(out[n], (p.Heading, p.Break)) or _is_lead(out[n])):
            following = out[n]
            if isinstance(following, p.Break):
                kept = following.need
            else:
                run.append(following)
                kept = 0.0
            n += 1
        need = sum(measure.height(e) for e in run)
        if n < len(out):
            need += max(kept, measure.first(out[n]))
        if placed and isinstance(placed[-1], p.Break):
            need = max(need, placed.pop().need)  # type: ignore[union-attr]
        placed.extend([p.Break(min(need, measure.frame)), *run])
    merged = _floated(_merged(placed, measure.frame), measure)
    return tuple(merged), _pages(merged, measure)


def _floated(elements: list[p.Element], measure: Measure) -> list[p.Element]:
    """A chart or picture that moves to the next page and leaves more than FLOAT_EMPTY of this
    one empty lets the whole paragraphs of text after it that fit the room come first."""
    out = list(elements)
    left, n = measure.frame, 0
    while n < len(out):
        element = out[n]
        if not isinstance(element, p.Break):
            height = measure.height(element)
            while height > left:
                height -= left
                left = measure.frame
            left -= height
            n += 1
            continue
        figure = out[n + 1] if n + 1 < len(out) else None
        if left < element.need and isinstance(figure, p.Exhibit) and \
                not isinstance(figure.body, p.Grid) and left > measure.frame * FLOAT_EMPTY:
            end = _paragraphs_within(out, n + 2, left, measure)
            if end > n + 2:
                out[n:end] = [*out[n + 2:end], element, figure]
                continue  # the paragraphs now come first, and fill the page
        if left < element.need:
            left = measure.frame
        n += 1
    return out


def _paragraphs_within(elements: list[p.Element], start: int, room: float, measure: Measure
                       ) -> int:
    """Where the whole body paragraphs from `start` that fit `room` end."""
    end, used = start, 0.0
    while end < len(elements):
        last, height = end, 0.0
        while last < len(elements):
            piece = elements[last]
            if not isinstance(piece, p.Para) or piece.role != "body":
                return end
            height += measure.height(piece)
            if not piece.continues:
                break
            last += 1
        if last >= len(elements) or used + height > room:
            return end
        used += height
        end = last + 1
    return end


def _is_lead(element: p.Element) -> bool:
    return isinstance(element, p.Para) and element.role == "lead"


def _merged(elements: list[p.Element], frame: float) -> list[p.Element]:
    """Consecutive breaks as one (the largest), every break at most a page."""
    out: list[p.Element] = []
    for element in elements:
        if isinstance(element, p.Break):
            need = min(element.need, frame)
            if out and isinstance(out[-1], p.Break):
                need = max(need, out.pop().need)  # type: ignore[union-attr]
            out.append(p.Break(need))
        else:
            out.append(element)
    return out


def _pages(elements: Sequence[p.Element], measure: Measure) -> int:
    """Pages the elements fill, placing them in order: a break starts a new page when less
    than its need is left; everything else flows on."""
    pages, left = 1, measure.frame
    for element in elements:
        if isinstance(element, p.Break):
            if left < element.need:
                pages, left = pages + 1, measure.frame
            continue
        height = measure.height(element)
        while height > left:
            height -= left
            pages, left = pages + 1, measure.frame
        left -= height
    return pages
