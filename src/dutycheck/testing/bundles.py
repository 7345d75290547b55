"""Writing evidence bundles from Python data, for tests and behaviour cases."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

#: Evidence files a behaviour case may copy in as they are (``fixture:``).
FIXTURE_SUFFIXES = (".csv", ".xlsx")


def write_bundle(folder: Path | str, items: list[dict[str, Any]], *,
                 organisation: str = "Test OPCC",
                 period: tuple[str, str] = ("2024-04-01", "2025-03-31"),
                 extra_manifest: dict[str, Any] | None = None) -> Path:
    """Write ``bundle.yaml`` and one file per item into ``folder`` and return the folder.

    Each item is ``{"kind": ..., "rows": [...]}`` (a CSV, columns in first-row order),
    ``{"kind": ..., "data": {...}}`` (a YAML file), ``{"kind": ..., "text": "..."}`` (the
    file verbatim) or ``{"kind": ..., "fixture": path}`` (a CSV or XLSX file copied as it
    is, e.g. a real spreadsheet layout), with optional ``file`` (its name in the bundle:
    a relative path that stays inside ``folder``), ``id``, ``effective_date`` (default:
    the period end), ``synthetic``, ``sheet`` (XLSX) and ``source`` (the manifest's source
    mapping).

    Raises ``ValueError`` for a ``file`` that would be written outside ``folder``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest_items = []
    counts: dict[str, int] = {}
    for item in items:
        kind = item["kind"]
        counts[kind] = counts.get(kind, 0) + 1
        suffix = "" if counts[kind] == 1 else f"-{counts[kind]}"
        content: str | bytes
        if "rows" in item:
            default = f"{kind}{suffix}.csv"
            content = _csv(item["rows"])
        elif "data" in item:
            default = f"{kind}{suffix}.yaml"
            content = json.dumps(item["data"], indent=2, default=str) + "\n"
        elif "fixture" in item:
            source = Path(item["fixture"])
            default = f"{kind}{suffix}{source.suffix.lower()}"
            content = source.read_bytes()
        else:
            default = f"{kind}{suffix}.txt"
            content = item["text"]
        file = str(item.get("file", default))
        problem = unsafe_name(file)
        if problem:
            raise ValueError(f"evidence file {file!r} {problem}")
        target = folder / file
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        entry: dict[str, Any] = {
            "kind": kind, "file": file,
            "effective_date": str(item.get("effective_date", period[1])),
            "source": item.get("source", {"document": "test evidence"}),
        }
        if "id" in item or counts[kind] > 1:
            entry["id"] = item.get("id", f"{kind}{suffix.replace('-', '_')}")
        if item.get("synthetic"):
            entry["synthetic"] = True
        if "sheet" in item:
            entry["sheet"] = item["sheet"]
        manifest_items.append(entry)
    manifest = {"organisation": organisation,
                "period": {"start": str(period[0]), "end": str(period[1])},
                "prepared_by": {"role": "test"}, "items": manifest_items,
                **(extra_manifest or {})}
    (folder / "bundle.yaml").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


def unsafe_name(name: str) -> str | None:
    """Why ``name`` cannot name a file inside a bundle folder, or None: a test's evidence
    must never be written over a file outside the temporary bundle it builds."""
    if not name.strip():
        return "is empty"
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", name):
        return "must be a relative path, not an absolute one"
    if ".." in posix.parts:
        return "must not contain '..' (it would be written outside the bundle folder)"
    return None


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
    return buf.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
