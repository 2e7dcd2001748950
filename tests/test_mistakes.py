"""The mistakes people make most when writing a brief by hand, each made in a copy of the sample:
one located message, whose hint, followed literally, fixes it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.brief.loader import validate
from briefgen.brief.model import Brief
from briefgen.cli import app
from briefgen.errors import BriefError
from briefgen.source import read_yaml
from tests.conftest import FIXTURES, ROOT, SAMPLE

runner = CliRunner()
TEXT = SAMPLE.read_text(encoding="utf-8")

# A chart as an author adds one to the sample, before the table of its second section.
CHART = """\
      - chart:
          title: "Cloud revenue"
          type: column
          categories: ["2023", "2024", "2025"]
          series:
            - {name: "Revenue", values: [99.0, 106.9, 118.0]}
          unit: "CNY bn"
"""
TABLE = '      - table:\n          title: "How AI development'
WITH_CHART = TEXT.replace(TABLE, CHART + TABLE, 1)


def read(folder: Path, text: str) -> tuple[list[str], list[str], Brief | None]:
    """The problems and warnings `briefgen validate` reports for `text`, and the brief."""
    path = folder / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        document = read_yaml(path, "brief.yaml", collect=True)
        brief = validate(document, Brief, base=folder)
    except BriefError as exc:
        return [str(p) for p in exc.problems], [], None
    return [], [str(w) for w in document.warnings], brief


def line_of(text: str, needle: str) -> int:
    """The number of the first line that holds `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def set_line(text: str, number: int, change: Callable[[str], str]) -> str:
    lines = text.split("\n")
    lines[number - 1] = change(lines[number - 1])
    return "\n".join(lines)


def indent_to(spaces: int) -> Callable[[str], str]:
    return lambda line: " " * spaces + line.lstrip(" ")


@dataclass(frozen=True)
class Mistake:
    """A mistake made in the sample, what briefgen says, and the hint followed to the letter."""

    name: str
    make: Callable[[], str]
    says: Callable[[str], str]  # the broken text → the one message expected
    follow: Callable[[str], str]  # the broken text → the text after doing what the hint says


def _indent_lead() -> str:
    return TEXT.replace('\n    lead: "\'One AI\'', '\n     lead: "\'One AI\'', 1)


def _dedent_blocks() -> str:
    number = line_of(TEXT, 'id: "technical-deep-dive"') + 3
    return set_line(TEXT, number, indent_to(2))


def _unclosed_quote() -> str:
    return TEXT.replace('CEO-led AI command."', "CEO-led AI command.", 1)


def _chart_unindented() -> str:
    start = WITH_CHART.index(CHART)
    body = "\n".join(line[2:] for line in CHART.splitlines()[1:])
    return WITH_CHART[:start] + CHART.splitlines()[0] + "\n" + body + "\n" + WITH_CHART[
        start + len(CHART):]


def _indent_under_chart(text: str) -> str:
    """Indent every line after `- chart:` until the next block two spaces more."""
    lines = text.split("\n")
    at = line_of(text, "- chart:")
    n = at
    while not lines[n].startswith("      - "):
        lines[n] = "  " + lines[n]
        n += 1
    return "\n".join(lines)


def _after_quote_at_end(text: str, number: int) -> str:
    return set_line(text, number, lambda line: line + '"')


def _quote_from_word(text: str, number: int, word: str) -> str:
    def change(line: str) -> str:
        at = line.index(word)
        return line[:at] + '"' + line[at:] + '"'
    return set_line(text, number, change)


def _ragged_table_and_typo() -> str:
    text = TEXT.replace("          takeaway: \"AI moves from", "          takeway: \"AI moves from")
    return text.replace('"Siloed within business units", "Governed sharing, synthetic dataset '
                        'creation"]', '"Siloed within business units"]')


MISTAKES = [
    Mistake(
        "a key indented one space too far",
        _indent_lead,
        lambda t: (f"brief.yaml:{line_of(t, '     lead:')}:6: YAML syntax error: this line is "
                   "indented 1 space more than 'id:' on line "
                   f"{line_of(t, 'technical-deep-dive')} — indent 'lead:' by 4 spaces, to line "
                   f"up with 'id:' on line {line_of(t, 'technical-deep-dive')}"),
        lambda t: set_line(t, line_of(t, "     lead:"), indent_to(4))),
    Mistake(
        "a key indented too little",
        _dedent_blocks,
        lambda t: (f"brief.yaml:{_line_after(t)}:3: YAML syntax error: this line is indented "
                   f"2 spaces less than 'notes:' on line {_line_after(t) - 1} — indent 'blocks:' "
                   f"by 4 spaces, to line up with 'notes:' on line {_line_after(t) - 1}"),
        lambda t: set_line(t, _line_after(t), indent_to(4))),
    Mistake(
        "a closing quote forgotten",
        _unclosed_quote,
        lambda t: (f"brief.yaml:{line_of(t, 'CEO-led AI command.')}:11: YAML syntax error: this "
                   "quote is never closed — add the closing \" at the end of line "
                   f"{line_of(t, 'CEO-led AI command.')}"),
        lambda t: _after_quote_at_end(t, line_of(t, "CEO-led AI command."))),
    Mistake(
        "a chart's keys not indented under it",
        _chart_unindented,
        lambda t: (f"brief.yaml:{line_of(t, '- chart:')}:9: sections[1].blocks[2].chart: the "
                   "chart block is empty: 'title', 'type', 'categories', 'series' and 'unit' are "
                   "not indented under 'chart:' — indent them, with the lines under them, two "
                   "spaces more, so that they sit under 'chart:'"),
        _indent_under_chart),
    Mistake(
        "a chart type misspelt",
        lambda: WITH_CHART.replace("type: column", "type: barchart"),
        lambda t: (f"brief.yaml:{line_of(t, 'barchart')}:17: sections[1].blocks[2].chart.type: "
                   "'barchart' is not one of 'bar', 'column', 'line' or 'pie' — did you mean "
                   "'bar'?"),
        lambda t: t.replace("type: barchart", "type: bar")),
    Mistake(
        "a decimal comma in a list of values",
        lambda: WITH_CHART.replace("106.9", "106,9"),
        lambda t: (f"brief.yaml:{line_of(t, '106,9')}:48: "
                   "sections[1].blocks[2].chart.series[0].values[1]: series has 4 values but the "
                   "chart has 3 categories, because '106,9' is read as two values, 106 and 9 — "
                   "write 106.9"),
        lambda t: t.replace("106,9", "106.9")),
]


def _line_after(text: str) -> int:
    """The line of `blocks:` after the second section's notes, wherever it is indented."""
    return line_of(text, 'id: "technical-deep-dive"') + 3


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_a_mistake_gets_one_located_message_whose_hint_fixes_it(tmp_path: Path,
                                                                 mistake: Mistake) -> None:
    broken = mistake.make()
    assert broken != TEXT
    problems, _, _ = read(tmp_path, broken)
    assert problems == [mistake.says(broken)]
    assert read(tmp_path, mistake.follow(broken))[:2] == ([], [])


def test_the_chart_added_to_the_sample_is_valid(tmp_path: Path) -> None:
    problems, warnings, brief = read(tmp_path, WITH_CHART)
    assert (problems, warnings) == ([], [])
    assert brief is not None and brief.sections[1].blocks[2].chart is not None


def test_a_misspelt_key_and_a_short_row_in_one_table_are_both_reported(tmp_path: Path) -> None:
    broken = _ragged_table_and_typo()
    row, key = line_of(broken, '"Data Accessibility"'), line_of(broken, "takeway:")
    assert read(tmp_path, broken)[0] == [
        f"brief.yaml:{row}:15: sections[1].blocks[2].table.rows[2]: row has 2 cells but the "
        "table has 3 columns — give every row one cell per column; use \"\" for an empty cell",
        f"brief.yaml:{key}:11: sections[1].blocks[2].table.takeway: unknown key 'takeway' — "
        "did you mean 'takeaway'?",
    ]
    fixed = set_line(broken, row, lambda line: line.replace('units"]', 'units", ""]'))
    fixed = fixed.replace("takeway:", "takeaway:")
    assert read(tmp_path, fixed)[:2] == ([], [])


def test_a_hash_that_turns_the_rest_of_a_text_into_a_comment_is_a_warning(
        tmp_path: Path) -> None:
    old = 'lead: "Alibaba swapped business-unit AI autonomy for a single, CEO-led AI command."'
    broken = TEXT.replace(old, "lead: Alibaba swapped AI autonomy for one command #1 priority of "
                          "the CEO")
    number = line_of(broken, "#1 priority")
    problems, warnings, brief = read(tmp_path, broken)
    assert problems == []
    assert brief is not None and brief.sections[0].lead is not None
    assert brief.sections[0].lead.plain == "Alibaba swapped AI autonomy for one command"
    assert warnings == [
        f"brief.yaml:{number}:55: sections[0].lead: YAML reads '#1 priority of the CEO' as a "
        "comment and leaves it out of the text — put the whole text in double quotes, from "
        "'Alibaba' to the end of the line"]
    problems, warnings, brief = read(tmp_path, _quote_from_word(broken, number, "Alibaba"))
    assert (problems, warnings) == ([], [])
    assert brief is not None and brief.sections[0].lead is not None
    assert brief.sections[0].lead.plain.endswith("#1 priority of the CEO")


def test_the_hash_warning_is_printed_by_validate_and_fails_it_under_strict(
        tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text(TEXT.replace('"AINews Analysis"', "AINews Analysis #team"))
    number = line_of(path.read_text(), "#team")
    expected = (f"{path}:{number}:27: meta.author: YAML reads '#team' as a comment and leaves it "
                "out of the text")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"warning: {expected} — write the whole text in quotes: \"AINews Analysis " \
           "#team\"" in result.output
    strict = runner.invoke(app, ["validate", str(path), "--strict"])
    assert strict.exit_code == 1
    assert f"error: {expected}" in strict.output


def test_confidence_and_levels_in_the_forms_people_write_are_valid(tmp_path: Path) -> None:
    text = TEXT.replace("confidence: 0.7\n", "confidence: 65%\n").replace(
        "confidence: 0.6\n", "confidence: Medium\n").replace(
        'likelihood: "medium"', "likelihood: High", 1)
    problems, warnings, brief = read(tmp_path, text)
    assert (problems, warnings) == ([], [])
    assert brief is not None
    assert [p.confidence for p in brief.predictions][:2] == [0.65, "medium"]
    assert brief.risks[0].likelihood == "high"


def test_a_folder_build_skips_a_theme_kept_beside_the_briefs(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    (folder / "themes").mkdir(parents=True)
    shutil.copy(FIXTURES / "minimal.yaml", folder / "brief.yaml")
    shutil.copy(ROOT / "themes" / "corporate.yaml", folder / "themes" / "acme.yaml")
    shutil.copy(ROOT / "themes" / "print.yaml", folder / "house-style.yaml")
    (folder / "notes.yaml").write_text("todo: [call the CFO]\n")
    result = runner.invoke(app, ["build", str(folder), "-r", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["brief.pdf", "brief.pptx"]
    assert f"note: skipped {folder / 'house-style.yaml'}: it is a theme, not a brief" in (
        result.output)
    assert (f"note: skipped {folder / 'notes.yaml'}: none of its top-level keys is one of a "
            "brief's (meta, thesis, sections, ...)") in result.output
    assert "acme" not in result.output


def test_a_yaml_file_given_by_name_is_built_as_a_brief_even_if_it_looks_like_none(
        tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("todo: [call the CFO]\n")
    result = runner.invoke(app, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{path}:1:1: todo: unknown key 'todo'" in result.output


def test_no_message_names_a_parser_token(tmp_path: Path) -> None:
    # Each a way to break the sample's YAML; none may answer in PyYAML's words.
    edits = [("    blocks:\n", "   blocks:\n"), ("    blocks:\n", "      blocks:\n"),
             ("  - title:", " - title:"), ('"Executive Committee"]', '"Executive Committee"'),
             ("      - text:", "     - text:"), ("meta:\n", "meta:\n -\n"),
             ('date: "2026-04"', 'date: "2026-04" x'), ("brief: 1\n", "brief: 1\n...\nx: 1\n"),
             ("classification:", "classification: - "), ('  to: [', '  to: [[')]
    for old, new in edits:
        problems, _, _ = read(tmp_path, TEXT.replace(old, new, 1))
        assert problems, (old, new)
        for problem in problems:
            assert not re.search(r"<[a-z ]+>|'\?'|'-'", problem), problem
