"""A file's stamp: how `watch` and the theme loader tell that a file has changed."""

from __future__ import annotations

import os
from pathlib import Path

Stamp = tuple[int, int] | None  # (mtime in ns, size); None while the file is missing


def stamp(path: Path) -> Stamp:
    """What a change to a file changes: its modification time and size."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size
