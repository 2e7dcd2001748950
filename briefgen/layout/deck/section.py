"""A section's slides: its lead as the title, its title as the kicker, its blocks flowing."""

from __future__ import annotations

from msgspec.structs import replace

from briefgen.brief.markup import Span
from briefgen.brief.model import Block, Callout, Quote, Section
from briefgen.layout import plan
from briefgen.layout.deck.context import Context
from briefgen.layout.deck.exhibits import (
    chart_pieces,
    figure_pieces,
    image_pieces,
    player_pieces,
)
from briefgen.layout.deck.flow import Piece, draw, flow, kept_messages, keyed, pack
from briefgen.layout.deck.frame import frame
from briefgen.layout.deck.tables import table_pieces
from briefgen.layout.deck.text import band_pieces, bullet_pieces, text_pieces
from briefgen.layout.messages import LayoutMessage, note, warning

EXHIBITS = ("chart", "table", "image")
COMMENTARY = ("text", "bullets", "numbered", "callout", "quote")


def section_slides(ctx: Context, index: int, section: Section, numbers: dict[str, int]
                   ) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    """`numbers` are those of the section's first table and chart, counted over the deck."""
    where = f"sections[{index}]"
    title = section.lead.paragraphs[0] if section.lead else section.title.paragraphs[0]
    kicker = section.title.plain if section.lead else None

    def build(size: float, table_size: float, room: float) -> list[Piece]:
        pieces: list[Piece] = []
        counted = dict(numbers)
        for m, block in enumerate(section.blocks):
            if not block.shown_in("deck"):
                continue
            key = f"{where}.blocks[{m}]"
            if block.kind in counted:
                counted[block.kind] += 1
            pieces.extend(replace(piece, key=key) for piece in block_pieces(
                ctx, block, ctx.content_w, size, table_size, counted.get(block.kind, 0), key,
                room))
        return pieces

    notes = section.notes.plain if section.notes else ""
    full = (flow(ctx, "section", title, kicker, build, notes, where)
            if section.layout != "side" else None)
    if section.layout == "full":
        assert full is not None
        return full.slides, full.said
    columns = side_columns(section)
    # Two half-width columns hold no more than one slide: a section that takes three full
    # slides is not tried side by side unless asked for.
    worth = columns and (full is None or len(full.slides) <= 2)
    side = side_slide(ctx, where, section, columns, numbers, title, kicker, notes,
                      forced=section.layout == "side") if worth and columns else None
    if side and (full is None or len(full.slides) > 1 or side[2] >= full.size):
        return [side[0]], side[1]
    if full is None:
        # Asked for side by side, and it cannot be: full width, saying why.
        full = flow(ctx, "section", title, kicker, build, notes, where)
        why = ("needs a chart, table or image and text blocks, or two such exhibits"
               if not columns
               else "the text does not fit beside the exhibit even at the theme's smallest "
                    "size")
        full.said.append(warning(f"{where}.layout", f"side by side {why}; laid out full "
                                                    "width"))
    return full.slides, full.said


Column = list[tuple[int, Block]]


def side_columns(section: Section) -> tuple[Column, Column] | None:
    """The section's blocks in two columns, left and right, when they are one exhibit and
    commentary, or two exhibits (a chart and its table): the one the brief gives first on
    the left."""
    shown = [(m, b) for m, b in enumerate(section.blocks) if b.shown_in("deck")]
    exhibit = [(m, b) for m, b in shown if b.kind in EXHIBITS]
    words = [(m, b) for m, b in shown if b.kind in COMMENTARY]
    if len(exhibit) == 2 == len(shown):
        return exhibit[:1], exhibit[1:]
    if len(exhibit) != 1 or not words or len(exhibit) + len(words) != len(shown):
        return None
    return (exhibit, words) if exhibit[0][0] < words[0][0] else (words, exhibit)


def side_slide(ctx: Context, where: str, section: Section, columns: tuple[Column, Column],
               numbers: dict[str, int], title: tuple[Span, ...], kicker: str | None,
               notes: str, forced: bool) -> tuple[plan.Slide, list[LayoutMessage], float] | None:
    """The section on one Two Content slide, the exhibit in one area and its commentary in
    the other, at the largest size (down to the floor) at which both fit; None if they do
    not. Unless asked for, an exhibit that would have to shrink to fit its area needs the
    width and is not put beside text."""
    first = frame(ctx, "section", title, kicker, where)
    # Each area starts under the title, or lower where the layout's area does.
    areas = [(x, max(first.top, y), w, min(ctx.body_bottom, y + h) - max(first.top, y))
             for x, y, w, h in ctx.two_content_areas()]
    counted = dict(numbers)
    number_of: dict[int, int] = {}  # tables and charts are numbered across the deck
    for m, block in enumerate(section.blocks):
        if block.shown_in("deck") and block.kind in counted:
            counted[block.kind] += 1
            number_of[m] = counted[block.kind]
    size, table_size = ctx.s.body, ctx.s.table
    while True:
        packed = []
        for (_, _, width, room), column in zip(areas, columns, strict=True):
            pieces: list[Piece] = []
            for m, block in column:
                key = f"{where}.blocks[{m}]"
                pieces.extend(replace(piece, key=key) for piece in block_pieces(
                    ctx, block, width, size, table_size, number_of.get(m, 0), key, room))
            packed.append(pack(keyed(pieces, where), (room, room)))
        fits = all(len(slides) == 1 and not said for slides, said in packed)
        shrunk = any(piece.messages for slides, _ in packed for placed in slides
                     for piece, _ in placed if piece.key.endswith("]")
                     and section_block(section, piece.key).kind in EXHIBITS)
        if fits and (forced or not shrunk):
            break
        if size <= ctx.s.body_floor:
            return None
        size = max(ctx.s.body_floor, size - 2)
        table_size = max(ctx.s.table_floor, table_size - 1)
    said = list(first.messages)
    if size < ctx.s.body:
        said.append(note(where, f"text shrunk to {size:g} pt to fit beside the exhibit"))
    items = list(first.items)
    for (x, top, width, _), (slides, packed_said) in zip(areas, packed, strict=True):
        said.extend(kept_messages(slides, packed_said))
        items.extend(draw(slides[0], x, top, width))
    return ctx.slide("section", items, notes, two_content=True), said, size


def section_block(section: Section, key: str) -> Block:
    """The block a piece's key names, "sections[i].blocks[m]"."""
    return section.blocks[int(key.rsplit("[", 1)[1].rstrip("]"))]


def block_pieces(ctx: Context, block: Block, width: float, size: float, table_size: float,
                 number: int, where: str, room: float) -> list[Piece]:
    """A block's pieces; `number` counts tables and charts, `room` is a continuation slide's
    body."""
    content = block.content
    kind = block.kind
    if kind == "text":
        return text_pieces(ctx, content, width, ctx.style(size))
    if kind in ("bullets", "numbered"):
        items = ([(b.text, b.sub) for b in content] if kind == "bullets"
                 else [(t, ()) for t in content])
        return bullet_pieces(ctx, items, width, size, numbered=kind == "numbered")
    if kind == "table":
        return table_pieces(ctx, content, width, table_size, number, f"{where}.table", room)
    if kind == "chart":
        return chart_pieces(ctx, content, width, number)
    if kind == "quote":
        quote: Quote = content
        return band_pieces(ctx, None, quote.text, width, size,
                           quote_by=quote.by.plain if quote.by else "")
    if kind == "callout":
        callout: Callout = content
        return band_pieces(ctx, callout.label.plain if callout.label else None, callout.text,
                           width, size)
    if kind == "players":
        return player_pieces(ctx, content, width)
    if kind == "image":
        return image_pieces(ctx, content, width)
    if kind == "figures":
        return figure_pieces(ctx, content, width, where)
    raise AssertionError(kind)  # pragma: no cover - the model admits no other kinds
