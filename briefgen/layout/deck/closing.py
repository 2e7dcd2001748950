"""The closing slides: the conclusion, and the numbered sources with their links."""

from __future__ import annotations

from msgspec.structs import replace

from briefgen.brief.markup import Span
from briefgen.labels import format_date
from briefgen.layout import plan
from briefgen.layout.common import source_link
from briefgen.layout.deck.context import GAP, Context
from briefgen.layout.deck.flow import Group, Piece, flow_slides
from briefgen.layout.deck.text import para_piece, text_pieces
from briefgen.layout.messages import LayoutMessage


def conclusion_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    conclusion = ctx.brief.conclusion
    assert conclusion is not None
    title = (conclusion.title.paragraphs[0] if conclusion.title
             else (Span(ctx.labels.get("conclusion")),))
    return flow_slides(
        ctx, "conclusion", title, None,
        lambda size, _t, _r: text_pieces(ctx, conclusion.text, ctx.content_w, ctx.style(size),
                                         gap=0),
        "", "conclusion")


def source_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    def build(size: float, _table: float, _room: float) -> list[Piece]:
        pieces = []
        for n, source in enumerate(ctx.brief.sources, 1):
            group = Group()
            title = source.title.paragraphs[0]
            url = source_link(source.url)
            if url:
                title = tuple(replace(s, href=s.href or url) for s in title)
            head = plan.Para((Span(f"{n}.  "), *title), ctx.style(size - 2, bold=True))
            pieces.append(para_piece(ctx, head, ctx.content_w, GAP if n > 1 else 0, group))
            parts = [t for t in (source.publisher.plain if source.publisher else None,
                                 format_date(source.date, ctx.labels.language)
                                 if source.date else None) if t]
            if source.url:
                parts.append(source.url)
            if parts:
                para = plan.Para((Span(" · ".join(parts)),), ctx.style(size - 4, ctx.c.muted))
                pieces.append(para_piece(ctx, replace(para, indent=size * 1.4), ctx.content_w, 2,
                                         group))
        return pieces

    return flow_slides(ctx, "sources", (Span(ctx.labels.get("sources")),), None, build, "",
                       "sources")
