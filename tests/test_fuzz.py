"""Property-based: any text in a valid brief builds, and any broken YAML gets located problems."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from briefgen.brief.loader import load_brief
from briefgen.build import build
from briefgen.errors import BriefError
from tests.conftest import FIXTURES

# Text from every Unicode category except surrogates (which UTF-8 cannot hold), control
# characters included, mixed with fragments that mean something to YAML, XML, reportlab's
# markup, our inline markup or the bidi algorithm.
FRAGMENTS = ["**", "*", "`", "[a](https://example.com/?a=1&b=2)", "[a](javascript:x)", "\v",
             "\n\n", "\r\n", "&", "&amp;", "<b>", "</para>", "<br/>", "\u202e", "\u2028",
             "🚀", "👩\u200d💻", "e\u0301", "中文", "مرحبا", "\t", "\x00", "\x1b", "\ufffe",
             "\ufeff", " ", "- ", ": ", "# ", "%s", "{0}", "\\", "(", ")"]
TEXT = st.lists(st.one_of(st.text(max_size=15), st.sampled_from(FRAGMENTS)),
                max_size=5).map("".join)


# Required texts: mostly with a letter or digit in them, so that most briefs build; one in ten
# may clean to nothing, which must be a BriefError ("the text is empty").
REQUIRED = st.tuples(TEXT, st.sampled_from([True] * 9 + [False]),
                     st.characters(categories=["L", "N"]), TEXT).map(
    lambda t: t[0] + (t[2] if t[1] else "") + t[3])

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def tables(draw: st.DrawFn) -> dict[str, Any]:
    width = draw(st.integers(1, 4))
    columns = draw(st.lists(TEXT, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(TEXT, min_size=width, max_size=width), min_size=1,
                         max_size=4))
    return {"table": {"title": draw(TEXT), "columns": columns, "rows": rows,
                      "takeaway": draw(TEXT)}}


BLOCKS = st.one_of(
    st.builds(lambda t: {"text": t}, TEXT),
    st.builds(lambda items: {"bullets": items}, st.lists(TEXT, min_size=1, max_size=5)),
    st.builds(lambda item, sub: {"bullets": [{"text": item, "sub": sub}]}, REQUIRED,
              st.lists(TEXT, max_size=3)),
    st.builds(lambda items: {"numbered": items}, st.lists(TEXT, min_size=1, max_size=4)),
    tables(),
)


@st.composite
def briefs(draw: st.DrawFn) -> dict[str, Any]:
    sections = [{"title": draw(REQUIRED), "lead": draw(TEXT),
                 "blocks": draw(st.lists(BLOCKS, min_size=1, max_size=3))}
                for _ in range(draw(st.integers(0, 3)))]
    # Section ids come from titles; two that slug alike are a BriefError, which is fine too.
    return {"meta": {"title": draw(REQUIRED), "subtitle": draw(TEXT), "date": "2026-04-15",
                     "author": draw(TEXT)},
            "thesis": {"headline": draw(REQUIRED), "summary": draw(TEXT),
                       "points": draw(st.lists(TEXT, max_size=3))},
            "sections": sections}


@pytest.mark.slow
@SETTINGS
@given(briefs())
def test_a_valid_brief_with_any_text_builds_or_is_a_brief_error(brief: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.yaml"
        path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
        try:
            result = build(path, out=Path(folder) / "out", formats=["pptx", "pdf"])
        except BriefError as exc:
            event("brief error")
            assert_located(exc, path.read_text(encoding="utf-8"))
            return
        event("built")
        assert set(result.outputs) == {"pptx", "pdf"}
        assert all(p.stat().st_size > 0 for p in result.outputs.values())


# Broken YAML


# Lines as editors count them: at CR LF, CR and LF, but not at NEL, LS and PS, which YAML
# also treats as line breaks.
EDITOR_BREAKS = re.compile(r"\r\n|\r|\n")


def assert_located(error: BriefError, text: str) -> None:
    assert error.problems
    lines = len(EDITOR_BREAKS.split(text)) + 1
    for problem in error.problems:
        assert 1 <= problem.line <= lines, problem
        assert problem.column >= 1, problem
        assert problem.message.strip(), problem


def load_or_locate(data: bytes) -> None:
    """Load the bytes as a brief: either it loads, or every problem is located and said."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(FIXTURES / "images", Path(folder) / "images")
        path = Path(folder) / "brief.yaml"
        path.write_bytes(data)
        try:
            load_brief(path)
        except BriefError as exc:
            event("brief error")
            assert_located(exc, data.decode("utf-8", "replace"))
        else:
            event("loaded")


YAML_BITS = [":", ": ", "-", "- ", "&", "&a ", "*", "*a", "\t", '"', "'", "{", "}", "[", "]",
             "!", "!!python/object/apply:os.system ", "|", ">", "%", "@", "`", "#", "\n", "  ",
             "? ", ",", "---\n", "...\n", "<<: ", "\x00", "\ufeff", "\x85", "\u2028"]


@settings(max_examples=200, deadline=None)
@given(st.text())
@example("")
@example("- a\n- b\n")
@example("a: [")
@example("'")
@example("meta: &m {title: T}\nthesis: *m\n")
def test_random_text_loads_or_gets_located_problems(text: str) -> None:
    load_or_locate(text.encode("utf-8"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_load_or_get_located_problems(data: bytes) -> None:
    load_or_locate(data)


VALID = (FIXTURES / "every-block.yaml").read_text(encoding="utf-8")
MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(VALID)), st.integers(1, 40)),
    st.tuples(st.just("insert"), st.integers(0, len(VALID)), st.sampled_from(YAML_BITS)),
)


def mutate(text: str, mutations: list[tuple[str, int, Any]]) -> str:
    for kind, at, what in mutations:
        at = min(at, len(text))
        text = text[:at] + text[at + what:] if kind == "delete" else text[:at] + what + text[at:]
    return text


@settings(max_examples=200, deadline=None)
@given(st.lists(MUTATION, min_size=1, max_size=6))
def test_a_mutated_valid_brief_loads_or_gets_located_problems(
        mutations: list[tuple[str, int, Any]]) -> None:
    load_or_locate(mutate(VALID, mutations).encode("utf-8"))


@pytest.mark.parametrize("separator", ["\x85", "\u2028"], ids=["NEL", "LS"])
def test_a_problem_after_a_next_line_character_is_on_the_line_an_editor_shows(
        tmp_path: Path, separator: str) -> None:
    # Found by the mutation test: two NEL before a broken line put its problem two lines down.
    text = (f"{separator}{separator}meta:\n  title: T\n  date: 2026-04-01\n"
            "thesis:\n  headline: H\n  : x\n")
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_brief(path)
    assert [p.line for p in caught.value.problems] == [6]
