"""The memo as assistive technology reads it: a tagged PDF whose structure tree, read back by
poppler (`pdfinfo -struct-text`) and pypdf, holds every heading, paragraph, list item, table
cell and figure in reading order, and none of the page furniture."""

from __future__ import annotations

import re
import shutil
import subprocess
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

    @property
    def text(self) -> str:
        return "".join(self.texts) + "".join(k.text for k in self.kids)

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
            continue
        node = Node(item.split()[0].rstrip(":"))
        stack[-1][1].kids.append(node)
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


def test_a_source_with_a_chinese_title_is_marked_as_chinese(memos: dict[str, Path]) -> None:
    elements = _elements(_tree(PdfReader(str(memos["sample"]))))
    marked = [e for e in elements if e.get("/Lang") == "zh"]
    sources = [s for s in load_brief(SAMPLE).sources if re.search("[\u4e00-\u9fff]", s.title.plain)]
    assert len(marked) == len(sources) and all(e["/S"] == "/LBody" for e in marked)
    assert not [e for e in elements if e.get("/Lang") not in (None, "zh")]
