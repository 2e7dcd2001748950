"""Safe YAML reading: plain data plus the line and column of every key and value."""

from __future__ import annotations

import errno
import re
import stat
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct, field
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from briefgen.brief.markup import VT_STAND_IN
from briefgen.errors import BriefError, Problem
from briefgen.syntax import Lines, explain

MAX_FILE_BYTES = 5 * 1024 * 1024  # a brief is text; anything larger is a mistake or an attack
# Keys, values and list items: far more than a brief within its limits holds, so a file of
# hundreds of thousands of tiny items is refused before it is read to the end.
MAX_NODES = 100_000

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_ALLOWED_TAGS = {_STR, _NULL, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
# Characters the YAML reader refuses; dropped before parsing so pasted text never crashes it.
_UNREADABLE = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


class _Checks(Composer):
    """Composing nodes one by one: refuse anchors, count the nodes."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        # Aliases can expand a small file enormously, and they need an anchor first; refusing
        # anchors also stops `title: &Co results` from silently losing "&Co".
        event = self.peek_event()  # type: ignore[attr-defined]  # the parser's
        if getattr(event, "anchor", None) is not None:
            raise _AnchorFound(event.start_mark, event.anchor)
        self.nodes = getattr(self, "nodes", 0) + 1
        if self.nodes > MAX_NODES:
            raise _TooManyNodes(event.start_mark)
        return Composer.compose_node(self, parent, index)


class _Loader(_Checks, yaml.SafeLoader):
    """SafeLoader that reads every plain scalar as text and refuses aliases."""


# Only null is recognised implicitly: `Yes`, `010`, `12:30`, `2026-04` stay the text typed.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])

# libyaml's parser, where PyYAML has it, reads a brief some forty times faster than PyYAML's
# own; it gives the same events and marks, and the nodes are composed here as above. It is
# used only for what both read alike: not on text with YAML's other line breaks (NEL, LS, PS),
# and never for errors, which PyYAML's parser reports in the words syntax.py explains.
_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")

if _CParser is not None:
    class _FastLoader(_Checks, _CParser, BaseResolver):  # type: ignore[misc]
        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            BaseResolver.__init__(self)

        def compose_scalar_node(self, anchor: Any) -> ScalarNode:
            node = Composer.compose_scalar_node(self, anchor)
            node.style = node.style or None  # a plain scalar's style, as PyYAML gives it
            return node


def _compose(text: str) -> Node | None:
    """The node tree of a YAML text, by libyaml's parser where it reads the text as PyYAML's
    would, else by PyYAML's (which gives the errors)."""
    if _CParser is not None and not _OTHER_BREAKS.search(text):
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


class _TooManyNodes(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


class _AnchorFound(Exception):
    def __init__(self, mark: Any, anchor: str) -> None:
        self.mark = mark
        self.anchor = anchor


class Split(Struct, frozen=True):
    """`106,9` in a list, read as two items: the warning, the text typed and how to write it."""

    warning: Problem
    typed: str
    fix: str  # `106.9`, `"31,200"`


class Document(Struct):
    """Plain data read from a YAML file, with where each key and value stands."""

    file: str
    data: dict[str, Any]
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # found while reading, if collected
    # Text YAML reads other than it looks: a ` #` that starts a comment, `106,9` read as two
    # numbers. `split` holds the second kind by the path of their list.
    warnings: list[Problem] = field(default_factory=list)
    split: dict[Path_, list[Split]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of a path, or of its nearest ancestor that exists in the file."""
        marks = (self.key_marks, self.value_marks) if key else (self.value_marks, self.key_marks)
        probe = tuple(path)
        while True:
            for table in marks:
                if probe in table:
                    return table[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]

    def problem(self, path: Path_, message: str, hint: str = "", *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, format_path(path), message, hint)


def format_path(path: Path_) -> str:
    """`("sections", 2, "blocks", 0)` → `sections[2].blocks[0]`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,") else tag


# A comment that starts right after a value on its line, with a word glued to its '#'
# (`#1`, `#ai`): a comment written on purpose has a space after the '#'.
_GLUED_COMMENT = re.compile(r"[ \t]+#\S")
_INTEGER = re.compile(r"-?[0-9]+")


class _Walker:
    def __init__(self, file: str, at: Lines) -> None:
        self.file = file
        self.at = at
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.split: dict[Path_, list[Split]] = {}
        self.key_marks: dict[Path_, tuple[int, int]] = {}
        self.value_marks: dict[Path_, tuple[int, int]] = {}

    def fail(self, node: Node, path: Path_, message: str, hint: str) -> None:
        line, column = self.at(node.start_mark)
        self.problems.append(Problem(self.file, line, column, format_path(path), message, hint))

    def warn(self, index: int, path: Path_, message: str, hint: str) -> Problem:
        line, column = self.at.at_index(index)
        warning = Problem(self.file, line, column, format_path(path), message, hint)
        self.warnings.append(warning)
        return warning

    def check_comment(self, node: ScalarNode, path: Path_) -> None:
        """A plain text followed by ` #word` on its line: YAML drops the rest as a comment."""
        text = self.at.text
        end = node.end_mark.index
        line_end = text.find("\n", end)
        rest = text[end:len(text) if line_end < 0 else line_end].rstrip("\r")
        glued = _GLUED_COMMENT.match(rest)
        if glued is None or self.at(node.start_mark)[0] != self.at(node.end_mark)[0]:
            return
        meant = str(node.value) + rest.rstrip()
        comment = rest.strip()
        quoted = '"' + meant.replace("\\", "\\\\").replace('"', '\\"') + '"'
        self.warn(end + glued.end() - 2, path,
                  f"YAML reads '{_short(comment)}' as a comment and leaves it out of the text",
                  f"write the whole text in quotes: {quoted}" if len(quoted) <= 60 else
                  f"put the whole text in double quotes, from '{meant.split()[0]}' to the end "
                  "of the line")

    def check_split_numbers(self, node: SequenceNode, path: Path_) -> None:
        """`[99.0, 106,9]`: two integers with only a comma between them, in a list whose other
        items are separated by ', ', are most likely one number written with a decimal comma."""
        items = node.value
        text = self.at.text
        gaps = [text[a.end_mark.index:b.start_mark.index] for a, b in pairwise(items)]
        if not any(gap.strip() == "," and gap != "," for gap in gaps):
            return
        numbers = path[-1:] == ("values",)
        for n, gap in enumerate(gaps):
            first, second = items[n], items[n + 1]
            if gap != "," or not all(isinstance(i, ScalarNode) and i.style is None
                                     for i in (first, second)):
                continue
            if not (_INTEGER.fullmatch(first.value) and second.value.isdigit()):
                continue
            typed = f"{first.value},{second.value}"
            if not numbers:
                fix = f'"{typed}"'
                hint = f"write it in quotes: {fix}"
            elif len(second.value) == 3:
                fix = f"{first.value}{second.value}"
                hint = (f"write {fix}, or {first.value}.{second.value} if the comma is a "
                        "decimal point")
            else:
                fix = f"{first.value}.{second.value}"
                hint = f"write {fix}"
            kind = "values" if numbers else "items"
            warning = self.warn(first.start_mark.index, (*path, n),
                                f"'{typed}' is read as two {kind}, {first.value} and "
                                f"{second.value}", hint)
            self.split.setdefault(path, []).append(Split(warning, typed, fix))

    def walk(self, node: Node, path: Path_) -> Any:
        self.value_marks[path] = self.at(node.start_mark)
        if node.tag not in _ALLOWED_TAGS:
            self.fail(node, path, f"the YAML tag '{_tag_name(node.tag)}' is not allowed",
                      "remove the tag; a brief holds only text, lists and mappings")
            return None
        if isinstance(node, ScalarNode):
            if node.tag == _NULL:
                return None
            # Outside a literal block YAML folds a blank line into one newline: that newline
            # is where the author left a blank line, so it separates paragraphs.
            if node.style is None:
                self.check_comment(node, path)
            value = str(node.value)
            return value if node.style == "|" else value.replace("\n", "\n\n")
        if isinstance(node, SequenceNode):
            if node.flow_style:
                self.check_split_numbers(node, path)
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.walk_mapping(node, path)
        return None  # pragma: no cover - the composer yields no other node kinds

    def walk_mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL:
                self.fail(key_node, path, "a key must be plain text",
                          "write the key as a word followed by ':'")
                continue
            key = str(key_node.value)
            child = (*path, key)
            if key in result:
                first = self.key_marks[child]
                self.fail(key_node, child,
                          f"duplicate key '{key}' (first given on line {first[0]})",
                          "remove one of the two; YAML would silently keep only the last")
                continue
            self.key_marks[child] = self.at(key_node.start_mark)
            result[key] = self.walk(value_node, child)
        return result


def read_yaml(path: Path, display: str | None = None, what: str = "brief", *,
              collect: bool = False) -> Document:
    """Read a YAML mapping from `path` safely, or raise BriefError naming what is wrong.

    With `collect`, duplicate keys and refused tags are returned in `Document.problems` instead,
    so that validation can report them together with everything else.
    """
    file = display or str(path)

    def fail(message: str, hint: str = "", line: int = 1, column: int = 1) -> BriefError:
        return BriefError([Problem(file, line, column, "", message, hint)])

    too_big = (f"a {what} may be at most {MAX_FILE_BYTES:,} bytes "
               f"({MAX_FILE_BYTES // 1048576} MB)", "split it, or move long material out of it")
    try:
        info = path.stat()
        # A FIFO would block the read forever and a device such as /dev/zero never ends.
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise fail(f"the {what} is {kind}", f"give the path of a {what}'s YAML file", 0, 0)
        if info.st_size > MAX_FILE_BYTES:
            raise fail(f"the file is {info.st_size:,} bytes; {too_big[0]}", too_big[1])
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
        if len(raw) > MAX_FILE_BYTES:
            raise fail(f"the file is over {MAX_FILE_BYTES:,} bytes; {too_big[0]}", too_big[1])
    except OSError as exc:
        raise fail(*_unreadable(exc, what), 0, 0) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise fail(f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                   "save the file with UTF-8 encoding", line, column) from None
    if not text.strip():
        raise fail("the file is empty", f"a {what} is a YAML mapping; "
                   + ("run 'briefgen new' for a starter" if what == "brief" else "see the README"))
    text = _UNREADABLE.sub("", text.replace("\v", VT_STAND_IN))
    at = Lines(text)
    try:
        root = _compose(text)
    except _AnchorFound as exc:
        raise fail(f"'&{exc.anchor}' starts a YAML anchor; anchors and aliases are not allowed",
                   "put text that begins with '&' in quotes; write repeated values out in full",
                   *at(exc.mark)) from None
    except yaml.MarkedYAMLError as exc:
        message, hint, line, column = explain(exc, at)
        raise fail(message, hint, line, column) from None
    except yaml.YAMLError as exc:
        raise fail(f"YAML error: {exc}", "check the YAML syntax") from None
    except RecursionError:
        raise fail("lists or mappings are nested too deeply to read",
                   "a brief needs only a few levels; look for unbalanced '[' or '{'") from None
    except _TooManyNodes as exc:
        raise fail(f"the file holds more than {MAX_NODES:,} keys, values and list items",
                   "split it into several briefs", *at(exc.mark)) from None
    if root is None:
        raise fail("the file holds only comments", f"a {what} is a YAML mapping of keys")
    if not isinstance(root, MappingNode):
        line, column = at(root.start_mark)
        raise fail(f"the top level must be a mapping of keys, not a {_kind(root)}",
                   "write the keys at the left margin, each followed by ':'",
                   line, column)
    walker = _Walker(file, at)
    data = walker.walk(root, ())
    if walker.problems and not collect:
        raise BriefError(walker.problems)
    return Document(file, data, walker.key_marks, walker.value_marks, walker.problems,
                    walker.warnings, walker.split)


def _short(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _unreadable(exc: OSError, what: str) -> tuple[str, str]:
    """Message and hint for a file that cannot be opened, by the reason the system gives."""
    if exc.errno == errno.ELOOP:
        return ("cannot read the file: it is a symbolic link that leads back to itself",
                f"point the link at the {what}'s YAML file, or give the file's own path")
    if exc.errno == errno.ENOENT:
        return ("cannot read the file: it does not exist", "check the path and the file's name")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ("cannot read the file: permission denied",
                "make it readable for yourself (chmod u+r), or copy it to a folder of yours")
    return (f"cannot read the file: {exc.strerror or exc}",
            f"check that the {what} exists and is readable")


def _kind(node: Node) -> str:
    return "list" if isinstance(node, SequenceNode) else "single value"
