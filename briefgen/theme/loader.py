"""Finding themes by name or path, merging `extends:` parents, and validating them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefgen.errors import BriefError, Problem
from briefgen.source import Document, read_yaml
from briefgen.stamp import stamp
from briefgen.theme.model import Theme
from briefgen.theme.template import TemplateInfo

DEFAULT_THEME = "corporate"


def builtin_dir() -> Path:
    """Built-in themes: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "themes"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "themes"


def available() -> dict[str, Path]:
    """Theme names → files: built-ins, then ./themes/*.yaml of the working folder."""
    found: dict[str, Path] = {}
    for folder in (builtin_dir(), Path.cwd() / "themes"):
        if folder.is_dir():
            for file in sorted(folder.glob("*.yaml")):
                found.setdefault(file.stem, file)
    return found


def find_theme(name_or_path: str | None) -> Path:
    """The file for a theme name or path; an unknown name lists the available ones."""
    name = name_or_path or DEFAULT_THEME
    themes = available()
    if name in themes:
        return themes[name]
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or "/" in name or "\\" in name:
        if path.is_file():
            return path
        raise BriefError([Problem(name, 0, 0, "", "theme file not found",
                                  "check the path, or give a theme name")])
    raise BriefError([Problem(name, 0, 0, "", f"unknown theme '{name}'",
                              "available themes: " + ", ".join(themes))])


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _find_parent(name: str, child: Path) -> Path:
    """A parent theme by name, or by a path relative to the theme that extends it."""
    beside = child.parent / name
    if (name.endswith((".yaml", ".yml")) or "/" in name) and beside.is_file():
        return beside
    return find_theme(name)


def _anchor_paths(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Make a theme's file references absolute, so an inherited template still resolves."""
    deck = data.get("deck")
    if isinstance(deck, dict) and isinstance(deck.get("template"), str):
        data = {**data, "deck": {**deck, "template": str(folder / deck["template"])}}
    if isinstance(data.get("logo"), str):
        data = {**data, "logo": str(folder / data["logo"])}
    return data


def _keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    """The dotted key paths a theme file sets, e.g. "colors.primary", "fonts.deck.body"."""
    found = set()
    for key, value in data.items():
        found.add(prefix + str(key))
        if isinstance(value, dict):
            found |= _keys(value, f"{prefix}{key}.")
    return found


def _own_keys(path: Path, data: dict[str, Any]) -> set[str]:
    """What a theme file sets itself: a user's theme and its user parents, not the built-in
    themes it extends (whose colours and fonts give way to a template's)."""
    return set() if path.resolve().parent == builtin_dir().resolve() else _keys(data)


def _read_chain(path: Path, seen: tuple[Path, ...], read: list[tuple[Path, object]]
                ) -> tuple[dict[str, Any], Document, set[str]]:
    """A theme merged with its `extends:` parents, and the keys its user files set; `seen`
    are its children, for cycles. The files it reads are added to `read`, with their versions."""
    read.append((path, _version(path)))
    document = read_yaml(path, str(path), what="theme")
    document.data = _anchor_paths(document.data, path.parent)
    parent_name = document.data.get("extends")
    own = _own_keys(path, document.data)
    if not parent_name:
        return document.data, document, own
    parent = _find_parent(str(parent_name), path) if str(parent_name) != path.stem else None
    if parent is None or parent.resolve() in seen or parent.resolve() == path.resolve():
        chain = " → ".join(p.stem for p in (*seen, path.resolve()))
        raise BriefError([document.problem(("extends",), f"themes extend each other in a cycle: "
                                           f"{chain} → {parent_name}",
                                           "remove 'extends' from one of them")])
    base, _, inherited = _read_chain(parent, (*seen, path.resolve()), read)
    data = _merge(base, {k: v for k, v in document.data.items() if k != "extends"})
    return data, document, own | inherited


# Themes loaded in this process, by file, with what each was read from: a batch or `watch`
# loads the same theme for every build.
_LOADED: dict[tuple[Path, Path], tuple[tuple[tuple[Path, object], ...], Theme]] = {}


def _version(path: Path) -> object:
    """What tells a file's content apart: a theme file's bytes (a few kB; a stamp could miss
    two writes within the clock's resolution), a template's or logo's stamp."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return stamp(path)
    try:
        return path.read_bytes()
    except OSError:
        return None


def load_theme(name_or_path: str | None = None) -> Theme:
    """Resolve, merge and validate a theme; raise BriefError with located problems. A theme
    whose files have not changed since it was last loaded is not read again."""
    path = find_theme(name_or_path)
    key = path.absolute(), Path.cwd()  # (a parent named by name may be in ./themes)
    known = _LOADED.get(key)
    if known is not None and all(_version(file) == before for file, before in known[0]):
        return known[1]
    read: list[tuple[Path, object]] = []  # each file's version, taken before it is read
    theme = _load(path, read)
    _LOADED[key] = (tuple(read), theme)
    return theme


def _load(path: Path, read: list[tuple[Path, object]]) -> Theme:
    from briefgen.brief.loader import validate

    data, document, explicit = _read_chain(path, (), read)
    merged = Document(document.file, {**data, "extends": document.data.get("extends")},
                      document.key_marks, document.value_marks)
    theme = validate(merged, Theme, base=path.parent)
    files = [path]
    if theme.deck.template:
        read.append((Path(theme.deck.template), _version(Path(theme.deck.template))))
        theme._template = _template(document, theme.deck.template)
        files.append(Path(theme._template.path))
    if theme.logo:
        read.append((Path(theme.logo), _version(Path(theme.logo))))
        theme._logo = _logo(document, Path(theme.logo))
        files.append(Path(theme._logo[0]))
    theme._files = tuple(str(f) for f in files)
    theme._explicit = frozenset(explicit)
    return theme


def _logo(document: Document, file: Path) -> tuple[str, int, int]:
    from briefgen.brief.images import check_image_file
    from briefgen.brief.model import RuleViolation

    hint = "give the path of a PNG or JPEG relative to the theme file"
    try:
        if not file.is_file():
            raise RuleViolation(f"logo '{file.name}' cannot be read", hint)
        width, height = check_image_file(file.resolve(), file.name, "logo")
    except RuleViolation as exc:
        raise BriefError([document.problem(("logo",), exc.message, exc.hint)]) from None
    except OSError:
        raise BriefError([document.problem(("logo",), f"logo '{file.name}' cannot be read",
                                           hint)]) from None
    return str(file.resolve()), width, height


def _template(document: Document, name: str) -> TemplateInfo:
    from briefgen.theme.template import MAX_TEMPLATE_BYTES, read_template

    where = ("deck", "template")
    file = Path(name).resolve()  # already anchored at the folder of the theme that names it
    if file.suffix.lower() not in (".pptx", ".potx"):
        raise BriefError([document.problem(where, f"template '{Path(name).name}' is not a "
                                           ".pptx or .potx file",
                                           "save the template from PowerPoint as .pptx or "
                                           ".potx")])
    if not file.is_file():
        raise BriefError([document.problem(where, f"template '{Path(name).name}' not found "
                                           f"in {file.parent}",
                                           "give the path of the template relative to the "
                                           "theme file")])
    if file.stat().st_size > MAX_TEMPLATE_BYTES:
        raise BriefError([document.problem(where, f"template '{name}' is larger than "
                                           f"{MAX_TEMPLATE_BYTES // 2**20} MB",
                                           "remove the example slides and large pictures "
                                           "from the template")])
    try:
        return read_template(file)
    except ValueError as exc:
        raise BriefError([document.problem(where, str(exc), "save the template as .pptx or .potx")]
                         ) from None
