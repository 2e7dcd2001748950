"""Loading a brief: every kind of mistake gets one located line saying what is wrong and the fix."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.brief.loader import load_brief
from briefgen.brief.model import MAX_ROWS, MAX_TEXT_CHARS, Brief
from briefgen.cli import app
from briefgen.errors import BriefError
from briefgen.source import MAX_FILE_BYTES
from tests.conftest import FIXTURES

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
        "write a number from 0 to 1 (e.g. 0.6) or low, medium or high",
        "brief.yaml:10:17: predictions[1].confidence: 'sure' is not a confidence — "
        "write a number from 0 to 1 (e.g. 0.6) or low, medium or high",
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
        "add the closing quote; inside single quotes write a quote as ''")


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
