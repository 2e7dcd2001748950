"""Loading a brief: every kind of mistake gets one located line saying what is wrong and the fix."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from briefgen import source
from briefgen.brief.loader import load_brief, validate
from briefgen.brief.model import MAX_ROWS, MAX_TEXT_CHARS, Brief
from briefgen.cli import app
from briefgen.errors import BriefError
from briefgen.source import MAX_FILE_BYTES, read_yaml
from tests.conftest import FIXTURES, ROOT

runner = CliRunner()

HEAD = """\
meta:
  title: T
  date: 2026-04-01
thesis:
  headline: H
"""
PNG = FIXTURES / "images" / "sample.png"


def load(folder: Path, text: str | bytes) -> Brief:
    path = folder / "brief.yaml"
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return load_brief(path, display="brief.yaml")


def problems(folder: Path, text: str | bytes) -> list[str]:
    with pytest.raises(BriefError) as caught:
        load(folder, text)
    return [str(problem) for problem in caught.value.problems]


def problem(folder: Path, text: str | bytes) -> str:
    found = problems(folder, text)
    assert len(found) == 1, found
    return found[0]


def section(*blocks: str) -> str:
    """HEAD plus one section holding the given block lines (indented as list items)."""
    body = "".join(f"      {line}\n" for block in blocks for line in block.splitlines())
    return HEAD + "sections:\n  - title: S\n    blocks:\n" + body


# Shape


def test_a_misspelt_key_suggests_the_nearest_one(tmp_path: Path) -> None:
    text = "meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headlin: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:5:3: thesis.headlin: unknown key 'headlin' — did you mean 'headline'?")


def test_an_unknown_block_type_suggests_the_nearest_one(tmp_path: Path) -> None:
    assert problem(tmp_path, section("- bulets: [a]")) == (
        "brief.yaml:9:9: sections[0].blocks[0]: unknown block type 'bulets' — "
        "did you mean 'bullets'?")


def test_a_missing_required_key_is_named_where_it_belongs(tmp_path: Path) -> None:
    text = "meta:\n  title: T\nthesis:\n  headline: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:2:3: meta: 'date' is required — add 'date:' here")


def test_a_list_where_text_is_expected_says_so(tmp_path: Path) -> None:
    text = "meta:\n  title: [a, b]\n  date: 2026-04-01\nthesis:\n  headline: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:2:10: meta.title: expected text, got a list — "
        "write the text after the key, in quotes if it has special characters")


def test_text_where_a_list_is_expected_says_so(tmp_path: Path) -> None:
    assert problem(tmp_path, HEAD + "  points: one point\n") == (
        "brief.yaml:6:11: thesis.points: expected a list, got 'one point' — "
        "write each item on its own line starting with '- '")


def test_a_block_with_two_keys_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, section("- text: a\n  bullets: [b]")) == (
        "brief.yaml:9:9: sections[0].blocks[0]: a block has exactly one key, found 'text' and "
        "'bullets' — split it into separate list items, each starting with '- '")


def test_an_empty_block_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, section("- text:")) == (
        "brief.yaml:9:9: sections[0].blocks[0].text: the text block is empty — "
        "write its content after 'text:'")


# Rules beyond the shape


def test_a_ragged_table_row_is_located_at_the_row(tmp_path: Path) -> None:
    table = """\
- table:
    columns: [A, B]
    rows:
      - [1, 2]
      - [3, 4]
      - [5, 6]
      - [7]"""
    assert problem(tmp_path, section("- text: intro", "- text: more", table)) == (
        "brief.yaml:17:15: sections[0].blocks[2].table.rows[3]: row has 1 cell but the table "
        "has 2 columns — give every row one cell per column; use \"\" for an empty cell")


def test_a_chart_series_must_have_one_value_per_category(tmp_path: Path) -> None:
    chart = """\
- chart:
    type: bar
    categories: [a, b, c]
    series:
      - {name: x, values: [1, 2]}"""
    assert problem(tmp_path, section(chart)) == (
        "brief.yaml:13:25: sections[0].blocks[0].chart.series[0].values: series has 2 values "
        "but the chart has 3 categories — give one value per category")


def test_a_pie_chart_takes_one_series(tmp_path: Path) -> None:
    chart = """\
- chart:
    type: pie
    categories: [a, b]
    series:
      - {name: x, values: [1, 2]}
      - {name: y, values: [3, 4]}"""
    assert problem(tmp_path, section(chart)) == (
        "brief.yaml:12:11: sections[0].blocks[0].chart.series: a pie chart takes one series, "
        "not 2 — keep one series, or use type: column")


def test_a_chart_value_must_be_a_number(tmp_path: Path) -> None:
    chart = """\
- chart:
    type: bar
    categories: [a, b]
    series:
      - {name: x, values: [1, 2%]}"""
    assert problem(tmp_path, section(chart)) == (
        "brief.yaml:13:37: sections[0].blocks[0].chart.series[0].values[1]: '2%' is not a number "
        "— write a plain number such as 12.5, without units or commas")


def test_a_confidence_must_be_between_0_and_1_or_a_level(tmp_path: Path) -> None:
    text = HEAD + "predictions:\n  - statement: s\n    confidence: 1.5\n"
    text += "  - statement: t\n    confidence: sure\n"
    assert problems(tmp_path, text) == [
        "brief.yaml:8:17: predictions[0].confidence: confidence 1.5 is outside 0..1 — "
        "write a number from 0 to 1 (e.g. 0.6), a percentage (60%) or low, medium or high",
        "brief.yaml:10:17: predictions[1].confidence: 'sure' is not a confidence — "
        "write a number from 0 to 1 (e.g. 0.6), a percentage (60%) or low, medium or high",
    ]


def test_a_date_must_be_an_iso_date(tmp_path: Path) -> None:
    text = "meta:\n  title: T\n  date: 15.04.2026\nthesis:\n  headline: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:3:9: meta.date: '15.04.2026' is not a date — "
        "write an ISO date as YYYY-MM-DD or YYYY-MM, e.g. 2026-04-15")


def test_a_date_must_exist_in_the_calendar(tmp_path: Path) -> None:
    text = HEAD + "sources:\n  - title: s\n    date: 2026-02-30\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:8:11: sources[0].date: '2026-02-30' is not a real date — "
        "check the month (01-12) and the day of the month")


def test_section_ids_must_be_unique(tmp_path: Path) -> None:
    text = HEAD + "sections:\n  - title: Market\n    blocks: [text: a]\n"
    text += "  - title: Other\n    id: market\n    blocks: [text: b]\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:10:5: sections[1].id: section id 'market' is used by sections[0] too — "
        "give each section a unique 'id:' or title")


def test_an_unknown_label_key_suggests_the_nearest_one(tmp_path: Path) -> None:
    text = "meta:\n  title: T\n  date: 2026-04-01\n  labels: {bottom_lin: BLUF}\n"
    text += "thesis:\n  headline: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:4:12: meta.labels.bottom_lin: unknown label 'bottom_lin' — "
        "did you mean 'bottom_line'?")


def test_a_label_may_use_only_the_placeholders_of_its_default(tmp_path: Path) -> None:
    text = "meta:\n  title: T\n  date: 2026-04-01\n  labels:\n    page: 'p. {n}'\n"
    text += "    takeaway: 'So {what}'\nthesis:\n  headline: H\n"
    assert problems(tmp_path, text) == [
        "brief.yaml:5:5: meta.labels.page: label 'page' uses {n}, which this label does not "
        "provide — use only {page} and {pages}",
        "brief.yaml:6:5: meta.labels.takeaway: label 'takeaway' uses {what}, which this label "
        "does not provide — remove the braces; this label takes no placeholders",
    ]


def test_a_stray_brace_in_a_label_is_refused(tmp_path: Path) -> None:
    text = "meta:\n  title: T\n  date: 2026-04-01\n  labels: {source: 'Source: {source'}\n"
    text += "thesis:\n  headline: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:4:12: meta.labels.source: label 'source' has a '{' or '}' that is not part "
        "of a placeholder — remove the stray braces; this label may use {source}")


def test_a_label_override_with_its_placeholders_is_kept(tmp_path: Path) -> None:
    text = "meta:\n  title: T\n  date: 2026-04-01\n  labels: {page: '{page}/{pages}'}\n"
    text += "thesis:\n  headline: H\n"
    assert load(tmp_path, text).meta.labels == {"page": "{page}/{pages}"}


# Images


def image_block(path: str) -> str:
    return section(f"- image: {{path: '{path}', alt: A picture}}")


def test_an_image_inside_the_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    shutil.copy(PNG, tmp_path / "images" / "chart.png")
    brief = load(tmp_path, image_block("images/chart.png"))
    assert brief.sections[0].blocks[0].image is not None


def test_an_image_outside_the_folder_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, image_block("../x.png")) == (
        "brief.yaml:9:23: sections[0].blocks[0].image.path: image path '../x.png' leaves the "
        "brief's folder — put the image in the brief's folder (or below it) and give its "
        "relative path")


def test_an_absolute_image_path_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, image_block("/etc/x.png")) == (
        "brief.yaml:9:23: sections[0].blocks[0].image.path: image path '/etc/x.png' is absolute "
        "— put the image in the brief's folder (or below it) and give its relative path")


def test_an_image_that_is_not_png_or_jpeg_by_content_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fake.png").write_bytes(b"GIF89a\x01\x00\x01\x00")
    assert problem(tmp_path, image_block("fake.png")) == (
        "brief.yaml:9:23: sections[0].blocks[0].image.path: image 'fake.png' is not a PNG or "
        "JPEG file — convert it to PNG or JPEG")


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    shutil.copy(PNG, tmp_path / "outside.png")
    try:
        os.symlink(tmp_path / "outside.png", folder / "link.png")
    except OSError:
        pytest.skip("symlinks are not available here")
    assert problem(folder, image_block("link.png")) == (
        "brief.yaml:9:23: sections[0].blocks[0].image.path: image path 'link.png' points "
        "outside the brief's folder — put the image in the brief's folder (or below it) and "
        "give its relative path")


def test_an_image_needs_alt_text(tmp_path: Path) -> None:
    shutil.copy(PNG, tmp_path / "chart.png")
    assert problem(tmp_path, section("- image: {path: chart.png}")) == (
        "brief.yaml:9:16: sections[0].blocks[0].image: 'alt' is required — add 'alt:' here")


# Reading the file


def test_a_duplicate_key_is_refused_with_the_line_of_the_first(tmp_path: Path) -> None:
    text = "meta:\n  title: T\n  date: 2026-04-01\n  title: U\nthesis:\n  headline: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:4:3: meta.title: duplicate key 'title' (first given on line 2) — "
        "remove one of the two; YAML would silently keep only the last")


def test_an_anchor_and_its_alias_are_refused_at_the_anchor(tmp_path: Path) -> None:
    text = "meta:\n  title: &t T\n  date: 2026-04-01\nthesis:\n  headline: *t\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:2:10: '&t' starts a YAML anchor; anchors and aliases are not allowed — "
        "put text that begins with '&' in quotes; write repeated values out in full")


def test_text_beginning_with_an_ampersand_is_not_silently_dropped(tmp_path: Path) -> None:
    text = "meta:\n  title: &Co results\n  date: 2026-04-01\nthesis:\n  headline: H\n"
    assert problem(tmp_path, text).startswith("brief.yaml:2:10: '&Co' starts a YAML anchor")


def test_a_blank_line_in_a_quoted_or_folded_text_separates_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text('meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headline: H\n'
                    '  summary: "one\n\n    two"\n  points:\n    - >\n      three\n\n'
                    '      four\n    - |\n      five\n      six\n')
    thesis = load_brief(path).thesis
    assert thesis.summary is not None
    assert [len(t.paragraphs) for t in (thesis.summary, *thesis.points)] == [2, 2, 1]


def test_a_python_tag_is_refused(tmp_path: Path) -> None:
    text = HEAD.replace("title: T", "title: !!python/object/apply:os.system ['echo hi']")
    assert problem(tmp_path, text) == (
        "brief.yaml:2:10: meta.title: the YAML tag '!!python/object/apply:os.system' is not "
        "allowed — remove the tag; a brief holds only text, lists and mappings")


def test_a_byte_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    text = HEAD.replace("H", "caf\xe9 \xe9").encode("latin-1")
    assert problem(tmp_path, text) == (
        "brief.yaml:5:16: the file is not valid UTF-8 (byte 0xe9) — "
        "save the file with UTF-8 encoding")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, "\n  \n") == (
        "brief.yaml:1:1: the file is empty — a brief is a YAML mapping; "
        "run 'briefgen new' for a starter")


def test_a_file_of_only_comments_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, "# a brief\n# to be written\n") == (
        "brief.yaml:1:1: the file holds only comments — a brief is a YAML mapping of keys")


def test_a_top_level_list_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, "- meta\n- thesis\n") == (
        "brief.yaml:1:1: the top level must be a mapping of keys, not a list — "
        "write the keys at the left margin, each followed by ':'")


def test_text_with_a_colon_must_be_quoted(tmp_path: Path) -> None:
    text = "meta:\n  title: a: b\n  date: 2026-04-01\nthesis:\n  headline: H\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:2:11: YAML syntax error: mapping values are not allowed here — "
        "text that contains ': ' must be put in quotes")


def test_text_starting_with_markup_must_be_quoted(tmp_path: Path) -> None:
    assert problem(tmp_path, HEAD + "  summary: *really* soon\n") == (
        "brief.yaml:6:19: YAML syntax error: expected alphabetic or numeric character, but "
        "found '*' — a value starting with '*' is read as YAML syntax; if it is text, "
        "put it in quotes")


def test_an_unclosed_quote_is_located_where_it_opens(tmp_path: Path) -> None:
    assert problem(tmp_path, HEAD + "  summary: \"open\n  points: []\n") == (
        "brief.yaml:6:12: YAML syntax error: this quote is never closed — "
        "add the closing \" at the end of line 6")


def loop(folder: Path) -> Path:
    """brief.yaml → other.yaml → brief.yaml."""
    (folder / "brief.yaml").symlink_to("other.yaml")
    (folder / "other.yaml").symlink_to("brief.yaml")
    return folder / "brief.yaml"


def test_a_brief_that_is_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BriefError) as caught:
        load_brief(loop(tmp_path), display="brief.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "brief.yaml: cannot read the file: it is a symbolic link that leads back to itself — "
        "point the link at the brief's YAML file, or give the file's own path"]


@pytest.mark.parametrize("command", [["validate"], ["build"], ["build", "-r"]])
def test_a_symlink_loop_gets_a_clear_error_from_the_cli_and_no_traceback(
        tmp_path: Path, command: list[str]) -> None:
    path = loop(tmp_path)
    target = tmp_path if "-r" in command else path  # found in a folder, or named
    result = runner.invoke(app, [*command, str(target), *(["--out", str(tmp_path / "out")]
                                                          if "build" in command else [])])
    assert result.exit_code == 1
    assert f"{path}: cannot read the file: it is a symbolic link that leads back to itself" in (
        result.output)
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_brief_that_may_not_be_read_is_refused(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Permissions cannot be taken from root, who runs the tests in CI: refuse the open instead.
    path = tmp_path / "brief.yaml"
    path.write_text(HEAD)
    opened = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{path}: cannot read the file: permission denied — make it readable for yourself "
        "(chmod u+r), or copy it to a folder of yours")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("meta:\n  title: T\n   date: 2026-04\n",
     "brief.yaml:3:4: YAML syntax error: this line is indented 1 space more than 'title:' on "
     "line 2 — indent 'date:' by 2 spaces, to line up with 'title:' on line 2"),
    ("meta:\n  title: T\n date: 2026-04\n",
     "brief.yaml:3:2: YAML syntax error: this line is indented 1 space less than 'title:' on "
     "line 2 — indent 'date:' by 2 spaces, to line up with 'title:' on line 2"),
    ("meta: x\n  date: 2026-04\n",
     "brief.yaml:2:3: YAML syntax error: this line is indented 2 spaces more than 'meta:' on "
     "line 1 — start 'date:' at the beginning of the line, to line up with 'meta:' on line 1"),
    ("thesis:\n  points:\n    - a\n   - b\n",
     "brief.yaml:4:4: YAML syntax error: this line is indented 1 space less than the '- ' on "
     "line 3 — indent '- b' by 4 spaces, to line up with the '- ' on line 3"),
    ("thesis:\n  points:\n  - a\n - b\n",
     "brief.yaml:4:2: YAML syntax error: this line is indented 1 space less than the '- ' on "
     "line 3 — indent '- b' by 2 spaces, to line up with the '- ' on line 3"),
], ids=["more", "less", "under-a-value", "item-less", "item-at-its-key"])
def test_an_indentation_mistake_names_the_line_to_line_up_with(tmp_path: Path, text: str,
                                                              expected: str) -> None:
    assert problem(tmp_path, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("meta:\n  title: 'open\n  date: 2026-04\n",
     "brief.yaml:2:10: YAML syntax error: this quote is never closed — add the closing ' at the "
     "end of line 2; inside single quotes write a quote as ''"),
    ('thesis:\n  summary: "one line\n    and the next\n  points: []\n',
     'brief.yaml:2:12: YAML syntax error: this quote is never closed — add the closing " at '
     "the end of line 3"),
    ("meta:\n  title: 'it's here'\n",
     "brief.yaml:2:14: YAML syntax error: the text goes on after its closing quote — put the "
     "whole text in double quotes (\"), or write each ' inside it as ''"),
    ('meta:\n  title: "the "best" one"\n',
     "brief.yaml:2:16: YAML syntax error: the text goes on after its closing quote — put the "
     "whole text in single quotes ('), or write each \" inside it as \\\""),
    ('meta:\n  title:"T"\n  date: 2026-04\n',
     "brief.yaml:2:3: YAML syntax error: 'title:' needs a space after its ':' — write a space "
     "between 'title:' and its value"),
    ("meta:\n  tags: [fleet #ev]\n  title: T\n",
     "brief.yaml:2:16: YAML syntax error: this ' #' starts a comment, which hides the rest of "
     "the line and its ']' — put the text that holds the '#' in quotes"),
], ids=["single-runs-on", "double-spans-lines", "apostrophe", "inner-quotes", "glued-colon",
        "comment-in-brackets"])
def test_a_quoting_mistake_says_where_the_quote_belongs(tmp_path: Path, text: str,
                                                       expected: str) -> None:
    assert problem(tmp_path, text) == expected


def test_a_quoted_text_over_several_lines_is_not_an_unclosed_quote(tmp_path: Path) -> None:
    brief = load(tmp_path, HEAD + '  summary: "one line\n    and the next"\n  points: []\n')
    assert brief.thesis.summary is not None
    assert brief.thesis.summary.plain == "one line and the next"


def test_a_table_whose_keys_are_not_indented_under_it_says_so(tmp_path: Path) -> None:
    assert problem(tmp_path, section("- table:\n  columns: [A]\n  rows: [[1]]")) == (
        "brief.yaml:9:9: sections[0].blocks[0].table: the table block is empty: 'columns' and "
        "'rows' are not indented under 'table:' — indent them, with the lines under them, two "
        "spaces more, so that they sit under 'table:'")


def test_a_quote_whose_one_key_is_not_indented_under_it_says_so(tmp_path: Path) -> None:
    assert problem(tmp_path, section("- quote:\n  text: Q")) == (
        "brief.yaml:9:9: sections[0].blocks[0].quote: the quote block is empty: 'text' is not "
        "indented under 'quote:' — indent it, with the lines under it, two spaces more, so that "
        "it sits under 'quote:'")


@pytest.mark.parametrize(("value", "hint"), [
    ("barchart", "did you mean 'bar'?"), ("Column", "did you mean 'column'?"),
    ("lines", "did you mean 'line'?"), ("scatter", "write one of these"),
])
def test_a_value_that_is_not_one_of_the_words_names_the_list_once(tmp_path: Path, value: str,
                                                                 hint: str) -> None:
    chart = f"- chart: {{type: {value}, categories: [a], series: [{{name: s, values: [1]}}]}}"
    assert problem(tmp_path, section(chart)) == (
        f"brief.yaml:9:23: sections[0].blocks[0].chart.type: '{value}' is not one of 'bar', "
        f"'column', 'line' or 'pie' — {hint}")


def test_a_level_misspelt_in_any_case_gets_the_nearest_word(tmp_path: Path) -> None:
    assert problem(tmp_path, HEAD + "risks:\n  - {title: r, impact: Hihg}\n") == (
        "brief.yaml:7:24: risks[0].impact: 'hihg' is not one of 'low', 'medium' or 'high' — "
        "did you mean 'high'?")


# Text YAML reads other than it looks


def warnings_of(folder: Path, text: str) -> list[str]:
    path = folder / "brief.yaml"
    path.write_text(text)
    document = read_yaml(path, "brief.yaml", collect=True)
    validate(document, Brief, base=folder)
    return [str(w) for w in document.warnings]


def test_a_decimal_comma_in_a_list_of_values_is_a_warning(tmp_path: Path) -> None:
    chart = ("- chart: {type: bar, categories: [a, b, c, d], "
             "series: [{name: s, values: [1.5, 2,5, 3.5]}]}")
    assert warnings_of(tmp_path, section(chart)) == [
        "brief.yaml:9:87: sections[0].blocks[0].chart.series[0].values[1]: '2,5' is read as two "
        "values, 2 and 5 — write 2.5"]


def test_a_thousands_comma_in_a_list_of_values_names_both_readings(tmp_path: Path) -> None:
    chart = ("- chart: {type: bar, categories: [a, b, c, d], "
             "series: [{name: s, values: [1.5, 1,200, 3.5]}]}")
    assert warnings_of(tmp_path, section(chart)) == [
        "brief.yaml:9:87: sections[0].blocks[0].chart.series[0].values[1]: '1,200' is read as two "
        "values, 1 and 200 — write 1200, or 1.200 if the comma is a decimal point"]


def test_numbers_in_a_table_row_split_by_a_comma_are_reported_with_the_quotes_that_fix_them(
        tmp_path: Path) -> None:
    table = "- table: {columns: [Item, Diesel, Electric], rows: [[Lease, 31,200, 38,400]]}"
    assert problem(tmp_path, section(table)) == (
        "brief.yaml:9:67: sections[0].blocks[0].table.rows[0][1]: row has 5 cells but the table "
        "has 3 columns, because '31,200' and '38,400' are each read as two items — write "
        '"31,200", "38,400"')


@pytest.mark.parametrize("values", ["[1,2,3]", "[1, 2, 3]", "[1.5,2,3]", "['2.5', 2, 3]"])
def test_a_list_written_consistently_is_no_warning(tmp_path: Path, values: str) -> None:
    chart = ("- chart: {type: bar, categories: [a, b, c], "
             f"series: [{{name: s, values: {values}}}]}}")
    assert warnings_of(tmp_path, section(chart)) == []


@pytest.mark.parametrize("line", ["  summary: a text  # a comment\n",
                                  '  summary: "our #1 priority"\n', "  summary: C# and F#\n"])
def test_a_comment_on_purpose_or_a_hash_inside_a_word_is_no_warning(tmp_path: Path,
                                                                    line: str) -> None:
    assert warnings_of(tmp_path, HEAD + line) == []


def test_a_file_over_5_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    text = HEAD + "#" * MAX_FILE_BYTES
    assert problem(tmp_path, text) == (
        f"brief.yaml:1:1: the file is {len(text):,} bytes; a brief may be at most 5,242,880 "
        "bytes (5 MB) — split it, or move long material out of it")


# Bounds


def test_a_table_may_have_at_most_2000_rows(tmp_path: Path) -> None:
    rows = "\n".join("    - [x]" for _ in range(MAX_ROWS + 1))
    assert problem(tmp_path, section(f"- table:\n    columns: [A]\n    rows:\n{rows}")) == (
        "brief.yaml:12:11: sections[0].blocks[0].table.rows: 2,001 rows; a table may have "
        "at most 2,000 — split the table into several tables")


def tables(sections: int, rows: int, columns: int, cell: str = "x") -> str:
    """A brief of `sections` sections, each with one table of rows x columns cells."""
    header = "[" + ", ".join(f"C{n}" for n in range(columns)) + "]"
    row = "            - [" + ", ".join([cell] * columns) + "]\n"
    return HEAD + "sections:\n" + "".join(
        f"  - title: S{n}\n    blocks:\n      - table:\n          columns: {header}\n"
        "          rows:\n" + row * rows for n in range(sections))


@pytest.mark.parametrize(("sections", "rows", "columns"), [
    (1, 2_000, 8),  # a table at the row limit, eight columns wide
    (64, 30, 8),  # an appendix of 64 sections, each with a 30-row table
    (1, 2_000, 13),  # the widest table at the row limit the budget admits
    (64, 30, 14),  # the widest 30-row tables in 64 sections it admits
])
def test_a_brief_within_the_budget_of_items_loads(tmp_path: Path, sections: int, rows: int,
                                                  columns: int) -> None:
    brief = load(tmp_path, tables(sections, rows, columns))
    assert len(brief.sections) == sections
    assert sum(len(b.table.rows) for s in brief.sections for b in s.blocks if b.table) == (
        sections * rows)


@pytest.mark.parametrize("block", ["- text: x", "- bullets: [x]"])
def test_29000_blocks_or_bullets_are_within_the_budget(tmp_path: Path, block: str) -> None:
    if "bullets" in block:
        body = "      - bullets:\n" + "          - x\n" * 1_000
    else:
        body = "      - text: x\n" * 1_000
    text = HEAD + "sections:\n" + "".join(f"  - title: S{n}\n    blocks:\n{body}"
                                          for n in range(29))
    assert len(load(tmp_path, text).sections) == 29


def test_a_brief_over_the_budget_of_items_is_refused_where_it_holds_the_most(
        tmp_path: Path) -> None:
    # 2 x (2,000 x 7 cells + 2,000 rows + 7 columns + 1 block) + 2 sections = 32,018 items
    assert problem(tmp_path, tables(2, 2_000, 7)) == (
        "brief.yaml:7:5: sections[0]: the brief holds 32,018 items (blocks, list items, table "
        "rows and cells, and chart categories and values); at most 30,000 are allowed in one "
        "brief — move part of it into another brief; this part alone holds 16,008 items")


def test_a_brief_over_the_budget_of_characters_is_refused(tmp_path: Path) -> None:
    cell = "y" * 99
    text = tables(1, 1_000, 11, cell)  # 11,000 cells of 99 characters, and the headers
    assert problem(tmp_path, text) == (
        "brief.yaml:7:5: sections[0]: the brief holds 1,089,039 characters of text; at most "
        "1,000,000 are allowed in one brief — move part of it into another brief; this part "
        "alone holds 1,089,025 characters")


def test_a_file_of_more_than_100000_yaml_nodes_is_refused_while_it_is_read(
        tmp_path: Path) -> None:
    text = HEAD + "  points: [" + ", ".join(["p"] * 100_000) + "]\n"
    assert problem(tmp_path, text).startswith(
        "brief.yaml:6:")
    assert problem(tmp_path, text).endswith(
        "the file holds more than 100,000 keys, values and list items — split it into several "
        "briefs")


def test_a_text_may_have_at_most_100000_characters(tmp_path: Path) -> None:
    text = HEAD + "  summary: " + "a" * (MAX_TEXT_CHARS + 1) + "\n"
    assert problem(tmp_path, text) == (
        "brief.yaml:6:12: thesis.summary: text of 100,001 characters is longer than the "
        "100,000 allowed — shorten it, or move material elsewhere")


# Scalars as typed


def test_unquoted_scalars_stay_the_text_typed(tmp_path: Path) -> None:
    text = """\
meta:
  title: Yes
  subtitle: 010
  date: 2026-04
thesis:
  headline: 12:30
  points: [2026-04, on, 1e3]
sections:
  - title: S
    blocks:
      - table: {columns: [A, B, C], rows: [[12.50, 010, ~]]}
"""
    brief = load(tmp_path, text)
    assert brief.meta.title.plain == "Yes"
    assert brief.meta.subtitle is not None and brief.meta.subtitle.plain == "010"
    assert brief.meta.date == "2026-04"
    assert brief.thesis.headline.plain == "12:30"
    assert [p.plain for p in brief.thesis.points] == ["2026-04", "on", "1e3"]
    table = brief.sections[0].blocks[0].table
    assert table is not None
    assert [cell.plain for cell in table.rows[0]] == ["12.50", "010", ""]


def test_numbers_are_read_where_the_format_expects_numbers(tmp_path: Path) -> None:
    chart = "- chart: {type: bar, categories: [a, b], series: [{name: 2026, values: [1.5, 010]}]}"
    text = section(chart) + "predictions:\n  - {statement: s, confidence: 0.6}\n"
    brief = load(tmp_path, text.replace("thesis:", "brief: 1\nthesis:"))
    chart_block = brief.sections[0].blocks[0].chart
    assert chart_block is not None
    assert chart_block.series[0].name.plain == "2026"
    assert chart_block.series[0].values == [1.5, 10.0]
    assert brief.predictions[0].confidence == 0.6


# All at once


def test_every_problem_in_a_file_is_reported_at_once_with_a_count(tmp_path: Path) -> None:
    text = """\
meta:
  title: T
  title: U
  date: 2026-4-1
thesis:
  headlin: H
sections:
  - title: S
    blocks:
      - bulets: [a]
      - table: {columns: [A, B], rows: [[1], [2, 3, 4]]}
"""
    path = tmp_path / "brief.yaml"
    path.write_text(text)
    with pytest.raises(BriefError) as caught:
        load_brief(path, display="brief.yaml")
    assert caught.value.report().splitlines() == [
        "brief.yaml:3:3: meta.title: duplicate key 'title' (first given on line 2) — "
        "remove one of the two; YAML would silently keep only the last",
        "brief.yaml:4:9: meta.date: '2026-4-1' is not a date — "
        "write an ISO date as YYYY-MM-DD or YYYY-MM, e.g. 2026-04-15",
        "brief.yaml:6:3: thesis.headlin: unknown key 'headlin' — did you mean 'headline'?",
        "brief.yaml:10:9: sections[0].blocks[0]: unknown block type 'bulets' — "
        "did you mean 'bullets'?",
        "brief.yaml:11:41: sections[0].blocks[1].table.rows[0]: row has 1 cell but the table "
        "has 2 columns — give every row one cell per column; use \"\" for an empty cell",
        "brief.yaml:11:46: sections[0].blocks[1].table.rows[1]: row has 3 cells but the table "
        "has 2 columns — give every row one cell per column; use \"\" for an empty cell",
        "6 problems found",
    ]


# briefgen validate


def test_validate_reports_each_brief_and_keeps_going_after_a_broken_one(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(HEAD.replace("headline", "headlin"))
    good = tmp_path / "good.yaml"
    good.write_text(HEAD)
    result = runner.invoke(app, ["validate", str(broken), str(good)])
    assert result.exit_code == 1
    assert f"{broken}:5:3: thesis.headlin: unknown key 'headlin'" in result.output
    assert "1 problem found" in result.output
    assert f"{good}: ok" in result.output
    assert "Traceback" not in result.output


def test_validate_exits_0_when_every_brief_is_valid(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(HEAD)
    result = runner.invoke(app, ["validate", str(good), str(FIXTURES / "minimal.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok") == 2


def _tree(node: Any) -> Any:
    """A node tree as plain data: tag, style, value and marks of every node."""
    marks = (node.start_mark.index, node.end_mark.index, node.start_mark.line,
             node.start_mark.column)
    if isinstance(node.value, str):
        return (node.tag, node.style, node.value, marks)
    kids = [[_tree(k) for k in pair] if isinstance(pair, tuple) else _tree(pair)
            for pair in node.value]
    return (node.tag, getattr(node, "flow_style", None), kids, marks)


@pytest.mark.skipif(source._CParser is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", sorted([*FIXTURES.glob("*.yaml"), *ROOT.glob("briefs/*.yaml"),
                                         *ROOT.glob("themes/*.yaml")]), ids=lambda p: p.name)
def test_libyaml_composes_every_brief_and_theme_as_pyyaml_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        slow = yaml.compose(text, Loader=source._Loader)
    except yaml.YAMLError:
        pytest.skip("not YAML: the fast parser is never used for it")
    assert _tree(yaml.compose(text, Loader=source._FastLoader)) == _tree(slow)
