"""The executive summary (the headline over the thesis's points) and the agenda."""

from __future__ import annotations

from briefgen.brief.markup import RichText, Span
from briefgen.layout import plan
from briefgen.layout.deck.context import Context
from briefgen.layout.deck.flow import Piece, flow_slides
from briefgen.layout.deck.text import bullet_pieces, text_pieces
from briefgen.layout.messages import LayoutMessage


def summary_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    thesis = ctx.brief.thesis
    notes = thesis.summary.plain if thesis.summary else ""

    def build(size: float, _table: float, _room: float) -> list[Piece]:
        if thesis.points:
            return bullet_pieces(ctx, [(p, ()) for p in thesis.points], ctx.content_w, size)
        return text_pieces(ctx, thesis.summary, ctx.content_w, ctx.style(size))

    return flow_slides(ctx, "summary", thesis.headline.paragraphs[0],
                       ctx.labels.get("executive_summary"), build, notes, "thesis.headline")


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
