"""Corporate PowerPoint templates: the slide size and layout geometry a planner needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

EMU_PER_PT = 12700
# A company template is a master, layouts and some artwork; past this it is mostly pictures
# or example slides, which every deck would carry.
MAX_TEMPLATE_BYTES = 50 * 2**20


@dataclass(frozen=True)
class Layout:
    name: str
    title: tuple[float, float, float, float] | None  # x, y, w, h of the title placeholder, pt


@dataclass(frozen=True)
class TemplateInfo:
    """What the planner knows of a template: its path, slide size and layouts by name."""

    path: str
    width: float
    height: float
    layouts: tuple[Layout, ...]

    def layout(self, name: str) -> Layout | None:
        return next((item for item in self.layouts if item.name == name), None)


def read_template(path: Path) -> TemplateInfo:
    """Read a .pptx template's size and layouts; raises ValueError if it is not a deck."""
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER

    try:
        prs = Presentation(str(path))
    except Exception as exc:  # python-pptx raises several types for a non-deck file
        raise ValueError(f"cannot open the template as a PowerPoint file ({exc})") from None
    layouts = []
    for layout in prs.slide_layouts:
        title = None
        placeholders: Any = layout.placeholders
        for shape in placeholders:
            kind = shape.placeholder_format.type
            if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) and shape.width:
                title = (int(shape.left or 0) / EMU_PER_PT, int(shape.top or 0) / EMU_PER_PT,
                         int(shape.width) / EMU_PER_PT, int(shape.height or 0) / EMU_PER_PT)
                break
        layouts.append(Layout(layout.name, title))
    return TemplateInfo(str(path.resolve()), int(prs.slide_width or 0) / EMU_PER_PT,
                        int(prs.slide_height or 0) / EMU_PER_PT, tuple(layouts))
