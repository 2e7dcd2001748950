"""The outputs speak the brief's language: labels, dates and CJK line breaking in both files."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.brief.loader import load_brief
from briefgen.brief.markup import Span
from briefgen.build import build
from briefgen.labels import NO_LINE_END, NO_LINE_START
from briefgen.layout.memo import plan_memo
from briefgen.render.fonts import has_rtl, register, shape_arabic, visual
from briefgen.render.pdf import Styles, Text, markup, text_style
from briefgen.theme.loader import load_theme
from tests.conftest import FIXTURES, SAMPLE
from tests.extract import deck_text, memo_text, squash

CJK = FIXTURES / "cjk.yaml"
# English catalogue texts the deck or the memo print for a brief with every part.
ENGLISH = ["Bottom line", "Key points", "Agenda", "Contents", "Memorandum", "Page 1 of",
           "(cont.)", "Risks", "Verdict", "Predictions", "Sources", "Executive summary",
           "Likelihood", "Impact", "So what", "Source:", "Signal to watch", "Confidence",
           "Horizon", "Subject", "Classification", "Table 1"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    outputs = build(SAMPLE, out=tmp_path_factory.mktemp("sample")).outputs
    return {"deck": deck_text(outputs["pptx"]), "memo": memo_text(outputs["pdf"])}


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    outputs = build(CJK, out=tmp_path_factory.mktemp("cjk")).outputs
    return {"deck": deck_text(outputs["pptx"]), "memo": memo_text(outputs["pdf"])}


@pytest.fixture(scope="module")
def overridden(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("override")
    text = CJK.read_text(encoding="utf-8")
    text = text.replace('labels: {bottom_line: "核心结论"}',
                        'labels: {bottom_line: "一句话结论", risks: "风险提示", '
                        'verdict: "审议意见"}')
    assert "一句话结论" in text
    (folder / "cjk.yaml").write_text(text, encoding="utf-8")
    outputs = build(folder / "cjk.yaml", out=folder / "out").outputs
    return {"deck": deck_text(outputs["pptx"]), "memo": memo_text(outputs["pdf"])}


@pytest.mark.parametrize(("output", "labels"), [
    ("memo", ["Bottom line", "Key points", "Contents", "Memorandum", "Page 1 of", "Risks",
              "Verdict", "Predictions", "Sources", "Likelihood", "Impact", "So what"]),
    ("deck", ["Agenda", "Executive summary", "Risks", "Verdict", "Predictions", "Sources"]),
])
def test_the_sample_prints_english_labels(output: str, labels: list[str],
                                          sample: dict[str, str]) -> None:
    assert [label for label in labels if squash(label) not in sample[output]] == []


@pytest.mark.parametrize("output", ["deck", "memo"])
def test_a_chinese_brief_prints_no_english_label(output: str, chinese: dict[str, str]) -> None:
    assert [label for label in ENGLISH if squash(label) in chinese[output]] == []


@pytest.mark.parametrize("output", ["deck", "memo"])
def test_a_chinese_brief_prints_chinese_labels_and_dates(output: str,
                                                         chinese: dict[str, str]) -> None:
    assert "2026年4月15日" in chinese[output]
    assert "风险" in chinese[output]
    assert "参考资料" in chinese[output]


@pytest.mark.parametrize("output", ["deck", "memo"])
def test_a_label_override_appears_in_both_outputs(output: str,
                                                  overridden: dict[str, str]) -> None:
    assert "风险提示" in overridden[output]
    assert "审议意见" in overridden[output]


def test_a_memo_only_label_override_appears_in_the_memo(overridden: dict[str, str]) -> None:
    assert "一句话结论" in overridden["memo"]
    assert "核心结论" not in overridden["memo"]


def test_the_memo_numbers_its_pages_in_chinese(chinese: dict[str, str]) -> None:
    assert "第1页，共" in chinese["memo"]


def lines(text: str, width: float) -> list[str]:
    """The lines the memo sets a paragraph of `text` in at `width` pt."""
    plan, _ = plan_memo(load_brief(CJK), load_theme(None))
    styles = Styles.of(plan)
    spans = (Span(text),)
    paragraph = Text(markup(spans, styles), text_style(spans, styles.body))
    paragraph.wrap(width, 10_000)
    return ["".join(word.text for word in line.words) for line in paragraph.blPara.lines]


KINSOKU = ("青岚茶事应在2027年前以「中央厨房＋加盟」模式进入华中县城市场，但必须先把冷链配送半径"
           "压缩到150公里以内。消费者最看重的三个因素依次为：口味稳定、价格实惠、出杯速度！"
           "（注：数据来自内部调研。）ラーメンとチョコレートを食べたい。")


# Every width holds the longest run that kinsoku keeps together (three characters here).
@pytest.mark.parametrize("width", [34, 47, 61, 88, 101, 133, 170, 212])
def test_cjk_lines_never_start_or_end_with_a_forbidden_character(width: float) -> None:
    found = lines(KINSOKU, width)
    assert "".join(found) == KINSOKU
    assert len(found) > 1
    for line in found[1:]:
        assert line[0] not in NO_LINE_START, found
    for line in found[:-1]:
        assert line[-1] not in NO_LINE_END, found


MIXED = "我们在 Shenzhen 与 Hangzhou 部署了 Tongyi Qianwen 模型，并通过 ModelScope 开源社区发布。"


# Every width holds the longest Latin word.
@pytest.mark.parametrize("width", [60, 70, 90, 120, 160])
def test_mixed_text_never_breaks_inside_a_latin_word(width: float) -> None:
    found = lines(MIXED, width)
    words = {"Shenzhen", "Hangzhou", "Tongyi", "Qianwen", "ModelScope"}
    assert {w for line in found for w in line.split() if w.isascii()} <= words
    assert squash("".join(found)) == squash(MIXED)


def test_a_word_longer_than_the_line_is_cut_rather_than_overflowing() -> None:
    found = lines("地址：https://example.com/" + "a" * 120, 80)
    assert len(found) > 2


def test_arabic_letters_take_their_joining_forms_and_read_back_as_typed() -> None:
    assert shape_arabic("سارة") == "\ufeb3\ufe8e\ufead\ufe93"  # initial, final, isolated x2
    assert shape_arabic("لا") == "\ufefb"  # lam-alef ligature
    for text in ("مرحبا بالعالم", "سارة الحمدان", "المديرة المالية", "لا"):
        assert unicodedata.normalize("NFKC", shape_arabic(text)) == text


def test_right_to_left_runs_are_drawn_reversed_with_numbers_left_to_right() -> None:
    assert visual("abc אבג def") == "abc גבא def"
    assert visual("ראה 12% עוד") == "דוע 12% האר"
    assert visual("א (ב) ג") == "ג (ב) א"  # brackets inside right-to-left text face the other way
    assert visual("Latin only (no change)") == "Latin only (no change)"


def test_every_right_to_left_character_is_found_by_the_quick_check() -> None:
    missed = [hex(code) for code in range(0x110000)
              if unicodedata.bidirectional(chr(code)) in ("R", "AL")
              and not has_rtl(chr(code))]
    assert missed == []


def test_runs_keep_text_in_one_font_when_it_has_every_character() -> None:
    fonts = register("en")
    assert fonts.runs("Cloud revenue grew 26 %.\nNext line") == [
        ("Body", "Cloud revenue grew 26 %.\nNext line")]
    assert fonts.runs("") == []
    assert fonts.runs("Qwen 通义千问 model") == [
        ("Body", "Qwen "), ("CJK-SC", "通义千问 "), ("Body", "model")]


_REGISTERED_AFTER_BUILD = """
import sys
from reportlab.pdfbase import pdfmetrics
from briefgen.build import build
build(sys.argv[1], out=sys.argv[2], formats=["pdf"])
print(" ".join(sorted(pdfmetrics.getRegisteredFontNames())))
"""


@pytest.mark.slow
@pytest.mark.parametrize(("text", "bold_cjk"), [("Plain 中文 text", False),
                                                 ("**粗体中文** text", True)])
def test_a_fallback_face_is_loaded_only_when_the_memo_draws_with_it(
        text: str, bold_cjk: bool, tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        f'meta: {{title: "Fonts", date: 2026-04-15}}\nthesis:\n  headline: "Fonts"\n'
        f'  summary: "{text}"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _REGISTERED_AFTER_BUILD, str(brief),
                           str(tmp_path / "out")], capture_output=True, text=True, check=True)
    registered = done.stdout.split()
    assert "CJK-SC" in registered
    assert ("CJK-SC-Bold" in registered) == bold_cjk
    assert "Wide" not in registered and "Wide-Bold" not in registered
    faces = {name.split("+")[-1] for name in _embedded_fonts(tmp_path / "out" / "brief.pdf")}
    assert ("KurintoSansSC-Bd" in faces) == bold_cjk


def _embedded_fonts(pdf: Path) -> set[str]:
    reader = PdfReader(str(pdf))
    return {str(font.get_object()["/BaseFont"]) for page in reader.pages
            for font in page["/Resources"].get("/Font", {}).values()}
