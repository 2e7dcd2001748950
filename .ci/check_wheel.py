"""Check a built wheel's file list: the package, its built-in themes, nothing else."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(wheel: str) -> int:
    names = zipfile.ZipFile(wheel).namelist()
    problems = []
    sources = {f"briefgen/{p.relative_to(ROOT / 'briefgen')}" for p in
               (ROOT / "briefgen").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    themes = {f"briefgen/themes/{p.name}" for p in (ROOT / "themes").glob("*.yaml")}
    packaged = {n for n in names if not n.startswith("briefgen-")}  # not the .dist-info
    problems += [f"missing from the wheel: {n}" for n in sorted((sources | themes) - packaged)]
    problems += [f"not ours: {n}" for n in sorted(packaged - sources - themes)]
    problems += [f"a leftover: {n}" for n in sorted(packaged)
                 if n.endswith((".orig", ".rej", ".pyc", "~", ".tmp"))]
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{wheel}: {len(packaged)} files, {'ok' if not problems else 'PROBLEMS'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
