"""Which metrics measure a deck font: the standard metrics of Arial-, Times- and Courier-like
fonts, a metric-compatible font file (Carlito for Calibri, Caladea for Cambria), the font's
own file where it is installed or the template embeds it, else a wide estimate."""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
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


# The fonts the templates read so far embed, by family (a name stands for one font): their
# "ttf:" families, which measure the font where it is not installed.
_EMBEDDED: dict[str, str] = {}
_EOT_MAGIC = 0x504C
_EOT_COMPRESSED = 0x4  # MicroType Express, as PowerPoint saves embedded fonts
_EOT_XOR = 0x10000000


def embedded_truetype(data: bytes) -> bytes | None:
    """The TrueType font in a template's embedded font part: the part itself, or the font of
    an Embedded OpenType (EOT) part; None where it is compressed (MicroType Express) or is
    no TrueType font reportlab can read (PostScript outlines, a broken file)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    font: bytes | None = data
    if len(data) > 36 and struct.unpack_from("<H", data, 34)[0] == _EOT_MAGIC:
        eot_size, font_size, _version, flags = struct.unpack_from("<IIII", data)
        # The font is the EOT's last field, after its variable-length names.
        font = None
        if not flags & _EOT_COMPRESSED and font_size <= min(eot_size, len(data)):
            font = data[eot_size - font_size:eot_size]
            if flags & _EOT_XOR:
                font = bytes(byte ^ 0x50 for byte in font)
    if font is None or font[:4] not in (b"\x00\x01\x00\x00", b"true"):
        return None
    try:
        TTFontFile(io.BytesIO(font))
    except Exception:  # a font reportlab cannot read is no font to measure with
        return None
    return font


def embed(family: str, faces: dict[str, bytes]) -> None:
    """Measure `family`, where it is not installed, with the TrueType data a template embeds
    for it: faces by name (regular, bold, italic, bold italic; a missing one is the regular)."""
    from briefgen.layout.measure import FONT_DATA

    names = {}
    for face, font in faces.items():
        name = "embedded:" + hashlib.sha256(font).hexdigest()[:16]
        FONT_DATA[name] = font
        names[face] = name
    regular = names["regular"]
    _EMBEDDED[family] = "ttf:" + "|".join(names.get(face, regular) for face in _FACES)
    font_family.cache_clear()


@cache
def font_family(name: str) -> tuple[str, bool]:
    """The metrics family a deck font is measured with, and whether it is the font's own
    (or metric-compatible) widths rather than an estimate."""
    if name in STANDARD:
        return STANDARD[name], True
    files = installed(METRIC_TWINS.get(name, name))
    if files:
        return "ttf:" + "|".join(files), True
    if name in _EMBEDDED:
        return _EMBEDDED[name], True
    return ESTIMATE, False


def family_of(name: str) -> str:
    return font_family(name)[0]
