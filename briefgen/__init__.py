"""briefgen: an analyst's brief in YAML → a native slide deck and an executive memo."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Loading the submodule sets `briefgen.build` to it; loading it here, before the function
# below is defined, keeps that name the function for good. It imports nothing heavy.
import briefgen.build as _builder
from briefgen.errors import BriefError, BuildError

if TYPE_CHECKING:
    from briefgen.brief.model import Brief
    from briefgen.build import BuildResult

__all__ = ["BriefError", "BuildError", "__version__", "build", "load_brief"]


def build(brief: str | Path | Brief, theme: str | None = None, out: str | Path = "out",
          formats: Iterable[str] = ("pptx", "pdf"), *, base: str | Path | None = None,
          stem: str | None = None) -> BuildResult:
    """Build a brief into a deck (.pptx) and a memo (.pdf); return what was written.

    `brief` is a path to a brief file or a Brief from `load_brief`. `theme` is a theme name or
    a theme file (default: corporate). Outputs go to `out/<stem>.pptx` and `out/<stem>.pdf`;
    `formats` picks "pptx", "pdf" or both. `stem` names the outputs (default: the file's name,
    or "brief" for a loaded Brief); `base` is the folder image paths are relative to (default:
    the brief's folder, or the working folder for a loaded Brief).

    The result has `outputs` (format → path), `slides`, `pages`, `warnings` (layout decisions
    such as a section continuing on more slides) and `seconds`. A bad brief or theme raises
    BriefError, whose `problems` each name file, line, column and key; an unwritable output
    folder raises BuildError. Nothing is written unless the whole build succeeds.
    """
    return _builder.build(brief, theme=theme, out=out, formats=formats, base=base, stem=stem)


def load_brief(path: str | Path) -> Brief:
    """Load and validate a brief file into a Brief; raise BriefError listing every problem.

    Image paths are checked against the brief's folder; pass that folder as `base` when
    building the loaded Brief.
    """
    from briefgen.brief.loader import load_brief as run

    return run(path)
