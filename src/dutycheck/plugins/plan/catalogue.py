"""What the plan rule needs to know about plan duties: which plan a duty belongs to, its
role (a commitment, the coverage matrix, or tracker quality) and the tags the rule is
keyed on (docs/plan-catalogue.md). Duties come from the run (``context.duties``), so a
partner's plan YAML is covered without any code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COVERAGE_TAG = "plan-coverage"
QUALITY_TAG = "plan-tracker-quality"


@dataclass(frozen=True)
class Commitment:
    duty_id: str
    ref: str            # the plan's own reference, e.g. "1.1.1" (the `commitment:` tag)
    priority: str       # `priority:` tag
    requirements: tuple[str, ...]


@dataclass
class PlanCatalogue:
    """The commitments of one plan."""

    key: str
    commitments: list[Commitment] = field(default_factory=list)

    def refs(self) -> set[str]:
        return {c.ref for c in self.commitments}

    def priorities(self) -> dict[str, list[Commitment]]:
        out: dict[str, list[Commitment]] = {}
        for c in self.commitments:
            out.setdefault(c.priority, []).append(c)
        return out


def tag(tags: list[str] | tuple[str, ...], name: str) -> str | None:
    """The value of a ``name:value`` tag, if the duty has one."""
    prefix = name + ":"
    return next((t[len(prefix):] for t in tags if t.startswith(prefix)), None)


def commitment_ref(duty_id: str, tags: list[str] | tuple[str, ...]) -> str:
    """The key a tracker row uses for this commitment: its ``commitment:`` tag, or the
    last part of the duty id when a partner's plan does not tag it."""
    return tag(tags, "commitment") or duty_id.rsplit(".", 1)[-1]


def plan_key(duty: Any) -> str:
    """Which plan a duty belongs to: its ``plan:`` tag, else the file that defines it."""
    return tag(duty.tags, "plan") or duty.file


def role(duty: Any) -> str:
    if COVERAGE_TAG in duty.tags:
        return "coverage"
    if QUALITY_TAG in duty.tags:
        return "quality"
    return "commitment"
