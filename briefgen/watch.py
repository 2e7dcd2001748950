"""Rebuild briefs when they, their images or their theme change; keep the last good output."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from briefgen.batch import Job, Outcome, plural, run_job, warm_up
from briefgen.stamp import Stamp, stamp

Echo = Callable[[str, bool], None]  # message, to stderr


def _image_paths(data: Any) -> Iterator[str]:
    """Every `image: {path: ...}` in raw brief data, valid or not."""
    if isinstance(data, dict):
        image = data.get("image")
        if isinstance(image, dict) and isinstance(image.get("path"), str):
            yield image["path"]
        for value in data.values():
            yield from _image_paths(value)
    elif isinstance(data, list):
        for value in data:
            yield from _image_paths(value)


def brief_inputs(brief: Path) -> set[Path]:
    """The brief file and the images it names, read from the raw YAML.

    Raw rather than validated data, so that a brief naming an image that does not exist yet
    is rebuilt as soon as the image appears.
    """
    from briefgen.errors import BriefError
    from briefgen.source import read_yaml

    files = {brief}
    try:
        document = read_yaml(brief, what="brief", collect=True)
    except BriefError:
        return files
    files.update(brief.parent / p for p in _image_paths(document.data))
    return files


def theme_inputs(theme: str | None) -> set[Path]:
    """The theme file and the files it `extends:`, as far as they can be found."""
    from briefgen.errors import BriefError
    from briefgen.source import read_yaml
    from briefgen.theme.loader import find_theme

    files: set[Path] = set()
    if theme and (theme.endswith((".yaml", ".yml")) or "/" in theme or "\\" in theme):
        files.add(Path(theme))  # watched even while missing, to build once it is written
    name: Any = theme
    seen: set[Path] = set()
    while len(seen) < 20:
        try:
            path = find_theme(str(name) if name else None)
            parent = read_yaml(path, what="theme").data.get("extends")
        except BriefError:
            break
        if path.resolve() in seen:
            break
        seen.add(path.resolve())
        files.add(path)
        if not parent:
            break
        name = parent
    return files


class Watched(Struct):
    """One brief under watch: the files it was last built from, and its last good build."""

    job: Job
    stamps: dict[Path, Stamp] = field(default_factory=dict)
    last_good: Outcome | None = None
    warnings: list[str] | None = None  # of the last good build, to print only new ones


class Watcher:
    """Polls the inputs of some briefs and rebuilds each brief whose inputs changed.

    `poll_once()` does one round, so tests can drive it; `run()` polls until stopped.
    """

    def __init__(self, jobs: Sequence[Job], theme: str | None = None,
                 formats: Sequence[str] = ("pptx", "pdf"),
                 echo: Echo | None = None, debug: bool = False) -> None:
        warm_up()  # once: every rebuild after the first then takes only the build itself
        self.theme = theme
        self.formats = list(formats)
        self.echo: Echo = echo or (lambda message, err: print(message))
        self.debug = debug
        self.briefs = [Watched(job) for job in jobs]

    def _inputs(self, watched: Watched) -> set[Path]:
        return brief_inputs(watched.job.brief) | theme_inputs(self.theme)

    def build_all(self) -> list[Outcome]:
        """Build every brief once, as at the start."""
        return [self._build(watched) for watched in self.briefs]

    def poll_once(self) -> list[Outcome]:
        """Rebuild the briefs whose brief, image or theme files changed since their last build."""
        outcomes = []
        for watched in self.briefs:
            brief = watched.job.brief
            if stamp(brief) is None and watched.stamps.get(brief) is not None:
                continue  # mid-save in an editor that replaces the file: wait for it to return
            if any(stamp(path) != before for path, before in watched.stamps.items()):
                outcomes.append(self._build(watched))
        return outcomes

    def run(self, interval: float = 0.3, stop: threading.Event | None = None,
            max_polls: int | None = None) -> None:
        """Poll every `interval` seconds until `stop` is set or `max_polls` rounds are done."""
        stop = stop or threading.Event()
        polls = 0
        while max_polls is None or polls < max_polls:
            if stop.wait(interval):
                return
            self.poll_once()
            polls += 1

    def _build(self, watched: Watched) -> Outcome:
        # Stamps are taken before building, so a save during the build triggers one more.
        watched.stamps = {path: stamp(path) for path in self._inputs(watched)}
        outcome = run_job(watched.job, self.theme, self.formats, self.debug)
        clock = time.strftime("%H:%M:%S")
        verb = "rebuilt" if watched.last_good else "built"
        if outcome.result is None:
            kept = "; kept the last good output" if watched.last_good else ""
            self.echo(f"{clock} failed {watched.job.brief} in {outcome.seconds:.2f} s{kept}",
                      True)
            self.echo("\n".join(f"  {line}" for line in outcome.error.splitlines()), True)
            return outcome
        result = outcome.result
        files = ", ".join(f"{path} ({plural(result.slides, 'slide')})" if fmt == "pptx"
                          else f"{path} ({plural(result.pages, 'page')})"
                          for fmt, path in result.outputs.items())
        warned = f", {len(result.warnings)} warnings" if result.warnings else ""
        self.echo(f"{clock} {verb} {files} in {outcome.seconds:.2f} s{warned}", False)
        if result.warnings != watched.warnings:
            for warning in result.warnings:
                self.echo(f"warning: {warning}", True)
        watched.last_good, watched.warnings = outcome, result.warnings
        return outcome
