"""What the last render made, kept for the next one: `watch` renders a brief again after every
edit, and most of what it makes comes out as it was."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

Made = TypeVar("Made")


class Recall(Generic[Made]):
    """Things one render made, by what they were made from. A render asks for each thing
    before making it and keeps what it made or reused; when it is done, what it kept is what
    the next render can reuse, so the memory holds two renders' worth at most."""

    def __init__(self) -> None:
        self.last: dict[Hashable, Made] = {}
        self.now: dict[Hashable, Made] = {}

    def begin(self) -> None:
        self.now = {}  # (what a render that failed half way kept is dropped)

    def get(self, key: Hashable) -> Made | None:
        made = self.now.get(key)
        return made if made is not None else self.last.get(key)

    def keep(self, key: Hashable, made: Made) -> None:
        self.now[key] = made

    def done(self) -> None:
        self.last, self.now = self.now, {}
