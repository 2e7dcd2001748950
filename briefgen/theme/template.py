"""Corporate PowerPoint templates: the slide size, every master's layouts classified by their
placeholders, the geometry and look a planner needs, and what is drawn behind the text."""

from __future__ import annotations

import functools
import io
import warnings
from pathlib import Path
from typing import Any

from msgspec import Struct

EMU_PER_PT = 12700
# A company template is a master, layouts and some artwork; past this it is mostly pictures
# or example slides, which every deck would carry.
MAX_TEMPLATE_BYTES = 50 * 2**20
# A picture behind text is judged by its average colour in a grid of so many cells a side;
# one of more pixels than this (a decompression bomb) is not decoded.
PICTURE_GRID = 24
PICTURE_PIXELS = 50_000_000

Box = tuple[float, float, float, float]  # x, y, w, h in pt

# What a layout is for, judged by its placeholders: a title slide (centred title, or a title
# and a subtitle), title and one content area, title and two side-by-side content areas, a
# section header, a title alone, or something else (captions, vertical text, blank).
LAYOUT_KINDS = ("title", "content", "two", "section", "title_only", "other")

_NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
       "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_BODY_TYPES = ("body", "obj", "tbl", "chart", "dgm", "media", "clipArt", "pic")
_SLOT_OF = {"dk1": "tx1", "lt1": "bg1", "dk2": "tx2", "lt2": "bg2"}


class Backdrop(Struct, frozen=True):
    """Something drawn behind a slide's text: a solid colour (hex) or a picture ("")."""

    box: Box
    color: str
    opacity: float = 1.0  # a translucent fill's share, until it is blended with what is below
    # A picture that could be read: its average colour in each cell of a grid stretched over
    # the box, row by row.
    cells: tuple[tuple[str, ...], ...] = ()

    def covers(self, width: float, height: float) -> bool:
        """Whether it is drawn over the whole slide: a background, not artwork."""
        x, y, w, h = self.box
        return x <= 1 and y <= 1 and x + w >= width - 1 and y + h >= height - 1

    def color_at(self, x: float, y: float) -> str:
        """The colour drawn at a point of the box: a read picture's cell there, else `color`."""
        if not self.cells:
            return self.color
        bx, by, bw, bh = self.box
        row = self.cells[min(len(self.cells) - 1, max(0, int((y - by) / bh * len(self.cells))))]
        return row[min(len(row) - 1, max(0, int((x - bx) / bw * len(row))))]


class Layout(Struct, frozen=True):
    name: str
    master: int  # which master it belongs to, and its place among that master's layouts
    index: int
    kind: str
    title: Box | None  # the title placeholder
    bodies: tuple[Box, ...]  # content placeholders, left to right
    subtitle: Box | None
    footer: Box | None
    date: Box | None
    number: Box | None
    backdrops: tuple[Backdrop, ...]  # master's, then the layout's, bottom to top

    @property
    def label(self) -> str:
        return f"'{self.name}'" + (f" (master {self.master + 1})" if self.master else "")


class MasterLook(Struct, frozen=True):
    """A master's look: its theme colours by the slide's names (tx1, bg1, accent1, …, through
    its colour map), its theme fonts, and its title and body text colours."""

    colors: tuple[tuple[str, str], ...]
    heading_font: str
    body_font: str
    east_asian_font: str
    title_color: str | None
    body_color: str | None
    # The fonts the master's title and body text styles name, where they name one rather than
    # the theme's heading or body font.
    title_font: str
    body_text_font: str
    own_number: bool  # a slide-number field in a shape of its own, shown on every slide
    heading_east_asian_font: str = ""

    def color(self, slot: str) -> str | None:
        return dict(self.colors).get(slot)


class TemplateInfo(Struct, frozen=True):
    """What the planner knows of a template: its path, slide size, layouts and masters."""

    path: str
    width: float
    height: float
    layouts: tuple[Layout, ...]
    masters: tuple[MasterLook, ...]
    example_masters: tuple[int, ...]  # the master of each of the template's own slides
    # Fonts the template embeds in a form that cannot be measured (compressed), by name.
    unreadable_fonts: tuple[str, ...] = ()

    def layout(self, name: str) -> Layout | None:
        return next((item for item in self.layouts if item.name == name), None)


def _emu_box(xfrm: Any) -> Box | None:
    if xfrm is None:
        return None
    off, ext = xfrm.find("a:off", _NS), xfrm.find("a:ext", _NS)
    if off is None or ext is None:
        return None
    return (int(off.get("x")) / EMU_PER_PT, int(off.get("y")) / EMU_PER_PT,
            int(ext.get("cx")) / EMU_PER_PT, int(ext.get("cy")) / EMU_PER_PT)


def _placeholders(tree: Any) -> list[tuple[str, str, Box | None, bool]]:
    """(type, idx, box, vertical) of each placeholder of a master's or layout's tree."""
    found = []
    for sp in tree.iterfind(".//p:sp", _NS):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", _NS)
        if ph is None:
            continue
        body_pr = sp.find("p:txBody/a:bodyPr", _NS)
        vertical = body_pr is not None and body_pr.get("vert", "horz") != "horz"
        found.append((ph.get("type", "obj"), ph.get("idx", "0"),
                      _emu_box(sp.find("p:spPr/a:xfrm", _NS)), vertical))
    return found


def _hex(fill: Any, colors: dict[str, str]) -> str | None:
    """The colour of a <a:solidFill> (or a colour element's parent), by value or by slot."""
    if fill is None:
        return None
    rgb = fill.find("a:srgbClr", _NS)
    if rgb is not None:
        return str(rgb.get("val")).upper()
    scheme = fill.find("a:schemeClr", _NS)
    if scheme is not None:
        return colors.get(str(scheme.get("val")))
    system = fill.find("a:sysClr", _NS)
    if system is not None:
        return str(system.get("lastClr", "000000")).upper()
    return None


def _background(tree: Any, colors: dict[str, str], box: Box, part: Any) -> list[Backdrop]:
    """A master's or layout's background and the filled shapes and pictures it draws."""
    found = []
    bg = tree.find("p:cSld/p:bg", _NS)
    if bg is not None:
        props = bg.find("p:bgPr", _NS)
        ref = bg.find("p:bgRef", _NS)
        if props is not None:
            if props.find("a:solidFill", _NS) is not None:
                color = _hex(props.find("a:solidFill", _NS), colors)
                if color:
                    found.append(Backdrop(box, color))
            elif props.find("a:gradFill", _NS) is not None:
                stop = props.find("a:gradFill/a:gsLst/a:gs", _NS)
                color = _hex(stop, colors) if stop is not None else None
                found.append(Backdrop(box, color or ""))
            else:  # a picture or pattern
                found.append(Backdrop(box, "", cells=_picture_cells(part, props.find(
                    "a:blipFill", _NS))))
        elif ref is not None:
            found.append(Backdrop(box, _hex(ref, colors) or ""))
    found.extend(_drawn(tree.find("p:cSld/p:spTree", _NS), colors, lambda b: b, part))
    return found


def _picture_cells(part: Any, fill: Any) -> tuple[tuple[str, ...], ...]:
    """A picture's average colours in a PICTURE_GRID of cells, as it is stretched over its box;
    () where it cannot be judged: a tiled, translucent or vector picture, or one that does
    not decode."""
    blip = fill.find("a:blip", _NS) if fill is not None else None
    rel = blip.get(f"{{{_NS['r']}}}embed") if blip is not None else None
    if not rel or rel not in part.rels or fill.find("a:tile", _NS) is not None:
        return ()
    crop = fill.find("a:srcRect", _NS)
    edges = tuple(max(0, int(crop.get(k, "0"))) / 100000 for k in "ltrb") if crop is not None \
        else (0.0, 0.0, 0.0, 0.0)
    return _cells(part.related_part(rel).blob, edges)


@functools.lru_cache(maxsize=4)
def _cells(blob: bytes, edges: tuple[float, ...]) -> tuple[tuple[str, ...], ...]:
    # Kept for a few pictures: a template's layouts often share one background picture.
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a decompression-bomb warning: refused below
            with Image.open(io.BytesIO(blob)) as image:
                if image.width * image.height > PICTURE_PIXELS:
                    return ()
                image.draft("RGB", (PICTURE_GRID * 8, PICTURE_GRID * 8))  # JPEG: decode small
                rgba = image.convert("RGBA")
    except Exception:  # Pillow raises many types for what it cannot read
        return ()
    lowest = rgba.getchannel("A").getextrema()[0]  # one band: (least, most)
    if isinstance(lowest, int | float) and lowest < 250:
        return ()  # what shows through is not known here
    left, top, right, bottom = edges
    width, height = rgba.size
    box = (round(left * width), round(top * height), round(width * (1 - right)),
           round(height * (1 - bottom)))
    if box != (0, 0, width, height) and box[2] - box[0] >= 1 and box[3] - box[1] >= 1:
        rgba = rgba.crop(box)
    small = rgba.convert("RGB").resize((PICTURE_GRID, PICTURE_GRID), Image.Resampling.BOX)
    data = small.tobytes()
    pixels = [data[n:n + 3].hex().upper() for n in range(0, len(data), 3)]
    return tuple(tuple(pixels[n:n + PICTURE_GRID]) for n in range(0, len(pixels), PICTURE_GRID))


def _drawn(group: Any, colors: dict[str, str], place: Any, part: Any) -> list[Backdrop]:
    """The filled shapes and pictures of a shape tree or group, in slide coordinates
    (`place` maps a box from the group's coordinates)."""
    found: list[Backdrop] = []
    for shape in group:
        tag = shape.tag.rsplit("}", 1)[-1]
        if tag == "grpSp":
            xfrm = shape.find("p:grpSpPr/a:xfrm", _NS)
            outer = _emu_box(xfrm)
            ch_off = xfrm.find("a:chOff", _NS) if xfrm is not None else None
            ch_ext = xfrm.find("a:chExt", _NS) if xfrm is not None else None
            if outer is None or ch_off is None or ch_ext is None:
                continue
            cx, cy = int(ch_off.get("x")) / EMU_PER_PT, int(ch_off.get("y")) / EMU_PER_PT
            cw = int(ch_ext.get("cx")) / EMU_PER_PT or 1.0
            ch = int(ch_ext.get("cy")) / EMU_PER_PT or 1.0

            def inner(box: Box, outer: Box = outer, cx: float = cx, cy: float = cy,
                      cw: float = cw, ch: float = ch) -> Box:
                sx, sy = outer[2] / cw, outer[3] / ch
                return place((outer[0] + (box[0] - cx) * sx, outer[1] + (box[1] - cy) * sy,
                              box[2] * sx, box[3] * sy))

            found.extend(_drawn(shape, colors, inner, part))
            continue
        if tag not in ("sp", "pic") or shape.find("./*/p:nvPr/p:ph", _NS) is not None:
            continue
        where = _emu_box(shape.find("p:spPr/a:xfrm", _NS))
        if where is None or where[2] <= 0 or where[3] <= 0:
            continue
        where = place(where)
        # A picture, pattern or gradient: no one colour to check text against, but a
        # picture's colours where it can be read.
        if tag == "pic" or any(shape.find(f"p:spPr/a:{fill}", _NS) is not None
                               for fill in ("blipFill", "pattFill", "gradFill")):
            blip_fill = shape.find("p:blipFill" if tag == "pic" else "p:spPr/a:blipFill", _NS)
            found.append(Backdrop(where, "", cells=_picture_cells(part, blip_fill)))
            continue
        fill = shape.find("p:spPr/a:solidFill", _NS)
        color = _hex(fill, colors) if fill is not None else None
        if color:
            alpha = fill.find("*/a:alpha", _NS)
            found.append(Backdrop(where, color, int(alpha.get("val")) / 100000
                                  if alpha is not None else 1.0))
    return found


def _over(color: str, below: str, share: float) -> str:
    top = [int(color[i:i + 2], 16) for i in (0, 2, 4)]
    under = [int(below[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(a * share + b * (1 - share)):02X}" for a, b in zip(top, under,
                                                                              strict=True))


def _blended(backdrops: list[Backdrop]) -> tuple[Backdrop, ...]:
    """Translucent fills as the colour they make over what is drawn below their middle (over
    a picture, a picture); bottom to top."""
    done: list[Backdrop] = []
    for backdrop in backdrops:
        if backdrop.opacity < 1 and backdrop.color:
            x, y, w, h = backdrop.box
            below = next((b.color_at(x + w / 2, y + h / 2) for b in reversed(done)
                          if b.box[0] <= x + w / 2 <= b.box[0] + b.box[2]
                          and b.box[1] <= y + h / 2 <= b.box[1] + b.box[3]), "FFFFFF")
            backdrop = Backdrop(backdrop.box,
                                _over(backdrop.color, below, backdrop.opacity) if below else "")
        done.append(backdrop)
    return tuple(done)


def _look(master: Any, theme: Any) -> MasterLook:
    scheme = theme.find("a:themeElements/a:clrScheme", _NS)
    by_slot: dict[str, str] = {}
    for element in scheme if scheme is not None else ():
        name = element.tag.rsplit("}", 1)[-1]
        value = _hex(element, {})
        if value:
            by_slot[name] = value
    mapping = master.find("p:clrMap", _NS)
    colors = {slot: by_slot[slot] for slot in by_slot}  # accent1…, hlink keep their names
    for name in ("bg1", "tx1", "bg2", "tx2"):
        target = mapping.get(name) if mapping is not None else None
        target = target or {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}[name]
        if target in by_slot:
            colors[name] = by_slot[target]
    fonts = theme.find("a:themeElements/a:fontScheme", _NS)

    def typeface(path: str) -> str:
        found = fonts.find(path, _NS) if fonts is not None else None
        return str(found.get("typeface", "")) if found is not None else ""

    def style_color(style: str) -> str | None:
        fill = master.find(f"p:txStyles/p:{style}/a:lvl1pPr/a:defRPr/a:solidFill", _NS)
        return _hex(fill, colors)

    def placeholder_color(kind: str) -> str | None:
        # LibreOffice writes the master's text colours on its placeholders, not in txStyles.
        for sp in master.iterfind("p:cSld/p:spTree/p:sp", _NS):
            ph = sp.find("p:nvSpPr/p:nvPr/p:ph", _NS)
            if ph is not None and ph.get("type", "obj") == kind:
                fill = sp.find(".//a:p//a:solidFill", _NS)
                return _hex(fill, colors)
        return None

    def style_font(style: str, kind: str) -> str:
        found = [master.find(f"p:txStyles/p:{style}/a:lvl1pPr/a:defRPr/a:latin", _NS)]
        for sp in master.iterfind("p:cSld/p:spTree/p:sp", _NS):
            ph = sp.find("p:nvSpPr/p:nvPr/p:ph", _NS)
            if ph is not None and ph.get("type", "obj") == kind:
                found.insert(0, sp.find(".//a:p//a:latin", _NS))
        for latin in found:
            face = latin.get("typeface", "") if latin is not None else ""
            if face and not face.startswith("+"):
                return str(face)
        return ""

    own_number = any(
        shape.find("./*/p:nvPr/p:ph", _NS) is None
        and shape.find(".//a:fld[@type='slidenum']", _NS) is not None
        for shape in master.find("p:cSld/p:spTree", _NS))
    return MasterLook(
        tuple(sorted(colors.items())), typeface("a:majorFont/a:latin"),
        typeface("a:minorFont/a:latin"), typeface("a:minorFont/a:ea"),
        placeholder_color("title") or style_color("titleStyle"),
        placeholder_color("body") or style_color("bodyStyle"),
        style_font("titleStyle", "title"), style_font("bodyStyle", "body"), own_number,
        typeface("a:majorFont/a:ea"))


def _kind(layout_type: str, title: Box | None, centred: bool, subtitle: Box | None,
          bodies: list[Box], vertical: bool, width: float) -> str:
    if layout_type == "title" or centred or (title and subtitle and not bodies):
        return "title" if title else "other"
    if not title or vertical or layout_type in ("vertTx", "vertTitleAndTx", "objTx", "picTx",
                                                "txAndObj", "objAndTx"):
        return "other"
    if layout_type == "secHead":
        return "section"
    below = [b for b in bodies if b[1] >= title[1] + title[3] * 0.5]
    if not bodies:
        return "title_only"
    if len(bodies) == 1 and below and below[0][2] >= width * 0.5:
        return "content"
    if (len(bodies) == 2 and len(below) == 2 and abs(bodies[0][1] - bodies[1][1]) < 2
            and abs(bodies[0][3] - bodies[1][3]) < 2):
        return "two"
    return "other"


def _boxes(own: list[tuple[str, str, Box | None, bool]],
           inherited: list[tuple[str, str, Box | None, bool]]
           ) -> list[tuple[str, Box, bool]]:
    """A layout's placeholders, each with its own box or the one of its master's placeholder
    of the same type."""
    from_master: dict[str, Box] = {}
    for kind, _idx, box, _vertical in inherited:
        group = "title" if kind in ("title", "ctrTitle") else (
            "body" if kind in (*_BODY_TYPES, "subTitle") else kind)
        if box:
            from_master.setdefault(group, box)
    result = []
    for kind, _idx, box, vertical in own:
        group = "title" if kind in ("title", "ctrTitle") else (
            "body" if kind in (*_BODY_TYPES, "subTitle") else kind)
        found = box or from_master.get(group)
        if found:
            result.append((kind, found, vertical))
    return result


def _generic_layouts(masters: list[tuple[Any, list[Any]]]) -> bool:
    """True when every master carries the same layouts with the same boxes while the masters'
    own title and body placeholders differ: the layouts are copies (LibreOffice's export
    writes them so), and each master's own placeholders say where its artwork leaves room."""
    if len(masters) < 2:
        return False
    def shape(tree: Any) -> str:
        return str([(k, b) for k, _, b, _ in _placeholders(tree)
                    if k in ("title", "ctrTitle", "subTitle", *_BODY_TYPES)])

    layouts = [tuple((lay.get("type"), shape(lay)) for lay in layout_list)
               for _, layout_list in masters]
    own = [shape(master) for master, _ in masters]
    return len(set(layouts)) == 1 and len(set(own)) > 1


def read_template(path: Path) -> TemplateInfo:
    """Read a .pptx or .potx template's size, masters and layouts; raises ValueError if it
    is not a deck."""
    from briefgen.theme.package import open_template

    try:
        prs = open_template(path)
    except Exception as exc:  # python-pptx raises several types for a non-deck file
        raise ValueError(f"cannot open the template as a PowerPoint file ({exc})") from None
    width, height = int(prs.slide_width or 0) / EMU_PER_PT, int(prs.slide_height or 0) / EMU_PER_PT
    slide_box = (0.0, 0.0, width, height)
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    trees = [(master._element, [layout._element for layout in master.slide_layouts])
             for master in prs.slide_masters]
    generic = _generic_layouts(trees)
    layouts: list[Layout] = []
    looks: list[MasterLook] = []
    for m, master in enumerate(prs.slide_masters):
        theme = master.part.part_related_by(RT.THEME)
        from lxml import etree

        look = _look(master._element, etree.fromstring(theme.blob))
        looks.append(look)
        colors = dict(look.colors)
        master_places = _placeholders(master._element)
        master_back = _background(master._element, colors, slide_box, master.part)
        for n, layout in enumerate(master.slide_layouts):
            element = layout._element
            layout_type = element.get("type", "")
            places = _boxes(_placeholders(element), master_places)
            if generic:
                # The layout's boxes are copies: the master's own title and body say where
                # this master's artwork leaves room.
                places = _generic_boxes(places, _boxes(master_places, []))
            shows_master = element.find("p:cSld", _NS) is not None and \
                element.get("showMasterSp", "1") not in ("0", "false")
            back = _blended([*(master_back if shows_master else master_back[:1]),
                             *_background(element, colors, slide_box, layout.part)])
            title = next((b for k, b, _ in places if k in ("title", "ctrTitle")), None)
            subtitle = next((b for k, b, _ in places if k == "subTitle"), None)
            bodies = sorted((b for k, b, _ in places if k in _BODY_TYPES), key=lambda b: b[0])
            vertical = any(v for k, _, v in places if k in (*_BODY_TYPES, "title"))
            centred = any(k == "ctrTitle" for k, _, _ in places)

            def first(kind: str, places: list[tuple[str, Box, bool]] = places) -> Box | None:
                return next((b for k, b, _ in places if k == kind), None)

            layouts.append(Layout(
                layout.name, m, n,
                _kind(layout_type, title, centred, subtitle, bodies, vertical, width),
                title, tuple(bodies), subtitle, first("ftr"), first("dt"), first("sldNum"),
                back))
    masters = list(prs.slide_masters)
    example = tuple(masters.index(slide.slide_layout.slide_master) for slide in prs.slides)
    return TemplateInfo(str(path.resolve()), width, height, tuple(layouts), tuple(looks),
                        example, _embedded_fonts(prs.part))


_EMBEDDED_FACES = {"regular": "regular", "bold": "bold", "italic": "italic",
                   "boldItalic": "bold italic"}


def _embedded_fonts(part: Any) -> tuple[str, ...]:
    """Measure the fonts the presentation embeds (<p:embeddedFontLst>) with their own data;
    the names of those whose regular face cannot be read."""
    from briefgen.theme.fonts import embed, embedded_truetype

    unreadable = []
    for font in part._element.iterfind("p:embeddedFontLst/p:embeddedFont", _NS):
        family = font.find("p:font", _NS)
        name = family.get("typeface", "") if family is not None else ""
        faces = {}
        for tag, face in _EMBEDDED_FACES.items():
            ref = font.find(f"p:{tag}", _NS)
            rel = ref.get(f"{{{_NS['r']}}}id") if ref is not None else None
            if rel and rel in part.rels:
                data = embedded_truetype(part.related_part(rel).blob)
                if data:
                    faces[face] = data
        if not name:
            continue
        if "regular" in faces:
            embed(name, faces)
        else:
            unreadable.append(name)
    return tuple(unreadable)


def _generic_boxes(places: list[tuple[str, Box, bool]], master: list[tuple[str, Box, bool]]
                   ) -> list[tuple[str, Box, bool]]:
    """A copied layout's placeholders moved to the master's own: title to its title, one
    content area or subtitle to its body, two side by side to the body's halves."""
    own = {("title" if k in ("title", "ctrTitle") else k): b for k, b, _ in master}
    body = own.get("body")
    contents = [p for p in places if p[0] in (*_BODY_TYPES, "subTitle")]
    moved: list[tuple[str, Box, bool]] = []
    for kind, box, vertical in places:
        if kind in ("title", "ctrTitle") and "title" in own:
            box = own["title"]
        elif kind in (*_BODY_TYPES, "subTitle") and body:
            if len(contents) == 2 and contents[0][1][1] == contents[1][1][1]:
                gap = body[2] * 0.04
                half = (body[2] - gap) / 2
                left = contents.index((kind, box, vertical)) == 0 \
                    if (kind, box, vertical) in contents else True
                box = (body[0] if left else body[0] + half + gap, body[1], half, body[3])
            elif len(contents) == 1:
                box = body
        elif kind in own:
            box = own[kind]
        moved.append((kind, box, vertical))
    return moved
