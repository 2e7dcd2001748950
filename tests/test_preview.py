"""Preview pictures: PNGs of slides and memo pages through LibreOffice and poppler, checked."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

import briefgen.preview
from briefgen.cli import app
from briefgen.errors import BuildError
from tests.conftest import FIXTURES

runner = CliRunner()

have_tools = shutil.which("soffice") is not None and shutil.which("pdftoppm") is not None


@pytest.mark.slow
@pytest.mark.skipif(not have_tools, reason="needs soffice and pdftoppm")
def test_preview_writes_every_slide_every_memo_page_and_a_contact_sheet(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "minimal.yaml")
    folder = tmp_path / "pictures" / "minimal"
    folder.mkdir(parents=True)
    (folder / "slide-07.png").write_bytes(b"left over from a longer version")
    result = runner.invoke(app, ["preview", str(tmp_path / "minimal.yaml"),
                                 "--out", str(tmp_path / "pictures")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "contact-sheet.png", "memo-01.png", "slide-01.png", "slide-02.png"]
    with Image.open(folder / "slide-01.png") as slide:
        assert slide.format == "PNG"
        assert slide.width > slide.height  # a 16:9 slide, not a blank page
        shades = slide.convert("L").getcolors()
        assert shades is not None and len(shades) > 1  # something was drawn
    with Image.open(folder / "memo-01.png") as page:
        assert page.height > page.width
    assert f"{folder / 'slide-01.png'} … slide-02.png (2 slides)" in result.output


def test_a_missing_tool_is_named_with_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "soffice" else "/bin/x")
    result = runner.invoke(app, ["preview", str(FIXTURES / "minimal.yaml"),
                                 "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "LibreOffice (soffice)" in result.output
    assert "poppler" not in result.output.split("install with")[0]
    assert "apt-get install libreoffice-impress poppler-utils" in result.output
    assert list(tmp_path.iterdir()) == []


def test_libreoffice_exiting_0_without_a_pdf_is_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def quiet_failure(command: list[str], timeout: float, what: str
                      ) -> subprocess.CompletedProcess[str]:
        assert any(arg.startswith("-env:UserInstallation=file://") for arg in command)
        return subprocess.CompletedProcess(command, 0, "", "Error: source file could not be loaded")

    monkeypatch.setattr(briefgen.preview, "_run", quiet_failure)
    with pytest.raises(BuildError, match="could not be loaded"):
        briefgen.preview.deck_to_pdf("soffice", tmp_path / "deck.pptx", tmp_path)


def test_a_deck_pdf_with_the_wrong_page_count_is_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(briefgen.preview, "deck_to_pdf",
                        lambda soffice, deck, folder: deck)
    monkeypatch.setattr(briefgen.preview, "pdf_to_pngs",
                        lambda pdftoppm, pdf, folder, name: [])
    with pytest.raises(BuildError, match="made 0 pages of a deck of 2 slides"):
        briefgen.preview.preview(FIXTURES / "minimal.yaml", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_tool_that_hangs_is_stopped_after_its_timeout() -> None:
    with pytest.raises(BuildError, match="did not finish within"):
        briefgen.preview._run(["sleep", "5"], 0.2, "sleep")
