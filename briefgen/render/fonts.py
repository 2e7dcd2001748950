"""Memo fonts: embedded TrueType families and the split of text into runs by glyph coverage."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

_CJK_BY_LANGUAGE = {"zh-TW": "TC", "ja": "JP", "ko": "KR"}
_FILES = {
    "Body": "source-sans/ttf/SourceSans3-Regular.ttf",
    "Body-Bold": "source-sans/ttf/SourceSans3-Bold.ttf",
    "Body-Italic": "source-sans/ttf/SourceSans3-It.ttf",
    "Body-BoldItalic": "source-sans/ttf/SourceSans3-BoldIt.ttf",
    "Body-Semibold": "source-sans/ttf/SourceSans3-Semibold.ttf",
    "Code": "source-code/ttf/SourceCodePro-Regular.ttf",
    "Code-Bold": "source-code/ttf/SourceCodePro-Bold.ttf",
    "Wide": "kurinto/ttf/KurintoSans-Rg.ttf",
    "Wide-Bold": "kurinto/ttf/KurintoSans-Bd.ttf",
}


def _font_path(relative: str) -> Path:
    return Path(str(files("weblate_fonts") / "static" / "weblate_fonts" / relative))


@cache
def register(language: str) -> tuple[str, ...]:
    """Register the memo's fonts with reportlab; returns the fallback chain's base names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    cjk = _CJK_BY_LANGUAGE.get(language, "SC")
    paths = dict(_FILES)
    paths["CJK"] = f"kurinto/ttf/KurintoSans{cjk}-Rg.ttf"
    paths["CJK-Bold"] = f"kurinto/ttf/KurintoSans{cjk}-Bd.ttf"
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, relative in paths.items():
        full = f"{name}-{cjk}" if name.startswith("CJK") else name
        if full not in registered:
            pdfmetrics.registerFont(TTFont(full, str(_font_path(relative))))
    for family in ("Body", "Code", "Wide", f"CJK-{cjk}"):
        base, bold = (family, f"{family}-Bold") if not family.startswith("CJK") else (
            family, f"CJK-Bold-{cjk}")
        if family == "Body":
            addMapping(base, 0, 0, base)
            addMapping(base, 1, 0, bold)
            addMapping(base, 0, 1, "Body-Italic")
            addMapping(base, 1, 1, "Body-BoldItalic")
        else:
            for b in (0, 1):
                for i in (0, 1):
                    addMapping(base, b, i, bold if b else base)
    return ("Body", f"CJK-{cjk}", "Wide")


@cache
def _coverage(font_name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def _is_invisible(char: str) -> bool:
    return char in "\u200b\u200c\u200d\u2060\ufeff" or 0xFE00 <= ord(char) <= 0xFE0F


def runs_by_font(text: str, chain: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split text into (font, text) runs, each character in the first font of `chain` that has
    it; characters no font has stay with the body font."""
    runs: list[tuple[str, str]] = []
    coverages = [(name, _coverage(name)) for name in chain]
    current = chain[0]
    for char in text:
        code = ord(char)
        if _is_invisible(char) or char in " \n":
            font = current
        else:
            font = next((name for name, cover in coverages if code in cover), chain[0])
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
        current = font
    return runs
