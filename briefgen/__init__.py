"""briefgen: an analyst's brief in YAML → a native slide deck and an executive memo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from briefgen.brief.model import Brief
    from briefgen.build import BuildResult

__all__ = ["__version__", "build", "load_brief"]


def build(brief: Any, theme: str | None = None, out: Any = "out",
          formats: Any = ("pptx", "pdf"), **options: Any) -> BuildResult:
    """Build a brief (a path or a loaded Brief) into a deck and a memo; see briefgen.build."""
    from briefgen.build import build as run

    return run(brief, theme=theme, out=out, formats=formats, **options)


def load_brief(path: Any) -> Brief:
    """Load and validate a brief file; raises briefgen.errors.BriefError listing problems."""
    from briefgen.brief.loader import load_brief as run

    return run(path)
