"""Text a machine can read back from a built deck and memo, for the tests to search."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE


def squash(text: str) -> str:
    """Text without any whitespace, so wrapped lines compare equal to the source."""
    return re.sub(r"\s+", "", text)


def shapes_of(shapes: Any) -> Iterator[Any]:
    """Every shape, those in a group (a row of the predictions) in the group's place."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from shapes_of(shape.shapes)
        else:
            yield shape


def deck_texts(path: Path) -> list[str]:
    """Every text of every slide: text frames and table cells."""
    texts: list[str] = []
    for slide in Presentation(str(path)).slides:
        for shape in shapes_of(slide.shapes):
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def deck_text(path: Path) -> str:
    return squash("".join(deck_texts(path)))


def memo_text(path: Path) -> str:
    from pypdf import PdfReader

    return squash("".join(page.extract_text() for page in PdfReader(str(path)).pages))
