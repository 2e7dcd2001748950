"""Layout fuzzing: valid briefs extreme in every dimension the format allows plan, in every
theme, into decks whose shapes all lie on their slides and whose boxes all hold their text."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PilImage

from briefgen.brief.loader import load_brief
from briefgen.build import image_sizes
from briefgen.errors import BriefError
from briefgen.layout.deck import plan_deck
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES
from tests.deckcheck import problems

THEMES = sorted(available())
CASES = FIXTURES / "deck-fuzz"  # briefs the fuzzer once found failing, planned on every run

# Words of each script the deck fonts (or their CJK fallback) draw; "unbroken" is one word.
SCRIPTS = {
    "latin": ["market", "capacity", "freight", "Northwind", "quarterly", "outlook", "—",
              "12.5%", "WWW", "ÆØÅ"],
    "cjk": ["中文字符", "测试", "供应链", "。", "日本語の文章", "한국어"],
    "arabic": ["مرحبا", "بالعالم", "سلسلة", "التوريد"],
    "cyrillic": ["СЕВЕРНЫЙ", "ПОТОК", "ЖЁСТКИЙ", "ЩИТ", "рынок"],
    "greek": ["ΑΓΟΡΑ", "Ωμέγα", "ψυχή"],
    "hebrew": ["שלום", "עולם", "שוק"],
}
MIXES = [*SCRIPTS, "all", "unbroken-latin", "unbroken-cyrillic", "unbroken-cjk"]
LENGTHS = [0, 1, 12, 60, 200, 500, 2000]


def make_text(length: int, mix: str, seed: int) -> str:
    """Text of about `length` characters in a mix of scripts, the same for the same seed."""
    if length == 0:
        return ""
    if mix.startswith("unbroken"):
        alphabet = {"unbroken-latin": "W", "unbroken-cyrillic": "Ж", "unbroken-cjk": "中"}[mix]
        return alphabet * length
    rng = random.Random(seed)
    words = [w for s in SCRIPTS.values() for w in s] if mix == "all" else SCRIPTS[mix]
    text = ""
    while len(text) < length:
        text += rng.choice(words) + " "
    return text[:length].strip() or words[0]


@st.composite
def text(draw: st.DrawFn, longest: int = 2000, least: int = 0) -> str:
    length = draw(st.sampled_from([n for n in LENGTHS if least <= n <= longest]))
    return make_text(length, draw(st.sampled_from(MIXES)), draw(st.integers(0, 9)))


def required(longest: int = 2000) -> st.SearchStrategy[str]:
    return text(longest, least=1)


@st.composite
def table(draw: st.DrawFn) -> dict[str, Any]:
    width = draw(st.integers(1, 8))
    height = draw(st.sampled_from([1, 2, 5, 30, 300]))
    # Most cells of a table are alike; a few stand out. Keep a table under 150,000 characters.
    usual = draw(st.sampled_from([n for n in LENGTHS if n * width * height <= 150_000]))
    mix = draw(st.sampled_from(MIXES))
    outliers = draw(st.lists(st.tuples(st.integers(0, height - 1), st.integers(0, width - 1),
                                       required()), max_size=3))
    rows = [[make_text(usual, mix, r * 31 + c) for c in range(width)] for r in range(height)]
    for r, c, cell in outliers:
        rows[r][c] = cell
    return {"table": {"title": draw(text(500)), "columns": [draw(text(200)) for _ in
                                                             range(width)],
                      "rows": rows, "takeaway": draw(text(500)), "source": draw(text(200))}}


@st.composite
def chart(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["bar", "column", "line", "pie"]))
    count = draw(st.sampled_from([1, 2, 7, 60]))
    series = 1 if kind == "pie" else draw(st.integers(1, 8))
    value = st.sampled_from([0.0, 1.0, -1.0, 0.5, 1e6, -250.0, 1e12, 3.25])
    if kind == "pie":
        value = st.sampled_from([0.0, 1.0, 0.5, 1e6, 3.25])
    return {"chart": {
        "type": kind, "title": draw(text(500)),
        "unit": draw(st.sampled_from([None, "%", "USD bn"])),
        "categories": [draw(required(200)) for _ in range(count)],
        "series": [{"name": draw(required(200)), "values": draw(st.lists(
            value, min_size=count, max_size=count))} for _ in range(series)],
        "takeaway": draw(text()), "source": draw(text(200))}}


IMAGES = {"wide.png": (2000, 2), "tall.png": (2, 2000), "square.png": (40, 40)}


@st.composite
def block(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["text", "bullets", "numbered", "table", "chart", "quote",
                                 "callout", "players", "image"]))
    if kind == "text":
        return {"text": "\n\n".join(draw(st.lists(required(), min_size=1, max_size=4)))}
    if kind == "bullets":
        return {"bullets": [{"text": draw(required()), "sub": draw(st.lists(text(), max_size=3))}
                            for _ in range(draw(st.integers(1, 25)))]}
    if kind == "numbered":
        return {"numbered": draw(st.lists(text(), min_size=1, max_size=25))}
    if kind == "table":
        return draw(table())
    if kind == "chart":
        return draw(chart())
    if kind == "quote":
        return {"quote": {"text": draw(required()), "by": draw(text(200))}}
    if kind == "callout":
        return {"callout": {"label": draw(text(200)), "text": draw(required())}}
    if kind == "players":
        return {"players": [{"name": draw(required(200)), "role": draw(text(200)),
                             "org": draw(text(200)), "note": draw(text())}
                            for _ in range(draw(st.integers(1, 12)))]}
    return {"image": {"path": f"images/{draw(st.sampled_from(sorted(IMAGES)))}",
                      "alt": draw(required(500)), "caption": draw(text(500))}}


@st.composite
def briefs(draw: st.DrawFn) -> dict[str, Any]:
    level = st.sampled_from([None, "low", "medium", "high"])
    sections = [{"title": f"{n}. " + draw(text(500)), "lead": draw(text(1500)),
                 "blocks": draw(st.lists(block(), min_size=1, max_size=4))}
                for n in range(draw(st.integers(0, 4)))]
    return {
        "meta": {"title": draw(required(1500)), "subtitle": draw(text(500)),
                 "date": "2026-04-15", "author": draw(text(200)),
                 "classification": draw(text(260)) or None,
                 "language": draw(st.sampled_from(["en", "de", "zh-CN", "ar", "ru"]))},
        "thesis": {"headline": draw(required(1500)), "summary": draw(text()),
                   "points": draw(st.lists(text(), max_size=20))},
        "sections": sections,
        "risks": [{"title": draw(required(500)), "detail": draw(text()),
                   "likelihood": draw(level), "impact": draw(level)}
                  for _ in range(draw(st.sampled_from([0, 1, 5, 40])))],
        "verdict": {"headline": draw(required(1500)), "summary": draw(text())},
        "predictions": [{"statement": draw(required(500)), "horizon": draw(text(250)) or None,
                         "confidence": draw(st.sampled_from([None, 0.0, 0.35, 1.0, "low",
                                                             "high"])),
                         "signal": draw(text(500))}
                        for _ in range(draw(st.sampled_from([0, 1, 6, 30])))],
        "conclusion": {"title": draw(text(500)), "text": draw(text())},
        "sources": [{"title": draw(required(500)), "url": "https://example.com/" + "a" * 300,
                     "publisher": draw(text(200))}
                    for _ in range(draw(st.sampled_from([0, 2, 15])))],
    }


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def write_brief(folder: Path, brief: dict[str, Any]) -> Path:
    (folder / "images").mkdir(exist_ok=True)
    for name, size in IMAGES.items():
        PilImage.new("RGB", size, (40, 90, 160)).save(folder / "images" / name)
    path = folder / "brief.yaml"
    path.write_text(yaml.safe_dump(without_nulls(brief), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def plan_in_every_theme(path: Path) -> None:
    try:
        brief = load_brief(path)
    except BriefError:
        return  # a valid-looking brief over a limit: refused with located problems, as it must
    sizes = image_sizes(brief, path.parent)
    for theme in THEMES:
        deck, _ = plan_deck(brief, load_theme(theme), sizes)
        assert problems(deck) == [], theme


# Bounded: about a minute on one core. A failure is kept by hypothesis's database; copy the
# brief it prints into tests/fixtures/deck-fuzz/ so that it is planned on every run.
@pytest.mark.slow
@settings(max_examples=30, deadline=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(briefs())
def test_an_extreme_valid_brief_plans_onto_its_slides_in_every_theme(brief: dict[str, Any]
                                                                     ) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan_in_every_theme(write_brief(Path(folder), brief))


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_brief_the_fuzzer_once_broke_plans_onto_its_slides(case: Path, tmp_path: Path
                                                             ) -> None:
    path = write_brief(tmp_path, yaml.safe_load(case.read_text(encoding="utf-8")))
    plan_in_every_theme(path)
