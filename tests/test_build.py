"""The sample brief builds into a deck and a memo that hold the whole article as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from briefgen.brief.loader import load_brief
from briefgen.brief.model import Brief
from tests.conftest import SAMPLE
from tests.extract import deck_text, memo_text, squash


def expected_texts(brief: Brief) -> list[str]:
    """Every part of the brief a reader must find: thesis, titles, cells, risks, calls."""
    texts = [brief.meta.title.plain, brief.thesis.headline.plain]
    for section in brief.sections:
        texts.append(section.title.plain)
        for block in section.blocks:
            if block.table is not None:
                texts.extend(c.plain for c in block.table.columns)
                texts.extend(c.plain for row in block.table.rows for c in row)
                if block.table.takeaway:
                    texts.append(block.table.takeaway.plain)
    texts.extend(r.title.plain for r in brief.risks)
    assert brief.verdict is not None
    texts.append(brief.verdict.headline.plain)
    texts.extend(p.statement.plain for p in brief.predictions)
    texts.extend(s.title.plain for s in brief.sources)
    return texts


@pytest.fixture(scope="module")
def sample() -> Brief:
    return load_brief(SAMPLE)


def test_the_sample_builds_both_files(built_sample: dict[str, Path]) -> None:
    assert set(built_sample) == {"pptx", "pdf"}
    assert all(path.stat().st_size > 10_000 for path in built_sample.values())


def test_the_deck_holds_every_part_of_the_brief(built_sample: dict[str, Path],
                                                 sample: Brief) -> None:
    text = deck_text(built_sample["pptx"])
    missing = [t for t in expected_texts(sample) if squash(t) not in text]
    assert missing == []


def test_the_memo_holds_every_part_of_the_brief(built_sample: dict[str, Path],
                                                 sample: Brief) -> None:
    text = memo_text(built_sample["pdf"])
    missing = [t for t in expected_texts(sample) if squash(t) not in text]
    assert missing == []


def test_the_chinese_source_titles_come_back_exactly_from_the_memo(
        built_sample: dict[str, Path], sample: Brief) -> None:
    text = memo_text(built_sample["pdf"])
    for source in sample.sources:
        assert squash(source.title.plain) in text
    assert "力出一孔" in text


def test_the_deck_tables_are_native_tables(built_sample: dict[str, Path]) -> None:
    deck = Presentation(str(built_sample["pptx"]))
    tables = [s for slide in deck.slides for s in slide.shapes if s.has_table]
    headers = [t.table.cell(0, 0).text for t in tables]
    assert "AI Development Model" in headers
    assert "Chinese Tech Giant" in headers


def test_section_notes_become_speaker_notes(built_sample: dict[str, Path],
                                            sample: Brief) -> None:
    deck = Presentation(str(built_sample["pptx"]))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    for section in sample.sections:
        assert section.notes is not None
        assert section.notes.plain in notes


def test_the_memo_is_paginated_with_an_outline(built_sample: dict[str, Path],
                                               sample: Brief) -> None:
    reader = PdfReader(str(built_sample["pdf"]))
    assert len(reader.pages) >= 4
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for section in sample.sections:
        assert any(section.title.plain in title for title in titles)
    assert reader.metadata is not None
    assert reader.metadata.title == sample.meta.title.plain


def test_both_renderers_give_the_same_files_together_as_alone(tmp_path: Path) -> None:
    from briefgen.build import build

    both = build(SAMPLE, out=tmp_path / "both")
    deck = build(SAMPLE, out=tmp_path / "deck", formats=["pptx"])
    memo = build(SAMPLE, out=tmp_path / "memo", formats=["pdf"])
    assert both.outputs["pptx"].read_bytes() == deck.outputs["pptx"].read_bytes()
    assert both.outputs["pdf"].read_bytes() == memo.outputs["pdf"].read_bytes()
    assert (both.slides, both.pages) == (deck.slides, memo.pages)


def test_a_deck_that_fails_to_render_fails_the_build_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.build import build
    from briefgen.render import pptx

    def broken(*_: object) -> bytes:
        raise RuntimeError("deck renderer failed")

    monkeypatch.setattr(pptx, "render_pptx", broken)
    with pytest.raises(RuntimeError, match="deck renderer failed"):
        build(SAMPLE, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
