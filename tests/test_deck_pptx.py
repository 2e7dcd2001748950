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
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from briefgen.build import build
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES, SAMPLE

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
    assert {s.slide_layout.name for s in list(deck.slides)[1:]} == {"Title Only"}
    planned_first = deck.slides[0].shapes.title.text_frame.text
    assert planned_first.startswith(titles[0])


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
