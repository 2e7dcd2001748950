"""Text blocks as pieces: paragraphs (split between lines), bullets, callouts and quotes."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec.structs import replace

from briefgen.brief.markup import RichText, Span
from briefgen.layout import plan
from briefgen.layout.deck.context import GAP, Context, lines_para
from briefgen.layout.deck.flow import Group, Piece
from briefgen.layout.measure import line_height


def text_pieces(ctx: Context, text: RichText | None, width: float, style: plan.Style,
                gap: float = GAP, group: Group | None = None) -> list[Piece]:
    if not text:
        return []
    group = group or Group()
    return [para_piece(ctx, plan.Para(paragraph, style), width,
                       gap if n == 0 else style.size * 0.6, group)
            for n, paragraph in enumerate(text.paragraphs)]


def para_piece(ctx: Context, para: plan.Para, width: float, gap: float, group: Group,
               keep_with_next: bool = False) -> Piece:
    measured = ctx.wrapped(para, width)
    return lines_piece(para, measured.lines, measured.joins, gap, group, keep_with_next)


def lines_piece(para: plan.Para, lines: Sequence[tuple[Span, ...]], joins: Sequence[str],
                gap: float, group: Group, keep_with_next: bool = False) -> Piece:
    """A piece of a paragraph already wrapped into `lines`; its split slices the lines, so a
    paragraph that runs over many slides is wrapped once, not once per slide."""
    style = para.style
    per_line = line_height(style.size, style.line_spacing)
    height = len(lines) * style.size * style.line_spacing  # as wrap() measures it

    def split(room: float) -> tuple[Piece | None, Piece | None]:
        # Break inside a paragraph only at a line boundary, keeping two lines together
        # where the paragraph is long enough.
        if len(lines) < 4 and height <= room:
            return None, None  # a short paragraph splits only when taller than a slide
        fit = min(int(room // per_line), len(lines) - 1)
        if len(lines) >= 4:
            fit = min(fit, len(lines) - 2)
        if fit < min(2, len(lines) - 1) or fit < 1:
            return None, None
        head = lines_para(para, lines[:fit], joins[:fit - 1])
        tail = lines_para(replace(para, bullet=None), lines[fit:], joins[fit:])
        return (lines_piece(head, lines[:fit], joins[:fit - 1], gap, group),
                lines_piece(tail, lines[fit:], joins[fit:], 0.0, group))

    return Piece(height, gap, para=para, group=group, keep_with_next=keep_with_next,
                 split=split if len(lines) >= 2 else None,
                 min_head=2 * per_line if len(lines) >= 4 else height)


def bullet_pieces(ctx: Context, items: Sequence[tuple[RichText, Sequence[RichText]]],
                  width: float, size: float, numbered: bool = False) -> list[Piece]:
    group = Group()
    indent = size * (1.6 if numbered else 1.1)
    pieces = []
    for n, (text, subs) in enumerate(items, 1):
        marker = f"{n}." if numbered else "•"
        for k, paragraph in enumerate(text.paragraphs):
            para = plan.Para(paragraph, ctx.style(size), indent=indent,
                             bullet=marker if k == 0 else None, hang=indent)
            gap = GAP if n == 1 and k == 0 else size * 0.45
            pieces.append(para_piece(ctx, para, width, gap, group))
        for sub in subs:
            for k, paragraph in enumerate(sub.paragraphs):
                para = plan.Para(paragraph, ctx.style(size - 2, ctx.c.text), indent=indent * 2,
                                 bullet="–" if k == 0 else None, hang=indent)
                pieces.append(para_piece(ctx, para, width, size * 0.3, group))
    return pieces


def band_pieces(ctx: Context, label: str | None, text: RichText, width: float, size: float,
                *, quote_by: str | None = None) -> list[Piece]:
    """A callout (labelled band) or a quote (large italic, attributed)."""
    inset = 12.0
    inner = width - 2 * inset - 6
    paras: list[plan.Para] = []
    if label:
        paras.append(plan.Para((Span(label),), ctx.style(size - 2, ctx.c.accent, bold=True)))
    text_style = ctx.style(size + (2 if quote_by is not None else 0), ctx.c.text,
                           italic=quote_by is not None)
    for n, paragraph in enumerate(text.paragraphs):
        spans = paragraph
        if quote_by is not None:
            if n == 0:
                spans = (Span("“"), *spans)
            if n == len(text.paragraphs) - 1:
                spans = (*spans, Span("”"))
        paras.append(plan.Para(spans, text_style, space_before=4 if paras else 0))
    if quote_by:
        paras.append(plan.Para((Span("— " + quote_by),), ctx.style(size - 2, ctx.c.muted),
                               space_before=6))
    height = ctx.paras_height(paras, inner)
    total = height + 2 * inset
    if total > ctx.body_bottom - 150:
        # Too tall for one band: its paragraphs (label, quotation marks and attribution
        # included) flow as ordinary text instead, split between lines like any other.
        group = Group()
        return [para_piece(ctx, para, width, GAP if n == 0 else size * 0.6, group,
                           keep_with_next=n == 0 and bool(label))
                for n, para in enumerate(paras)]
    fill = ctx.c.surface if quote_by is None else None

    def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
        return [
            plan.Shape("rect", x, y, w, total, fill, name="Band"),
            plan.Shape("rect", x, y, 4, total, ctx.c.accent, name="Band accent"),
            plan.TextBox(x + inset + 6, y + inset, inner, height, tuple(paras),
                         name="Band text"),
        ]

    return [Piece(total, GAP, draw=draw)]


def takeaway_pieces(ctx: Context, takeaway: RichText | None, source: RichText | None,
                    width: float) -> list[Piece]:
    """The "so what" band and the source line under a table or chart, kept together."""
    pieces: list[Piece] = []
    if takeaway:
        pieces.extend(band_pieces(ctx, ctx.labels.get("takeaway"), takeaway, width,
                                  ctx.s.body - 2))
    if source:
        spans = (Span(ctx.labels.format("source", source=source.plain)),)
        para = plan.Para(spans, ctx.style(ctx.s.small, ctx.c.muted))
        pieces.append(para_piece(ctx, para, width, 6, Group()))
    if pieces and len(pieces) > 1:
        pieces[0] = replace(pieces[0], keep_with_next=True)
    return pieces
