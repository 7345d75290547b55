"""Atomic file writing: a report is either complete on disk or not there at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all. A path that cannot be written
    (its folder is a file, no permission, a read-only disk) is the caller's to fix: a
    usage error naming the path, never a traceback."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, data)
    except OSError as exc:
        from .errors import UsageError

        blocker = next((p for p in path.parents if p.exists()), None)
        why = (f"{blocker} is a file, not a folder" if blocker is not None
               and not blocker.is_dir() else exc.strerror or str(exc))
        raise UsageError(f"cannot write {path}: {why}") from None


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a report is for others to read, so it
        # gets the mode any new file would (the umask's), or the mode of the file replaced.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_names(stem: str, formats: tuple[str, ...] | list[str],
               available: Mapping[str, Any]) -> dict[str, str]:
    """The file each format is written to in an output folder: ``stem.ext``, or
    ``stem.format.ext`` when two chosen formats share an extension (a plugin's Markdown
    format beside the built-in one), so no report silently replaces another."""
    exts = [available[f].extension for f in formats]
    return {f: (f"{stem}.{f}.{ext}" if exts.count(ext) > 1 else f"{stem}.{ext}")
            for f, ext in zip(formats, exts, strict=True)}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
