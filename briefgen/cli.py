"""The command line: parse options, call the build, turn errors into messages and exit codes."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from briefgen import __version__
from briefgen.errors import BriefError, BuildError

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
    global _debug
    _debug = debug


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("pptx", "pdf")]
    if unknown or not formats:
        raise typer.BadParameter(f"unknown format {', '.join(unknown) or value!r}; use pptx, pdf "
                                 "or pptx,pdf")
    return formats


@app.command()
def build(
    brief: Annotated[Path, typer.Argument(help="The brief YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the outputs.")] = Path("out"),
    theme: Annotated[str | None, typer.Option("--theme", "-t", help="Theme name or file.")]
    = None,
    formats: Annotated[str, typer.Option("--format", "-f", help="pptx, pdf or pptx,pdf.")]
    = "pptx,pdf",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Build BRIEF into OUT/<name>.pptx and OUT/<name>.pdf."""
    from briefgen.build import build as run_build

    wanted = _formats(formats)
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
    for warning in result.warnings:
        typer.echo(f"warning: {brief}: {warning}", err=True)
    for fmt, path in result.outputs.items():
        count = f"{result.slides} slides" if fmt == "pptx" else f"{result.pages} pages"
        typer.echo(f"{path} ({count})")


@app.command()
def validate(
    briefs: Annotated[list[Path], typer.Argument(help="Brief files to check.")],
    theme: Annotated[str | None, typer.Option("--theme", "-t", help="Theme name or file.")]
    = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat layout warnings as errors.")]
    = False,
) -> None:
    """Check briefs without writing any file; report every problem and layout warning."""
    from briefgen.brief.loader import load_brief
    from briefgen.build import plan_brief

    failed = False
    for path in briefs:
        try:
            brief = load_brief(path)
            _, _, warnings = plan_brief(brief, theme, path.parent)
        except BriefError as exc:
            typer.echo(exc.report(), err=True)
            failed = True
            continue
        except Exception as exc:
            # One brief that trips a bug must not stop the others from being checked.
            _internal(exc, path)
            failed = True
            continue
        for warning in warnings:
            typer.echo(f"{'error' if strict else 'warning'}: {path}: {warning}", err=True)
        if strict and warnings:
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


def _internal(exc: Exception, path: Path | None = None) -> typer.Exit:
    if _debug:
        traceback.print_exception(exc)
    hint = "" if _debug else " (run with --debug for details)"
    where = f"{path}: " if path else ""
    return _fail(f"{where}internal error: {type(exc).__name__}: {exc}{hint}")


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
