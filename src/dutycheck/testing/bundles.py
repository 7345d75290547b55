"""Writing evidence bundles from Python data, for tests and behaviour cases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any


def write_bundle(folder: Path | str, items: list[dict[str, Any]], *,
                 organisation: str = "Test OPCC",
                 period: tuple[str, str] = ("2024-04-01", "2025-03-31"),
                 extra_manifest: dict[str, Any] | None = None) -> Path:
    """Write ``bundle.yaml`` and one file per item into ``folder`` and return the folder.

    Each item is ``{"kind": ..., "rows": [...]}`` (a CSV, columns in first-row order),
    ``{"kind": ..., "data": {...}}`` (a YAML file) or ``{"kind": ..., "text": "..."}``
    (the file verbatim), with optional ``file``, ``id``, ``effective_date`` (default: the
    period end), ``synthetic`` and ``source``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest_items = []
    counts: dict[str, int] = {}
    for item in items:
        kind = item["kind"]
        counts[kind] = counts.get(kind, 0) + 1
        suffix = "" if counts[kind] == 1 else f"-{counts[kind]}"
        if "rows" in item:
            default = f"{kind}{suffix}.csv"
            content = _csv(item["rows"])
        elif "data" in item:
            default = f"{kind}{suffix}.yaml"
            content = json.dumps(item["data"], indent=2, default=str) + "\n"
        else:
            default = f"{kind}{suffix}.txt"
            content = item["text"]
        file = item.get("file", default)
        target = folder / file
        target.parent.mkdir(parents=True, exist_ok=True)
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
        manifest_items.append(entry)
    manifest = {"organisation": organisation,
                "period": {"start": str(period[0]), "end": str(period[1])},
                "prepared_by": {"role": "test"}, "items": manifest_items,
                **(extra_manifest or {})}
    (folder / "bundle.yaml").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


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
