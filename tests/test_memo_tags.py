"""The memo as assistive technology reads it: a tagged PDF whose structure tree, read back by
poppler (`pdfinfo -struct-text`) and pypdf, holds every heading, paragraph, list item, table
cell and figure in reading order, and none of the page furniture."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from briefgen.brief.loader import load_brief
from briefgen.build import build
from tests.conftest import FIXTURES, SAMPLE

BRIEFS = {"sample": SAMPLE, "cjk": FIXTURES / "cjk.yaml", "escaping": FIXTURES / "escaping.yaml",
          "stress": FIXTURES / "stress.yaml", "every-block": FIXTURES / "every-block.yaml"}
pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")


@dataclass
class Node:
    tag: str
    kids: list[Node] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    items: list[Node | str] = field(default_factory=list)  # texts and kids in reading order

    @property
    def text(self) -> str:
        return "".join(item if isinstance(item, str) else item.text for item in self.items)

    def find(self, tag: str) -> list[Node]:
        found = [self] if self.tag == tag else []
        return found + [n for k in self.kids for n in k.find(tag)]


def structure(path: Path) -> Node:
    """The structure tree as poppler prints it: an element per line, its text in quotes."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                         text=True, check=True)
    assert "Error" not in out.stderr, out.stderr
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for line in out.stdout.splitlines():
        depth = len(line) - len(line.lstrip(" "))
        item = line.strip()
        if not item or item.startswith("/"):
            continue  # an attribute line, such as /Scope /Column
        while stack[-1][0] >= depth:
            stack.pop()
        if item.startswith('"'):
            stack[-1][1].texts.append(item[1:-1])
            stack[-1][1].items.append(item[1:-1])
            continue
        node = Node(item.split()[0].rstrip(":"))
        stack[-1][1].kids.append(node)
        stack[-1][1].items.append(node)
        stack.append((depth, node))
    return root


@pytest.fixture(scope="module")
def memos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("tagged")
    return {name: build(path, out=out, formats=["pdf"]).outputs["pdf"]
            for name, path in BRIEFS.items()}


@pytest.mark.parametrize("name", BRIEFS)
def test_poppler_reads_a_tagged_memo(name: str, memos: dict[str, Path]) -> None:
    info = subprocess.run(["pdfinfo", str(memos[name])], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^PDF version:\s+1\.7$", info, re.M)
    (document,) = structure(memos[name]).kids
    assert document.tag == "Document"


@pytest.mark.parametrize("name", BRIEFS)
def test_no_running_header_or_footer_is_in_the_structure(name: str,
                                                          memos: dict[str, Path]) -> None:
    text = structure(memos[name]).text
    assert "Page 1 of" not in text and "Page 2 of" not in text
    brief = load_brief(BRIEFS[name])
    # The title is read once, in the header block's subject, never as a running header.
    assert text.count(brief.meta.title.plain[:30]) == 1


def test_the_sample_reads_in_order_heading_by_heading(memos: dict[str, Path]) -> None:
    brief = load_brief(SAMPLE)
    (document,) = structure(memos["sample"]).kids
    tags = [k.tag for k in document.kids]
    assert tags[:5] == ["H1", "Table", "Div", "H2", "TOC"]
    sections = [k.text.replace("\xa0", " ") for k in document.kids if k.tag == "H1"][1:]
    parts = [s.title.plain for s in brief.sections] + [
        "Risks", "Verdict", "Predictions", "Final judgment", "Sources"]
    assert sections == [f"{n}.  {title}" for n, title in enumerate(parts, 1)]
    toc = document.find("TOC")[0]
    assert [len(entry.find("Link")) for entry in toc.kids] == [2] * len(parts)


def test_every_table_cell_holds_its_text_in_one_piece(memos: dict[str, Path]) -> None:
    brief = load_brief(SAMPLE)
    table = next(b.content for s in brief.sections for b in s.blocks if b.kind == "table")
    (document,) = structure(memos["sample"]).kids
    grids = [t for t in document.find("Table") if t.find("THead")]
    head, body = grids[0].kids
    assert [th.text for th in head.find("TH")] == [c.plain for c in table.columns]
    assert [[td.text for td in tr.kids] for tr in body.kids] == [
        [cell.plain for cell in row] for row in table.rows]


@pytest.mark.parametrize("name", ["stress", "every-block"])
def test_a_table_over_several_pages_reads_its_header_once(name: str,
                                                          memos: dict[str, Path]) -> None:
    (document,) = structure(memos[name]).kids
    for table in document.find("Table"):
        heads = table.find("THead")
        if heads:
            (head,) = heads
            assert len(head.find("TR")) == 1
            (body,) = table.find("TBody")
            assert all(len(tr.kids) == len(head.find("TH")) for tr in body.kids)


def test_lists_are_items_with_bodies_and_sub_items_nested(memos: dict[str, Path]) -> None:
    (document,) = structure(memos["every-block"]).kids
    lists = [k for k in document.kids if k.tag == "L"]
    assert lists and all(item.tag == "LI" for lst in lists for item in lst.kids)
    for item in (i for lst in lists for i in lst.find("LI")):
        label, body = item.kids[:2]
        assert (label.tag, body.tag) == ("Lbl", "LBody")
        assert re.fullmatch(r"•|–|\d+\.", label.text) and body.text
    nested = [item for lst in lists for item in lst.kids if item.find("L")]
    assert nested, "a bullet's sub-bullets are a list inside its item"
    assert any(k.tag == "BlockQuote" for k in document.kids)
    assert any(k.tag == "Caption" for k in document.kids)


def _tree(reader: PdfReader) -> DictionaryObject:
    return reader.trailer["/Root"]["/StructTreeRoot"].get_object()


def _elements(node: Any) -> list[DictionaryObject]:
    node = node.get_object()
    found: list[DictionaryObject] = []
    if isinstance(node, DictionaryObject) and node.get("/Type") == "/StructElem":
        found.append(node)
    kids = node.get("/K") if isinstance(node, DictionaryObject) else None
    if kids is None or node.get("/Type") in ("/MCR", "/OBJR"):
        return found
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), DictionaryObject):
            found += _elements(kid)
    return found


@pytest.mark.parametrize("name", BRIEFS)
def test_every_figure_has_alternative_text(name: str, memos: dict[str, Path]) -> None:
    elements = _elements(_tree(PdfReader(str(memos[name]))))
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    if name in ("sample", "every-block", "stress"):
        assert figures


@pytest.mark.parametrize("name", BRIEFS)
def test_every_marked_content_id_has_its_element_in_the_parent_tree(
        name: str, memos: dict[str, Path]) -> None:
    reader = PdfReader(str(memos[name]))
    numbers = _tree(reader)["/ParentTree"]["/Nums"]
    parents = {int(numbers[i]): numbers[i + 1].get_object() for i in range(0, len(numbers), 2)}
    for n, page in enumerate(reader.pages):
        assert page["/StructParents"] == n and page["/Tabs"] == "/S"
        content = page.get_contents().get_data().decode("latin-1")
        ids = [int(i) for i in re.findall(r"/MCID (\d+)", content)]
        assert ids == list(range(len(ids))), f"page {n + 1}"
        assert len(parents[n]) == len(ids)
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            assert str(annotation["/Contents"]).strip()
            assert parents[annotation["/StructParent"]]["/S"] == "/Link"


def test_the_catalog_declares_marked_content_language_and_pdf_ua(
        memos: dict[str, Path]) -> None:
    reader = PdfReader(str(memos["cjk"]))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert root["/Lang"] == load_brief(BRIEFS["cjk"]).meta.language
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert load_brief(BRIEFS["cjk"]).meta.title.plain in xmp


def test_the_chinese_in_a_source_title_is_marked_as_chinese_run_by_run(
        memos: dict[str, Path]) -> None:
    elements = _elements(_tree(PdfReader(str(memos["sample"]))))
    marked = [e for e in elements if "/Lang" in e]
    assert marked and all(e["/S"] == "/Span" and e["/Lang"] == "zh" for e in marked)
    sources = [s.title.plain for s in load_brief(SAMPLE).sources
               if re.search("[\u4e00-\u9fff]", s.title.plain)]
    entries = structure(memos["sample"]).find("L")[-1].find("LBody")
    for title in sources:
        (entry,) = [e for e in entries if e.text.startswith(title)]  # read in order
        runs = [span.text for span in entry.find("Span")]
        # Every run of Han characters is a Span of its own, and nothing else is.
        assert runs == re.findall("[\u4e00-\u9fff]+", title)


@pytest.mark.parametrize("name", BRIEFS)
def test_every_link_holds_its_text_and_its_annotations(name: str,
                                                      memos: dict[str, Path]) -> None:
    links = [e for e in _elements(_tree(PdfReader(str(memos[name])))) if e["/S"] == "/Link"]
    assert links
    for link in links:
        kids = link["/K"] if isinstance(link["/K"], ArrayObject) else [link["/K"]]
        kids = [k.get_object() if hasattr(k, "get_object") else k for k in kids]
        objects = [k for k in kids if isinstance(k, DictionaryObject) and k.get("/Type") == "/OBJR"]
        texts = [k for k in kids if not isinstance(k, DictionaryObject) or "/MCID" in k]
        assert objects and texts, link


def test_a_link_over_two_lines_is_one_link_with_both_annotations(tmp_path: Path) -> None:
    words = " ".join(["the survey of every warehouse on the corridor"] * 3)
    brief = SAMPLE.read_text(encoding="utf-8").replace(
        "[ModelScope](https://github.com/modelscope/modelscope)",
        f"[{words}](https://example.com/survey)")
    (tmp_path / "brief.yaml").write_text(brief, encoding="utf-8")
    memo = build(tmp_path / "brief.yaml", out=tmp_path, formats=["pdf"]).outputs["pdf"]
    links = [_link_addresses(e) for e in _elements(_tree(PdfReader(str(memo))))
             if e["/S"] == "/Link"]
    assert links.count(["https://example.com/survey"] * 2) == 1  # one annotation per line
    (node,) = [n for n in structure(memo).find("Link") if n.text.startswith("the survey")]
    assert node.text.split() == words.split()  # its text, in one element, with its two lines


def _link_addresses(link: DictionaryObject) -> list[str]:
    kids = link["/K"] if isinstance(link["/K"], ArrayObject) else [link["/K"]]
    return [str(kid["/Obj"]["/A"]["/URI"]) for kid in (k.get_object() for k in kids)
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR"
            and "/A" in kid["/Obj"]]


def test_a_pdf_ua_checker_finds_nothing_in_any_fixture(memos: dict[str, Path]) -> None:
    out = subprocess.run([sys.executable, "-m", "pdfua", "check", *map(str, memos.values())],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.count("result: PASS") == len(memos), out.stdout
