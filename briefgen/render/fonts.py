"""Memo glyphs: embedded TrueType families, runs by glyph coverage, Arabic shaping, bidi order."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from msgspec import Struct
from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName
from reportlab.pdfbase.ttfonts import SUBSETN, TTEncoding, TTFont

from briefgen.layout.memo_metrics import FACE_FILES
from briefgen.render.fontcache import parsed_face

_CJK_BY_LANGUAGE = {"zh-TW": "TC", "ja": "JP", "ko": "KR"}
# The planner measures with the same files the memo embeds.
_FILES = FACE_FILES
# Zero-width characters: they join or vary their neighbours, so they stay in the neighbours' font.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff" + "".join(map(chr, range(0xFE00, 0xFE10))))


def _font_path(relative: str) -> Path:
    return Path(str(files("weblate_fonts") / "static" / "weblate_fonts" / relative))


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


class _Font(TTFont):  # type: ignore[misc]
    """A TrueType font whose every drawn character, even one it has no glyph for, extracts back.

    reportlab writes a character the font lacks as code 0, which maps to no text, and writes
    characters beyond U+FFFF (emoji) into the ToUnicode map as invalid odd-length hex."""

    def __init__(self, name: str, path: Path) -> None:
        # TTFont's own set-up, except that the face may come parsed from the cache.
        self.fontName = name
        self.face = parsed_face(path)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        if hasattr(TTFont, "shapable"):  # newer reportlab can shape text with harfbuzz
            self.shapable = False  # runs are shaped before they reach reportlab (shape_arabic)
        self.coverage = frozenset(self.face.charToGlyph)
        self.seen: set[str] = set()  # characters drawn so far, each given a glyph

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8") -> Any:
        chars = text.decode(encoding) if isinstance(text, bytes) else text
        if not self.seen.issuperset(chars):
            glyphs = self.face.charToGlyph
            for char in set(chars) - self.seen:
                glyphs.setdefault(ord(char), 0)  # drawn as the missing-glyph box, read as typed
            self.seen.update(chars)
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            name = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            base_name = name.decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base_name]
            stream.content = _to_unicode_cmap(base_name, subset)
            if doc.compression:
                # Deflated once for all the memos that embed this subset; a stream whose
                # dictionary names its filter is written as it is.
                font_file = doc.idToObject[f"fontFile:{self.face.filename}({base_name})"]
                font_file.content = self.face.packed_subset(subset)
                font_file.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])


def _read_back(char: int) -> str:
    # Shaped Arabic is drawn as presentation forms; it reads back as the letters typed.
    text = chr(char)
    return unicodedata.normalize("NFKC", text) if 0xFB50 <= char <= 0xFEFC else text


def _to_unicode_cmap(name: str, subset: list[int]) -> str:
    pairs = [f"<{code:02X}> <{_utf16_hex(_read_back(char))}>" for code, char in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(pairs)} beginbfchar", *pairs, "endbfchar",
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


class Fonts(Struct, frozen=True):
    """The memo's font families in fallback order (the first is the body font), with coverage."""

    chain: tuple[str, ...]
    coverage: _Coverage

    def face(self, family: str, bold: bool = False, italic: bool = False) -> str:
        """The registered font name of a family's weight and style, registered on first use."""
        name = _face_name(family, bold, italic)
        self.coverage.register(name)
        return name

    def runs(self, text: str, code: bool = False) -> list[tuple[str, str]]:
        """Split text into (family, text) runs, each character in the first family that has it;
        a character no family has stays with the body (or code) family. Spaces, zero-width
        characters and anything inside right-to-left text keep the font before them when it
        has them: a PDF reader puts right-to-left text back in order one font run at a time."""
        chain = ("Code", *self.chain) if code else self.chain
        rtl = [level % 2 == 1 for level in bidi_levels(text)] if has_rtl(text) else []
        if not rtl and all(ord(ch) in self.coverage[chain[0]] for ch in set(text) - {" ", "\n"}):
            return [(chain[0], text)] if text else []  # the common case: one font has it all
        runs: list[tuple[str, str]] = []
        for i, char in enumerate(text):
            point = ord(char)
            current = runs[-1][0] if runs else chain[0]
            stays = char in " \n" or char in _INVISIBLE or bool(rtl and rtl[i])
            if stays and (char in " \n" or point in self.coverage[current]):
                family = current
            else:
                family = next((f for f in chain if point in self.coverage[f]),
                              current if stays else chain[0])
            if runs and runs[-1][0] == family:
                runs[-1] = (family, runs[-1][1] + char)
            else:
                runs.append((family, char))
        return runs


def _register_face(name: str, relative: str) -> None:
    from reportlab.pdfbase import pdfmetrics

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_Font(name, _font_path(relative)))


def _face_name(family: str, bold: bool, italic: bool) -> str:
    """The font name of a family's weight and style; CJK and code have no italic."""
    if family == "Body":
        return "Body" + {(False, False): "", (True, False): "-Bold", (False, True): "-Italic",
                         (True, True): "-BoldItalic"}[(bold, italic)]
    return f"{family}-Bold" if bold else family


class _Coverage(dict[str, frozenset[int]]):
    """Code points by family, read when first asked for. The fallback faces (Kurinto, ~10 MB
    each) are registered only when a memo has text the body font lacks (a family's plain face,
    for its coverage) or draws such text in bold (its bold face)."""

    def __init__(self, paths: dict[str, str]) -> None:
        super().__init__()
        self.paths = paths
        self.registered: set[str] = set()

    def register(self, name: str) -> None:
        if name not in self.registered:
            _register_face(name, self.paths[name])
            self.registered.add(name)

    def __missing__(self, family: str) -> frozenset[int]:
        from reportlab.pdfbase import pdfmetrics

        self.register(family)
        coverage: frozenset[int] = pdfmetrics.getFont(family).coverage
        self[family] = coverage
        return coverage


def preload() -> None:
    """Register the body and code faces, which every memo uses whatever its language."""
    for name, relative in _FILES.items():
        if name.startswith(("Body", "Code")):
            _register_face(name, relative)


@cache
def register(language: str) -> Fonts:
    """Register the memo's fonts with reportlab for a catalogue language (it picks the CJK font)."""
    from reportlab.lib.fonts import addMapping

    cjk = _CJK_BY_LANGUAGE.get(language, "SC")
    paths = dict(_FILES)
    paths[f"CJK-{cjk}"] = f"kurinto/ttf/KurintoSans{cjk}-Rg.ttf"
    paths[f"CJK-{cjk}-Bold"] = f"kurinto/ttf/KurintoSans{cjk}-Bd.ttf"
    preload()
    fonts = Fonts(("Body", f"CJK-{cjk}", "Wide"), _Coverage(paths))
    # <b> and <i> inside a paragraph pick the face through these mappings. A later mapping of a
    # face wins its reverse lookup, so each family's plain face and the body family come last.
    for family in ("Body-Semibold", "Code", f"CJK-{cjk}", "Wide", "Body"):
        for bold, italic in ((True, True), (True, False), (False, True), (False, False)):
            plain = family == "Body-Semibold" and not (bold or italic)
            face = family if plain else _face_name(
                "Body" if family == "Body-Semibold" else family, bold, italic)
            addMapping(family, bold, italic, face)
    return fonts


def _arabic_forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Presentation forms by letter and form, and lam + alef ligatures by alef, from Unicode's
    compatibility decompositions."""
    forms: dict[str, dict[str, str]] = {}
    ligatures: dict[str, dict[str, str]] = {}
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        kind, *parts = unicodedata.decomposition(chr(code)).split() or [""]
        if kind in ("<isolated>", "<final>", "<initial>", "<medial>"):
            if len(parts) == 1:
                forms.setdefault(chr(int(parts[0], 16)), {})[kind[1:-1]] = chr(code)
            elif 0xFEF5 <= code <= 0xFEFC:
                ligatures.setdefault(chr(int(parts[1], 16)), {})[kind[1:-1]] = chr(code)
    return forms, ligatures


_FORMS, _LAM_ALEF = _arabic_forms()


def shape_arabic(text: str) -> str:
    """Arabic letters in the contextual forms that join them, as a font without shaping tables
    needs them; lam and alef become their ligature. Other text is unchanged."""
    letters = [i for i, ch in enumerate(text) if ch in _FORMS]
    if not letters:
        return text

    def joins(i: int, step: int) -> bool:
        """Whether the letter at i connects to its neighbour in direction step (marks skipped)."""
        j = i + step
        while 0 <= j < len(text) and unicodedata.category(text[j]) == "Mn":
            j += step
        if not 0 <= j < len(text) or text[j] not in _FORMS:
            return False
        before, after = (text[j], text[i]) if step < 0 else (text[i], text[j])
        return "initial" in _FORMS[before] and "final" in _FORMS[after]

    out: list[str] = []
    skip = False
    for i, ch in enumerate(text):
        if skip:
            skip = False
            continue
        forms = _FORMS.get(ch)
        if forms is None:
            out.append(ch)
            continue
        back = joins(i, -1)
        if ch == "\u0644" and i + 1 < len(text) and text[i + 1] in _LAM_ALEF:
            out.append(_LAM_ALEF[text[i + 1]]["final" if back else "isolated"])
            skip = True
            continue
        ahead = joins(i, 1)
        form = ("medial" if ahead else "final") if back else ("initial" if ahead else "isolated")
        out.append(forms.get(form) or forms["isolated"])
    return "".join(out)


_MIRROR = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))
_RTL_KINDS = frozenset({"R", "AL"})


def bidi_levels(text: str) -> list[int]:
    """Embedding levels of a left-to-right line's characters, a reduced UAX #9: 1 for
    right-to-left letters and the neutrals between them, 2 for numbers among them, else 0."""
    kinds: list[str] = []
    strong = "L"
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL_KINDS or kind == "L":
            strong = "R" if kind in _RTL_KINDS else "L"
            kinds.append(strong)
        elif kind in ("EN", "AN"):
            kinds.append("RN" if strong == "R" else "L")  # numbers take the text they follow
        elif kind == "NSM" and kinds:
            kinds.append(kinds[-1])
        elif kind == "ET" and kinds and kinds[-1] == "RN":
            kinds.append("RN")  # 12%
        else:
            kinds.append("N")
    levels = [{"L": 0, "R": 1, "RN": 2}.get(kind, 0) for kind in kinds]
    i = 0
    while i < len(kinds):
        j = i
        while j < len(kinds) and kinds[j] == "N":
            j += 1
        if j > i and i > 0 and j < len(kinds) and "L" not in (kinds[i - 1], kinds[j]):
            levels[i:j] = [1] * (j - i)  # neutrals between right-to-left text join it
        i = max(j, i + 1)
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """The logical indices in drawing order: from the highest level down, every run at that
    level or above is reversed."""
    order = list(range(len(levels)))
    for least in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            j = i
            while j < len(order) and levels[order[j]] >= least:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = max(j, i + 1)
    return order


def mirrored(char: str, level: int) -> str:
    """A bracket as it is drawn at a level: facing the other way inside right-to-left text."""
    return _MIRROR.get(char, char) if level % 2 else char


# Every right-to-left character (bidi class R or AL) lies in these blocks: Hebrew to
# Arabic Extended, the right-to-left mark, Hebrew and Arabic presentation forms, and the
# historic scripts of planes 1.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefe"
                         "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    return bool(_RTL_BLOCKS.search(text)) and any(
        unicodedata.bidirectional(ch) in _RTL_KINDS for ch in text)


def visual(text: str) -> str:
    """One line of text as drawn left to right: Arabic shaped, right-to-left runs reversed."""
    if not has_rtl(text):
        return text
    shaped = shape_arabic(text)
    levels = bidi_levels(shaped)
    return "".join(mirrored(shaped[i], levels[i]) for i in visual_order(levels))
