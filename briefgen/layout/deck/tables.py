"""Tables as pieces: columns sized to their content, text shrunk toward the floor, split
between rows (and a row taller than a slide between lines) with the header repeated."""

from __future__ import annotations

from msgspec import Struct
from msgspec.structs import replace

from briefgen.brief.markup import RichText, Span
from briefgen.brief.model import Table
from briefgen.layout import plan
from briefgen.layout.common import is_numeric_column, mix
from briefgen.layout.deck.context import GAP, Context, first_para, lines_para
from briefgen.layout.deck.flow import Group, Piece
from briefgen.layout.deck.text import para_piece, takeaway_pieces
from briefgen.layout.measure import line_height, longest_word, wrap
from briefgen.layout.messages import LayoutMessage, note, warning

CELL_PAD_X = 6.0
CELL_PAD_Y = 4.0
MIN_COLUMN = 44.0

Row = tuple[plan.Cell, ...]


def table_pieces(ctx: Context, table: Table, width: float, size: float, number: int, key: str,
                 room: float) -> list[Piece]:
    """A table block: its title, the table, and its takeaway and source; `room` is the body
    of a continuation slide."""
    pieces: list[Piece] = []
    if table.title:
        title = plan.Para(table.title.paragraphs[0] if table.title.paragraphs else (),
                          ctx.style(size + 1, ctx.c.primary, bold=True))
        pieces.append(para_piece(ctx, title, width, GAP, Group(), True))
    after = takeaway_pieces(ctx, table.takeaway, table.source, width)
    # What the table may take so that it, its title and takeaway share one slide.
    budget = room - sum(p.height + p.gap for p in (*pieces, *after))
    rows = len(table.rows)
    alt = ((f"{table.title.plain}. " if table.title else "")
           + f"Table of {rows} row{'s' if rows != 1 else ''}; columns: "
           + ", ".join(c.plain for c in table.columns))
    pieces.extend(grid_pieces(ctx, list(table.columns), [list(r) for r in table.rows], width,
                              size, f"table {number}", key, room,
                              keep_with_next=bool(table.takeaway), budget=budget, alt=alt))
    pieces.extend(after)
    return pieces


def column_widths(ctx: Context, cells: list[list[tuple[Span, ...]]], width: float, size: float
                  ) -> tuple[list[float], bool]:
    """Widths from measured content; False when the floor size still cannot fit words."""
    columns = len(cells[0])
    pad = 2 * CELL_PAD_X
    natural = [0.0] * columns
    least = [MIN_COLUMN] * columns
    for row in cells:
        for c, spans in enumerate(row):
            measured = wrap(spans, 10_000, size, ctx.family, ctx.s.line_spacing)
            natural[c] = max(natural[c], measured.widest + pad)
            least[c] = max(least[c], min(longest_word(spans, size, ctx.family) + pad, 180))
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


def grid_pieces(ctx: Context, columns: list[RichText], rows: list[list[RichText]],
                width: float, size: float, name: str, key: str, room: float,
                keep_with_next: bool = False, budget: float | None = None, alt: str = ""
                ) -> list[Piece]:
    """A native table measured row by row; splits between rows with the header repeated.

    Text shrinks toward the floor while words do not fit their columns or a row is taller
    than a slide, and also when that lets a table within `budget` stay on one slide.
    """
    header = [first_para(c) for c in columns]
    bold_header = [tuple(replace(s, bold=True) for s in cell) for cell in header]
    body = [[first_para(c) for c in row] for row in rows]
    numeric = [is_numeric_column([r[c].plain for r in rows]) for c in range(len(columns))]
    tallest_allowed = ctx.body_bottom - 160  # a row must fit on a continuation slide

    def row_height(cells: list[tuple[Span, ...]], style: plan.Style,
                   widths: list[float]) -> float:
        heights = [ctx.measure(s, w - 2 * CELL_PAD_X, style) for s, w in
                   zip(cells, widths, strict=True)]
        return max(heights) + 2 * CELL_PAD_Y

    def layout(at: float) -> tuple[list[float], bool, float, float]:
        widths, fits = column_widths(ctx, [bold_header, *body], width, at)
        style = ctx.style(at)
        heights = [row_height(r, style, widths) for r in body]
        total = sum(heights) + row_height(header, ctx.style(at, bold=True), widths)
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
        if current <= ctx.s.table_floor:
            # Even the floor cannot keep it on one slide: split it at a readable size
            # (between rows, or inside a row that no size keeps on one slide).
            current = next((s for s in (readable, words_fit) if s is not None), current)
            break
        current = max(ctx.s.table_floor, current - 1)
    widths, fits, tallest, total = layout(current)
    cell_style = ctx.style(current)
    said = (note(key, f"text shrunk to {current:g} pt to fit the slide"),) if current < size \
        else ()
    head_style = ctx.style(current, ctx.c.on_primary, bold=True)

    def cell(spans: tuple[Span, ...], style: plan.Style, c: int) -> plan.Cell:
        align: plan.Align = "right" if numeric[c] else "left"
        return plan.Cell((plan.Para(spans, style, align=align),))

    # The header is repeated on every slide the table takes: it keeps to a third of one,
    # its headings cut where they would take more.
    head_lines = max(1, int((room / 3 - 2 * CELL_PAD_Y)
                            // line_height(current, ctx.s.line_spacing)))
    heads, cut = [], False
    for c, spans in enumerate(header):
        para, was_cut = ctx.cut_to_lines(cell(spans, head_style, c).paras[0],
                                         widths[c] - 2 * CELL_PAD_X, head_lines)
        heads.append(plan.Cell((para,)))
        cut = cut or was_cut
    if cut:
        said = (*said, warning(key, f"column headings cut to {head_lines} lines to fit the "
                                    "slide; shorten them"))
    grid = Grid(tuple(heads), row_height([h.paras[0].spans for h in heads], head_style, widths),
                tuple(widths), name, key, room, alt)
    body_rows = [tuple(cell(s, cell_style, c) for c, s in enumerate(r)) for r in body]
    body_hs = [row_height(r, cell_style, widths) for r in body]
    return [table_piece(ctx, grid, body_rows, body_hs, keep_with_next, messages=said)]


class Grid(Struct, frozen=True):
    """What every part of one split table shares."""

    head: Row
    head_h: float
    widths: tuple[float, ...]
    name: str
    key: str
    room: float  # the body of a continuation slide
    alt: str = ""


def table_piece(ctx: Context, grid: Grid, rows: list[Row], heights: list[float],
                keep_with_next: bool, band: int = 0, messages: tuple[LayoutMessage, ...] = ()
                ) -> Piece:
    """Rows under the header, banded from each slide's first row; `band` 1 shades the first
    row, the rest of a row cut on the slide before, to match its beginning."""
    head_h = grid.head_h
    total = head_h + sum(heights)

    def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
        banded = tuple(
            tuple(replace(c, fill=ctx.c.surface if (band + n) % 2 else None) for c in row)
            for n, row in enumerate(rows)
        )
        header = tuple(replace(c, fill=ctx.c.primary) for c in grid.head)
        return [plan.Table(x, y, grid.widths, (head_h, *heights), (header, *banded), 1,
                           CELL_PAD_X, mix(ctx.c.muted, ctx.c.background, 0.6),
                           name=f"Table ({grid.name})", alt=grid.alt)]

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
        if count < len(rows) and head_h + heights[count] > grid.room:
            # A row no slide can hold starts here and continues, cut between lines.
            cut = split_row(ctx, rows[count], grid.widths, room - used)
            if cut is not None:
                (top, top_h), (bottom, bottom_h) = cut
                first, first_hs = [*first, top], [*first_hs, top_h]
                rest, rest_hs = [bottom, *rest[1:]], [bottom_h, *rest_hs[1:]]
                rest_band = (band + count) % 2
        if not first or not rest:
            return None, None
        head_part = table_piece(ctx, grid, first, first_hs, False, band, messages)
        tail = table_piece(ctx, grid, rest, rest_hs, keep_with_next, rest_band)
        return head_part, tail

    can_split = len(rows) > 1 or (bool(rows) and head_h + heights[0] > grid.room)
    return Piece(total, GAP, draw=draw, keep_with_next=keep_with_next,
                 split=split if can_split else None,
                 min_head=head_h + (heights[0] if heights else 0), split_key=grid.key,
                 messages=messages)


def split_row(ctx: Context, row: Row, widths: tuple[float, ...], room: float
              ) -> tuple[tuple[Row, float], tuple[Row, float]] | None:
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
        measured = ctx.wrapped(para, width - 2 * CELL_PAD_X)
        lines, joins = measured.lines, measured.joins
        top.append(replace(cell, paras=(lines_para(para, lines[:fit], joins[:fit - 1]),)))
        bottom.append(replace(cell, paras=(lines_para(para, lines[fit:], joins[fit:]),)))

    def height(cells: list[plan.Cell]) -> float:
        return max(ctx.measure(c.paras[0].spans, w - 2 * CELL_PAD_X, c.paras[0].style)
                   for c, w in zip(cells, widths, strict=True)) + 2 * CELL_PAD_Y

    return (tuple(top), height(top)), (tuple(bottom), height(bottom))
