"""Corporate templates: the deck is built on the template's master, layouts and size."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER as PP
from pptx.util import Inches

from briefgen.brief.loader import load_brief
from briefgen.build import build
from tests.conftest import SAMPLE
from tests.extract import deck_text


def make_template(folder: Path) -> Path:
    """A template unlike the default: 16:10, renamed layouts, and a slide of its own."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(12), Inches(7.5)
    for layout in prs.slide_layouts:
        if layout.name == "Title Only":
            layout.name = "House Headline"
    own = prs.slides.add_slide(prs.slide_layouts[0])
    own.shapes.title.text = "TEMPLATE OWN SLIDE"
    path = folder / "house.pptx"
    prs.save(str(path))
    return path


def make_theme(folder: Path) -> Path:
    make_template(folder)
    theme = folder / "house.yaml"
    theme.write_text("name: house\nextends: corporate\ndeck:\n  template: house.pptx\n"
                     "  layouts:\n    section: House Headline\n")
    return theme


def test_a_deck_on_a_template_uses_its_size_and_layouts_and_drops_its_slides(
        tmp_path: Path) -> None:
    theme = make_theme(tmp_path)
    result = build(SAMPLE, theme=str(theme), out=tmp_path / "out")
    deck = Presentation(str(result.outputs["pptx"]))
    assert (deck.slide_width, deck.slide_height) == (Inches(12), Inches(7.5))
    assert "TEMPLATEOWNSLIDE" not in deck_text(result.outputs["pptx"])
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == "Title Slide"
    assert "House Headline" in layouts
    assert len(deck.slides) == result.slides


def test_slide_titles_go_into_the_layout_title_placeholder(tmp_path: Path) -> None:
    theme = make_theme(tmp_path)
    result = build(SAMPLE, theme=str(theme), out=tmp_path / "out")
    deck = Presentation(str(result.outputs["pptx"]))
    titled = [slide for slide in deck.slides if slide.shapes.title is not None]
    assert len(titled) == len(deck.slides) or "Blank" in {s.slide_layout.name for s in deck.slides}
    for slide in titled:
        assert slide.shapes.title.text_frame.text.strip()
        # Besides the title, only the body text, the footer, date and slide number take the
        # layout's placeholders: none is left empty.
        for placeholder in slide.placeholders:
            assert placeholder.shape_id == slide.shapes.title.shape_id or (
                placeholder.placeholder_format.type in (PP.FOOTER, PP.SLIDE_NUMBER, PP.DATE,
                                                        PP.OBJECT, PP.BODY)
                and placeholder.text_frame.text.strip())


def test_a_layout_the_theme_names_is_used_and_a_missing_one_falls_back_with_a_warning(
        tmp_path: Path) -> None:
    theme = make_theme(tmp_path)
    theme.write_text(theme.read_text() + "    summary: No Such Layout\n")
    result = build(SAMPLE, theme=str(theme), out=tmp_path / "out")
    deck = Presentation(str(result.outputs["pptx"]))
    kinds = {slide.slide_layout.name for slide in deck.slides}
    assert {"House Headline", "Title and Content"} <= kinds
    assert [w.split(": ", 1)[1] for w in result.warnings if "No Such Layout" in w] == [
        "template has no layout 'No Such Layout' for summary slides; using 'Title and Content'"]


def house_themes(tmp_path: Path, own_keys: str) -> tuple[Path, Path]:
    """Two themes on the house template: one that sets nothing itself, one that sets
    `own_keys` (YAML lines)."""
    make_template(tmp_path)
    plain = tmp_path / "plain.yaml"
    plain.write_text("name: plain\nextends: corporate\ndeck:\n  template: house.pptx\n")
    own = tmp_path / "own.yaml"
    own.write_text(f"name: own\nextends: corporate\n{own_keys}deck:\n  template: house.pptx\n")
    return plain, own


def test_the_template_look_wins_except_what_the_theme_file_sets(tmp_path: Path) -> None:
    from briefgen.layout.deck.look import deck_roles
    from briefgen.theme.loader import load_theme

    plain, own = house_themes(tmp_path, "colors:\n  primary: '#7A1F5C'\n"
                                        "fonts:\n  deck:\n    body: Arial\n")
    plain_roles = {role: (value, source) for role, value, source in
                   deck_roles(load_theme(str(plain)))}
    own_roles = {role: (value, source) for role, value, source in
                 deck_roles(load_theme(str(own)))}
    # python-pptx's default template: the Office theme, Calibri, black text on white.
    assert plain_roles["fonts.deck.body"] == ("Calibri", "template")
    assert plain_roles["colors.text"] == ("#000000", "template")
    assert plain_roles["colors.background"] == ("#FFFFFF", "template")
    assert own_roles["colors.primary"] == ("#7A1F5C", "theme")
    assert own_roles["fonts.deck.body"] == ("Arial", "theme")
    assert own_roles["fonts.deck.heading"] == ("Calibri", "template")


def run_looks(path: Path) -> set[tuple[str, str]]:
    """Each (colour, Latin typeface) the deck's text runs are written in."""
    deck = Presentation(str(path))
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    found = set()
    for slide in deck.slides:
        for r_pr in slide._element.iter(f"{a}rPr"):
            fill = r_pr.find(f"{a}solidFill")
            color = fill[0] if fill is not None else None
            latin = r_pr.find(f"{a}latin")
            if color is not None and latin is not None:
                found.add((f"{color.tag.removeprefix(a)}:{color.get('val')}",
                           str(latin.get("typeface"))))
    return found


def test_runs_name_the_templates_theme_except_what_the_theme_file_sets(
        tmp_path: Path) -> None:
    """On the template's theme the body is tx1 in the body font (+mn-lt), titles in the
    heading font (+mj-lt); a colour and a font the theme file sets stay as it says, even
    where they are the template's own (black, Calibri)."""
    plain, own = house_themes(tmp_path, "colors:\n  text: '#000000'\n"
                                        "fonts:\n  deck:\n    body: Calibri\n")
    on_template = run_looks(build(SAMPLE, theme=str(plain), out=tmp_path / "a").outputs["pptx"])
    on_own = run_looks(build(SAMPLE, theme=str(own), out=tmp_path / "b").outputs["pptx"])
    assert {("schemeClr:tx1", "+mn-lt"), ("schemeClr:tx1", "+mj-lt")} <= on_template
    assert not any(color == "srgbClr:000000" or font == "Calibri" for color, font in on_template)
    assert ("srgbClr:000000", "Calibri") in on_own
    assert not any(color == "schemeClr:tx1" or font == "+mn-lt" for color, font in on_own)


def test_themes_show_prints_the_roles_the_deck_uses_on_its_template(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefgen.cli import app

    theme = make_theme(tmp_path)
    result = CliRunner().invoke(app, ["themes", "show", str(theme)])
    assert result.exit_code == 0, result.output
    assert "# On its template, house.pptx, the deck uses:" in result.output
    assert "#   fonts.deck.heading: Calibri  (template)" in result.output


def test_a_template_that_is_not_a_pptx_or_potx_or_is_missing_is_a_located_error(
        tmp_path: Path) -> None:
    import pytest

    from briefgen.errors import BriefError
    from briefgen.theme.loader import load_theme

    (tmp_path / "house.key").write_bytes(b"not a deck")
    theme = tmp_path / "t.yaml"
    theme.write_text("name: t\nextends: corporate\ndeck:\n  template: house.key\n")
    with pytest.raises(BriefError) as wrong:
        load_theme(str(theme))
    assert [(p.line, p.message) for p in wrong.value.problems] == [
        (4, "template 'house.key' is not a .pptx or .potx file")]
    theme.write_text("name: t\nextends: corporate\ndeck:\n  template: gone.potx\n")
    with pytest.raises(BriefError) as missing:
        load_theme(str(theme))
    assert missing.value.problems[0].message == f"template 'gone.potx' not found in {tmp_path}"


EMBEDDED = "Briefgen Embedded Sans"  # a font no machine has installed
LIBERATION = Path("/usr/share/fonts/truetype/liberation")


def renamed_truetype(path: Path, family: str) -> bytes:
    """A TrueType font under another family name (the OFL asks that a changed font be
    renamed), as bytes."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    style = font["name"].getDebugName(2) or "Regular"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID == 6:
            record.string = f"{family.replace(' ', '')}-{style}"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def eot(font: bytes, family: str, flags: int = 0) -> bytes:
    """An Embedded OpenType (version 2.1) wrapping of a TrueType font, as the W3C submission
    lays it out: a fixed header, four names, an empty root string, then the font."""
    import struct

    def name(text: str) -> bytes:
        data = text.encode("utf-16-le")
        return struct.pack("<HH", 0, len(data)) + data

    names = name(family) + name("Regular") + name("Version 1") + name(family) + \
        struct.pack("<HH", 0, 0)
    fixed = struct.pack("<IIII10sBBIHH4I2IIIIII", 0, len(font), 0x00020001, flags,
                        bytes(10), 1, 0, 400, 0, 0x504C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    total = len(fixed) + len(names) + len(font)
    return struct.pack("<I", total) + fixed[4:] + names + font


def embedding_template(folder: Path, flags: int = 0, family: str = EMBEDDED) -> Path:
    """python-pptx's default with its theme fonts set to a font it embeds (Liberation Sans
    renamed), regular and bold, as Embedded OpenType parts."""
    from lxml import etree
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    prs = Presentation()
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    root = etree.fromstring(theme.blob)
    for latin in root.iter(f"{a}latin"):
        latin.set("typeface", family)
    theme._blob = etree.tostring(root)
    p = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    fonts = etree.Element(f"{p}embeddedFontLst")
    embedded = etree.SubElement(fonts, f"{p}embeddedFont")
    etree.SubElement(embedded, f"{p}font", typeface=family)
    for n, (face, file) in enumerate((("regular", "LiberationSans-Regular.ttf"),
                                      ("bold", "LiberationSans-Bold.ttf")), 1):
        data = eot(renamed_truetype(LIBERATION / file, family), family, flags)
        part = Part(PackURI(f"/ppt/fonts/font{n}.fntdata"), CT.X_FONTDATA, prs.part.package,
                    data)
        etree.SubElement(embedded, f"{p}{face}").set(f"{r}id", prs.part.relate_to(part,
                                                                                  RT.FONT))
    prs.part._element.find(f"{p}notesSz").addnext(fonts)
    path = folder / "embeds.pptx"
    prs.save(str(path))
    (folder / "embeds.yaml").write_text("name: embeds\nextends: corporate\ndeck:\n"
                                        "  template: embeds.pptx\n")
    return path


@pytest.mark.skipif(not LIBERATION.is_dir(), reason="the Liberation fonts are not installed")
def test_a_font_the_template_embeds_is_measured_with_its_own_data(tmp_path: Path) -> None:
    """A deck in a font only the template has: its text is measured with the embedded
    widths (the same as fontTools reads from the font), no warning, every box fits."""
    from fontTools.ttLib import TTFont

    from briefgen.brief.markup import Span
    from briefgen.layout.deck import plan_deck
    from briefgen.layout.deck.context import make_context
    from briefgen.layout.measure import WIDTH_SAFETY, wrap
    from briefgen.theme.fonts import family_of
    from briefgen.theme.loader import load_theme
    from tests.deckcheck import problems

    embedding_template(tmp_path)
    theme = load_theme(str(tmp_path / "embeds.yaml"))
    fonts = make_context(load_brief(SAMPLE), theme, None)[0].theme.fonts.deck
    assert (fonts.heading, fonts.body) == (EMBEDDED, EMBEDDED)
    text = "Quarterly revenue grew 14 % on cloud demand"
    for bold, file in ((False, "LiberationSans-Regular.ttf"), (True, "LiberationSans-Bold.ttf")):
        font = TTFont(str(LIBERATION / file))
        cmap, advances = font.getBestCmap(), font["hmtx"].metrics
        expected = sum(advances[cmap[ord(c)]][0] for c in text) / font["head"].unitsPerEm * 20
        measured = wrap((Span(text, bold=bold),), 2000, 20, family_of(EMBEDDED)).widest
        measured *= WIDTH_SAFETY  # the room a line keeps free
        assert measured == pytest.approx(expected, rel=0.002)
    result = build(SAMPLE, theme=str(tmp_path / "embeds.yaml"), out=tmp_path / "out")
    assert not [w for w in result.warnings if EMBEDDED in w]
    deck, _ = plan_deck(load_brief(SAMPLE), theme, None)
    assert problems(deck) == []
    # The deck carries the font on, as the template did.
    assert "ppt/fonts/font1.fntdata" in zipfile.ZipFile(result.outputs["pptx"]).namelist()


def test_a_font_embedded_compressed_is_estimated_with_a_warning_that_says_why(
        tmp_path: Path) -> None:
    """PowerPoint saves embedded fonts compressed (MicroType Express), which briefgen does
    not read: the text is measured by the wide estimate, and the warning says so."""
    if not LIBERATION.is_dir():
        pytest.skip("the Liberation fonts are not installed")
    # Another name than the readable one's: a font's data, once read, measures it by name.
    family = "Briefgen Packed Sans"
    embedding_template(tmp_path, flags=0x4, family=family)
    result = build(SAMPLE, theme=str(tmp_path / "embeds.yaml"), out=tmp_path / "out")
    assert [w.split(": ", 1)[1] for w in result.warnings if family in w] == [
        f"the template's font '{family}' is embedded in the template compressed (MicroType "
        "Express, as PowerPoint saves it), which briefgen cannot read, and is not installed "
        "here; its text is measured as Arial widened by 20 %, which may leave room to spare "
        "(install the font to measure it exactly)"]


def test_translucent_artwork_is_the_colour_it_makes_and_a_pattern_cannot_be_checked(
        tmp_path: Path) -> None:
    """A white box at 30 % over a black band is dark grey to text drawn on it, and a
    patterned band is no one colour (as LibreOffice's Piano and Vivid masters draw them)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE

    from briefgen.theme.template import read_template

    prs = Presentation()
    # Drawn on a slide, then moved to the master (whose shapes python-pptx cannot add).
    shapes = prs.slides.add_slide(prs.slide_layouts[6]).shapes
    band = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(10), Inches(2))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor(0, 0, 0)
    veil = shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1), Inches(0.5), Inches(8), Inches(1))
    veil.fill.solid()
    veil.fill.fore_color.rgb = RGBColor(255, 255, 255)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    veil._element.spPr.find(f"{a}solidFill")[0].append(
        veil._element.spPr.makeelement(f"{a}alpha", {"val": "30000"}))
    grid = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(5), Inches(10), Inches(2))
    grid.fill.patterned()
    tree = prs.slide_master.shapes._spTree
    for shape in (band, veil, grid):
        tree.append(shape._element)
    prs.save(str(tmp_path / "veiled.pptx"))
    colors = [b.color for b in read_template(tmp_path / "veiled.pptx").layouts[0].backdrops]
    assert colors[-3:] == ["000000", "4C4C4C", ""]  # 30 % of 255, rounded


def picture_template(folder: Path, image: Path) -> Path:
    """A template whose master draws `image` over the whole slide, as a photo backdrop."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    picture = slide.shapes.add_picture(str(image), 0, 0, prs.slide_width, prs.slide_height)
    image_part = slide.part.related_part(picture._element.blip_rId)
    rel = prs.slide_master.part.relate_to(image_part, RT.IMAGE)
    picture._element.blipFill.blip.rEmbed = rel
    tree = prs.slide_master.shapes._spTree
    tree.insert(2, picture._element)  # behind the master's placeholders
    path = folder / f"{image.stem}.pptx"
    prs.save(str(path))
    return path


def test_a_picture_behind_text_is_judged_by_its_colours_where_it_can_be_read(
        tmp_path: Path) -> None:
    """A photo backdrop is read at its cells' average colours, so text on it is checked and
    no warning is needed; a translucent picture, whose look depends on what shows through,
    still cannot be judged."""
    from PIL import Image

    from briefgen.theme.template import read_template

    # Dark behind the title placeholder (the top fifth), white below.
    halves = Image.new("RGB", (240, 100), (255, 255, 255))
    halves.paste((16, 32, 64), (0, 0, 240, 24))
    halves.save(tmp_path / "halves.png")
    Image.new("RGBA", (20, 20), (0, 0, 0, 90)).save(tmp_path / "veil.png")
    info = read_template(picture_template(tmp_path, tmp_path / "halves.png"))
    photo = info.layouts[0].backdrops[-1]
    assert (photo.color_at(100, info.height * 0.1), photo.color_at(100, info.height * 0.5)) == (
        "102040", "FFFFFF")
    veiled = read_template(picture_template(tmp_path, tmp_path / "veil.png"))
    assert (veiled.layouts[0].backdrops[-1].color, veiled.layouts[0].backdrops[-1].cells) == (
        "", ())

    (tmp_path / "photo.yaml").write_text(
        "name: photo\nextends: corporate\ndeck:\n  template: halves.pptx\n")
    result = build(SAMPLE, theme=str(tmp_path / "photo.yaml"), out=tmp_path / "out",
                   formats=["pptx"])
    assert not [w for w in result.warnings if "picture" in w]
    deck = Presentation(str(result.outputs["pptx"]))
    slide = deck.slides[1]
    title = slide.shapes.title
    assert title.top + title.height < deck.slide_height * 0.24
    # python-pptx's default theme: light 1 and 2, dark 1 and 2.
    scheme = {"BACKGROUND_1": "FFFFFF", "BACKGROUND_2": "EEECE1", "TEXT_1": "000000",
              "TEXT_2": "1F497D"}

    def hex_of(shape: object) -> str:
        color = shape.text_frame.paragraphs[0].runs[0].font.color  # type: ignore[attr-defined]
        return str(color.rgb) if color.type == 1 else scheme[color.theme_color.name]

    # The title is over the dark band: drawn light; the body below it dark on white.
    assert hex_of(title) in ("FFFFFF", "EEECE1")
    body = next(s for s in slide.shapes if s.has_text_frame and s.top > deck.slide_height / 3
                and s.text_frame.text.strip())
    assert hex_of(body) not in ("FFFFFF", "EEECE1")
