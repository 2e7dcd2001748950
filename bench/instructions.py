"""Count the instructions a build takes, with valgrind's cachegrind, to compare two commits.

Run from the project root: `.venv/bin/python bench/instructions.py`. Wall time on a shared
or busy machine moves by a third from one run to the next; the number of instructions a
process runs does not, so two commits measured this way, even hours apart, compare fairly.
A build inside a process that has built before (a rebuild, a batch's next brief) is counted
as the difference between a process that does n more of them and one that does none, so
that start-up and the first build are left out. It takes about ten minutes: a process runs
about forty times slower under cachegrind. Needs `valgrind` on the PATH.

The briefs of 1 to 64 sections that `run.py` times are counted too, first builds from the
command line, and give the cost per section after the first in instructions: the same
target as the timed one, without the machine's noise in a difference of two wall times.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from run import (
    ROOT,
    SAMPLE,
    SECTION_COUNTS,
    STRESS,
    batch_folder,
    per_section_costs,
    sections_brief,
    spread,
)

_COUNT = re.compile(r"I\s+refs:\s+([\d,]+)")

# Builds the sample once, then `argv[2]` more times, each after a one-word edit (as the
# benchmark's warm rebuild does), in the command line's process settings.
_REBUILDS = """
import sys
from pathlib import Path
from briefgen.cli import tune_runtime
tune_runtime()
from briefgen.build import build
out, count, sample = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
text = sample.read_text()
brief = out / "brief" / sample.name
brief.parent.mkdir(parents=True, exist_ok=True)
brief.write_text(text)
build(brief, out=out)
for n in range(count):
    brief.write_text(text.replace("faster progress", "quicker progress") if n % 2 == 0 else text)
    build(brief, out=out)
"""

# Builds the sample and two small briefs, then `argv[2]` more small briefs, each its own.
_SMALL_BRIEFS = """
import sys
from pathlib import Path
from briefgen.cli import tune_runtime
tune_runtime()
from briefgen.build import build
out, count, folder, sample = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
small = sorted(folder.glob("minimal-*.yaml"))
build(sample, out=out)
for brief in small[:2 + count]:
    build(brief, out=out)
"""


def instructions(command: list[str]) -> int:
    """The instructions `command` runs, its children left out."""
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                           "--cachegrind-out-file=/dev/null", *command],
                          capture_output=True, text=True, cwd=ROOT)
    found = _COUNT.findall(done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"valgrind failed on {command}: {done.stderr[-1000:]}")
    return int(found[-1].replace(",", ""))


def each(script: str, count: int, *args: str, work: Path) -> float:
    """Instructions per repetition of the script's loop: (n more less none) over n."""
    runs = []
    for n in (0, count):
        out = Path(tempfile.mkdtemp(dir=work))
        runs.append(instructions([sys.executable, "-c", script, str(out), str(n), *args]))
    return (runs[1] - runs[0]) / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the counts to this file")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="briefgen-instructions-") as temp:
        work = Path(temp)
        folder = batch_folder(work, 100)
        cli = [sys.executable, "-m", "briefgen", "build", "--quiet", "--out"]
        # Once without valgrind first, so that the fonts are parsed into the cache folder.
        subprocess.run([*cli, str(work / "first"), str(SAMPLE)], check=True, cwd=ROOT)
        counts = {
            "first build of the sample (command line)":
                instructions([*cli, str(work / "first"), str(SAMPLE)]),
            "first build of the stress fixture (command line)":
                instructions([*cli, str(work / "first"), str(STRESS)]),
            "rebuild of the sample after a one-word edit":
                each(_REBUILDS, 4, str(SAMPLE), work=work),
            "a small brief of the batch, after others":
                each(_SMALL_BRIEFS, 10, str(folder), str(SAMPLE), work=work),
        }
        sections = {n: instructions([*cli, str(work / "first"), str(sections_brief(work, n))])
                    for n in SECTION_COUNTS if n > 0}
    for name, count in counts.items():
        print(f"{name:52} {count / 1e6:10,.0f} M instructions")
    for n, count in sections.items():
        name = f"first build of {n} section{'' if n == 1 else 's'}"
        print(f"{name:52} {count / 1e6:10,.0f} M instructions")
    costs = per_section_costs({n: float(c) for n, c in sections.items()}, first=1)
    strayed = spread(costs)
    shown = ", ".join(f"{n}: {cost / 1e6:,.0f} M" for n, cost in costs.items())
    print(f"cost per section after the first: {shown}; within 30% of their mean "
          f"{'ok' if strayed <= 0.3 else 'MISSED'} ({strayed:.0%})")
    if args.json:
        args.json.write_text(json.dumps({**counts, "sections": sections, "per_section": costs},
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
