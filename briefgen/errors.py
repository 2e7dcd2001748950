"""Located problems in a brief or theme: the one error type the CLI turns into messages, and
the wording messages share."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct


class Problem(Struct, frozen=True):
    """One thing wrong with an input file, and where."""

    file: str
    line: int
    column: int
    key: str  # key path such as sections[2].blocks[0].table.rows[3]; "" for the whole file
    message: str
    hint: str = ""

    def __str__(self) -> str:
        # Line 0: the problem is with the file as a whole (missing, unreadable), not a place in it.
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class BriefError(Exception):
    """A brief or theme that cannot be built; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return "\n".join([*(str(p) for p in self.problems), f"{count} {noun} found"])


class BuildError(Exception):
    """A build that failed for a reason outside the brief (unwritable folder, missing tool)."""


def listed(items: Sequence[str]) -> str:
    """'a', 'b' and 'c': several names in one message."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
