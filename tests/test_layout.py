"""Nothing overflows: every planned box holds its measured text and every shape is on its slide,
for every fixture in every built-in theme; the built deck has an explicit size on every run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from briefgen.brief.loader import load_brief
from briefgen.build import build, image_sizes
from briefgen.layout import plan
from briefgen.layout.deck import plan_deck
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES, SAMPLE
from tests.deckcheck import problems, text_boxes

BRIEFS = [SAMPLE, *sorted(FIXTURES.glob("*.yaml"))]
THEMES = sorted(available())


@pytest.fixture(scope="module", params=THEMES)
def theme_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("brief_path", BRIEFS, ids=lambda p: p.stem)
def test_every_box_holds_its_text_and_every_shape_is_on_its_slide(brief_path: Path,
                                                                  theme_name: str) -> None:
    brief = load_brief(brief_path)
    deck, _ = plan_deck(brief, load_theme(theme_name), image_sizes(brief, brief_path.parent))
    assert problems(deck) == []


@pytest.mark.parametrize("brief_path", BRIEFS, ids=lambda p: p.stem)
def test_every_run_of_the_built_deck_has_an_explicit_size(brief_path: Path, theme_name: str,
                                                          tmp_path: Path) -> None:
    result = build(brief_path, theme=theme_name, out=tmp_path)
    deck = Presentation(str(result.outputs["pptx"]))
    width, height = deck.slide_width, deck.slide_height
    for slide in deck.slides:
        for shape in slide.shapes:
            left, top, w, h = shape.left, shape.top, shape.width, shape.height
            if shape.rotation in (90, 270):  # turned a quarter about its centre
                left, top, w, h = left + (w - h) // 2, top + (h - w) // 2, h, w
            assert left >= 0 and left + w <= width + 1
            assert top >= 0 and top + h <= height + 1
            for run_properties in shape._element.iter(qn("a:rPr")):
                assert run_properties.get("sz") is not None, shape.name
    assert result.pages >= 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_one_page_per_slide(tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = build(SAMPLE, out=tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"),
                    str(result.outputs["pptx"])], check=True, capture_output=True, timeout=180)
    pages = len(PdfReader(str(tmp_path / "lo" / "alibaba-one-ai.pdf")).pages)
    assert pages == result.slides


@pytest.mark.parametrize("brief_path", [SAMPLE, FIXTURES / "every-block.yaml"],
                         ids=lambda p: p.stem)
def test_the_built_deck_passes_the_ooxml_schema_check(brief_path: Path, tmp_path: Path) -> None:
    deck = build(brief_path, out=tmp_path, formats=["pptx"]).outputs["pptx"]
    checker = shutil.which("openxml-audit") or str(Path(sys.executable).parent /
                                                    "openxml-audit")
    done = subprocess.run([checker, str(deck)], capture_output=True, text=True, timeout=120)
    assert "Errors: 0" in done.stdout, done.stdout


def test_a_row_taller_than_a_slide_continues_on_the_next_slides_as_typed(theme_name: str
                                                                         ) -> None:
    brief = load_brief(FIXTURES / "tall-cells.yaml")
    deck, _ = plan_deck(brief, load_theme(theme_name), {})
    typed = brief.sections[0].blocks[0].table
    assert typed is not None
    parts = [item for slide in deck.slides for item in slide.items
             if isinstance(item, plan.Table)]
    assert len(parts) > 3, "the tall rows take several slides"
    for column in range(2):
        shown = "".join(span.text for table in parts for row in table.rows[1:]
                        for para in row[column].paras for span in para.spans)
        wanted = "".join(row[column].plain for row in typed.rows)
        assert "".join(shown.split()) == "".join(wanted.split())
    # The paragraph of 40 line breaks keeps each line whole, in order, across its slides.
    lines = [line for slide in deck.slides for item in slide.items
             for box in text_boxes(item) for para in box.paras
             for line in "".join(s.text for s in para.spans).split("\n")
             if line.startswith("Line ")]
    assert lines == [f"Line {n}: the verdict holds while capital spending stays above plan"
                     for n in range(1, 41)]
