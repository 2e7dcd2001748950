"""Exhibits as pieces: charts and images that shrink to the room left, and rows of player
cards that continue on the next slide."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.brief.markup import Span
from briefgen.brief.model import Chart, Image, KeyFigure, Player
from briefgen.layout import plan
from briefgen.layout.charts import chart_spec, with_labels
from briefgen.layout.common import chart_description, mix
from briefgen.layout.deck.context import GAP, Context, first_para
from briefgen.layout.deck.flow import Group, Piece
from briefgen.layout.deck.text import para_piece, takeaway_pieces
from briefgen.layout.measure import metric_font, text_width
from briefgen.layout.messages import warning

CHART_MIN = 180.0
IMAGE_MIN = 110.0


def chart_pieces(ctx: Context, chart: Chart, width: float, number: int) -> list[Piece]:
    pieces: list[Piece] = []
    spec = chart_spec(chart, ctx.c)
    if chart.title or spec.title_unit:
        spans = first_para(chart.title) if chart.title else ()
        if spec.title_unit:
            spans = (*spans, Span(f" ({spec.title_unit})" if spans else spec.title_unit))
        title = plan.Para(spans, ctx.style(ctx.s.body - 1, ctx.c.primary, bold=True))
        pieces.append(para_piece(ctx, title, width, GAP, Group(), True))
    alt = chart_description(chart)
    size = ctx.s.small + 1
    font = metric_font(ctx.family, False, False, False)

    def make(height: float) -> Piece:
        # The plot is what the axes, their titles and the legend leave of the chart's frame.
        shown = with_labels(spec, chart, width - 70, height - 60, size,
                            lambda text: text_width(text, font) * size)

        def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
            return [plan.Chart(x, y, w, height, shown, ctx.theme.fonts.deck.body, size,
                               ctx.c.text, mix(ctx.c.muted, ctx.c.background, 0.7), alt,
                               name=f"Chart {number}")]

        def shrink(room: float) -> tuple[Piece | None, Piece | None]:
            return (make(min(room, height)), None) if room >= CHART_MIN else (None, None)

        return Piece(height, GAP, draw=draw, split=shrink, min_head=CHART_MIN,
                     keep_with_next=bool(chart.takeaway or chart.source), flexible=True)

    pieces.append(make(min(300.0, ctx.body_bottom - 200)))
    pieces.extend(takeaway_pieces(ctx, chart.takeaway, chart.source, width))
    return pieces


def image_pieces(ctx: Context, image: Image, width: float) -> list[Piece]:
    size = ctx.image_sizes.get(image.path, (4, 3))
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
        para = plan.Para(first_para(image.caption),
                         ctx.style(ctx.s.small + 1, ctx.c.muted, italic=True), align="center")
        pieces.append(para_piece(ctx, para, width, 6, Group()))
    return pieces


FIGURE_PAD = 14.0  # inside a figure tile
FIGURE_GAP = 14.0  # between tiles
FIGURE_VALUE_MAX = 40.0  # pt: the largest a big number is set


# The most lines each part of a big number's tile may take: a figure is a number and a few
# words, and a tile is never split across slides.
FIGURE_LINES = (2, 1, 3, 2)  # value, delta, label, note


def figure_pieces(ctx: Context, figures: Sequence[KeyFigure], width: float, key: str = ""
                  ) -> list[Piece]:
    """Two to four big numbers as tiles in a row: each value at the largest size (the same
    for all) at which every value fits its tile on one line, its label, delta and note
    under it, each cut to a few lines (with a warning) so that a tile always fits a slide."""
    count = len(figures)
    tile_w = (width - FIGURE_GAP * (count - 1)) / count
    inner = tile_w - 2 * FIGURE_PAD
    font = metric_font(ctx.heading_family, True, False, False)
    widest = max(text_width(f.value.plain, font) for f in figures)  # in em
    size = max(ctx.s.body, min(FIGURE_VALUE_MAX, float(int(inner / widest)) if widest else
                               FIGURE_VALUE_MAX))
    tiles = []
    said = []
    for n, figure in enumerate(figures):
        paras, cut = [], False
        for para, most in zip(_figure_paras(ctx, figure, size), _part_lines(figure),
                              strict=True):
            para, shortened = ctx.cut_to_lines(para, inner, most)
            paras.append(para)
            cut = cut or shortened
        tiles.append(paras)
        if cut:
            said.append(warning(f"{key}.figures[{n}]", "cut to fit its tile on the slide; "
                                                       "shorten the value, label or note"))
    heights = [ctx.paras_height(paras, inner) for paras in tiles]
    tile_h = max(heights) + 2 * FIGURE_PAD

    def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
        items: list[plan.Item] = []
        for n, (paras, text_h) in enumerate(zip(tiles, heights, strict=True)):
            tx = x + n * (tile_w + FIGURE_GAP)
            items.append(plan.Shape("rect", tx, y, tile_w, tile_h, ctx.c.surface,
                                    name="Figure tile"))
            items.append(plan.Shape("rect", tx, y, tile_w, 3, ctx.c.primary,
                                    name="Figure accent"))
            items.append(plan.TextBox(tx + FIGURE_PAD, y + FIGURE_PAD, inner, text_h,
                                      tuple(paras), name=f"Figure {n + 1}"))
        return items

    return [Piece(tile_h, GAP, draw=draw, min_head=tile_h, messages=tuple(said))]


def _part_lines(figure: KeyFigure) -> list[int]:
    """The most lines of each paragraph _figure_paras makes of a figure."""
    value, delta, label, note = FIGURE_LINES
    return [value, *([delta] if figure.delta else []), label, *([note] if figure.note else [])]


def _value_para(ctx: Context, figure: KeyFigure, size: float) -> plan.Para:
    return plan.Para(first_para(figure.value),
                     ctx.style(size, ctx.c.primary, bold=True, heading=True))


def _figure_paras(ctx: Context, figure: KeyFigure, size: float) -> list[plan.Para]:
    text = ctx.s.body - 3
    paras = [_value_para(ctx, figure, size)]
    if figure.delta:
        paras.append(plan.Para((Span(figure.delta),), ctx.style(text, ctx.c.accent, bold=True),
                               space_before=2))
    paras.append(plan.Para(first_para(figure.label), ctx.style(text, ctx.c.text),
                           space_before=4))
    if figure.note:
        paras.append(plan.Para(first_para(figure.note), ctx.style(ctx.s.small, ctx.c.muted),
                               space_before=4))
    return paras


def player_pieces(ctx: Context, players: Sequence[Player], width: float) -> list[Piece]:
    per_row = 3 if ctx.width > 800 else 2
    if len(players) == 4 and per_row == 3:
        per_row = 2
    gap = 14.0
    card_w = (width - gap * (per_row - 1)) / per_row
    pieces: list[Piece] = []
    for start in range(0, len(players), per_row):
        row = [(n, card_paras(ctx, p)) for n, p in enumerate(players[start:start + per_row])]
        pieces.append(card_row(ctx, row, card_w, gap, GAP if start == 0 else gap))
    return pieces


def card_row(ctx: Context, cards: Sequence[tuple[int, Sequence[plan.Para]]], card_w: float,
             gap: float, gap_before: float, continued: bool = False) -> Piece:
    """A row of cards, each at its column; a row taller than a slide continues on the next
    with the rest of each card's text, cut between lines."""
    inner = card_w - 24
    heights = [ctx.paras_height(paras, inner) for _, paras in cards]
    card_h = max(heights) + 24

    def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
        items: list[plan.Item] = []
        for (n, paras), text_h in zip(cards, heights, strict=True):
            cx = x + n * (card_w + gap)
            items.append(plan.Shape("rect", cx, y, card_w, card_h, ctx.c.surface, name="Card"))
            if not continued:
                items.append(plan.Shape("rect", cx, y, card_w, 3, ctx.c.primary,
                                        name="Card accent"))
            items.append(plan.TextBox(cx + 12, y + 12, inner, text_h, tuple(paras),
                                      name="Card text"))
        return items

    def split(room: float) -> tuple[Piece | None, Piece | None]:
        if card_h <= room:
            return None, None
        cut = [(n, *ctx.split_paras(paras, inner, room - 24)) for n, paras in cards]
        head = [(n, shown) for n, shown, _ in cut if shown]
        tail = [(n, rest) for n, _, rest in cut if rest]
        if not head or not tail:
            return None, None
        return (card_row(ctx, head, card_w, gap, gap_before, continued),
                card_row(ctx, tail, card_w, gap, 0.0, continued=True))

    return Piece(card_h, gap_before, draw=draw, split=split, min_head=card_h)


def card_paras(ctx: Context, player: Player) -> list[plan.Para]:
    size = ctx.s.body - 3
    paras = [plan.Para(first_para(player.name), ctx.style(size + 2, ctx.c.primary, bold=True))]
    role = ", ".join(t.plain for t in (player.role, player.org) if t)
    if role:
        paras.append(plan.Para((Span(role),), ctx.style(size - 1, ctx.c.accent, bold=True),
                               space_before=2))
    if player.note:
        paras.append(plan.Para(first_para(player.note), ctx.style(size - 1), space_before=6))
    return paras
