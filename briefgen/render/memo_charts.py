"""The memo's charts as reportlab drawings, exactly as the figure's plan places them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen.layout import memo_plan as m
from briefgen.layout.plan import BAR_GAP
from briefgen.render.fonts import Fonts, visual


def _hex(color: str) -> Any:
    return HexColor("#" + color)


class ChartDrawer:
    """Draws figures with the memo's fonts: each label in the face that has its glyphs."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts

    def face_for(self, texts: Iterable[str], bold: bool = False) -> str:
        """The face of the first family with the most glyphs of texts: chart labels take one."""
        needed = {ord(ch) for text in texts for ch in text if not ch.isspace()}
        chain = self.fonts.chain
        if needed <= self.fonts.coverage[chain[0]]:
            return self.fonts.face(chain[0], bold)  # without loading the fallback fonts
        family = max(chain, key=lambda f: (len(needed & self.fonts.coverage[f]), -chain.index(f)))
        return self.fonts.face(family, bold)

    def drawing(self, figure: m.Figure) -> Drawing:
        # A drawing's text starts out in Helvetica, which is never embedded.
        drawing = Drawing(figure.width, figure.height, initialFontName="Body")
        if figure.spec.kind == "pie":
            drawing.add(self.pie(figure))
        else:
            bars = [n for n, s in enumerate(figure.spec.series) if not s.line]
            lines = [n for n, s in enumerate(figure.spec.series) if s.line]
            if figure.spec.kind == "line":
                bars, lines = [], list(range(len(figure.spec.series)))
            if bars:
                drawing.add(self.bars(figure, bars))
            if lines:
                drawing.add(self.lines(figure, lines, axes=not bars))
        for title in figure.titles:
            drawing.add(self.title(title, figure))
        if figure.legend:
            drawing.add(self.legend(figure.legend, figure.size))
        return drawing

    def pie(self, figure: m.Figure) -> Pie:
        spec = figure.spec
        chart = Pie()
        chart.x, chart.y, chart.width, chart.height = figure.plot
        chart.data = list(spec.series[0].values)
        chart.labels = list(figure.label_texts[0]) if figure.label_texts else None
        # Each label anchored on the side away from the pie, so it never covers a slice.
        chart.simpleLabels = 0
        chart.slices.fontName = self.face_for(figure.label_texts[0] if figure.label_texts
                                              else ())
        chart.slices.fontSize = figure.size
        chart.slices.fontColor = _hex(figure.text)
        chart.slices.strokeColor = _hex(figure.background)
        for n, color in enumerate(spec.series[0].point_colors):
            chart.slices[n].fillColor = _hex(color)
            chart.slices[n].labelRadius = m.PIE_LABEL_RADIUS
        return chart

    def value_axis(self, axis: Any, scale: m.Scale, figure: m.Figure, grid: bool) -> None:
        axis.labels.fontName = self.fonts.face("Body")
        axis.labels.fontSize = figure.size
        axis.labels.fillColor = _hex(figure.text)
        axis.labelTextFormat = scale.format.text
        axis.strokeColor = _hex(figure.grid)
        axis.valueMin, axis.valueMax, axis.valueStep = scale.low, scale.high, scale.step
        axis.visibleGrid = 1 if grid else 0
        axis.gridStrokeColor = _hex(figure.grid)
        axis.gridStrokeWidth = 0.3

    def category_axis(self, axis: Any, figure: m.Figure) -> None:
        names = [visual(c) for c in figure.categories]
        axis.categoryNames = names
        axis.labels.fontSize = figure.size
        axis.labels.fillColor = _hex(figure.text)
        for n, name in enumerate(names):
            axis.labels[n].fontName = self.face_for([name])
        axis.strokeColor = _hex(figure.grid)

    def bars(self, figure: m.Figure, drawn: list[int]) -> Any:
        spec = figure.spec
        chart: Any = HorizontalBarChart() if spec.kind == "bar" else VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = figure.plot
        chart.data = [list(figure.plotted[n]) for n in drawn]
        self.category_axis(chart.categoryAxis, figure)
        # Category labels sit at the chart's edge, not on a zero line among negative bars.
        chart.categoryAxis.joinAxisMode = "left" if spec.kind == "bar" else "bottom"
        if figure.scale:
            self.value_axis(chart.valueAxis, figure.scale, figure, True)
        if spec.stacked:
            chart.categoryAxis.style = "stacked"
        chart.barWidth = 10
        chart.groupSpacing = 10 * BAR_GAP
        if spec.kind == "bar":
            # The first category on top, and in each group the first series on top, as the
            # deck draws them.
            chart.categoryAxis.reverseDirection = 1
            chart.categoryAxis.labels.boxAnchor = "e"
            if not spec.stacked:
                chart.data = chart.data[::-1]
                drawn = drawn[::-1]
        for k, n in enumerate(drawn):
            one = spec.series[n]
            chart.bars[k].fillColor = _hex(one.color)
            chart.bars[k].strokeColor = None
            for point, color in enumerate(one.point_colors):
                chart.bars[(k, point)].fillColor = _hex(color)
        if figure.label_texts:
            chart.barLabelFormat = "values"
            chart.barLabelArray = [list(figure.label_texts[n]) for n in drawn]
            labels = chart.barLabels
            labels.fontName = self.fonts.face("Body")
            labels.fontSize = figure.size - 0.5
            labels.fillColor = _hex(figure.text)
            if spec.stacked:
                labels.boxTarget = "mid"
                labels.boxAnchor = "c"
                for k, n in enumerate(drawn):
                    if spec.series[n].label_color:
                        chart.barLabels[k].fillColor = _hex(spec.series[n].label_color)
            else:
                # A value label starts just beyond its bar's end (reportlab flips the anchor
                # of a negative bar's label to the side away from zero).
                labels.nudge = 3
                labels.boxAnchor = "w" if spec.kind == "bar" else "s"
        return chart

    def lines(self, figure: m.Figure, drawn: list[int], axes: bool) -> Any:
        spec = figure.spec
        chart = HorizontalLineChart()
        chart.x, chart.y, chart.width, chart.height = figure.plot
        chart.data = [list(figure.plotted[n]) for n in drawn]
        self.category_axis(chart.categoryAxis, figure)
        chart.categoryAxis.visible = 1 if axes else 0
        chart.categoryAxis.joinAxisMode = "bottom"
        secondary = any(spec.series[n].secondary for n in drawn)
        scale = figure.secondary if secondary and figure.secondary else figure.scale
        if scale:
            self.value_axis(chart.valueAxis, scale, figure, axes)
        if secondary:
            chart.valueAxis.joinAxisMode = "right"
            chart.valueAxis.labels.boxAnchor = "w"
            chart.valueAxis.labels.dx = 5
        elif not axes:
            chart.valueAxis.visible = 0
        for k, n in enumerate(drawn):
            color = _hex(spec.series[n].color)
            chart.lines[k].strokeColor = color
            chart.lines[k].strokeWidth = 2
            chart.lines[k].symbol = _marker(color)
        if figure.label_texts:
            chart.lineLabelFormat = "values"
            chart.lineLabelArray = [list(figure.label_texts[n]) for n in drawn]
            chart.lineLabels.fontName = self.fonts.face("Body")
            chart.lineLabels.fontSize = figure.size - 0.5
            chart.lineLabels.fillColor = _hex(figure.text)
            chart.lineLabels.boxAnchor = "s"
            chart.lineLabels.dy = 4
        return chart

    def title(self, title: m.AxisTitle, figure: m.Figure) -> Group:
        """An axis title centred on its point, turned to read upwards beside a vertical axis."""
        group = Group()
        size = figure.size
        width = sum(stringWidth(run, self.fonts.face(f), size)
                    for f, run in self.fonts.runs(visual(title.text)))
        x = -width / 2
        for family, run in self.fonts.runs(visual(title.text)):
            face = self.fonts.face(family)
            group.add(String(x, -size * 0.35, run, fontName=face, fontSize=size,
                             fillColor=_hex(figure.text)))
            x += stringWidth(run, face, size)
        if title.vertical:
            group.transform = (0, 1, -1, 0, title.x, title.y)
        else:
            group.transform = (1, 0, 0, 1, title.x, title.y)
        return group

    def legend(self, plan: m.Legend, size: float) -> Legend:
        names = [visual(name) for name in plan.names]
        legend = Legend()
        legend.colorNamePairs = [(_hex(color), name)
                                 for color, name in zip(plan.colors, names, strict=True)]
        legend.fontName = self.face_for(names)
        legend.fontSize = size
        legend.dx = legend.dy = 7
        legend.dxTextSpace = m.LEGEND_SWATCH - 7
        legend.deltax = plan.column_width
        legend.deltay = plan.row_height
        legend.columnMaximum = plan.rows
        legend.x, legend.y = plan.x, plan.y
        legend.alignment = "right"
        legend.boxAnchor = "nw"
        return legend


def _marker(color: Any) -> Any:
    marker = makeMarker("FilledCircle")
    marker.size = 5
    marker.fillColor = color
    marker.strokeColor = None
    return marker
