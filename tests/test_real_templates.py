"""Decks on templates nobody here wrote: python-pptx's default, pandoc's reference document and
LibreOffice's Impress templates converted to .pptx (all made in the test run, none committed),
plus one with French layout names and one with nothing but a title layout. Each deck is read
back from the file: shapes on the slide, body inside the layout's content area, text readable
on what is behind it, the template's fonts, its footer and number placeholders filled."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from briefgen.brief.loader import load_brief
from briefgen.build import build
from briefgen.layout import plan
from briefgen.layout.deck import plan_deck
from briefgen.layout.deck.context import make_context
from briefgen.theme.loader import load_theme
from briefgen.theme.model import contrast
from briefgen.theme.template import read_template
from tests.conftest import FIXTURES, SAMPLE
from tests.deckcheck import problems

IMPRESS = Path("/usr/lib/libreoffice/share/template/common/presnt")
# Dark and light, one master and many, solid and picture backgrounds, artwork around the
# content area.
IMPRESS_TEMPLATES = ("Midnightblue", "Focus", "Freshes", "Portfolio", "Vintage", "Piano",
                     "Sunset", "Beehive")
BRIEFS = {"sample": SAMPLE, "stress": FIXTURES / "stress.yaml"}
FRENCH = {"Title Slide": "Diapositive de titre", "Title and Content": "Titre et contenu",
          "Section Header": "En-tête de section", "Two Content": "Deux contenus",
          "Comparison": "Comparaison", "Title Only": "Titre seul", "Blank": "Vide"}
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


def python_pptx_default(folder: Path) -> Path:
    path = folder / "python-pptx.pptx"
    Presentation().save(str(path))
    return path


def french(folder: Path) -> Path:
    """python-pptx's default with its layouts named in French and "Titre seul" first, so
    that a choice by name or by order would put content on the wrong layout."""
    prs = Presentation()
    for layout in prs.slide_layouts:
        layout.name = FRENCH.get(layout.name, layout.name)
    layouts = prs.slide_master._element.find("p:sldLayoutIdLst", NS)
    title_only = layouts[5]
    layouts.remove(title_only)
    layouts.insert(0, title_only)
    path = folder / "francais.pptx"
    prs.save(str(path))
    return path


def title_only(folder: Path) -> Path:
    """A template with nothing but its title slide layout."""
    prs = Presentation()
    for layout in list(prs.slide_layouts)[1:]:
        prs.slide_layouts.remove(layout)
    path = folder / "title-only.pptx"
    prs.save(str(path))
    return path


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every template of the run, by name, each with a theme beside it that names it."""
    folder = tmp_path_factory.mktemp("templates")
    made = {"python-pptx": python_pptx_default(folder), "french": french(folder),
            "title-only": title_only(folder)}
    if shutil.which("pandoc"):
        subprocess.run(["pandoc", "-o", str(folder / "pandoc.pptx"),
                        "--print-default-data-file", "reference.pptx"], check=True, timeout=60)
        made["pandoc"] = folder / "pandoc.pptx"
    sources = [IMPRESS / f"{name}.otp" for name in IMPRESS_TEMPLATES]
    if shutil.which("soffice") and all(s.is_file() for s in sources):
        profile = tmp_path_factory.mktemp("lo-profile")
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pptx", "--outdir", str(folder), *map(str, sources)],
                       capture_output=True, timeout=600, check=False)
        for name in IMPRESS_TEMPLATES:
            if (folder / f"{name}.pptx").is_file():
                made[name] = folder / f"{name}.pptx"
    for name, path in made.items():
        path.with_suffix(".yaml").write_text(
            f"name: {name}\nextends: corporate\ndeck:\n  template: {path.name}\n")
    return made


def impress(name: str) -> Any:
    return pytest.param(name, marks=pytest.mark.slow)


OWN = ["python-pptx", "french", "title-only"]
ALL = [*OWN, impress("pandoc"), *map(impress, IMPRESS_TEMPLATES)]


def theme_of(templates: dict[str, Path], name: str) -> Path:
    if name not in templates:
        pytest.skip(f"{name}: its tool is not installed here")
    return templates[name].with_suffix(".yaml")


@pytest.fixture(scope="session")
def decks() -> dict[tuple[str, str], Path]:
    """Built decks, made when first asked for (deck_of)."""
    return {}


def deck_of(decks: dict[tuple[str, str], Path], templates: dict[str, Path], name: str,
            brief: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if (name, brief) not in decks:
        out = tmp_path_factory.mktemp(f"{name}-{brief}")
        result = build(BRIEFS[brief], theme=str(theme_of(templates, name)), out=out)
        decks[(name, brief)] = result.outputs["pptx"]
    return decks[(name, brief)]


def box_of(shape: Any) -> tuple[float, float, float, float]:
    return tuple(Emu(v or 0).pt for v in (shape.left, shape.top, shape.width, shape.height))


# ---- the plan --------------------------------------------------------------------------------


@pytest.mark.parametrize("brief", BRIEFS)
@pytest.mark.parametrize("name", ALL)
def test_every_box_is_on_the_slide_fits_its_text_and_the_body_keeps_to_the_content_area(
        templates: dict[str, Path], name: str, brief: str) -> None:
    theme = load_theme(str(theme_of(templates, name)))
    loaded = load_brief(BRIEFS[brief])
    deck, _ = plan_deck(loaded, theme, None)
    assert problems(deck) == []
    ctx, _ = make_context(loaded, theme, None)
    outside = []
    for number, slide in enumerate(deck.slides, 1):
        if slide.kind == "title":
            # The subtitle and details stay clear of the footers the slide fills.
            footers = [i.y for i in slide.items if i.name in ("Footer", "Date", "Slide number")]
            for item in slide.items:
                if item.name == "Details" and footers:
                    assert item.y + item.h <= min(footers) + 0.5, "details over the footers"
            continue
        x, y, w, h = ctx.content_area(slide.kind)
        if ctx.title_placeholder(slide.kind) is None:
            # A fallback layout: the body starts below a title drawn at the top.
            y, h = 0.0, y + h
        for item in slide.items:
            if item.name in ("Title", "Kicker", "Footer", "Date", "Slide number", "Logo",
                             "Rule", "Band"):
                continue
            if (item.x < x - 0.5 or item.y < y - 0.5 or item.x + item.w > x + w + 0.5
                    or item.y + item.h > y + h + 0.5):
                outside.append(f"slide {number} {item.name}")
    assert outside == []


def test_layouts_are_found_by_their_placeholders_whatever_their_names(
        templates: dict[str, Path]) -> None:
    theme = load_theme(str(theme_of(templates, "french")))
    ctx, said = make_context(load_brief(SAMPLE), theme, None)
    assert ctx.layout_for("title") == "Diapositive de titre"
    assert {ctx.layout_for(kind) for kind in ("summary", "section", "sources")} == {
        "Titre et contenu"}
    assert ctx.layout_for("two") == "Deux contenus"
    left, right = ctx.two_content_areas()
    assert left[0] + left[2] < right[0] and left[1] == right[1]
    assert not said


def test_a_template_with_only_a_title_layout_says_so_once_and_still_fits(
        templates: dict[str, Path]) -> None:
    theme = load_theme(str(theme_of(templates, "title-only")))
    deck, said = plan_deck(load_brief(SAMPLE), theme, None)
    assert problems(deck) == []
    fallbacks = [m.text for m in said if "template has no layout" in m.text]
    assert len(fallbacks) == 1  # one line naming every kind of slide it concerns
    assert fallbacks[0].endswith(" slides; using 'Title Slide'")
    assert all(kind in fallbacks[0] for kind in {s.kind for s in deck.slides} - {"title"})
    assert len(deck.slides) < 40


def low_title_theme(folder: Path) -> Any:
    """A theme on python-pptx's default template with title placeholders one line high (as
    LibreOffice's Piano draws them)."""
    prs = Presentation()
    for part in (prs.slide_master, *prs.slide_layouts):
        for shape in part.placeholders:
            if shape.placeholder_format.type in (1, 3):  # title, centred title
                shape.height = Emu(40 * 12700)
    prs.save(str(folder / "low.pptx"))
    (folder / "low.yaml").write_text("name: low\nextends: corporate\ndeck:\n"
                                     "  template: low.pptx\n")
    return load_theme(str(folder / "low.yaml"))


def test_a_title_too_long_for_a_low_title_band_leads_the_body_under_the_kicker(
        tmp_path: Path) -> None:
    """A title placeholder one line high (as LibreOffice's Piano draws it): a headline that
    would not fit it at the floor leads the body, the slide titled by its kicker, and no
    title runs below its placeholder."""
    theme = low_title_theme(tmp_path)
    deck, _ = plan_deck(load_brief(SAMPLE), theme, None)
    assert problems(deck) == []
    ctx, _ = make_context(load_brief(SAMPLE), theme, None)
    summary = next(slide for slide in deck.slides if slide.kind == "summary")
    title = next(item for item in summary.items if item.name == "Title")
    lead = next(item for item in summary.items if item.name == "Lead")
    assert isinstance(title, plan.TextBox) and isinstance(lead, plan.TextBox)
    assert "".join(span.text for span in title.paras[0].spans) == ctx.labels.get(
        "executive_summary")
    headline = load_brief(SAMPLE).thesis.headline.paragraphs[0]
    assert lead.paras[0].spans == headline
    for slide in deck.slides:
        placeholder = ctx.title_placeholder(slide.kind)
        for item in slide.items:
            if item.name == "Title" and placeholder and slide.kind != "title":
                assert item.y + item.h <= placeholder[1] + placeholder[3] + 0.5, slide.kind


def test_a_libreoffice_template_puts_the_body_where_the_master_leaves_room(
        templates: dict[str, Path]) -> None:
    """LibreOffice's export copies one master's boxes into every master's layouts; the body
    keeps to the master's own content area, clear of its artwork."""
    info = read_template(templates["Midnightblue"]) if "Midnightblue" in templates else None
    if info is None:
        pytest.skip("LibreOffice is not installed here")
    theme = load_theme(str(theme_of(templates, "Midnightblue")))
    ctx, _ = make_context(load_brief(SAMPLE), theme, None)
    y = ctx.content_area("section")[1]
    master = ctx.layouts["section"].master
    assert master is not None
    # The master's own title band ends at 96 pt; its content area starts below it.
    band = max(b.box[1] + b.box[3] for layout in info.layouts if layout.master == master
               for b in layout.backdrops if b.box[1] == 0 and b.box[3] < info.height / 2)
    assert y >= band


# ---- the file --------------------------------------------------------------------------------


def fill_color(fill: Any, theme: tuple[dict[str, str], dict[str, str]]) -> str | None:
    """The colour of a <a:solidFill>, by value or by slot."""
    if fill is None:
        return None
    if (rgb := fill.find("a:srgbClr", NS)) is not None:
        return str(rgb.get("val")).upper()
    if (scheme := fill.find("a:schemeClr", NS)) is not None:
        return theme[0][str(scheme.get("val"))]
    return None


def backdrop_color(slide: Any, shape: Any, fallback: str,
                   theme: tuple[dict[str, str], dict[str, str]]) -> str | None:
    """The solid colour behind a shape: its own fill, the topmost filled shape of the slide
    under its middle, else the template's (None for a picture)."""
    own = fill_color(shape._element.find(".//p:spPr/a:solidFill", NS), theme)
    if own is not None:
        return own
    x, y, w, h = box_of(shape)
    cx, cy = x + w / 2, y + min(h / 2, 12)
    shapes = list(slide.shapes)
    for other in reversed(shapes[:shapes.index(shape)]):
        ox, oy, ow, oh = box_of(other)
        fill = fill_color(other._element.find("p:spPr/a:solidFill", NS), theme)
        if fill is not None and ox <= cx <= ox + ow and oy <= cy <= oy + oh:
            return fill
    return fallback


def master_theme(master: Any) -> tuple[dict[str, str], dict[str, str]]:
    """A master's colours by every name a slide may give a slot (dk1 and, through the
    master's colour map, tx1), and its theme fonts by reference ("+mj-lt" → typeface), read
    from its theme part."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    values = {}
    for slot in theme.find("a:themeElements/a:clrScheme", NS):
        color = slot[0]
        value = color.get("lastClr") if color.tag.endswith("sysClr") else color.get("val")
        values[etree.QName(slot).localname] = str(value).upper()
    mapping = master._element.find("p:clrMap", NS)
    colors = {**values, **{name: values[slot] for name, slot in mapping.attrib.items()
                           if slot in values}}
    scheme = theme.find("a:themeElements/a:fontScheme", NS)
    fonts = {f"+{short}-{script}": str(scheme.find(f"a:{which}/a:{tag}", NS).get("typeface"))
             for short, which in (("mj", "majorFont"), ("mn", "minorFont"))
             for script, tag in (("lt", "latin"), ("ea", "ea"))}
    return colors, fonts


def run_look(run: Any, theme: tuple[dict[str, str], dict[str, str]]
             ) -> tuple[str | None, str | None]:
    """A run's colour and Latin typeface, theme references resolved."""
    r_pr = run.find("a:rPr", NS)
    colors, fonts = theme
    color = None
    if (rgb := r_pr.find("a:solidFill/a:srgbClr", NS)) is not None:
        color = str(rgb.get("val"))
    elif (scheme := r_pr.find("a:solidFill/a:schemeClr", NS)) is not None:
        color = colors[str(scheme.get("val"))]
    latin = r_pr.find("a:latin", NS)
    typeface = str(latin.get("typeface")) if latin is not None else None
    return color, fonts.get(typeface or "", typeface)


def layout_backdrop(info: Any, slide: Any, prs: Any, shape: Any) -> str | None:
    masters = list(prs.slide_masters)
    layout = slide.slide_layout
    master = masters.index(layout.slide_master)
    index = list(layout.slide_master.slide_layouts).index(layout)
    found = next(lay for lay in info.layouts if (lay.master, lay.index) == (master, index))
    x, y, w, h = box_of(shape)
    cx, cy = x + w / 2, y + min(h / 2, 12)
    for backdrop in reversed(found.backdrops):
        bx, by, bw, bh = backdrop.box
        if bx <= cx <= bx + bw and by <= cy <= by + bh:
            return backdrop.color or None
    return info.masters[master].color("bg1") or "FFFFFF"


@pytest.mark.parametrize("brief", BRIEFS)
@pytest.mark.parametrize("name", ALL)
def test_the_deck_file_is_readable_filled_in_and_in_the_template_fonts(
        templates: dict[str, Path], decks: dict[tuple[str, str], Path], name: str, brief: str,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    path = deck_of(decks, templates, name, brief, tmp_path_factory)
    info = read_template(templates[name])
    prs = Presentation(str(path))
    assert (Emu(prs.slide_width).pt, Emu(prs.slide_height).pt) == pytest.approx(
        (info.width, info.height))
    unreadable: list[str] = []
    fonts: set[str] = set()
    unfilled: list[str] = []
    for number, slide in enumerate(prs.slides, 1):
        kinds = {}
        for shape in slide.placeholders:
            kinds[str(shape._element.find(".//p:nvPr/p:ph", NS).get("type", "obj"))] = shape
        layout_kinds = {ph.get("type") for ph in slide.slide_layout._element.iterfind(
            ".//p:nvPr/p:ph", NS)}
        for kind in ("ftr", "sldNum"):
            if kind in layout_kinds and number > 1:
                own_number = kind == "sldNum" and info.masters[
                    list(prs.slide_masters).index(slide.slide_layout.slide_master)].own_number
                if own_number:
                    assert kind not in kinds, f"slide {number}: the master numbers it already"
                elif kind not in kinds or not kinds[kind].text_frame.text.strip():
                    unfilled.append(f"slide {number} {kind}")
        if "sldNum" in kinds:
            assert kinds["sldNum"]._element.find(".//a:fld[@type='slidenum']", NS) is not None
        theme = master_theme(slide.slide_layout.slide_master)
        for shape in slide.shapes:
            x, y, w, h = box_of(shape)
            assert x >= -0.5 and y >= -0.5 and x + w <= info.width + 0.5 \
                and y + h <= info.height + 0.5, f"slide {number} {shape.name} off the slide"
            if not shape.has_text_frame and not shape.has_table:
                continue
            back = backdrop_color(slide, shape, "", theme)
            if back == "":
                back = layout_backdrop(info, slide, prs, shape)
            for run in shape._element.iterfind(".//a:r", NS):
                cell = next(run.iterancestors(f"{{{NS['a']}}}tc"), None)
                cell_fill = (fill_color(cell.find("a:tcPr/a:solidFill", NS), theme)
                             if cell is not None else None)
                behind = cell_fill or back
                r_pr = run.find("a:rPr", NS)
                color, typeface = run_look(run, theme)
                if typeface:
                    fonts.add(typeface)
                if behind is None or color is None or not run.findtext("a:t", "", NS).strip():
                    continue
                size = int(r_pr.get("sz", "1800")) / 100
                large = size >= 18 or (r_pr.get("b") == "1" and size >= 14)
                ratio = contrast(color, behind)
                if ratio < (3.0 if large else 4.5):
                    unreadable.append(f"slide {number} {shape.name}: {ratio:.2f}:1")
    assert unfilled == []
    assert unreadable == []
    content_master = info.masters[make_context(load_brief(BRIEFS[brief]), load_theme(
        str(theme_of(templates, name))), None)[0].layouts["section"].master or 0]
    template_fonts = {content_master.title_font or content_master.heading_font,
                      content_master.body_text_font or content_master.body_font}
    assert template_fonts <= fonts


# The names a slide's runs give the theme's colour slots (hlink is the deck's link colour).
SLIDE_SLOTS = ("tx1", "bg1", "tx2", "bg2", *(f"accent{n}" for n in range(1, 7)))


@pytest.mark.parametrize("name", ALL)
def test_runs_refer_to_the_templates_theme_colours_and_fonts(
        templates: dict[str, Path], decks: dict[tuple[str, str], Path], name: str,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every run whose colour is one of its master's scheme colours names the slot, and
    every run in the theme's heading or body font names it, so that a change of the
    template's theme restyles the deck; the rest (mixes, the template's own literal
    colours, fonts its text styles name) is written as it is."""
    path = deck_of(decks, templates, name, "sample", tmp_path_factory)
    literal: set[str] = set()
    referred = {"color": 0, "font": 0}
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        colors, fonts = master_theme(slide.slide_layout.slide_master)
        scheme = {colors[slot] for slot in SLIDE_SLOTS if slot in colors}
        theme_fonts = {fonts["+mj-lt"], fonts["+mn-lt"]}
        for r_pr in slide._element.iterfind(".//a:r/a:rPr", NS):
            rgb = r_pr.find("a:solidFill/a:srgbClr", NS)
            if rgb is not None and str(rgb.get("val")) in scheme:
                literal.add(f"slide {number}: #{rgb.get('val')}")
            referred["color"] += r_pr.find("a:solidFill/a:schemeClr", NS) is not None
            typeface = str(r_pr.find("a:latin", NS).get("typeface"))
            if typeface in theme_fonts:
                literal.add(f"slide {number}: {typeface}")
            referred["font"] += typeface in ("+mj-lt", "+mn-lt")
    assert sorted(literal) == []
    assert referred["color"] > 0
    if name in ("python-pptx", "french", "title-only", "pandoc"):
        # Their text styles name no fonts of their own: every run is in a theme font.
        assert referred["font"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_the_deck_passes_the_schema_check_and_keeps_nothing_of_the_template_slides(
        templates: dict[str, Path], decks: dict[tuple[str, str], Path], name: str,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    import zipfile

    path = deck_of(decks, templates, name, "sample", tmp_path_factory)
    checker = shutil.which("openxml-audit") or str(Path(sys.executable).parent /
                                                    "openxml-audit")
    done = subprocess.run([checker, str(path)], capture_output=True, text=True, timeout=300)
    assert "Errors: 0" in done.stdout, done.stdout
    package = zipfile.ZipFile(path)
    names = package.namelist()
    prs = Presentation(str(path))
    slides = [n for n in names if n.startswith("ppt/slides/slide")]
    assert len(slides) == len(prs.slides)
    assert "docProps/custom.xml" not in names
    app = etree.fromstring(package.read("docProps/app.xml"))
    ns = {"e": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
    assert app.findtext("e:Slides", namespaces=ns) == str(len(prs.slides))
    if templates[name].exists():
        own = Presentation(str(templates[name]))
        own_text = {shape.text_frame.text for slide in own.slides for shape in slide.shapes
                    if shape.has_text_frame and len(shape.text_frame.text) > 12}
        deck_text = {shape.text_frame.text for slide in prs.slides for shape in slide.shapes
                     if shape.has_text_frame}
        assert not own_text & deck_text


def test_a_potx_template_is_accepted(templates: dict[str, Path], tmp_path: Path) -> None:
    import zipfile

    source = zipfile.ZipFile(templates["python-pptx"])
    potx = tmp_path / "house.potx"
    with zipfile.ZipFile(potx, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml",
                                    b"presentationml.template.main+xml")
            target.writestr(item, data)
    theme = tmp_path / "house.yaml"
    theme.write_text("name: house\nextends: corporate\ndeck:\n  template: house.potx\n")
    result = build(SAMPLE, theme=str(theme), out=tmp_path / "out")
    deck = Presentation(str(result.outputs["pptx"]))
    assert len(deck.slides) == result.slides
    main = zipfile.ZipFile(result.outputs["pptx"]).read("[Content_Types].xml")
    assert b"presentation.main+xml" in main and b"template.main+xml" not in main


def test_text_the_theme_colours_dark_takes_the_templates_light_colour_on_a_dark_master(
        tmp_path: Path) -> None:
    """A master painted near-black whose theme still says black text: the theme file's own
    dark text would not read either, so every run takes the template's light colour."""
    prs = Presentation()
    c_sld = prs.slide_master._element.find("p:cSld", NS)
    background = etree.SubElement(c_sld, f"{{{NS['p']}}}bg")
    c_sld.insert(0, background)
    fill = etree.SubElement(etree.SubElement(background, f"{{{NS['p']}}}bgPr"),
                            f"{{{NS['a']}}}solidFill")
    etree.SubElement(fill, f"{{{NS['a']}}}srgbClr", val="111111")
    etree.SubElement(background[0], f"{{{NS['a']}}}effectLst")
    prs.save(str(tmp_path / "dark.pptx"))
    theme = tmp_path / "dark.yaml"
    theme.write_text("name: dark\nextends: corporate\ncolors:\n  text: '#222222'\n"
                     "deck:\n  template: dark.pptx\n")
    deck, _ = plan_deck(load_brief(SAMPLE), load_theme(str(theme)), None)
    # The body and titles, which stand on the master's background.
    colors = {para.style.color for slide in deck.slides for item in slide.items
              if isinstance(item, plan.TextBox) and item.name in ("Text", "Title")
              for para in item.paras}
    assert "222222" not in colors
    assert all(contrast(color, "111111") >= 3.0 for color in colors)
    assert "FFFFFF" in colors


# ---- artwork, long titles and the title slide --------------------------------------------------


def artwork_template(folder: Path, name: str, boxes: list[tuple[float, float, float, float]],
                     title_top: float | None = None) -> Path:
    """python-pptx's default template with black rectangles (x, y, w, h in pt) drawn on its
    master, behind the placeholders, as a designer draws bands and ornaments; its titles
    moved down to `title_top`."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE

    prs = Presentation()
    for part in (prs.slide_master, *prs.slide_layouts) if title_top is not None else ():
        for shape in part.placeholders:
            if shape.placeholder_format.type == 1:  # a title, not a title slide's
                shape.top = Emu(int(title_top * 12700))
    shapes = prs.slides.add_slide(prs.slide_layouts[6]).shapes
    tree = prs.slide_master.shapes._spTree
    for x, y, w, h in boxes:
        shape = shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(int(x * 12700)), Emu(int(y * 12700)),
                                 Emu(int(w * 12700)), Emu(int(h * 12700)))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(0, 0, 0)
        tree.insert(2, shape._element)
    prs.save(str(folder / f"{name}.pptx"))
    (folder / f"{name}.yaml").write_text(f"name: {name}\nextends: corporate\ndeck:\n"
                                         f"  template: {name}.pptx\n")
    return folder / f"{name}.yaml"


def named(deck: plan.Deck, name: str) -> list[plan.Item]:
    return [item for slide in deck.slides for item in slide.items if item.name == name]


def test_the_kicker_is_drawn_above_the_title_only_where_no_artwork_is(tmp_path: Path) -> None:
    """A title placeholder 40 pt down leaves room for the kicker line above it, until the
    master draws a band there (as LibreOffice's Focus and Sunset do)."""
    clear = load_theme(str(artwork_template(tmp_path, "clear", [], title_top=40)))
    banded = load_theme(str(artwork_template(tmp_path, "banded", [(0, 0, 720, 30)],
                                             title_top=40)))
    brief = load_brief(SAMPLE)
    assert named(plan_deck(brief, clear, None)[0], "Kicker")
    deck, _ = plan_deck(brief, banded, None)
    assert named(deck, "Kicker") == []
    assert problems(deck) == []


def test_artwork_reaching_into_the_content_area_bounds_it(tmp_path: Path) -> None:
    """A row of ornaments over the lower part of the content placeholder (LibreOffice's Piano
    draws music notes there): the body stays above it; a panel behind the whole area does not
    shrink it."""
    brief = load_brief(SAMPLE)
    plain = load_theme(str(artwork_template(tmp_path, "plain", [])))
    _, top, _, height = make_context(brief, plain, None)[0].content_area("section")
    bottom = top + height
    notes = load_theme(str(artwork_template(tmp_path, "notes", [(300, bottom - 40, 400, 60)])))
    ctx, _ = make_context(brief, notes, None)
    area = ctx.content_area("section")
    assert area[1] == top and area[1] + area[3] <= bottom - 40
    deck, _ = plan_deck(brief, notes, None)
    assert problems(deck) == []
    for slide in deck.slides:
        if slide.kind == "section":
            for item in slide.items:
                if item.name not in ("Footer", "Slide number", "Date", "Title", "Kicker"):
                    assert item.y + item.h <= bottom - 40 + 0.5, (slide.kind, item.name)
    panel = load_theme(str(artwork_template(tmp_path, "panel",
                                            [(0, top - 10, 720, height + 20)])))
    assert make_context(brief, panel, None)[0].content_area("section") == (
        make_context(brief, plain, None)[0].content_area("section"))


def test_a_long_title_that_leads_the_body_leaves_it_room_and_nothing_is_left_out(
        tmp_path: Path) -> None:
    """On a template whose title band holds one line, a headline of many lines leads the body
    under the kicker: it is cut to half the content area with a warning, and the summary's
    points follow it."""
    theme = low_title_theme(tmp_path)
    words = "the freight market tightens while capacity stays flat through the quarter "
    (tmp_path / "long.yaml").write_text(
        'meta: {title: Fit, date: "2026-04-15"}\n'
        f'thesis:\n  headline: "{(words * 20)[:1500].strip()}"\n'
        '  points: ["One point that must not be lost", "Another point that follows it"]\n')
    brief = load_brief(tmp_path / "long.yaml")
    deck, said = plan_deck(brief, theme, None)
    assert problems(deck) == []
    assert not [m for m in said if "left out" in m.text]
    assert any(m.text.startswith("title cut to") for m in said if m.key == "thesis.headline")
    ctx, _ = make_context(brief, theme, None)
    _, top, _, height = ctx.content_area("summary")
    lead = named(deck, "Lead")[0]
    assert lead.h <= (top + height - lead.y) / 2 + 1
    shown = [span.text for slide in deck.slides for item in slide.items
             if isinstance(item, plan.TextBox) for para in item.paras for span in para.spans]
    assert "One point that must not be lost" in shown


def test_on_a_template_the_subtitle_goes_under_the_title_and_the_details_give_the_author(
        templates: dict[str, Path]) -> None:
    """Midnightblue's subtitle placeholder leaves 92 pt under the title: the subtitle goes
    there, cut to fit, never above the title; the footer shows the date and classification,
    so the details do not repeat them."""
    if "Midnightblue" not in templates:
        pytest.skip("LibreOffice is not installed here")
    brief = load_brief(SAMPLE)
    deck, _ = plan_deck(brief, load_theme(str(theme_of(templates, "Midnightblue"))), None)
    cover = deck.slides[0]
    title = next(item for item in cover.items if item.name == "Title")
    details = next(item for item in cover.items if item.name == "Details")
    assert isinstance(details, plan.TextBox)
    assert details.y >= title.y + title.h
    texts = ["".join(s.text for s in para.spans) for para in details.paras]
    assert not any(brief.meta.date in t or "April" in t for t in texts)
    assert brief.meta.classification not in texts
    assert any("AINews Analysis" in t for t in texts)
