"""Image rules: inside the brief's folder, PNG or JPEG by content."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from briefgen.brief.model import RuleViolation

MAX_IMAGE_BYTES = 20 * 1024 * 1024
# A small PNG can claim gigabytes once decoded: the memo decodes a PNG at about 13 bytes a pixel
# of peak memory (a 16-megapixel PNG peaks at 300 MB). 25 megapixels admits camera photos.
MAX_IMAGE_PIXELS = 25_000_000
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
    try:
        target = (root / relative).resolve()
    except (RuntimeError, OSError):  # a symlink loop: RuntimeError before Python 3.13
        raise RuleViolation(f"image path '{value}' is a loop of symbolic links", hint) from None
    if not target.is_relative_to(root):
        raise RuleViolation(f"image path '{value}' points outside the brief's folder", hint)
    if not target.is_file():
        raise RuleViolation(f"image '{value}' does not exist", f"check the path; {hint}")
    check_image_file(target, value)
    return target


def check_image_file(target: Path, value: str, what: str = "image") -> tuple[int, int]:
    """The pixel size of an existing image file, or a RuleViolation if it is too large, not a
    PNG or JPEG, or damaged; messages call it `what` and `value` (image 'a.png')."""
    if target.stat().st_size > MAX_IMAGE_BYTES:
        raise RuleViolation(f"{what} '{value}' is larger than 20 MB", "use a smaller image")
    with target.open("rb") as handle:
        head = handle.read(8)
    if image_kind(head) is None:
        raise RuleViolation(f"{what} '{value}' is not a PNG or JPEG file",
                            "convert it to PNG or JPEG")
    width, height = _readable_size(target, value, what)
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_large(value, what, f"{width:,} x {height:,} pixels")
    return width, height


def image_size(target: Path) -> tuple[int, int]:
    """The pixel size of an image that has passed check_image_file."""
    from PIL import Image

    with Image.open(target) as picture:
        return picture.size


def _too_large(value: str, what: str, size: str) -> RuleViolation:
    return RuleViolation(f"{what} '{value}' is {size}, more than the "
                         f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels allowed",
                         "scale it down; a slide or a page needs at most about 4000 pixels across")


def _readable_size(target: Path, value: str, what: str) -> tuple[int, int]:
    """The image's pixel size, read from its header by Pillow; its chunks are checked too."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Our own pixel limit applies below; Pillow's bomb check must not warn or raise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(target) as picture:
                size = picture.size
            if size[0] * size[1] <= MAX_IMAGE_PIXELS:
                with Image.open(target) as picture:
                    picture.verify()  # a PNG's chunks and checksums, without decoding pixels
    except Image.DecompressionBombError:
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)  # where Pillow refuses to open an image
        raise _too_large(value, what, f"over {limit // 1_000_000} megapixels") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise RuleViolation(f"{what} '{value}' is damaged or cannot be read ({exc})",
                            "open it in an image editor and save it again as PNG or JPEG"
                            ) from None
    return size
