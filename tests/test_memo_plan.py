"""The memo's plan without files: text measured as reportlab sets it, page breaks that ask for
no more than a page, exhibits no taller than a page, a running header that fits its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen.brief.loader import load_brief
from briefgen.build import image_sizes
from briefgen.layout import memo_plan as m
from briefgen.layout.memo import plain, plan_memo
from briefgen.layout.memo_metrics import TextStyle, count_lines, text_width
from briefgen.layout.memo_pages import Measure
from briefgen.render.fonts import register
from briefgen.render.pdf import Styles, para
from briefgen.theme.loader import load_theme
from tests.conftest import FIXTURES, SAMPLE

THEMES = ("corporate", "midnight", "print")
BRIEFS = [SAMPLE, *sorted(FIXTURES.glob("*.yaml")), *sorted((FIXTURES / "hostile").glob("*.yaml"))]


def planned(path: Path, theme: str) -> m.MemoPlan:
    brief = load_brief(path)
    return plan_memo(brief, load_theme(theme), image_sizes(brief, path.parent))[0]


@pytest.mark.parametrize("face", ["Body", "Body-Bold", "Body-Italic", "Body-Semibold", "Code"])
def test_the_planner_reads_the_widths_reportlab_embeds(face: str) -> None:
    register("en")
    text = "Grid-scale storage, naïve café — 12.5% € ‰ Ωmega fi"
    assert text_width(text, face, 10) == pytest.approx(stringWidth(text, face, 10), abs=1e-6)


@pytest.mark.parametrize("path", [SAMPLE, FIXTURES / "stress.yaml", FIXTURES / "escaping.yaml"],
                         ids=lambda p: p.stem)
def test_paragraphs_take_the_lines_reportlab_gives_them(path: Path) -> None:
    plan = planned(path, "corporate")
    styles = Styles.of(plan)
    checked = off = 0
    for element in plan.elements:
        if not isinstance(element, m.Para):
            continue
        style: TextStyle = plan.styles[element.role]
        ours = count_lines(element.spans, plan.frame_width, style)
        flowable = para(element.spans, styles.roles[element.role], styles)
        flowable.wrap(plan.frame_width, 10_000)
        theirs = len(flowable.blPara.lines)
        checked += 1
        off += ours != theirs
        assert abs(ours - theirs) <= 1, plain(element.spans)[:80]
    assert checked and off <= checked // 10


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.stem)
def test_nothing_that_cannot_be_cut_is_taller_than_a_page(path: Path, theme: str) -> None:
    plan = planned(path, theme)
    measure = Measure(plan.styles, plan.frame_width, plan.frame_height)
    for n, element in enumerate(plan.elements):
        if isinstance(element, m.Break):
            assert 0 <= element.need <= plan.frame_height
        if isinstance(element, m.Heading):
            before = plan.elements[n - 1]
            assert isinstance(before, m.Break), "a heading comes with what follows it"
            assert before.need >= min(measure.height(element), plan.frame_height)
        if isinstance(element, m.RiskMatrix):
            assert measure.height(element) <= plan.frame_height
        if isinstance(element, m.Exhibit) and not isinstance(element.body, m.Grid):
            assert 0 < element.body.height <= plan.frame_height * 0.75
            assert 0 < element.body.width <= plan.frame_width
        if isinstance(element, m.Exhibit) and isinstance(element.body, m.Figure):
            x, y, width, height = element.body.plot
            assert width > 0 and height > 0 and y + height <= element.body.height
            legend = element.body.legend
            # The legend stands clear of the plot: under it, over it or at its right.
            if legend and element.body.spec.legend == "bottom":
                assert legend.y <= y and legend.rows * legend.row_height <= legend.y
            if legend and element.body.spec.legend == "top":
                assert legend.y - legend.rows * legend.row_height >= y + height
            if legend and element.body.spec.legend == "right":
                assert legend.x >= x + width


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.stem)
def test_a_table_row_that_no_page_holds_may_be_cut(path: Path, theme: str) -> None:
    plan = planned(path, theme)
    measure = Measure(plan.styles, plan.frame_width, plan.frame_height)
    for element in plan.elements:
        if not (isinstance(element, m.Exhibit) and isinstance(element.body, m.Grid)):
            continue
        grid = element.body
        assert sum(grid.widths) == pytest.approx(plan.frame_width)
        assert all(w > 2 * grid.pad for w in grid.widths)
        header = measure.header_row(grid)
        assert grid.repeat_header == (header <= plan.frame_height / 4)
        for height, cut in zip(measure.rows(grid), grid.cut_rows, strict=True):
            room = plan.frame_height - (header if grid.repeat_header else 0.0)
            assert cut or height <= room


def test_a_header_row_taller_than_a_quarter_page_is_not_repeated() -> None:
    plan = planned(FIXTURES / "hostile" / "table-header-taller-than-a-page.yaml", "print")
    grid = next(e.body for e in plan.elements
                if isinstance(e, m.Exhibit) and isinstance(e.body, m.Grid))
    assert not grid.repeat_header and all(grid.cut_rows)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", [SAMPLE, FIXTURES / "cjk.yaml",
                                  FIXTURES / "hostile" / "classification-of-260-characters.yaml"],
                         ids=lambda p: p.stem)
def test_the_running_header_fits_its_line(path: Path, theme: str) -> None:
    plan = planned(path, theme)
    fonts = register(plan.language)
    size = plan.sizes["small"]

    def width(text: str) -> float:  # reportlab's measure of the runs the renderer draws
        return sum(stringWidth(run, fonts.face(family), size) for family, run in fonts.runs(text))

    logo = plan.logo[1] + 8 if plan.logo else 0.0
    assert width(plan.header_left) + width(plan.header_right) + logo <= plan.frame_width
    assert plan.header_left


@pytest.mark.parametrize("theme", THEMES)
def test_risk_chips_fit_their_column(theme: str) -> None:
    plan = planned(SAMPLE, theme)
    for element in plan.elements:
        if isinstance(element, m.Exhibit) and isinstance(element.body, m.Grid):
            grid = element.body
            for row in grid.chips:
                for chip, column in zip(row, grid.widths, strict=True):
                    if chip is not None:
                        need = text_width(chip.text, "Body-Bold", chip.size) + 2 * m.CHIP_PAD
                        assert need <= column - 2 * grid.pad + 1e-6


def test_a_legend_too_tall_for_its_chart_says_how_many_names_it_leaves_out() -> None:
    plan = planned(FIXTURES / "hostile" / "chart-legend-taller-than-the-chart.yaml", "corporate")
    figure = next(e.body for e in plan.elements
                  if isinstance(e, m.Exhibit) and isinstance(e.body, m.Figure))
    assert figure.legend is not None
    shown = len(figure.legend.names) - 1
    assert figure.legend.names[-1] == f"+{300 - shown}"
    assert [(w.level, w.key) for w in plan.messages if "legend" in w.text] == [
        ("warning", "sections[0].blocks[0].chart")]


@pytest.mark.parametrize("theme", ["corporate", "midnight", "print"])
def test_short_values_such_as_horizons_stay_on_one_line(theme: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from briefgen.build import build

    memo = build(SAMPLE, theme=theme, out=tmp_path, formats=["pdf"]).outputs["pdf"]
    lines = [line.strip() for page in PdfReader(str(memo)).pages
             for line in page.extract_text().splitlines()]
    horizons = {p.horizon for p in load_brief(SAMPLE).predictions if p.horizon}
    assert horizons == {"12 months", "12-18 months", "18-24 months"}
    for horizon in horizons:
        assert any(horizon in line for line in lines), (horizon, lines)
