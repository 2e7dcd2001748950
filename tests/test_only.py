"""`only: deck | memo`: one brief, the prose in the memo and the message on the slides."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from pptx import Presentation
from pypdf import PdfReader

from briefgen.brief.loader import load_brief
from briefgen.brief.model import json_schema
from briefgen.build import build
from briefgen.errors import BriefError

BRIEF = """\
meta: {title: "Only test", date: 2026-04-15}
thesis: {headline: "One source, two outputs"}
sections:
  - title: "Section"
    blocks:
      - text: "Memo prose that the deck leaves out."
        only: memo
      - bullets: ["Deck bullet one", "Deck bullet two"]
        only: Deck
      - text: "Shared text."
"""


def deck_text(path: Path) -> str:
    return " ".join(shape.text_frame.text for slide in Presentation(str(path)).slides
                    for shape in slide.shapes if shape.has_text_frame)


def memo_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("theme", ["corporate", "midnight", "print"])
def test_a_block_marked_only_for_one_output_appears_in_that_output_alone(
        theme: str, tmp_path: Path) -> None:
    brief = tmp_path / "only.yaml"
    brief.write_text(BRIEF)
    outputs = build(brief, theme=theme, out=tmp_path / "out").outputs
    deck, memo = deck_text(outputs["pptx"]), memo_text(outputs["pdf"])
    assert "Memo prose" not in deck and "Memo prose" in memo
    assert "Deck bullet one" in deck and "Deck bullet one" not in memo
    assert "Shared text" in deck and "Shared text" in memo


def test_only_takes_deck_or_memo_and_nothing_else(tmp_path: Path) -> None:
    brief = tmp_path / "bad.yaml"
    brief.write_text(BRIEF.replace("only: memo", "only: slides"))
    with pytest.raises(BriefError) as caught:
        load_brief(brief)
    assert [str(p) for p in caught.value.problems] == [
        f"{brief}:7:15: sections[0].blocks[0].only: 'slides' is not one of 'deck' or 'memo' — "
        "write one of these"]


def test_only_is_not_a_block_by_itself(tmp_path: Path) -> None:
    brief = tmp_path / "bad.yaml"
    brief.write_text(BRIEF.replace('      - text: "Shared text."\n', "      - only: memo\n"))
    with pytest.raises(BriefError) as caught:
        load_brief(brief)
    assert [p.message for p in caught.value.problems] == ["a block needs one key"]


@pytest.mark.parametrize(("block", "valid"), [
    ({"text": "x", "only": "memo"}, True),
    ({"text": "x", "only": "DECK"}, True),
    ({"text": "x"}, True),
    ({"only": "memo"}, False),
    ({"text": "x", "bullets": ["y"]}, False),
    ({"text": "x", "bullets": ["y"], "only": "deck"}, False),
    ({"text": "x", "only": "slides"}, False),
])
def test_the_schema_agrees_with_the_loader_on_only(block: dict[str, object], valid: bool) -> None:
    brief = {"meta": {"title": "T", "date": "2026-04-15"}, "thesis": {"headline": "H"},
             "sections": [{"title": "S", "blocks": [block]}]}
    errors = list(Draft202012Validator(json_schema()).iter_errors(brief))
    assert (not errors) is valid, errors
