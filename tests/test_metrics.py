"""The glyph widths the deck is measured with are the Liberation fonts' (metric-compatible with
Arial, Times New Roman and Courier New), generated from the font files and shipped as data.

Run `python -m tests.test_metrics` to write the data again from installed fonts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from briefgen.layout import measure

FONT_FOLDERS = [Path("/usr/share/fonts/truetype/liberation2"),
                Path("/usr/share/fonts/truetype/liberation")]
# The metric font each Liberation file stands in for, by the names measure.py uses.
FILES = {
    "Helvetica": "LiberationSans-Regular", "Helvetica-Bold": "LiberationSans-Bold",
    "Helvetica-Oblique": "LiberationSans-Italic",
    "Helvetica-BoldOblique": "LiberationSans-BoldItalic",
    "Times-Roman": "LiberationSerif-Regular", "Times-Bold": "LiberationSerif-Bold",
    "Times-Italic": "LiberationSerif-Italic", "Times-BoldItalic": "LiberationSerif-BoldItalic",
    "Courier": "LiberationMono-Regular",
}


def liberation_2() -> Path | None:
    """The folder of an installed Liberation 2 (Greek, Cyrillic and Hebrew; 1.x has no Hebrew)."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    for folder in FONT_FOLDERS:
        path = folder / "LiberationSans-Regular.ttf"
        if path.exists():
            version = ttlib.TTFont(path)["name"].getDebugName(5) or ""
            if version.removeprefix("Version ").startswith("2"):
                return folder
    return None


def generate(folder: Path) -> dict[str, Any]:
    """Advance widths per metric font as runs of consecutive code points: [first, w, w, …],
    in units of the font's em (2048)."""
    from fontTools.ttLib import TTFont

    fonts: dict[str, list[list[int]]] = {}
    for name, file in FILES.items():
        font = TTFont(folder / f"{file}.ttf")
        assert font["head"].unitsPerEm == 2048
        advances = font["hmtx"].metrics
        widths = {code: advances[glyph][0] for code, glyph in font.getBestCmap().items()
                  if code >= 32 and glyph != ".notdef"}
        runs: list[list[int]] = []
        for code in sorted(widths):
            if runs and runs[-1][0] + len(runs[-1]) - 1 == code:
                runs[-1].append(widths[code])
            else:
                runs.append([code, widths[code]])
        fonts[name] = runs
    return {"source": "Liberation fonts 2.x (SIL Open Font License), advance widths",
            "units_per_em": 2048, "fonts": fonts}


def dumps(data: dict[str, Any]) -> str:
    lines = ["{", f'"source": {json.dumps(data["source"])},',
             f'"units_per_em": {data["units_per_em"]},', '"fonts": {']
    names = list(data["fonts"])
    for n, name in enumerate(names):
        runs = ",\n".join(json.dumps(run, separators=(",", ":")) for run in data["fonts"][name])
        lines.append(f'"{name}": [\n{runs}\n]' + ("," if n < len(names) - 1 else ""))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def test_the_shipped_widths_are_the_installed_liberation_fonts() -> None:
    folder = liberation_2()
    if folder is None:
        pytest.skip("Liberation 2 fonts are not installed")
    assert measure.METRICS_FILE.read_text(encoding="utf-8") == dumps(generate(folder))


def test_cyrillic_capitals_are_measured_as_wide_as_arial_bold_draws_them() -> None:
    # Arial Bold's (and Liberation Sans Bold's) Cyrillic capitals average about 0.75 em.
    capitals = "".join(chr(c) for c in range(0x410, 0x430))
    assert measure.text_width(capitals, "Helvetica-Bold") / len(capitals) == pytest.approx(
        0.752, abs=0.001)
    assert measure.char_width("Ж", "Helvetica-Bold") == pytest.approx(1851 / 2048)
    assert measure.char_width("ש", "Times-Roman") > 0.5  # Hebrew, from the serif's data


def test_latin_keeps_the_standard_metrics_and_unknown_scripts_an_estimate() -> None:
    assert measure.char_width("W", "Helvetica") == pytest.approx(0.944)
    assert measure.char_width("ب", "Helvetica") == measure.UNKNOWN_WIDTH  # no Arabic in the data
    assert measure.char_width("Я", "Courier") == pytest.approx(0.6, abs=0.001)


if __name__ == "__main__":
    found = liberation_2()
    if found is None:
        sys.exit("install the Liberation 2 fonts first")
    measure.METRICS_FILE.write_text(dumps(generate(found)), encoding="utf-8")
