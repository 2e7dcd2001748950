"""Parsed TrueType faces kept between runs, so a memo does not re-read every font's tables.

reportlab reads a face's glyph tables in Python: ~0.06 s for each 10 MB CJK face, paid by
every build of a memo with Chinese, Japanese or Korean text. The parsed tables (plain ints,
floats, strings, lists and dicts) are stored with `marshal`, which cannot run code when
loaded, in the user's cache folder; an entry names the font file's path, size and time and
the Python and reportlab versions, so a changed font or library is parsed again. A face read
back reads the font file where a subset needs it rather than holding all of it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import marshal
import os
import sys
import tempfile
import weakref
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import reportlab
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

_FORMAT = 5
# Attributes not stored: the file's bytes and a scaling closure, rebuilt on load, and the
# subsets made so far, plain and deflated.
_REBUILT = ("_ttf_data", "_pdfScale", "_subsets", "_packed")
# Tables stored on their own and decoded when first read: the glyph-to-characters map, which
# only reportlab's text shaping reads (off for our fonts), and the glyphs' metrics and
# offsets, which only subsetting reads, for the glyphs a memo draws. The last two are kept as
# arrays of machine numbers: as the 30,000 tuples a CJK face has, they took ~5 ms to decode
# and set off a garbage collection.
_DEFERRED = ("glyphToChar", "hmetrics", "glyphPos")
# Their arrays' types: reportlab's metrics mix integers and scaled widths, which a double
# holds exactly; glyph offsets are integers.
_METRICS, _OFFSETS = "d", "q"


def _deferred(name: str, decode: Callable[[bytes], Any]) -> functools.cached_property[Any]:
    def decoded(face: _CachedFace) -> Any:
        return decode(face.deferred[name])

    decoded.__name__ = name
    return functools.cached_property(decoded)


class _Pairs:
    """A face's `hmetrics` as reportlab reads it, `hmetrics[glyph] == (advance, bearing)`,
    kept as one flat array."""

    def __init__(self, flat: array[float]) -> None:
        self.flat = flat

    def __len__(self) -> int:
        return len(self.flat) // 2

    def __getitem__(self, glyph: int) -> tuple[float, float]:
        return self.flat[2 * glyph], self.flat[2 * glyph + 1]


class _FileBytes:
    """A font file's bytes, read from the open file where reportlab asks for them.

    A memo draws a few hundred of a CJK face's 30,000 glyphs: reading its 10 MB, then copying
    the 9 MB glyph table to cut a subset from it, took ~15 ms a face, most of it spent
    mapping fresh memory. The file stays open, so a font file replaced meanwhile is not
    mixed in; one cut short meanwhile is an error, not a wrong glyph."""

    def __init__(self, path: Path, start: int = 0, size: int | None = None,
                 whole: _FileBytes | None = None) -> None:
        self.path, self.start, self.whole = path, start, whole  # a window keeps the file open
        self.fd: int = whole.fd if whole else os.open(path, os.O_RDONLY)
        if whole is None:  # closed with the last view of the file, or at exit
            weakref.finalize(self, os.close, self.fd)
        self.size = os.fstat(self.fd).st_size if size is None else size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, int):
            return self[key:key + 1][0]
        start, stop, _ = key.indices(self.size)
        wanted = max(stop - start, 0)
        data = os.pread(self.fd, wanted, self.start + start)
        if len(data) != wanted:
            raise OSError(f"{self.path}: the font file changed while it was read")
        return data

    def window(self, start: int, size: int) -> _FileBytes:
        return _FileBytes(self.path, self.start + start, size, self.whole or self)


class Face(TTFontFace):  # type: ignore[misc]
    """A parsed face that keeps the last few subsets it made: a memo draws the same glyphs
    from it again when rebuilt (watch) or when a batch builds similar briefs."""

    KEPT_SUBSETS = 8

    def makeSubset(self, subset: list[int]) -> bytes:
        made: dict[tuple[int, ...], bytes] = self.__dict__.setdefault("_subsets", {})
        key = tuple(subset)
        if key not in made:
            if len(made) >= self.KEPT_SUBSETS:
                del made[next(iter(made))]  # the oldest
            made[key] = super().makeSubset(subset)
        return made[key]

    def packed_subset(self, subset: list[int]) -> bytes:
        """The subset's font file deflated as reportlab deflates a stream, kept as long as the
        subset is: deflating the memo's font files is a tenth of rendering a short one."""
        made = self.makeSubset(subset)
        packed: dict[tuple[int, ...], bytes] = self.__dict__.setdefault("_packed", {})
        for gone in packed.keys() - self._subsets.keys():
            del packed[gone]
        key = tuple(subset)
        if key not in packed:
            packed[key] = zlib.compress(made)
        return packed[key]


class _CachedFace(Face):
    """A face read back from the cache, its deferred tables decoded when first read."""

    deferred: dict[str, bytes]
    glyphToChar = _deferred("glyphToChar", marshal.loads)
    hmetrics = _deferred("hmetrics", lambda data: _Pairs(array(_METRICS, data)))
    glyphPos = _deferred("glyphPos", lambda data: array(_OFFSETS, data))

    def get_table(self, tag: str) -> Any:
        if tag == "glyf" and isinstance(self._ttf_data, _FileBytes):
            # Subsetting cuts the glyphs it keeps out of this table: read them one by one.
            return self._ttf_data.window(*self.get_table_pos(tag))
        return super().get_table(tag)


def cache_folder() -> Path | None:
    """BRIEFGEN_CACHE_DIR, else the platform's folder for a user's caches; None where there is
    none (no home folder), and fonts are parsed every time."""
    if configured := os.environ.get("BRIEFGEN_CACHE_DIR"):
        return Path(configured)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "briefgen" / "cache" if base else None
    try:
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "briefgen"
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefgen"
    except RuntimeError:  # Path.home() without HOME or a password entry
        return None


def _entry_key(path: Path) -> str:
    stat = path.stat()
    python = "{}.{}".format(*sys.version_info[:2])  # marshal's format may change between versions
    return (f"{_FORMAT}|{python}|{reportlab.Version}|{path.resolve()}|{stat.st_size}|"
            f"{stat.st_mtime_ns}")


def _entry(key: str) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    return folder / "fonts" / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".marshal")


def _is_own_file(path: Path) -> bool:
    """Whether a cache entry is the user's own and writable by nobody else."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _stored(face: TTFontFace) -> dict[str, Any]:
    fields = {k: v for k, v in vars(face).items() if k not in (*_REBUILT, *_DEFERRED)}
    names = [k for k, v in fields.items() if isinstance(v, TTFNameBytes)]
    fields = {k: bytes(v) if k in names else v for k, v in fields.items()}
    # Bytes inside the entry: loading it copies them without decoding what they hold.
    fields["deferred"] = {
        "glyphToChar": marshal.dumps(face.glyphToChar),
        "hmetrics": array(_METRICS, [n for pair in face.hmetrics for n in pair]).tobytes(),
        "glyphPos": array(_OFFSETS, face.glyphPos).tobytes(),
    }
    return {"fields": fields, "names": names, "scaled": "_pdfScale" in vars(face)}


def _restored(stored: dict[str, Any], path: Path) -> TTFontFace:
    face = _CachedFace.__new__(_CachedFace)
    fields = stored["fields"]
    for name in stored["names"]:
        fields[name] = TTFNameBytes(fields[name])  # stored as the UTF-8 it was made of
    face.__dict__.update(fields)
    # Subsets are cut from the file's bytes.
    if hasattr(os, "pread"):
        face._ttf_data = _FileBytes(path)
    else:
        face._ttf_data = path.read_bytes()
    if stored["scaled"]:  # newer reportlab keeps the scale from font units as a function
        scale = 1000 / face.unitsPerEm
        face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * scale)
    return face


def _load(entry: Path, key: str, path: Path) -> TTFontFace | None:
    try:
        if not _is_own_file(entry):
            return None
        data = entry.read_bytes()
        # Loading makes ~100k small lists and tuples, none of them garbage: collections
        # triggered on the way would double the time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            stored = marshal.loads(data)
        finally:
            if collecting:
                gc.enable()
    except (OSError, ValueError, EOFError, TypeError):
        return None  # missing, unreadable or damaged: parse the font again
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    return _restored(stored, path)


def _save(entry: Path, key: str, face: TTFontFace) -> None:
    """Store a parsed face; a cache that cannot be written only costs the next run time."""
    try:
        data = marshal.dumps({"key": key, **_stored(face)})
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".font.", dir=entry.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, entry)
    except (OSError, ValueError):
        if "temp" in locals():
            Path(temp).unlink(missing_ok=True)


def parsed_face(path: Path) -> TTFontFace:
    """A font file's parsed face: from the cache when an earlier run parsed the same file."""
    key = _entry_key(path)
    entry = _entry(key)
    if entry is not None and (face := _load(entry, key, path)) is not None:
        return face
    face = Face(str(path))
    if entry is not None:
        _save(entry, key, face)
    return face
