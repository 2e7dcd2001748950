"""`briefgen new`: a commented starter brief that validates, builds and shows every block type."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from briefgen.brief.loader import load_brief
from briefgen.brief.model import BLOCK_TYPES, json_schema_text
from briefgen.build import check
from briefgen.cli import app

runner = CliRunner()


def test_new_writes_a_starter_that_validates_with_the_schema_and_image_beside_it(
        tmp_path: Path) -> None:
    path = tmp_path / "drafts" / "wiki.yaml"
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 0, result.output
    brief = load_brief(path)
    assert brief.meta.title.plain
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=brief.schema.json\n")
    assert (tmp_path / "drafts" / "brief.schema.json").read_text() == json_schema_text()
    assert (tmp_path / "drafts" / "images" / "example.png").read_bytes()[:4] == b"\x89PNG"
    assert "briefgen build wiki.yaml" in path.read_text(encoding="utf-8")


def test_the_starter_shows_every_block_type_once(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    runner.invoke(app, ["new", str(path)])
    kinds = [block.kind for s in load_brief(path).sections for block in s.blocks]
    assert sorted(kinds) == sorted(BLOCK_TYPES)


def test_the_starter_plans_without_layout_warnings(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    runner.invoke(app, ["new", str(path)])
    result = check(path)
    assert (result.warnings, result.notes) == ([], [])


def test_new_refuses_to_overwrite_a_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text("mine")
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 1
    assert f"error: {path} exists; choose another name, or add --force to overwrite it" in (
        result.output)
    assert path.read_text() == "mine"


def test_new_overwrites_with_force_but_keeps_an_existing_schema_file(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text("mine")
    (tmp_path / "brief.schema.json").write_text("{}")
    result = runner.invoke(app, ["new", str(path), "--force"])
    assert result.exit_code == 0, result.output
    load_brief(path)
    assert (tmp_path / "brief.schema.json").read_text() == "{}"


def test_new_refuses_a_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", str(tmp_path)])
    assert result.exit_code == 1
    assert "is a folder" in result.output
