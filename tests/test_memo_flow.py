"""The memo's flow around figures and web addresses: a figure that moves on lets text come
first, and an address breaks after '/', '.' or '-' with nothing lost."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

from briefgen.brief.loader import load_brief
from briefgen.brief.markup import Span
from briefgen.build import build
from briefgen.layout import memo_plan as p
from briefgen.layout.memo import plan_memo
from briefgen.layout.memo_metrics import count_lines, url_breaks
from briefgen.layout.memo_pages import Measure, paginate
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES

URL = ("https://www.example.org/reports/cloud-infrastructure-spending-hits-record-highs-as-ai-"
       "demand-soars-according-to-the-quarterly-market-tracker")


def _measure() -> Measure:
    plan, _ = plan_memo(load_brief(FIXTURES / "minimal.yaml"), load_theme("corporate"))
    return Measure(plan.styles, plan.frame_width, plan.frame_height)


def _para(words: int) -> p.Para:
    return p.Para((Span(" ".join(["word"] * words)),))


def test_a_figure_that_moves_on_lets_the_text_after_it_come_first() -> None:
    measure = _measure()
    before = [_para(120) for _ in range(4)]  # about half a page
    figure = p.Exhibit(None, p.Picture("x.png", 300, measure.frame * 0.6, "x"), None, None)
    after = [_para(30), _para(30)]
    placed, _ = paginate([*before, figure, *after], measure)
    order = [e for e in placed if not isinstance(e, p.Break)]
    assert order == [*before, *after, figure]


def test_a_figure_that_fits_or_leaves_little_room_keeps_its_place() -> None:
    measure = _measure()
    small = p.Exhibit(None, p.Picture("x.png", 300, 100, "x"), None, None)
    after = [_para(30)]
    placed, _ = paginate([_para(120), small, *after], measure)
    assert [e for e in placed if not isinstance(e, p.Break)] == [_para(120), small, *after]
    full = [_para(120) for _ in range(8)]  # most of a page: too little left to fill
    tall = p.Exhibit(None, p.Picture("x.png", 300, measure.frame * 0.6, "x"), None, None)
    placed, _ = paginate([*full, tall, *after], measure)
    assert [e for e in placed if not isinstance(e, p.Break)] == [*full, tall, *after]


def test_a_web_address_may_end_a_line_after_a_slash_a_dot_or_a_hyphen() -> None:
    breaks = url_breaks("see https://a.example/b-c/d and e-f")
    text = "see https://a.example/b-c/d and e-f"
    assert {text[n - 1] for n in breaks} <= {"/", ".", "-"}
    assert text.index("e-f") + 2 not in breaks  # outside the address, words keep together
    assert text.index("//a") + 1 not in breaks  # not between the slashes of "//"


def test_the_memo_breaks_addresses_where_it_measured_them(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        "meta: {title: T, date: 2026-01}\nthesis: {headline: H}\nsections:\n  - title: S\n"
        f"    blocks:\n      - text: 'See {URL} for the details, and the 18-24 months horizon.'\n"
        f"sources:\n  - {{title: Report, url: '{URL}'}}\n", encoding="utf-8")
    for theme in sorted(available()):
        pdf = build(brief, theme=theme, out=tmp_path / theme, formats=["pdf"]).outputs["pdf"]
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        lines = [line.strip() for line in text.splitlines()]
        start = next(n for n, line in enumerate(lines) if line.startswith("See https://"))
        cut = lines[start]
        assert cut[-1] in "/.-", cut  # no word cut in the middle
        joined = cut[4:] + lines[start + 1].split(" ")[0]
        assert joined == URL  # nothing lost, nothing added
        # The planner counted the lines the renderer set.
        plan, _ = plan_memo(load_brief(brief), load_theme(theme))
        para = next(e for e in plan.elements if isinstance(e, p.Para) and URL in
                    "".join(s.text for s in e.spans) and e.role == "body")
        set_lines = next(n for n in range(start, len(lines)) if "horizon" in lines[n]) - start + 1
        assert count_lines(para.spans, plan.frame_width, plan.styles["body"]) == set_lines
        structure = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True,
                                   text=True, check=True).stdout
        assert URL in structure
        words = "".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert re.sub(r"\s", "", URL) in re.sub(r"\s", "", words)


def test_short_values_such_as_horizons_stay_on_one_line() -> None:
    brief = load_brief(Path(__file__).parent.parent / "briefs" / "cloud-infrastructure.yaml")
    for theme in sorted(available()):
        plan, _ = plan_memo(brief, load_theme(theme))
        measure = Measure(plan.styles, plan.frame_width, plan.frame_height)
        grids = [e.body for e in plan.elements if isinstance(e, p.Exhibit)
                 and isinstance(e.body, p.Grid) and len(e.body.columns) == 5]
        grid = grids[-1]  # the predictions
        style = measure.styles["cell"]
        for row in grid.rows:
            horizon = row[2][0]
            assert count_lines(horizon, grid.widths[2] - 2 * grid.pad, style) == 1
