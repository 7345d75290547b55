"""Per-threat evidence, read the same way from YAML assessments and from the spreadsheet.

Data quality is judged here, once, so every check says the same thing: an item dated
outside the reporting period (or after the assessment date) is not counted and is named;
a threat assessed in more than one evidence item is combined and flagged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dutycheck import Context, Evidence, NotEvidenced

from .threats import IDS, title

ASSESSMENT = "spr_threat_assessment"
TABLE = "spr_threats"

# Strongest first: what the matrix shows as "strongest evidence".
STRENGTH = ("outcome-measure", "inspection", "exercise", "self-assessment", "scrutiny",
            "governance", "resources", "collaboration", "named-lead")
LABELS = {
    "outcome-measure": "outcome measures", "inspection": "inspection findings",
    "exercise": "exercises or tests", "self-assessment": "a force self-assessment",
    "scrutiny": "PCC scrutiny", "governance": "a governance forum and its meetings",
    "resources": "resources", "collaboration": "regional or national collaboration",
    "named-lead": "a named lead",
}
# The same headings as they read after "no" in a gap.
GAP_LABELS = {
    "outcome-measure": "outcome measures", "inspection": "inspection findings",
    "exercise": "exercises", "self-assessment": "force self-assessment",
    "scrutiny": "PCC scrutiny", "governance": "governance forum or meetings",
    "resources": "resources", "collaboration": "regional or national collaboration",
    "named-lead": "named lead",
}
# What the matrix lists as a gap when missing (the capacity-and-capability headings the
# issue names; inspection and self-assessment strengthen but are not expected for all).
EXPECTED = ("named-lead", "governance", "resources", "collaboration", "exercise",
            "outcome-measure")


@dataclass
class Record:
    """One evidence item about one threat."""

    threat: str
    type: str  # an EVIDENCE_TYPES value, or "narrative"
    title: str
    ref: dict[str, Any]
    date: dt.date | None = None
    measures: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None


@dataclass
class ThreatEvidence:
    threat: str
    records: list[Record] = field(default_factory=list)
    excluded: list[tuple[Record, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # item ids that speak to the threat
    force_rating: str | None = None

    @property
    def title(self) -> str:
        return title(self.threat)

    @property
    def narrative(self) -> list[Record]:
        return [r for r in self.records if r.type == "narrative"]

    @property
    def supporting(self) -> list[Record]:
        return [r for r in self.records if r.type != "narrative"]

    @property
    def types(self) -> list[str]:
        present = {r.type for r in self.supporting}
        return [t for t in STRENGTH if t in present]

    @property
    def addressed(self) -> bool:
        return bool(self.records or self.excluded)

    @property
    def duplicated(self) -> bool:
        return len(self.sources) > 1

    def quality_notes(self) -> list[str]:
        notes = []
        if self.duplicated:
            notes.append(f"the threat is assessed in {len(self.sources)} evidence items ("
                         + ", ".join(self.sources) + "), which have been combined")
        for rec, why in self.excluded:
            notes.append(f"{rec.title!r} ({_where(rec)}) was not counted: {why}")
        return notes


@dataclass
class SprEvidence:
    threats: dict[str, ThreatEvidence]

    @property
    def any(self) -> bool:
        return any(t.addressed for t in self.threats.values())

    @property
    def usable(self) -> bool:
        return any(t.records for t in self.threats.values())

    def refs(self) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for t in self.threats.values():
            for r in t.records + [rec for rec, _ in t.excluded]:
                base = {k: v for k, v in r.ref.items() if k != "at"}
                seen.setdefault(base["item"], base)
        return [seen[k] for k in sorted(seen)]


def collect(evidence: Evidence, context: Context) -> SprEvidence:
    """Every threat's evidence from both forms. Raises nothing; an empty result means the
    bundle holds no SPR threat evidence. Stale items are recorded as not counted."""
    out = {tid: ThreatEvidence(tid) for tid in IDS}
    for item in evidence.items(ASSESSMENT):
        data = item.data
        te = out[data["threat"]]
        te.sources.append(item.id)
        why = context.stale(item)
        if why:
            te.excluded.append((Record(te.threat, "assessment", f"{data['threat']} assessment",
                                       item.ref()), why))
            continue
        if data.get("force_rating"):
            te.force_rating = data["force_rating"]
        if data.get("narrative", "").strip():
            _add(te, Record(te.threat, "narrative", "published narrative",
                            item.ref("narrative"), source=data.get("source")), context)
        for i, ev in enumerate(data.get("evidence", [])):
            date = dt.date.fromisoformat(ev["date"]) if ev.get("date") else None
            _add(te, Record(te.threat, ev["type"], ev["title"], item.ref(f"evidence[{i}]"),
                            date, list(ev.get("measures", [])), ev.get("source")), context)
    for item in evidence.items(TABLE):
        rows = item.table.query(
            "SELECT __row, threat, evidence_type, title, date, measure, value, previous_value, "
            "unit, force_rating, source FROM {table} ORDER BY __row")
        why = context.stale(item)
        if why:
            for (threat,) in item.table.query("SELECT DISTINCT threat FROM {table} ORDER BY 1"):
                out[threat].sources.append(item.id)
                out[threat].excluded.append((Record(threat, "table", f"{threat} rows",
                                                    item.ref()), why))
            continue
        seen_here: set[str] = set()
        grouped: dict[tuple[str, str, str, Any], Record] = {}
        for (row, threat, etype, ttl, date, measure, value, previous, unit, force_rating,
             source) in rows:
            te = out[threat]
            if threat not in seen_here:
                seen_here.add(threat)
                te.sources.append(item.id)
            if force_rating:
                te.force_rating = force_rating
            key = (threat, etype, ttl, date)
            if etype == "outcome-measure" and key in grouped:
                # Several measures of one outcome item share its title and date.
                rec = grouped[key]
                rec.ref["at"] += f", {row}"
            else:
                rec = Record(threat, etype, ttl, item.ref(f"row {row}"), date, [], source)
                grouped[key] = rec
                _add(te, rec, context)
            if measure and value is not None:
                m = {"name": measure, "value": value}
                if previous is not None:
                    m["previous_value"] = previous
                if unit:
                    m["unit"] = unit
                rec.measures.append(m)
    return SprEvidence(out)


def require_any(spr: SprEvidence) -> None:
    """Not evidenced unless some SPR threat evidence can be counted."""
    if not spr.any:
        raise NotEvidenced(f"the bundle has no SPR threat evidence ({ASSESSMENT} or {TABLE} "
                           "item)")
    if not spr.usable:
        first = next(why for t in spr.threats.values() for _, why in t.excluded)
        raise NotEvidenced(f"no SPR threat evidence can be counted: {first}")


def _add(te: ThreatEvidence, rec: Record, context: Context) -> None:
    if rec.date is not None:
        if rec.date > context.as_of:
            te.excluded.append((rec, f"dated {rec.date}, after the assessment date "
                                     f"{context.as_of}"))
            return
        if not context.period_start <= rec.date <= context.period_end:
            te.excluded.append((rec, f"dated {rec.date}, outside the period "
                                     f"{context.period_start} to {context.period_end}"))
            return
    te.records.append(rec)


def _where(rec: Record) -> str:
    at = rec.ref.get("at")
    return f"{rec.ref['file']} {at}" if at else rec.ref["file"]


def describe_record(rec: Record) -> str:
    """A short phrase for the matrix: the item and, for outcome measures, the figures."""
    if rec.type == "outcome-measure" and rec.measures:
        figures = "; ".join(_measure(m) for m in rec.measures)
        return f"{rec.title} ({figures})"
    return rec.title


def _measure(m: dict[str, Any]) -> str:
    value = _num(m["value"])
    unit = f" {m['unit']}" if m.get("unit") else ""
    text = f"{value}{unit} {m['name']}"
    if "previous_value" in m:
        change = m["value"] - m["previous_value"]
        sign = "+" if change >= 0 else "-"
        text += f" (previous year {_num(m['previous_value'])}, {sign}{_num(abs(change))})"
    return text


def _num(x: float | int) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)
