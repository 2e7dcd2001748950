"""What the last render made, kept for the next one: `watch` renders a brief again after every
edit, and most of what it makes comes out as it was."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

Made = TypeVar("Made")


class Recall(Generic[Made]):
    """Things one render made, by what they were made from. A render asks for each thing
    before making it and keeps what it made or reused, up to `room` (in the sizes it gives,
    one each by default); when it is done, what it kept is what the next render can reuse,
    so the memory holds two rooms' worth at most, however long the documents."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.last: dict[Hashable, Made] = {}
        self.now: dict[Hashable, Made] = {}
        self.used = 0

    def begin(self) -> None:
        self.now, self.used = {}, 0  # (what a render that failed half way kept is dropped)

    def get(self, key: Hashable) -> Made | None:
        made = self.now.get(key)
        return made if made is not None else self.last.get(key)

    def keep(self, key: Hashable, made: Made, size: int = 1) -> bool:
        """Keep `made` for the next render, if there is room for it; whether it was kept."""
        if key in self.now:
            return True
        if self.used + size > self.room:
            return False
        self.now[key] = made
        self.used += size
        return True

    def done(self) -> None:
        self.last, self.now, self.used = self.now, {}, 0
