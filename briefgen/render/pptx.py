"""DeckPlan → .pptx: native text boxes, shapes, tables and charts, exactly where the plan says."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from briefgen.layout import plan

_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
_SHAPES = {"rect": MSO_SHAPE.RECTANGLE, "roundrect": MSO_SHAPE.ROUNDED_RECTANGLE,
           "ellipse": MSO_SHAPE.OVAL}
_CHARTS = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
           "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE}
_NUMBERED = re.compile(r"^(\d+)\.$")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _emu(points: float) -> Emu:
    return Emu(round(points * 12700))


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color)


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    element = etree.SubElement(parent, qn(tag))
    for key, value in attrs.items():
        element.set(key, value)
    return element


def _solid(parent: Any, color: str) -> None:
    _sub(_sub(parent, "a:solidFill"), "a:srgbClr", val=color)


def _write_run(paragraph: Any, text: str, span: Any, style: plan.Style) -> None:
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.size = Pt(style.size)
    font.bold = style.bold or span.bold
    font.italic = style.italic or span.italic
    font.color.rgb = _rgb(style.color)
    font.name = style.code_font if span.code else style.font
    latin = run._r.get_or_add_rPr().find(qn("a:latin"))
    # East Asian and complex-script text need their own typefaces, right after <a:latin>.
    cs = etree.Element(qn("a:cs"), typeface=font.name)
    ea = etree.Element(qn("a:ea"), typeface=style.east_asian or font.name)
    latin.addnext(cs)
    latin.addnext(ea)
    if span.href:
        run.hyperlink.address = span.href


def _write_para(paragraph: Any, para: plan.Para) -> None:
    style = para.style
    paragraph.alignment = _ALIGN[para.align]
    paragraph.line_spacing = Pt(style.size * style.line_spacing)
    paragraph.space_before = Pt(para.space_before)
    paragraph.space_after = Pt(0)
    p_pr = paragraph._p.get_or_add_pPr()
    if para.indent:
        p_pr.set("marL", str(int(_emu(para.indent))))
        p_pr.set("indent", str(-int(_emu(para.hang))) if para.bullet else "0")
    if para.bullet:
        _sub(_sub(p_pr, "a:buClr"), "a:srgbClr", val=style.color)
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
    for span in para.spans:
        for n, piece in enumerate(span.text.split("\n")):
            if n:
                paragraph.add_line_break()
            if piece:
                _write_run(paragraph, piece, span, style)
    end = paragraph._p.get_or_add_endParaRPr()
    end.set("sz", str(round(style.size * 100)))


def _fill_frame(frame: Any, paras: tuple[plan.Para, ...], inset: float, anchor: str) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for side in ("left", "right", "top", "bottom"):
        setattr(frame, f"margin_{side}", _emu(inset))
    frame.vertical_anchor = _ANCHOR[anchor]
    for n, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        _write_para(paragraph, para)


def _no_line(shape: Any) -> None:
    shape.line.fill.background()


def _add_textbox(shapes: Any, box: plan.TextBox) -> Any:
    shape = shapes.add_textbox(_emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    shape.name = box.name
    if box.fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(box.fill)
    _fill_frame(shape.text_frame, box.paras, box.inset, box.anchor)
    return shape


def _add_shape(shapes: Any, item: plan.Shape) -> None:
    shape = shapes.add_shape(_SHAPES[item.kind], _emu(item.x), _emu(item.y), _emu(item.w),
                             _emu(item.h))
    shape.name = item.name
    # The default shape style adds a theme shadow and outline; the plan says exactly what to draw.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    if item.fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(item.fill)
    else:
        shape.fill.background()
    if item.line:
        shape.line.color.rgb = _rgb(item.line)
        shape.line.width = Pt(0.75)
    else:
        _no_line(shape)
    if item.text:
        _fill_frame(shape.text_frame, item.text.paras, item.text.inset, item.text.anchor)
    else:
        shape.text_frame.text = ""


def _cell_borders(cell: Any, fill: str | None, border: str, padding: float) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for child in list(tc_pr):
        tc_pr.remove(child)
    for key, value in (("marL", padding), ("marR", padding), ("marT", 4.0), ("marB", 4.0)):
        tc_pr.set(key, str(int(_emu(value))))
    tc_pr.set("anchor", "t")
    for side in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        line = _sub(tc_pr, side, w=str(int(_emu(0.75))))
        if side == "a:lnB":
            _solid(line, border)
        else:
            _sub(line, "a:noFill")
    if fill:
        _solid(tc_pr, fill)
    else:
        _sub(tc_pr, "a:noFill")


def _add_table(shapes: Any, item: plan.Table) -> None:
    rows, cols = len(item.rows), len(item.col_widths)
    frame = shapes.add_table(rows, cols, _emu(item.x), _emu(item.y), _emu(item.w), _emu(item.h))
    frame.name = item.name
    table = frame.table
    table.first_row = item.header_rows > 0
    table.horz_banding = False
    for c, width in enumerate(item.col_widths):
        table.columns[c].width = _emu(width)
    for r, height in enumerate(item.row_heights):
        table.rows[r].height = _emu(height)
        for c, cell_plan in enumerate(item.rows[r]):
            cell = table.cell(r, c)
            frame_ = cell.text_frame
            frame_.word_wrap = True
            for n, para in enumerate(cell_plan.paras):
                paragraph = frame_.paragraphs[0] if n == 0 else frame_.add_paragraph()
                _write_para(paragraph, para)
            _cell_borders(cell, cell_plan.fill, item.border, item.padding)


def _set_alt(shape: Any, alt: str) -> None:
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    c_nv_pr.set("descr", alt)


def _add_chart(shapes: Any, item: plan.Chart) -> None:
    # python-pptx writes the data's number format into XML unescaped; formats are set below
    # through lxml instead, which escapes a unit such as "<%>".
    data = CategoryChartData()
    data.categories = list(item.categories)
    for series in item.series:
        data.add_series(series.name, series.values)
    frame = shapes.add_chart(_CHARTS[item.kind], _emu(item.x), _emu(item.y), _emu(item.w),
                             _emu(item.h), data)
    frame.name = item.name
    _set_alt(frame, item.alt)
    chart = frame.chart
    # python-pptx numbers axes with negative ids; the schema wants unsigned ones.
    for tag in ("c:axId", "c:crossAx"):
        for axis_id in chart._chartSpace.iter(qn(tag)):
            axis_id.set("val", str(int(axis_id.get("val")) & 0x7FFFFFFF))
    chart.font.size = Pt(item.font_size)
    chart.font.name = item.font
    chart.font.color.rgb = _rgb(item.text_color)
    chart.has_title = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = item.number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(item.font_size)
    if item.kind == "pie":
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.show_category_name = False
        points = plot.series[0].points
        for n in range(len(item.categories)):
            points[n].format.fill.solid()
            points[n].format.fill.fore_color.rgb = _rgb(item.colors[n % len(item.colors)])
    else:
        plot.vary_by_categories = False
        if item.kind in ("bar", "column"):
            plot.gap_width = 60
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        else:
            labels.position = XL_LABEL_POSITION.ABOVE
        for n, series in enumerate(plot.series):
            color = _rgb(item.colors[n % len(item.colors)])
            if item.kind == "line":
                series.format.line.color.rgb = color
                series.format.line.width = Pt(2.25)
                series.smooth = False
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = color
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = color
        value_axis = chart.value_axis
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = _rgb(item.grid_color)
        value_axis.format.line.fill.background()
        value_axis.tick_labels.number_format = item.number_format
        value_axis.tick_labels.number_format_is_linked = False
        chart.category_axis.format.line.color.rgb = _rgb(item.grid_color)
        # With negative values the axis crosses mid-plot; keep its labels at the edge.
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        if item.kind == "bar":
            # Bars read top-down in the order the brief lists its categories.
            chart.category_axis.reverse_order = True
    chart.has_legend = item.kind == "pie" or len(item.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(item.font_size)


def _add_picture(shapes: Any, item: plan.Picture, base: Path) -> None:
    picture = shapes.add_picture(str(base / item.path), _emu(item.x), _emu(item.y),
                                 _emu(item.w), _emu(item.h))
    picture.name = item.name
    _set_alt(picture, item.alt)


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


def _set_link_color(prs: Any, color: str) -> None:
    """PowerPoint draws hyperlinks in the theme's hlink colour, whatever the run's colour."""
    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(theme_part.blob)
    for tag in ("a:hlink", "a:folHlink"):
        for slot in theme.iter(qn(tag)):
            for child in list(slot):
                slot.remove(child)
            _sub(slot, "a:srgbClr", val=color)
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)


def _open(deck: plan.DeckPlan) -> Any:
    """A new presentation, or the template with its own slides removed."""
    if not deck.template:
        prs = Presentation()
        prs.slide_width = _emu(deck.width)
        prs.slide_height = _emu(deck.height)
        return prs
    prs = Presentation(deck.template)
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return prs


def _fill_placeholder(slide: Any, box: plan.TextBox) -> None:
    title = slide.shapes.title
    title.left, title.top = _emu(box.x), _emu(box.y)
    title.width, title.height = _emu(box.w), _emu(box.h)
    title.text_frame.clear()
    _fill_frame(title.text_frame, box.paras, box.inset, box.anchor)


def render_pptx(deck: plan.DeckPlan, base: Path) -> bytes:
    """The .pptx file of a deck plan, as bytes; `base` is the folder image paths start from."""
    prs = _open(deck)
    blank = prs.slide_layouts[6] if not deck.template else None
    for slide_plan in deck.slides:
        layout = (prs.slide_layouts.get_by_name(slide_plan.layout) if slide_plan.layout
                  else blank)
        slide = prs.slides.add_slide(layout)
        if slide_plan.background:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = _rgb(slide_plan.background)
        filled = set()
        shapes = slide.shapes
        for item in slide_plan.items:
            if isinstance(item, plan.TextBox) and item.placeholder and shapes.title is not None:
                _fill_placeholder(slide, item)
                filled.add(shapes.title.shape_id)
            elif isinstance(item, plan.TextBox):
                _add_textbox(shapes, item)
            elif isinstance(item, plan.Shape):
                _add_shape(shapes, item)
            elif isinstance(item, plan.Table):
                _add_table(shapes, item)
            elif isinstance(item, plan.Chart):
                _add_chart(shapes, item)
            elif isinstance(item, plan.Picture):
                _add_picture(shapes, item, base)
        # Placeholders the plan did not use would show "Click to add text" in PowerPoint.
        for placeholder in list(slide.placeholders):
            if placeholder.shape_id not in filled:
                placeholder._element.getparent().remove(placeholder._element)
        if slide_plan.notes:
            slide.notes_slide.notes_text_frame.text = slide_plan.notes
    _set_metadata(prs, deck.metadata)
    _set_link_color(prs, deck.link_color)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _normalise_zip(buffer.getvalue(), deck.metadata.date)


def _normalise_zip(data: bytes, date: str) -> bytes:
    """Fixed timestamps inside the package and its chart workbooks, for byte-identical builds."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                content = _normalise_workbook(content, date)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


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
