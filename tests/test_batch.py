"""Building many briefs: folders, parallel workers, progress, the summary and clashing names."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.batch import Outcome, Progress, find_briefs
from briefgen.cli import app
from tests.conftest import FIXTURES

runner = CliRunner()

BROKEN = "meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headlin: x\n"


def _folder(root: Path, count: int, broken: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        shutil.copy(FIXTURES / "minimal.yaml", root / f"brief-{number:02d}.yaml")
    if broken:
        (root / "broken.yaml").write_text(BROKEN)
    return root


@pytest.fixture(scope="module")
def dozen(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A folder of eleven good briefs and a broken one, built with two workers."""
    root = tmp_path_factory.mktemp("dozen")
    folder = _folder(root / "briefs", 11, broken=True)
    out = root / "out"
    result = runner.invoke(app, ["build", str(folder), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    return folder, out, result.output


def test_a_broken_brief_fails_alone_and_the_others_are_built(
        dozen: tuple[Path, Path, str]) -> None:
    _, out, _ = dozen
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"brief-{n:02d}.{fmt}" for n in range(1, 12) for fmt in ("pptx", "pdf"))


def test_the_broken_briefs_errors_are_printed_under_its_name(
        dozen: tuple[Path, Path, str]) -> None:
    folder, _, output = dozen
    lines = output.splitlines()
    name = f"{folder / 'broken.yaml'}: failed"
    at = next(i for i, line in enumerate(lines) if line.endswith(name))
    assert "thesis.headlin: unknown key 'headlin'" in lines[at + 1]
    assert lines[at + 1].startswith("  ")


def test_the_batch_ends_with_a_summary_table(dozen: tuple[Path, Path, str]) -> None:
    folder, _, output = dozen
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("brief "))
    assert lines[header].split() == ["brief", "slides", "pages", "warnings", "seconds", "result"]
    rows = lines[header + 1:header + 13]
    assert rows[0].split()[:5] == [str(folder / "brief-01.yaml"), "2", "1", "0", rows[0].split()[4]]
    assert rows[-1].split()[-1] == "failed"
    assert lines[header + 13].startswith("12 briefs: 11 built, 1 failed in ")


def test_output_that_is_not_a_terminal_has_plain_lines_and_no_control_characters(
        dozen: tuple[Path, Path, str]) -> None:
    _, _, output = dozen
    assert "\r" not in output
    assert "\x1b" not in output
    assert sum(1 for line in output.splitlines() if line.startswith("[")) == 12


def test_quiet_prints_nothing_when_every_brief_builds(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "briefs", 3)
    result = runner.invoke(app, ["build", str(folder), "-o", str(tmp_path / "out"), "-q",
                                 "-j", "2"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert len(list((tmp_path / "out").glob("*.pptx"))) == 3


def test_quiet_still_prints_the_errors(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "briefs", 1, broken=True)
    result = runner.invoke(app, ["build", str(folder), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert "thesis.headlin" in result.output
    assert "brief-01" not in result.output


def test_a_terminal_gets_a_bar_redrawn_in_place() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(2, Progress.mode_for(False, stream), stream=stream)
    progress.start()
    progress.done(Outcome(Path("a.yaml"), error="a.yaml:1:1: bad"))
    progress.done(Outcome(Path("b.yaml"), error="b.yaml:1:1: bad"))
    progress.finish()
    text = stream.getvalue()
    assert progress.mode == "bar"
    assert text.startswith("\rbuilding ") and " 0/2" in text and " 1/2" in text
    # The bar is wiped before each message, and gone once every brief is done.
    assert "\r\x1b[2Ka.yaml: failed\n  a.yaml:1:1: bad\n" in text
    assert text.endswith("\r\x1b[2Kb.yaml: failed\n  b.yaml:1:1: bad\n")


def test_quiet_wins_over_a_terminal() -> None:
    assert Progress.mode_for(True) == "quiet"


def test_equal_names_in_two_folders_are_an_error_for_the_second(tmp_path: Path) -> None:
    first = _folder(tmp_path / "a", 1)
    second = _folder(tmp_path / "b", 1)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(first), str(second), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert "would overwrite those of" in result.output
    assert f"{second / 'brief-01.yaml'}: failed" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["brief-01.pdf", "brief-01.pptx"]


def test_recursive_mirrors_the_sub_folders_under_out(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    _folder(root, 1)
    _folder(root / "emea" / "2026", 1)
    (root / ".hidden").mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", root / ".hidden" / "skip.yaml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(root), "-r", "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert (out / "brief-01.pptx").is_file()
    assert (out / "emea" / "2026" / "brief-01.pptx").is_file()
    assert "2 briefs: 2 built, 0 failed" in result.output


def test_without_recursive_a_folder_gives_only_its_own_briefs(tmp_path: Path) -> None:
    root = _folder(tmp_path / "briefs", 2)
    _folder(root / "sub", 1)
    (root / "notes.txt").write_text("not a brief")
    found = find_briefs([root], tmp_path / "out")
    assert [job.brief.name for job in found.jobs] == ["brief-01.yaml", "brief-02.yaml"]
    assert all(job.out == tmp_path / "out" and not job.error for job in found.jobs)


def test_a_brief_named_twice_is_built_once(tmp_path: Path) -> None:
    root = _folder(tmp_path / "briefs", 1)
    found = find_briefs([root / "brief-01.yaml", root], tmp_path / "out")
    assert len(found.jobs) == 1


def test_a_folder_without_briefs_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["build", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert f"no briefs (*.yaml, *.yml) in {tmp_path / 'empty'}" in result.output


def test_a_bad_theme_is_reported_once_for_the_whole_batch(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "briefs", 2)
    result = runner.invoke(app, ["build", str(folder), "-t", "nope", "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.count("unknown theme 'nope'") == 1
    assert not (tmp_path / "o").exists()
