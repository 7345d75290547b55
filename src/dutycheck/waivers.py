"""Waivers (``waivers.yaml`` in a bundle): accepted, time-limited exceptions.

A waiver overlays a rating without hiding it. It must name who approved it, when, and
when it expires; the expiry may be at most 12 months after approval. An expired waiver
no longer applies and is listed as expired. Problems are reported as ``file:line:col``
and exit 4, like every other input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schemas, yamlsource
from .errors import InvalidInput, Problem

WAIVERS_FILE = "waivers.yaml"
MAX_MONTHS = 12


@dataclass(frozen=True)
class Waiver:
    id: str
    target: str
    reason: str
    approved_by: str
    approved_on: dt.date
    expires: dt.date
    note: str | None = None

    def status(self, as_of: dt.date) -> str:
        if as_of > self.expires:
            return "expired"
        if as_of < self.approved_on:
            return "not yet approved"
        return "active"

    def as_dict(self, as_of: dt.date) -> dict[str, Any]:
        out = {"id": self.id, "target": self.target, "reason": self.reason,
               "approved_by": self.approved_by, "approved_on": self.approved_on.isoformat(),
               "expires": self.expires.isoformat(), "status": self.status(as_of)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class GovernanceFile:
    """A loaded ``waivers.yaml`` or ``actions.yaml``: its records and the file's hash."""

    file: str
    sha256: str
    records: tuple[Any, ...]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 29th-31st fall back to the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def targets_problems(doc: yamlsource.Located, key: str, records: list[dict[str, Any]],
                     known_duties: set[str], known_refs: set[str]) -> list[Problem]:
    """Unknown targets and duplicate ids, shared by waivers and actions."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        target = rec["target"]
        known = target in known_refs if "/" in target else target in known_duties
        if not known:
            what = "requirement" if "/" in target else "duty"
            problems.append(_problem(doc, (key, i, "target"),
                                     f"unknown {what} {target!r}; `dutycheck duties` lists them"))
        if rec["id"] in seen:
            problems.append(_problem(doc, (key, i, "id"), f"duplicate id {rec['id']!r}; first "
                                     f"used at item {seen[rec['id']] + 1}"))
        seen.setdefault(rec["id"], i)
    return problems


def load(folder: Path, known_duties: set[str], known_refs: set[str]) -> GovernanceFile | None:
    """Read ``folder/waivers.yaml`` if there is one."""
    path = Path(folder) / WAIVERS_FILE
    if not path.is_file():
        return None
    shown = str(Path(folder) / WAIVERS_FILE)
    doc = yamlsource.load(path, display=shown)
    schemas.validate(doc, "waivers")
    problems = targets_problems(doc, "waivers", doc.data["waivers"], known_duties, known_refs)
    out: list[Waiver] = []
    for i, raw in enumerate(doc.data["waivers"]):
        approved = dt.date.fromisoformat(raw["approved_on"])
        expires = dt.date.fromisoformat(raw["expires"])
        latest = add_months(approved, MAX_MONTHS)
        if expires < approved:
            problems.append(_problem(doc, ("waivers", i, "expires"),
                                     f"expires {expires} is before approved_on {approved}"))
        elif expires > latest:
            problems.append(_problem(
                doc, ("waivers", i, "expires"),
                f"expires {expires} is more than {MAX_MONTHS} months after approval on "
                f"{approved}; a waiver may run to {latest} at the latest (renew it instead)"))
        out.append(Waiver(raw["id"], raw["target"], raw["reason"], raw["approved_by"],
                          approved, expires, raw.get("note")))
    if problems:
        raise InvalidInput(problems)
    return GovernanceFile(WAIVERS_FILE, hashlib.sha256(path.read_bytes()).hexdigest(),
                          tuple(out))


def _problem(doc: yamlsource.Located, path: tuple, message: str) -> Problem:
    line, col = doc.where(path)
    return Problem(doc.file, message, line, col, yamlsource.json_path(path))
