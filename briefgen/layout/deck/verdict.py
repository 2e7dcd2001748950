"""The verdict: its headline on a band in the primary colour, its reasoning below."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.brief.markup import Span
from briefgen.layout import plan
from briefgen.layout.deck.context import Context
from briefgen.layout.deck.flow import Piece, flow_slides
from briefgen.layout.deck.text import text_pieces
from briefgen.layout.messages import LayoutMessage


def verdict_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    verdict = ctx.brief.verdict
    assert verdict is not None

    def build(size: float, _table: float, _room: float) -> list[Piece]:
        style = ctx.style(ctx.s.title - 4, ctx.c.on_primary, bold=True, heading=True)
        paras = [plan.Para(p, style, space_before=6 if n else 0)
                 for n, p in enumerate(verdict.headline.paragraphs)]
        return [verdict_band(ctx, paras),
                *text_pieces(ctx, verdict.summary, ctx.content_w, ctx.style(size), gap=18)]

    return flow_slides(ctx, "verdict", (Span(ctx.labels.get("verdict")),), None, build, "",
                       "verdict")


def verdict_band(ctx: Context, paras: Sequence[plan.Para]) -> Piece:
    """The verdict's headline on its band; a headline taller than a slide continues on
    the next, cut between lines."""
    inset = 20.0
    inner = ctx.content_w - 2 * inset
    height = ctx.paras_height(paras, inner)

    def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
        return [plan.Shape("rect", x, y, w, height + 2 * inset, ctx.c.primary,
                           name="Verdict band"),
                plan.TextBox(x + inset, y + inset, inner, height, tuple(paras), name="Verdict")]

    def split(room: float) -> tuple[Piece | None, Piece | None]:
        if height + 2 * inset <= room:
            return None, None
        head, tail = ctx.split_paras(paras, inner, room - 2 * inset)
        if not head or not tail:
            return None, None
        return verdict_band(ctx, head), verdict_band(ctx, tail)

    return Piece(height + 2 * inset, 0, draw=draw, split=split, min_head=height + 2 * inset)
