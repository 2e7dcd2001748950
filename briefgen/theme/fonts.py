"""Which metrics measure a deck font: the standard metrics of Arial-, Times- and Courier-like
fonts, a metric-compatible font file (Carlito for Calibri, Caladea for Cambria), the font's
own file where it is installed, else a wide estimate."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

# Names that map to the metric-compatible standard fonts whose widths ship with reportlab.
STANDARD = {
    "Arial": "sans", "Helvetica": "sans", "Liberation Sans": "sans", "Arimo": "sans",
    "Times New Roman": "serif", "Liberation Serif": "serif", "Tinos": "serif",
    "Courier New": "mono", "Liberation Mono": "mono", "Cousine": "mono",
}
# Fonts drawn with the same advance widths as a freely available one (Debian's
# fonts-crosextra-carlito and fonts-crosextra-caladea).
METRIC_TWINS = {"Calibri": "Carlito", "Cambria": "Caladea"}
# A font nobody here can measure is measured as Arial widened by this much: wide sans fonts
# (Verdana, Tahoma, Segoe) run 10-18 % wider than Arial.
ESTIMATE_SCALE = 1.2
ESTIMATE = f"sans*{ESTIMATE_SCALE}"
_FACES = ("regular", "bold", "italic", "bold italic")


def _face(style: str) -> str:
    words = style.lower().replace("oblique", "italic")
    bold = any(w in words for w in ("bold", "black", "heavy"))
    italic = "italic" in words
    return _FACES[bold + 2 * italic]


@cache
def installed(family: str) -> tuple[str, ...]:
    """The TrueType files of an installed family (regular, bold, italic, bold italic; a face
    it lacks is its regular one), or () where fontconfig knows no such family."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    fc_list = shutil.which("fc-list")
    if not fc_list or not family.strip() or ":" in family:
        return ()
    try:
        listing = subprocess.run([fc_list, "--format", "%{file}\t%{style}\n",
                                  f":family={family}"], capture_output=True, text=True,
                                 timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    faces: dict[str, str] = {}
    for line in sorted(listing.splitlines()):
        path, _, style = line.partition("\t")
        if not path.lower().endswith(".ttf"):
            continue  # reportlab reads TrueType outlines only
        face = _face(style.split(",")[0])
        if face == "regular" and any(w in style.lower() for w in ("light", "thin", "medium",
                                                                   "semi", "condensed")):
            continue
        faces.setdefault(face, path)
    if "regular" not in faces:
        return ()
    try:
        TTFontFile(faces["regular"])
    except Exception:  # a file reportlab cannot read is no font to measure with
        return ()
    return tuple(faces.get(face, faces["regular"]) for face in _FACES)


@cache
def font_family(name: str) -> tuple[str, bool]:
    """The metrics family a deck font is measured with, and whether it is the font's own
    (or metric-compatible) widths rather than an estimate."""
    if name in STANDARD:
        return STANDARD[name], True
    files = installed(METRIC_TWINS.get(name, name))
    if files:
        return "ttf:" + "|".join(files), True
    return ESTIMATE, False


def family_of(name: str) -> str:
    return font_family(name)[0]
