"""Chart decisions both outputs share: number formats, where the unit goes, whether data labels
fit, the legend's place, and the colours of series, slices and a highlight."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from msgspec.structs import replace

from briefgen.brief.model import NUMBER_FORMAT, Chart
from briefgen.layout.common import mix
from briefgen.layout.plan import BAR_GAP, ChartSeries, ChartSpec, NumberFormat
from briefgen.theme.model import Colors, contrast

MAX_LABELLED = 40  # points; more than this is dense whatever the room
LINE_LABELLED = 12  # points of a line with labels over them
PERCENT_UNITS = ("%",)  # units written after each number rather than in the axis title


def parse_format(text: str) -> NumberFormat:
    """A format the brief gives ("$#,##0.0", "0%"), as validated by the loader."""
    match = NUMBER_FORMAT.fullmatch(text.strip())
    if match is None:  # pragma: no cover - the loader refuses other formats
        raise ValueError(text)
    prefix, digits, decimals, percent = match.groups()
    return NumberFormat(len(decimals or ""), digits == "#,##0", prefix or "", bool(percent))


def decimals_of(values: Sequence[float]) -> int:
    """As many decimals as the data has, at most two."""
    found = 0
    for value in values:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        if "." in text:
            found = max(found, min(2, len(text.split(".")[1])))
    return found


def inferred_format(values: Sequence[float], unit: str | None) -> NumberFormat:
    return NumberFormat(decimals_of(values), True, percent=unit in PERCENT_UNITS)


def tick_format(labels: NumberFormat, values: Sequence[float], given: bool,
                low: float | None = None, high: float | None = None) -> NumberFormat:
    """Ticks drop the data's decimals where the axis steps by whole numbers: over a range of
    5 or more (from zero, or the brief's min and max), with the values themselves on the
    labels. A format the brief gives is kept."""
    if given or not values:
        return labels
    low = min(min(values), 0.0) if low is None else low
    high = max(max(values), 0.0) if high is None else high
    return labels if high - low < 5 else NumberFormat(0, labels.grouped, labels.prefix,
                                                      labels.percent)


def _with_unit(title: str, unit: str) -> str:
    if not unit or unit in PERCENT_UNITS or unit.lower() in title.lower():
        return title
    return f"{title} ({unit})" if title else unit


def chart_spec(chart: Chart, colors: Colors) -> ChartSpec:
    """The chart's decisions, with data labels on wherever asked or undecided; `with_labels`
    settles the undecided ones for the room a chart gets."""
    unit = chart.unit or ""
    primary = [s for s in chart.series if not s.secondary]
    values = [v for s in primary for v in s.values]
    given = chart.format is not None
    label_format = parse_format(chart.format) if chart.format else inferred_format(values, unit)
    stacked: Literal["", "stacked", "percent"] = (
        "percent" if chart.stacked == "percent" else "stacked" if chart.stacked else "")
    axis = chart.axis
    value_format = (NumberFormat(0, grouped=False, fraction=True) if stacked == "percent"
                    else tick_format(label_format, _stack_totals(chart) if stacked else values,
                                     given, axis.min if axis else None,
                                     axis.max if axis else None))
    title = axis.title.plain if axis and axis.title else ""
    pie = chart.type == "pie"
    shows_percent = label_format.percent or unit in PERCENT_UNITS
    pie_share = pie and not shows_percent and not given
    title_unit = ""
    if (pie and not pie_share) or stacked == "percent":
        title_unit = "" if shows_percent else unit
    else:
        title = _with_unit(title, unit)
    if pie_share:
        label_format = NumberFormat(0, grouped=False, fraction=True)
    secondary = next((s for s in chart.series if s.secondary), None)
    secondary_format = None
    secondary_title = ""
    if secondary is not None:
        secondary_format = (parse_format(secondary.format) if secondary.format
                            else inferred_format(secondary.values, secondary.unit))
        secondary_title = _with_unit("", secondary.unit or "")
    labels = True if chart.labels is None else chart.labels
    legend = chart.legend or ("bottom" if (pie and not labels) or len(chart.series) > 1
                              else "none")
    return ChartSpec(chart.type, tuple(c.plain for c in chart.categories),
                     _series(chart, colors), value_format, label_format, labels, legend,
                     stacked, title, axis.min if axis else None, axis.max if axis else None,
                     secondary_format, secondary_title, pie_share, title_unit)


def _stack_totals(chart: Chart) -> list[float]:
    """The ends of a stacked chart's bars: the sums of the positive and of the negative
    values of each category."""
    ends = []
    for n in range(len(chart.categories)):
        column = [s.values[n] for s in chart.series]
        ends += [sum(v for v in column if v > 0), sum(v for v in column if v < 0)]
    return ends


def _series(chart: Chart, colors: Colors) -> tuple[ChartSeries, ...]:
    palette = colors.series
    muted = mix(colors.muted, colors.background, 0.45)
    highlight = chart.highlighted()
    out = []
    for n, one in enumerate(chart.series):
        color = palette[n % len(palette)]
        points: tuple[str, ...] = ()
        if chart.type == "pie":
            points = tuple(palette[k % len(palette)] for k in range(len(chart.categories)))
        if highlight and highlight[0] == "category":
            color = muted
            points = tuple(colors.accent if c.plain == highlight[1] else muted
                           for c in chart.categories)
        elif highlight and highlight[0] == "series":
            color = colors.accent if one.name.plain == highlight[1] else muted
        ink = ""
        if chart.stacked:
            ink = max((colors.text, colors.background), key=lambda c: contrast(c, color))
        out.append(ChartSeries(one.name.plain, tuple(one.values), color, points,
                               one.type == "line", one.secondary, ink))
    return tuple(out)


def with_labels(spec: ChartSpec, chart: Chart, plot_w: float, plot_h: float, size: float,
                text_width: Callable[[str], float]) -> ChartSpec:
    """The spec with data labels off where the brief leaves them to us and they would crowd
    each other in a plot of plot_w by plot_h pt, labels `size` pt high."""
    if chart.labels is not None or spec.kind == "pie":
        return spec
    return replace(spec, labels=labels_fit(spec, plot_w, plot_h, size, text_width))


def labels_fit(spec: ChartSpec, plot_w: float, plot_h: float, size: float,
               text_width: Callable[[str], float]) -> bool:
    """Whether every data label has room beside its neighbours: as wide as its bar, or as
    wide as a line's step; a stacked segment as tall as the text."""
    categories = len(spec.categories)
    if spec.combo:
        return False  # a line through the columns would cross their labels
    bars = [] if spec.kind == "line" else list(spec.series)
    lines = list(spec.series) if spec.kind == "line" else []
    if categories * len(spec.series) > MAX_LABELLED:
        return False
    widest = max((text_width(spec.label_format.text(v)) for s in spec.series
                  for v in s.values), default=0.0)
    if lines and (categories > LINE_LABELLED or len(lines) > 2
                  or widest > plot_w / categories):
        return False
    if not bars:
        return True
    across = plot_h if spec.kind == "bar" else plot_w
    along = plot_w if spec.kind == "bar" else plot_h
    per_group = 1 if spec.stacked else len(bars)
    thickness = across / (categories * (per_group + BAR_GAP))
    # A label beside a horizontal bar needs its height; above or in a column, its width.
    needed = size * 1.15 if spec.kind == "bar" else widest
    if thickness < needed:
        return False
    if not spec.stacked:
        return True
    top = max((sum(abs(s.values[n]) for s in bars) for n in range(categories)), default=0.0)
    if top <= 0:
        return True
    for n in range(categories):
        total = sum(abs(s.values[n]) for s in bars) if spec.stacked == "percent" else top
        for s in bars:
            share = abs(s.values[n]) / total if total else 0.0
            length = share * along
            room = widest if spec.kind == "bar" else size * 1.15
            if share > 0 and length < room:
                return False
    return True
