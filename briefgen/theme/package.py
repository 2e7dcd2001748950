"""Opening a template package: a .pptx as it is, a .potx with its main part's content type
turned into a presentation's, which is the only difference between the two."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

_TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_MAIN = (b"application/vnd.openxmlformats-officedocument.presentationml."
                      b"presentation.main+xml")


def template_bytes(path: Path) -> bytes:
    """The template's package as a .pptx's bytes."""
    data = path.read_bytes()
    if _TEMPLATE_MAIN not in data and path.suffix.lower() != ".potx":
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(_TEMPLATE_MAIN, _PRESENTATION_MAIN)
            target.writestr(info, content)
    return out.getvalue()


def open_template(path: Path) -> Any:
    from pptx import Presentation

    return Presentation(io.BytesIO(template_bytes(path)))
