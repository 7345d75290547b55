"""Safe YAML/JSON loading that remembers where every value came from.

ruamel.yaml's round-trip loader keeps the line and column of each node; we turn
the tree into plain Python (dicts, lists, str, int, float, bool, None; dates as
ISO strings) and keep a side index from JSON path to position, so any later
complaint (schema, bands, duplicate ids) can say ``file:line:col``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
#: Environment variable that lowers or raises :data:`MAX_BYTES` (a whole number of bytes).
MAX_BYTES_ENV = "DUTYCHECK_MAX_YAML_BYTES"
MAX_DEPTH = 64
MAX_NODES = 250_000

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """A loaded document: plain data plus the position of every node (1-based)."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    #: Where this document's parse is cached (``load(..., cache=True)``), else None.
    cache_entry: Path | None = field(default=None, repr=False, compare=False)
    #: Checks this exact content is recorded as having passed (see :func:`note_passed`).
    passed: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def where(self, path: PathKey) -> tuple[int | None, int | None]:
        """Position of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (None, None)
            path = path[:-1]

    def error(self, path: PathKey, message: str) -> InvalidInput:
        line, col = self.where(path)
        return InvalidInput.one(self.file, message, line, col, json_path(path))


def json_path(path: PathKey) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def max_bytes_limit() -> int:
    """The size limit for one YAML/JSON file: :data:`MAX_BYTES`, or the whole number of
    bytes in the ``DUTYCHECK_MAX_YAML_BYTES`` environment variable."""
    import os

    raw = os.environ.get(MAX_BYTES_ENV, "").strip().replace("_", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return MAX_BYTES


def load(path: Path | str, *, display: str | None = None,
         max_bytes: int | None = None, cache: bool = False) -> Located:
    """Load one YAML or JSON file; any problem becomes :class:`InvalidInput` (exit 4).

    With ``cache=True`` a file that parsed cleanly before (same bytes, same name, same
    loader) is read from the parse cache instead (:func:`cache_dir`): ruamel's pure-Python
    round-trip parser costs about a second per run for the duty catalogue. The cached entry
    holds the data *and* every position, so later messages still say ``file:line:col``; a
    file that fails to parse is never cached, so its error always comes from a real parse.
    Only the duty catalogue asks for this: evidence (which may be restricted) is never
    copied into the cache."""
    path = Path(path)
    name = display or str(path)
    if max_bytes is None:
        max_bytes = max_bytes_limit()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput.one(name, f"cannot read file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise InvalidInput.one(name, f"file is {size:,} bytes; the limit for YAML/JSON is "
                               f"{max_bytes:,} bytes (set {MAX_BYTES_ENV} to change it)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput.one(name, f"cannot read file: {exc.strerror or exc}") from None
    entry = _cache_entry(raw, name) if cache else None
    if entry is not None:
        doc = _read_cached(entry, name)
        if doc is not None:
            return doc
    doc = _parse(raw, name)
    if entry is not None:
        doc.cache_entry = entry
        _write_cached(doc)
    return doc


def _parse(raw: bytes, name: str) -> Located:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text = decode(raw, name)
    _check_flow_depth(text, name)

    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDatesConstructor()
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p) or str(exc)
        msg = " ".join(msg.split())
        raise InvalidInput.one(name, f"YAML syntax error: {msg}", line, col) from None
    except RecursionError:
        raise InvalidInput.one(name, "YAML is nested too deeply") from None
    except YAMLError as exc:
        raise InvalidInput.one(name, f"YAML error: {' '.join(str(exc).split())}") from None
    except (ValueError, TypeError) as exc:  # a scalar ruamel could not construct
        raise InvalidInput.one(name, f"YAML value error: {exc}") from None

    doc = Located(name, None)
    budget = [MAX_NODES]
    doc.data = _plain(tree, (), doc, budget)
    return doc


# --------------------------------------------------------------------------- parse cache

#: Set to any non-empty value to turn the parse cache off (every file is parsed).
NO_CACHE_ENV = "DUTYCHECK_NO_CACHE"
#: Where the parse cache lives; default ``$XDG_CACHE_HOME/dutycheck`` or
#: ``~/.cache/dutycheck``.
CACHE_DIR_ENV = "DUTYCHECK_CACHE_DIR"
#: Bumped when the entry layout changes; the loader's own source is hashed into every key
#: too, so editing this module never reads an entry written by an older version of it.
CACHE_FORMAT = "dutycheck-yaml-cache-1"

_LOADER_DIGEST: str | None = None


def cache_dir() -> Path | None:
    """The parse cache folder, or None when ``DUTYCHECK_NO_CACHE`` is set."""
    import os

    if os.environ.get(NO_CACHE_ENV, "").strip():
        return None
    if os.environ.get(CACHE_DIR_ENV, "").strip():
        return Path(os.environ[CACHE_DIR_ENV]) / "parsed"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        return (Path(base) if base else Path.home() / ".cache") / "dutycheck" / "parsed"
    except RuntimeError:  # no home folder (a service account): run without the cache
        return None


def _loader_digest() -> str:
    """What besides the file decides the parsed result: this module's code, ruamel's
    version and the limits; any change gives new keys, so no stale entry is ever read."""
    global _LOADER_DIGEST
    if _LOADER_DIGEST is None:
        import hashlib

        from ruamel.yaml import __version__ as ruamel_version

        h = hashlib.sha256(Path(__file__).read_bytes())
        h.update(f"{CACHE_FORMAT}|{ruamel_version}|{MAX_DEPTH}|{MAX_NODES}".encode())
        _LOADER_DIGEST = h.hexdigest()
    return _LOADER_DIGEST


def _cache_entry(raw: bytes, name: str) -> Path | None:
    import hashlib

    folder = cache_dir()
    if folder is None:
        return None
    try:
        loader = _loader_digest()
    except (OSError, ImportError):  # the loader's source cannot be read (a frozen build)
        return None
    h = hashlib.sha256(loader.encode())
    h.update(name.encode("utf-8", "surrogatepass") + b"\0")
    h.update(raw)
    return folder / f"{h.hexdigest()}.json"


def _read_cached(entry: Path, name: str) -> Located | None:
    """The cached document, or None for a missing, truncated, corrupted or foreign entry
    (the body's SHA-256 is checked before it is parsed; the caller then parses the file)."""
    import hashlib
    import json

    try:
        blob = entry.read_bytes()
        digest, _, body = blob.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != digest:
            return None
        saved = json.loads(body)
        if saved["format"] != CACHE_FORMAT or saved["file"] != name:
            return None
        positions = {tuple(p): (int(line), int(col)) for p, line, col in saved["positions"]}
        return Located(name, saved["data"], positions, cache_entry=entry,
                       passed=frozenset(saved["passed"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cached(doc: Located) -> None:
    """Write the entry atomically (a unique temporary file, then rename), so a reader never
    sees half an entry and concurrent writers of the same entry cannot corrupt it. A cache
    that cannot be written is skipped: it only ever saves time."""
    import hashlib
    import json
    import os
    import tempfile

    entry = doc.cache_entry
    if entry is None:
        return
    body = json.dumps({"format": CACHE_FORMAT, "file": doc.file, "data": doc.data,
                       "positions": [[list(p), lc[0], lc[1]] for p, lc in
                                     doc.positions.items()],
                       "passed": sorted(doc.passed)}, separators=(",", ":")).encode()
    blob = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    tmp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=entry.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, entry)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def note_passed(doc: Located, check: str) -> None:
    """Record in the cache that this exact content passed ``check`` (a name that must
    change whenever the check's rules do, e.g. one that includes a schema's hash), so the
    next run can skip it: see :attr:`Located.passed`."""
    if doc.cache_entry is None or check in doc.passed:
        return
    doc.passed = doc.passed | {check}
    _write_cached(doc)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is allowed and dropped), or a message that says which
    encoding the file seems to be in and where the first bad byte is."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and (raw[0] == 0) != (
            raw[1] == 0)):
        raise InvalidInput.one(name, "file is not UTF-8 text: it looks like UTF-16; save it "
                               "as UTF-8") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidInput.one(name, f"file is not UTF-8 text (byte {exc.start}, value "
                               f"0x{raw[exc.start]:02x}); save it as UTF-8", line,
                               col) from None
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        raise InvalidInput.one(name, "file contains a NUL character; it is not a text file",
                               line) from None
    return text


def _check_flow_depth(text: str, name: str) -> None:
    """Refuse deeply nested flow collections (``[[[[...``) before parsing: the YAML scanner
    slows quadratically with flow depth, so 10,000 levels would take minutes. Quoted text
    and comments are skipped; a stray bracket in a plain scalar can only add a little."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    quote = ""
    comment = False
    line, col = 1, 0
    prev = "\n"
    for ch in text:
        col += 1
        if ch == "\n":
            line, col, comment = line + 1, 0, False  # quoted scalars may span lines
        elif comment:
            pass
        elif quote:
            if ch == quote and prev != "\\":
                quote = ""
        elif ch in "'\"" and prev in " \t\n[{,:":
            quote = ch
        elif ch == "#" and prev in " \t\n":
            comment = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InvalidInput.one(name, f"nesting deeper than {MAX_DEPTH} levels", line,
                                       col)
        elif ch in "]}" and depth:
            depth -= 1
        prev = ch


_CONSTRUCTOR = None


def _TextDatesConstructor():  # noqa: N802 - returns a class, named like one
    """A round-trip constructor that leaves dates as text: dates are then checked by the
    JSON Schema ``format: date`` rule, which reports an impossible date (2025-02-30) with
    its file, line and column instead of failing inside the YAML library."""
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        from ruamel.yaml.constructor import RoundTripConstructor

        class TextDates(RoundTripConstructor):
            pass

        TextDates.add_constructor("tag:yaml.org,2002:timestamp",
                                  lambda self, node: self.construct_scalar(node))
        _CONSTRUCTOR = TextDates
    return _CONSTRUCTOR


def _plain(node: Any, path: PathKey, doc: Located, budget: list[int]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    budget[0] -= 1
    if budget[0] < 0:
        raise InvalidInput.one(doc.file, f"document has more than {MAX_NODES:,} nodes "
                               "(alias expansion or an oversized file)")
    if len(path) > MAX_DEPTH:
        line, col = doc.where(path)
        raise InvalidInput.one(doc.file, f"nesting deeper than {MAX_DEPTH} levels", line, col)
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            try:
                line, col = node.lc.key(key)
                doc.positions[path + (str(key),)] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            if not isinstance(key, str):
                key = _scalar(key)
                key = key if isinstance(key, str) else str(key)
            key = _text(key, path + (key,), doc)
            out[key] = _plain(value, path + (key,), doc, budget)
        if not path and hasattr(node, "lc"):
            doc.positions.setdefault((), (node.lc.line + 1, node.lc.col + 1))
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            try:
                line, col = node.lc.item(i)
                doc.positions[path + (i,)] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError, IndexError):
                pass
            items.append(_plain(value, path + (i,), doc, budget))
        if not path and hasattr(node, "lc"):
            doc.positions.setdefault((), (node.lc.line + 1, node.lc.col + 1))
        return items
    value = _scalar(node)
    return _text(value, path, doc) if isinstance(value, str) else value


def _text(value: str, path: PathKey, doc: Located) -> str:
    """Text as valid Unicode: ``\\uD83D\\uDE00``-style escape pairs (as JSON writes characters
    outside the Basic Multilingual Plane) are combined; a lone surrogate is refused, since
    it cannot be written to any report."""
    if not any("\ud800" <= ch <= "\udfff" for ch in value):
        return value
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        line, col = doc.where(path)
        raise InvalidInput.one(doc.file, "text contains an unpaired UTF-16 surrogate escape "
                               "(\\uD800-\\uDFFF), which is not a character", line, col,
                               json_path(path)) from None


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    # Tagged or otherwise exotic scalars are kept as text; nothing is ever constructed.
    return str(value)
