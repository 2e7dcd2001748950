"""What the planners have to say about a layout: notes on expected decisions, warnings to act on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from msgspec import Struct

Level = Literal["note", "warning"]


class LayoutMessage(Struct, frozen=True):
    """One layout decision, and where in the brief it was made.

    A *note* is a decision the author can expect (a section continues on another slide, a table
    is split, text shrinks within the theme's floor); a *warning* asks the author to change
    something (text at the floor still does not fit, a block was cut). `key` is the key path
    into the brief in the loader's notation, `sections[2].blocks[1].table`, or "" for the brief
    as a whole; the build turns it into file:line:column.
    """

    level: Level
    key: str
    text: str

    def __str__(self) -> str:
        return f"{self.key}: {self.text}" if self.key else self.text


def note(key: str, text: str) -> LayoutMessage:
    return LayoutMessage("note", key, text)


def warning(key: str, text: str) -> LayoutMessage:
    return LayoutMessage("warning", key, text)


def unique(messages: Iterable[LayoutMessage]) -> list[LayoutMessage]:
    """Each message once, in the order first said."""
    return list(dict.fromkeys(messages))


def key_path(key: str) -> tuple[str | int, ...]:
    """`sections[2].blocks[0]` → `("sections", 2, "blocks", 0)`, to locate a key in its file."""
    parts: list[str | int] = []
    for name in key.replace("]", "").split("."):
        head, *indexes = name.split("[")
        if head:
            parts.append(head)
        parts.extend(int(i) for i in indexes if i.isdigit())
    return tuple(parts)
