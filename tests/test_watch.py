"""Watching briefs: a save rebuilds, a broken save keeps the last good output, Ctrl-C is clean."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.batch import Job
from briefgen.cli import app
from briefgen.watch import Watcher, brief_inputs, theme_inputs
from tests.conftest import FIXTURES

runner = CliRunner()

IMAGE_SECTION = """
sections:
  - title: "A picture"
    blocks:
      - image:
          path: "images/sample.png"
          alt: "A sample"
"""


def _touch(path: Path) -> None:
    # A clear step in mtime, so the change is seen however coarse the file system's clock is.
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))


def _save(path: Path, text: str) -> None:
    path.write_text(text)
    _touch(path)


class Log:
    """Collects what the watcher prints."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, message: str, err: bool) -> None:
        self.lines.extend(message.splitlines())


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    target = tmp_path / "minimal.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", target)
    return target


def _watcher(brief: Path, log: Log, theme: str | None = None) -> Watcher:
    return Watcher([Job(brief, brief.parent / "out")], theme=theme, echo=log)


def test_it_builds_once_at_the_start(brief: Path) -> None:
    log = Log()
    outcomes = _watcher(brief, log).build_all()
    assert outcomes[0].ok
    assert (brief.parent / "out" / "minimal.pptx").is_file()
    assert " built " in log.lines[0] and "minimal.pptx (2 slides)" in log.lines[0]


def test_nothing_is_rebuilt_while_nothing_changes(brief: Path) -> None:
    watcher = _watcher(brief, Log())
    watcher.build_all()
    assert watcher.poll_once() == []


def test_a_saved_brief_is_rebuilt(brief: Path) -> None:
    log = Log()
    watcher = _watcher(brief, log)
    watcher.build_all()
    _save(brief, brief.read_text().replace("The smallest brief", "A changed brief"))
    outcomes = watcher.poll_once()
    assert len(outcomes) == 1 and outcomes[0].ok
    assert " rebuilt " in log.lines[-1]
    assert watcher.poll_once() == []


def test_a_broken_save_is_reported_and_the_last_good_output_kept(brief: Path) -> None:
    log = Log()
    watcher = _watcher(brief, log)
    watcher.build_all()
    deck = brief.parent / "out" / "minimal.pptx"
    good = deck.read_bytes()
    _save(brief, brief.read_text().replace("headline:", "headlin:"))
    outcomes = watcher.poll_once()
    assert not outcomes[0].ok
    assert any("failed" in line and "kept the last good output" in line for line in log.lines)
    assert any("thesis.headlin: unknown key" in line for line in log.lines)
    assert deck.read_bytes() == good
    _save(brief, brief.read_text().replace("headlin:", "headline:"))
    assert watcher.poll_once()[0].ok


def test_a_changed_image_rebuilds_the_brief_that_shows_it(brief: Path) -> None:
    (brief.parent / "images").mkdir()
    image = brief.parent / "images" / "sample.png"
    shutil.copy(FIXTURES / "images" / "sample.png", image)
    brief.write_text(brief.read_text() + IMAGE_SECTION)
    watcher = _watcher(brief, Log())
    assert watcher.build_all()[0].ok
    _touch(image)
    assert len(watcher.poll_once()) == 1


def test_an_image_that_appears_later_is_watched_too(brief: Path) -> None:
    brief.write_text(brief.read_text() + IMAGE_SECTION)
    assert brief.parent / "images" / "sample.png" in brief_inputs(brief)
    watcher = _watcher(brief, Log())
    assert not watcher.build_all()[0].ok
    (brief.parent / "images").mkdir()
    shutil.copy(FIXTURES / "images" / "sample.png", brief.parent / "images" / "sample.png")
    assert watcher.poll_once()[0].ok


def test_a_saved_theme_rebuilds_and_so_does_the_theme_it_extends(brief: Path) -> None:
    theme = brief.parent / "mine.yaml"
    theme.write_text("extends: corporate\nname: mine\n")
    assert {p.name for p in theme_inputs(str(theme))} == {"mine.yaml", "corporate.yaml"}
    log = Log()
    watcher = _watcher(brief, log, theme=str(theme))
    assert watcher.build_all()[0].ok, log.lines
    _save(theme, "extends: corporate\nname: mine\ncolors: {primary: '#112233'}\n")
    assert watcher.poll_once()[0].ok, log.lines


def test_run_polls_until_stopped(brief: Path) -> None:
    watcher = _watcher(brief, Log())
    watcher.build_all()
    watcher.run(interval=0.001, max_polls=3)
    stop = threading.Event()
    stop.set()
    watcher.run(interval=10, stop=stop)  # returns at once


def test_ctrl_c_stops_the_watch_with_exit_code_0(
        brief: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(self: Watcher, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Watcher, "run", interrupt)
    result = runner.invoke(app, ["watch", str(brief), "--out", str(brief.parent / "out")])
    assert result.exit_code == 0, result.output
    assert "stopped watching" in result.output
    assert "Traceback" not in result.output
    assert (brief.parent / "out" / "minimal.pdf").is_file()


def test_a_brief_missing_mid_save_waits_for_the_new_version(brief: Path) -> None:
    log = Log()
    watcher = _watcher(brief, log)
    watcher.build_all()
    text = brief.read_text()
    brief.unlink()
    assert watcher.poll_once() == []
    _save(brief, text.replace("The smallest brief", "A saved brief"))
    assert watcher.poll_once()[0].ok
    assert not any("failed" in line for line in log.lines)
