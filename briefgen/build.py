"""One build: load → plan → render for a brief in memory, then both outputs written or neither."""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct, field

from briefgen.errors import BuildError

if TYPE_CHECKING:
    from briefgen.brief.model import Brief
    from briefgen.layout.messages import LayoutMessage
    from briefgen.source import Document
    from briefgen.theme.model import Theme

FORMATS = ("pptx", "pdf")


class BuildResult(Struct):
    """What a build wrote, and what the planners had to say about it, located in the brief.

    `warnings` ask the author to change something (text shrunk below the theme's floor, a block
    cut); `notes` are decisions the author can expect (a section continued on another slide).
    """

    brief: Path | None
    outputs: dict[str, Path] = field(default_factory=dict)
    slides: int = 0
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Inputs(Struct, frozen=True):
    """A loaded brief with its theme, its images' pixel sizes and the files it was read from."""

    brief: Brief
    theme: Theme
    sizes: dict[str, tuple[int, int]]
    folder: Path  # image paths are relative to it
    document: Document | None  # the brief's positions, to locate layout messages
    files: tuple[Path, ...]  # every file the build reads, which no output may replace


def image_sizes(brief: Brief, base: Path) -> dict[str, tuple[int, int]]:
    """Pixel sizes of the brief's images, read once so the planner needs no file access."""
    from briefgen.brief.images import check_image_path, image_size
    from briefgen.brief.model import RuleViolation
    from briefgen.errors import BriefError, Problem

    sizes: dict[str, tuple[int, int]] = {}
    for n, section in enumerate(brief.sections):
        for m, block in enumerate(section.blocks):
            if block.image is not None and block.image.path not in sizes:
                # A Brief made in Python, or loaded against another folder than `base`, has
                # not had its image paths checked against `base` yet.
                try:
                    target = check_image_path(block.image.path, base)
                except RuleViolation as exc:
                    key = f"sections[{n}].blocks[{m}].image.path"
                    raise BriefError([Problem("<brief>", 1, 1, key, exc.message, exc.hint)]
                                     ) from None
                sizes[block.image.path] = image_size(target)
    return sizes


def load_inputs(brief: str | Path | Brief, theme: str | None = None,
                base: str | Path | None = None) -> Inputs:
    """Everything a build needs before planning; raises BriefError for a bad brief or theme."""
    from briefgen.brief.loader import validate
    from briefgen.brief.model import Brief
    from briefgen.source import read_yaml
    from briefgen.theme.loader import load_theme

    document = None
    files: list[Path] = []
    if isinstance(brief, Brief):
        folder = Path(base) if base else Path.cwd()
        loaded = brief
    else:
        path = Path(brief)
        folder = Path(base) if base else path.parent
        document = read_yaml(path, str(path), what="brief", collect=True)
        loaded = validate(document, Brief, base=path.parent)
        files.append(path)
    chosen = load_theme(theme)
    sizes = image_sizes(loaded, folder)
    files += [Path(f) for f in chosen.files]
    files += [folder / name for name in sizes]
    return Inputs(loaded, chosen, sizes, folder, document, tuple(files))


_built_before: list[bool] = []  # a deck was built in this process


def make(inputs: Inputs, formats: Iterable[str] = FORMATS
         ) -> tuple[dict[str, bytes], int, int, list[LayoutMessage]]:
    """Plan and render the wanted formats in memory: their bytes, the slide and page counts and
    the planners' messages. Each format imports its own libraries only when it is wanted."""
    from briefgen.layout.messages import unique

    wanted = set(formats)
    data: dict[str, bytes] = {}
    slides = pages = 0
    messages: list[LayoutMessage] = []
    if "pptx" in wanted:
        from briefgen.layout.deck import plan_deck
        from briefgen.render.pptx import render_pptx

        # What is alive before a process's first build (the modules, the inputs) lasts as
        # long as the process; with the collector tuned to run rarely it is still young, and
        # the collection below would walk it all (~20 ms): it is set apart meanwhile, then
        # joins the old generation, where collections of the young ones no longer walk it.
        first = not _built_before
        if first:
            gc.freeze()
        deck, said = plan_deck(inputs.brief, inputs.theme, inputs.sizes)
        data["pptx"], slides = render_pptx(deck, inputs.folder), len(deck.slides)
        messages += said
        # The presentation python-pptx built is a web of cycles that the collector, tuned to
        # run rarely (cli.tune_runtime), would keep through the memo: free it before. Only
        # the young generations: the old one holds the modules and fonts, and is large.
        del deck
        gc.collect(1)
        if first:
            gc.unfreeze()
            _built_before.append(True)
    if "pdf" in wanted:
        from briefgen.layout.memo import plan_memo
        from briefgen.render.pdf import render_pdf

        memo, said = plan_memo(inputs.brief, inputs.theme, inputs.sizes)
        data["pdf"], pages = render_pdf(memo, inputs.folder)
        messages += said
    return data, slides, pages, unique(messages)


def locate(messages: Iterable[LayoutMessage], document: Document | None
           ) -> tuple[list[str], list[str]]:
    """The messages as `file:line:column: key: text`, split into (notes, warnings)."""
    from briefgen.errors import Problem
    from briefgen.layout.messages import key_path

    notes: list[str] = []
    # What the reader noticed comes first: text YAML read other than it looks.
    warnings = [str(problem) for problem in document.warnings] if document else []
    for message in messages:
        if document is None:
            text = f"<brief>: {message}"
        elif message.key:
            line, column = document.locate(key_path(message.key), key=True)
            text = str(Problem(document.file, line, column, message.key, message.text))
        else:
            text = f"{document.file}: {message.text}"
        (notes if message.level == "note" else warnings).append(text)
    return notes, warnings


def check(brief: str | Path | Brief, theme: str | None = None,
          base: str | Path | None = None) -> BuildResult:
    """Everything a build does but writing: a brief that checks out builds."""
    started = time.perf_counter()
    inputs = load_inputs(brief, theme, base)
    _, slides, pages, messages = make(inputs)
    notes, warnings = locate(messages, inputs.document)
    path = None if inputs.document is None else Path(brief)  # type: ignore[arg-type]
    return BuildResult(path, {}, slides, pages, warnings, notes,
                       time.perf_counter() - started)


def build(
    brief: str | Path | Brief,
    theme: str | None = None,
    out: str | Path = "out",
    formats: Iterable[str] = FORMATS,
    *,
    base: str | Path | None = None,
    stem: str | None = None,
) -> BuildResult:
    """Build a brief (a path or a loaded Brief) into `out`; raises BriefError on a bad brief.

    Outputs are `out/<stem>.<format>`; `stem` defaults to the file's name ("brief" for a loaded
    Brief) and `base`, the folder image paths are relative to, to the brief's folder (the
    working folder for a loaded Brief). Everything is validated, planned and rendered in memory
    before any output is touched, and the outputs replace the old ones together or not at all;
    an unwritable `out`, or an output that would replace one of the build's own inputs, raises
    BuildError.
    """
    from briefgen.brief.model import Brief

    started = time.perf_counter()
    wanted = [f for f in FORMATS if f in set(formats)]
    name = stem or ("brief" if isinstance(brief, Brief) else Path(brief).stem)
    inputs = load_inputs(brief, theme, base)
    targets = {fmt: Path(out) / f"{name}.{fmt}" for fmt in wanted}
    refuse_inputs(targets.values(), inputs.files)
    data, slides, pages, messages = make(inputs, wanted)
    notes, warnings = locate(messages, inputs.document)
    result = BuildResult(None if isinstance(brief, Brief) else Path(brief), {}, slides, pages,
                         warnings, notes)
    try:
        write_together({targets[fmt]: data[fmt] for fmt in wanted})
    except OSError as exc:
        raise BuildError(f"cannot write to {out}: {exc.strerror or exc}") from None
    result.outputs = targets
    result.seconds = time.perf_counter() - started
    return result


def refuse_inputs(targets: Iterable[Path], inputs: Iterable[Path]) -> None:
    """An output that is one of the build's inputs (the brief, its theme, template, logo or an
    image) would destroy it: refuse before anything is made."""
    read = list(inputs)
    for target in targets:
        for source in read:
            if _same_file(target, source):
                raise BuildError(f"{target} would overwrite {source}, which this build reads — "
                                 "choose another --out folder or rename the brief")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _mode_for(target: Path) -> int:
    """The permissions writing `target` in place would leave: those of the file it replaces,
    or those the umask gives a new file (mkstemp's own 0600 would hide outputs from others)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _temporary_beside(target: Path, data: bytes) -> Path:
    """A new file beside `target` holding `data`, on the disk before it is renamed into place:
    after a crash the target holds the old bytes or the new ones, never an empty file."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            getattr(os, "fdatasync", os.fsync)(stream.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _keep_aside(target: Path) -> Path:
    """A second name for the file at `target`, to put it back if the files cannot all be
    replaced: a hard link, or a copy where the file system has none."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
    os.close(handle)
    kept = Path(temp)
    try:
        kept.unlink()
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)
    return kept


def write_atomically(target: Path, data: bytes) -> None:
    """Write one file: to a temporary beside `target`, then renamed into place."""
    write_together({target: data})


def write_together(files: dict[Path, bytes]) -> None:
    """Replace every file with its new bytes, or none of them.

    Every new file is written to a temporary beside its target and every file it replaces is
    kept as a temporary copy; only then are the new files renamed into place. If a rename
    fails, the ones already done are undone, so the folder holds the old files or the new
    ones, never a mix of the two.
    """
    new: dict[Path, Path] = {}
    old: dict[Path, Path] = {}
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            new[target] = _temporary_beside(target, data)
            os.chmod(new[target], _mode_for(target))
            if target.exists():
                old[target] = _keep_aside(target)
        done: list[Path] = []
        try:
            for target, temp in new.items():
                os.replace(temp, target)
                done.append(target)
        except BaseException:
            for target in reversed(done):
                if target in old:
                    os.replace(old.pop(target), target)
                else:
                    target.unlink(missing_ok=True)
            raise
    finally:
        for temp in [*new.values(), *old.values()]:
            temp.unlink(missing_ok=True)
