"""Untrusted briefs end to end: images stay in the brief's folder, only web and mail links link,
text is shown exactly as typed, control characters never reach a file, nothing goes online."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pydantic import BaseModel
from pypdf import PdfReader

from briefgen.brief.loader import load_brief
from briefgen.brief.markup import RichText
from briefgen.build import build
from briefgen.errors import BriefError
from tests.conftest import FIXTURES
from tests.extract import deck_texts, squash

ESCAPING = FIXTURES / "escaping.yaml"
PNG = FIXTURES / "images" / "sample.png"
HEAD = "meta:\n  title: T\n  date: 2026-04-01\nthesis:\n  headline: H\n"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def write(folder: Path, text: str | bytes, name: str = "brief.yaml") -> Path:
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def with_blocks(*lines: str) -> str:
    return HEAD + "sections:\n  - title: S\n    blocks:\n" + "".join(
        f"      {line}\n" for line in lines)


def external_targets(deck: Path) -> set[str]:
    """Targets of every external relationship in the package: hyperlinks, linked media."""
    targets = set()
    with zipfile.ZipFile(deck) as package:
        for name in package.namelist():
            if name.endswith(".rels"):
                root = etree.fromstring(package.read(name))
                targets |= {rel.get("Target") for rel in root
                            if rel.get("TargetMode") == "External"}
    return targets


def slide_xml(deck: Path) -> str:
    with zipfile.ZipFile(deck) as package:
        return "".join(package.read(n).decode() for n in sorted(package.namelist())
                       if n.startswith("ppt/") and n.endswith(".xml"))


def pdf_uris(memo: Path) -> set[str]:
    uris = set()
    for page in PdfReader(str(memo)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def memo_raw_text(memo: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(memo)).pages)


# Images: only from inside the brief's folder


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A real PNG outside the brief's folder `tmp_path/brief`."""
    (tmp_path / "brief").mkdir()
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "elsewhere" / "secret.png"
    shutil.copy(PNG, target)
    return target


def image_brief(folder: Path, path: str) -> Path:
    return write(folder, with_blocks("- image:", f"    path: '{path}'", "    alt: A picture"))


@pytest.mark.parametrize("path", ["../elsewhere/secret.png", "images/../../elsewhere/secret.png",
                                  "..\\elsewhere\\secret.png", "ABSOLUTE", "link.png",
                                  "linked-folder/secret.png"])
def test_a_build_refuses_an_image_from_outside_the_briefs_folder(tmp_path: Path, outside: Path,
                                                                 path: str) -> None:
    folder = tmp_path / "brief"
    (folder / "link.png").symlink_to(outside)
    (folder / "linked-folder").symlink_to(outside.parent, target_is_directory=True)
    brief = image_brief(folder, str(outside) if path == "ABSOLUTE" else path)
    out = tmp_path / "out"
    with pytest.raises(BriefError) as caught:
        build(brief, out=out)
    [problem] = caught.value.problems
    assert problem.key == "sections[0].blocks[0].image.path"
    assert problem.message.startswith("image path") and "exist" not in problem.message
    assert not out.exists()


def test_an_image_inside_the_briefs_folder_is_built_into_both_outputs(tmp_path: Path) -> None:
    (tmp_path / "pictures").mkdir()
    shutil.copy(PNG, tmp_path / "pictures" / "chart.png")
    result = build(image_brief(tmp_path, "pictures/chart.png"), out=tmp_path / "out")
    with zipfile.ZipFile(result.outputs["pptx"]) as package:
        assert any(n.startswith("ppt/media/") for n in package.namelist())
    assert "/Image" in result.outputs["pdf"].read_bytes().decode("latin-1")


# Links: only http, https and mailto


HOSTILE_LINKS = ["[js](javascript:alert(1))", "[JS](JavaScript:alert(1))",
                 "[file](file:///etc/passwd)", "[data](data:text/html,<b>x</b>)",
                 "[vb](vbscript:msgbox(1))", "[rel](../../etc/passwd)", "[smb](\\\\host\\share)"]
SAFE_LINKS = {"[web](https://example.com/ok?a=1&b=2)": "https://example.com/ok?a=1&b=2",
              "[plain](http://example.com/plain)": "http://example.com/plain",
              "[mail](mailto:someone@example.com)": "mailto:someone@example.com"}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("links")
    texts = [*HOSTILE_LINKS, *SAFE_LINKS]
    bullets = "".join(f"\n          - '{t}'" for t in texts)
    brief = write(folder, HEAD + (
        "sections:\n  - title: Links\n    blocks:\n"
        f"      - text: '{' and '.join(texts)}'\n"
        f"      - bullets:{bullets}\n"
        "      - text: 'An image tag is text: <img src=http://example.com/x.png> and so is "
        "<a href=\"javascript:alert(1)\">this</a>.'\n"
        "sources:\n"
        "  - {title: Script, url: 'javascript:alert(1)'}\n"
        "  - {title: File, url: 'file:///etc/passwd'}\n"
        "  - {title: Web, url: 'https://example.com/source'}\n"))
    return build(brief, out=folder / "out").outputs


WEB_TARGETS = {"https://example.com/ok?a=1&b=2", "http://example.com/plain",
               "https://example.com/source"}


def test_only_web_and_mail_links_become_hyperlinks_in_the_deck(linked: dict[str, Path]) -> None:
    assert external_targets(linked["pptx"]) == {*WEB_TARGETS, *SAFE_LINKS.values()}


def test_only_web_and_mail_links_become_link_annotations_in_the_memo(
        linked: dict[str, Path]) -> None:
    assert pdf_uris(linked["pdf"]) == {*WEB_TARGETS, *SAFE_LINKS.values()}


@pytest.mark.parametrize("fmt", ["pptx", "pdf"])
def test_a_refused_link_stays_visible_as_the_text_typed(linked: dict[str, Path], fmt: str
                                                        ) -> None:
    if fmt == "pptx":
        text = squash("".join(deck_texts(linked["pptx"])))
    else:
        text = squash(memo_raw_text(linked["pdf"]))
    for link in HOSTILE_LINKS:
        assert squash(link) in text, link
    for link in SAFE_LINKS:
        label = link[1:link.index("]")]
        assert label in text and squash(link) not in text, link
    assert "javascript:alert(1)" in text  # the source URL is printed, not linked


@pytest.mark.parametrize("fmt", ["pptx", "pdf"])
def test_an_html_image_tag_is_text_and_fetches_nothing(linked: dict[str, Path], fmt: str
                                                       ) -> None:
    if fmt == "pptx":
        text = squash("".join(deck_texts(linked["pptx"])))
        with zipfile.ZipFile(linked["pptx"]) as package:
            assert not [n for n in package.namelist() if n.startswith("ppt/media/")]
    else:
        text = squash(memo_raw_text(linked["pdf"]))
        assert b"/Subtype /Image" not in linked["pdf"].read_bytes()
    assert squash("<img src=http://example.com/x.png>") in text
    assert squash('<a href="javascript:alert(1)">this</a>') in text


# Text exactly as typed: the escaping fixture


def rich_texts(value: Any, path: str = "") -> Iterator[tuple[str, RichText]]:
    """Every rich text of a brief with its key path."""
    if isinstance(value, RichText):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from rich_texts(getattr(value, name), f"{path}.{name}".lstrip("."))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from rich_texts(item, f"{path}[{n}]")


def paragraphs(brief_path: Path) -> list[tuple[str, str]]:
    """(key path, shown text) of every paragraph of every rich text in a brief."""
    brief = load_brief(brief_path)
    return [(path, "".join(span.text for span in para))
            for path, text in rich_texts(brief) for para in text.paragraphs]


@pytest.fixture(scope="module")
def escaping(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(ESCAPING, out=tmp_path_factory.mktemp("escaping")).outputs


def everything_in_the_deck(deck: Path) -> str:
    """Text frames, table cells, speaker notes, chart categories and series, alt texts."""
    presentation = Presentation(str(deck))
    texts = deck_texts(deck)
    for slide in presentation.slides:
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                texts.extend(str(c) for c in plot.categories)
                texts.extend(s.name for s in plot.series)
    with zipfile.ZipFile(deck) as package:
        for name in package.namelist():
            if name.startswith("ppt/slides/slide") and name.endswith(".xml"):
                texts.extend(etree.fromstring(package.read(name)).xpath("//@descr"))
    return squash("".join(texts))


# Keys the deck does not show by design: the memo's recipients and sender.
NOT_IN_DECK = re.compile(r"^meta\.(to|from_)")
# Keys the memo does not show by design: speaker notes, alt text, the author when `from` is set.
NOT_IN_MEMO = re.compile(r"(\.notes$|\.alt$|^meta\.author$)")
RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+")


def test_every_text_of_the_escaping_fixture_is_in_the_deck_as_typed(
        escaping: dict[str, Path]) -> None:
    deck = everything_in_the_deck(escaping["pptx"])
    missing = [(key, text) for key, text in paragraphs(ESCAPING)
               if not NOT_IN_DECK.match(key) and squash(text) not in deck]
    assert missing == []


def memo_pieces(text: str) -> list[str]:
    """What must be found in the memo's text layer: the whole paragraph, or for text with
    right-to-left words each RTL word and each left-to-right stretch between them, since the
    text layer holds mixed-direction lines in visual order."""
    if not RTL.search(text):
        return [squash(text)]
    pieces = RTL.findall(text)
    pieces += [p for p in (squash(part) for part in RTL.split(text)) if p]
    return pieces


def test_every_text_of_the_escaping_fixture_is_in_the_memo_as_typed(
        escaping: dict[str, Path]) -> None:
    memo = squash(memo_raw_text(escaping["pdf"]))
    missing = [(key, piece) for key, text in paragraphs(ESCAPING) if not NOT_IN_MEMO.search(key)
               for piece in memo_pieces(text) if piece not in memo]
    assert missing == []


def test_emoji_and_zero_width_joiners_read_back_from_the_memo(escaping: dict[str, Path]
                                                               ) -> None:
    # No memo font has colour emoji: they are drawn as the font's missing-glyph box, but the
    # text layer maps each back to the character typed, so copying and search still work.
    memo = memo_raw_text(escaping["pdf"])
    assert "🚀📈💶🇪🇺" in memo
    assert "👩\u200d👩\u200d👧" in memo
    assert "\x00" not in memo


def test_the_file_metadata_holds_the_title_as_typed(escaping: dict[str, Path]) -> None:
    title = load_brief(ESCAPING).meta.title.plain
    assert Presentation(str(escaping["pptx"])).core_properties.title == title
    info = PdfReader(str(escaping["pdf"])).metadata
    assert info is not None and info.title == title


def test_the_deck_xml_holds_no_escaped_control_characters(escaping: dict[str, Path]) -> None:
    assert not re.search(r"_x00[0-1][0-9A-Fa-f]_", slide_xml(escaping["pptx"]))


# Control characters and line breaks


CONTROLS = "\x01\x02\x07\x08\x0c\x0e\x1b\x1f\x7f\x80\x85\x9f\ufffe\uffff\ufdd1"


def control_brief(folder: Path, raw: bool) -> Path:
    """A brief with control characters in its title and a text: typed as they are in the file
    (where YAML could not even read most of them), or as double-quoted escapes."""
    if raw:
        controls = CONTROLS.replace("\x85", "")  # NEL is a line break to YAML
        title, text = f"a{controls}b", f"x{controls}y"
    else:
        escaped = "".join(f"\\u{ord(c):04x}" for c in CONTROLS)
        title, text = f'"a{escaped}b"', f'"x{escaped}y"'
    body = HEAD.replace("title: T", f"title: {title}") + "sections:\n  - title: S\n" \
        f"    blocks:\n      - text: {text}\n"
    return write(folder, body)


@pytest.mark.parametrize("raw", [False, True], ids=["escaped", "raw"])
def test_control_characters_are_dropped_from_both_outputs(tmp_path: Path, raw: bool) -> None:
    brief = control_brief(tmp_path, raw)
    assert load_brief(brief).meta.title.plain == "ab"
    outputs = build(brief, out=tmp_path / "out").outputs
    deck = "".join(deck_texts(outputs["pptx"]))
    assert "ab" in deck and "xy" in deck
    assert not re.search(r"_x00[0-9A-Fa-f]{2}_", slide_xml(outputs["pptx"]))
    memo = memo_raw_text(outputs["pdf"])
    assert "ab" in memo and "xy" in memo
    assert not set(CONTROLS) & set(deck + memo)


@pytest.mark.parametrize("source", ['"left\\vright"', '"left\\u2028right"', "left\vright"],
                         ids=["escaped", "line-separator", "raw"])
def test_a_vertical_tab_is_a_line_break_in_both_outputs(tmp_path: Path, source: str) -> None:
    outputs = build(write(tmp_path, with_blocks(f"- text: {source}")),
                    out=tmp_path / "out").outputs
    deck = Presentation(str(outputs["pptx"]))
    found = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and "left" in shape.text_frame.text:
                for para in shape.text_frame.paragraphs:
                    found.append([(child.tag.removeprefix(A), child.findtext(A + "t") or "")
                                  for child in para._p if child.tag in (A + "r", A + "br")])
    assert [("r", "left"), ("br", ""), ("r", "right")] in found
    assert "left\nright" in memo_raw_text(outputs["pdf"])


# No network


def test_a_build_never_opens_a_network_connection(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    build(ESCAPING, out=tmp_path)
    assert attempts == []


# Hostile input that crashed or hung a build before its fix (see bench/README.md, "Hostile
# input"): each must now end in a located BriefError.


@pytest.mark.parametrize("text", ['""', '"   "', '"\\u0001\\u0002"'],
                         ids=["empty", "blank", "controls"])
@pytest.mark.parametrize("where", ["title", "section", "source", "risk"])
def test_a_required_text_that_cleans_to_nothing_is_a_brief_error(tmp_path: Path, text: str,
                                                                   where: str) -> None:
    body = {"title": HEAD.replace("title: T", f"title: {text}"),
            "section": HEAD + f"sections:\n  - title: {text}\n    blocks:\n      - text: x\n",
            "source": HEAD + f"sources:\n  - title: {text}\n",
            "risk": HEAD + f"risks:\n  - title: {text}\n"}[where]
    with pytest.raises(BriefError):
        build(write(tmp_path, body), out=tmp_path / "out")


@pytest.mark.parametrize("values", ["1e308, -1e308", "5e-324, 0", "1e-307, 0"],
                         ids=["huge", "denormal", "tiny"])
def test_chart_values_at_the_limits_of_a_float_are_a_brief_error(tmp_path: Path, values: str
                                                                 ) -> None:
    brief = write(tmp_path, with_blocks(
        "- chart: {type: column, categories: [a, b], series: [{name: s, values: "
        f"[{values}]}}]}}"))
    with pytest.raises(BriefError):
        build(brief, out=tmp_path / "out")


def png(path: Path, width: int, height: int) -> Path:
    """A greyscale PNG header of the given size over one row of pixels: a few hundred bytes
    that claim width * height bytes once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    pixels = packer.compress(row) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
                     + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("kind", ["bomb", "corrupt", "truncated", "symlink-loop"])
def test_an_image_that_cannot_be_read_safely_is_a_brief_error(tmp_path: Path,
                                                                kind: str) -> None:
    if kind == "bomb":  # 400 megapixels claimed by a 100-byte file
        png(tmp_path / "picture.png", 20_000, 20_000)
    elif kind == "symlink-loop":
        (tmp_path / "picture.png").symlink_to("other.png")
        (tmp_path / "other.png").symlink_to("picture.png")
    elif kind == "corrupt":
        (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    else:
        (tmp_path / "picture.png").write_bytes(PNG.read_bytes()[:200])
    with pytest.raises(BriefError):
        build(image_brief(tmp_path, "picture.png"), out=tmp_path / "out")


def test_a_table_of_200_columns_is_refused_or_built(tmp_path: Path) -> None:
    # From about 70 columns the memo's columns were narrower than their padding: ValueError.
    cells = ", ".join(["x"] * 200)
    brief = write(tmp_path, with_blocks("- table:", f"    columns: [{cells}]",
                                        f"    rows: [[{cells}]]"))
    with contextlib.suppress(BriefError):
        build(brief, out=tmp_path / "out")


def test_a_brief_of_32_thousand_tiny_blocks_is_refused_when_loaded(tmp_path: Path) -> None:
    # A few hundred kB that would take about half a minute and 0.6 GB to build: the limits per
    # section and per brief allow 500 x 1,000 blocks, so only a budget for the whole brief
    # stops it.
    sections = "".join(f"  - title: S{n}\n    blocks:\n" + "      - text: x\n" * 500
                       for n in range(64))
    with pytest.raises(BriefError, match="at most"):
        load_brief(write(tmp_path, HEAD + "sections:\n" + sections))


def test_a_brief_that_is_not_a_regular_file_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "brief.yaml"
    os.mkfifo(fifo)
    try:
        done = subprocess.run([sys.executable, "-m", "briefgen", "build", str(fifo), "--out",
                               str(tmp_path / "out")], capture_output=True, text=True,
                              timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("briefgen hung reading a FIFO")
    assert done.returncode == 1
    assert "internal error" not in done.stderr
