"""Image rules: inside the brief's folder, PNG or JPEG by content."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from briefgen.brief.model import RuleViolation

MAX_IMAGE_BYTES = 20 * 1024 * 1024
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def image_kind(data: bytes) -> str | None:
    """'png' or 'jpeg' from the file's first bytes, else None."""
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None


def check_image_path(value: str, base: Path) -> Path:
    """The resolved image file, or a RuleViolation saying why it may not be used."""
    hint = "put the image in the brief's folder (or below it) and give its relative path"
    if "\\" in value:
        raise RuleViolation(f"image path '{value}' uses backslashes",
                            "write the path with forward slashes, e.g. images/chart.png")
    relative = PurePosixPath(value)
    if relative.is_absolute() or (value[1:3] == ":/" or value[1:3] == ":\\"):
        raise RuleViolation(f"image path '{value}' is absolute", hint)
    if ".." in relative.parts:
        raise RuleViolation(f"image path '{value}' leaves the brief's folder", hint)
    root = base.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise RuleViolation(f"image path '{value}' points outside the brief's folder", hint)
    if not target.is_file():
        raise RuleViolation(f"image '{value}' does not exist", f"check the path; {hint}")
    if target.stat().st_size > MAX_IMAGE_BYTES:
        raise RuleViolation(f"image '{value}' is larger than 20 MB", "use a smaller image")
    with target.open("rb") as handle:
        head = handle.read(8)
    if image_kind(head) is None:
        raise RuleViolation(f"image '{value}' is not a PNG or JPEG file",
                            "convert it to PNG or JPEG")
    return target
