"""Brief files → validated Brief, with every problem located by file, line, column and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.brief.model import (
    BLOCK_TYPES,
    Block,
    Brief,
    RuleViolation,
    RuleViolations,
    describe,
    nearest,
    suggest,
)
from briefgen.errors import BriefError, Problem
from briefgen.source import Document, Path_, format_path, read_yaml

M = TypeVar("M", bound=BaseModel)


def load_brief(path: str | Path, display: str | None = None) -> Brief:
    """Read and validate a brief file; raise BriefError listing every problem in it."""
    path = Path(path)
    document = read_yaml(path, display or str(path), what="brief", collect=True)
    return validate(document, Brief, base=path.parent)


def validate(document: Document, model: type[M], base: Path | None = None) -> M:
    """Validate a read document against `model`, turning pydantic's errors into Problems.

    Problems found while reading the file are reported together with the validation errors.
    """
    problems = list(document.problems)
    try:
        result = model.model_validate(document.data, context={"base": base})
    except ValidationError as exc:
        errors = exc.errors()
        found = [p for e in errors if not _typo_twin(e, errors)
                 for p in _problems(document, model, e)]
        # A refused tag or duplicate key leaves a hole that validation would report a second time.
        problems += [p for p in found if not any(_within(p.key, q.key) for q in problems)]
    problems = _explain_splits(document, problems)
    if problems:
        raise BriefError(_dedupe(problems))
    return result


def _explain_splits(document: Document, problems: list[Problem]) -> list[Problem]:
    """A list of the wrong length because `106,9` was read as two items: one problem that says
    so, at the split, instead of a count and a separate warning."""
    for path, splits in document.split.items():
        key = format_path(path)
        for n, found in enumerate(problems):
            if found.key != key:
                continue
            first = splits[0].warning
            if len(splits) == 1:
                because, hint = first.message, first.hint
            else:
                typed = [f"'{s.typed}'" for s in splits]
                because = (f"{', '.join(typed[:-1])} and {typed[-1]} are each read as two "
                           f"{first.message.rsplit(' two ', 1)[1].split(',')[0]}")
                hint = "write " + ", ".join(s.fix for s in splits)
            problems[n] = Problem(found.file, first.line, first.column, first.key,
                                  f"{found.message}, because {because}", hint)
            document.warnings[:] = [w for w in document.warnings
                                    if w not in {s.warning for s in splits}]
    return problems


def _within(key: str, ancestor: str) -> bool:
    return key == ancestor or key.startswith((f"{ancestor}.", f"{ancestor}["))


def _typo_twin(error: Any, errors: list[Any]) -> bool:
    """A missing key that is reported already as the near-miss of an unknown key beside it."""
    if error["type"] != "missing":
        return False
    import difflib

    parent, key = tuple(error["loc"][:-1]), str(error["loc"][-1])
    return any(other["type"] == "extra_forbidden" and tuple(other["loc"][:-1]) == parent
               and difflib.get_close_matches(str(other["loc"][-1]), [key], n=1, cutoff=0.6)
               for other in errors)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for problem in problems:
        if (problem.key, problem.message) not in seen:
            seen.add((problem.key, problem.message))
            unique.append(problem)
    return sorted(unique, key=lambda p: (p.line, p.column))


def _model_at(root: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc`, found by walking field annotations."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return None
        field = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        if field is None:
            return current  # type: ignore[no-any-return]
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside list[...], X | None and Annotated[...], if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or getattr(annotation, "__metadata__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _inner_model(origin) if origin is not None and origin is not annotation else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _problems(document: Document, root: type[BaseModel], error: Any) -> list[Problem]:
    loc: Path_ = tuple(p for p in error["loc"] if not _is_union_tag(p))
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, RuleViolation):
        cause = RuleViolations([cause])
    if not isinstance(cause, RuleViolations):
        return [_problem(document, root, loc, error)]
    return [document.problem((*loc, *c.subpath), c.message, c.hint, key=c.at_key)
            for c in cause.violations]


# The list a size limit applies to → what it counts, what holds them, and how to get under it.
_LIMITS = {"rows": ("rows", "a table", "split the table into several tables"),
           "columns": ("columns", "a table", "split the table into several tables"),
           "blocks": ("blocks", "a section", "split the section into several sections"),
           "sections": ("sections", "a brief", "merge sections, or split the brief in two")}


def _problem(document: Document, root: type[BaseModel], loc: Path_, error: Any) -> Problem:
    kind = error["type"]
    value = error.get("input")
    key = loc[-1] if loc else ""
    owner = _model_at(root, loc[:-1]) if loc else None
    if kind == "extra_forbidden":
        options = _keys_of(owner) if owner else []
        if owner is Block:
            return document.problem(loc[:-1], f"unknown block type '{key}'",
                                    suggest(str(key), BLOCK_TYPES, "block types"), key=False)
        return document.problem(loc, f"unknown key '{key}'", suggest(str(key), options), key=True)
    if kind == "missing":
        return document.problem(loc[:-1], f"'{key}' is required", f"add '{key}:' here")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return document.problem(loc, f"expected a mapping of keys, got {describe(value)}",
                                "write 'key: value' lines indented under this key")
    if kind == "list_type":
        return document.problem(loc, f"expected a list, got {describe(value)}",
                                "write each item on its own line starting with '- '")
    if kind in ("float_parsing", "float_type", "finite_number"):
        return document.problem(loc, f"{describe(value)} is not a number",
                                "write a plain number such as 12.5, without units or commas")
    if kind in ("literal_error", "enum"):
        expected = (error.get("ctx") or {}).get("expected", "")
        options = [o.strip(" '") for o in str(expected).replace(" or ", ",").split(",")]
        close = nearest(str(value), [o for o in options if o])
        return document.problem(loc, f"{describe(value)} is not one of {expected}",
                                f"did you mean '{close}'?" if close else "write one of these")
    if kind == "too_long":
        ctx = error.get("ctx") or {}
        counted, holder, hint = _LIMITS.get(str(key), ("items", "this list", "shorten it"))
        if isinstance(key, int) and loc[-2:-1] == ("rows",):
            counted, holder, hint = "cells", "a row", "give every row one cell per column"
        return document.problem(loc, f"{ctx.get('actual_length', 0):,} {counted}; {holder} may "
                                f"have at most {ctx.get('max_length', 0):,}", hint)
    if kind == "too_short":
        least = (error.get("ctx") or {}).get("min_length", 1)
        items = f"{least} item{'s' if least != 1 else ''}"
        return document.problem(loc, f"needs at least {items}", f"add at least {items}")
    if kind in ("string_type", "str_type"):
        return document.problem(loc, f"expected text, got {describe(value)}",
                                "write plain text, in quotes if it has special characters")
    return document.problem(loc, error["msg"], "")


def _is_union_tag(part: Any) -> bool:
    # pydantic names union members in loc ("float", "literal['low','medium','high']", …)
    return isinstance(part, str) and (part.startswith(("literal[", "function-")) or
                                      part in ("float", "str", "int", "list[str]"))
