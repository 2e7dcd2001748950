"""What every planned deck must hold to: each shape inside its slide, each text box as tall as
its text measured again, each table cell inside its row."""

from __future__ import annotations

from briefgen.brief.markup import Span
from briefgen.layout import plan
from briefgen.layout.measure import wrap
from briefgen.theme.fonts import family_of


def flat(items: tuple[plan.Item, ...]) -> list[plan.Item]:
    """A slide's items with each group's members in its place."""
    return [m for i in items for m in (flat(i.items) if isinstance(i, plan.Group) else [i])]


def bounds(item: plan.Item) -> tuple[float, float, float, float]:
    """Where an item stands on the slide: a box turned a quarter is as tall as it was wide."""
    if isinstance(item, plan.TextBox) and item.rotation % 180:
        cx, cy = item.x + item.w / 2, item.y + item.h / 2
        return cx - item.h / 2, cy - item.w / 2, item.h, item.w
    return item.x, item.y, item.w, item.h


def text_boxes(item: plan.Item) -> list[plan.TextBox]:
    if isinstance(item, plan.TextBox):
        return [item]
    if isinstance(item, plan.Shape) and item.text:
        return [item.text]
    return []


def measured_height(box: plan.TextBox) -> float:
    total = 0.0
    for para in box.paras:
        style = para.style
        spans = tuple(Span(s.text, s.bold or style.bold, s.italic or style.italic, s.code,
                           s.href) for s in para.spans)
        total += para.space_before + wrap(spans, box.w - para.indent - 2 * box.inset, style.size,
                                          family_of(style.font),
                                          style.line_spacing).height
    return total + 2 * box.inset


def problems(deck: plan.DeckPlan) -> list[str]:
    """Every shape off its slide and every box too small for its text, by slide and name."""
    found: list[str] = []
    for number, slide in enumerate(deck.slides, 1):
        for item in flat(slide.items):
            where = f"slide {number} ({slide.kind}) {item.name}"
            x, y, w, h = bounds(item)
            if x < -0.01 or y < -0.01 or x + w > deck.width + 0.01 or y + h > deck.height + 0.01:
                found.append(f"{where} is off the slide: x={x:.1f} y={y:.1f} w={w:.1f} "
                             f"h={h:.1f}")
            for box in text_boxes(item):
                if measured_height(box) > box.h + 0.5:
                    found.append(f"{where}: text {measured_height(box):.1f} pt tall in a "
                                 f"{box.h:.1f} pt box")
            if isinstance(item, plan.Table):
                if item.y + item.h > deck.height - 30:
                    found.append(f"{where} runs into the footer")
                for row, height in zip(item.rows, item.row_heights, strict=True):
                    for cell, width in zip(row, item.col_widths, strict=True):
                        box = plan.TextBox(0, 0, width - 2 * item.padding, 0, cell.paras)
                        if measured_height(box) > height - 7.9:
                            found.append(f"{where}: a cell is taller than its row")
    return found
