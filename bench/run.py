"""Time briefgen as whole processes against the import floor, and report peak memory.

Run from the project root: `.venv/bin/python bench/run.py` (or `make bench`). Every case is
a fresh process, timed inside a small wrapper process that also reads the peak resident memory
of its one child (`getrusage(RUSAGE_CHILDREN).ru_maxrss`), so each figure belongs to one case.
Figures are medians; ratios are against the import floor measured in the same run. The cases
take turns, one run of each per round, so a machine that slows down or speeds up during the
run moves every figure alike. Python may write .pyc files (as an installed package has them),
and parsed fonts go to a cache folder of the run, filled by each case's warm-up run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "briefs" / "alibaba-one-ai.yaml"
STRESS = FIXTURES / "stress.yaml"
FLOOR_IMPORTS = "import pptx, reportlab.platypus, yaml, typer, pydantic"

# Runs `argv[2:]` once and writes {"seconds", "max_rss_kb", "code", "output"} to argv[1].
_WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
seconds = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": seconds, "max_rss_kb": rss, "code": done.returncode,
               "output": done.stdout.decode("utf-8", "replace")[-2000:]}, out)
"""


@dataclass
class Case:
    """One measured command: its runs, and the target the issue sets for it."""

    name: str
    command: list[str]
    repeat: int
    target: str = ""
    check: Callable[[Case, float], bool | None] | None = None
    seconds: list[float] = field(default_factory=list)
    max_rss_kb: int = 0
    note: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def run_once(command: Sequence[str], cwd: Path, env: dict[str, str]) -> dict[str, object]:
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    try:
        subprocess.run([sys.executable, "-c", _WRAPPER, str(report), *command], cwd=cwd,
                       check=True, env=env)
        result: dict[str, object] = json.loads(report.read_text())
    finally:
        report.unlink(missing_ok=True)
    return result


def measure(cases: Sequence[Case], cwd: Path, base_env: dict[str, str]) -> None:
    """Warm each case up once (page cache, .pyc files, font cache), then run the cases in
    turns until each has its repeats."""
    for case in cases:
        run_once(case.command, cwd, {**base_env, **case.env})
    for round_ in range(max(case.repeat for case in cases)):
        for case in cases:
            if round_ >= case.repeat:
                continue
            result = run_once(case.command, cwd, {**base_env, **case.env})
            if result["code"] != 0:
                raise SystemExit(f"{case.name} failed ({result['code']}):\n{result['output']}")
            case.seconds.append(float(str(result["seconds"])))
            case.max_rss_kb = max(case.max_rss_kb, int(str(result["max_rss_kb"])))
        print(f"  round {round_ + 1} done", file=sys.stderr)


def briefgen() -> list[str]:
    script = Path(sys.executable).parent / "briefgen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "briefgen"]


def batch_folder(root: Path, count: int) -> Path:
    """`count` briefs: the real ones (sample and richer fixtures), the rest minimal ones."""
    folder = root / "batch"
    folder.mkdir()
    shutil.copytree(FIXTURES / "images", folder / "images")
    real = [SAMPLE, FIXTURES / "every-block.yaml", FIXTURES / "cjk.yaml",
            FIXTURES / "escaping.yaml"]
    for brief in real:
        shutil.copy(brief, folder / brief.name)
    # Each copy has its own title and headline, as the briefs of a real batch do: no slide or
    # font subset of one is the same as another's, which what a build keeps of the last one
    # could reuse.
    minimal = (FIXTURES / "minimal.yaml").read_text()
    assert "Minimal brief" in minimal and "one headline" in minimal
    for n in range(count - len(real)):
        text = minimal.replace("Minimal brief", f"Minimal brief {n + 1} of {count}")
        text = text.replace("one headline", f"one headline ({n * 7 % 100} %)")
        (folder / f"minimal-{n:03d}.yaml").write_text(text)
    return folder


def batch_supports_folders(folder: Path, out: Path, env: dict[str, str]) -> bool:
    probe = subprocess.run([*briefgen(), "build", str(folder), "--out", str(out), "--jobs", "2",
                            "--quiet"], capture_output=True, text=True, env=env)
    return probe.returncode == 0


# Fallback for a briefgen without folder builds: sequential builds in one process.
_SEQUENTIAL = """
import sys
from pathlib import Path
from briefgen.build import build
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
for brief in sorted(folder.glob("*.yaml")):
    build(brief, out=out)
"""


def pandoc_markdown(brief: Path, target: Path) -> None:
    """The brief's text as Markdown, so pandoc gets the same content to lay out."""
    sys.path.insert(0, str(ROOT))
    from briefgen.brief.loader import load_brief

    loaded = load_brief(brief)
    lines = [f"% {loaded.meta.title.plain}", "", f"# {loaded.thesis.headline.plain}", ""]
    if loaded.thesis.summary:
        lines += [loaded.thesis.summary.plain, ""]
    lines += [f"- {p.plain}" for p in loaded.thesis.points] + [""]
    for section in loaded.sections:
        lines += [f"# {section.title.plain}", ""]
        for block in section.blocks:
            if block.text:
                lines += [block.text.plain, ""]
            elif block.bullets:
                lines += [f"- {b.text.plain}" for b in block.bullets] + [""]
            elif block.table:
                table = block.table
                lines.append("| " + " | ".join(c.plain for c in table.columns) + " |")
                lines.append("|" + "---|" * len(table.columns))
                lines += ["| " + " | ".join(c.plain.replace("|", "/") for c in row) + " |"
                          for row in table.rows]
                lines.append("")
    target.write_text("\n".join(lines))


# As `watch` does it: the command line's process settings, then one build after another, each
# after an edit of one bullet (a word changed back and forth), so that every rebuild has
# something new to draw, as a rebuild after a save has.
_WARM = """
import statistics, sys, time
from pathlib import Path
from briefgen.cli import tune_runtime
tune_runtime()
from briefgen.build import build
out, runs, sample = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
text = sample.read_text()
assert "faster progress" in text
brief = out / "brief" / sample.name
brief.parent.mkdir(parents=True)
brief.write_text(text)
build(brief, out=out)
times = []
for n in range(runs):
    brief.write_text(text.replace("faster progress", "quicker progress") if n % 2 == 0 else text)
    started = time.perf_counter()
    build(brief, out=out)
    times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


def warm_rebuild(out: Path, runs: int, env: dict[str, str]) -> float:
    """Median seconds to rebuild the sample after an edit in a process that has built it
    before, as watch does."""
    done = subprocess.run([sys.executable, "-c", _WARM, str(out), str(runs), str(SAMPLE)],
                          capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    return float(done.stdout.strip())


# The same pure-Python loop in one process, then in two at once: how much a second process
# slows the first down on this machine (1.0 on two free cores; more where the two CPUs share
# a core or a host).
_SPIN = "s = 0\nfor i in range(3_000_000):\n    s += i * i"


def two_core_slowdown(rounds: int) -> float:
    """Median of (time of two loops run at once) / (time of one loop alone)."""
    import time

    command = [sys.executable, "-c", _SPIN]
    ratios = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, check=True)
        alone = time.perf_counter() - started
        started = time.perf_counter()
        pair = [subprocess.Popen(command) for _ in range(2)]
        for process in pair:
            process.wait()
        ratios.append((time.perf_counter() - started) / alone)
    return statistics.median(ratios)


# Briefs of 0, 1, 4, 16 and 64 sections, each section the same mix of blocks (text, bullets, a
# table, a chart): cost per section should not grow with the brief. The first section also
# pays once for what only a chart needs (its libraries are imported with the first chart), so
# the cost per section is what each section adds after the first.
SECTION_COUNTS = (0, 1, 4, 16, 64)
_SECTION = """  - title: "Section {n}: where the market moves"
    lead: "Demand in segment {n} grows faster than supply for a third year"
    notes: "Speaker notes for section {n}."
    blocks:
      - text: "Revenue in segment {n} rose while costs fell. The **margin** widened."
      - bullets: ["Price cuts drew new customers", "Capacity lagged demand", "Rivals held back"]
      - table:
          columns: ["Quarter", "Revenue", "Margin"]
          rows: [["Q1", "12.1", "31%"], ["Q2", "13.4", "33%"], ["Q3", "15.0", "34%"]]
          takeaway: "Growth came with a wider margin"
      - chart: {{type: column, categories: ["2024", "2025", "2026"],
                 series: [{{name: Revenue, values: [41, 52, 66]}}]}}
"""


def sections_brief(work: Path, count: int) -> Path:
    path = work / f"sections-{count}.yaml"
    head = ('meta: {title: "Scaling brief", date: 2026-04-15}\n'
            'thesis: {headline: "Cost per section stays flat", points: ["One", "Two"]}\n')
    body = "sections:\n" + "".join(_SECTION.format(n=n) for n in range(count)) if count else ""
    path.write_text(head + body)
    return path


def per_section_costs(medians: dict[int, float], first: int) -> dict[int, float]:
    """Seconds each section adds over the brief of `first` sections, for each larger brief."""
    base = medians[first]
    return {n: (seconds - base) / (n - first) for n, seconds in medians.items() if n > first}


def spread(costs: dict[int, float]) -> float:
    """How far the costs per section stray from their mean, as a fraction of it."""
    mean = statistics.mean(costs.values())
    return max(abs(cost / mean - 1) for cost in costs.values())


def fmt_seconds(value: float) -> str:
    return f"{value:7.3f} s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--batch", type=int, default=100, help="briefs in the batch (100)")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the batch (2)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    try:
        return _run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, work: Path) -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["BRIEFGEN_CACHE_DIR"] = str(work / "cache")
    # A cache folder that cannot be made: every run parses its fonts, as a first run does.
    no_cache = {"BRIEFGEN_CACHE_DIR": str(work / "batch" / "minimal-000.yaml" / "cache")}
    cli = briefgen()
    out = work / "out"
    folder = batch_folder(work, args.batch)
    if batch_supports_folders(folder, work / "probe", env):
        batch_command = [*cli, "build", str(folder), "--out", str(out / "batch"),
                         "--jobs", str(args.jobs), "--quiet"]
        batch_note = f"`briefgen build DIR --jobs {args.jobs}`"
    else:
        batch_command = [sys.executable, "-c", _SEQUENTIAL, str(folder), str(out / "batch")]
        batch_note = "folder builds unsupported: sequential builds in one process"
    count = args.batch
    cases = [
        Case("import floor", [sys.executable, "-c", FLOOR_IMPORTS], args.repeat),
        Case("briefgen --help", [*cli, "--help"], args.repeat, "<= 0.15 s",
             lambda c, floor: c.median <= 0.15),
        Case("sample -> deck + memo", [*cli, "build", str(SAMPLE), "--out", str(out), "-q"],
             args.repeat, "<= 2.3x floor", lambda c, floor: c.median <= 2.3 * floor),
        Case("sample, fonts not cached", [*cli, "build", str(SAMPLE), "--out", str(out), "-q"],
             args.repeat, env=no_cache),
        Case("sample -> deck", [*cli, "build", str(SAMPLE), "--out", str(out), "-q",
                                "-f", "pptx"], args.repeat),
        Case("sample -> memo", [*cli, "build", str(SAMPLE), "--out", str(out), "-q",
                                "-f", "pdf"], args.repeat),
        Case("stress -> deck + memo", [*cli, "build", str(STRESS), "--out", str(out), "-q"],
             max(1, min(args.repeat, 3)), "<= 3 s and <= 200 MB",
             lambda c, floor: c.median <= 3 and c.max_rss_kb <= 200 * 1024),
        Case(f"batch of {count}", batch_command, 1, f">= 40 briefs/s with {args.jobs} jobs",
             lambda c, floor: count / c.median >= 40, note=batch_note),
    ]
    scaling = {n: Case(f"{n} section{'' if n == 1 else 's'} -> deck + memo",
                       [*cli, "build", str(sections_brief(work, n)), "--out", str(out), "-q"],
                       args.repeat) for n in SECTION_COUNTS}
    cases += scaling.values()
    pandoc = shutil.which("pandoc")
    if pandoc:
        markdown = work / "sample.md"
        pandoc_markdown(SAMPLE, markdown)
        cases.append(Case("pandoc sample.md -> pptx", [pandoc, str(markdown), "-o",
                                                        str(work / "pandoc.pptx")], args.repeat))

    print(f"briefgen bench: {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}, {args.repeat} runs per case (median)")
    slowdown = two_core_slowdown(args.repeat)
    print(f"two loops at once take {slowdown:.2f}x one loop alone (1.00 on two free cores)")
    measure(cases, ROOT, env)
    floor = cases[0].median
    header = f"{'case':28} {'median':>9} {'x floor':>8} {'peak MB':>8}  target"
    print(header)
    print("-" * len(header))
    figures = []
    for case in cases:
        verdict = ""
        if case.check is not None:
            verdict = "ok" if case.check(case, floor) else "MISSED"
        target = f"{case.target} {verdict}".strip()
        extra = f" ({count / case.median:.1f} briefs/s)" if case.name.startswith("batch") else ""
        print(f"{case.name:28} {fmt_seconds(case.median)} {case.median / floor:7.2f}x "
              f"{case.max_rss_kb / 1024:8.0f}  {target}{extra}")
        figures.append({"case": case.name, "seconds": case.seconds, "median": case.median,
                        "ratio": case.median / floor, "max_rss_mb": case.max_rss_kb / 1024,
                        "target": case.target, "verdict": verdict, "note": case.note})
    warm = warm_rebuild(out / "warm", args.repeat, env)
    verdict = "ok" if warm <= 0.15 else "MISSED"
    print(f"{'warm rebuild (watch)':28} {fmt_seconds(warm)} {'':8} {'':8}  <= 0.15 s {verdict}")
    figures.append({"case": "warm rebuild (watch)", "median": warm, "target": "<= 0.15 s",
                    "verdict": verdict,
                    "note": "the sample rebuilt after a one-word edit, in a process that built it"})
    medians = {n: c.median for n, c in scaling.items()}
    costs = per_section_costs(medians, first=1)
    strayed = spread(costs)
    verdict = "ok" if strayed <= 0.3 else "MISSED"
    shown = ", ".join(f"{n}: {cost * 1000:.1f} ms" for n, cost in costs.items())
    print(f"{'cost per section':28} {shown}  within 30% of their mean {verdict} "
          f"({strayed:.0%})")
    # The same over the brief without sections, the first section's one-off costs included.
    with_first = per_section_costs(medians, first=0)
    shown = ", ".join(f"{n}: {cost * 1000:.1f} ms" for n, cost in with_first.items())
    print(f"{'  ... over 0 sections':28} {shown}")
    figures.append({"case": "cost per section", "seconds": costs, "spread": strayed,
                    "over_no_sections": with_first,
                    "target": "within 30% of their mean", "verdict": verdict})
    for case in cases:
        if case.note:
            print(f"note: {case.name}: {case.note}")
    if not pandoc:
        print("note: pandoc is not installed; the pandoc comparison was skipped")
    figures.append({"case": "two loops at once / one alone", "ratio": slowdown,
                    "note": "1.0 on two free cores"})
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
