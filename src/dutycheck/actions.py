"""Management actions (``actions.yaml`` in a bundle): the owner's response to a finding,
carried from one meeting cycle to the next by keeping the same ``id``."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schemas, yamlsource
from .errors import InvalidInput
from .waivers import GovernanceFile, targets_problems

ACTIONS_FILE = "actions.yaml"
OPEN_STATUSES = ("open", "in-progress")


@dataclass(frozen=True)
class Action:
    id: str
    target: str
    response: str
    owner: str
    due: dt.date
    status: str
    updated: dt.date | None = None
    note: str | None = None

    def as_dict(self, as_of: dt.date) -> dict[str, Any]:
        out = {"id": self.id, "target": self.target, "response": self.response,
               "owner": self.owner, "due": self.due.isoformat(), "status": self.status,
               "overdue": self.status in OPEN_STATUSES and self.due < as_of,
               "carried_over": False}
        if self.updated:
            out["updated"] = self.updated.isoformat()
        if self.note:
            out["note"] = self.note
        return out


def load(folder: Path, known_duties: set[str], known_refs: set[str]) -> GovernanceFile | None:
    """Read ``folder/actions.yaml`` if there is one."""
    path = Path(folder) / ACTIONS_FILE
    if not path.is_file():
        return None
    doc = yamlsource.load(path, display=str(Path(folder) / ACTIONS_FILE))
    schemas.validate(doc, "actions")
    problems = targets_problems(doc, "actions", doc.data["actions"], known_duties, known_refs)
    if problems:
        raise InvalidInput(problems)
    out = tuple(
        Action(raw["id"], raw["target"], raw["response"], raw["owner"],
               dt.date.fromisoformat(raw["due"]), raw["status"],
               dt.date.fromisoformat(raw["updated"]) if raw.get("updated") else None,
               raw.get("note"))
        for raw in doc.data["actions"])
    return GovernanceFile(ACTIONS_FILE, hashlib.sha256(path.read_bytes()).hexdigest(), out)
