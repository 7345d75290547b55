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
MAX_DEPTH = 64
MAX_NODES = 250_000

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """A loaded document: plain data plus the position of every node (1-based)."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

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


def load(path: Path | str, *, display: str | None = None, max_bytes: int = MAX_BYTES) -> Located:
    """Load one YAML or JSON file; any problem becomes :class:`InvalidInput` (exit 4)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    path = Path(path)
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput.one(name, f"cannot read file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise InvalidInput.one(name, f"file is {size:,} bytes; the limit for YAML/JSON is "
                               f"{max_bytes:,} bytes")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.one(name, f"file is not UTF-8 text (byte {exc.start})") from None

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
        return items
    return _scalar(node)


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
