"""Property-based: a valid brief extreme in every dimension the format allows makes a memo in
every theme, or a BriefError; never another exception. Cases that once failed are fixtures."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen.build import build
from briefgen.errors import BriefError
from tests.conftest import FIXTURES

THEMES = ("corporate", "midnight", "print")
WORDS = ["storage", "grid", "capacity", "Überschuss", "naïve", "2026", "−12.5%", "€14m",
         "算力", "阿里巴巴集团", "通义千问", "、", "。", "مرحبا", "السوق", "١٢٣", "🚀", "(x)", "&",
         "<b>", "**bold**", "*it*", "`code`", "[link](https://example.com/a?b=1&c=2)"]


@st.composite
def texts(draw: st.DrawFn, most: int = 2000, least: int = 0) -> str:
    """Text from empty to `most` characters: words of Latin, CJK and Arabic, and now and then
    a word of up to 500 letters without a break."""
    length = draw(st.sampled_from([0, 1, 12, 80, 400, most]))
    length = max(least, min(length, most))
    parts: list[str] = []
    size = 0
    while size < length:
        if draw(st.integers(0, 15)) == 0:
            word = draw(st.sampled_from("xW中ا")) * draw(st.integers(50, 500))
        else:
            word = draw(st.sampled_from(WORDS))
        parts.append(word)
        size += len(word) + 1
    text = " ".join(parts)[:max(length, least)].strip()
    return text or ("T" if least else "")


REQUIRED = texts(most=400, least=1)
SHORT = texts(most=200)


@st.composite
def tables(draw: st.DrawFn) -> dict[str, Any]:
    width = draw(st.integers(1, 8))
    height = draw(st.sampled_from([1, 2, 5, 40, 300]))
    cell = texts(most=2000 if height * width <= 16 else 120)
    return {"table": {"title": draw(SHORT),
                      "columns": [draw(texts(most=2000 if height < 5 else 60))
                                  for _ in range(width)],
                      "rows": [[draw(cell) for _ in range(width)] for _ in range(height)],
                      "takeaway": draw(texts())}}


@st.composite
def charts(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["bar", "column", "line", "pie"]))
    count = draw(st.sampled_from([1, 3, 12, 60]))
    series = 1 if kind == "pie" else draw(st.sampled_from([1, 2, 8, 40]))
    value = st.sampled_from([0.0, -1.0, 3.5, -250.0, 1e6]) if kind != "pie" else (
        st.sampled_from([0.0, 1.0, 40.0]))
    return {"chart": {
        "title": draw(SHORT), "type": kind, "unit": draw(st.sampled_from(["%", "€m", "kt"])),
        "categories": [draw(REQUIRED) + str(n) for n in range(count)],
        "series": [{"name": draw(REQUIRED), "values": [draw(value) for _ in range(count)]}
                   for _ in range(series)],
        "takeaway": draw(SHORT), "source": draw(SHORT)}}


BLOCKS = st.one_of(
    st.builds(lambda t: {"text": t}, texts(most=6000, least=1)),
    st.builds(lambda items: {"bullets": items}, st.lists(REQUIRED, min_size=1, max_size=12)),
    st.builds(lambda items: {"numbered": items}, st.lists(REQUIRED, min_size=1, max_size=12)),
    st.builds(lambda t, by: {"quote": {"text": t, "by": by}}, texts(most=3000, least=1), SHORT),
    st.builds(lambda t: {"callout": {"label": "Note", "text": t}}, texts(most=5000, least=1)),
    st.builds(lambda people: {"players": people}, st.lists(st.builds(
        lambda name, note: {"name": name, "role": "Chief", "org": "Org", "note": note},
        REQUIRED, texts(most=2000)), min_size=1, max_size=12)),
    tables(),
    charts(),
)


@st.composite
def briefs(draw: st.DrawFn) -> dict[str, Any]:
    sections = [{"title": draw(REQUIRED), "lead": draw(texts(most=800)),
                 "blocks": draw(st.lists(BLOCKS, min_size=1, max_size=3))}
                for _ in range(draw(st.sampled_from([0, 1, 3, 8])))]
    level = st.sampled_from(["low", "medium", "high"])
    brief: dict[str, Any] = {
        "meta": {"title": draw(texts(most=1500, least=1)), "subtitle": draw(SHORT),
                 "date": "2026-04-15", "author": draw(SHORT), "from": draw(texts(most=4000)),
                 "to": draw(st.lists(REQUIRED, max_size=60)),
                 "classification": draw(texts(most=300)),
                 "language": draw(st.sampled_from(["en", "zh-CN", "ar", "de"]))},
        "thesis": {"headline": draw(texts(most=1500, least=1)), "summary": draw(texts()),
                   "points": draw(st.lists(texts(most=400), max_size=10))},
        "sections": sections,
        "risks": draw(st.lists(st.builds(
            lambda t, d, li, im: {"title": t, "detail": d, "likelihood": li, "impact": im},
            REQUIRED, texts(), level, level), max_size=30)),
        "predictions": draw(st.lists(st.builds(
            lambda s, h, c: {"statement": s, "horizon": h, "confidence": c},
            REQUIRED, texts(most=200), st.sampled_from([0.1, 0.5, "high", "low"])),
            max_size=20)),
    }
    for key in ("subtitle", "author", "from", "classification"):
        if not brief["meta"][key]:
            del brief["meta"][key]
    for section in sections:
        for block in section["blocks"]:
            if "table" in block and not block["table"]["title"]:
                del block["table"]["title"]
    return brief


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def build_memo(brief: dict[str, Any], theme: str) -> None:
    """Build the brief's memo in a theme: it is made and reads back, or is a BriefError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.yaml"
        path.write_text(yaml.dump(brief, Dumper=_NoAliases, allow_unicode=True),
                        encoding="utf-8")
        try:
            result = build(path, theme=theme, out=Path(folder) / "out", formats=["pdf"])
        except BriefError:
            event("brief error")
            return
        event("built")
        reader = PdfReader(str(result.outputs["pdf"]))
        assert len(reader.pages) == result.pages
        assert_marked(reader)


def assert_marked(reader: PdfReader) -> None:
    """Every page's marked content is numbered from 0 and each number has its element."""
    numbers = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    for n, page in enumerate(reader.pages):
        content = page.get_contents().get_data().decode("latin-1")
        ids = [int(i) for i in re.findall(r"/MCID (\d+)", content)]
        assert ids == list(range(len(ids))) and len(parents[n].get_object()) == len(ids)
        assert content.count(" BDC") + content.count(" BMC") == content.count("EMC")


@pytest.mark.slow
# Briefs this large take minutes to shrink: a failure is reported as drawn.
@settings(max_examples=15, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(briefs(), st.sampled_from(THEMES))
def test_an_extreme_valid_brief_makes_a_memo_or_a_brief_error(brief: dict[str, Any],
                                                               theme: str) -> None:
    build_memo(brief, theme)


HOSTILE = sorted((FIXTURES / "hostile").glob("*.yaml"))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_a_brief_that_once_broke_the_memo_builds_in_every_theme(path: Path, theme: str,
                                                                tmp_path: Path) -> None:
    result = build(path, theme=theme, out=tmp_path, formats=["pdf"])
    reader = PdfReader(str(result.outputs["pdf"]))
    assert len(reader.pages) == result.pages >= 1
    assert_marked(reader)
