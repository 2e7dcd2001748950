"""The predictions: one row each, in the order written, with horizon and a confidence bar."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from briefgen.brief.markup import Span
from briefgen.brief.model import Prediction
from briefgen.layout import plan
from briefgen.layout.common import confidence_value, mix
from briefgen.layout.deck.context import Context
from briefgen.layout.deck.flow import Piece, flow_slides
from briefgen.layout.measure import wrap
from briefgen.layout.messages import LayoutMessage, warning


class Columns(Struct, frozen=True):
    """Widths of the predictions table's columns, pt."""

    number: float
    text: float
    horizon: float
    confidence: float
    label: float  # the confidence label beside its bar


def prediction_slides(ctx: Context) -> tuple[list[plan.Slide], list[LayoutMessage]]:
    predictions = list(enumerate(ctx.brief.predictions, 1))

    def build(size: float, _table: float, _room: float) -> list[Piece]:
        return prediction_rows(ctx, predictions, size - 2)

    # Each slide's notes are those of the predictions it shows.
    return flow_slides(ctx, "predictions", (Span(ctx.labels.get("predictions")),), None, build,
                       "", "predictions")


def prediction_rows(ctx: Context, predictions: Sequence[tuple[int, Prediction]], size: float
                    ) -> list[Piece]:
    num_w = 30.0
    horizon_w, conf_w = min(110.0, ctx.content_w * 0.13), min(130.0, ctx.content_w * 0.16)
    text_w = ctx.content_w - num_w - horizon_w - conf_w - 3 * 16
    small = ctx.style(ctx.s.small + 1, ctx.c.muted, bold=True)
    head_items = [(num_w, "number_sign"), (text_w, "prediction"), (horizon_w, "horizon"),
                  (conf_w, "confidence")]

    def header(x: float, y: float, w: float, h: float) -> list[plan.Item]:
        items: list[plan.Item] = []
        cx = x
        for width, key in head_items:
            items.append(ctx.box(cx, y, width, [plan.Para((Span(ctx.labels.get(key)),), small)],
                                 name="Column head"))
            cx += width + 16
        items.append(plan.Shape("rect", x, y + 18, w, 1, ctx.c.muted, name="Rule"))
        return items

    pieces = [Piece(20.0, 0, draw=header, keep_with_next=True)]
    # The confidence label beside the bar is as wide as the longest label needs.
    label_style = ctx.style(size - 3, ctx.c.text)
    label_w = max(wrap((Span(t),), 10_000, label_style.size, ctx.family).widest
                  for t in ("100%", *(ctx.labels.get(k) for k in ("low", "medium", "high"))))
    label_w = min(label_w + 4, conf_w - 40)
    columns = Columns(num_w, text_w, horizon_w, conf_w, label_w)
    for number, prediction in predictions:
        paras = [plan.Para(prediction.statement.paragraphs[0],
                           ctx.style(size, ctx.c.text, bold=True))]
        if prediction.signal:
            paras.append(plan.Para((Span(ctx.labels.get("signal") + ": "),
                                    *prediction.signal.paragraphs[0]),
                                   ctx.style(size - 2, ctx.c.muted), space_before=3))
        horizon: plan.Para | None = None
        said: tuple[LayoutMessage, ...] = ()
        if prediction.horizon:
            horizon, cut = ctx.cut_to_lines(
                plan.Para((Span(prediction.horizon),),
                          ctx.style(size - 2, ctx.c.text, bold=True)), horizon_w, 3)
            if cut:
                said = (warning(f"predictions[{number - 1}].horizon",
                                "cut to three lines; shorten it"),)
        value = confidence_value(prediction.confidence)
        confidence: tuple[float, plan.Para] | None = None
        if value is not None:
            conf = prediction.confidence
            text = ctx.labels.get(conf) if isinstance(conf, str) else f"{round(value * 100)}%"
            confidence = (value, plan.Para((Span(text),), ctx.style(size - 3, ctx.c.text)))
        notes = prediction.statement.plain + (f" ({prediction.horizon})"
                                              if prediction.horizon else "")
        pieces.append(prediction_piece(ctx, columns, number, paras, horizon, confidence, said,
                                       notes=notes))
    return pieces


def prediction_piece(ctx: Context, columns: Columns, number: int, paras: Sequence[plan.Para],
                     horizon: plan.Para | None, confidence: tuple[float, plan.Para] | None,
                     messages: tuple[LayoutMessage, ...] = (), continued: bool = False,
                     notes: str = "") -> Piece:
    """One prediction's row, grouped: number, text, horizon and confidence bar; a row taller
    than a slide continues on the next, its text cut between lines."""
    c = columns
    marker = 22.0
    bar_w = c.confidence - c.label - 6
    text_h = ctx.paras_height(paras, c.text)
    horizon_h = ctx.paras_height([horizon], c.horizon) + 2 if horizon else 0.0
    label_h = ctx.paras_height([confidence[1]], c.confidence - bar_w - 6) + 1 \
        if confidence else 0.0
    aside = max(horizon_h, label_h, 0.0 if continued else 26.0)
    row_h = max(text_h, aside)

    def draw(x: float, y: float, w: float, h: float) -> list[plan.Item]:
        items: list[plan.TextBox | plan.Shape] = [
            plan.TextBox(x + c.number + 16, y, c.text, text_h, tuple(paras), name="Prediction")]
        if not continued:
            num_style = ctx.style(11, ctx.c.on_primary, bold=True)
            items.insert(0, plan.Shape(
                "ellipse", x + 2, y, marker, marker, ctx.c.primary,
                text=plan.TextBox(x + 2, y, marker, marker,
                                  (plan.Para((Span(str(number)),), num_style, align="center"),),
                                  anchor="middle"),
                name="Number"))
        hx = x + c.number + c.text + 32
        if horizon:
            items.append(ctx.box(hx, y + 2, c.horizon, [horizon], name="Horizon"))
        cx = hx + c.horizon + 16
        if confidence:
            value, label = confidence
            items.append(plan.Shape("rect", cx, y + 6, bar_w, 8,
                                    mix(ctx.c.muted, ctx.c.background, 0.25),
                                    name="Confidence track"))
            items.append(plan.Shape("rect", cx, y + 6, max(2.0, bar_w * value), 8,
                                    ctx.c.accent, name="Confidence bar"))
            items.append(ctx.box(cx + bar_w + 6, y + 1, c.confidence - bar_w - 6, [label],
                                 name="Confidence"))
        name = f"Prediction {number}" + (" (cont.)" if continued else "")
        return [plan.Group(tuple(items), name=name, alt=notes or name)]

    def split(room: float) -> tuple[Piece | None, Piece | None]:
        if row_h <= room or aside > room:
            return None, None
        head, tail = ctx.split_paras(paras, c.text, room)
        if not head or not tail:
            return None, None
        return (prediction_piece(ctx, c, number, head, horizon, confidence, messages, continued,
                                 notes),
                prediction_piece(ctx, c, number, tail, None, None, continued=True))

    return Piece(row_h, 2 if continued else 14, draw=draw, split=split, min_head=row_h,
                 messages=messages, notes=notes)
