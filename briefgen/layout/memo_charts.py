"""The memo's charts: the plot area, scales, axis titles and legend around it, measured, and
what each data label says."""

from __future__ import annotations

import math
from collections.abc import Sequence

from msgspec.structs import replace

from briefgen.brief.model import Chart
from briefgen.layout.charts import chart_spec, decimals_of, with_labels
from briefgen.layout.common import chart_description, mix
from briefgen.layout.memo_metrics import text_width
from briefgen.layout.memo_plan import (
    LEGEND_SWATCH,
    PIE_LABEL_RADIUS,
    AxisTitle,
    Figure,
    Legend,
    Scale,
)
from briefgen.layout.plan import ChartSpec, NumberFormat
from briefgen.theme.model import Colors

TICKS = 5  # about as many steps on a value axis


def nice_scale(values: Sequence[float], low: float | None, high: float | None,
               number_format: NumberFormat) -> Scale:
    """An axis from zero (or the brief's min) past the data (or to the brief's max) in round
    steps of 1, 2, 2.5 or 5 times a power of ten, with decimals enough for its ticks."""
    lo = min([0.0, *values]) if low is None else low
    hi = max([0.0, *values]) if high is None else high
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if low is None:
        lo = math.floor(lo / step + 1e-9) * step
    if high is None:
        hi = math.ceil(hi / step - 1e-9) * step
    shown = replace(number_format, decimals=max(number_format.decimals, decimals_of([step])))
    return Scale(lo, hi, step, shown)


def _stack_ends(series: Sequence[Sequence[float]]) -> list[float]:
    ends = []
    for column in zip(*series, strict=True):
        ends += [sum(v for v in column if v > 0), sum(v for v in column if v < 0)]
    return ends


def _plotted(spec: ChartSpec) -> tuple[tuple[float, ...], ...]:
    """Values as drawn: in a 100 % chart each a fraction of its category's whole."""
    if spec.stacked != "percent":
        return tuple(s.values for s in spec.series)
    totals = [sum(abs(v) for v in column) for column in zip(*(s.values for s in spec.series),
                                                             strict=True)]
    return tuple(tuple(v / t if t else 0.0 for v, t in zip(s.values, totals, strict=True))
                 for s in spec.series)


def _label_texts(spec: ChartSpec, plotted: tuple[tuple[float, ...], ...]
                 ) -> tuple[tuple[str, ...], ...]:
    if not spec.labels:
        return ()
    if spec.kind == "pie":
        values = spec.series[0].values
        total = sum(values)
        shown = [v / total if total else 0.0 for v in values] if spec.pie_share else values
        return (tuple(f"{c} {spec.label_format.text(v)}"
                      for c, v in zip(spec.categories, shown, strict=True)),)
    out = []
    for one in spec.series:
        fmt = spec.secondary_format if one.secondary and spec.secondary_format else \
            spec.label_format
        out.append(tuple(fmt.text(v) for v in one.values))
    return tuple(out)


class FigurePlanner:
    """The geometry of one memo chart in a frame `width` wide."""

    def __init__(self, colors: Colors, width: float, frame_height: float, size: float) -> None:
        self.c = colors
        self.width = width
        self.frame_height = frame_height
        self.size = size

    def text(self, text: str) -> float:
        return text_width(text, "Body", self.size)

    def legend(self, names: tuple[str, ...], colors: tuple[str, ...], position: str
               ) -> Legend | None:
        """The legend's names in as many columns as fit (one at the right), laid out from its
        top left: centred under or over the plot, or at the right."""
        if position == "none" or not names:
            return None
        names = tuple(n if len(n) <= 40 else n[:39] + "…" for n in names)
        column = max(self.text(n) for n in names) + 30
        if position == "right":
            columns = 1
        else:
            columns = max(1, min(len(names), int((self.width - 10) // column)))
        rows = -(-len(names) // columns)
        row = self.size + 5
        drawn = (columns - 1) * column + max(self.text(n) for n in names) + LEGEND_SWATCH
        x = self.width - drawn if position == "right" else (self.width - drawn) / 2
        return Legend(names, colors, columns, rows, column, row, x, rows * row + 4)

    def figure(self, chart: Chart) -> tuple[Figure, list[str]]:
        """The figure, and warnings about what it could not show."""
        spec = chart_spec(chart, self.c)
        warnings: list[str] = []
        size = self.size
        pie = spec.kind == "pie"
        names = spec.categories if pie else tuple(s.name for s in spec.series)
        swatches = spec.series[0].point_colors if pie else tuple(s.color for s in spec.series)
        legend = self.legend(names, swatches, spec.legend)
        legend_h = legend.y + 4 if legend and spec.legend != "right" else 0.0
        categories = len(spec.categories)
        plot_h = 200.0 if spec.kind != "bar" else max(160.0, 24.0 * categories + 60)
        # Most of a page at most: room is left for the chart's heading and the page's furniture.
        most = self.frame_height * 0.75
        height = min(max(min(plot_h, 320.0), legend_h + 120), most)
        if legend and spec.legend != "right" and legend_h > height - 100:
            legend, warning = self.legend_cut(legend, height - 100)
            warnings.append(warning)
            legend_h = legend.y + 4
        if legend and spec.legend == "top":
            legend = replace(legend, y=height)
        bottom = legend_h if spec.legend == "bottom" else 0.0
        top = 6.0 + (legend_h if spec.legend == "top" else 0.0)
        right = self.width - legend.x + 8 if legend and spec.legend == "right" else 8.0
        plotted = _plotted(spec)
        shown = tuple(c if len(c) < 22 else c[:20] + "…" for c in spec.categories)
        base = Figure(spec, shown, self.width, height, mix(self.c.muted, self.c.background, 0.35),
                      self.c.text, legend=legend, size=size,
                      description=chart_description(chart), plotted=plotted,
                      background=self.c.background)
        if pie:
            labels = _label_texts(spec, plotted)
            widest = max((self.text(t) for t in labels[0]), default=0.0) if labels else 0.0
            side = min(height - bottom - top - 2 * (size + 8),
                       (self.width - right - 8 - 2 * widest) / PIE_LABEL_RADIUS)
            side = max(side, 20.0)
            plot = ((self.width - side) / 2, bottom + size + 8, side, side)
            return replace(base, plot=plot, label_texts=labels), warnings
        primary = [v for s, vs in zip(spec.series, plotted, strict=True) if not s.secondary
                   for v in vs]
        if spec.stacked == "percent":
            scale = Scale(0.0, 1.0, 0.25, spec.value_format)
        else:
            ends = _stack_ends([vs for s, vs in zip(spec.series, plotted, strict=True)
                                if not s.line]) if spec.stacked else primary
            scale = nice_scale(ends, spec.axis_min, spec.axis_max, spec.value_format)
        secondary = None
        secondary_w = 0.0
        if spec.secondary and spec.secondary_format:
            values = [v for s in spec.series if s.secondary for v in s.values]
            secondary = nice_scale(values, None, None, spec.secondary_format)
            secondary_w = max(self.text(secondary.format.text(v))
                              for v in (secondary.low, secondary.high))
        tick_w = max(self.text(scale.format.text(v)) for v in (scale.low, scale.high))
        titles: list[AxisTitle] = []
        if spec.kind == "bar":
            left = min(max(self.text(c) for c in shown) + 12, self.width * 0.35)
            if spec.axis_title:  # under the ticks
                titles.append(AxisTitle(spec.axis_title, 0.0, bottom + size / 2 + 2, False))
                bottom += size + 6
            bottom += size + 8
        else:
            left = tick_w + 10
            if spec.axis_title:
                left += size + 6
            bottom += size + 10
            if secondary is not None:
                right += secondary_w + 10
                if spec.secondary_title:
                    right += size + 6
        spec = with_labels(spec, chart, self.width - left - right, height - bottom - top, size,
                           self.text)
        # Room for the labels beyond the last bar or above the tallest column.
        if spec.labels and spec.kind == "bar" and not spec.stacked:
            right += max((self.text(t) for ts in _label_texts(spec, plotted) for t in ts),
                         default=0.0)
        if spec.labels and spec.kind != "bar" and not spec.stacked:
            top += size + 2
        plot = (left, bottom, self.width - left - right, height - bottom - top)
        x, y, w, h = plot
        if legend and spec.legend == "right":  # beside the plot's middle
            legend = replace(legend, y=y + h / 2 + legend.y / 2)
        placed = []
        for title in titles:  # the bar chart's, centred under its ticks
            placed.append(replace(title, x=x + w / 2, y=title.y))
        if spec.kind != "bar" and spec.axis_title:
            placed.append(AxisTitle(spec.axis_title, x - tick_w - 8 - size / 2, y + h / 2, True))
        if secondary is not None and spec.secondary_title:
            placed.append(AxisTitle(spec.secondary_title, x + w + secondary_w + 8 + size / 2,
                                    y + h / 2, True))
        return replace(base, spec=spec, plot=plot, scale=scale, secondary=secondary, legend=legend,
                       label_texts=_label_texts(spec, plotted),
                       titles=tuple(placed)), warnings

    def legend_cut(self, legend: Legend, room: float) -> tuple[Legend, str]:
        """A legend too tall for its chart shows the names that fit and says how many not."""
        rows = max(1, int((room - 4) // legend.row_height))
        keep = max(1, rows * legend.columns - 1)
        hidden = len(legend.names) - keep
        more = f"+{hidden}"
        warning = (f"the legend shows {keep} of {len(legend.names)} names; the chart has no "
                   "room for more")
        return replace(legend, names=(*legend.names[:keep], more),
                       colors=(*legend.colors[:keep], self.c.background), rows=rows,
                       y=rows * legend.row_height + 4), warning
