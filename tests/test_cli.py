"""The command line end to end: build writes files, a broken brief exits 1 in one line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from briefgen.cli import app
from tests.conftest import SAMPLE

runner = CliRunner()


def test_build_writes_the_deck_and_the_memo_and_prints_their_counts(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "alibaba-one-ai.pptx").is_file()
    assert (tmp_path / "alibaba-one-ai.pdf").is_file()
    assert "slides)" in result.output
    assert "pages)" in result.output


def test_build_can_write_one_format(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alibaba-one-ai.pdf"]


def test_a_broken_brief_exits_1_with_a_located_one_line_message(tmp_path: Path) -> None:
    brief = tmp_path / "broken.yaml"
    brief.write_text("meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headlin: x\n")
    result = runner.invoke(app, ["build", str(brief), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == (f"{brief}:5:3: thesis.headlin: unknown key 'headlin' — "
                        "did you mean 'headline'?")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_missing_brief_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output
    assert "Traceback" not in result.output
