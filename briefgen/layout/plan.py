"""The plans: plain frozen data in points that renderers translate without deciding anything."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct, field

from briefgen.brief.markup import Span
from briefgen.layout.messages import LayoutMessage

Align = Literal["left", "center", "right"]


class Style(Struct, frozen=True):
    """How a paragraph's text is drawn: a deck font name, size in pt and hex colour."""

    font: str
    size: float
    color: str
    bold: bool = False
    italic: bool = False
    east_asian: str = ""
    code_font: str = "Courier New"
    line_spacing: float = 1.2
    heading: bool = False  # in the theme's heading font (else its body font)


class Para(Struct, frozen=True):
    spans: tuple[Span, ...]
    style: Style
    align: Align = "left"
    space_before: float = 0.0
    indent: float = 0.0  # left margin of the text, pt
    bullet: str | None = None  # the bullet character or "n." shown in the indent
    hang: float = 0.0  # how far left of the text the bullet stands, pt


class TextBox(Struct, frozen=True):
    x: float
    y: float
    w: float
    h: float
    paras: tuple[Para, ...]
    fill: str | None = None
    line: str | None = None
    inset: float = 0.0
    anchor: Literal["top", "middle", "bottom"] = "top"
    name: str = "Text"
    # The layout's placeholder the box is drawn in: "title", "body" (the content
    # placeholder), "footer", "date" or "number".
    placeholder: str | None = None
    field: int | None = None  # the span of the first paragraph that is the slide-number field
    rotation: float = 0.0  # degrees clockwise about the box's centre; -90 reads upward


class Shape(Struct, frozen=True):
    """A plain geometric shape: rectangle, rounded rectangle or ellipse, optionally with text."""

    kind: Literal["rect", "roundrect", "ellipse"]
    x: float
    y: float
    w: float
    h: float
    fill: str | None
    line: str | None = None
    text: TextBox | None = None
    name: str = "Shape"
    alt: str = ""  # what a screen reader says of a shape that means something (a marker)


class Cell(Struct, frozen=True):
    paras: tuple[Para, ...]
    fill: str | None = None


class Table(Struct, frozen=True):
    x: float
    y: float
    col_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int
    padding: float
    border: str
    name: str = "Table"
    alt: str = ""  # what a screen reader says of it

    @property
    def w(self) -> float:
        return sum(self.col_widths)

    @property
    def h(self) -> float:
        return sum(self.row_heights)


BAR_GAP = 0.6  # the gap between a chart's bar groups, in bar widths, as both outputs draw it


class NumberFormat(Struct, frozen=True):
    """How a chart writes its numbers: a currency sign before, decimals, thousands separators,
    a percent sign after; as a spreadsheet format for the deck and as text for the memo."""

    decimals: int = 0
    grouped: bool = True  # thousands separators
    prefix: str = ""  # a currency sign
    percent: bool = False  # a % sign after the number
    fraction: bool = False  # the numbers are fractions of 1 shown as percentages (100 % charts)

    def excel(self) -> str:
        digits = ("#,##0" if self.grouped else "0") + ("." + "0" * self.decimals
                                                      if self.decimals else "")
        prefix = f'"{self.prefix}"' if self.prefix else ""
        # A quoted % sign shows the number as written; a bare one multiplies it by 100.
        percent = "%" if self.fraction else '"%"' if self.percent else ""
        return prefix + digits + percent

    def text(self, value: float) -> str:
        shown = value * 100 if self.fraction else value
        digits = f"{abs(shown):{',' if self.grouped else ''}.{self.decimals}f}"
        sign = "-" if shown < 0 and digits.strip("0.,") else ""
        return f"{sign}{self.prefix}{digits}{'%' if self.percent or self.fraction else ''}"


class ChartSeries(Struct, frozen=True):
    name: str
    values: tuple[float, ...]
    color: str  # its bars', line's or (in a pie) first slice's colour
    point_colors: tuple[str, ...] = ()  # one per category where points differ: pie slices,
    # a highlighted category
    line: bool = False  # drawn as a line over a column chart's columns
    secondary: bool = False  # measured on the secondary value axis
    label_color: str = ""  # of data labels inside a stacked segment of this series


class ChartSpec(Struct, frozen=True):
    """What a chart shows and how, decided once for both outputs."""

    kind: Literal["bar", "column", "line", "pie"]
    categories: tuple[str, ...]  # in the order written: bars top to bottom
    series: tuple[ChartSeries, ...]
    value_format: NumberFormat  # the value axis's ticks
    label_format: NumberFormat  # the data labels
    labels: bool  # data labels shown
    legend: Literal["bottom", "right", "top", "none"]
    stacked: Literal["", "stacked", "percent"] = ""
    axis_title: str = ""  # the value axis's, with the unit
    axis_min: float | None = None
    axis_max: float | None = None
    secondary_format: NumberFormat | None = None
    secondary_title: str = ""
    pie_share: bool = False  # pie slices labelled with their share of the whole
    title_unit: str = ""  # a unit no axis shows, said after the chart's title

    @property
    def combo(self) -> bool:
        return any(s.line for s in self.series)

    @property
    def secondary(self) -> bool:
        return any(s.secondary for s in self.series)


class Chart(Struct, frozen=True):
    x: float
    y: float
    w: float
    h: float
    spec: ChartSpec
    font: str
    font_size: float
    text_color: str
    grid_color: str
    alt: str
    name: str = "Chart"


class Picture(Struct, frozen=True):
    x: float
    y: float
    w: float
    h: float
    path: str
    alt: str
    name: str = "Picture"


class Group(Struct, frozen=True):
    """Shapes that belong together (one row of the predictions), drawn as one named group."""

    items: tuple[TextBox | Shape, ...]
    name: str = "Group"
    alt: str = ""

    @property
    def x(self) -> float:
        return min(i.x for i in self.items)

    @property
    def y(self) -> float:
        return min(i.y for i in self.items)

    @property
    def w(self) -> float:
        return max(i.x + i.w for i in self.items) - self.x

    @property
    def h(self) -> float:
        return max(i.y + i.h for i in self.items) - self.y


Item = TextBox | Shape | Table | Chart | Picture | Group


class Slide(Struct, frozen=True):
    kind: str
    items: tuple[Item, ...]
    notes: str = ""
    layout: str | None = None  # the layout the slide is built on
    # Where that layout is in a template: its master and place among the master's layouts.
    master: int | None = None
    layout_index: int | None = None


class Metadata(Struct, frozen=True):
    title: str
    author: str
    subject: str
    keywords: str
    language: str
    date: str  # ISO, the brief's date
    classification: str = ""


class DeckTheme(Struct, frozen=True):
    """The theme as PowerPoint's theme part holds it: colour slots and heading/body fonts."""

    name: str
    # Scheme slot → hex colour: dk1, lt1, dk2, lt2, accent1…accent6, hlink, folHlink.
    colors: tuple[tuple[str, str], ...]
    heading_font: str
    body_font: str
    east_asian_font: str
    title_size: float  # the master's title and body text, for slides added by hand
    body_size: float


class MasterTheme(Struct, frozen=True):
    """A template master's theme as its slides refer to it: the colours a run may name by
    slot, by the slide's names of the slots (tx1, bg1, accent1, … through the master's
    colour map), and its theme fonts (those a run may name as +mj-lt, +mn-lt, …)."""

    colors: tuple[tuple[str, str], ...]  # slot → hex colour
    heading_font: str
    body_font: str
    heading_east_asian: str
    body_east_asian: str


class DeckPlan(Struct, frozen=True):
    width: float
    height: float
    slides: tuple[Slide, ...]
    metadata: Metadata
    link_color: str = "0563C1"
    template: str | None = None  # a .pptx whose master, layouts and size the deck uses
    messages: tuple[LayoutMessage, ...] = field(default=())
    theme: DeckTheme | None = None  # the deck's own theme part; None on a template
    masters: tuple[MasterTheme, ...] = ()  # on a template, each master's theme
