"""The deck is made of PowerPoint's own parts: a theme part with the theme's colours and fonts,
named layouts at the deck's size, every slide titled in its title placeholder, and package
properties that tell the truth."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from briefgen.build import build
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES, SAMPLE
from tests.extract import shapes_of

THEMES = sorted(available())
BRIEFS = [SAMPLE, FIXTURES / "stress.yaml", FIXTURES / "cjk.yaml"]


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("decks")
    return {(brief.stem, theme): build(brief, theme=theme, out=out / theme,
                                       formats=["pptx"]).outputs["pptx"]
            for brief in BRIEFS for theme in THEMES}


CASES = [(brief.stem, theme) for brief in BRIEFS for theme in THEMES]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_every_slide_has_its_title_in_the_title_placeholder(
        decks: dict[tuple[str, str], Path], case: tuple[str, str]) -> None:
    deck = Presentation(str(decks[case]))
    titles = []
    for slide in deck.slides:
        title = slide.shapes.title
        assert title is not None, slide.slide_layout.name
        assert title.text_frame.text.strip()
        titles.append(title.text_frame.text)
    assert deck.slides[0].slide_layout.name == "Title Slide"
    assert {s.slide_layout.name for s in list(deck.slides)[1:]} <= {
        "Title Only", "Title and Content", "Two Content"}
    planned_first = deck.slides[0].shapes.title.text_frame.text
    assert planned_first.startswith(titles[0])


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_every_slide_title_is_unique(decks: dict[tuple[str, str], Path],
                                     case: tuple[str, str]) -> None:
    deck = Presentation(str(decks[case]))
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    repeated = {t for t in titles if titles.count(t) > 1}
    # Only a title the brief itself gives twice (the stress brief repeats a lead) may repeat;
    # a continuation slide's never does.
    source = next(b for b in BRIEFS if b.stem == case[0]).read_text(encoding="utf-8")
    assert all(source.count(t) >= 2 for t in repeated), repeated
    continued = [t for t in titles if re.search(r"[(（](cont|续|續|続き)", t)]
    assert continued or case[0] == "cjk"  # the CJK brief's sections each fit one slide
    assert len(set(continued)) == len(continued)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_the_package_says_how_many_slides_it_has_and_their_titles(
        decks: dict[tuple[str, str], Path], case: tuple[str, str]) -> None:
    path = decks[case]
    deck = Presentation(str(path))
    names = zipfile.ZipFile(path).namelist()
    assert not any("thumbnail" in n for n in names)
    size = deck.part._element.find(qn("p:sldSz"))
    assert size.get("type") is None
    app = etree.fromstring(zipfile.ZipFile(path).read("docProps/app.xml"))
    ns = {"e": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
          "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"}
    assert app.findtext("e:Slides", namespaces=ns) == str(len(deck.slides))
    listed = [t.text or "" for t in app.findall("e:TitlesOfParts/vt:vector/vt:lpstr", ns)]
    assert listed == [case[1], *(s.shapes.title.text_frame.text for s in deck.slides)]


@pytest.mark.parametrize("theme_name", THEMES)
def test_the_theme_part_holds_the_themes_colours_and_fonts(
        decks: dict[tuple[str, str], Path], theme_name: str) -> None:
    theme = load_theme(theme_name)
    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    part = deck.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)

    def slot(name: str) -> str:
        return root.find(f".//{qn('a:clrScheme')}/{qn('a:' + name)}/{qn('a:srgbClr')}").get("val")

    c = theme.colors
    assert [slot(s) for s in ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "hlink")] == [
        c.text, c.background, c.primary, c.surface, c.series[0], c.series[1], c.primary]
    major = root.find(f".//{qn('a:majorFont')}")
    minor = root.find(f".//{qn('a:minorFont')}")
    fonts = theme.fonts.deck
    assert major.find(qn("a:latin")).get("typeface") == fonts.heading
    assert minor.find(qn("a:latin")).get("typeface") == fonts.body
    assert minor.find(qn("a:ea")).get("typeface") == fonts.east_asian


@pytest.mark.parametrize("theme_name", THEMES)
def test_the_layouts_are_drawn_at_the_decks_size(decks: dict[tuple[str, str], Path],
                                                 theme_name: str) -> None:
    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    for layout in deck.slide_layouts:
        for shape in layout.placeholders:
            assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width, layout.name
    title = deck.slide_layouts.get_by_name("Title Only").placeholders[0]
    middle = title.left + title.width / 2
    assert abs(middle - deck.slide_width / 2) < deck.slide_width * 0.02


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("theme_name", THEMES)
def test_libreoffice_names_every_slide_after_its_title(decks: dict[tuple[str, str], Path],
                                                       theme_name: str, tmp_path: Path) -> None:
    path = decks[(SAMPLE.stem, theme_name)]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "odp", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    content = etree.fromstring(zipfile.ZipFile(tmp_path / f"{path.stem}.odp").read(
        "content.xml"))
    draw = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
    names = [page.get(f"{{{draw}}}name") for page in content.iter(f"{{{draw}}}page")]
    deck = Presentation(str(path))
    titles = [" ".join(s.shapes.title.text_frame.text.split()) for s in deck.slides]
    assert len(names) == len(titles)
    for name, title in zip(names, titles, strict=True):
        # LibreOffice names a slide after the first 63 characters of its title, and tells
        # two alike apart with " (2)".
        name = re.sub(r" \(\d+\)$", "", name) if not title.startswith(name) else name
        assert name and title.startswith(name) and len(name) >= min(len(title), 63), name


DECORATIVE = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_every_visual_has_alt_text_or_is_marked_decorative(
        decks: dict[tuple[str, str], Path], case: tuple[str, str]) -> None:
    deck = Presentation(str(decks[case]))
    for number, slide in enumerate(deck.slides, 1):
        for shape in [*slide.shapes, *shapes_of(slide.shapes)]:
            c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]
            decorative = bool(c_nv_pr.xpath(f"./a:extLst/a:ext[@uri='{DECORATIVE}']"))
            if shape.has_text_frame and shape.text_frame.text.strip():
                assert not decorative, (number, shape.name)
                continue
            assert decorative or c_nv_pr.get("descr"), (number, shape.name)


def decorative(shape: object) -> bool:
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]  # type: ignore[attr-defined]
    return bool(c_nv_pr.xpath(f"./a:extLst/a:ext[@uri='{DECORATIVE}']"))


@pytest.mark.parametrize("theme_name", THEMES)
def test_the_risk_matrix_is_read_after_the_list_it_illustrates(
        decks: dict[tuple[str, str], Path], theme_name: str) -> None:
    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    slides = list(deck.slides)
    (at,) = [n for n, s in enumerate(slides) if any(sh.name == "Matrix cell" for sh in s.shapes)]
    shapes = [shape for shape in slides[at].shapes if not decorative(shape)]
    names = [shape.name for shape in shapes]
    listed = [i for i, shape in enumerate(shapes)
              if shape.name == "Text" and re.match(r"\d+ ", shape.text_frame.text)]
    matrix = [i for i, name in enumerate(names) if name.startswith(("Risk ", "Axis"))]
    assert matrix
    # Title, the numbered risks in order, then the matrix, then the footer.
    assert names[0].startswith("Title") and names[-2:] == ["Footer", "Slide number"]
    if not listed:  # the matrix has a slide of its own and the list follows it
        following = [sh.text_frame.text for sh in slides[at + 1].shapes if sh.name == "Text"]
        assert following[0].startswith("1 ")
        return
    assert [shapes[i].text_frame.text.split()[0] for i in listed] == [
        str(n) for n in range(1, len(listed) + 1)]
    assert max(listed) < min(matrix)
    assert all(decorative(sh) for sh in slides[at].shapes if sh.name == "Matrix cell")


@pytest.mark.parametrize("theme_name", THEMES)
def test_the_predictions_are_grouped_row_by_row_in_the_order_written(
        decks: dict[tuple[str, str], Path], theme_name: str) -> None:
    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    groups = [shape for slide in deck.slides for shape in slide.shapes
              if shape.shape_type == MSO_SHAPE_TYPE.GROUP]
    rows = [g for g in groups if not g.name.endswith("(cont.)")]
    assert [g.name for g in rows] == [f"Prediction {n}" for n in range(1, len(rows) + 1)]
    assert len(rows) == 4
    for group in rows:
        # Each row's number, prediction, horizon and confidence, in reading order.
        names = [sh.name for sh in group.shapes if not decorative(sh)]
        assert names == ["Number", "Prediction", "Horizon", "Confidence"]
        number = next(sh for sh in group.shapes if sh.name == "Number")
        assert group.name == f"Prediction {number.text_frame.text}"


@pytest.mark.parametrize("theme_name", THEMES)
def test_runs_carry_the_briefs_language_and_cjk_runs_their_own(
        decks: dict[tuple[str, str], Path], theme_name: str) -> None:
    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    languages: dict[str, set[str]] = {}
    for slide in deck.slides:
        for r in slide.shapes._spTree.iter(qn("a:r")):
            text = r.findtext(qn("a:t")) or ""
            languages.setdefault(r.find(qn("a:rPr")).get("lang"), set()).add(text)
    assert set(languages) == {"en", "zh-CN"}
    assert all(any("\u4e00" <= c <= "\u9fff" for c in t) for t in languages["zh-CN"])


@pytest.mark.parametrize("theme_name", THEMES)
def test_runs_follow_the_theme_fonts_and_colours(decks: dict[tuple[str, str], Path],
                                                 theme_name: str) -> None:
    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    title = deck.slides[1].shapes.title._element
    run = next(title.iter(qn("a:rPr")))
    assert run.find(qn("a:latin")).get("typeface") == "+mj-lt"
    assert run.find(qn("a:ea")).get("typeface") == "+mj-ea"
    colors = load_theme(theme_name).colors
    wanted = "tx1" if colors.primary == colors.text else "tx2"  # a colour takes its first slot
    assert run.find(f"{qn('a:solidFill')}/{qn('a:schemeClr')}").get("val") == wanted
    body = [r for s in deck.slides for r in s.shapes._spTree.iter(qn("a:rPr"))
            if r.find(qn("a:latin")).get("typeface") == "+mn-lt"]
    assert body
    # A colour with a slot in the scheme is written as that slot; the others (muted text,
    # the accent, risk tones, mixes) stay literal.
    slotted = {colors.text, colors.background, colors.primary, colors.surface,
               *colors.series[:6]}
    literal = {c.get("val") for s in deck.slides
               for c in s.shapes._spTree.iter(qn("a:srgbClr"))}
    assert literal and not literal & slotted


@pytest.mark.parametrize("theme_name", THEMES)
def test_a_slide_added_from_each_layout_has_the_decks_size_and_look(
        decks: dict[tuple[str, str], Path], theme_name: str, tmp_path: Path) -> None:
    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    theme = load_theme(theme_name)
    for layout in deck.slide_layouts:
        slide = deck.slides.add_slide(layout)
        for shape in slide.placeholders:
            assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width
            assert shape.top >= 0 and shape.top + shape.height <= deck.slide_height
    styles = deck.slide_master._element.find(qn("p:txStyles"))
    title = styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    assert title.get("sz") == str(round(theme.sizes.deck.title * 100))
    assert title.find(qn("a:latin")).get("typeface") == "+mj-lt"
    deck.save(str(tmp_path / "added.pptx"))
    Presentation(str(tmp_path / "added.pptx"))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("theme_name", THEMES)
def test_slides_added_from_each_layout_render_at_the_decks_size(
        decks: dict[tuple[str, str], Path], theme_name: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    deck = Presentation(str(decks[(SAMPLE.stem, theme_name)]))
    # Only the added slides: the deck's own are dropped from the slide list.
    listed = deck.slides._sldIdLst
    for entry in list(listed):
        deck.part.drop_rel(entry.rId)
        listed.remove(entry)
    marks: list[list[str]] = []
    for number, layout in enumerate(deck.slide_layouts):
        slide = deck.slides.add_slide(layout)
        marks.append([])
        for shape in slide.placeholders:
            mark = f"Mark{number}x{shape.placeholder_format.idx}"
            shape.text_frame.text = mark
            marks[-1].append(mark)
    assert sum(map(len, marks)) >= 2 * len(marks) - 2  # all but Blank have a title and more
    path = tmp_path / "added.pptx"
    deck.save(str(path))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pages = PdfReader(tmp_path / "added.pdf").pages
    assert len(pages) == len(marks)
    width, height = deck.slide_width / 12700, deck.slide_height / 12700  # EMU to points
    for page, wanted in zip(pages, marks, strict=True):
        box = page.mediabox
        assert abs(float(box.width) - width) < 1 and abs(float(box.height) - height) < 1
        seen: dict[str, tuple[float, float]] = {}

        def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object,
                  seen: dict[str, tuple[float, float]] = seen) -> None:
            # The text's origin on the page: the text matrix's origin through the CTM.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            for word in text.split():
                seen.setdefault(word.lower(), (x, y))  # a layout may set its title in capitals

        page.extract_text(visitor_text=visit)
        for mark in wanted:
            # Each placeholder's text is drawn, and inside the page.
            assert mark.lower() in seen, (mark, sorted(seen))
            x, y = seen[mark.lower()]
            assert 0 <= x < width and 0 < y <= height, (mark, x, y)


def render_pages(path: Path, folder: Path) -> list[Path]:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(folder / f"{path.stem}.pdf"),
                    str(folder / "page")], check=True, timeout=120)
    return sorted(folder.glob("page-*.png"))


def retheme(path: Path, target: Path) -> None:
    """The deck with other theme colours and fonts, as PowerPoint's Design tab would set."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "ppt/theme/theme1.xml":
                root = etree.fromstring(data)
                scheme = root.find(f".//{qn('a:clrScheme')}")
                for slot, color in (("dk1", "B00000"), ("dk2", "00A040"), ("lt2", "FFE080"),
                                    ("accent1", "FF00FF")):
                    scheme.find(qn(f"a:{slot}"))[0].set("val", color)
                for which in ("a:majorFont", "a:minorFont"):
                    root.find(f".//{qn(which)}/{qn('a:latin')}").set("typeface",
                                                                     "Liberation Mono")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            out.writestr(info, data)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice and poppler are not installed")
def test_changing_the_theme_changes_every_slide(decks: dict[tuple[str, str], Path],
                                                tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    path = decks[(SAMPLE.stem, "corporate")]
    retheme(path, tmp_path / "rethemed.pptx")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = render_pages(path, tmp_path / "a")
    after = render_pages(tmp_path / "rethemed.pptx", tmp_path / "b")
    assert len(before) == len(after) == len(Presentation(str(path)).slides)
    deck = Presentation(str(path))
    for number, (a, b, slide) in enumerate(zip(before, after, deck.slides, strict=True), 1):
        one, two = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
        scale = one.size[0] / deck.slide_width

        def changed(box: tuple[int, int, int, int], one: Image.Image = one,
                    two: Image.Image = two) -> float:
            region = ImageChops.difference(one.crop(box), two.crop(box)).convert("L")
            pixels = region.point(lambda v: 255 if v > 40 else 0).histogram()[255]
            return pixels / max(1, (box[2] - box[0]) * (box[3] - box[1]))

        title = slide.shapes.title
        title_box = tuple(round(emu * scale) for emu in (
            title.left, title.top, title.left + title.width, title.top + title.height))
        width, height = one.size
        body_box = (0, title_box[3], width, round(height * 0.9))
        assert changed(title_box) > 0.02, f"slide {number}: the title"
        assert changed(body_box) > 0.002, f"slide {number}: the body"


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_the_slide_number_is_a_field_in_the_layouts_number_placeholder(
        decks: dict[tuple[str, str], Path], case: tuple[str, str]) -> None:
    deck = Presentation(str(decks[case]))
    for number, slide in enumerate(deck.slides, 1):
        kinds = {str(s.placeholder_format.type).split()[0]: s for s in slide.placeholders}
        assert {"SLIDE_NUMBER", "FOOTER"} <= set(kinds), number
        fields = kinds["SLIDE_NUMBER"]._element.findall(f".//{qn('a:fld')}")
        assert [f.get("type") for f in fields] == ["slidenum"]
        assert fields[0].findtext(qn("a:t")) == str(number)
        # Title first in reading order, footer and number last.
        shapes = list(slide.shapes)
        assert shapes.index(slide.shapes.title) <= 2 and shapes[-1] in kinds.values()


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_the_deck_passes_the_ooxml_schema_check(decks: dict[tuple[str, str], Path],
                                                case: tuple[str, str]) -> None:
    import sys

    checker = shutil.which("openxml-audit") or str(Path(sys.executable).parent /
                                                    "openxml-audit")
    done = subprocess.run([checker, str(decks[case])], capture_output=True, text=True,
                          timeout=120)
    assert "Errors: 0" in done.stdout, done.stdout
