"""What no slide can hold is split, shrunk or cut with a located warning: titles keep the body
its room, and the messages are those of the layout that was kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.brief.loader import load_brief
from briefgen.layout import plan
from briefgen.layout.deck import plan_deck
from briefgen.layout.messages import LayoutMessage
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES
from tests.deckcheck import flat, problems

THEMES = sorted(available())
WORDS = "the freight market tightens while capacity stays flat through the quarter "


def planned(tmp_path: Path, brief: dict[str, Any], theme: str = "corporate"
            ) -> tuple[plan.DeckPlan, list[LayoutMessage]]:
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    deck, messages = plan_deck(load_brief(path), load_theme(theme), {})
    assert problems(deck) == []
    return deck, messages


def brief_with(**parts: Any) -> dict[str, Any]:
    return {"meta": {"title": "Fit", "date": "2026-04-15"},
            "thesis": {"headline": "Everything fits"}, **parts}


def texts(slide: plan.Slide, name: str) -> list[str]:
    return ["".join(s.text for p in item.paras for s in p.spans) for item in flat(slide.items)
            if isinstance(item, plan.TextBox) and item.name == name]


@pytest.mark.parametrize("theme", THEMES)
def test_a_headline_of_1500_characters_is_cut_and_every_slide_shows_its_body(
        tmp_path: Path, theme: str) -> None:
    brief = brief_with(thesis={"headline": (WORDS * 20)[:1500],
                               "summary": "\n\n".join([WORDS * 6] * 8)})
    deck, messages = planned(tmp_path, brief, theme)
    summary = [s for s in deck.slides if s.kind == "summary"]
    assert 1 < len(summary) < 6
    for slide in summary:
        (title,) = [i for i in slide.items if i.name == "Title"]
        assert title.h <= deck.height * 0.25 + 1
        assert texts(slide, "Text"), "the body has its room"
    assert texts(summary[0], "Title")[0].endswith("…")
    assert [texts(s, "Title")[0].rsplit("…", 1)[1] for s in summary[1:]] == [
        " (cont.)", *(f" (cont. {n})" for n in range(2, len(summary)))]
    assert [m.key for m in messages if "title cut" in m.text] == ["thesis.headline"]


@pytest.mark.parametrize("theme", THEMES)
def test_a_horizon_of_200_characters_is_cut_to_three_lines_with_a_warning(
        tmp_path: Path, theme: str) -> None:
    brief = brief_with(predictions=[{"statement": "Rates rise", "horizon": (WORDS * 3)[:200],
                                     "confidence": 0.4}])
    deck, messages = planned(tmp_path, brief, theme)
    (slide,) = [s for s in deck.slides if s.kind == "predictions"]
    (horizon,) = texts(slide, "Horizon")
    assert horizon.endswith("…")
    assert any(m.key == "predictions[0].horizon" and m.level == "warning" for m in messages)


@pytest.mark.parametrize("theme", THEMES)
def test_a_player_card_taller_than_a_slide_continues_on_the_next(tmp_path: Path,
                                                                 theme: str) -> None:
    note = " ".join(f"({n}) {WORDS}" for n in range(60))
    brief = brief_with(sections=[{"title": "People", "blocks": [{"players": [
        {"name": "Ada", "note": note}, {"name": "Lin", "note": "Short."}]}]}])
    deck, _ = planned(tmp_path, brief, theme)
    shown = " ".join(t for s in deck.slides for t in texts(s, "Card text"))
    assert all(f"({n})" in shown for n in range(60))
    assert sum(bool(texts(s, "Card text")) for s in deck.slides) > 1


@pytest.mark.parametrize("theme", THEMES)
def test_a_verdict_headline_taller_than_a_slide_continues_on_the_next(tmp_path: Path,
                                                                      theme: str) -> None:
    headline = " ".join(f"({n}) {WORDS}" for n in range(40))
    deck, _ = planned(tmp_path, brief_with(verdict={"headline": headline}), theme)
    shown = " ".join(t for s in deck.slides for t in texts(s, "Verdict"))
    assert all(f"({n})" in shown for n in range(40))


@pytest.mark.parametrize("theme", THEMES)
def test_a_long_classification_is_cut_in_the_footer_once_with_a_warning(tmp_path: Path,
                                                                        theme: str) -> None:
    brief = brief_with()
    brief["meta"]["classification"] = (WORDS * 4)[:260]
    deck, messages = planned(tmp_path, brief, theme)
    for slide in deck.slides:
        (footer,) = texts(slide, "Footer")
        assert footer.endswith("…")
    assert [m.key for m in messages if "footer" in m.text] == ["meta.classification"]


def shrink_notes(messages: list[LayoutMessage]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for message in messages:
        if match := re.fullmatch(r"text shrunk to ([\d.]+) pt to fit the slide", message.text):
            found.setdefault(message.key, []).append(float(match.group(1)))
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_a_table_says_only_the_size_it_is_drawn_at(tmp_path: Path, theme: str) -> None:
    # Long words shrink the table's text a little at the theme's sizes; the paragraphs after
    # it make the section shrink further to stay on one slide. Only the kept attempt speaks.
    columns = ["Internationalisation", "Decarbonisation", "Electrification", "Containerisation",
               "Liberalisation", "Standardisation", "Industrialisation"]
    table = {"columns": columns, "rows": [[f"{w} {n}" for w in columns] for n in range(4)]}
    brief = brief_with(sections=[{"title": "Tables", "blocks": [
        {"table": table}, {"text": "\n\n".join([WORDS * 5] * 4)}]}])
    deck, messages = planned(tmp_path, brief, theme)
    (drawn,) = {item.rows[1][0].paras[0].style.size for s in deck.slides for item in s.items
                if isinstance(item, plan.Table)}
    assert drawn < load_theme(theme).sizes.deck.table
    assert any("shrunk" in m.text for m in messages)
    for key, sizes in shrink_notes(messages).items():
        assert key == "sections[0].blocks[0].table"
        assert sizes == [drawn]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_table_of_the_fixtures_says_at_most_the_size_it_is_drawn_at(path: Path,
                                                                          theme: str) -> None:
    brief = load_brief(path)
    _, messages = plan_deck(brief, load_theme(theme), None)
    for sizes in shrink_notes(messages).values():
        assert len(sizes) == 1


def test_a_piece_too_tall_for_a_first_slide_under_a_long_title_goes_to_the_next() -> None:
    """A first slide's body is shorter than the next ones' when its title is long: a piece
    that cannot split and fits only a fresh slide goes there, and the first slide keeps its
    title alone; one taller than any slide is left out with a warning."""
    from briefgen.layout.deck.flow import Piece, pack

    band = Piece(200.0, draw=lambda x, y, w, h: [], key="sections[0].blocks[0]")
    slides, said = pack([band], (100.0, 300.0))
    assert [[piece for piece, _ in slide] for slide in slides] == [[], [band]]
    assert said == []
    huge = Piece(400.0, draw=lambda x, y, w, h: [], key="sections[0].blocks[1]")
    _, said = pack([huge], (100.0, 300.0))
    assert [(m.key, m.level) for m in said] == [("sections[0].blocks[1]", "warning")]


@pytest.mark.parametrize("theme", THEMES)
def test_a_quote_too_tall_for_a_band_flows_with_its_marks_and_attribution(
        tmp_path: Path, theme: str) -> None:
    quote = " ".join([WORDS] * 30)
    deck, _ = planned(tmp_path, brief_with(sections=[{"title": "Voices", "blocks": [
        {"quote": {"text": quote, "by": "Ada Lovelace, analyst"}}]}]), theme)
    shown = " ".join(t for slide in deck.slides if slide.kind == "section"
                     for t in texts(slide, "Text") + texts(slide, "Content Placeholder 2"))
    assert not [i for s in deck.slides for i in s.items if i.name == "Band text"], "it flows"
    assert shown.startswith("“") and "”" in shown
    assert "— Ada Lovelace, analyst" in shown


@pytest.mark.parametrize("theme", THEMES)
def test_column_headings_taller_than_a_slide_are_cut_and_every_row_is_drawn(
        tmp_path: Path, theme: str) -> None:
    """The header is repeated on each slide a table takes: headings that would fill a slide
    are cut to a third of it, with a warning, and the rows follow instead of the table
    being left out."""
    heading = (WORDS * 40).strip()
    table = {"columns": [heading, "Value"],
             "rows": [[f"Row {n}", str(n)] for n in range(12)]}
    deck, messages = planned(tmp_path, brief_with(sections=[{"title": "Tables", "blocks": [
        {"table": table}]}]), theme)
    tables = [item for s in deck.slides for item in s.items if isinstance(item, plan.Table)]
    assert tables, "the table is drawn"
    body_rows = [row for t in tables for row in t.rows[1:]]
    assert [row[0].paras[0].spans[0].text for row in body_rows] == [
        f"Row {n}" for n in range(12)]
    head = "".join(s.text for s in tables[0].rows[0][0].paras[0].spans)
    assert head.endswith("…") and tables[0].row_heights[0] <= deck.height / 3
    assert [m.key for m in messages if "headings cut" in m.text] == [
        "sections[0].blocks[0].table"]
    assert not [m for m in messages if "left out" in m.text]
