"""One build: load → plan → render for a brief, written atomically next to nothing half-done."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BuildError

if TYPE_CHECKING:
    from briefgen.brief.model import Brief
    from briefgen.layout.memo import MemoPlan
    from briefgen.layout.plan import DeckPlan

FORMATS = ("pptx", "pdf")
# Render the deck in a forked child beside the memo; batch workers turn this off.
_render_in_parallel = True


def render_alone() -> None:
    """Render deck and memo one after the other in this process (for pool workers)."""
    global _render_in_parallel
    _render_in_parallel = False


@dataclass
class BuildResult:
    """What a build wrote and what the planner had to say about it."""

    brief: Path | None
    outputs: dict[str, Path] = field(default_factory=dict)
    slides: int = 0
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def image_sizes(brief: Brief, base: Path) -> dict[str, tuple[int, int]]:
    """Pixel sizes of the brief's images, read once so the planner needs no file access."""
    from PIL import Image

    from briefgen.brief.images import check_image_path
    from briefgen.brief.model import RuleViolation
    from briefgen.errors import BriefError, Problem

    sizes: dict[str, tuple[int, int]] = {}
    for n, section in enumerate(brief.sections):
        for m, block in enumerate(section.blocks):
            if block.image is not None and block.image.path not in sizes:
                # A Brief made in Python, or loaded against another folder than `base`, has
                # not had its image paths checked against `base` yet.
                try:
                    check_image_path(block.image.path, base)
                except RuleViolation as exc:
                    key = f"sections[{n}].blocks[{m}].image.path"
                    raise BriefError([Problem("<brief>", 1, 1, key, exc.message, exc.hint)]
                                     ) from None
                with Image.open(base / block.image.path) as picture:
                    sizes[block.image.path] = picture.size
    return sizes


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def plan_brief(brief: Brief, theme_name: str | None, base: Path
               ) -> tuple[DeckPlan, MemoPlan, list[str]]:
    """Plans of the deck and memo for a loaded brief, with their layout warnings."""
    from briefgen.layout.deck import plan_deck
    from briefgen.layout.memo import plan_memo
    from briefgen.theme.loader import load_theme

    theme = load_theme(theme_name)
    sizes = image_sizes(brief, base)
    deck, deck_warnings = plan_deck(brief, theme, sizes)
    memo, memo_warnings = plan_memo(brief, theme, sizes)
    warnings = list(dict.fromkeys([*deck_warnings, *memo_warnings]))
    return deck, memo, warnings


def render_both(deck: DeckPlan, memo: MemoPlan, folder: Path) -> tuple[bytes, tuple[bytes, int]]:
    """Render the deck in a forked child while this process renders the memo.

    The renderers share nothing once the plans exist, so on two cores this hides the deck's
    time. Where fork is not safe (no fork, other threads running) or the child fails, the
    deck is rendered here, so its error, if any, is raised as usual.
    """
    import threading

    from briefgen.render.pdf import render_pdf
    from briefgen.render.pptx import render_pptx

    if not _render_in_parallel or not hasattr(os, "fork") or threading.active_count() > 1:
        return render_pptx(deck, folder), render_pdf(memo, folder)
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child process
        os.close(read_end)
        status = 0
        try:
            data = render_pptx(deck, folder)
        except BaseException:
            data, status = b"", 1
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)
        os._exit(status)
    os.close(write_end)
    try:
        memo_result = render_pdf(memo, folder)
    finally:
        with os.fdopen(read_end, "rb") as stream:
            deck_bytes = stream.read()
        _, status = os.waitpid(child, 0)
    if status != 0:
        deck_bytes = render_pptx(deck, folder)
    return deck_bytes, memo_result


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
    before any output is touched; an unwritable `out` raises BuildError.
    """
    from briefgen.brief.loader import load_brief
    from briefgen.brief.model import Brief
    from briefgen.render.pdf import render_pdf
    from briefgen.render.pptx import render_pptx

    started = time.perf_counter()
    wanted = [f for f in FORMATS if f in set(formats)]
    if isinstance(brief, Brief):
        path = None
        folder = Path(base) if base else Path.cwd()
        name = stem or "brief"
        loaded = brief
    else:
        path = Path(brief)
        folder = Path(base) if base else path.parent
        name = stem or path.stem
        loaded = load_brief(path)
    deck, memo, warnings = plan_brief(loaded, theme, folder)
    result = BuildResult(path, warnings=warnings)
    rendered: dict[str, bytes] = {}
    if wanted == list(FORMATS):
        rendered["pptx"], (rendered["pdf"], result.pages) = render_both(deck, memo, folder)
    elif "pptx" in wanted:
        rendered["pptx"] = render_pptx(deck, folder)
    else:
        rendered["pdf"], result.pages = render_pdf(memo, folder)
    if "pptx" in wanted:
        result.slides = len(deck.slides)
    out_dir = Path(out)
    try:
        for fmt, data in rendered.items():
            target = out_dir / f"{name}.{fmt}"
            write_atomically(target, data)
            result.outputs[fmt] = target
    except OSError as exc:
        raise BuildError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    result.seconds = time.perf_counter() - started
    return result
