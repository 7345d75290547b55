"""Reading a plan catalogue (duty YAML) so one generic check can cover every commitment.

A check declares the exact requirements it covers, so the plan plugin reads the plan's
YAML once, at registration, and lists every ``plan-commitment`` duty's requirements. The
file itself is validated by dutycheck against ``schemas/duty.schema.json`` like any other;
here we only pick out the tags the rule is keyed on (docs/plan-catalogue.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

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
    """The commitments of one or more plan files, and their coverage/quality duties."""

    slug: str
    commitments: list[Commitment] = field(default_factory=list)
    coverage: list[tuple[str, str]] = field(default_factory=list)  # (duty id, req id)
    quality: list[tuple[str, str]] = field(default_factory=list)

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


def read(paths: list[Path], slug: str) -> PlanCatalogue:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        files.extend(sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml"))
                     if p.is_dir() else [p])
    cat = PlanCatalogue(slug)
    yaml = YAML(typ="safe", pure=True)
    for f in files:
        doc = yaml.load(f.read_text(encoding="utf-8"))
        duties = doc.get("duties", [doc]) if isinstance(doc, dict) else []
        for d in duties:
            if not isinstance(d, dict) or d.get("kind") != "plan-commitment":
                continue
            tags = [str(t) for t in d.get("tags", [])]
            # Only requirements left to a plugin: a declarative requirement a partner adds
            # (a strategy document, say) stays with the core rule that evaluates it.
            reqs = tuple(r["id"] for r in d.get("requirements", [])
                         if r.get("kind") == "check"
                         or (r.get("kind") == "measure" and "value" not in r))
            if COVERAGE_TAG in tags:
                cat.coverage.extend((d["id"], r) for r in reqs)
            elif QUALITY_TAG in tags:
                cat.quality.extend((d["id"], r) for r in reqs)
            else:
                cat.commitments.append(Commitment(d["id"], commitment_ref(d["id"], tags),
                                                  tag(tags, "priority") or "unassigned",
                                                  reqs))
    return cat
