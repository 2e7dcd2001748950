"""The executive summary (the headline over the thesis's points) and the agenda."""

from __future__ import annotations

from collections.abc import Callable

from msgspec.structs import replace

from briefgen.brief.markup import RichText, Span
from briefgen.layout import plan
from briefgen.layout.deck.context import Context
from briefgen.layout.deck.flow import Piece, flow_slides
from briefgen.layout.deck.text import bullet_pieces, text_pieces
from briefgen.layout.messages import LayoutMessage


def summary_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    thesis = ctx.brief.thesis
    notes = thesis.summary.plain if thesis.summary else ""

    def points(size: float) -> list[Piece]:
        return bullet_pieces(ctx, [(p, ()) for p in thesis.points], ctx.content_w, size)

    def build(size: float, _table: float, room: float) -> list[Piece]:
        if not thesis.points:
            return text_pieces(ctx, thesis.summary, ctx.content_w, ctx.style(size))
        if size < ctx.s.body:
            return points(size)
        return spread_points(ctx, points, room)

    return flow_slides(ctx, "summary", thesis.headline.paragraphs[0],
                       ctx.labels.get("executive_summary"), build, notes, "thesis.headline")


FILL = 0.75  # of its slide's body, what a short executive summary grows to


def spread_points(ctx: Context, points: Callable[[float], list[Piece]], room: float
                  ) -> list[Piece]:
    """A few points that would leave their slide mostly empty: set a little larger (at most
    4 pt) and spaced out, so that the summary fills its slide as a summary should."""
    pieces = points(ctx.s.body)
    for size in (ctx.s.body + 4, ctx.s.body + 2):
        grown = points(size)
        if height(grown) <= room * FILL:
            pieces = grown
            break
    starts = [n for n, p in enumerate(pieces) if n and p.para is not None and p.para.bullet]
    spare = room * FILL - height(pieces)
    if not starts or spare <= 0:
        return pieces
    size = pieces[0].para.style.size if pieces[0].para else ctx.s.body
    extra = min(spare / len(starts), size * 1.2)
    return [replace(p, gap=p.gap + extra) if n in starts else p for n, p in enumerate(pieces)]


def height(pieces: list[Piece]) -> float:
    return sum(p.height + p.gap for p in pieces[1:]) + (pieces[0].height if pieces else 0.0)




def agenda_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    brief = ctx.brief
    entries = [s.title for s in brief.sections]
    names = [("risks", brief.risks), ("verdict", brief.verdict),
             ("predictions", brief.predictions)]
    extra = [RichText(ctx.labels.get(k), ((Span(ctx.labels.get(k)),),)) for k, v in names if v]

    def build(size: float, _table: float, _room: float) -> list[Piece]:
        return bullet_pieces(ctx, [(t, ()) for t in [*entries, *extra]], ctx.content_w, size,
                             numbered=True)

    return flow_slides(ctx, "agenda", (Span(ctx.labels.get("agenda")),), None, build, "",
                       "sections")
