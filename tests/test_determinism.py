"""Trustworthy outputs: a failed build touches nothing, and a rebuild is byte-identical."""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import NoReturn

import pytest
from pptx.oxml import parse_xml
from typer.testing import CliRunner

import briefgen.render.pdf
import briefgen.render.pptx
from briefgen.build import build
from briefgen.cli import app
from briefgen.errors import BriefError, BuildError
from briefgen.render.recall import Recall
from tests.conftest import FIXTURES, ROOT, SAMPLE

runner = CliRunner()
# The module, not the function of the same name that `briefgen` exports.
briefgen_build = importlib.import_module("briefgen.build")

BROKEN = "meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headlin: x\n"
MINIMAL = FIXTURES / "minimal.yaml"
EVERY_BLOCK = FIXTURES / "every-block.yaml"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in a folder, hidden ones included, by name → sha256."""
    return {p.name: sha256(p) for p in sorted(folder.iterdir())}


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


@pytest.fixture()
def previous(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An output folder holding a good earlier build of `brief.yaml` (the minimal fixture)."""
    brief = tmp_path / "brief.yaml"
    brief.write_bytes(MINIMAL.read_bytes())
    out = tmp_path / "out"
    build(brief, out=out)
    before = snapshot(out)
    assert sorted(before) == ["brief.pdf", "brief.pptx"]
    return brief, before


# Atomic outputs


def test_a_bad_brief_is_refused_before_the_output_folder_is_created(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(BROKEN)
    out = tmp_path / "deep" / "out"
    with pytest.raises(BriefError):
        build(brief, out=out)
    assert not (tmp_path / "deep").exists()


def test_the_cli_refuses_a_bad_brief_without_creating_the_output_folder(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(BROKEN)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(brief), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "unknown key 'headlin'" in result.output
    assert not out.exists()


def test_a_bad_brief_leaves_the_previous_outputs_byte_identical(
        previous: tuple[Path, dict[str, str]]) -> None:
    brief, before = previous
    brief.write_text(BROKEN)
    with pytest.raises(BriefError):
        build(brief, out=brief.parent / "out")
    assert snapshot(brief.parent / "out") == before


def test_an_exception_mid_render_leaves_the_previous_outputs_and_no_temporary_file(
        previous: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    brief, before = previous
    brief.write_text(brief.read_text().replace("Minimal brief", "Changed brief"))

    def explode(*args: object, **kwargs: object) -> tuple[bytes, int]:
        raise RuntimeError("renderer crashed halfway")

    monkeypatch.setattr(briefgen.render.pdf, "render_pdf", explode)
    with pytest.raises(RuntimeError, match="halfway"):
        build(brief, out=brief.parent / "out")
    # The deck was rendered before the memo failed, yet neither output was replaced.
    assert snapshot(brief.parent / "out") == before
    assert temporary_files(brief.parent / "out") == []


def no_child_processes_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


# Where a build fails, and with what: the deck, the memo, Ctrl-C.
FAILURES = {
    "deck": (briefgen.render.pptx, "render_pptx", RuntimeError("deck failed")),
    "memo": (briefgen.render.pdf, "render_pdf", RuntimeError("memo failed")),
    "ctrl-c": (briefgen.render.pptx, "render_pptx", KeyboardInterrupt()),
}


@pytest.mark.parametrize("where", list(FAILURES))
def test_a_failing_build_leaves_the_previous_outputs_no_temporary_file_and_no_child(
        where: str, previous: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
        ) -> None:
    module, name, failure = FAILURES[where]
    brief, before = previous
    brief.write_text(brief.read_text().replace("Minimal brief", "Changed brief"))

    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise failure

    monkeypatch.setattr(module, name, fail)
    with pytest.raises(type(failure), match=str(failure) or None):
        build(brief, out=brief.parent / "out")
    assert no_child_processes_left()
    assert snapshot(brief.parent / "out") == before
    assert temporary_files(brief.parent / "out") == []


def test_a_build_runs_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> NoReturn:
        raise AssertionError("a build forked")

    monkeypatch.setattr(os, "fork", no_fork)
    result = build(MINIMAL, out=tmp_path)
    assert sorted(result.outputs) == ["pdf", "pptx"]
    assert no_child_processes_left()


@pytest.mark.parametrize("links", [True, False], ids=["hard links", "no hard links"])
def test_when_the_second_rename_fails_the_first_output_is_put_back(
        previous: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch,
        links: bool) -> None:
    brief, before = previous
    if not links:  # a file system without hard links: the old outputs are kept as copies
        def no_link(*_: object) -> NoReturn:
            raise OSError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    brief.write_text(brief.read_text().replace("Minimal brief", "Changed brief"))
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def second_fails(source: str | Path, target: str | Path) -> None:
        calls.append((Path(source).name, Path(target).name))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(BuildError, match="No space left"):
        build(brief, out=brief.parent / "out")
    assert [target for _, target in calls] == ["brief.pptx", "brief.pdf", "brief.pptx"], (
        "the new deck went in, the memo failed, and the old deck was put back")
    assert snapshot(brief.parent / "out") == before, "the old pair is there, not a mix"
    assert temporary_files(brief.parent / "out") == []


def test_a_first_build_whose_second_rename_fails_leaves_no_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def memo_fails(source: str | Path, target: str | Path) -> None:
        if Path(target).suffix == ".pdf":
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", memo_fails)
    with pytest.raises(BuildError):
        build(MINIMAL, out=tmp_path / "out")
    assert snapshot(tmp_path / "out") == {}


@pytest.mark.parametrize("name", ["brief.pdf", "brief.pptx"])
def test_a_build_never_overwrites_its_own_brief(name: str, tmp_path: Path) -> None:
    brief = tmp_path / name
    brief.write_bytes(MINIMAL.read_bytes())
    with pytest.raises(BuildError, match="would overwrite"):
        build(brief, out=tmp_path)
    assert brief.read_bytes() == MINIMAL.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_build_never_overwrites_an_image_it_reads(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), "navy").save(tmp_path / "brief.pptx", format="PNG")
    brief = tmp_path / "brief.yaml"
    brief.write_text(MINIMAL.read_text() + "sections:\n  - title: S\n    blocks:\n"
                     "      - image: {path: brief.pptx, alt: A picture}\n")
    result = runner.invoke(app, ["build", str(brief), "-o", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "would overwrite" in result.output
    assert (tmp_path / "brief.pptx").read_bytes()[:4] == b"\x89PNG"


def test_a_failed_rename_leaves_the_previous_outputs_and_no_temporary_file(
        previous: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    brief, before = previous
    brief.write_text(brief.read_text().replace("Minimal brief", "Changed brief"))

    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(BuildError, match="cannot write"):
        build(brief, out=brief.parent / "out")
    assert snapshot(brief.parent / "out") == before
    assert temporary_files(brief.parent / "out") == []


def test_a_successful_rebuild_replaces_the_outputs_and_leaves_no_temporary_file(
        previous: tuple[Path, dict[str, str]]) -> None:
    brief, before = previous
    brief.write_text(brief.read_text().replace("Minimal brief", "Changed brief"))
    build(brief, out=brief.parent / "out")
    after = snapshot(brief.parent / "out")
    assert sorted(after) == sorted(before)
    assert all(after[name] != before[name] for name in before)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_outputs_get_the_permissions_a_plain_write_would_give(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        first = build(MINIMAL, out=tmp_path).outputs
    finally:
        os.umask(old)
    assert {p.stat().st_mode & 0o777 for p in first.values()} == {0o644}
    first["pdf"].chmod(0o640)  # a rebuild keeps what the user chose
    again = build(MINIMAL, out=tmp_path).outputs
    assert again["pdf"].stat().st_mode & 0o777 == 0o640
    assert again["pptx"].stat().st_mode & 0o777 == 0o644


# Byte-identical rebuilds


def build_in_subprocesses(brief: Path, outs: list[Path]) -> None:
    """Build `brief` once into each folder, each in its own process with its own hash seed,
    time zone and working folder, all at the same time."""
    processes = []
    for n, out in enumerate(outs):
        env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
        env.update(PYTHONHASHSEED=str(n * 7919 + 1),
                   TZ=("UTC", "Asia/Kolkata", "America/St_Johns")[n % 3])
        out.mkdir(parents=True)
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", str(brief), "--out", str(out), "-q"],
            cwd=out, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for process in processes:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output


def differing_members(first: Path, second: Path) -> list[str]:
    """Names of the zip members (and members of embedded workbooks) whose bytes differ."""
    def members(data: bytes, prefix: str = "") -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for info in package.infolist():
                content = package.read(info)
                found[prefix + info.filename] = content + repr(info.date_time).encode()
                if info.filename.endswith(".xlsx"):
                    found.update(members(content, prefix + info.filename + "!"))
        return found

    a, b = members(first.read_bytes()), members(second.read_bytes())
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.mark.slow
@pytest.mark.parametrize("brief", [SAMPLE, EVERY_BLOCK], ids=lambda p: p.stem)
def test_two_builds_in_separate_processes_are_byte_identical(brief: Path, tmp_path: Path
                                                             ) -> None:
    outs = [tmp_path / "first", tmp_path / "second"]
    build_in_subprocesses(brief, outs)
    for fmt in ("pptx", "pdf"):
        first, second = (out / f"{brief.stem}.{fmt}" for out in outs)
        if fmt == "pptx" and sha256(first) != sha256(second):
            pytest.fail(f"{brief.stem}.pptx differs in {differing_members(first, second)}")
        assert sha256(first) == sha256(second), f"{brief.stem}.{fmt} differs"


@pytest.mark.slow
def test_a_build_does_not_depend_on_what_the_process_built_before(tmp_path: Path) -> None:
    # Batch workers and watch mode build many briefs in one process: fonts, subsets and caches
    # left over from an earlier brief must not leak into the next one's bytes.
    alone = build(EVERY_BLOCK, out=tmp_path / "alone")
    build(FIXTURES / "cjk.yaml", out=tmp_path / "other")
    build(FIXTURES / "escaping.yaml", out=tmp_path / "other")
    after = build(EVERY_BLOCK, out=tmp_path / "after")
    for fmt in ("pptx", "pdf"):
        assert sha256(alone.outputs[fmt]) == sha256(after.outputs[fmt]), fmt


def test_the_pptx_and_its_chart_workbooks_carry_fixed_dates(tmp_path: Path) -> None:
    deck = build(EVERY_BLOCK, out=tmp_path, formats=["pptx"]).outputs["pptx"]
    with zipfile.ZipFile(deck) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
        workbooks = [package.read(n) for n in package.namelist() if n.endswith(".xlsx")]
    assert "<dcterms:created" in core and "2026-04-15T00:00:00Z" in core
    assert workbooks, "every-block.yaml has charts, so the deck embeds their workbooks"
    for data in workbooks:
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            assert {i.date_time for i in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            stamps = workbook.read("docProps/core.xml").decode()
        assert stamps.count("2026-04-15T00:00:00Z") == 2, stamps


@pytest.mark.parametrize("epoch", [None, "1700000000", "not a number"])
def test_the_memo_is_dated_from_the_brief_whatever_the_environment_says(
        epoch: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # reportlab would stamp SOURCE_DATE_EPOCH (and fail on one that is not a number); the
    # memo carries the brief's date, as the deck's core properties do.
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    memo = build(MINIMAL, out=tmp_path, formats=["pdf"]).outputs["pdf"].read_bytes()
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(memo)).metadata
    assert info is not None
    assert info.get("/CreationDate") == info.get("/ModDate") == "D:20260415000000+00'00'"
    assert os.environ.get("SOURCE_DATE_EPOCH") == epoch


def test_the_outputs_do_not_depend_on_the_working_folder_or_the_briefs_location(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = build(MINIMAL, out=tmp_path / "a")
    copy = tmp_path / "elsewhere" / "minimal.yaml"
    copy.parent.mkdir()
    copy.write_bytes(MINIMAL.read_bytes())
    monkeypatch.chdir(ROOT / "tests")
    there = build(copy, out=tmp_path / "b")
    for fmt in ("pptx", "pdf"):
        assert sha256(here.outputs[fmt]) == sha256(there.outputs[fmt]), fmt


def test_a_rebuild_after_an_edit_is_the_deck_a_new_process_makes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A rebuild reads unchanged slides back from the last deck's XML (as watch rebuilds after
    # each edit): the edited slide, its new link and every other slide must come out as a
    # process that never built the brief would make them.
    edited = tmp_path / "edited.yaml"
    text = EVERY_BLOCK.read_text()
    assert "https://example.com/baltic-freight-2026)" in text
    edited.write_text(text.replace("https://example.com/baltic-freight-2026)",
                                   "https://example.com/freight-2027)", 1)
                      .replace("The incumbents", "The two incumbents", 1))
    shutil.copytree(EVERY_BLOCK.parent / "images", tmp_path / "images")
    build(EVERY_BLOCK, out=tmp_path / "first", stem="edited", formats=["pptx"])
    reused = []
    monkeypatch.setattr(briefgen.render.pptx, "parse_xml",
                        lambda xml: reused.append(xml) or parse_xml(xml))
    rebuilt = build(edited, out=tmp_path / "rebuilt", formats=["pptx"]).outputs["pptx"]
    assert reused, "the slides the edit left alone are read back, not drawn again"
    monkeypatch.setattr(briefgen.render.pptx, "_DRAWN", Recall(room=4_000_000))
    fresh = build(edited, out=tmp_path / "fresh", formats=["pptx"]).outputs["pptx"]
    assert differing_members(rebuilt, fresh) == []
    with zipfile.ZipFile(rebuilt) as package:
        links = [package.read(name).decode() for name in package.namelist()
                 if name.startswith("ppt/slides/_rels/")]
    assert any("https://example.com/freight-2027" in rels for rels in links)


def test_a_long_deck_keeps_its_first_slides_for_the_next_one_up_to_the_budget(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What is kept lives through the memo and until the next deck: a long deck keeps only
    # its first slides' XML, and its rebuild draws the others again, the same as before.
    monkeypatch.setattr(briefgen.render.pptx, "_DRAWN", Recall(room=40_000))
    shutil.copytree(EVERY_BLOCK.parent / "images", tmp_path / "images")
    first = build(EVERY_BLOCK, out=tmp_path / "first", formats=["pptx"])
    kept = briefgen.render.pptx._DRAWN.last
    assert 0 < sum(len(known.xml) for known in kept.values()) <= 40_000
    assert len(kept) < first.slides
    rebuilt = build(EVERY_BLOCK, out=tmp_path / "rebuilt", formats=["pptx"]).outputs["pptx"]
    assert differing_members(rebuilt, first.outputs["pptx"]) == []


def test_the_memory_of_a_render_keeps_what_fits_in_its_room() -> None:
    memory: Recall[str] = Recall(room=10)
    memory.begin()
    assert memory.keep("a", "A", 6) and memory.keep("a", "A", 6)  # once, however often
    assert not memory.keep("b", "B", 5)
    assert memory.keep("c", "C", 4)
    memory.done()
    assert (memory.get("a"), memory.get("b"), memory.get("c")) == ("A", None, "C")
    memory.begin()
    memory.done()  # a render that kept nothing leaves nothing for the next
    assert memory.get("a") is None
