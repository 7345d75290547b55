"""Atomic file writing: a report is either complete on disk or not there at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def write_atomic(path: Path, content: str | bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
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
