"""The memo as a reader and a PDF tool see it: every string as typed, embedded fonts, outline,
internal and external links, metadata, page furniture and pagination of long input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from briefgen.brief.loader import load_brief
from briefgen.brief.markup import RichText, Span
from briefgen.brief.model import Brief
from briefgen.build import build
from briefgen.layout import memo_plan as m
from briefgen.layout.memo import CHUNK_CHARS, plain, plan_memo
from briefgen.render.fonts import register
from briefgen.render.pdf import MemoDoc, Styles, markup
from briefgen.theme.loader import load_theme
from briefgen.theme.model import contrast
from tests.conftest import FIXTURES, SAMPLE
from tests.extract import squash

BRIEFS = {
    "sample": SAMPLE,
    "cjk": FIXTURES / "cjk.yaml",
    "escaping": FIXTURES / "escaping.yaml",
    "every-block": FIXTURES / "every-block.yaml",
}
THEMES = ("corporate", "midnight", "print")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_NUMBER_IN_RTL = re.compile("[\u0590-\u08ff][^A-Za-z]*[0-9]")


@pytest.fixture(scope="module")
def memos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("memos")
    return {name: build(path, out=out, formats=["pdf"]).outputs["pdf"]
            for name, path in BRIEFS.items()}


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("themed")
    return {theme: build(SAMPLE, theme=theme, out=out / theme, formats=["pdf"]).outputs["pdf"]
            for theme in THEMES}


def memo_strings(brief: Brief) -> list[str]:
    """Every text of a brief the memo prints, as the reader sees it (inline markup removed)."""
    meta, thesis = brief.meta, brief.thesis
    found: list[RichText | str | None] = [meta.title, meta.subtitle, meta.sender, *meta.to,
                                          meta.classification, thesis.headline, thesis.summary,
                                          *thesis.points]
    for section in brief.sections:
        found += [section.title, section.lead]
        for block in section.blocks:
            c = block.content
            if block.kind == "text":
                found.append(c)
            elif block.kind == "numbered":
                found += c
            elif block.kind == "bullets":
                for bullet in c:
                    found += [bullet.text, *bullet.sub]
            elif block.kind == "table":
                found += [c.title, *c.columns, *(cell for row in c.rows for cell in row),
                          c.takeaway, c.source]
            elif block.kind == "chart":
                # A pie's legend names its slices; the axis shortens long category names.
                names = [] if c.type == "pie" else [s.name for s in c.series]
                found += [c.title, c.takeaway, c.source, *names,
                          *(n for n in c.categories if len(n.plain) < 22)]
            elif block.kind == "quote":
                found += [c.text, c.by]
            elif block.kind == "callout":
                found += [c.label, c.text]
            elif block.kind == "players":
                found += [t for p in c for t in (p.name, p.role, p.org, p.note)]
            elif block.kind == "image":
                found.append(c.caption)
    found += [t for r in brief.risks for t in (r.title, r.detail)]
    if brief.verdict:
        found += [brief.verdict.headline, brief.verdict.summary]
    found += [t for p in brief.predictions for t in (p.statement, p.horizon, p.signal)]
    if brief.conclusion:
        found += [brief.conclusion.title, brief.conclusion.text]
    found += [t for s in brief.sources for t in (s.title, s.publisher, s.url)]
    return [t.plain if isinstance(t, RichText) else t for t in found if t]


def page_bodies(path: Path, brief: Brief) -> list[str]:
    """Each page's text without whitespace and without its running header and footer, which
    come first on every page."""
    bodies = []
    title = squash(brief.meta.title.plain)
    pages = PdfReader(str(path)).pages
    for number, page in enumerate(pages, 1):
        text = squash(page.extract_text())
        cut = next(n for n in range(len(title), 0, -1) if text.startswith(title[:n]))
        text = text[cut:].removeprefix("…").removeprefix(squash(brief.meta.classification or ""))
        text = text.removeprefix(squash(footer_date(brief)))
        bodies.append(text.removeprefix(f"Page{number}of{len(pages)}"))
    return bodies


def footer_date(brief: Brief) -> str:
    from briefgen.labels import format_date, labels_for

    return format_date(brief.meta.date, labels_for(brief.meta.language)[0].language)


def shown(name: str, memos: dict[str, Path]) -> tuple[Brief, str]:
    brief = load_brief(BRIEFS[name])
    return brief, "".join(page_bodies(memos[name], brief))


@pytest.mark.parametrize("name", ["sample", "cjk", "escaping", "every-block"])
def test_every_string_of_the_brief_comes_back_from_the_memo_as_typed(
        name: str, memos: dict[str, Path]) -> None:
    brief, text = shown(name, memos)
    missing = [s for s in memo_strings(brief) if not _RTL.search(s) and squash(s) not in text]
    assert missing == []


def test_right_to_left_text_comes_back_as_typed(memos: dict[str, Path]) -> None:
    brief, text = shown("escaping", memos)
    # pypdf reads digits as left-to-right runs of their own, so it cannot put a number inside
    # right-to-left text back in typed order; tests/test_language.py checks how it is drawn.
    rtl = [s for s in memo_strings(brief) if _RTL.search(s) and not _NUMBER_IN_RTL.search(s)]
    assert len(rtl) > 5
    assert [s for s in rtl if squash(s) not in text] == []


def _fonts(reader: PdfReader) -> dict[str, Any]:
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


@pytest.mark.parametrize("name", list(BRIEFS))
def test_every_font_in_the_memo_is_embedded(name: str, memos: dict[str, Path]) -> None:
    fonts = _fonts(PdfReader(str(memos[name])))
    assert fonts
    for base, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{base} is not embedded"
        descriptor = descriptor.get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, base


@pytest.mark.parametrize("theme", THEMES)
def test_every_font_is_embedded_in_every_theme(theme: str, themed: dict[str, Path]) -> None:
    fonts = _fonts(PdfReader(str(themed[theme])))
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts.values())


def test_a_cjk_memo_embeds_its_cjk_font(memos: dict[str, Path]) -> None:
    names = set(_fonts(PdfReader(str(memos["cjk"]))))
    assert any("KurintoSansSC-Bd" in n for n in names)  # headings and bold are bold in CJK too
    assert any("KurintoSansSC-Rg" in n for n in names)


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    entries: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries.append((str(item.title), reader.get_destination_page_number(item) or 0))

    walk(reader.outline)
    return entries


def test_the_outline_has_an_entry_for_every_section_and_part_on_its_page(
        memos: dict[str, Path]) -> None:
    brief = load_brief(SAMPLE)
    reader = PdfReader(str(memos["sample"]))
    entries = outline(reader)
    titles = [t for t, _ in entries if re.match(r"\d+\. ", t)]
    parts = [s.title.plain for s in brief.sections] + [
        "Risks", "Verdict", "Predictions", "Final judgment", "Sources"]
    assert titles == [f"{n}. {title}" for n, title in enumerate(parts, 1)]
    bodies = page_bodies(memos["sample"], brief)
    for title, page in entries:
        assert squash(title) in bodies[page], title


def test_the_contents_list_links_to_the_headings_inside_the_memo(memos: dict[str, Path]) -> None:
    reader = PdfReader(str(memos["sample"]))
    pages = dict(outline(reader))
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    assert links, "a memo longer than three pages has a contents list on its first page"
    targets = []
    for link in links:
        assert link["/Subtype"] == "/Link"
        action = link.get("/A")
        assert action is None or action["/S"] == "/GoTo"
        dest = link["/Dest"] if action is None else action["/D"]
        targets.append(reader.get_page_number(dest[0].get_object()))
    headings = [page for title, page in pages.items() if re.match(r"\d+\. ", title)]
    # Each entry links twice: its title and its page number.
    assert targets == [page for page in headings for _ in range(2)]
    assert "Contents" in reader.pages[0].extract_text()


def test_a_memo_of_one_page_has_no_contents_list(tmp_path: Path) -> None:
    path = build(FIXTURES / "minimal.yaml", out=tmp_path, formats=["pdf"]).outputs["pdf"]
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1
    assert "Contents" not in reader.pages[0].extract_text()
    assert "/Annots" not in reader.pages[0]


def layouts(monkeypatch: pytest.MonkeyPatch) -> list[MemoDoc]:
    """Every memo reportlab lays out from here on."""
    built: list[MemoDoc] = []
    original = MemoDoc.build

    def build(self: MemoDoc, *args: Any, **kw: Any) -> Any:
        built.append(self)
        return original(self, *args, **kw)

    monkeypatch.setattr(MemoDoc, "build", build)
    return built


def contents_entries(reader: PdfReader) -> list[tuple[str, int]]:
    """The contents list: each section's title and the page it shows."""
    text = next(t for t in (page.extract_text() for page in reader.pages) if "Contents" in t)
    return [(f"{number}. {title}", int(page)) for number, title, page in
            re.findall(r"^(\d+)\.\s+(.+)\n\s*(\d+)$", text.split("Contents", 1)[1], re.M)]


@pytest.mark.parametrize("theme", THEMES)
def test_a_long_memo_is_laid_out_once_with_its_page_count_and_its_sections_pages(
        theme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = layouts(monkeypatch)
    path = build(SAMPLE, theme=theme, out=tmp_path, formats=["pdf"]).outputs["pdf"]
    assert len(built) == 1
    reader = PdfReader(str(path))
    sections = [(title, page + 1) for title, page in outline(reader)
                if re.match(r"\d+\. ", title)]
    assert contents_entries(reader) == sections
    assert len(reader.pages) > 3
    for number, page in enumerate(reader.pages, 1):
        assert f"Page {number} of {len(reader.pages)}" in page.extract_text()


def test_a_short_memo_is_laid_out_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = layouts(monkeypatch)
    build(FIXTURES / "minimal.yaml", out=tmp_path, formats=["pdf"])
    assert len(built) == 1


@pytest.mark.parametrize(("brief", "listed"), [(SAMPLE, True), (FIXTURES / "minimal.yaml", False)])
def test_the_planner_decides_the_contents_list_from_its_estimate_of_the_pages(
        brief: Path, listed: bool, tmp_path: Path) -> None:
    plan, _ = plan_memo(load_brief(brief), load_theme(None))
    contents = [e for e in plan.elements if isinstance(e, m.Contents)]
    assert bool(contents) == listed == (plan.pages > 3)
    pages = len(PdfReader(str(build(brief, out=tmp_path, formats=["pdf"]).outputs["pdf"])).pages)
    assert pages == plan.pages


def test_a_long_memo_of_only_a_bottom_line_has_no_contents_list(tmp_path: Path) -> None:
    sentence = "Storage revenue rose again in the third quarter of the year. "
    points = "".join(f"    - \"{sentence * 30}\"\n" for _ in range(12))
    path = tmp_path / "thesis.yaml"
    path.write_text("meta: {title: Only a thesis, date: 2026-04-15}\n"
                    f"thesis:\n  headline: Long.\n  summary: \"{sentence * 40}\"\n"
                    f"  points:\n{points}", encoding="utf-8")
    reader = PdfReader(str(build(path, out=tmp_path, formats=["pdf"]).outputs["pdf"]))
    assert len(reader.pages) > 3
    assert "Contents" not in reader.pages[0].extract_text()


def uris(reader: PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                found.append(str(action["/URI"]))
    return found


def test_only_http_and_https_addresses_become_links(memos: dict[str, Path]) -> None:
    links = uris(PdfReader(str(memos["escaping"])))
    assert set(links) == {
        "https://example.com/?a=1&b=2",
        "https://example.com/a?b=1&c=2",
        "https://example.com/search?q=a&b=c&amp;d",
        "http://example.com/plain",
    }
    _, text = shown("escaping", memos)
    assert squash("javascript:alert(1)") in text  # shown, not linked


def test_a_mailto_or_ftp_source_is_plain_text(memos: dict[str, Path]) -> None:
    links = uris(PdfReader(str(memos["every-block"])))
    assert links and all(link.startswith(("http://", "https://")) for link in links)
    _, text = shown("every-block", memos)
    assert "mailto:strategy@example.com" in text


def test_the_memo_carries_title_author_subject_keywords_and_language(
        memos: dict[str, Path]) -> None:
    brief = load_brief(SAMPLE)
    reader = PdfReader(str(memos["sample"]))
    info = reader.metadata
    assert info is not None
    assert info.title == brief.meta.title.plain
    assert info.author == (brief.meta.author.plain if brief.meta.author else "")
    assert info.subject == (brief.meta.subtitle.plain if brief.meta.subtitle else "")
    assert str(info["/Keywords"]) == ", ".join(brief.meta.tags)
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_a_chinese_memo_declares_its_language(memos: dict[str, Path]) -> None:
    reader = PdfReader(str(memos["cjk"]))
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "zh-CN"
    assert reader.metadata is not None
    assert reader.metadata.title == load_brief(BRIEFS["cjk"]).meta.title.plain


@pytest.mark.parametrize(("theme", "size"), [("corporate", (595.28, 841.89)),
                                             ("midnight", (595.28, 841.89)),
                                             ("print", (612, 792))])
def test_the_page_size_comes_from_the_theme(theme: str, size: tuple[float, float],
                                            themed: dict[str, Path]) -> None:
    for page in PdfReader(str(themed[theme])).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size)


@pytest.mark.parametrize("name", ["sample", "cjk"])
def test_every_page_has_the_running_header_and_footer(name: str, memos: dict[str, Path]) -> None:
    brief = load_brief(BRIEFS[name])
    pages = PdfReader(str(memos[name])).pages
    label = {"sample": "Page{page}of{pages}", "cjk": "第{page}页，共{pages}页"}[name]
    for number, page in enumerate(pages, 1):
        text = squash(page.extract_text())
        assert text.startswith(squash(brief.meta.title.plain)[:40])
        assert squash(brief.meta.classification or "") in text
        assert squash(footer_date(brief)) in text
        assert label.format(page=number, pages=len(pages)) in text


@pytest.mark.parametrize("name", ["sample", "every-block", "cjk"])
def test_no_page_ends_with_a_heading(name: str, memos: dict[str, Path]) -> None:
    reader = PdfReader(str(memos[name]))
    headings = [squash(title) for title, _ in outline(reader)]
    for page in reader.pages[:-1]:
        last = squash(page.extract_text().splitlines()[-1])
        assert not any(h.endswith(last) for h in headings), last


def test_risk_levels_are_legible_chips_in_every_theme() -> None:
    brief = load_brief(SAMPLE)
    for theme in THEMES:
        plan, _ = plan_memo(brief, load_theme(theme))
        grid = next(e.body for e in plan.elements
                    if isinstance(e, m.Exhibit) and isinstance(e.body, m.Grid) and e.body.chips)
        chips = [c for row in grid.chips for c in row if c is not None]
        assert {c.text for c in chips} <= {"Low", "Medium", "High"}
        assert all(contrast(c.color, c.fill) >= 4.5 for c in chips), theme


def test_user_text_is_escaped_and_our_markup_is_the_only_markup() -> None:
    plan, _ = plan_memo(load_brief(FIXTURES / "minimal.yaml"), load_theme(None))
    styles = Styles.of(plan)
    url = 'https://e.com/?a=1&b="2"'
    text = markup((Span("<b>x</b> & &amp; "), Span("y", bold=True), Span("go", href=url)),
                  styles)
    assert text.startswith("&lt;b&gt;x&lt;/b&gt; &amp; &amp;amp; <b>y</b>")
    assert f"<a href={quoteattr(url)} " in text


def test_a_character_no_font_has_falls_back_and_stays_in_the_body_font() -> None:
    fonts = register("zh-CN")
    assert fonts.runs("Ab 中文，x🚀") == [("Body", "Ab "), ("CJK-SC", "中文，"),
                                            ("Body", "x🚀")]
    assert fonts.runs("a\u200d💻")[-1][0] == "Wide"


def _brief(tmp_path: Path, blocks: str, sources: str = "") -> Path:
    path = tmp_path / "long.yaml"
    path.write_text(
        "meta: {title: Long input, date: 2026-04-15, classification: Internal}\n"
        "thesis: {headline: Long input stays linear.}\n"
        f"sections:\n  - title: Long\n    blocks:\n{blocks}{sources}", encoding="utf-8")
    return path


def test_a_2000_word_paragraph_goes_out_in_pieces_cut_after_sentences(tmp_path: Path) -> None:
    sentence = "Storage revenue rose again in the third quarter of the year. "
    paragraph = (sentence * 200).strip()
    path = _brief(tmp_path, f"      - text: \"{paragraph}\"\n")
    plan, _ = plan_memo(load_brief(path), load_theme(None))
    pieces = [e for e in plan.elements if isinstance(e, m.Para) and e.role == "body"]
    assert len(pieces) > 5
    assert all(p.continues for p in pieces[:-1]) and not pieces[-1].continues
    assert all(len(plain(p.spans)) <= CHUNK_CHARS for p in pieces)
    assert all(plain(p.spans).rstrip().endswith("year.") for p in pieces)
    assert "".join(plain(p.spans) for p in pieces) == paragraph
    built = build(path, out=tmp_path, formats=["pdf"]).outputs["pdf"]
    assert squash(paragraph) in "".join(page_bodies(built, load_brief(path)))


def test_a_300_character_url_breaks_across_lines(tmp_path: Path) -> None:
    url = "https://data.example.com/" + "/".join(f"segment{n:02d}" for n in range(30))
    assert len(url) > 300
    path = _brief(tmp_path, f"      - text: \"Raw address: {url} end.\"\n",
                  f"sources:\n  - {{title: Long address, url: \"{url}\"}}\n")
    built = build(path, out=tmp_path, formats=["pdf"]).outputs["pdf"]
    reader = PdfReader(str(built))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    assert not any(url in line for line in lines)
    assert squash(url) in "".join(page_bodies(built, load_brief(path)))
    assert url in uris(reader)


def test_a_table_cell_taller_than_a_page_splits_with_the_header_repeated(
        tmp_path: Path) -> None:
    cell = "A very long cell keeps going with more words in it. " * 150
    path = _brief(tmp_path, "      - table:\n          columns: [Topic, Detail]\n"
                  f"          rows: [[Tall, \"{cell.strip()}\"], [Short, Done]]\n")
    built = build(path, out=tmp_path, formats=["pdf"]).outputs["pdf"]
    bodies = page_bodies(built, load_brief(path))
    assert len(bodies) >= 2
    assert sum("TopicDetail" in body for body in bodies) >= 2
    assert squash(cell) in "".join(bodies).replace("TopicDetail", "")


def test_headings_point_at_the_right_place_of_their_page(memos: dict[str, Path]) -> None:
    reader = PdfReader(str(memos["sample"]))
    for item in reader.outline:
        if isinstance(item, Destination):
            assert item.typ == "/XYZ"
            assert item.top is not None and float(item.top) > 0


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["cjk", "escaping"])
def test_no_page_is_left_empty(name: str, theme: str, tmp_path: Path) -> None:
    path = build(BRIEFS[name], theme=theme, out=tmp_path, formats=["pdf"]).outputs["pdf"]
    assert all(page_bodies(path, load_brief(BRIEFS[name])))


@pytest.mark.parametrize("theme", ["corporate", "print"])
def test_a_table_header_is_repeated_only_at_the_top_of_a_page(theme: str, tmp_path: Path
                                                              ) -> None:
    # tall-cells.yaml has rows taller than a page: they are cut across pages, and a row that
    # does not fit moves whole, so the repeated header never sits above a sliver of a row.
    memo = build(FIXTURES / "tall-cells.yaml", theme=theme, out=tmp_path,
                 formats=["pdf"]).outputs["pdf"]
    pages = [page.extract_text().split("\n") for page in PdfReader(str(memo)).pages]
    with_header = [n for n, lines in enumerate(pages) if "Claim" in lines]
    assert len(with_header) >= 3, "the table runs over several pages"
    for n in with_header:
        assert pages[n].count("Claim") == 1, f"page {n + 1}"
        if n != with_header[0]:
            # After the running header and footer, the page opens with the table's header.
            assert pages[n][3:5] == ["Claim", "Evidence"], f"page {n + 1}: {pages[n][:6]}"


@pytest.mark.parametrize("theme", THEMES)
def test_a_table_header_taller_than_a_quarter_page_starts_under_its_heading(
        theme: str, tmp_path: Path) -> None:
    path = FIXTURES / "hostile" / "table-header-taller-than-a-page.yaml"
    memo = build(path, theme=theme, out=tmp_path, formats=["pdf"]).outputs["pdf"]
    pages = [page.extract_text() for page in PdfReader(str(memo)).pages]
    captioned = next(text for text in pages if "Table 1" in text)
    assert "Grid" in captioned.split("Table 1", 1)[1], "the header row begins under its caption"
