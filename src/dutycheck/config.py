"""The run configuration (``--config``): per-organisation overrides with their basis."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schemas, yamlsource
from .catalogue import Override

# England and Wales bank holidays (GOV.UK "UK bank holidays"), used by working_days().
# Basis: official. A config file may replace the list.
ENGLAND_AND_WALES_BANK_HOLIDAYS = (
    "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
    "2023-08-28", "2023-12-25", "2023-12-26",
    "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
    "2024-12-25", "2024-12-26",
    "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
    "2025-12-25", "2025-12-26",
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
    "2026-12-25", "2026-12-28",
)


@dataclass
class RunConfig:
    overrides: dict[str, Override] = field(default_factory=dict)
    opinion: dict[str, Any] = field(default_factory=dict)
    bank_holidays: tuple[str, ...] = ENGLAND_AND_WALES_BANK_HOLIDAYS
    grace_days: int = 0
    allow_plugins: tuple[str, ...] | None = None
    check_timeout: float = 60.0  # seconds one check may run (checks.timeout_seconds)
    file: tuple[str, str] | None = None  # (display path, sha256)

    def as_report_dict(self) -> dict[str, Any]:
        return {"opinion": self.opinion}


def load(path: Path | None) -> RunConfig:
    if path is None:
        return RunConfig()
    shown = str(path)
    doc = yamlsource.load(path, display=shown)
    cfg = from_document(doc)
    cfg.file = (shown, hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return cfg


def from_data(data: dict[str, Any] | None, display: str = "<config>") -> RunConfig:
    """A run configuration from an in-memory mapping (tests, behaviour cases)."""
    return from_document(yamlsource.Located(display, data or {}))


def from_document(doc: yamlsource.Located) -> RunConfig:
    if doc.data is None:
        doc.data = {}
    schemas.validate(doc, "config")
    data = doc.data
    overrides = {
        ref: Override(fields={k: v for k, v in body.items() if k not in ("basis", "reason")},
                      basis=body["basis"], reason=body["reason"], file=doc.file)
        for ref, body in data.get("overrides", {}).items()
    }
    cal = data.get("calendar", {})
    return RunConfig(
        overrides=overrides, opinion=data.get("opinion", {}),
        bank_holidays=tuple(cal.get("bank_holidays", ENGLAND_AND_WALES_BANK_HOLIDAYS)),
        grace_days=data.get("evidence", {}).get("grace_days", 0),
        allow_plugins=(tuple(data["plugins"]["allow"]) if "allow" in data.get("plugins", {})
                       else None),
        check_timeout=float(data.get("checks", {}).get("timeout_seconds", 60)),
    )
