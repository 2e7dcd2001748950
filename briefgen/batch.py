"""Many briefs at once: find them in files and folders, build them in parallel, summarise."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from msgspec import Struct, field

from briefgen.errors import BriefError, BuildError

if TYPE_CHECKING:
    from briefgen.build import BuildResult

SUFFIXES = (".yaml", ".yml")


class Job(Struct, frozen=True):
    """One brief to build and the folder its outputs go to; `error` if it must not be built."""

    brief: Path
    out: Path
    error: str = ""


class Outcome(Struct):
    """How one brief's build ended: its result, or the error text to print under its name."""

    brief: Path
    result: BuildResult | None = None
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.result is not None


class Found(Struct):
    """The briefs found in the command's inputs, and inputs that held none."""

    jobs: list[Job] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # notes on YAML files that are no briefs


# Folders of themes kept beside the briefs, as `--theme NAME` finds them.
THEME_FOLDER = "themes"
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)", re.MULTILINE)


def _briefs_in(folder: Path, recursive: bool, skipped: list[str]) -> list[Path]:
    found: list[Path] = []
    # os.walk does not follow symlinked folders, so a link loop cannot make the walk endless.
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != THEME_FOLDER)
        for name in sorted(files):
            if not name.lower().endswith(SUFFIXES) or name.startswith("."):
                continue
            path = Path(root, name)
            reason = not_a_brief(path)
            if reason:
                skipped.append(f"note: skipped {path}: {reason}")
            else:
                found.append(path)
        if not recursive:
            break
    return found


def not_a_brief(path: Path) -> str:
    """Why a YAML file found in a folder is not a brief, or "" if it is one or may be one.

    Only the keys at the left margin are looked at: a file that cannot be read, or has no such
    key, is built like any brief so that its problems are reported.
    """
    from briefgen.brief.model import Brief
    from briefgen.source import MAX_FILE_BYTES
    from briefgen.theme.model import Theme

    try:
        with path.open("rb") as handle:
            text = handle.read(MAX_FILE_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""
    keys = set(_TOP_LEVEL_KEY.findall(text))
    brief_keys = [f.alias or name for name, f in Brief.model_fields.items()]
    if not keys or keys & set(brief_keys):
        return ""
    if keys <= {f.alias or name for name, f in Theme.model_fields.items()}:
        return "it is a theme, not a brief"
    return ("none of its top-level keys is one of a brief's (" + ", ".join(brief_keys[1:4])
            + ", ...)")


def _resolved(path: Path) -> Path:
    # A symlink loop cannot be resolved (RuntimeError before Python 3.13); its build reports it.
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def find_briefs(inputs: Sequence[Path], out: Path, recursive: bool = False) -> Found:
    """Jobs for files and folders of briefs; a second brief aimed at taken outputs gets an error.

    Outputs go to OUT/<stem>; with `recursive`, a brief found under a folder argument goes to
    OUT/<its folder relative to that argument>/<stem>, mirroring the tree.
    """
    found = Found()
    seen: set[Path] = set()
    targets: dict[str, Path] = {}
    for item in inputs:
        if item.is_dir():
            briefs = _briefs_in(item, recursive, found.skipped)
            if not briefs:
                where = "under" if recursive else "in"
                found.empty.append(f"error: no briefs (*.yaml, *.yml) {where} {item}")
            pairs = [(b, out / b.parent.relative_to(item)) for b in briefs]
        else:
            pairs = [(item, out)]  # a missing file is built anyway, to report it like any other
        for brief, folder in pairs:
            key = _resolved(brief)
            if key in seen:
                continue
            seen.add(key)
            target = folder / brief.stem
            taken = str(_resolved(target)).casefold()  # case-insensitive disks clash too
            if taken in targets:
                found.jobs.append(Job(brief, folder, (
                    f"error: its outputs {target}.* would overwrite those of "
                    f"{targets[taken]}; rename one of them, or build their common folder with "
                    "--recursive to mirror sub-folders under the output folder")))
                continue
            targets[taken] = brief
            found.jobs.append(Job(brief, folder))
    return found


def _internal(exc: BaseException, debug: bool) -> str:
    if debug:
        return "".join(traceback.format_exception(exc)).rstrip()
    return f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)"


def run_job(job: Job, theme: str | None, formats: Sequence[str], debug: bool = False) -> Outcome:
    """Build one job, turning every failure into error text so one brief never stops the rest."""
    from briefgen.build import build

    started = time.perf_counter()
    if job.error:
        return Outcome(job.brief, error=job.error)
    try:
        result = build(job.brief, theme=theme, out=job.out, formats=formats)
    except BriefError as exc:
        error = exc.report()
    except BuildError as exc:
        error = f"error: {exc}"
    except Exception as exc:
        error = _internal(exc, debug)
    else:
        return Outcome(job.brief, result, seconds=result.seconds)
    return Outcome(job.brief, error=error, seconds=time.perf_counter() - started)


def warm_up() -> None:
    """Import the heavy modules once, so forked workers and later rebuilds start warm."""
    import briefgen.build
    import briefgen.layout.deck
    import briefgen.layout.memo
    import briefgen.render.pdf
    import briefgen.render.pptx  # noqa: F401


def _start_worker() -> None:
    # Ctrl-C reaches the whole process group; only the parent should stop the batch.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_batch(jobs: Sequence[Job], theme: str | None, formats: Sequence[str], workers: int,
              done: Callable[[Outcome], None], debug: bool = False) -> list[Outcome]:
    """Build every job, `workers` at a time in a process pool; call `done` as each finishes."""
    from concurrent.futures import Future, ProcessPoolExecutor, as_completed

    outcomes: dict[int, Outcome] = {}
    runnable = [i for i, job in enumerate(jobs) if not job.error]
    for i, job in enumerate(jobs):
        if job.error:
            outcomes[i] = Outcome(job.brief, error=job.error)
            done(outcomes[i])
    if workers <= 1 or len(runnable) <= 1:
        for i in runnable:
            outcomes[i] = run_job(jobs[i], theme, formats, debug)
            done(outcomes[i])
        return [outcomes[i] for i in range(len(jobs))]
    warm_up()
    pool = ProcessPoolExecutor(max_workers=min(workers, len(runnable)),
                               initializer=_start_worker)
    futures: dict[Future[Outcome], int] = {}
    try:
        for i in runnable:
            futures[pool.submit(run_job, jobs[i], theme, list(formats), debug)] = i
        for future in as_completed(futures):
            i = futures[future]
            try:
                outcomes[i] = future.result()
            except Exception as exc:  # a worker that died (killed, out of memory)
                outcomes[i] = Outcome(jobs[i].brief, error=_internal(exc, debug))
            done(outcomes[i])
    except BaseException:
        # Cancelled here, not only by shutdown(): once the pool object is collected, its
        # manager thread would otherwise go on to run every queued brief before exiting.
        for future in futures:
            future.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [outcomes[i] for i in range(len(jobs))]


Mode = Literal["bar", "lines", "quiet"]


class Progress:
    """Batch progress on stderr: a redrawn bar on a terminal, plain lines elsewhere, or none.

    Errors are printed in every mode, each under the name of its brief.
    """

    WIDTH = 28

    def __init__(self, total: int, mode: Mode, verbose: bool = False,
                 stream: TextIO | None = None) -> None:
        self.total = total
        self.mode = mode
        self.verbose = verbose  # print layout notes as well as warnings
        self.count = 0
        self.stream = stream or sys.stderr
        self._drawn = False
        encoding = getattr(self.stream, "encoding", None) or "ascii"
        try:
            self._marks = "█░" if "█░".encode(encoding) else "#-"
        except (UnicodeEncodeError, LookupError):
            self._marks = "#-"

    @staticmethod
    def mode_for(quiet: bool, stream: TextIO | None = None) -> Mode:
        """Quiet wins; otherwise a bar only where the stream is a terminal."""
        if quiet:
            return "quiet"
        stream = stream or sys.stderr
        return "bar" if stream.isatty() else "lines"

    def _write(self, text: str) -> None:
        self._clear()
        self.stream.write(text + "\n")
        self._draw()

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self._drawn = False

    def _draw(self) -> None:
        if self.mode != "bar" or self.count >= self.total:
            self.stream.flush()
            return
        filled = self.WIDTH * self.count // max(self.total, 1)
        bar = self._marks[0] * filled + self._marks[1] * (self.WIDTH - filled)
        self.stream.write(f"\rbuilding {bar} {self.count}/{self.total}")
        self.stream.flush()
        self._drawn = True

    def start(self) -> None:
        """Show the empty bar."""
        self._draw()

    def done(self, outcome: Outcome) -> None:
        """Report one finished brief."""
        self.count += 1
        lines: list[str] = []
        if outcome.result is None:
            lines.append(f"{self._counter()}{outcome.brief}: failed")
            lines += [f"  {line}" for line in outcome.error.splitlines()]
        elif self.mode != "quiet":
            result = outcome.result
            if self.mode == "lines":
                lines.append(f"{self._counter()}{outcome.brief}: ok ({_counts(result)}, "
                             f"{outcome.seconds:.2f} s)")
            lines += [f"note: {n}" for n in result.notes] if self.verbose else []
            lines += [f"warning: {w}" for w in result.warnings]
        if lines:
            self._write("\n".join(lines))
        else:
            self._clear()
            self._draw()

    def _counter(self) -> str:
        width = len(str(self.total))
        return f"[{self.count:>{width}}/{self.total}] " if self.mode == "lines" else ""

    def finish(self) -> None:
        """Remove the bar."""
        self._clear()
        self.stream.flush()


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _counts(result: BuildResult) -> str:
    parts = []
    if "pptx" in result.outputs:
        parts.append(plural(result.slides, "slide"))
    if "pdf" in result.outputs:
        parts.append(plural(result.pages, "page"))
    return ", ".join(parts)


def summary(outcomes: Sequence[Outcome], seconds: float) -> str:
    """The closing table: brief, slides, pages, warnings, seconds and whether it built."""
    header = ("brief", "slides", "pages", "warnings", "seconds", "result")
    rows = [header]
    for outcome in outcomes:
        result = outcome.result
        if result is None:
            rows.append((str(outcome.brief), "-", "-", "-", f"{outcome.seconds:.2f}", "failed"))
        else:
            rows.append((str(outcome.brief),
                         str(result.slides) if "pptx" in result.outputs else "-",
                         str(result.pages) if "pdf" in result.outputs else "-",
                         str(len(result.warnings)), f"{outcome.seconds:.2f}", "ok"))
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(row[1:5], widths[1:5],
                                                                        strict=True)), row[5]]
        lines.append("  ".join(cells))
    failed = sum(1 for o in outcomes if not o.ok)
    lines.append(f"{len(outcomes)} briefs: {len(outcomes) - failed} built, {failed} failed "
                 f"in {seconds:.1f} s")
    return "\n".join(lines)
