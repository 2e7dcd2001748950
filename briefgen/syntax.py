"""YAML syntax errors explained in an author's words: which line, what it should line up with."""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml
from msgspec import Struct
from yaml.tokens import (
    BlockEndToken,
    BlockEntryToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
    KeyToken,
    ScalarToken,
    Token,
)

LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Lines:
    """Line and column of a YAML mark as an editor counts them: YAML also breaks lines at NEL,
    LS and PS (U+0085, U+2028, U+2029), which editors show inside a line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in LINE_BREAK.finditer(text))]

    def __call__(self, mark: Any) -> tuple[int, int]:
        return self.at_index(mark.index)

    def at_index(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def line(self, number: int) -> str:
        """The text of line `number` (from 1), without its line break."""
        if not 1 <= number <= len(self.starts):
            return ""
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return LINE_BREAK.sub("", self.text[self.starts[number - 1]:end])


# Parser words for tokens, as PyYAML prints them, and what an author would call them.
_TOKEN_WORDS = {
    "<block mapping start>": "a new key", "<block sequence start>": "a list item",
    "<block end>": "the end of the block", "?": "a key", "-": "a list item ('- ')",
    "<scalar>": "more text", "<stream end>": "the end of the file",
    "<document start>": "'---'", "<document end>": "'...'", "<flow sequence start>": "'['",
    "<flow mapping start>": "'{'", "<alias>": "an alias ('*')", "<anchor>": "an anchor ('&')",
    "<tag>": "a tag ('!')", "<directive>": "a directive ('%')", "<stream start>": "the file",
    "<block entry>": "a list item ('- ')", "<flow entry>": "','", "<key>": "a key",
    "<value>": "':'",
}
_TOKEN = re.compile(r"'(<[a-z ]+>|\?|-)'|(<[a-z ]+>)")


def in_words(problem: str) -> str:
    """A PyYAML problem with its token names replaced by words."""
    return _TOKEN.sub(lambda m: _TOKEN_WORDS.get(m.group(1) or m.group(2), "something else"),
                      problem)


# A line that starts a key (`title:`, `- text:`) or a list item.
_KEY_LINE = re.compile(r"^(\s*)((?:-\s+)*)([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_ITEM_LINE = re.compile(r"^(\s*)-(?:\s|$)")


class _Level(Struct):
    """A block mapping or list open at some point of the file, and its latest key or item."""

    kind: str  # "map" or "list"
    column: int | None = None  # 0-based column of its keys or of its '-'
    line: int = 0  # editor line of its latest key or item
    label: str = ""  # that key, as "'id:'", or "the '- '"
    indentless: bool = False  # a list at its mapping's column, with no level of its own


def explain(exc: yaml.MarkedYAMLError, lines: Lines) -> tuple[str, str, int, int]:
    """Message, hint, line and column for a YAML syntax error."""
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    index = mark.index if mark else 0
    tokens = _tokens_before(lines.text, index)
    for diagnose in (_unclosed_quote, _closed_early, _no_space_after_colon, _comment_in_brackets,
                     _misindented):
        found = diagnose(exc, lines, tokens)
        if found is not None:
            return found
    if "could not find expected ':'" in problem and exc.context_mark:
        mark = exc.context_mark  # where the key that lacks its ':' starts
    line, column = lines(mark) if mark else (1, 1)
    if problem.startswith("but ") and exc.context:
        problem = f"{exc.context}, {problem}"
    problem = in_words(problem)
    return f"YAML syntax error: {problem}", _hint(problem, lines.line(line)), line, column


def _tokens_before(text: str, index: int) -> list[Token]:
    """The tokens the scanner reads before `index`, up to a scanning error if there is one."""
    tokens: list[Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def _unclosed_quote(exc: yaml.MarkedYAMLError, lines: Lines, tokens: list[Token]
                    ) -> tuple[str, str, int, int] | None:
    """A quote left open: YAML reads on to the next quote, often a line or more later."""
    problem = exc.problem or ""
    if "quoted scalar" in (exc.context or "") and exc.context_mark and "end of stream" in problem:
        start, quote = exc.context_mark, lines.text[exc.context_mark.index]
        last = len(lines.starts)
    else:
        scalar = tokens[-1] if tokens else None
        if not isinstance(scalar, ScalarToken) or scalar.style not in ("'", '"'):
            return None
        start, quote = scalar.start_mark, scalar.style
        last = lines(scalar.end_mark)[0]
    opened, column = lines(start)
    # The text should have ended before the first line of it that reads as a key or an item.
    runs_on = next((n for n in range(opened + 1, last + 1)
                    if _KEY_LINE.match(lines.line(n)) or _ITEM_LINE.match(lines.line(n))), None)
    if runs_on is None:
        if last != len(lines.starts):
            return None  # a quoted text over several lines that closes where it should
        return ("YAML syntax error: this quote is never closed",
                f"add the closing {quote} where the text ends" + _inside(quote), opened, column)
    return ("YAML syntax error: this quote is never closed",
            f"add the closing {quote} at the end of line {runs_on - 1}" + _inside(quote),
            opened, column)


def _inside(quote: str) -> str:
    return "; inside single quotes write a quote as ''" if quote == "'" else ""


def _closed_early(exc: yaml.MarkedYAMLError, lines: Lines, tokens: list[Token]
                  ) -> tuple[str, str, int, int] | None:
    """More text after a closing quote on the same line: a quote inside the quoted text."""
    scalar = tokens[-1] if tokens else None
    mark = exc.problem_mark
    if (not isinstance(scalar, ScalarToken) or scalar.style not in ("'", '"') or mark is None
            or "expected <block end>" not in (exc.problem or "")
            or lines(scalar.end_mark)[0] != lines(mark)[0]):
        return None
    other, escape = ("double quotes (\")", "''") if scalar.style == "'" else (
        "single quotes (')", '\\"')
    return ("YAML syntax error: the text goes on after its closing quote",
            f"put the whole text in {other}, or write each {scalar.style} inside it as {escape}",
            *lines(mark))


def _comment_in_brackets(exc: yaml.MarkedYAMLError, lines: Lines, tokens: list[Token]
                         ) -> tuple[str, str, int, int] | None:
    """`[a #b]`: the ` #` starts a comment, which takes the closing bracket with it."""
    opened = exc.context_mark
    if opened is None or "flow" not in (exc.context or "") or "expected ','" not in (
            exc.problem or ""):
        return None
    number = lines(opened)[0]
    start = lines.starts[number - 1]
    text = lines.line(number)
    for hash_at in (m.start() + 1 for m in re.finditer(r"[ \t]#", text)):
        index = start + hash_at
        if index <= opened.index or any(
                isinstance(t, ScalarToken) and t.start_mark.index <= index < t.end_mark.index
                for t in tokens):
            continue
        close = "]" if "sequence" in (exc.context or "") else "}"
        return (f"YAML syntax error: this ' #' starts a comment, which hides the rest of the "
                f"line and its '{close}'", "put the text that holds the '#' in quotes",
                number, hash_at + 1)
    return None


_GLUED_KEY = re.compile(r"([A-Za-z_][\w-]*):(?=[^\s/])")


def _no_space_after_colon(exc: yaml.MarkedYAMLError, lines: Lines, tokens: list[Token]
                          ) -> tuple[str, str, int, int] | None:
    """`title:"x"` is text, not a key: the lines after it then read as more of that text."""
    scalar = tokens[-1] if tokens else None
    if not (isinstance(scalar, ScalarToken) and scalar.style is None
            and ("mapping values are not allowed" in (exc.problem or "")
                 or "could not find expected ':'" in (exc.problem or ""))):
        return None
    glued = _GLUED_KEY.match(scalar.value)
    if glued is None:
        return None
    key = glued.group(1)
    line, column = lines(scalar.start_mark)
    return (f"YAML syntax error: '{key}:' needs a space after its ':'",
            f"write a space between '{key}:' and its value", line, column)


def _misindented(exc: yaml.MarkedYAMLError, lines: Lines, tokens: list[Token]
                 ) -> tuple[str, str, int, int] | None:
    """A key or list item indented more or less than the mapping or list it belongs to."""
    problem = exc.problem or ""
    mark = exc.problem_mark
    if mark is None:
        return None
    number = lines(mark)[0]
    text = lines.line(number)
    key, item = _KEY_LINE.match(text), _ITEM_LINE.match(text)
    if "expected <block end>" in problem:
        pass
    elif "mapping values are not allowed" in problem and key and not key.group(2):
        # `key: value` on a line of its own that YAML read as more of the text above it.
        scalar = tokens[-1] if tokens else None
        if not (isinstance(scalar, ScalarToken) and scalar.style is None
                and lines(scalar.start_mark)[0] < number):
            return None
    else:
        return None
    indent = len(text) - len(text.lstrip(" "))
    levels = _open_levels(tokens, lines, lines.starts[number - 1])
    kind = "list" if item else "map"
    choices = [level for level in levels if level.kind == kind and level.column is not None]
    if not choices:
        return None
    # The nearest column; on a tie the deeper one, as a line usually belongs to the one above.
    best = min(choices, key=lambda level: (abs((level.column or 0) - indent), -(level.column or 0)))
    if best.column is None or best.column == indent:
        return None
    shown = _shown(text)
    difference = indent - best.column
    spaces = _spaces(abs(difference))
    more = "more" if difference > 0 else "less"
    where = f"{best.label} on line {best.line}"
    return (f"YAML syntax error: this line is indented {spaces} {more} than {where}",
            (f"indent '{shown}' by {_spaces(best.column)}" if best.column else
             f"start '{shown}' at the beginning of the line") + f", to line up with {where}",
            number, indent + 1)


def _spaces(count: int) -> str:
    return f"{count} space" if count == 1 else f"{count} spaces"


def _shown(text: str) -> str:
    """The start of a line as an author would name it: `lead:`, `- text:`, `- "a"`."""
    stripped = text.strip()
    key = _KEY_LINE.match(text)
    if key:
        return f"{'- ' if key.group(2) else ''}{key.group(3)}:"
    return stripped if len(stripped) <= 24 else stripped[:21] + "..."


def _open_levels(tokens: list[Token], lines: Lines, before: int) -> list[_Level]:
    """The block mappings and lists still open at index `before`, outermost first."""
    levels: list[_Level] = []
    flow = 0
    for n, token in enumerate(tokens):
        if token.start_mark.index >= before:
            break
        if isinstance(token, (FlowMappingStartToken, FlowSequenceStartToken)):
            flow += 1
        elif isinstance(token, (FlowMappingEndToken, FlowSequenceEndToken)):
            flow -= 1
        if flow:
            continue
        if isinstance(token, (KeyToken, BlockEndToken)) and levels and levels[-1].indentless:
            levels.pop()
        if isinstance(token, BlockMappingStartToken):
            levels.append(_Level("map"))
        elif isinstance(token, BlockSequenceStartToken):
            levels.append(_Level("list"))
        elif isinstance(token, BlockEndToken) and levels:
            levels.pop()
        elif isinstance(token, KeyToken) and levels and levels[-1].kind == "map":
            name = tokens[n + 1] if n + 1 < len(tokens) else None
            label = f"'{name.value}:'" if isinstance(name, ScalarToken) else "the key"
            _seen(levels[-1], token, lines, label)
        elif isinstance(token, BlockEntryToken) and levels:
            if levels[-1].kind == "map":
                # A list written at its key's column (`key:` then `- item`) has no level of its
                # own: it lasts until the mapping's next key.
                levels.append(_Level("list", indentless=True))
            _seen(levels[-1], token, lines, "the '- '")
    return levels


def _seen(level: _Level, token: Token, lines: Lines, label: str) -> None:
    if level.column is None:
        level.column = token.start_mark.column
    level.line, level.label = lines(token.start_mark)[0], label


# The first character of a value, after any '- ' and 'key: ' in front of it.
_VALUE_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s'\"\[{][^:]*?:\s+)?(.)")


def _hint(problem: str, line: str) -> str:
    if "mapping values are not allowed" in problem:
        return "text that contains ': ' must be put in quotes"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "escape character" in problem:
        return "in double quotes '\\' starts an escape; write '\\\\' or use single quotes"
    if "expected ',' or ']'" in problem:
        return "separate the items of a [...] list with ', ', and close it with ']'"
    if "expected ',' or '}'" in problem:
        return "separate the entries of a {...} mapping with ', ', and close it with '}'"
    if "sequence entries are not allowed" in problem:
        return ("write a list after its key as [a, b], or put each '- item' on a line of its "
                "own under the key, indented")
    start = _VALUE_START.match(line)
    first = start.group(1) if start else ""
    if first and first in "[]{}*&!|>@`%":
        return f"a value starting with '{first}' is read as YAML syntax; if it is text, " \
               "put it in quotes"
    if "could not find expected ':'" in problem:
        return "each key needs a ':' after it; text spanning lines must be put in quotes"
    if "expected the end of the block" in problem:
        return "check the indentation of this line against the lines above it"
    if "expected a single document" in problem:
        return "a brief is one YAML document; remove the second '---'"
    return "check the YAML syntax at this position"
