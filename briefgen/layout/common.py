"""Decisions both planners share: numeric columns, number formats, colour mixing, ordering."""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.brief.model import LEVEL_VALUES, Chart

_NUMERIC = re.compile(
    r"^[(\s]*[-+−~≈<>]?\s*[$€£¥]?\s*\d[\d,.\s]*\s*(%|pp|bps?|[kmbx]|bn|mn|tn|pts?)?\)?$",
    re.IGNORECASE)


def is_numeric_column(cells: Sequence[str]) -> bool:
    """A column reads as numbers when most of its non-empty cells are numbers."""
    filled = [c.strip() for c in cells if c.strip() and c.strip() not in ("-", "–", "—", "n/a")]
    if not filled:
        return False
    numeric = sum(1 for c in filled if _NUMERIC.match(c))
    return numeric / len(filled) >= 0.8


def level_score(level: str) -> int:
    return ("low", "medium", "high").index(level)


def confidence_value(confidence: float | str | None) -> float | None:
    """A confidence as 0..1: numbers as given, words mapped to levels."""
    if confidence is None:
        return None
    if isinstance(confidence, str):
        return LEVEL_VALUES[confidence]
    return float(confidence)


def mix(color: str, background: str, amount: float) -> str:
    """`amount` of `color` over `background`, both hex without '#'."""
    a = [int(color[i : i + 2], 16) for i in (0, 2, 4)]
    b = [int(background[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x * amount + y * (1 - amount)):02X}" for x, y in zip(a, b, strict=True))


def number_format(values: Sequence[float], unit: str | None) -> str:
    """An Excel number format showing as many decimals as the data has (at most two)."""
    decimals = 0
    for value in values:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        if "." in text:
            decimals = max(decimals, min(2, len(text.split(".")[1])))
    base = "#,##0" + ("." + "0" * decimals if decimals else "")
    if not unit:
        return base
    quoted = unit.replace('"', "")
    return f'{base}"{quoted}"' if unit in ("%", "pp") else f'{base}" {quoted}"'


def risk_tone(likelihood: str, impact: str) -> str:
    """The colour role of a cell of the risk matrix: "positive", "warning" or "negative"."""
    score = level_score(likelihood) + level_score(impact)
    return "positive" if score <= 1 else "warning" if score == 2 else "negative"


def source_link(url: str | None) -> str | None:
    """The address a source's title links to: web addresses only."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def chart_description(chart: Chart) -> str:
    """A chart in words, for its alternative text: its type, title and every value."""
    # "12%" and "12pp", but "120 pages".
    unit = "" if not chart.unit else chart.unit if chart.unit in ("%", "pp") else f" {chart.unit}"
    categories = [c.plain for c in chart.categories]
    return f"{chart.type} chart" + (f": {chart.title.plain}" if chart.title else "") + ". " + \
        "; ".join(f"{s.name.plain}: " + ", ".join(f"{c} {v:g}{unit}"
                                                  for c, v in zip(categories, s.values,
                                                                  strict=True))
                  for s in chart.series)
