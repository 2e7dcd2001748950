"""The memo's plan: plain frozen data in points that the PDF renderer translates as it is."""

from __future__ import annotations

from msgspec import Struct, field

from briefgen.brief.markup import Span
from briefgen.layout.memo_metrics import TextStyle
from briefgen.layout.messages import LayoutMessage
from briefgen.layout.plan import ChartSpec, NumberFormat

Spans = tuple[Span, ...]
Cell = tuple[Spans, ...]  # one paragraph of a table cell, in chunks

# Sizes the planner measures with and the renderer draws with, pt.
CELL_PAD = 4.0  # left and right of a table cell's text
CELL_TOP = 3.0
CELL_BOTTOM = 4.0
CHIP_PAD = 5.0  # between a chip's rounded edge and its text
FIELD_COLUMN = 92.0  # the header block's column of field names
FIELD_GAP = 6.0  # right of a field name
BOX_ACCENT = 3.0  # the accent bar left of a box's text
TABLE_SPACE_AFTER = 6.0
BOX_SPACE_AFTER = 10.0
HEADER_SPACE_AFTER = 14.0
LIST_SPACE_AFTER = 4.0  # added below a list's last item
CONTENTS_PAGE_COLUMN = 36.0
MATRIX_MARGIN = 44.0  # below and above a risk matrix's cells, for its axis labels
LOGO_HEIGHT = 14.0  # the logo in the running header
BOX_PAD = 10.0  # a callout's or quote's padding
PANEL_PAD = 12.0  # the bottom line's and verdict's padding
BOX_TOP, BOX_BOTTOM = 0.8, 0.6  # a box's padding above and below its text, in paddings
FIGURE_PAD = 10.0  # inside a big number's cell
FIGURE_VALUE_MAX = 24.0  # pt: the largest a big number is set
FIGURE_GAP = 10.0  # between big numbers' cells
LEGEND_SWATCH = 17.0  # a chart legend entry's swatch and the gap before its name
PIE_LABEL_RADIUS = 1.18  # where a pie slice's label stands, in radii


class Para(Struct, frozen=True):
    """A paragraph in a named style of the memo: body, lead, muted, caption."""

    spans: Spans
    role: str = "body"
    continues: bool = False  # the next Para is the rest of this paragraph: no space between


class Heading(Struct, frozen=True):
    text: Spans
    number: str
    level: int  # 1 for a section, 2 for a table or chart title
    key: str  # bookmark and outline key
    outline: str


class Break(Struct, frozen=True):
    """Start a new page here unless `need` points are left on this one: how the planner keeps
    a heading with what follows, a short list or a figure with its caption on one page."""

    need: float


class ListBlock(Struct, frozen=True):
    """A list, or a run of its items between two breaks: `start` numbers its first item,
    `more` says the list goes on in the next ListBlock (no space after this one)."""

    items: tuple[tuple[Cell, int], ...]  # text in chunks and nesting level (0 or 1)
    numbered: bool = False
    start: int = 1
    more: bool = False


class Callout(Struct, frozen=True):
    label: str | None
    paras: tuple[Para, ...]
    fill: str
    accent: str


class KeyFigure(Struct, frozen=True):
    value: Spans
    label: Spans
    delta: str = ""
    note: Spans = ()


class FigureRow(Struct, frozen=True):
    """Big numbers side by side, each in a shaded cell under a rule; every value at
    `value_size`, the largest at which each fits its cell on one line."""

    figures: tuple[KeyFigure, ...]
    value_size: float
    fill: str
    rule: str

    def cell_width(self, frame: float) -> float:
        """Each cell's width, with its padding, in a frame `frame` wide."""
        return (frame - FIGURE_GAP * (len(self.figures) - 1)) / len(self.figures)


class Quote(Struct, frozen=True):
    paras: tuple[Para, ...]  # quote marks included
    by: str | None
    accent: str


class Chip(Struct, frozen=True):
    """A small rounded label in a table cell: a risk's likelihood or impact, in a size that
    fits its column."""

    text: str
    fill: str
    border: str
    color: str
    size: float = 8.5


class Grid(Struct, frozen=True):
    """A table with its header row, column widths in pt and per-cell chips, and how it breaks
    across pages: a row marked in `cut_rows` may be cut where a page ends when at least
    `least_cut` points are left for it (or the page is empty); others move whole."""

    columns: tuple[Spans, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    header_fill: str
    header_text: str
    band_fill: str
    rule: str
    chips: tuple[tuple[Chip | None, ...], ...] = ()  # per body cell, drawn instead of its text
    size: float = 9.0  # text size of the cells
    pad: float = CELL_PAD
    cut_rows: tuple[bool, ...] = ()
    least_cut: float = 100.0
    repeat_header: bool = True


class Legend(Struct, frozen=True):
    """A chart's legend: names in columns, laid out from the top left at (x, y)."""

    names: tuple[str, ...]
    colors: tuple[str, ...]
    columns: int
    rows: int
    column_width: float
    row_height: float
    x: float
    y: float


class Scale(Struct, frozen=True):
    """A value axis: its range, the step between its ticks and how they are written."""

    low: float
    high: float
    step: float
    format: NumberFormat


class AxisTitle(Struct, frozen=True):
    text: str
    x: float  # its centre, from the drawing's bottom left
    y: float
    vertical: bool  # read bottom to top, beside a vertical axis


class Figure(Struct, frozen=True):
    """A chart drawn from the brief's data, with its geometry: the plot area (x, y, width,
    height from the drawing's bottom left), the legend and axis titles around it, and every
    value as drawn (fractions of the whole in a 100 % chart) and as labelled."""

    spec: ChartSpec
    categories: tuple[str, ...]  # as the axis shows them (long names shortened)
    width: float
    height: float
    grid: str
    text: str
    plot: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    legend: Legend | None = None
    size: float = 8.0  # text size of labels and legend
    description: str = ""  # what the chart shows, in words
    plotted: tuple[tuple[float, ...], ...] = ()  # per series
    label_texts: tuple[tuple[str, ...], ...] = ()  # per series, per category; () without labels
    scale: Scale | None = None
    secondary: Scale | None = None
    titles: tuple[AxisTitle, ...] = ()
    background: str = "FFFFFF"


class RiskMatrix(Struct, frozen=True):
    markers: tuple[tuple[int, str, str], ...]  # number, likelihood, impact
    levels: tuple[str, str, str]  # labels for low, medium, high
    x_label: str
    y_label: str
    tones: tuple[tuple[str, ...], ...]  # [row from top][column] fill
    marker: str
    marker_text: str
    text: str
    size: float
    description: str = ""  # the matrix in words


class Picture(Struct, frozen=True):
    path: str
    width: float
    height: float
    alt: str


class Exhibit(Struct, frozen=True):
    """A table or figure with its title, takeaway and source."""

    heading: Heading | None
    body: Grid | Figure | Picture
    takeaway: Callout | None
    source: Para | None
    caption: Para | None = None


class HeaderBlock(Struct, frozen=True):
    rows: tuple[tuple[str, Spans], ...]
    title: str
    rule: str


class BottomLine(Struct, frozen=True):
    label: str
    headline: Spans
    summary: tuple[Para, ...]
    points_label: str
    points: tuple[Cell, ...]
    fill: str
    accent: str


class VerdictBox(Struct, frozen=True):
    headline: tuple[Para, ...]
    summary: tuple[Para, ...]
    fill: str
    text: str


class Contents(Struct, frozen=True):
    """The contents list: each section's heading, linked, with the page it starts on."""

    label: str
    entries: tuple[Heading, ...]


Element = (Para | Heading | ListBlock | Callout | Quote | Exhibit | HeaderBlock | BottomLine
           | VerdictBox | RiskMatrix | Break | Contents | FigureRow)


class Colors(Struct, frozen=True):
    text: str
    muted: str
    primary: str
    accent: str
    background: str
    link: str


class MemoPlan(Struct, frozen=True):
    page: tuple[float, float]
    margins: tuple[float, float, float, float]  # top, right, bottom, left
    elements: tuple[Element, ...]
    colors: Colors
    styles: dict[str, TextStyle]  # by role: body, lead, h1, h2, cell, … (see memo.text_styles)
    sizes: dict[str, float]
    language: str  # catalogue language, picks the CJK font
    header_left: str  # the running title, shortened to fit beside header_right
    header_right: str
    footer_left: str
    logo: tuple[str, float, float] | None  # path, width and height in pt, right of the header
    page_label: str  # "Page {page} of {pages}" in the brief's language
    title: str
    author: str
    subject: str
    keywords: str
    lang_tag: str
    date: str = "2000-01-01"  # the brief's date, ISO: the memo's creation date
    pages: int = 1  # the planner's estimate of the page count
    messages: tuple[LayoutMessage, ...] = field(default=())

    @property
    def frame_width(self) -> float:
        return self.page[0] - self.margins[1] - self.margins[3]

    @property
    def frame_height(self) -> float:
        return self.page[1] - self.margins[0] - self.margins[2]
