"""DeckPlan → .pptx: native text boxes, shapes, tables and charts, exactly where the plan says."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree
from msgspec import Struct, field
from pptx import Presentation
from pptx.chart.axis import ValueAxis
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter, _PhysPkgWriter
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart
from pptx.shapes.autoshape import AutoShapeType
from pptx.shapes.placeholder import SlidePlaceholder
from pptx.util import Emu, Pt

from briefgen.layout import plan
from briefgen.layout.measure import has_wide
from briefgen.render.recall import Recall

_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
_SHAPES = {"rect": MSO_SHAPE.RECTANGLE, "roundrect": MSO_SHAPE.ROUNDED_RECTANGLE,
           "ellipse": MSO_SHAPE.OVAL}
_NUMBERED = re.compile(r"^(\d+)\.$")
# python-pptx stores control characters as plain-text escapes such as "_x001B_"; so do we.
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _emu(points: float) -> Emu:
    return Emu(round(points * 12700))


def _centipoints(points: float) -> str:
    """A size in hundredths of a point, rounded as python-pptx rounds `Pt(points)`."""
    return str(int(points * 12700) // 127)


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color)


@functools.cache
def _tag(name: str) -> str:
    """The qualified name of a tag such as "a:p"; `qn` is slow enough to matter per run."""
    return qn(name)


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    return etree.SubElement(parent, _tag(tag), attrs)


class _Look(Struct, frozen=True):
    """How runs and shapes refer to the theme: by scheme slot and theme font, wherever a
    colour is in the scheme and a font is the theme's (on a template, the slide's master's
    theme, less what the theme file sets itself); literally otherwise."""

    slots: dict[str, str]  # hex colour → scheme colour name, e.g. "tx1", "accent2"
    theme_fonts: bool  # on the deck's own theme: every heading and body run in its fonts
    language: str  # the brief's, on every run
    template: bool = False  # on a company template, whose text styles titles follow
    accents: dict[str, str] = field(default_factory=dict)  # hex colour → its accent slot
    # On a template: the theme's fonts, typeface → "mj"/"mn", Latin and East Asian.
    latin: dict[str, str] = field(default_factory=dict)
    east_asian: dict[str, str] = field(default_factory=dict)

    def color(self, parent: Any, color: str) -> None:
        slot = self.slots.get(color)
        if slot:
            _sub(parent, "a:schemeClr", val=slot)
        else:
            _sub(parent, "a:srgbClr", val=color)

    def solid(self, parent: Any, color: str) -> None:
        self.color(_sub(parent, "a:solidFill"), color)

    def typefaces(self, style: plan.Style, code: bool) -> tuple[str, str]:
        """A run's Latin and East Asian typefaces: the theme's fonts by reference (code keeps
        its monospace font)."""
        typeface = style.code_font if code else style.font
        east_asian = style.east_asian or typeface
        major = "mj" if style.heading else "mn"
        if code:
            return typeface, east_asian
        if self.theme_fonts:
            return f"+{major}-lt", f"+{major}-ea"
        latin = _theme_font(self.latin, typeface, major)
        ea = _theme_font(self.east_asian, style.east_asian, major)
        return (f"+{latin}-lt" if latin else typeface, f"+{ea}-ea" if ea else east_asian)


def _theme_font(fonts: dict[str, str], typeface: str, major: str) -> str:
    """"mj" or "mn" where a typeface is the theme's heading or body font ("" where neither):
    the one of the run's kind where the two are one font."""
    which = fonts.get(typeface, "") if typeface else ""
    return major if which == "both" else which


# The slide's names of the theme's colour slots, by the master's colour map.
_SLOT_NAMES = {"dk1": "tx1", "lt1": "bg1", "dk2": "tx2", "lt2": "bg2", "hlink": "hlink",
               **{f"accent{n}": f"accent{n}" for n in range(1, 7)}}


def _fonts(heading: str, body: str) -> dict[str, str]:
    """Typeface → the theme font it is: "mj", "mn", or "both" when the two are one font."""
    found = {heading: "mj"} if heading else {}
    if body:
        found[body] = "both" if found.get(body) else "mn"
    return found


def _look(deck: plan.DeckPlan, master: int | None = None) -> _Look:
    """How the slides on a master (the own master: None) refer to its theme."""
    language = deck.metadata.language
    slots: dict[str, str] = {}
    accents: dict[str, str] = {}
    if deck.theme:
        for slot, color in deck.theme.colors:
            if slot in _SLOT_NAMES:
                slots.setdefault(color, _SLOT_NAMES[slot])
            if slot.startswith("accent"):
                accents.setdefault(color, slot)
        return _Look(slots, True, language, accents=accents)
    if master is None or master >= len(deck.masters):
        return _Look({}, False, language, template=bool(deck.template))
    theme = deck.masters[master]
    for slot, color in theme.colors:  # already in the slide's names
        slots.setdefault(color, slot)
        if slot.startswith("accent"):
            accents.setdefault(color, slot)
    return _Look(slots, False, language, template=True, accents=accents,
                 latin=_fonts(theme.heading_font, theme.body_font),
                 east_asian=_fonts(theme.heading_east_asian, theme.body_east_asian))


def _east_asian_language(text: str, language: str) -> str | None:
    """The language of a run with CJK characters: the brief's if it is Chinese, Japanese or
    Korean, else the one its characters say (kana: Japanese, hangul: Korean, Han: Chinese)."""
    if not has_wide(text):
        return None
    if language.split("-")[0].lower() in ("zh", "ja", "ko"):
        return language
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return "ja-JP"
    if any("\uac00" <= c <= "\ud7af" or "\u1100" <= c <= "\u11ff" for c in text):
        return "ko-KR"
    return "zh-CN"


def _c_nv_pr(element: Any) -> Any:
    """The <p:cNvPr> with a shape's id, name and alt text: the first child of its first child."""
    return element[0][0]


def _escape_control(text: str) -> str:
    return _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


# The text is written as lxml elements in schema order rather than through python-pptx's
# property setters, which search each element's children on every call.
# A fixed id for the slide-number field, as PowerPoint's own decks share one; builds stay
# byte-identical.
_SLIDENUM_FIELD_ID = "{B2C3D4E5-0F1A-4B2C-8D3E-4F5A6B7C8D9E}"


def _write_run(p: Any, text: str, span: Any, style: plan.Style, part: Any, look: _Look,
               field: bool = False) -> None:
    r = (_sub(p, "a:fld", id=_SLIDENUM_FIELD_ID, type="slidenum") if field
         else _sub(p, "a:r"))
    r_pr = _sub(r, "a:rPr", lang=_east_asian_language(text, look.language) or look.language,
                sz=_centipoints(style.size), b="1" if style.bold or span.bold else "0",
                i="1" if style.italic or span.italic else "0")
    look.solid(r_pr, style.color)
    # The theme's fonts, which the plan was measured with, follow a change of theme.
    latin, east_asian = look.typefaces(style, span.code)
    _sub(r_pr, "a:latin", typeface=latin)
    # East Asian and complex-script text need their own typefaces, right after <a:latin>.
    _sub(r_pr, "a:ea", typeface=east_asian)
    _sub(r_pr, "a:cs", typeface=style.code_font if span.code else style.font)
    if span.href:
        link = _sub(r_pr, "a:hlinkClick")
        link.set(_tag("r:id"), part.relate_to(span.href, RT.HYPERLINK, is_external=True))
    _sub(r, "a:t").text = _escape_control(text)


def _write_para(tx_body: Any, para: plan.Para, part: Any, look: _Look,
                field: int | None = None) -> None:
    style = para.style
    p = _sub(tx_body, "a:p")
    p_pr = _sub(p, "a:pPr", algn=_ALIGN[para.align])
    if para.indent:
        p_pr.set("marL", str(int(_emu(para.indent))))
        p_pr.set("indent", str(-int(_emu(para.hang))) if para.bullet else "0")
    _sub(_sub(p_pr, "a:lnSpc"), "a:spcPts", val=_centipoints(style.size * style.line_spacing))
    _sub(_sub(p_pr, "a:spcBef"), "a:spcPts", val=_centipoints(para.space_before))
    _sub(_sub(p_pr, "a:spcAft"), "a:spcPts", val="0")
    if para.bullet:
        look.color(_sub(p_pr, "a:buClr"), style.color)
        _sub(p_pr, "a:buSzPct", val="100000")
        number = _NUMBERED.match(para.bullet)
        if number:
            _sub(p_pr, "a:buFont", typeface=style.font)
            _sub(p_pr, "a:buAutoNum", type="arabicPeriod", startAt=number.group(1))
        else:
            _sub(p_pr, "a:buFont", typeface="Arial")
            _sub(p_pr, "a:buChar", char=para.bullet)
    else:
        _sub(p_pr, "a:buNone")
    for index, span in enumerate(para.spans):
        for n, piece in enumerate(span.text.split("\n")):
            if n:
                _sub(p, "a:br")
            if piece:
                _write_run(p, piece, span, style, part, look, field=index == field)
    _sub(p, "a:endParaRPr", sz=str(round(style.size * 100)))


def _write_paras(tx_body: Any, paras: tuple[plan.Para, ...], part: Any, look: _Look,
                 field: int | None = None) -> None:
    """The plan's paragraphs in place of the empty one a new text body holds."""
    if not paras:
        return
    for p in tx_body.findall(_tag("a:p")):
        tx_body.remove(p)
    for n, para in enumerate(paras):
        _write_para(tx_body, para, part, look, field if n == 0 else None)


_AUTOFITS = {qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit")}


def _fill_frame(tx_body: Any, paras: tuple[plan.Para, ...], inset: float, anchor: str,
                part: Any, look: _Look, field: int | None = None) -> None:
    body_pr = tx_body.find(_tag("a:bodyPr"))
    body_pr.set("wrap", "square")
    # A new shape's <a:bodyPr> holds nothing but its autofit choice.
    for autofit in [child for child in body_pr if child.tag in _AUTOFITS]:
        body_pr.remove(autofit)
    body_pr.insert(0, etree.Element(_tag("a:noAutofit")))
    margin = str(int(_emu(inset)))
    for side in ("lIns", "rIns", "tIns", "bIns"):
        body_pr.set(side, margin)
    body_pr.set("anchor", _ANCHOR[anchor])
    _write_paras(tx_body, paras, part, look, field)


_FILLS = {qn(tag) for tag in ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill",
                              "a:pattFill", "a:grpFill")}


def _set_fill(sp_pr: Any, color: str | None, look: _Look) -> None:
    """A solid fill, or none, in place of the shape's own, where the schema wants it."""
    for fill in [child for child in sp_pr if child.tag in _FILLS]:
        sp_pr.remove(fill)
    fill = etree.Element(_tag("a:solidFill" if color else "a:noFill"))
    if color:
        look.color(fill, color)
    sp_pr.find(_tag("a:prstGeom")).addnext(fill)


def _add_textbox(shapes: Any, box: plan.TextBox, part: Any, look: _Look) -> Any:
    """A text box's <p:sp>. Made by the shape tree's own element maker: its `add_textbox`
    then wraps the element in a shape object, looking for a placeholder in it by XPath."""
    sp = shapes._add_textbox_sp(_emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    _c_nv_pr(sp).set("name", box.name)
    if box.rotation:
        sp.rot = box.rotation
    if box.fill:
        _set_fill(sp.spPr, box.fill, look)
    _fill_frame(sp.txBody, box.paras, box.inset, box.anchor, part, look, box.field)
    return sp


_PLACEHOLDER_TYPES = {"footer": "ftr", "number": "sldNum", "date": "dt"}


def _add_in_placeholder(slide: Any, box: plan.TextBox, part: Any, look: _Look,
                        layout_placeholders: dict[str, Any]) -> None:
    """A footer or slide number in the layout's placeholder of its kind, where the layout has
    one (python-pptx's add_slide leaves those out), else as a text box."""
    sp = _add_textbox(slide.shapes, box, part, look)
    kind = _PLACEHOLDER_TYPES[box.placeholder or ""]
    found = layout_placeholders.get(kind)
    if found is None:
        return
    nv = sp[0]
    c_nv_sp_pr = nv[1]
    c_nv_sp_pr.attrib.pop("txBox", None)
    _sub(c_nv_sp_pr, "a:spLocks", noGrp="1")
    ph = _sub(nv[2], "p:ph", type=kind)
    for key in ("sz", "idx"):
        if found.get(key):
            ph.set(key, found.get(key))


_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def _mark_decorative(element: Any) -> None:
    """A shape that says nothing (a rule, band, card or bar): screen readers pass over it."""
    ext = _sub(_sub(_c_nv_pr(element), "a:extLst"), "a:ext", uri=_DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{_DECORATIVE_NS}}}decorative", {"val": "1"},
                     nsmap={"adec": _DECORATIVE_NS})


def _add_shape(shapes: Any, item: plan.Shape, part: Any, look: _Look) -> None:
    sp = shapes._add_sp(AutoShapeType(_SHAPES[item.kind]), _emu(item.x), _emu(item.y),
                        _emu(item.w), _emu(item.h))
    _c_nv_pr(sp).set("name", item.name)
    if item.alt:
        _set_alt(sp, item.alt)
    if not item.text:
        _mark_decorative(sp)
    # The default shape style adds a theme shadow and outline; the plan says exactly what to draw.
    style = sp.find(_tag("p:style"))
    if style is not None:
        sp.remove(style)
    sp_pr, tx_body = sp.spPr, sp.txBody
    _set_fill(sp_pr, item.fill, look)
    if item.line:
        look.solid(_sub(sp_pr, "a:ln", w=str(int(_emu(0.75)))), item.line)
    else:
        _sub(_sub(sp_pr, "a:ln"), "a:noFill")
    if item.text:
        _fill_frame(tx_body, item.text.paras, item.text.inset, item.text.anchor, part, look)
    else:
        for p in tx_body.findall(_tag("a:p")):
            tx_body.remove(p)
        _sub(tx_body, "a:p")


def _add_group(shapes: Any, item: plan.Group, part: Any, look: _Look) -> None:
    """Shapes read and moved as one, e.g. a row of the predictions."""
    # The group takes the next id by a search of the slide, which the ids counted for new
    # shapes (render_pptx) must then start above.
    shapes.turbo_add_enabled = False
    group = shapes.add_group_shape()
    shapes.turbo_add_enabled = True
    _c_nv_pr(group._element).set("name", item.name)
    _set_alt(group._element, item.alt)
    # Each member is made on the slide and moved into the group, whose extents are then
    # worked out once: a group's own shapes work them out again after every shape added.
    tree = shapes._spTree
    for member in item.items:
        if isinstance(member, plan.TextBox):
            _add_textbox(shapes, member, part, look)
        else:
            _add_shape(shapes, member, part, look)
        group._element.append(tree[-1])
    group._element.recalculate_extents()


def _cell_borders(tc: Any, fill: str | None, border: str, padding: float, look: _Look
                  ) -> None:
    tc_pr = tc.find(_tag("a:tcPr"))
    del tc_pr[:]
    for key, value in (("marL", padding), ("marR", padding), ("marT", 4.0), ("marB", 4.0)):
        tc_pr.set(key, str(int(_emu(value))))
    tc_pr.set("anchor", "t")
    for side in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        line = _sub(tc_pr, side, w=str(int(_emu(0.75))))
        if side == "a:lnB":
            look.solid(line, border)
        else:
            _sub(line, "a:noFill")
    if fill:
        look.solid(tc_pr, fill)
    else:
        _sub(tc_pr, "a:noFill")


def _add_table(shapes: Any, item: plan.Table, part: Any, look: _Look) -> None:
    rows, cols = len(item.rows), len(item.col_widths)
    frame = shapes.add_table(rows, cols, _emu(item.x), _emu(item.y), _emu(item.w), _emu(item.h))
    _c_nv_pr(frame._element).set("name", item.name)
    _set_alt(frame._element, item.alt)
    table = frame.table
    table.first_row = item.header_rows > 0
    table.horz_banding = False
    tbl = table._tbl
    widths = [_emu(width) for width in item.col_widths]
    heights = [_emu(height) for height in item.row_heights]
    for grid_col, width in zip(tbl.tblGrid.iterchildren(_tag("a:gridCol")), widths, strict=True):
        grid_col.set("w", str(int(width)))
    # The frame spans its columns and rows, as python-pptx's width and height setters keep it.
    frame.width, frame.height = Emu(sum(widths)), Emu(sum(heights))
    for tr, height, row in zip(tbl.iterchildren(_tag("a:tr")), heights, item.rows, strict=True):
        tr.set("h", str(int(height)))
        for tc, cell_plan in zip(tr.iterchildren(_tag("a:tc")), row, strict=True):
            tx_body = tc.find(_tag("a:txBody"))
            tx_body.find(_tag("a:bodyPr")).set("wrap", "square")
            _write_paras(tx_body, cell_plan.paras, part, look)
            _cell_borders(tc, cell_plan.fill, item.border, item.padding, look)


def _set_alt(element: Any, alt: str) -> None:
    _c_nv_pr(element).set("descr", alt)


_STACKED = {("bar", ""): XL_CHART_TYPE.BAR_CLUSTERED, ("bar", "stacked"): XL_CHART_TYPE.BAR_STACKED,
            ("bar", "percent"): XL_CHART_TYPE.BAR_STACKED_100,
            ("column", ""): XL_CHART_TYPE.COLUMN_CLUSTERED,
            ("column", "stacked"): XL_CHART_TYPE.COLUMN_STACKED,
            ("column", "percent"): XL_CHART_TYPE.COLUMN_STACKED_100,
            ("line", ""): XL_CHART_TYPE.LINE_MARKERS, ("pie", ""): XL_CHART_TYPE.PIE}
_LEGEND = {"bottom": XL_LEGEND_POSITION.BOTTOM, "right": XL_LEGEND_POSITION.RIGHT,
           "top": XL_LEGEND_POSITION.TOP}
_THEME_COLORS = {"tx1": MSO_THEME_COLOR.TEXT_1, "bg1": MSO_THEME_COLOR.BACKGROUND_1,
                 "tx2": MSO_THEME_COLOR.TEXT_2, "bg2": MSO_THEME_COLOR.BACKGROUND_2,
                 "hlink": MSO_THEME_COLOR.HYPERLINK,
                 **{f"accent{n}": getattr(MSO_THEME_COLOR, f"ACCENT_{n}") for n in range(1, 7)}}


def _chart_color(color_format: Any, color: str, look: _Look) -> None:
    """A chart colour by its theme slot where the theme has it (a series colour by its accent
    slot), else as written."""
    slot = look.accents.get(color) or look.slots.get(color)
    if slot in _THEME_COLORS:
        color_format.theme_color = _THEME_COLORS[slot]
    else:
        color_format.rgb = _rgb(color)


def _chart_fill(fill: Any, color: str, look: _Look) -> None:
    fill.solid()
    _chart_color(fill.fore_color, color, look)


def _add_chart(shapes: Any, item: plan.Chart, look: _Look) -> None:
    spec = item.spec
    # python-pptx writes a chart's data as a workbook with xlsxwriter, ~20 ms to import:
    # only for a deck that has charts.
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData()
    data.categories = list(spec.categories)
    for one in spec.series:
        data.add_series(one.name, one.values)
    frame = shapes.add_chart(_STACKED[spec.kind, spec.stacked], _emu(item.x), _emu(item.y),
                             _emu(item.w), _emu(item.h), data)
    _c_nv_pr(frame._element).set("name", item.name)
    _set_alt(frame._element, item.alt)
    chart = frame.chart
    if spec.combo:
        _move_lines(chart, spec)
    # python-pptx numbers axes with negative ids; the schema wants unsigned ones.
    for tag in ("c:axId", "c:crossAx"):
        for axis_id in chart._chartSpace.iter(qn(tag)):
            axis_id.set("val", str(int(axis_id.get("val")) & 0x7FFFFFFF))
    chart.font.size = Pt(item.font_size)
    chart.font.name = item.font
    _chart_color(chart.font.color, item.text_color, look)
    chart.has_title = False
    if spec.kind == "pie":
        _style_pie(chart.plots[0], item, look)
    else:
        for plot in chart.plots:
            _style_plot(plot, item, look)
        _style_axes(chart, item, look)
    chart.has_legend = spec.legend != "none"
    if chart.has_legend:
        chart.legend.position = _LEGEND[spec.legend]
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(item.font_size)


def _labels(plot: Any, item: plan.Chart, number_format: plan.NumberFormat) -> Any:
    plot.has_data_labels = item.spec.labels
    if not item.spec.labels:
        return None
    labels = plot.data_labels
    # python-pptx writes a number format into XML unescaped; lxml escapes it ("<" in a unit).
    labels.number_format_is_linked = False
    num_fmt = labels._element.get_or_add_numFmt()
    num_fmt.set("formatCode", number_format.excel())
    labels.font.size = Pt(item.font_size)
    return labels


def _style_pie(plot: Any, item: plan.Chart, look: _Look) -> None:
    spec = item.spec
    labels = _labels(plot, item, spec.label_format)
    if labels is not None:
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        # Each slice says what it is and how much: colour alone never tells slices apart.
        labels.show_category_name = True
        labels.show_value = not spec.pie_share
        labels.show_percentage = spec.pie_share
        separator = labels._element.find(qn("c:separator"))
        if separator is None:
            separator = etree.Element(qn("c:separator"))
            labels._element.find(qn("c:showBubbleSize")).addnext(separator)
        separator.text = " "
    points = plot.series[0].points
    for n, color in enumerate(spec.series[0].point_colors):
        _chart_fill(points[n].format.fill, color, look)


def _style_plot(plot: Any, item: plan.Chart, look: _Look) -> None:
    spec = item.spec
    line_plot = spec.kind == "line" or plot._element.tag == qn("c:lineChart")
    drawn = [s for s in spec.series if s.line == (line_plot and spec.kind != "line")]
    plot.vary_by_categories = False
    secondary = line_plot and any(s.secondary for s in drawn)
    labels = _labels(plot, item, spec.secondary_format if secondary and spec.secondary_format
                     else spec.label_format)
    if not line_plot:
        plot.gap_width = round(plan.BAR_GAP * 100)
        if spec.stacked:
            plot.overlap = 100
    if labels is not None:
        labels.position = (XL_LABEL_POSITION.ABOVE if line_plot else XL_LABEL_POSITION.CENTER
                           if spec.stacked else XL_LABEL_POSITION.OUTSIDE_END)
    for one, series in zip(drawn, plot.series, strict=True):
        if line_plot:
            _chart_color(series.format.line.color, one.color, look)
            series.format.line.width = Pt(2.25)
            series.smooth = False
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            _chart_fill(series.marker.format.fill, one.color, look)
            series.marker.format.line.fill.background()
        else:
            _chart_fill(series.format.fill, one.color, look)
            series.invert_if_negative = False
        for n, color in enumerate(one.point_colors):
            point = series.points[n]
            _chart_fill(point.marker.format.fill if line_plot else point.format.fill, color,
                        look)
        if labels is not None and spec.stacked and one.label_color:
            # Labels inside a stacked segment take the colour that reads on it.
            series_labels = series.data_labels
            series_labels.number_format_is_linked = False
            series_labels._element.get_or_add_numFmt().set("formatCode",
                                                            spec.label_format.excel())
            series_labels.position = XL_LABEL_POSITION.CENTER
            series_labels.font.size = Pt(item.font_size)
            _chart_color(series_labels.font.color, one.label_color, look)
            series_labels.show_value = True


def _value_axis(axis: Any, item: plan.Chart, look: _Look, number_format: plan.NumberFormat,
                title: str, grid: bool) -> None:
    axis.has_major_gridlines = grid
    if grid:
        _chart_color(axis.major_gridlines.format.line.color, item.grid_color, look)
    axis.format.line.fill.background()
    axis.tick_labels.number_format_is_linked = False
    axis._element.get_or_add_numFmt().set("formatCode", number_format.excel())
    axis.has_title = bool(title)
    if title:
        frame = axis.axis_title.text_frame
        frame.text = title
        font = frame.paragraphs[0].runs[0].font
        font.size = Pt(item.font_size)
        font.bold = False
        _chart_color(font.color, item.text_color, look)


def _style_axes(chart: Any, item: plan.Chart, look: _Look) -> None:
    spec = item.spec
    # python-pptx's value_axis is the second of two (a scatter chart's y axis): take the first.
    value_axes = chart._chartSpace.findall(f".//{qn('c:valAx')}")
    value_axis = ValueAxis(value_axes[0])
    _value_axis(value_axis, item, look, spec.value_format, spec.axis_title, True)
    if spec.axis_min is not None:
        value_axis.minimum_scale = spec.axis_min
    if spec.axis_max is not None:
        value_axis.maximum_scale = spec.axis_max
    if spec.secondary and spec.secondary_format:
        second = ValueAxis(value_axes[1])
        _value_axis(second, item, look, spec.secondary_format, spec.secondary_title, False)
    category_axis = chart.category_axis
    _chart_color(category_axis.format.line.color, item.grid_color, look)
    # With negative values the axis crosses mid-plot; keep its labels at the edge.
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if spec.kind == "bar":
        # Bars read top-down in the order the brief lists its categories, with the value
        # axis kept at the bottom, where the last category now is.
        category_axis.reverse_order = True
        value_axis._element.find(qn("c:crosses")).set("val", "max")


def _move_lines(chart: Any, spec: plan.ChartSpec) -> None:
    """A column chart's line series moved into a line chart over the columns, on the
    columns' axes or a secondary pair: a hidden category axis and a value axis at the right."""
    plot_area = chart._chartSpace.find(f".//{qn('c:plotArea')}")
    bar_chart = plot_area.find(qn("c:barChart"))
    sers = bar_chart.findall(qn("c:ser"))
    line_chart = etree.Element(qn("c:lineChart"))
    _sub(line_chart, "c:grouping", val="standard")
    _sub(line_chart, "c:varyColors", val="0")
    for one, ser in zip(spec.series, sers, strict=True):
        if not one.line:
            continue
        invert = ser.find(qn("c:invertIfNegative"))
        if invert is not None:
            ser.remove(invert)
        line_chart.append(ser)
    _sub(line_chart, "c:marker", val="1")
    bar_ids = [axis_id.get("val") for axis_id in bar_chart.findall(qn("c:axId"))]
    ids = bar_ids
    if spec.secondary:
        ids = [str(int(bar_ids[0]) + 1000), str(int(bar_ids[1]) + 1000)]
    for axis_id in ids:
        _sub(line_chart, "c:axId", val=axis_id)
    bar_chart.addnext(line_chart)
    if not spec.secondary:
        return
    last_axis = plot_area.findall(qn("c:valAx"))[-1]
    cat_ax = etree.Element(qn("c:catAx"))
    _sub(cat_ax, "c:axId", val=ids[0])
    _sub(_sub(cat_ax, "c:scaling"), "c:orientation", val="minMax")
    _sub(cat_ax, "c:delete", val="1")
    _sub(cat_ax, "c:axPos", val="b")
    _sub(cat_ax, "c:majorTickMark", val="none")
    _sub(cat_ax, "c:minorTickMark", val="none")
    _sub(cat_ax, "c:tickLblPos", val="nextTo")
    _sub(cat_ax, "c:crossAx", val=ids[1])
    _sub(cat_ax, "c:crosses", val="autoZero")
    _sub(cat_ax, "c:auto", val="1")
    _sub(cat_ax, "c:lblAlgn", val="ctr")
    _sub(cat_ax, "c:lblOffset", val="100")
    _sub(cat_ax, "c:noMultiLvlLbl", val="0")
    val_ax = etree.Element(qn("c:valAx"))
    _sub(val_ax, "c:axId", val=ids[1])
    _sub(_sub(val_ax, "c:scaling"), "c:orientation", val="minMax")
    _sub(val_ax, "c:delete", val="0")
    _sub(val_ax, "c:axPos", val="r")
    _sub(val_ax, "c:numFmt", formatCode="General", sourceLinked="0")
    _sub(val_ax, "c:majorTickMark", val="out")
    _sub(val_ax, "c:minorTickMark", val="none")
    _sub(val_ax, "c:tickLblPos", val="nextTo")
    _sub(val_ax, "c:crossAx", val=ids[0])
    _sub(val_ax, "c:crosses", val="max")
    _sub(val_ax, "c:crossBetween", val="between")
    last_axis.addnext(cat_ax)
    cat_ax.addnext(val_ax)


def _add_picture(shapes: Any, item: plan.Picture, base: Path) -> None:
    picture = shapes.add_picture(str(base / item.path), _emu(item.x), _emu(item.y),
                                 _emu(item.w), _emu(item.h))
    _c_nv_pr(picture._element).set("name", item.name)
    _set_alt(picture._element, item.alt)


def _set_metadata(prs: Any, meta: plan.Metadata) -> None:
    props = prs.core_properties
    props.title = meta.title[:255]
    props.author = meta.author[:255]
    props.subject = meta.subject[:255]
    props.keywords = meta.keywords[:255]
    props.language = meta.language
    props.category = meta.classification[:255]
    props.last_modified_by = meta.author[:255]
    props.comments = ""
    props.revision = 1
    day = dt.datetime.fromisoformat(meta.date + ("-01" if len(meta.date) == 7 else ""))
    props.created = day
    props.modified = day
    props.last_printed = day


def _edit_theme(prs: Any, edit: Any) -> None:
    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(theme_part.blob)
    edit(theme)
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)


def _set_link_color(prs: Any, color: str) -> None:
    """PowerPoint draws hyperlinks in the theme's hlink colour, whatever the run's colour."""
    def edit(theme: Any) -> None:
        for tag in ("a:hlink", "a:folHlink"):
            for slot in theme.iter(qn(tag)):
                for child in list(slot):
                    slot.remove(child)
                _sub(slot, "a:srgbClr", val=color)

    _edit_theme(prs, edit)


def _set_theme(prs: Any, deck_theme: plan.DeckTheme) -> None:
    """The theme part holds the deck's colours and fonts, so that PowerPoint's Design tab,
    a new slide and the master all look like the deck."""
    def edit(theme: Any) -> None:
        theme.set("name", deck_theme.name)
        scheme = theme.find(f"{_tag('a:themeElements')}/{_tag('a:clrScheme')}")
        scheme.set("name", deck_theme.name)
        for slot, color in deck_theme.colors:
            element = scheme.find(_tag(f"a:{slot}"))
            for child in list(element):
                element.remove(child)
            _sub(element, "a:srgbClr", val=color)
        fonts = theme.find(f"{_tag('a:themeElements')}/{_tag('a:fontScheme')}")
        fonts.set("name", deck_theme.name)
        for which, latin in (("a:majorFont", deck_theme.heading_font),
                             ("a:minorFont", deck_theme.body_font)):
            font = fonts.find(_tag(which))
            font.find(_tag("a:latin")).set("typeface", latin)
            font.find(_tag("a:ea")).set("typeface", deck_theme.east_asian_font)

    _edit_theme(prs, edit)


def _style_master(prs: Any, deck_theme: plan.DeckTheme) -> None:
    """The master's text styles in the theme's sizes and colours: a title on the left in the
    primary colour (tx2), body text in three levels."""
    styles = prs.slide_master._element.find(_tag("p:txStyles"))
    title = styles.find(f"{_tag('p:titleStyle')}/{_tag('a:lvl1pPr')}")
    title.set("algn", "l")
    run = title.find(_tag("a:defRPr"))
    run.set("sz", _centipoints(deck_theme.title_size))
    run.set("b", "1")
    run.find(f"{_tag('a:solidFill')}/{_tag('a:schemeClr')}").set("val", "tx2")
    body = styles.find(_tag("p:bodyStyle"))
    for level, size in ((1, deck_theme.body_size), (2, deck_theme.body_size - 2),
                        (3, deck_theme.body_size - 4)):
        body.find(f"{_tag(f'a:lvl{level}pPr')}/{_tag('a:defRPr')}").set(
            "sz", _centipoints(size))


def _scale_master(prs: Any, width: float) -> None:
    """The default master and layouts are drawn for 4:3; stretch them across the deck's width
    so that a slide added by hand has its title and footers where the deck has them."""
    factor = width / prs.slide_width
    parts = [prs.slide_master, *prs.slide_layouts]
    for part in parts:
        for xfrm in part._element.iter(_tag("a:xfrm")):
            off, ext = xfrm.find(_tag("a:off")), xfrm.find(_tag("a:ext"))
            if off is not None:
                off.set("x", str(round(int(off.get("x")) * factor)))
            if ext is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * factor)))


@functools.cache
def _default_package() -> Any:
    """python-pptx's default presentation, read once a process: reading and parsing its
    parts takes as long as rendering a short deck, copying them a third of that."""
    return Presentation()


@functools.lru_cache(maxsize=4)
def _own_master(width: float, height: float, theme: plan.DeckTheme | None, link_color: str
                ) -> tuple[Any, dict[str, list[Any]]]:
    """The default presentation made the deck's own: its size, its theme's colours, fonts and
    text styles. Made once for each look, and copied for each deck; with the placeholders a
    new slide of each of its layouts holds, as the decks find them (_Slides)."""
    prs = copy.deepcopy(_default_package())
    _scale_master(prs, _emu(width))
    prs.slide_width = _emu(width)
    prs.slide_height = _emu(height)
    # The default says "screen4x3" whatever the size; without a type the size speaks.
    prs.part._element.find(_tag("p:sldSz")).attrib.pop("type", None)
    # The default package carries a 4:3 thumbnail of an empty slide.
    package = prs.part.package
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(rel_id)
    if theme:
        _set_theme(prs, theme)
        _style_master(prs, theme)
    else:
        _set_link_color(prs, link_color)
    return prs, {}


def _open(deck: plan.DeckPlan) -> tuple[Any, dict[str, list[Any]]]:
    """A new presentation on its own master, or the template with its own slides removed;
    with what is known of the placeholders its layouts give a new slide."""
    if not deck.template:
        prs, clones = _own_master(deck.width, deck.height, deck.theme, deck.link_color)
        return copy.deepcopy(prs), clones
    from briefgen.theme.package import open_template

    prs = open_template(Path(deck.template))
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    # The template's custom properties and thumbnail describe the template, not this deck
    # (app.xml is written anew for every deck).
    package = prs.part.package
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype in (RT.CUSTOM_PROPERTIES, RT.THUMBNAIL):
            package._rels.pop(rel_id)
    if not any(rel.reltype == RT.VIEW_PROPS for rel in prs.part.rels.values()):
        # PowerPoint repairs a deck without view properties (LibreOffice's exports have none).
        from pptx.opc.package import Part

        view = Part(PackURI("/ppt/viewProps.xml"), CT.PML_VIEW_PROPS, package, _VIEW_PROPS)
        prs.part.relate_to(view, RT.VIEW_PROPS)
    return prs, {}


_VIEW_PROPS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<p:viewPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
               b'<p:gridSpacing cx="76200" cy="76200"/></p:viewPr>')


def _layout(prs: Any, slide_plan: plan.Slide) -> Any:
    """The slide's layout: by its place in a template's master, by name on the own master."""
    if slide_plan.master is not None and slide_plan.layout_index is not None:
        return prs.slide_masters[slide_plan.master].slide_layouts[slide_plan.layout_index]
    return prs.slide_layouts.get_by_name(slide_plan.layout or "Blank")


class _NotesSlides:
    """A deck's notes slides. python-pptx builds each one by cloning the notes master's
    placeholders and searching the whole package for a free part name, which costs more than
    the slide; after the first, each is a copy of the first one's blank page."""

    def __init__(self) -> None:
        self.blank: Any = None
        self.made = 0

    def add(self, slide: Any, text: str) -> None:
        self.made += 1
        if self.blank is None:
            notes_slide = slide.notes_slide
            self.blank = copy.deepcopy(notes_slide._element)
        else:
            slide_part = slide.part
            package = slide_part.package
            # python-pptx numbers notes slides in the order they are made, from 1.
            notes_part = NotesSlidePart(
                PackURI(f"/ppt/notesSlides/notesSlide{self.made}.xml"), CT.PML_NOTES_SLIDE,
                package, copy.deepcopy(self.blank))
            notes_part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
            notes_part.relate_to(slide_part, RT.SLIDE)
            slide_part.relate_to(notes_part, RT.NOTES_SLIDE)
            notes_slide = notes_part.notes_slide
        notes_slide.notes_text_frame.text = text


_PH = "p:nvSpPr/p:nvPr/p:ph"
_NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
# By type: a title by its type, as python-pptx's `shapes.title` takes the first placeholder
# of index 0, which LibreOffice's exports give their content areas too; the content area a
# body or object one (an object placeholder has no type in the file).
_TITLE_TYPES, _BODY_TYPES = ("title", "ctrTitle"), ("body", "obj")


class _Slides:
    """Adds the deck's slides. python-pptx copies a layout's placeholders onto each new slide
    by looking up every one of them by XPath; here that is done for a layout's first slide
    (on the own master, the first in the process), and its next slides get copies of what
    that one was given (the same ids and names)."""

    def __init__(self, prs: Any, clones: dict[str, list[Any]]) -> None:
        self.prs = prs
        self.clones = clones
        self.by_type: dict[str, dict[str, Any]] = {}
        self.starts: dict[str, bytes] = {}

    def add(self, layout: Any) -> Any:
        key = str(layout.part.partname)
        if key not in self.by_type:
            self.by_type[key] = {}
            for ph in layout._element.iterfind(".//p:nvPr/p:ph", _NS):
                self.by_type[key].setdefault(ph.get("type", "obj"), ph)
        if key not in self.clones:
            slide = self.prs.slides.add_slide(layout)
            self.clones[key] = [copy.deepcopy(sp) for sp in self.placeholders(slide)]
            return slide
        r_id, slide = self.prs.part.add_slide(layout)
        tree = slide.shapes._spTree
        for sp in self.clones[key]:
            tree.append(copy.deepcopy(sp))
        self.prs.slides._sldIdLst.add_sldId(r_id)
        return slide

    def start(self, slide: Any) -> bytes:
        """What a new slide of the slide's layout holds before it is drawn on."""
        key = str(slide.part.slide_layout.part.partname)
        if key not in self.starts:
            self.starts[key] = key.encode() + b"".join(etree.tostring(sp)
                                                      for sp in self.clones[key])
        return self.starts[key]

    def layout_placeholders(self, slide: Any) -> dict[str, Any]:
        """The `<p:ph>` of each type on the slide's layout, the first of each."""
        return self.by_type[str(slide.part.slide_layout.part.partname)]

    @staticmethod
    def placeholders(slide: Any) -> list[Any]:
        """The placeholders' `<p:sp>` on a new slide."""
        return [sp for sp in slide.shapes._spTree.iterchildren(_tag("p:sp"))
                if sp.find(_PH, _NS) is not None]


def _placeholder_of(slide: Any, elements: list[Any], types: tuple[str, ...]) -> Any:
    """The first placeholder of one of `types`, as python-pptx's shape object, or None."""
    for sp in elements:
        if sp.find(_PH, _NS).get("type", "obj") in types:
            return SlidePlaceholder(sp, slide.shapes)
    return None


def _fill_placeholder(slide: Any, title: Any, box: plan.TextBox, look: _Look) -> None:
    # Drawn where the plan lists it, above what comes before it (the title slide's band).
    element = title._element
    tree = element.getparent()
    tree.remove(element)
    tree.append(element)
    title.left, title.top = _emu(box.x), _emu(box.y)
    title.width, title.height = _emu(box.w), _emu(box.h)
    if box.fill:
        title.fill.solid()
        title.fill.fore_color.rgb = _rgb(box.fill)
    frame = title.text_frame
    frame.clear()
    _fill_frame(frame._txBody, box.paras, box.inset, box.anchor, slide.part, look)
    if box.placeholder == "body":
        # The master's body style indents its levels; the plan's paragraphs say their own.
        for p_pr in frame._txBody.iter(_tag("a:pPr")):
            p_pr.set("marL", p_pr.get("marL", "0"))
            p_pr.set("indent", p_pr.get("indent", "0"))
        return
    if look.template:
        # The template's title style says how titles align and whether they are bold (the
        # plan measured them bold, the wider case).
        for p_pr in frame._txBody.iter(_tag("a:pPr")):
            p_pr.attrib.pop("algn", None)
        for r_pr in frame._txBody.iter(_tag("a:rPr")):
            r_pr.attrib.pop("b", None)


class _PartNames:
    """New part names (charts, their workbooks) without python-pptx's walk of the whole package
    for each one, which makes a deck of n charts cost n²: the names in use are read once per
    name pattern, then numbers are handed out above the last one given."""

    def __init__(self, package: Any) -> None:
        self.package = package
        self.taken: dict[str, set[str]] = {}
        self.last: dict[str, int] = {}

    def __call__(self, template: str) -> Any:
        from pptx.opc.packuri import PackURI

        if template not in self.taken:
            prefix = template[: (template % 42).find("42")]
            self.taken[template] = {str(part.partname) for part in self.package.iter_parts()
                                    if str(part.partname).startswith(prefix)}
            self.last[template] = 0
        n = self.last[template] + 1
        while template % n in self.taken[template]:
            n += 1
        self.last[template] = n
        return PackURI(template % n)


def _fill_slide(slide: Any, slide_plan: plan.Slide, slides: _Slides, look: _Look,
                base: Path) -> str:
    """Draw the plan's items on a new slide; its title's text."""
    # Placeholders the plan does not use would show "Click to add text" in PowerPoint;
    # the layout's are listed now, before the slide holds many shapes to look through.
    placeholders = slides.placeholders(slide)
    filled = set()
    shapes = slide.shapes
    # New shapes take ids counted up from the layout's placeholders, as python-pptx's
    # default search of every id on the slide for each shape would give them.
    shapes.turbo_add_enabled = True
    part = slide.part
    title = _placeholder_of(slide, placeholders, _TITLE_TYPES)
    body = _placeholder_of(slide, placeholders, _BODY_TYPES)
    for item in slide_plan.items:
        if isinstance(item, plan.TextBox) and item.placeholder == "title" and title is not None:
            _fill_placeholder(slide, title, item, look)
            filled.add(title._element)
        elif isinstance(item, plan.TextBox) and item.placeholder == "body" and body is not None:
            _fill_placeholder(slide, body, item, look)
            filled.add(body._element)
        elif isinstance(item, plan.TextBox) and item.placeholder in _PLACEHOLDER_TYPES:
            _add_in_placeholder(slide, item, part, look, slides.layout_placeholders(slide))
        elif isinstance(item, plan.TextBox):
            _add_textbox(shapes, item, part, look)
        elif isinstance(item, plan.Shape):
            _add_shape(shapes, item, part, look)
        elif isinstance(item, plan.Table):
            _add_table(shapes, item, part, look)
        elif isinstance(item, plan.Chart):
            _add_chart(shapes, item, look)
        elif isinstance(item, plan.Picture):
            _add_picture(shapes, item, base)
        elif isinstance(item, plan.Group):
            _add_group(shapes, item, part, look)
    for placeholder in placeholders:
        if placeholder not in filled:
            placeholder.getparent().remove(placeholder)
    return title.text_frame.text if title is not None else ""


class _Drawn(Struct, frozen=True):
    """A slide as it was drawn: its XML, the web addresses it links to (in the order of
    their relationship ids) and its title's text."""

    xml: bytes
    links: tuple[str, ...]
    title: str


def _slide_key(slide_plan: plan.Slide, start: bytes, look: str) -> tuple[Any, ...] | None:
    """What a slide is drawn from: its items, what a new slide of its layout holds and how
    runs refer to the theme; None for a slide with charts or pictures, whose other parts are
    made with it, and which is always drawn."""
    if any(isinstance(item, (plan.Chart, plan.Picture)) for item in slide_plan.items):
        return None
    return slide_plan.items, start, look


def _draw_or_recall(slide: Any, key: tuple[Any, ...] | None, draw: Callable[[], str],
                    drawn: list[tuple[Any, ...]]) -> str:
    """Fill a new slide by `draw()`, or, when the last deck had a slide drawn from the same,
    from that slide's XML, which takes a tenth of the time; its title's text. A slide drawn
    is added to `drawn`, to be kept once the deck is written (_keep_drawn)."""
    if key is None:
        return draw()
    known = _DRAWN.get(key)
    if known is None:
        title = draw()
        links = tuple(rel.target_ref for rel in slide.part.rels.values()
                      if rel.reltype == RT.HYPERLINK)
        drawn.append((key, slide._element, links, title))
        return title
    element = slide._element
    for child in list(element):
        element.remove(child)
    element.extend(list(parse_xml(known.xml)))
    # Made in the same order, the links get the ids the XML refers to them by.
    for address in known.links:
        slide.part.relate_to(address, RT.HYPERLINK, is_external=True)
    _DRAWN.keep(key, known, len(known.xml))
    return known.title


def _keep_drawn(drawn: list[tuple[Any, ...]]) -> None:
    """Keep the XML of the slides the deck drew, for the next deck, as far as there is room.
    Written out while the slides were drawn, it lay among the deck's objects and kept their
    memory from being reused by the memo (10 MB more at the stress fixture's peak)."""
    for key, element, links, title in drawn:
        xml = etree.tostring(element)
        if not _DRAWN.keep(key, _Drawn(xml, links, title), len(xml)):
            break  # the rest of a long deck is drawn again
    _DRAWN.done()


# The slides kept for the next deck, by bytes of XML, with the plans they were drawn from.
# The sample keeps ~0.4 MB, the stress fixture 2 MB; a deck of 700 slides of linked bullets
# would keep 17 MB and its plans, held through the memo of a build that may not be repeated.
_DRAWN: Recall[_Drawn] = Recall(room=4_000_000)


def render_pptx(deck: plan.DeckPlan, base: Path) -> bytes:
    """The .pptx file of a deck plan, as bytes; `base` is the folder image paths start from."""
    prs, clones = _open(deck)
    package = prs.part.package
    package.next_partname = _PartNames(package)
    looks: dict[int | None, tuple[_Look, str]] = {}
    notes_slides = _NotesSlides()
    slides = _Slides(prs, clones)
    titles = []
    drawn: list[tuple[Any, ...]] = []
    _DRAWN.begin()
    for slide_plan in deck.slides:
        if slide_plan.master not in looks:
            made = _look(deck, slide_plan.master)
            looks[slide_plan.master] = made, repr(made)
        look, look_key = looks[slide_plan.master]
        slide = slides.add(_layout(prs, slide_plan))
        key = _slide_key(slide_plan, slides.start(slide), look_key)
        titles.append(_draw_or_recall(slide, key, functools.partial(
            _fill_slide, slide, slide_plan, slides, look, base), drawn))
        if slide_plan.notes:
            notes_slides.add(slide, slide_plan.notes)
    _set_metadata(prs, deck.metadata)
    if deck.template:
        _set_link_color(prs, deck.link_color)
    _set_app_properties(prs, deck, titles, notes_slides.made)
    buffer = io.BytesIO()
    package = prs.part.package
    _PackageWriter(buffer, package._rels, tuple(package.iter_parts())).write_dated(
        deck.metadata.date)
    _keep_drawn(drawn)
    return buffer.getvalue()


_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _set_app_properties(prs: Any, deck: plan.DeckPlan, titles: list[str], notes: int) -> None:
    """docProps/app.xml as PowerPoint writes it: how many slides and notes, the theme's name
    and every slide's title."""
    app = next(part for part in prs.part.package.iter_parts()
               if str(part.partname) == "/docProps/app.xml")
    theme = deck.theme.name if deck.theme else "Office Theme"
    root = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED, "vt": _VT})

    def add(name: str, text: str) -> Any:
        element = etree.SubElement(root, f"{{{_EXTENDED}}}{name}")
        element.text = text
        return element

    def vector(parent: Any, base: str, values: list[tuple[str, str]]) -> None:
        vec = etree.SubElement(parent, f"{{{_VT}}}vector", size=str(len(values)), baseType=base)
        for kind, value in values:
            holder = etree.SubElement(vec, f"{{{_VT}}}variant") if base == "variant" else vec
            etree.SubElement(holder, f"{{{_VT}}}{kind}").text = value

    add("TotalTime", "0")
    add("Application", "briefgen")
    add("PresentationFormat", "Custom")
    add("Slides", str(len(deck.slides)))
    add("Notes", str(notes))
    add("HiddenSlides", "0")
    vector(add("HeadingPairs", ""), "variant",
           [("lpstr", "Theme"), ("i4", "1"), ("lpstr", "Slide Titles"), ("i4", str(len(titles)))])
    vector(add("TitlesOfParts", ""), "lpstr",
           [("lpstr", theme), *(("lpstr", _escape_control(t)) for t in titles)])
    add("LinksUpToDate", "false")
    add("SharedDoc", "false")
    add("HyperlinksChanged", "false")
    add("AppVersion", "16.0000")
    app._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class _PackageWriter(PackageWriter):
    """python-pptx's package writer, with a fixed time on every member of the package and
    on its chart workbooks, so that two builds of a brief are byte-identical; the deck is
    zipped once."""

    def write_dated(self, date: str) -> None:
        with _DatedZip(self._pkg_file, date) as phys_writer:
            self._write_content_types_stream(phys_writer)
            self._write_pkg_rels(phys_writer)
            self._write_parts(phys_writer)


class _DatedZip(_PhysPkgWriter):
    """The zip a package is written to, every member at a fixed time."""

    def __init__(self, stream: Any, date: str) -> None:
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)
        self.date = date

    def __enter__(self) -> _DatedZip:
        return self

    def __exit__(self, *_: object) -> None:
        self.zip.close()

    def write(self, uri: PackURI, blob: bytes) -> None:
        name = uri.membername
        if name.endswith(".xlsx"):
            blob = _normalise_workbook(blob, self.date)
        entry = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        self.zip.writestr(entry, blob)


_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _normalise_workbook(data: bytes, date: str) -> bytes:
    stamp = (date if len(date) == 10 else date + "-01") + "T00:00:00Z"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _W3CDTF.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
