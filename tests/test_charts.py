"""Charts and big numbers: the brief's keys, the decisions both outputs share, the deck's chart
XML and the memo's drawn charts read back, and the CLI end to end."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pypdf import PdfReader
from typer.testing import CliRunner

from briefgen.brief.loader import load_brief
from briefgen.brief.model import Chart
from briefgen.build import build
from briefgen.cli import app
from briefgen.layout.charts import chart_spec, labels_fit, parse_format
from briefgen.layout.deck import plan_deck
from briefgen.layout.measure import metric_font, text_width
from briefgen.layout.memo import plan_memo
from briefgen.layout.memo_charts import nice_scale
from briefgen.layout.memo_plan import Exhibit, Figure, FigureRow
from briefgen.layout.plan import NumberFormat
from briefgen.theme.fonts import family_of
from briefgen.theme.loader import available, load_theme
from tests.conftest import FIXTURES
from tests.test_loader import problem, problems, section

runner = CliRunner()
CHARTS = FIXTURES / "charts.yaml"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def chart(**keys: object) -> Chart:
    base: dict[str, object] = {"type": "column", "categories": ["a", "b", "c"],
                               "series": [{"name": "S", "values": ["1", "2", "3"]}]}
    return Chart.model_validate({**base, **keys})


# The brief's keys


def test_a_number_format_must_be_one_both_outputs_can_draw(tmp_path: Path) -> None:
    found = problem(tmp_path, section("- chart:", "    type: column", "    format: '0.0x'",
                                      "    categories: [a]",
                                      "    series: [{name: S, values: [1]}]"))
    assert found.endswith("chart.format: '0.0x' is not a number format — write one such as "
                          '"0", "0.0", "#,##0", "0%" or "$#,##0.0"')


def test_labels_take_true_or_false_and_the_legend_a_place(tmp_path: Path) -> None:
    found = problems(tmp_path, section(
        "- chart:", "    type: column", "    labels: maybe", "    legend: left",
        "    categories: [a]", "    series: [{name: S, values: [1]}]"))
    assert found[0].endswith("chart.labels: 'maybe' is neither true nor false — "
                             "write true or false")
    assert found[1].endswith("chart.legend: 'left' is not one of 'bottom', 'right', 'top' or "
                             "'none' — write one of these")


def test_an_axis_runs_upwards(tmp_path: Path) -> None:
    found = problem(tmp_path, section(
        "- chart:", "    type: column", "    axis: {min: 50, max: 10}",
        "    categories: [a]", "    series: [{name: S, values: [1]}]"))
    assert found.endswith("chart.axis.min: axis min 50 is not below max 10 — make min smaller "
                          "than max, or leave one out")


def test_options_that_do_not_fit_the_chart_type_are_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, section(
        "- chart:", "    type: pie", "    stacked: true", "    axis: {title: T}",
        "    categories: [a, b]",
        "    series: [{name: S, values: [1, 2], type: line}]",
        "- chart:", "    type: column", "    categories: [a, b]",
        "    series:", "      - {name: S, values: [1, 2], axis: secondary}",
        "      - {name: T, values: [1, 2], unit: '%'}"))
    messages = sorted(f.split(": ", 2)[2] for f in found)
    assert messages == sorted([
        "a pie chart has no value axis — leave 'axis' out, or use type: column",
        "a pie chart cannot be stacked — stack a bar or column chart, or leave 'stacked' out",
        "a series can be drawn as a line only in a column chart, not a pie chart — use type: "
        "column for the chart, or leave the series' type out",
        "only a line series in a column chart can use the secondary axis — add 'type: line' to "
        "the series, or leave out its axis",
        "a series' unit applies only to a series on the secondary axis — give the unit to the "
        "chart, or add 'axis: secondary' to the series"])


def test_a_highlight_names_a_category_or_a_series(tmp_path: Path) -> None:
    found = problems(tmp_path, section(
        "- chart:", "    type: bar", "    highlight: Amazn", "    categories: [Amazon, Meta]",
        "    series: [{name: S, values: [1, 2]}]",
        "- chart:", "    type: bar", "    highlight: Meta", "    categories: [Amazon, Meta]",
        "    series: [{name: S, values: [1, 2]}, {name: T, values: [1, 2]}]"))
    assert found[0].endswith("chart.highlight: 'Amazn' is not a category of this chart — "
                             "did you mean 'Amazon'?")
    assert found[1].endswith("chart.highlight: 'Meta' is a category, and a chart of several "
                             "series highlights a series — give a series' name: S, T")


def test_a_figures_block_holds_two_to_four_figures(tmp_path: Path) -> None:
    one = problem(tmp_path, section("- figures:", "    - {value: 1, label: a}"))
    assert one.endswith("figures: a figures block holds 2 to 4 figures, not 1 — add a figure, "
                        "or write the number in the text")
    five = problem(tmp_path, section("- figures:", *["    - {value: 1, label: a}"] * 5))
    assert five.endswith("not 5 — split them into two blocks")
    missing = problem(tmp_path, section("- figures:", "    - {value: 1}", "    - {value: 2, "
                                        "label: b}"))
    assert missing.endswith("figures[0]: 'label' is required — add 'label:' here")


# Decisions both outputs share


def test_formats_follow_the_brief_or_the_decimals_the_data_has() -> None:
    assert parse_format("$#,##0.0") == NumberFormat(1, True, "$")
    assert parse_format("0%").text(45) == "45%"
    assert parse_format("#,##0").text(12345.6) == "12,346"
    assert parse_format("$#,##0.0").text(-3.25) == "-$3.2"
    spec = chart_spec(chart(series=[{"name": "S", "values": [79, 84.5, 91]}], unit="USD bn"),
                      load_theme("corporate").colors)
    assert spec.label_format.text(79) == "79.0"
    assert spec.value_format.text(80) == "80"  # ticks step by whole numbers
    assert spec.axis_title == "USD bn"
    assert "USD" not in spec.value_format.excel() + spec.label_format.excel()
    close = chart_spec(chart(series=[{"name": "S", "values": [80.5, 83.5, 81]}],
                             axis={"min": 80, "max": 84}), load_theme("corporate").colors)
    assert close.value_format.decimals == 1  # an axis of 4 steps by less than 1


def test_the_unit_goes_once_into_the_axis_title_and_a_percent_after_each_number() -> None:
    colors = load_theme("corporate").colors
    titled = chart_spec(chart(unit="USD bn", axis={"title": "Revenue"}), colors)
    assert titled.axis_title == "Revenue (USD bn)"
    named = chart_spec(chart(unit="USD bn", axis={"title": "Revenue, USD bn"}), colors)
    assert named.axis_title == "Revenue, USD bn"
    percent = chart_spec(chart(unit="%"), colors)
    assert percent.axis_title == "" and percent.label_format.text(12) == "12%"
    assert percent.value_format.excel() == '#,##0"%"'  # the value as written, not times 100
    full = chart_spec(chart(stacked="percent", unit="USD bn",
                            series=[{"name": "A", "values": [1, 2, 3]},
                                    {"name": "B", "values": [3, 2, 1]}]), colors)
    assert full.value_format.excel() == "0%" and full.title_unit == "USD bn"


def test_pie_slices_say_their_category_and_value() -> None:
    colors = load_theme("corporate").colors
    shares = chart_spec(chart(type="pie", unit="%"), colors)
    assert shares.labels and not shares.pie_share and shares.legend == "none"
    money = chart_spec(chart(type="pie", unit="USD bn"), colors)
    assert money.pie_share and money.label_format.text(0.25) == "25%"
    assert money.title_unit == ""
    unlabelled = chart_spec(chart(type="pie", labels="false"), colors)
    assert unlabelled.legend == "bottom"


def test_labels_are_on_when_they_have_room_and_off_when_dense() -> None:
    colors = load_theme("corporate").colors

    def width(text: str) -> float:
        return text_width(text, "Helvetica") * 11

    few = chart_spec(chart(), colors)
    assert labels_fit(few, 500, 200, 11, width)
    many = chart_spec(chart(categories=[str(n) for n in range(20)],
                            series=[{"name": "S", "values": list(range(20))},
                                    {"name": "T", "values": list(range(20))}]), colors)
    assert not labels_fit(many, 500, 200, 11, width)
    wide = chart_spec(chart(categories=[str(n) for n in range(8)],
                            series=[{"name": n, "values": [123456.5] * 8} for n in "ABC"]),
                      colors)
    assert labels_fit(wide, 2000, 200, 11, width)
    assert not labels_fit(wide, 500, 200, 11, width)  # a 4:3 slide's width


def test_a_highlight_draws_one_category_in_the_accent_and_mutes_the_rest() -> None:
    colors = load_theme("corporate").colors
    spec = chart_spec(chart(highlight="b"), colors)
    points = spec.series[0].point_colors
    assert points[1] == colors.accent
    assert points[0] == points[2] != colors.accent


def test_the_memo_axis_steps_in_round_numbers_from_zero() -> None:
    scale = nice_scale([79, 84, 91, 99], None, None, NumberFormat())
    assert (scale.low, scale.high, scale.step) == (0, 100, 20)
    fine = nice_scale([0.2, 0.7], None, None, NumberFormat())
    assert fine.step == 0.2 and fine.format.decimals == 1
    assert nice_scale([5, 8], 4, 10, NumberFormat()).low == 4


# The deck's chart XML, read back


@pytest.fixture(scope="module", params=sorted(available()))
def deck(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"charts-{request.param}")
    built = build(CHARTS, theme=str(request.param), out=out)
    return str(request.param), built.outputs["pptx"]


def _charts(path: Path) -> list[tuple[str, object]]:
    prs = Presentation(str(path))
    frames = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    return [(f.chart.part.partname, f.chart) for f in frames]


def test_ticks_and_labels_carry_no_unit_and_the_axis_title_does(deck: tuple[str, Path]) -> None:
    _, path = deck
    charts = [c for _, c in _charts(path)]
    column = charts[0]
    space = column._chartSpace  # type: ignore[attr-defined]
    codes = [n.get("formatCode") for n in space.iter(f"{C}numFmt")]
    assert codes and not any("USD" in code for code in codes)
    title = "".join(t.text for t in space.find(f".//{C}valAx/{C}title").iter(f"{A}t"))
    assert title == "USD bn"


def test_bars_read_top_down_in_the_written_order_with_the_axis_at_the_bottom(
        deck: tuple[str, Path]) -> None:
    _, path = deck
    bar = [c for _, c in _charts(path)][1]
    space = bar._chartSpace  # type: ignore[attr-defined]
    assert [c.label for c in bar.plots[0].categories] == [  # type: ignore[attr-defined]
        "Amazon", "Microsoft", "Alphabet", "Meta"]
    assert space.find(f".//{C}catAx/{C}scaling/{C}orientation").get("val") == "maxMin"
    assert space.find(f".//{C}valAx/{C}crosses").get("val") == "max"
    assert [s.name for s in bar.plots[0].series] == ["2024", "2025"]  # type: ignore[attr-defined]


def test_pie_slices_are_labelled_with_their_category(deck: tuple[str, Path]) -> None:
    _, path = deck
    pie = [c for _, c in _charts(path)][2]
    labels = pie._chartSpace.find(f".//{C}pieChart/{C}dLbls")  # type: ignore[attr-defined]
    assert labels.find(f"{C}showCatName").get("val") == "1"
    assert labels.find(f"{C}showVal").get("val") == "1"


def test_stacked_percent_and_combined_charts_are_native(deck: tuple[str, Path]) -> None:
    _, path = deck
    charts = [c for _, c in _charts(path)]
    types = [c.chart_type for c in charts]  # type: ignore[attr-defined]
    assert XL_CHART_TYPE.COLUMN_STACKED in types
    assert XL_CHART_TYPE.BAR_STACKED_100 in types
    combo = charts[5]._chartSpace  # type: ignore[attr-defined]
    plot_area = combo.find(f".//{C}plotArea")
    assert [e.tag for e in plot_area if e.tag.endswith("Chart")] == [f"{C}barChart",
                                                                      f"{C}lineChart"]
    axes = plot_area.findall(f"{C}valAx")
    assert [a.find(f"{C}axPos").get("val") for a in axes] == ["l", "r"]
    assert axes[1].find(f"{C}numFmt").get("formatCode") == '#,##0"%"'


def test_series_colours_refer_to_the_theme_and_a_highlight_to_the_accent(
        deck: tuple[str, Path]) -> None:
    theme, path = deck
    charts = [c for _, c in _charts(path)]
    stacked = charts[3]._chartSpace  # type: ignore[attr-defined]
    fills = [ser.find(f"{C}spPr/{A}solidFill/*") for ser in stacked.iter(f"{C}ser")]
    assert [f.get("val") for f in fills] == ["accent1", "accent2", "accent3"]
    column = charts[0]._chartSpace  # type: ignore[attr-defined]
    points = [p.find(f"{C}spPr/{A}solidFill/*").get("val") for p in column.iter(f"{C}dPt")]
    accent = load_theme(theme).colors.accent
    assert points[-1] in (accent, "accent1", "accent2", "accent3", "accent4", "accent5",
                          "accent6") and len(set(points[:-1])) == 1 != points[-1]


def test_the_deck_passes_the_schema_check(deck: tuple[str, Path]) -> None:
    _, path = deck
    result = subprocess.run([str(Path(__file__).parent.parent / ".venv" / "bin" /
                                 "openxml-audit"), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_big_numbers_are_tiles_of_text_on_decorative_cards(deck: tuple[str, Path]) -> None:
    _, path = deck
    prs = Presentation(str(path))
    slide = next(s for s in prs.slides
                 if any(sh.name == "Figure tile" for sh in s.shapes))
    tiles = [sh for sh in slide.shapes if sh.name == "Figure tile"]
    texts = [sh for sh in slide.shapes if re.fullmatch(r"Figure \d", sh.name)]
    assert len(tiles) == len(texts) == 4
    assert texts[0].text_frame.text.startswith("$99bn")
    for tile in tiles:
        assert tile._element.find(
            ".//{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
        ) is not None
    for tile, text in zip(tiles, texts, strict=True):
        assert text.top + text.height <= tile.top + tile.height  # the text stays in its tile


def test_big_numbers_share_the_largest_size_at_which_each_fits_one_line() -> None:
    brief = load_brief(CHARTS)
    for name in available():
        theme = load_theme(name)
        font = metric_font(family_of(theme.fonts.deck.heading), True, False, False)
        deck, _ = plan_deck(brief, theme)
        boxes = [item for slide in deck.slides for item in slide.items
                 if getattr(item, "name", "").startswith("Figure ") and
                 hasattr(item, "paras") and item.name != "Figure tile"]
        sizes = {box.paras[0].style.size for box in boxes}  # type: ignore[attr-defined]
        assert len(sizes) == 1
        size = sizes.pop()
        for box in boxes:
            value = "".join(s.text for s in box.paras[0].spans)  # type: ignore[attr-defined]
            assert text_width(value, font) * size <= box.w  # type: ignore[attr-defined]


def test_a_figure_too_long_for_its_tile_is_cut_with_a_warning_not_left_out(
        tmp_path: Path) -> None:
    words = " ".join(["very long label words"] * 30)
    (tmp_path / "brief.yaml").write_text(section(
        "- figures:", f"    - {{value: '{'9' * 80}', label: '{words}', note: '{words}'}}",
        "    - {value: '63 %', label: 'Share'}"), encoding="utf-8")
    brief = load_brief(tmp_path / "brief.yaml")
    for name in available():
        deck, messages = plan_deck(brief, load_theme(name))
        texts = [i for s in deck.slides for i in s.items
                 if re.fullmatch(r"Figure \d", getattr(i, "name", ""))]
        tiles = [i for s in deck.slides for i in s.items
                 if getattr(i, "name", "") == "Figure tile"]
        assert len(texts) == len(tiles) == 2, name  # in the deck, not left out
        for text, tile in zip(texts, tiles, strict=True):
            assert text.y + text.h <= tile.y + tile.h  # type: ignore[attr-defined]
        cut = [m for m in messages if m.key == "sections[0].blocks[0].figures[0]"]
        assert [m.level for m in cut] == ["warning"], name
        assert not [m for m in messages if "left out" in m.text]


# The memo's charts, read back


@pytest.fixture(scope="module", params=sorted(available()))
def memo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"memo-charts-{request.param}")
    return build(CHARTS, theme=str(request.param), out=out, formats=["pdf"]).outputs["pdf"]


def _words(path: Path) -> list[tuple[str, int, float, float]]:
    """(word, page, x, y from the top) of every word, as poppler reads them."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          check=True).stdout
    tree = etree.fromstring(html, etree.HTMLParser())
    out = []
    for number, page in enumerate(tree.iter("page"), 1):
        for word in page.iter("word"):
            out.append((word.text or "", number, float(word.get("xmin")),
                        float(word.get("ymin"))))
    return out


def test_the_memo_draws_bars_top_down_in_the_written_order(memo: Path) -> None:
    found: dict[str, tuple[int, float]] = {}
    for word, page, _, y in _words(memo):  # the bar chart's, before the pie's
        if word in ("Amazon", "Microsoft", "Alphabet", "Meta"):
            found.setdefault(word, (page, y))
    order = sorted(found, key=lambda w: found[w])
    assert order == ["Amazon", "Microsoft", "Alphabet", "Meta"]


def test_the_memo_says_the_unit_once_and_labels_pie_slices(memo: Path) -> None:
    text = "".join(page.extract_text() for page in PdfReader(memo).pages)
    assert "Amazon 30%" in text and "All others 37%" in text
    assert text.count("USD bn") == 3  # the column, bar and combined charts' axis titles
    assert "79.0" in text and "99.5" in text


def test_the_memo_pie_legend_is_centred_under_its_pie() -> None:
    brief = load_brief(CHARTS)
    pie = brief.sections[2].blocks[0]
    assert pie.chart is not None
    changed = pie.chart.model_copy(update={"legend": "bottom"})
    from briefgen.layout.memo_charts import FigurePlanner

    for name in available():
        theme = load_theme(name)
        figure, _ = FigurePlanner(theme.colors, 480, 700, 8).figure(changed)
        assert figure.legend is not None
        centre = figure.plot[0] + figure.plot[2] / 2
        drawn = (figure.legend.columns - 1) * figure.legend.column_width + max(
            text_width(n, "Helvetica") * 8 for n in figure.legend.names) + 17
        assert abs(figure.legend.x + drawn / 2 - centre) < 12


def test_the_memo_plans_every_figure_with_its_spec_and_a_row_of_big_numbers() -> None:
    brief = load_brief(CHARTS)
    memo_plan, _ = plan_memo(brief, load_theme("corporate"))
    figures = [e.body for e in memo_plan.elements if isinstance(e, Exhibit)
               and isinstance(e.body, Figure)]
    assert [f.spec.kind for f in figures] == ["column", "bar", "pie", "column", "bar",
                                              "column", "line"]
    percent = figures[4]
    assert all(abs(sum(column) - 1) < 1e-9 for column in zip(*percent.plotted, strict=True))
    rows = [e for e in memo_plan.elements if isinstance(e, FigureRow)]
    assert len(rows) == 1 and len(rows[0].figures) == 4


def test_the_memo_tags_each_big_number_as_a_group(memo: Path) -> None:
    result = subprocess.run(["pdfinfo", "-struct-text", str(memo)], capture_output=True,
                            text=True, check=True)
    assert "$99bn" in result.stdout and "Share of the top three" in result.stdout


# The CLI, end to end


def test_the_cli_builds_every_chart_kind(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(CHARTS), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "charts.pptx").stat().st_size > 0
    assert (tmp_path / "charts.pdf").stat().st_size > 0
    checked = runner.invoke(app, ["validate", str(CHARTS)])
    assert checked.exit_code == 0, checked.output
