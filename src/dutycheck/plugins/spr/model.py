"""Per-threat evidence, read the same way from YAML assessments and from the spreadsheet.

Data quality is judged here, once, so every check says the same thing: an item dated
outside the reporting period (or after the assessment date) is not counted and is named;
an outcome-measure item with no figures is not counted and is named; a spreadsheet row
whose figures cannot be read (a value with no measure name, a measure with no value) is
named rather than dropped; a threat with more than one published narrative (two YAML
assessments, or two narrative rows) is combined and flagged. Both forms give the same
records, so they give the same ratings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dutycheck import Context, Evidence, EvidenceItem, NotEvidenced

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
DIRECTIONS = ("higher-is-better", "lower-is-better")
NO_FIGURES = "an outcome-measure item needs at least one measure (a name and a value)"
FIGURES_ELSEWHERE = ("gives figures, but only an outcome-measure item's figures are read; "
                     "they were not read")


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

    @property
    def proxy_only(self) -> bool:
        """Every figure is a stand-in for what cannot be measured (the source says so)."""
        return bool(self.measures) and all(m.get("proxy") for m in self.measures)


def fell(m: dict[str, Any]) -> bool:
    """Whether a measure moved the wrong way against its previous-year figure. A measure
    with no previous figure or no stated direction is not judged."""
    if m.get("previous_value") is None or m.get("direction") not in DIRECTIONS:
        return False
    if m["direction"] == "higher-is-better":
        return m["value"] < m["previous_value"]
    return m["value"] > m["previous_value"]


@dataclass
class ThreatEvidence:
    threat: str
    records: list[Record] = field(default_factory=list)
    excluded: list[tuple[Record, str]] = field(default_factory=list)
    flagged: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # rows not read
    sources: list[str] = field(default_factory=list)  # item ids that speak to the threat
    empty: list[dict[str, Any]] = field(default_factory=list)  # naming only the threat
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
        """More than one published narrative: the threat is assessed more than once."""
        return len(self.narrative) > 1

    def problems(self) -> int:
        """Records or rows that could not be used as given (the data-quality count)."""
        extra = len(self.narrative) - 1 if self.duplicated else 0
        return len(self.excluded) + len(self.flagged) + len(self.empty) + extra

    def quality_notes(self) -> list[str]:
        notes = []
        if self.duplicated:
            notes.append(f"the threat has {len(self.narrative)} published narratives ("
                         + ", ".join(_cite(r.ref) for r in self.narrative)
                         + "); one assessment per threat is expected, so they have been "
                           "combined")
        for rec, why in self.excluded:
            notes.append(f"{rec.title!r} ({_where(rec.ref)}) was not counted: {why}")
        for why, ref in self.flagged:
            notes.append(f"{_where(ref)}: {why}")
        for ref in self.empty:
            notes.append(f"{ref['item']} names the threat but gives no narrative and no "
                         "evidence item")
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

    def refs(self, flagged: bool = False) -> list[dict[str, Any]]:
        """One reference per item read (with ``flagged``, also items only named in data
        quality notes)."""
        seen: dict[str, dict[str, Any]] = {}
        for t in self.threats.values():
            refs = [r.ref for r in t.records] + [rec.ref for rec, _ in t.excluded]
            if flagged:
                refs += [ref for _, ref in t.flagged] + t.empty
            for ref in refs:
                base = {k: v for k, v in ref.items() if k != "at"}
                seen.setdefault(base["item"], base)
        return [seen[k] for k in sorted(seen)]


def collect(evidence: Evidence, context: Context) -> SprEvidence:
    """Every threat's evidence from both forms. Raises nothing; an empty result means the
    bundle holds no SPR threat evidence. Stale items are recorded as not counted."""
    out = {tid: ThreatEvidence(tid) for tid in IDS}
    for item in evidence.items(ASSESSMENT):
        _read_assessment(item, out[item.data["threat"]], context)
    for item in evidence.items(TABLE):
        _read_table(item, out, context)
    return SprEvidence(out)


def _read_assessment(item: EvidenceItem, te: ThreatEvidence, context: Context) -> None:
    data = item.data
    te.sources.append(item.id)
    why = context.stale(item)
    if why:
        te.excluded.append((Record(te.threat, "assessment", f"{te.threat} assessment",
                                   item.ref()), why))
        return
    if data.get("force_rating"):
        te.force_rating = data["force_rating"]
    narrative = data.get("narrative", "").strip()
    evidence = data.get("evidence", [])
    if not narrative and not evidence:
        te.empty.append(item.ref())
        return
    if narrative:
        _add(te, Record(te.threat, "narrative", "published narrative", item.ref("narrative"),
                        source=data.get("source")), context)
    for i, ev in enumerate(evidence):
        date = dt.date.fromisoformat(ev["date"]) if ev.get("date") else None
        ref = item.ref(f"evidence[{i}]")
        measures = [dict(m) for m in ev.get("measures", [])]
        if measures and ev["type"] != "outcome-measure":
            te.flagged.append((FIGURES_ELSEWHERE, ref))
            measures = []
        # The schema requires figures on an outcome-measure item.
        _add(te, Record(te.threat, ev["type"], ev["title"], ref, date, measures,
                        ev.get("source")), context)


def _read_table(item: EvidenceItem, out: dict[str, ThreatEvidence], context: Context) -> None:
    assert item.table is not None
    why = context.stale(item)
    if why:
        for (threat,) in item.table.query("SELECT DISTINCT threat FROM {table} ORDER BY 1"):
            out[threat].sources.append(item.id)
            out[threat].excluded.append((Record(threat, "table", f"{threat} rows",
                                                item.ref()), why))
        return
    rows = item.table.query(
        "SELECT __row, threat, evidence_type, title, date, measure, value, previous_value, "
        "unit, direction, proxy, force_rating, source FROM {table} ORDER BY __row")
    # Several rows of one outcome-measure item (same threat, title and date) are its
    # measures; every other row is an item of its own.
    records: list[tuple[Record, list[int]]] = []
    outcome: dict[tuple[str, str, Any], tuple[Record, list[int]]] = {}
    for (row, threat, etype, ttl, date, measure, value, previous, unit, direction, proxy,
         force_rating, source) in rows:
        te = out[threat]
        if item.id not in te.sources:
            te.sources.append(item.id)
        if force_rating:
            te.force_rating = force_rating
        figures = measure is not None or value is not None or previous is not None
        if etype != "outcome-measure":
            records.append((Record(threat, etype, ttl, {}, date, [], source), [row]))
            if figures:
                te.flagged.append((FIGURES_ELSEWHERE, item.ref(rows=[row])))
            continue
        key = (threat, ttl, date)
        if key not in outcome:
            outcome[key] = (Record(threat, etype, ttl, {}, date, [], source), [])
            records.append(outcome[key])
        rec, numbers = outcome[key]
        numbers.append(row)
        if measure is not None and value is not None:
            m: dict[str, Any] = {"name": measure, "value": value}
            for k, v in (("previous_value", previous), ("unit", unit),
                         ("direction", direction), ("proxy", proxy)):
                if v is not None:
                    m[k] = v
            rec.measures.append(m)
        elif measure is not None:
            te.flagged.append((f"the measure {measure!r} has no value; it was not read",
                               item.ref(rows=[row])))
        elif value is not None:
            te.flagged.append((f"the value {_num(value)} has no measure name; it was not read",
                               item.ref(rows=[row])))
        elif previous is not None:
            te.flagged.append(("a previous value with no measure name or value; it was not "
                               "read", item.ref(rows=[row])))
    for rec, numbers in records:
        rec.ref = item.ref(rows=numbers)
        te = out[rec.threat]
        if rec.type == "outcome-measure" and not rec.measures:
            te.excluded.append((rec, NO_FIGURES))
        else:
            _add(te, rec, context)


def require_any(spr: SprEvidence) -> None:
    """Not evidenced unless some SPR threat evidence can be counted; says what is missing."""
    if not spr.any:
        empty = [ref["item"] for t in spr.threats.values() for ref in t.empty]
        if empty:
            raise NotEvidenced("the SPR evidence (" + ", ".join(sorted(set(empty)))
                               + ") names threats but gives no narrative and no evidence "
                                 "item for any of them")
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


def _where(ref: dict[str, Any]) -> str:
    at = ref.get("at")
    return f"{ref['file']} {at}" if at else ref["file"]


def _cite(ref: dict[str, Any]) -> str:
    at = ref.get("at")
    return f"{ref['item']} ({at})" if at else ref["item"]


def describe_record(rec: Record) -> str:
    """A short phrase for the matrix: the item and, for outcome measures, the figures."""
    if rec.type == "outcome-measure" and rec.measures:
        figures = "; ".join(describe_measure(m) for m in rec.measures)
        return f"{rec.title} ({figures})"
    return rec.title


def describe_measure(m: dict[str, Any]) -> str:
    value = _num(m["value"])
    unit = m.get("unit")
    text = f"{value}{unit} {m['name']}" if unit == "%" else \
        f"{value}{' ' + unit if unit else ''} {m['name']}"
    if m.get("previous_value") is not None:
        change = m["value"] - m["previous_value"]
        sign = "+" if change >= 0 else "-"
        text += f" (previous year {_num(m['previous_value'])}, {sign}{_num(abs(change))})"
    if m.get("proxy"):
        text += " [proxy]"
    return text


def _num(x: float | int) -> str:
    """A figure as a report prints it: 28,129; 93.4; 1.8 (not 1.8000000000000114)."""
    if isinstance(x, float):
        x = round(x, 6)
        if not x.is_integer():
            return str(x)
        x = int(x)
    return f"{x:,}"
