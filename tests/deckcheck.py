"""What every planned deck must hold to: each shape inside its slide, each text box as tall as
its text measured again, each table cell inside its row."""

from __future__ import annotations

from briefgen.brief.markup import Span
from briefgen.layout import plan
from briefgen.layout.measure import wrap
from briefgen.theme.fonts import family_of


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
        for item in slide.items:
            where = f"slide {number} ({slide.kind}) {item.name}"
            if (item.x < -0.01 or item.y < -0.01 or item.x + item.w > deck.width + 0.01
                    or item.y + item.h > deck.height + 0.01):
                found.append(f"{where} is off the slide: x={item.x:.1f} y={item.y:.1f} "
                             f"w={item.w:.1f} h={item.h:.1f}")
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
