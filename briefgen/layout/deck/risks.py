"""The risks: a likelihood-by-impact matrix beside (or before) the numbered list of risks."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec.structs import replace

from briefgen.brief.markup import Span
from briefgen.brief.model import Risk
from briefgen.layout import plan
from briefgen.layout.common import mix, risk_tone
from briefgen.layout.deck.context import GAP, Context, styled
from briefgen.layout.deck.flow import Group, Piece, flow_slides
from briefgen.layout.deck.frame import frame
from briefgen.layout.deck.text import para_piece
from briefgen.layout.measure import wrap
from briefgen.layout.messages import LayoutMessage

LEVELS = ("low", "medium", "high")
AXIS_W = 70.0  # left of the matrix: the level names and the upright axis title


def risk_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    risks = ctx.brief.risks
    rated = [r for r in risks if r.likelihood and r.impact]
    title = (Span(ctx.labels.get("risks")),)
    notes = ""  # each slide's notes are those of the risks its list shows
    if not rated:
        return flow_slides(ctx, "risks", title, None,
                           lambda size, _t, _r: risk_list(ctx, risks, ctx.content_w, size),
                           notes, "risks")
    top = frame(ctx, "risks", title, None).top
    matrix_size = min(ctx.body_bottom - top - 40, ctx.content_w * 0.36)
    list_x = ctx.content_x + AXIS_W + matrix_size + 24
    list_w = ctx.content_x + ctx.content_w - list_x

    def matrix(top: float) -> list[plan.Item]:
        return risk_matrix(ctx, risks, ctx.content_x + AXIS_W, top, matrix_size)

    beside = flow_slides(ctx, "risks", title, None,
                         lambda size, _t, _r: risk_list(ctx, risks, list_w, size - 2),
                         notes, "risks", x=list_x, width=list_w, first_extra=matrix)
    if len(beside[0]) == 1:
        return beside
    # Too long to stand beside the matrix: the matrix gets a slide, the list follows.
    framed = frame(ctx, "risks", title, None)
    size = min(ctx.body_bottom - framed.top - 40, ctx.content_w * 0.6)
    left = ctx.content_x + (ctx.content_w - size + AXIS_W) / 2
    items = [*framed.items, *risk_matrix(ctx, risks, left, framed.top, size)]
    listed, said = flow_slides(ctx, "risks", title, None,
                               lambda size, _t, _r: risk_list(ctx, risks, ctx.content_w, size),
                               notes, "risks", continued=True)
    return [ctx.slide("risks", items, ""), *listed], said


def risk_list(ctx: Context, risks: Sequence[Risk], width: float, size: float) -> list[Piece]:
    pieces = []
    for n, risk in enumerate(risks, 1):
        group = Group()
        head = plan.Para((Span(f"{n}  "), *risk.title.paragraphs[0]),
                         ctx.style(size, ctx.c.primary, bold=True))
        head_piece = para_piece(ctx, head, width, GAP if n > 1 else 0, group,
                                keep_with_next=bool(risk.detail))
        pieces.append(replace(head_piece, notes=f"{n}. {risk.title.plain}" + (
            f": {risk.detail.plain}" if risk.detail else "")))
        ratings = [f"{ctx.labels.get(k)}: {ctx.labels.get(v)}" for k, v in
                   (("likelihood", risk.likelihood), ("impact", risk.impact)) if v]
        detail = [*(risk.detail.paragraphs if risk.detail else ())]
        if ratings:
            detail.append((Span(" · ".join(ratings)),))
        for k, paragraph in enumerate(detail):
            color = ctx.c.muted if ratings and k == len(detail) - 1 else ctx.c.text
            para = plan.Para(paragraph, ctx.style(size - 2, color))
            pieces.append(para_piece(ctx, para, width, 3, group,
                                     keep_with_next=k < len(detail) - 1))
    return pieces


def risk_matrix(ctx: Context, risks: Sequence[Risk], x: float, y: float, size: float
                ) -> list[plan.Item]:
    cell = size / 3
    items: list[plan.Item] = []
    small = ctx.style(ctx.s.small, ctx.c.muted)
    for row, impact in enumerate(reversed(LEVELS)):
        for col, likelihood in enumerate(LEVELS):
            tone = getattr(ctx.c, risk_tone(likelihood, impact))
            items.append(plan.Shape("rect", x + col * cell, y + row * cell, cell, cell,
                                    mix(tone, ctx.c.background, 0.22),
                                    line=ctx.c.background, name="Matrix cell"))
        items.append(ctx.box(x - 52, y + row * cell + cell / 2 - 7, 48,
                             [plan.Para((Span(ctx.labels.get(impact)),), small,
                                        align="right")], name="Axis"))
    for col, likelihood in enumerate(LEVELS):
        items.append(ctx.box(x + col * cell, y + size + 4, cell,
                             [plan.Para((Span(ctx.labels.get(likelihood)),), small,
                                        align="center")], name="Axis"))
    axis = ctx.style(ctx.s.small, ctx.c.text, bold=True)
    items.append(ctx.box(x, y + size + 20, size,
                         [plan.Para((Span(ctx.labels.get("likelihood_axis")),), axis,
                                    align="center")], name="Axis title"))
    # The impact axis's title stands upright beside its levels, reading (and pointing) up.
    spans = (Span(ctx.labels.get("impact_axis")),)
    long = min(size, wrap(styled(spans, axis), 10_000, axis.size, ctx.family).widest + 4)
    title = ctx.box(0, 0, long, [plan.Para(spans, axis, align="center")], name="Axis title",
                    rotation=-90)
    centre_x, centre_y = x - AXIS_W + title.h / 2, y + size / 2
    items.append(replace(title, x=centre_x - long / 2, y=centre_y - title.h / 2))
    # Markers: numbered circles, laid out in a small grid inside their cell.
    marker = min(26.0, cell / 3.4)
    in_cell: dict[tuple[int, int], int] = {}
    marker_style = ctx.style(max(8.0, marker * 0.45), ctx.c.on_primary, bold=True)
    for n, risk in enumerate(risks, 1):
        if not (risk.likelihood and risk.impact):
            continue
        col = LEVELS.index(risk.likelihood)
        row = 2 - LEVELS.index(risk.impact)
        k = in_cell.get((row, col), 0)
        in_cell[(row, col)] = k + 1
        per_line = max(1, int((cell - 8) // (marker + 4)))
        mx = x + col * cell + 6 + (k % per_line) * (marker + 4)
        my = y + row * cell + 6 + (k // per_line) * (marker + 4)
        text = plan.TextBox(mx, my, marker, marker,
                            (plan.Para((Span(str(n)),), marker_style, align="center"),),
                            anchor="middle")
        ratings = ", ".join(f"{ctx.labels.get(k)}: {ctx.labels.get(v)}" for k, v in
                            (("likelihood", risk.likelihood), ("impact", risk.impact)))
        items.append(plan.Shape("ellipse", mx, my, marker, marker, ctx.c.primary, text=text,
                                name=f"Risk {n}", alt=f"{n}. {risk.title.plain} ({ratings})"))
    return items
