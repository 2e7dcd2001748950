"""The deck: each part of the brief becomes its kind of slide, drawn with native parts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from briefgen.brief.loader import load_brief
from briefgen.build import build, image_sizes
from briefgen.layout.deck import plan_deck
from briefgen.render.pptx import render_pptx
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES

EVERY_BLOCK = FIXTURES / "every-block.yaml"


@pytest.fixture(scope="module", params=sorted(available()))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"deck-{request.param}")
    return build(EVERY_BLOCK, theme=str(request.param), out=out, formats=["pptx"]).outputs["pptx"]


def test_each_part_of_the_brief_has_its_kind_of_slide() -> None:
    brief = load_brief(EVERY_BLOCK)
    deck, _ = plan_deck(brief, load_theme("corporate"), image_sizes(brief, FIXTURES))
    kinds = [slide.kind for slide in deck.slides]
    assert kinds[:3] == ["title", "summary", "agenda"]
    for kind in ("section", "risks", "verdict", "predictions", "conclusion", "sources"):
        assert kind in kinds


def test_charts_are_native_and_editable_with_alt_text(built: Path) -> None:
    deck = Presentation(str(built))
    frames = [s for slide in deck.slides for s in slide.shapes if s.has_chart]
    types = {frame.chart.chart_type for frame in frames}
    assert {XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.COLUMN_CLUSTERED,
            XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.PIE} <= types
    for frame in frames:
        assert frame.chart.part.chart_workbook.xlsx_part is not None  # data stays editable
        assert frame._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
        assert frame.chart.plots[0].has_data_labels


def test_pictures_carry_their_alt_text(built: Path) -> None:
    deck = Presentation(str(built))
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert pictures
    assert all(p._element.xpath("./*[1]/p:cNvPr")[0].get("descr") for p in pictures)


def test_section_notes_and_condensed_parts_are_in_the_speaker_notes(built: Path) -> None:
    brief = load_brief(EVERY_BLOCK)
    deck = Presentation(str(built))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides
                      if s.has_notes_slide)
    for section in brief.sections:
        assert section.notes is not None
        assert section.notes.plain in notes
    assert brief.thesis.summary is not None
    assert brief.thesis.summary.plain.split("\n\n")[0] in notes


def test_each_slide_with_notes_has_a_notes_slide_of_its_own() -> None:
    brief = load_brief(EVERY_BLOCK)
    plan, _ = plan_deck(brief, load_theme("corporate"), image_sizes(brief, FIXTURES))
    deck = Presentation(io.BytesIO(render_pptx(plan, FIXTURES)))
    assert sum(bool(planned.notes) for planned in plan.slides) > 2
    part_names = []
    for planned, slide in zip(plan.slides, deck.slides, strict=True):
        assert slide.has_notes_slide == bool(planned.notes)
        if planned.notes:
            notes_part = slide.notes_slide.part
            assert notes_part.part_related_by(RT.SLIDE) is slide.part
            assert slide.notes_slide.notes_text_frame.text == planned.notes
            part_names.append(notes_part.partname)
    assert len(set(part_names)) == len(part_names)


def test_only_web_and_mail_addresses_become_links(built: Path) -> None:
    deck = Presentation(str(built))
    targets = [rel.target_ref for slide in deck.slides for rel in slide.part.rels.values()
               if rel.reltype == RT.HYPERLINK]
    assert "https://example.com/baltic-freight-2026" in targets
    assert all(t.startswith(("http://", "https://", "mailto:")) for t in targets)
    assert not any(t.startswith("ftp:") for t in targets)


def test_every_slide_has_the_footer_and_its_number(built: Path) -> None:
    deck = Presentation(str(built))
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, 1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert f"{number} / {total}" in texts
        assert any(t.startswith("Internal · ") and "2026" in t for t in texts)


def test_the_deck_metadata_comes_from_the_brief(built: Path) -> None:
    props = Presentation(str(built)).core_properties
    assert props.title.startswith("Northwind Cold Chain")
    assert props.author == "Mara Ellison"
    assert props.subject == "Fixture brief that exercises every block type once"
    assert "logistics" in props.keywords
    assert props.language == "en"
