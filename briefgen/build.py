"""One build: load → plan → render for a brief, written atomically next to nothing half-done."""

from __future__ import annotations

import gc
import os
import signal
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from briefgen.errors import BuildError

if TYPE_CHECKING:
    from briefgen.brief.model import Brief
    from briefgen.layout.memo_plan import MemoPlan
    from briefgen.layout.plan import DeckPlan
    from briefgen.theme.model import Theme

FORMATS = ("pptx", "pdf")
# Make the memo in a forked child beside the deck: only in a process's first build, and not
# in batch workers, which already use every core.
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
                from PIL import Image

                with Image.open(base / block.image.path) as picture:
                    sizes[block.image.path] = picture.size
    return sizes


def _mode_for(target: Path) -> int:
    """The permissions writing `target` in place would leave: those of the file it replaces,
    or those the umask gives a new file (mkstemp's own 0600 would hide outputs from others)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(temp, _mode_for(target))
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


# What a format's job gives back: the file's bytes, its slide or page count, layout warnings.
Made = tuple[bytes, int, list[str]]


@dataclass(frozen=True)
class _Job:
    """Plan and render one format. Each imports its own libraries: a build of one format
    loads only that format's, and the memo's child has reportlab loaded before its job comes."""

    fmt: str
    brief: Brief
    theme: Theme
    sizes: dict[str, tuple[int, int]]
    folder: Path

    def __call__(self) -> Made:
        if self.fmt == "pptx":
            from briefgen.layout.deck import plan_deck
            from briefgen.render.pptx import render_pptx

            deck, warnings = plan_deck(self.brief, self.theme, self.sizes)
            return render_pptx(deck, self.folder), len(deck.slides), warnings
        from briefgen.layout.memo import plan_memo
        from briefgen.render.pdf import render_pdf

        memo, warnings = plan_memo(self.brief, self.theme, self.sizes)
        data, pages = render_pdf(memo, self.folder)
        return data, pages, warnings


class _MemoHelper:
    """A forked child that gets the memo ready while this process loads the brief.

    From the start of a build it imports reportlab and registers the memo's fonts, none of
    which needs the brief; it is then sent the memo's job (through a temporary file, so that
    sending never waits on the child) and plans and renders it, while this process makes the
    deck. On two cores this hides most of the memo's time. If this process fails first, the
    child is stopped; if the child fails, the job runs here, so its error is raised as usual.
    """

    def __init__(self) -> None:
        self.job_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by result() or stop()
        ready_r, self.ready_w = os.pipe()
        self.result_r, result_w = os.pipe()
        # Frozen objects are left out of the child's collections, which would otherwise
        # touch, and so copy, every page it shares with this process.
        gc.freeze()
        try:
            self.pid = os.fork()
        except OSError:  # no memory or processes to spare: the build goes on without it
            gc.unfreeze()
            for end in (ready_r, self.ready_w, self.result_r, result_w):
                os.close(end)
            self.job_file.close()
            raise
        if self.pid == 0:  # pragma: no cover - runs in the child process
            os.close(self.ready_w)
            os.close(self.result_r)
            self._serve(ready_r, result_w)
        gc.unfreeze()
        os.close(ready_r)
        os.close(result_w)
        self.finished = False

    def _serve(self, ready_r: int, result_w: int) -> NoReturn:  # pragma: no cover - child
        import pickle

        status = 0
        try:
            _prepare_memo()
            with os.fdopen(ready_r, "rb") as ready:
                sent = ready.read() == b"sent"
            self.job_file.seek(0)
            data = pickle.dumps(pickle.loads(self.job_file.read())()) if sent else b""
        except BaseException:
            data, status = b"", 1
        with os.fdopen(result_w, "wb") as stream:
            stream.write(data)
        os._exit(status)

    def send(self, job: _Job) -> bool:
        """Hand the child its job; False if the job cannot be sent (then run it here)."""
        import pickle

        try:
            self.job_file.write(pickle.dumps(job))
            self.job_file.flush()
        except Exception:
            return False
        os.write(self.ready_w, b"sent")
        os.close(self.ready_w)
        self.ready_w = -1
        return True

    def result(self, job: _Job) -> Made:
        import pickle

        with os.fdopen(self.result_r, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(self.pid, 0)
        self.finished = True
        self.job_file.close()
        made: Made = pickle.loads(data) if status == 0 and data else job()
        return made

    def stop(self) -> None:
        if self.finished:
            return
        if self.ready_w >= 0:
            os.close(self.ready_w)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.result_r)
        self.job_file.close()
        self.finished = True


def _prepare_memo() -> None:  # pragma: no cover - runs in the memo's child
    """Load what any memo needs: reportlab, the planner, the brief model (to read the job)
    and the body fonts."""
    import importlib

    from briefgen.render.fonts import preload

    for module in ("briefgen.brief.model", "briefgen.layout.memo", "briefgen.render.pdf"):
        importlib.import_module(module)
    preload()


def _memo_helper(formats: list[str]) -> _MemoHelper | None:
    """A helper for the memo when both formats are wanted and forking is safe here: not in a
    pool worker, not beside other threads, and not in a process that has built before, whose
    libraries are loaded and caches warm (a child would start without the memo's)."""
    global _render_in_parallel
    if len(formats) < 2 or not _render_in_parallel or not hasattr(os, "fork") \
            or threading.active_count() > 1:
        return None
    _render_in_parallel = False
    try:
        return _MemoHelper()
    except OSError:
        return None


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
    # The models are imported before the memo's child is forked, which needs them too (to
    # read its job); the loaders and YAML only after, as the child needs none of them.
    import briefgen.theme.model  # noqa: F401
    from briefgen.brief.model import Brief

    started = time.perf_counter()
    wanted = [f for f in FORMATS if f in set(formats)]
    helper = _memo_helper(wanted)
    try:
        from briefgen.brief.loader import load_brief
        from briefgen.theme.loader import load_theme

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
        chosen, sizes = load_theme(theme), image_sizes(loaded, folder)
        jobs = {fmt: _Job(fmt, loaded, chosen, sizes, folder) for fmt in wanted}
        made: dict[str, Made] = {}
        if helper is not None and helper.send(jobs["pdf"]):
            made["pptx"] = jobs["pptx"]()
            made["pdf"] = helper.result(jobs["pdf"])
        else:
            made = {fmt: job() for fmt, job in jobs.items()}
    finally:
        if helper is not None:
            helper.stop()
    warnings = [w for fmt in FORMATS if fmt in made for w in made[fmt][2]]
    result = BuildResult(path, warnings=list(dict.fromkeys(warnings)))
    result.slides = made["pptx"][1] if "pptx" in made else 0
    result.pages = made["pdf"][1] if "pdf" in made else 0
    rendered = {fmt: made[fmt][0] for fmt in FORMATS if fmt in made}
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
