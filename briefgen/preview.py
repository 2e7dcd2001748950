"""Pictures of a brief: PNGs of every slide and memo page, and a contact sheet of the deck."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from msgspec import Struct, field

from briefgen.batch import plural
from briefgen.errors import BuildError

INSTALL = "apt-get install libreoffice-impress poppler-utils"
TOOLS = {"soffice": "LibreOffice", "pdftoppm": "poppler"}
SOFFICE_TIMEOUT = 180.0
PDFTOPPM_TIMEOUT = 120.0
RESOLUTION = 80  # dpi: a 13.33 in slide becomes a 1067 px picture, enough to judge a layout


class PreviewResult(Struct):
    """The pictures written for one brief, and the planner's warnings."""

    folder: Path
    slides: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    contact_sheet: Path | None = None
    warnings: list[str] = field(default_factory=list)


def missing_tools() -> list[str]:
    """The external programs preview needs that are not on PATH."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def require_tools() -> dict[str, str]:
    """Paths of soffice and pdftoppm, or a BuildError saying what to install."""
    missing = missing_tools()
    if missing:
        names = " and ".join(f"{TOOLS[t]} ({t})" for t in missing)
        raise BuildError(f"preview needs {names}, not found on PATH; install with: {INSTALL}")
    return {tool: shutil.which(tool) or tool for tool in TOOLS}


def _run(command: Sequence[str], timeout: float, what: str) -> subprocess.CompletedProcess[str]:
    # A new session, so that on timeout the whole tree goes (soffice starts soffice.bin).
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise BuildError(f"{what} did not finish within {timeout:.0f} s") from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def deck_to_pdf(soffice: str, deck: Path, folder: Path, timeout: float = SOFFICE_TIMEOUT
                ) -> Path:
    """Convert a .pptx to PDF with LibreOffice headless, in a fresh profile of its own."""
    # Two runs sharing a profile fail silently, so every call gets a new one.
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-") as profile:
        completed = _run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}",
                          "--headless", "--norestore", "--convert-to", "pdf",
                          "--outdir", str(folder), str(deck)], timeout, "LibreOffice")
    target = folder / f"{deck.stem}.pdf"
    # LibreOffice exits 0 even when it converted nothing, so the file is the only evidence.
    if not target.is_file() or target.stat().st_size == 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise BuildError(f"LibreOffice could not convert {deck.name} to PDF"
                         + (f": {detail[-1]}" if detail else ""))
    return target


def pdf_to_pngs(pdftoppm: str, pdf: Path, folder: Path, name: str,
                timeout: float = PDFTOPPM_TIMEOUT) -> list[Path]:
    """One PNG per page, named <name>-01.png, <name>-02.png, … in page order."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / f".{name}"
    completed = _run([pdftoppm, "-png", "-r", str(RESOLUTION), str(pdf), str(prefix)],
                     timeout, "pdftoppm")
    if completed.returncode != 0:
        raise BuildError(f"pdftoppm could not read {pdf.name}: {completed.stderr.strip()}")
    # pdftoppm pads page numbers to the width of the page count; renumber to two digits.
    numbered = [(int(m.group(1)), p) for p in folder.glob(f".{name}-*.png")
                if (m := re.fullmatch(rf"\.{re.escape(name)}-(\d+)\.png", p.name))]
    pictures = []
    for number, path in sorted(numbered):
        pictures.append(path.rename(folder / f"{name}-{number:02d}.png"))
    return pictures


def contact_sheet(slides: Sequence[Path], target: Path, columns: int = 4,
                  thumb_width: int = 320) -> Path:
    """A grid of numbered slide thumbnails in one PNG."""
    from PIL import Image, ImageDraw, ImageFont

    gap, label = 16, 20
    thumbs = []
    for path in slides:
        with Image.open(path) as picture:
            size = (thumb_width, round(picture.height * thumb_width / picture.width))
            thumbs.append(picture.convert("RGB").resize(size, Image.Resampling.LANCZOS))
    columns = max(1, min(columns, len(thumbs)))
    rows = -(-len(thumbs) // columns)
    cell_height = max((t.height for t in thumbs), default=0) + label
    width, height = gap + columns * (thumb_width + gap), gap + rows * (cell_height + gap)
    sheet = Image.new("RGB", (width, height), "#e6e8eb")
    draw = ImageDraw.Draw(sheet)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(size=13)
    except (TypeError, OSError):  # Pillow before 10.1, or built without FreeType
        font = ImageFont.load_default()
    for index, thumb in enumerate(thumbs):
        x = gap + (index % columns) * (thumb_width + gap)
        y = gap + (index // columns) * (cell_height + gap)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline="#9aa0a6")
        draw.text((x, y + thumb.height + 4), str(index + 1), fill="#333333", font=font)
    sheet.save(target, optimize=True)
    return target


def preview(brief: Path, out: Path, theme: str | None = None) -> PreviewResult:
    """Build a brief in a scratch folder and write its pictures to OUT/<stem>/.

    The page counts are checked against the slide and memo counts, since the tools can fail
    without saying so. Pictures of an earlier, longer version are removed.
    """
    from briefgen.build import build

    tools = require_tools()
    with tempfile.TemporaryDirectory(prefix="briefgen-preview-") as scratch:
        work = Path(scratch)
        built = build(brief, theme=theme, out=work / "build")
        deck_pdf = deck_to_pdf(tools["soffice"], built.outputs["pptx"], work / "deck")
        slides = pdf_to_pngs(tools["pdftoppm"], deck_pdf, work / "png", "slide")
        if len(slides) != built.slides:
            raise BuildError(f"LibreOffice made {len(slides)} pages of a deck of "
                             f"{plural(built.slides, 'slide')}; the conversion failed")
        pages = pdf_to_pngs(tools["pdftoppm"], built.outputs["pdf"], work / "png", "memo")
        if len(pages) != built.pages:
            raise BuildError(f"pdftoppm made {len(pages)} pictures of a memo of {built.pages} "
                             "pages")
        contact_sheet(slides, work / "png" / "contact-sheet.png")
        folder = out / Path(brief).stem
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in [*folder.glob("slide-*.png"), *folder.glob("memo-*.png")]:
                old.unlink()
            for picture in (work / "png").glob("*.png"):
                shutil.move(picture, folder / picture.name)
        except OSError as exc:
            raise BuildError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    return PreviewResult(folder, [folder / p.name for p in slides],
                         [folder / p.name for p in pages], folder / "contact-sheet.png",
                         built.warnings)
