"""The command line: parse options, call the build, turn errors into messages and exit codes."""

from __future__ import annotations

import gc
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from briefgen import __version__
from briefgen.errors import BriefError, BuildError

if TYPE_CHECKING:
    from briefgen.batch import Job

app = typer.Typer(
    name="briefgen",
    help="Compile an analyst's brief (YAML) into a slide deck (.pptx) and a memo (.pdf).",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_debug = False


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors.")]
    = False,
) -> None:
    """Compile an analyst's brief (YAML) into a slide deck (.pptx) and a memo (.pdf)."""
    _set_debug(debug)


def _set_debug(value: bool) -> None:
    global _debug
    _debug = _debug or value


# --debug is taken after the command too (`briefgen build x.yaml --debug`).
Debug = Annotated[bool, typer.Option("--debug", callback=_set_debug, expose_value=False,
                                     help="Show a traceback on internal errors.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also print layout notes: "
                                       "sections continued, tables split, text shrunk.")]


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("pptx", "pdf")]
    if unknown or not formats:
        raise typer.BadParameter(f"unknown format {', '.join(unknown) or value!r}; use pptx, pdf "
                                 "or pptx,pdf")
    return formats


# Arguments and options that several commands share.
BriefPaths = Annotated[list[Path], typer.Argument(
    help="Brief files, or folders whose *.yaml and *.yml files are briefs.", show_default=False)]
OutFolder = Annotated[Path, typer.Option("--out", "-o", help="Folder for the outputs.")]
ThemeName = Annotated[str | None, typer.Option("--theme", "-t", help="Theme name or file.")]
Formats = Annotated[str, typer.Option("--format", "-f", help="pptx, pdf or pptx,pdf.")]


@app.command()
def build(
    briefs: BriefPaths,
    out: OutFolder = Path("out"),
    theme: ThemeName = None,
    formats: Formats = "pptx,pdf",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    verbose: Verbose = False,
    recursive: Annotated[bool, typer.Option(
        "--recursive", "-r",
        help="Also build the briefs in sub-folders of the folders given; their outputs mirror "
             "the sub-folders under OUT (OUT/sub/<name>.pptx).")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, show_default=False,
        help="Briefs built at once, each in its own process [default: the number of CPUs].")]
    = None,
    _debug_option: Debug = False,
) -> None:
    """Build each brief into OUT/<name>.pptx and OUT/<name>.pdf.

    Several briefs are built in parallel, with a progress bar on a terminal and a summary
    table at the end; a broken brief does not stop the others, and the exit code is 1 if any
    failed. Two briefs with the same name would write the same outputs: the second is reported
    as an error, except under a folder given with --recursive, where the outputs mirror the
    sub-folders.
    """
    from briefgen.batch import find_briefs

    wanted = _formats(formats)
    found = find_briefs(briefs, out, recursive)
    for skipped in [] if quiet else found.skipped:
        typer.echo(skipped, err=True)
    if len(found.jobs) == 1 and not found.empty:
        _build_one(found.jobs[0].brief, found.jobs[0].out, theme, wanted, quiet, verbose)
        return
    _build_many(found.jobs, found.empty, theme, wanted, quiet, verbose, jobs or _cpus())


def _cpus() -> int:
    # The CPUs this process may run on, which a container or taskset can limit below the total.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _build_one(brief: Path, out: Path, theme: str | None, wanted: list[str], quiet: bool,
               verbose: bool) -> None:
    from briefgen.batch import plural
    from briefgen.build import build as run_build

    try:
        result = run_build(brief, theme=theme, out=out, formats=wanted)
    except BriefError as exc:
        raise _fail(exc.report()) from None
    except BuildError as exc:
        raise _fail(f"error: {exc}") from None
    except Exception as exc:
        raise _internal(exc) from None
    if quiet:
        return
    _say(result.notes if verbose else [], result.warnings)
    for fmt, path in result.outputs.items():
        count = (plural(result.slides, "slide") if fmt == "pptx"
                 else plural(result.pages, "page"))
        typer.echo(f"{path} ({count})")


def _say(notes: list[str], warnings: list[str], strict: bool = False) -> None:
    """Print layout messages on stderr; under --strict a warning is an error."""
    for text in notes:
        typer.echo(f"note: {text}", err=True)
    for text in warnings:
        typer.echo(f"{'error' if strict else 'warning'}: {text}", err=True)


def _build_many(jobs: list[Job], empty: list[str], theme: str | None, wanted: list[str],
                quiet: bool, verbose: bool, workers: int) -> None:
    from briefgen.batch import Progress, run_batch, summary
    from briefgen.theme.loader import load_theme

    for message in empty:
        typer.echo(message, err=True)
    if not jobs:
        raise typer.Exit(1)
    try:
        load_theme(theme)  # a bad theme would fail every brief the same way: say it once
    except BriefError as exc:
        raise _fail(exc.report()) from None
    except Exception as exc:
        raise _internal(exc) from None
    started = time.perf_counter()
    progress = Progress(len(jobs), Progress.mode_for(quiet), verbose)
    progress.start()
    try:
        try:
            outcomes = run_batch(jobs, theme, wanted, workers, progress.done, _debug)
        finally:
            progress.finish()
    except Exception as exc:
        raise _internal(exc) from None
    if not quiet:
        typer.echo(summary(outcomes, time.perf_counter() - started))
    if empty or not all(o.ok for o in outcomes):
        raise typer.Exit(1)


@app.command()
def watch(
    briefs: BriefPaths,
    out: OutFolder = Path("out"),
    theme: ThemeName = None,
    formats: Formats = "pptx,pdf",
    _debug_option: Debug = False,
) -> None:
    """Build the briefs, then rebuild each one whenever it, its images or its theme is saved.

    One line per build, with its time. A version with errors is reported and the last good
    output stays in place. Folders are read once, at the start. Press Ctrl-C to stop.
    """
    from briefgen.batch import find_briefs
    from briefgen.watch import Watcher

    wanted = _formats(formats)
    found = find_briefs(briefs, out)
    for message in [*found.skipped, *found.empty, *(job.error for job in found.jobs if job.error)]:
        typer.echo(message, err=True)
    jobs = [job for job in found.jobs if not job.error]
    if not jobs:
        raise typer.Exit(1)

    def echo(message: str, err: bool) -> None:
        typer.echo(message, err=err)

    try:
        watcher = Watcher(jobs, theme, wanted, echo, debug=_debug)
        watcher.build_all()
        noun = "brief" if len(jobs) == 1 else "briefs"
        typer.echo(f"watching {len(jobs)} {noun} for changes; press Ctrl-C to stop", err=True)
        watcher.run()
    except KeyboardInterrupt:
        typer.echo("stopped watching", err=True)
    except Exception as exc:
        raise _internal(exc) from None


@app.command()
def preview(
    brief: Annotated[Path, typer.Argument(help="The brief YAML file.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the pictures.")]
    = Path("out"),
    theme: ThemeName = None,
    _debug_option: Debug = False,
) -> None:
    """Write PNGs of every slide and memo page, and a contact sheet of the deck, to OUT/<name>/.

    Slides are rendered by LibreOffice and pages by poppler: apt-get install
    libreoffice-impress poppler-utils.
    """
    from briefgen.preview import preview as run_preview

    try:
        result = run_preview(brief, out, theme)
    except BriefError as exc:
        raise _fail(exc.report()) from None
    except BuildError as exc:
        raise _fail(f"error: {exc}") from None
    except Exception as exc:
        raise _internal(exc) from None
    _say([], result.warnings)
    from briefgen.batch import plural

    for pictures, noun in ((result.slides, "slide"), (result.pages, "page")):
        if pictures:
            last = f" … {pictures[-1].name}" if len(pictures) > 1 else ""
            typer.echo(f"{pictures[0]}{last} ({plural(len(pictures), noun)})")
    typer.echo(f"{result.contact_sheet}")


@app.command()
def validate(
    briefs: Annotated[list[Path], typer.Argument(help="Brief files to check.")],
    theme: ThemeName = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat layout warnings as errors.")]
    = False,
    verbose: Verbose = False,
    _debug_option: Debug = False,
) -> None:
    """Check briefs without writing any file: each is loaded, planned and rendered in memory,
    so a brief that validates builds. Reports every problem and layout warning."""
    from briefgen.build import check

    failed = False
    for path in briefs:
        try:
            result = check(path, theme)
        except BriefError as exc:
            typer.echo(exc.report(), err=True)
            failed = True
            continue
        except Exception as exc:
            # One brief that trips a bug must not stop the others from being checked.
            _internal(exc, path)
            failed = True
            continue
        _say(result.notes if verbose else [], result.warnings, strict)
        if strict and result.warnings:
            failed = True
        else:
            typer.echo(f"{path}: ok")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the brief format, for editors that complete and explain keys."""
    from briefgen.brief.model import json_schema_text

    typer.echo(json_schema_text(), nl=False)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the starter brief.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")] = False,
) -> None:
    """Write a commented starter brief to PATH, with brief.schema.json and an example image."""
    from briefgen.brief.model import json_schema_text
    from briefgen.starter import write_starter

    if path.is_dir():
        raise _fail(f"error: {path} is a folder; give a file name such as {path / 'brief.yaml'}")
    if path.exists() and not force:
        raise _fail(f"error: {path} exists; choose another name, or add --force to overwrite it")
    try:
        written = write_starter(path, json_schema_text())
    except OSError as exc:
        raise _fail(f"error: cannot write {exc.filename or path}: {exc.strerror or exc}"
                    ) from None
    except Exception as exc:
        raise _internal(exc) from None
    for file in written:
        typer.echo(f"wrote {file}")
    typer.echo(f"next: edit {path}, then run 'briefgen build {path}'")


themes_app = typer.Typer(help="List the available themes, or show one resolved.",
                         invoke_without_command=True, no_args_is_help=False)
app.add_typer(themes_app, name="themes")


@themes_app.callback()
def themes(context: typer.Context) -> None:
    """List the built-in themes and those in ./themes, with their descriptions."""
    if context.invoked_subcommand:
        return
    from briefgen.theme.loader import available, load_theme

    for name, path in available().items():
        try:
            description = load_theme(str(path)).description
        except BriefError as exc:
            description = f"(broken: {exc.problems[0].message})"
        typer.echo(f"{name:<14} {description}")


@themes_app.command("show")
def themes_show(
    name: Annotated[str, typer.Argument(help="Theme name or file.")],
) -> None:
    """Print a theme with everything it inherits through extends, as YAML."""
    import yaml

    from briefgen.theme.loader import load_theme

    try:
        theme = load_theme(name)
    except BriefError as exc:
        raise _fail(exc.report()) from None
    data = theme.model_dump(mode="json", exclude={"extends"})
    typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), nl=False)
    if theme.template_info:
        from briefgen.layout.deck.look import deck_roles

        typer.echo(f"# On its template, {Path(theme.template_info.path).name}, the deck uses:")
        for role, value, source in deck_roles(theme):
            typer.echo(f"#   {role}: {value}  ({source})")


def _internal(exc: Exception, path: Path | None = None) -> typer.Exit:
    if _debug:
        traceback.print_exception(exc)
    hint = "" if _debug else " (run with --debug for details)"
    where = f"{path}: " if path else ""
    return _fail(f"{where}internal error: {type(exc).__name__}: {exc}{hint}")


def tune_runtime() -> None:
    """Settings of this process that make a build faster, for the command line."""
    # pydantic looks for plugins in the entry points of every installed package the first
    # time a model is built (~0.06 s, more in a crowded environment); the command line has
    # no use for them. The user's own setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # Importing and planning allocate millions of objects and few cycles; with the default
    # thresholds the collector walks the whole heap again and again (a quarter of the stress
    # fixture's build). At 100,000 the libraries a first build imports are all in before the
    # first collection, and are set apart (build.make) rather than walked (~20 ms). The peaks
    # of the largest briefs are the same as at 50,000. Collections still happen, rarely, for
    # a long `watch`.
    gc.set_threshold(100_000, 20, 100)


def main() -> None:
    """Console entry point."""
    tune_runtime()
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except SystemExit as done:
        _leave(done.code)


def _leave(code: object) -> NoReturn:
    """Exit once a command has finished, without tearing the interpreter down.

    Finalising frees every object of the build one at a time (~0.1 s after building the
    sample, a fifth of the run); every output is written and renamed into place by now and
    every worker process has been waited for, so only the standard streams need flushing.
    """
    if code is None or isinstance(code, int):
        status = code or 0
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # a reader that went away (`briefgen ... | head`) or a closed stream
    os._exit(status)
