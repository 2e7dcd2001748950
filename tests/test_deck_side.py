"""Slides a consultant would present: an exhibit beside its commentary on the Two Content
layout when both fit that way, continuation slides at least a third full, notes given once,
predictions in the order written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from briefgen.brief.loader import load_brief
from briefgen.build import build
from briefgen.errors import BriefError
from briefgen.layout import plan
from briefgen.layout.deck import plan_deck
from briefgen.theme.loader import available, load_theme
from tests.conftest import ROOT
from tests.deckcheck import flat, measured_height, problems
from tests.test_deck_fit import WORDS, planned

THEMES = sorted(available())
SAMPLES = [ROOT / "briefs" / "alibaba-one-ai.yaml", ROOT / "briefs" / "cloud-infrastructure.yaml"]
FRAME = {"Title", "Kicker", "Rule", "Band", "Footer", "Slide number", "Logo"}
CHART = {"chart": {"title": "Spending by quarter", "type": "column", "unit": "USD bn",
                   "categories": ["Q1", "Q2", "Q3", "Q4"],
                   "series": [{"name": "Spending", "values": [79, 84, 91, 99]}],
                   "takeaway": "Four quarters of growth."}}
WIDE_TABLE = {"table": {"columns": [f"Column {n}" for n in range(8)],
                        "rows": [[f"{WORDS[:40]} {n}" for n in range(8)] for _ in range(4)]}}


def brief_with(*blocks: dict[str, Any], **section: Any) -> dict[str, Any]:
    return {"meta": {"title": "Side", "date": "2026-04-15"},
            "thesis": {"headline": "Exhibits sit beside their text"},
            "sections": [{"title": "Market", "lead": "Growth is back.", "blocks": list(blocks),
                          **section}]}


def sections(deck: plan.DeckPlan) -> list[plan.Slide]:
    return [s for s in deck.slides if s.kind == "section"]


def body(slide: plan.Slide) -> list[plan.Item]:
    return [i for i in flat(slide.items) if i.name not in FRAME]


def title_text(slide: plan.Slide) -> str:
    (title,) = [i for i in slide.items if isinstance(i, plan.TextBox) and i.name == "Title"]
    return "".join(s.text for p in title.paras for s in p.spans)


def fill(slide: plan.Slide, deck: plan.DeckPlan) -> float:
    """How much of the body under the title the slide's content takes, 0 to 1."""
    under = [i for i in slide.items if i.name in ("Rule", "Title")]
    top = max(i.y + i.h for i in under) + 16
    items = body(slide)
    bottom = max((i.y + i.h for i in items), default=top)
    return (bottom - top) / (deck.height - 40 - top)


@pytest.mark.parametrize("theme", THEMES)
def test_a_chart_and_a_paragraph_share_a_two_content_slide_side_by_side(
        tmp_path: Path, theme: str) -> None:
    deck, _ = planned(tmp_path, brief_with({"text": WORDS * 3}, CHART), theme)
    (slide,) = sections(deck)
    assert slide.layout == "Two Content"
    (chart,) = [i for i in slide.items if isinstance(i, plan.Chart)]
    text = [i for i in body(slide) if isinstance(i, plan.TextBox) and i.name == "Text"]
    # The text, written first, on the left; the chart (with its title) in the right half.
    left = [t for t in text if t.x < chart.x]
    assert left and all(t.x + t.w <= chart.x for t in left)
    assert all(t.x == chart.x for t in text if t not in left)
    assert chart.x > deck.width / 2 - 20 and chart.y < left[0].y + 40
    assert chart.w < deck.width / 2


@pytest.mark.parametrize("theme", ["corporate", "midnight"])
def test_a_chart_and_its_table_share_a_slide_one_in_each_half(tmp_path: Path,
                                                              theme: str) -> None:
    table = {"table": {"columns": ["Quarter", "Spending"],
                       "rows": [["Q1", "79"], ["Q2", "84"], ["Q3", "91"], ["Q4", "99"]]}}
    deck, _ = planned(tmp_path, brief_with(CHART, table), theme)
    (slide,) = sections(deck)
    assert slide.layout == "Two Content"
    (chart,) = [i for i in slide.items if isinstance(i, plan.Chart)]
    (drawn,) = [i for i in slide.items if isinstance(i, plan.Table)]
    assert chart.x + chart.w <= drawn.x and drawn.x + drawn.w <= deck.width - 40
    assert (chart.name, drawn.name) == ("Chart 1", "Table (table 1)")


def test_a_wide_table_keeps_the_width_and_its_text_flows_full_width(tmp_path: Path) -> None:
    deck, _ = planned(tmp_path, brief_with(WIDE_TABLE, {"text": "Read the table row by row."}))
    assert "Two Content" not in {s.layout for s in sections(deck)}  # full width
    tables = [i for s in sections(deck) for i in s.items if isinstance(i, plan.Table)]
    assert tables and tables[0].w > deck.width * 0.8


def test_layout_full_keeps_an_exhibit_full_width(tmp_path: Path) -> None:
    deck, _ = planned(tmp_path, brief_with({"text": WORDS * 3}, CHART, layout="full"))
    (slide,) = sections(deck)
    assert slide.layout != "Two Content"  # full width
    (chart,) = [i for i in slide.items if isinstance(i, plan.Chart)]
    assert chart.w > deck.width * 0.8


def test_layout_side_puts_a_wide_table_beside_its_text_shrunk_within_the_floor(
        tmp_path: Path) -> None:
    table = {"table": {"columns": ["Provider", "Revenue", "Growth", "What drives it"],
                       "rows": [["Amazon Web Services", "$30.9bn", "17.5%",
                                 "Largest installed base; custom chips"] for _ in range(3)]}}
    deck, _ = planned(tmp_path, brief_with({"text": WORDS}, table, layout="side"))
    (slide,) = sections(deck)
    assert slide.layout == "Two Content"
    (drawn,) = [i for i in slide.items if isinstance(i, plan.Table)]
    assert drawn.x > deck.width / 2 - 20
    sizes = {p.style.size for row in drawn.rows for cell in row for p in cell.paras}
    assert min(sizes) >= load_theme("corporate").sizes.deck.table_floor


def test_layout_side_that_cannot_be_says_why_and_lays_the_section_out_full_width(
        tmp_path: Path) -> None:
    deck, messages = planned(tmp_path, brief_with({"text": WORDS}, {"bullets": ["One"]},
                                                  layout="side"))
    assert "Two Content" not in {s.layout for s in sections(deck)}  # full width
    assert [(m.level, m.key, m.text) for m in messages if m.key.endswith(".layout")] == [
        ("warning", "sections[0].layout",
         "side by side needs a chart, table or image and text blocks, or two such exhibits; "
         "laid out full width")]


def test_a_section_layout_other_than_side_or_full_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text('meta: {title: "T", date: 2026-04-15}\nthesis: {headline: "H"}\n'
                    'sections:\n  - title: "S"\n    layout: sideways\n'
                    '    blocks: [{text: "x"}]\n')
    with pytest.raises(BriefError) as caught:
        load_brief(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5:13: sections[0].layout: 'sideways' is not one of 'side' or 'full' — "
        "did you mean 'side'?"]


@pytest.mark.parametrize("theme", THEMES)
def test_no_continuation_slide_is_less_than_a_third_full(tmp_path: Path, theme: str) -> None:
    # Two slides and a little: the remainder moves back or the slides are rebalanced.
    for paragraphs in range(10, 30, 3):
        text = "\n\n".join(f"({n}) {WORDS * 3}" for n in range(paragraphs))
        deck, _ = planned(tmp_path, brief_with({"text": text}, notes="Say it once."), theme)
        slides = sections(deck)
        assert len(slides) > 1
        assert [round(fill(s, deck), 2) >= 1 / 3 for s in slides[1:]] == [True] * len(
            slides[1:]), paragraphs
        assert [s.notes for s in slides] == ["Say it once.", *[""] * (len(slides) - 1)]


def test_notes_of_several_paragraphs_are_split_over_a_sections_slides(tmp_path: Path) -> None:
    text = "\n\n".join(f"({n}) {WORDS * 4}" for n in range(12))
    notes = "\n\n".join(f"Point {n}." for n in range(4))
    deck, _ = planned(tmp_path, brief_with({"text": text}, notes=notes))
    slides = sections(deck)
    assert len(slides) >= 2
    shown = [s.notes for s in slides]
    assert "\n\n".join(n for n in shown if n) == notes
    assert shown[0].startswith("Point 0.") and shown[-1].endswith("Point 3.")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("theme", THEMES)
def test_the_samples_continue_only_onto_slides_at_least_a_third_full(
        sample: Path, theme: str) -> None:
    deck, _ = plan_deck(load_brief(sample), load_theme(theme), {})
    assert problems(deck) == []
    continued = [s for s in deck.slides if re.search(r"\(cont", title_text(s))]
    assert all(fill(s, deck) >= 1 / 3 for s in continued), [
        (title_text(s), round(fill(s, deck), 2)) for s in continued if fill(s, deck) < 1 / 3]
    by_kind: dict[str, list[str]] = {}
    for slide in deck.slides:
        if slide.notes:
            by_kind.setdefault(slide.kind, []).append(slide.notes)
    assert all(len(set(n)) == len(n) for n in by_kind.values()), "notes are never repeated"
    if sample.stem == "cloud-infrastructure":
        assert sum(s.layout == "Two Content" for s in deck.slides) >= 1


@pytest.mark.parametrize("theme", THEMES)
def test_the_numbers_sample_puts_an_exhibit_beside_its_commentary_in_the_deck(
        tmp_path: Path, theme: str) -> None:
    path = build(SAMPLES[1], theme=theme, out=tmp_path, formats=["pptx"]).outputs["pptx"]
    deck = Presentation(str(path))
    side = [s for s in deck.slides if s.slide_layout.name == "Two Content"]
    assert side
    half = deck.slide_width / 2
    for slide in side:
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text
        exhibits = [sh for sh in slide.shapes if sh.has_chart or sh.has_table]
        # An exhibit in one half, its commentary (or a second exhibit) in the other.
        halves = {sh.left + sh.width <= half for sh in exhibits}
        if len(exhibits) == 1:
            exhibit_left = halves.pop()
            assert any((w.left + w.width <= half) != exhibit_left for w in slide.shapes
                       if w.name == "Text")
        else:
            assert halves == {True, False}
        assert not [sh for sh in slide.placeholders if not sh.text_frame.text]


@pytest.mark.parametrize("theme", THEMES)
def test_predictions_come_in_the_order_written(tmp_path: Path, theme: str) -> None:
    horizons = ["24 months", "6 months", "2027-Q2", "by 2030"]
    brief = brief_with({"text": "x"})
    brief["predictions"] = [{"statement": f"Statement {n}", "horizon": h}
                            for n, h in enumerate(horizons, 1)]
    deck, _ = planned(tmp_path, brief, theme)
    numbers = [i.text.paras[0].spans[0].text for s in deck.slides for i in flat(s.items)
               if isinstance(i, plan.Shape) and i.name == "Number" and i.text]
    assert numbers == ["1", "2", "3", "4"]
    groups = [i for s in deck.slides for i in s.items if isinstance(i, plan.Group)]
    assert [g.name for g in groups] == [f"Prediction {n}" for n in range(1, 5)]
    notes = "\n\n".join(s.notes for s in deck.slides if s.kind == "predictions")
    assert notes == "\n\n".join(f"Statement {n} ({h})" for n, h in enumerate(horizons, 1))


def test_the_risk_matrix_names_each_marker_and_stands_its_impact_axis_upright(
        tmp_path: Path) -> None:
    brief = brief_with({"text": "x"})
    brief["risks"] = [{"title": "Capacity shortfall", "likelihood": "medium", "impact": "high"},
                      {"title": "Price rises", "likelihood": "low", "impact": "low"}]
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(brief))
    pptx = build(path, out=tmp_path / "out", formats=["pptx"]).outputs["pptx"]
    slide = next(s for s in Presentation(str(pptx)).slides
                 if any(sh.name == "Matrix cell" for sh in s.shapes))
    markers = {sh.name: sh._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
               for sh in slide.shapes if sh.name.startswith("Risk ")}
    assert markers == {"Risk 1": "1. Capacity shortfall (Likelihood: Medium, Impact: High)",
                       "Risk 2": "2. Price rises (Likelihood: Low, Impact: Low)"}
    titles = [sh for sh in slide.shapes if sh.name == "Axis title"]
    upright = [sh for sh in titles if sh.rotation == 270]
    assert [sh.text_frame.text for sh in upright] == ["Impact →"]
    # Upright, it stands left of the matrix, clear of the slide's title and its rule.
    cells = [sh for sh in slide.shapes if sh.name == "Matrix cell"]
    title = slide.shapes.title
    centre_y = upright[0].top + upright[0].height / 2
    assert upright[0].left + upright[0].width / 2 < min(c.left for c in cells)
    assert centre_y - upright[0].width / 2 > title.top + title.height
    assert not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.GROUP]


@pytest.mark.parametrize("theme", THEMES)
def test_a_title_takes_the_height_of_its_lines_and_the_body_starts_under_it(
        tmp_path: Path, theme: str) -> None:
    long_lead = "Capacity, not price, decides who wins the next two years of this market race."
    for lead in ("Growth is back.", long_lead * 2):
        brief = brief_with({"text": "Body text."})
        brief["sections"][0]["lead"] = lead
        deck, _ = planned(tmp_path, brief, theme)
        (slide,) = sections(deck)
        (title,) = [i for i in slide.items if isinstance(i, plan.TextBox) and i.name == "Title"]
        style = title.paras[0].style
        assert title.h == pytest.approx(measured_height(title))
        if lead == "Growth is back.":
            assert title.h == pytest.approx(style.size * style.line_spacing)
        (text,) = [i for i in body(slide) if i.name == "Text"]
        assert title.y + title.h < text.y <= title.y + title.h + 30


@pytest.mark.parametrize("theme", THEMES)
def test_the_built_samples_continue_onto_slides_at_least_a_third_full(
        tmp_path: Path, theme: str) -> None:
    for sample in SAMPLES:
        path = build(sample, theme=theme, out=tmp_path, formats=["pptx"]).outputs["pptx"]
        deck = Presentation(str(path))
        footer_top = min(sh.top for s in deck.slides for sh in s.shapes if sh.name == "Footer")
        for slide in deck.slides:
            title = slide.shapes.title
            if "(cont" not in title.text_frame.text:
                continue
            shapes = [sh for sh in slide.shapes
                      if sh.name not in FRAME and sh.top > title.top + title.height]
            top = min(sh.top for sh in shapes)
            bottom = max(sh.top + sh.height for sh in shapes)
            assert bottom - top >= (footer_top - top) / 3, (sample.stem, title.text_frame.text)


def test_the_memo_lists_predictions_in_the_order_written_too(tmp_path: Path) -> None:
    from pypdf import PdfReader

    brief = brief_with({"text": "x"})
    brief["predictions"] = [{"statement": f"Statement {n}", "horizon": h}
                            for n, h in enumerate(["24 months", "6 months", "by 2030"], 1)]
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(brief))
    pdf = build(path, out=tmp_path / "out", formats=["pdf"]).outputs["pdf"]
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    at = [text.index(f"Statement {n}") for n in (1, 2, 3)]
    assert at == sorted(at)


def test_on_a_template_the_two_areas_are_its_two_content_placeholders(tmp_path: Path) -> None:
    from tests.test_template import make_theme

    theme = make_theme(tmp_path)
    chart = {"chart": {**CHART["chart"], "takeaway": None}}
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(brief_with({"text": "Growth is back."}, chart)))
    pptx = build(path, theme=str(theme), out=tmp_path / "out", formats=["pptx"]).outputs["pptx"]
    deck = Presentation(str(pptx))
    (slide,) = [s for s in deck.slides if s.slide_layout.name == "Two Content"]
    bodies = sorted((ph.left, ph.left + ph.width) for ph in slide.slide_layout.placeholders
                    if ph.placeholder_format.idx in (1, 2))
    (frame,) = [sh for sh in slide.shapes if sh.has_chart]
    (text,) = [sh for sh in slide.shapes if sh.name == "Text" and "Growth" in sh.text_frame.text]
    assert bodies[0][0] <= text.left and text.left + text.width <= bodies[0][1] + 12700
    assert bodies[1][0] <= frame.left and frame.left + frame.width <= bodies[1][1] + 12700
