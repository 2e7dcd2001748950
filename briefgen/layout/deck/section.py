"""A section's slides: its lead as the title, its title as the kicker, its blocks flowing."""

from __future__ import annotations

from dataclasses import replace

from briefgen.brief.model import Block, Callout, Quote, Section
from briefgen.layout import plan
from briefgen.layout.deck.context import Context
from briefgen.layout.deck.exhibits import (
    chart_pieces,
    figure_pieces,
    image_pieces,
    player_pieces,
)
from briefgen.layout.deck.flow import Piece, flow_slides
from briefgen.layout.deck.tables import table_pieces
from briefgen.layout.deck.text import band_pieces, bullet_pieces, text_pieces
from briefgen.layout.messages import LayoutMessage


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
    return flow_slides(ctx, "section", title, kicker, build, notes, where)


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
        return figure_pieces(ctx, content, width)
    raise AssertionError(kind)  # pragma: no cover - the model admits no other kinds
