"""Parsed fonts kept between runs: the same face as parsing gives, and never trusted blindly."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from briefgen.render import fontcache
from briefgen.render.fonts import _Font, _font_path
from tests.conftest import FIXTURES

FONT = _font_path("source-code/ttf/SourceCodePro-Regular.ttf")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(folder))
    return folder


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "fonts").glob("*.marshal"))


def test_a_face_read_back_from_the_cache_equals_the_parsed_face(cache: Path) -> None:
    parsed = fontcache.parsed_face(FONT)
    assert len(entries(cache)) == 1
    cached = fontcache.parsed_face(FONT)
    # Three tables are decoded when first read.
    deferred = {"glyphToChar", "hmetrics", "glyphPos"}
    assert vars(cached).keys() - {"deferred"} == vars(parsed).keys() - deferred
    assert cached.glyphToChar == parsed.glyphToChar
    assert list(cached.glyphPos) == parsed.glyphPos
    assert [cached.hmetrics[n] for n in range(len(cached.hmetrics))] == parsed.hmetrics
    assert cached._ttf_data[:] == parsed._ttf_data  # read from the file when asked for
    for name, value in vars(parsed).items():
        if name not in {"_pdfScale", "_ttf_data", *deferred}:
            assert vars(cached)[name] == value, name
    assert cached.name.ustr == parsed.name.ustr == "SourceCodePro-Regular"
    if hasattr(parsed, "_pdfScale"):  # newer reportlab only
        assert cached._pdfScale(1024) == parsed._pdfScale(1024)


@pytest.mark.parametrize("font", [FONT, _font_path("kurinto/ttf/KurintoSansSC-Rg.ttf")],
                         ids=["latin", "cjk"])
def test_a_face_read_back_from_the_cache_cuts_the_same_subsets(cache: Path, font: Path) -> None:
    parsed = fontcache.parsed_face(font)
    cached = fontcache.parsed_face(font)
    assert isinstance(cached, fontcache._CachedFace)
    chars = sorted(parsed.charToGlyph)
    subset = [32, *chars[:: max(1, len(chars) // 200)][:200]]
    assert cached.makeSubset(subset) == parsed.makeSubset(subset)


def test_a_font_file_cut_short_after_loading_is_an_error(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "font.ttf"
    copy.write_bytes(FONT.read_bytes())
    fontcache.parsed_face(copy)
    face = fontcache.parsed_face(copy)
    stat = copy.stat()
    with copy.open("r+b") as stream:
        stream.truncate(stat.st_size // 2)
    with pytest.raises(OSError, match="the font file changed while it was read"):
        face.makeSubset(sorted(face.charToGlyph))


def test_a_cached_font_is_set_up_as_reportlab_sets_up_its_own(cache: Path) -> None:
    fontcache.parsed_face(FONT)
    ours, theirs = _Font("CacheTest", FONT), TTFont("CacheTest", str(FONT))
    assert vars(ours).keys() - {"coverage", "seen"} == vars(theirs).keys()
    assert ours.stringWidth("Briefgen 2026", 10) == theirs.stringWidth("Briefgen 2026", 10)


def test_a_damaged_entry_is_parsed_again_and_replaced(cache: Path) -> None:
    fontcache.parsed_face(FONT)
    [entry] = entries(cache)
    entry.write_bytes(entry.read_bytes()[:100])
    face = fontcache.parsed_face(FONT)
    assert isinstance(face, TTFontFace) and face.charToGlyph
    assert fontcache.parsed_face(FONT).charToGlyph == face.charToGlyph
    assert len(entry.read_bytes()) > 100


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_can_write_is_not_loaded(cache: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fontcache.parsed_face(FONT)
    [entry] = entries(cache)
    entry.chmod(0o666)
    monkeypatch.setattr(fontcache, "_restored", lambda *a: pytest.fail("loaded"))
    assert fontcache.parsed_face(FONT).charToGlyph


def test_a_changed_font_file_gets_a_new_entry(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "font.ttf"
    copy.write_bytes(FONT.read_bytes())
    fontcache.parsed_face(copy)
    os.utime(copy, ns=(0, 1_000_000_000))
    fontcache.parsed_face(copy)
    assert len(entries(cache)) == 2


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocked))
    assert fontcache.parsed_face(FONT).charToGlyph
    assert not list(tmp_path.glob("**/.font.*"))


@pytest.mark.slow
def test_a_memo_built_from_cached_fonts_is_byte_identical(tmp_path: Path) -> None:
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    digests = []
    for run in ("cold", "warm"):
        subprocess.run([sys.executable, "-m", "briefgen", "build", str(FIXTURES / "cjk.yaml"),
                        "-f", "pdf", "-o", str(tmp_path / run)], env=env, check=True,
                       capture_output=True)
        digests.append(hashlib.sha256((tmp_path / run / "cjk.pdf").read_bytes()).hexdigest())
    assert entries(tmp_path / "cache"), "the cold build stored its parsed fonts"
    assert digests[0] == digests[1]


def test_without_a_home_folder_fonts_are_parsed_every_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFGEN_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert fontcache.cache_folder() is None
    assert fontcache.parsed_face(FONT).charToGlyph


def test_a_face_makes_each_subset_once_and_keeps_only_the_last_few(cache: Path) -> None:
    """A rebuilt memo draws the same glyphs again: the subset is made once, and the same
    bytes come back; older subsets are let go."""
    face = fontcache.parsed_face(FONT)
    first = face.makeSubset([65, 66, 67])
    assert face.makeSubset([65, 66, 67]) is first
    for n in range(face.KEPT_SUBSETS):
        face.makeSubset([70 + n])
    assert face.makeSubset([65, 66, 67]) == first  # made again, the same bytes
    assert len(face._subsets) == face.KEPT_SUBSETS


def test_a_subset_is_deflated_once_and_let_go_with_it(cache: Path) -> None:
    face = fontcache.parsed_face(FONT)
    packed = face.packed_subset([65, 66, 67])
    assert face.packed_subset([65, 66, 67]) is packed
    assert zlib.decompress(packed) == face.makeSubset([65, 66, 67])
    for n in range(face.KEPT_SUBSETS):
        face.packed_subset([70 + n])
    assert (65, 66, 67) not in face._packed
    assert len(face._packed) == face.KEPT_SUBSETS


def test_the_memo_embeds_each_font_file_whole_when_it_is_rebuilt(tmp_path: Path) -> None:
    # The second build writes the font files deflated by the first: a reader must still
    # inflate each to a TrueType file of the length the font dictionary gives.
    from pypdf import PdfReader

    from briefgen.build import build

    for run in ("first", "again"):
        memo = build(FIXTURES / "every-block.yaml", out=tmp_path / run, formats=["pdf"])
        files = []
        for page in PdfReader(memo.outputs["pdf"]).pages:
            for font in page["/Resources"]["/Font"].values():
                descriptor = font.get_object()["/FontDescriptor"].get_object()
                stream = descriptor["/FontFile2"].get_object()
                files.append((stream.get_data(), stream["/Length1"], stream["/Filter"]))
        assert files
        for data, length, filters in files:
            assert data[:4] == b"\x00\x01\x00\x00" and len(data) == length
            assert filters == ["/FlateDecode"] or filters == "/FlateDecode"
    assert (tmp_path / "first" / "every-block.pdf").read_bytes() == \
        (tmp_path / "again" / "every-block.pdf").read_bytes()
