"""A plain-language view of the canonical report, shared by the HTML, PDF and CSV formats.

Everything here is derived from the report dictionary alone, so a report re-rendered from
its sealed JSON gives the same output byte for byte. Audience rules live here too: the
Panel view never shows evidence file paths or restricted detail.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath
from typing import Any

from .text import (
    basis_label,
    basis_words,
    catalogue_basis,
    catalogue_threshold_text,
    comparator_text,
    override_note,
    override_of,
    override_short,
    override_was,
    threshold_text,
    value_text,
)

RATINGS = ["Red", "Amber", "Green", "Not evidenced", "Not assessed", "Not due", "Error"]
SLUG = {"Green": "green", "Amber": "amber", "Red": "red", "Not evidenced": "not-evidenced",
        "Not due": "not-due", "Not assessed": "not-assessed", "Error": "error"}
OPINION_SLUG = {"Substantial": "substantial", "Reasonable": "reasonable", "Limited": "limited",
                "No assurance": "none", "No opinion": "no-opinion"}
AUDIENCE = {"panel": "Police and Crime Panel", "jac": "Joint Audit Committee"}
ARROW = {"improving": "▲ improving", "worsening": "▼ worsening", "stable": "► stable",
         "not comparable": "no comparison"}
CHANGE_WORDS = {"improved": "improved", "worsened": "worsened", "unchanged": "unchanged",
                "changed": "changed", "new": "new since the previous report",
                "lost evidence": "lost evidence", "newly evidenced": "newly evidenced",
                "now due": "now due"}
#: Within an area the exceptions come first (worst first), Green after them; duties not
#: yet due are listed in one compact table at the end of the area.
DUTY_ORDER = ("Error", "Red", "Amber", "Not evidenced", "Not assessed", "Green")
RAG = ("Green", "Amber", "Red")

# Internal citations of the seed documents ("(000 L1154)", "seed 001 line 287") that
# plugins and sample evidence carry into reasons and titles: kept in the JAC paper (the
# audit trail), left out of the public Panel paper, where they read as jargon.
_CITE = (r"(?:seed\s+\d{3}\s+(?:L|lines?\s+)\d+(?:\s*[-\u2013]\s*L?\d+)?"
         r"|\b\d{3}\s+L\d+(?:\s*[-\u2013]\s*L?\d+)?)")
_CITES = rf"{_CITE}(?:\s*[;,]\s*{_CITE})*"
_SOURCE_NOTES = [
    (re.compile(rf"\s*Source:\s*{_CITES}\.?"), ""),
    (re.compile(rf"\s*\(\s*{_CITES}\s*\)"), ""),
    (re.compile(rf"\s*[;,]\s*[^;,()]*?{_CITES}"), ""),
    (re.compile(rf"\s*(?:to agree with|as described at|described at|at|see)?\s*{_CITES}"), ""),
    (re.compile(r"\(\s*\)"), ""),
    (re.compile(r" {2,}"), " "),
]


def strip_source_notes(text: str) -> str:
    """``text`` without seed-document line citations (see ``_SOURCE_NOTES``)."""
    if "seed" not in text and " L" not in text:
        return text
    for pattern, repl in _SOURCE_NOTES:
        text = pattern.sub(repl, text)
    return text


def _strip_all(value: Any) -> Any:
    if isinstance(value, str):
        return strip_source_notes(value)
    if isinstance(value, dict):
        return {k: _strip_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_all(v) for v in value]
    return value


def for_audience(report: dict[str, Any]) -> dict[str, Any]:
    """The report as its audience's paper shows it: the Panel paper without the seed line
    citations (the JAC paper, and the sealed JSON, keep them). Every format calls this, so
    a re-render from the JSON still gives the same bytes."""
    if report.get("audience") != "panel":
        return report
    return _strip_all(report)


def exceptions_first(duty_ids: list[str], duties: dict[str, Any]) -> tuple[list[str], list[str]]:
    """An area's duties in reading order: exceptions (worst first) then Green, each group
    in catalogue order; and, apart, the duties not yet due."""
    rank = {r: i for i, r in enumerate(DUTY_ORDER)}
    due = [i for i in duty_ids if duties[i]["rating"] != "Not due"]
    due.sort(key=lambda i: rank.get(duties[i]["rating"], len(rank)))
    return due, [i for i in duty_ids if duties[i]["rating"] == "Not due"]


def extra_reasons(duty: dict[str, Any]) -> list[str]:
    """The requirement reasons to list under a duty: those its own reason does not already
    say (a duty's reason repeats the first requirement that set its rating)."""
    said = duty["reason"]
    out = []
    for r in duty["requirements"]:
        text = r["reason"]
        if text and (text in said or text[1:] in said):
            continue
        out.append(text)
    return out


def change_kind(before: str | None, after: str, change: str) -> str:
    """A duty's rating change as the summary groups it: a rating lost to Not evidenced is
    "lost evidence" (a gap in assurance, not an unexplained "change"), the reverse "newly
    evidenced", and a duty that was not due before is "now due", whatever it is now."""
    if change != "changed" or before is None:
        return change
    if before in RAG and after == "Not evidenced":
        return "lost evidence"
    if before == "Not evidenced" and after in RAG:
        return "newly evidenced"
    if before == "Not due":
        return "now due"
    return change


def travel_summary(report: dict[str, Any]) -> dict[str, Any] | None:
    """Direction of travel for the summary: the headline counts (lost evidence and now due
    apart from other changes), the changes a committee must see first (worsened, lost
    evidence), and one line for the duties that fell due since the previous report."""
    t = report.get("travel")
    if not t:
        return None
    c = dict(t["duties"])
    groups: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "worsened", "lost evidence", "improved", "newly evidenced", "now due", "changed")}
    for ch in t["rating_changes"]:
        kind = change_kind(ch["from"], ch["to"], ch["change"])
        groups.setdefault(kind, []).append({**ch, "kind": kind})
    other = c.get("changed", 0) - sum(len(groups[k]) for k in (
        "lost evidence", "newly evidenced", "now due"))
    duty_s = lambda n: "duty" if n == 1 else "duties"  # noqa: E731
    parts = [f"{c['worsened']} {duty_s(c['worsened'])} worsened"]
    if groups["lost evidence"]:
        n = len(groups["lost evidence"])
        parts.append(f"{n} lost evidence (rated before, not evidenced now)")
    parts.append(f"{c['improved']} improved")
    if groups["newly evidenced"]:
        parts.append(f"{len(groups['newly evidenced'])} newly evidenced (not evidenced before, "
                     "rated now)")
    parts.append(f"{c['unchanged']} unchanged")
    if groups["now due"]:
        parts.append(f"{len(groups['now due'])} now due (not due before)")
    if other:
        parts.append(f"{other} changed between other states")
    if c.get("new"):
        parts.append(f"{c['new']} new")
    headline = (f"Since the previous report (as of {long_date(t['baseline']['as_of'])}): "
                + ", ".join(parts) + ".")
    now_due = None
    if groups["now due"]:
        by = {}
        for ch in groups["now due"]:
            by[ch["to"]] = by.get(ch["to"], 0) + 1
        rated = ", ".join(f"{n} {r}" for r, n in sorted(
            by.items(), key=lambda kv: RATINGS.index(kv[0]) if kv[0] in RATINGS else 99))
        n = len(groups["now due"])
        now_due = (f"{n} {duty_s(n)} not due at the previous report {'is' if n == 1 else 'are'}"
                   f" now due and rated: {rated}.")
    top = groups["worsened"] + groups["lost evidence"]
    rest = len(t["rating_changes"]) - len(top)
    return {"headline": headline, "top": top, "now_due": now_due,
            "rest": rest, "groups": groups}


def target_title(report: dict[str, Any], target: str) -> str:
    """A waiver's or action's target ("duty.id/requirement") by its titles, for the Panel
    paper, which shows no machine ids."""
    duty_id, _, req_id = target.partition("/")
    duty = next((d for d in report["duties"] if d["id"] == duty_id), None)
    if duty is None:
        return target
    req = next((r for r in duty["requirements"] if r["id"] == req_id), None) if req_id \
        else None
    return f"{duty['title']}: {req['title']}" if req else duty["title"]


def key_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The Red duties, in paper order, for the summary's key findings."""
    duties = {d["id"]: d for d in report["duties"]}
    out = []
    for a in report["areas"]:
        for duty_id in a["duties"]:
            d = duties[duty_id]
            if d["rating"] == "Red":
                out.append({"d": d, "area": a["title"],
                            "anchor": "duty-" + d["id"].replace(".", "-")})
    return out


def not_due_why(duty: dict[str, Any]) -> str:
    """Why a duty is not yet due, without the requirement's title the engine puts first
    ("Delivery is reported ...: not due; the duty applies from ...")."""
    reason = duty["reason"]
    _, sep, why = reason.partition(": not due; ")
    if not sep:
        return reason
    return why[:1].upper() + why[1:]


def not_due_rows(area_n: int, ids: list[str], duties: dict[str, Any],
                 start: int) -> tuple[list[dict[str, Any]], str | None]:
    """The area's compact Not due table: number, duty and why; when every row has the same
    reason it is said once (returned apart) instead of on every row."""
    rows = [{"n": f"{area_n}.{m}", "d": duties[i], "anchor": "duty-" + i.replace(".", "-"),
             "why": not_due_why(duties[i])} for m, i in enumerate(ids, start=start)]
    whys = {r["why"] for r in rows}
    return rows, (whys.pop() if len(rows) > 1 and len(whys) == 1 else None)


def basis_cell(req: dict[str, Any], plain: bool) -> str:
    """" (basis)" after a threshold: the catalogue key in the audit paper, words in the
    public paper, which leaves it out where there is no threshold to qualify."""
    words = basis_words(req.get("basis"), plain)
    if not words or (plain and threshold_text(req, plain) == "-"):
        return ""
    return f" ({words})"


def due_count(area: dict[str, Any]) -> int:
    """Duties in an area that fell due (the assurance opinion's "of N duties")."""
    return len(area["duties"]) - area["counts"].get("Not due", 0)


# Each rating's icon, drawn inline in every badge (never a <use> of a shared symbol, which
# WeasyPrint does not draw in the PDF) in the badge's own text colour.
_ICON_SHAPES = {
    "green": ("#005a30", '<circle cx="8" cy="8" r="7" fill="none" stroke="{c}" '
              'stroke-width="2"/><path d="M4.5 8.3l2.3 2.3 4.7-5" fill="none" stroke="{c}" '
              'stroke-width="2.2"/>'),
    "amber": ("#594d00", '<path d="M8 1.5l7 13H1z" fill="none" stroke="{c}" '
              'stroke-width="1.8" stroke-linejoin="round"/><path d="M8 6v4.2M8 11.6v1.6" '
              'stroke="{c}" stroke-width="2"/>'),
    "red": ("#942514", '<rect x="1.5" y="1.5" width="13" height="13" fill="{c}"/>'
            '<path d="M5 5l6 6M11 5l-6 6" stroke="#ffffff" stroke-width="2.2"/>'),
    "not-evidenced": ("#383f43", '<circle cx="8" cy="8" r="6.8" fill="none" stroke="{c}" '
                      'stroke-width="1.6" stroke-dasharray="2.4 1.6"/><path d="M6 6.2a2 2 0 '
                      '1 1 2.6 1.9c-.5.2-.6.5-.6 1.1v.6M8 11.3v1.4" fill="none" stroke="{c}" '
                      'stroke-width="1.7"/>'),
    "not-assessed": ("#3d2375", '<circle cx="8" cy="8" r="6.8" fill="none" stroke="{c}" '
                     'stroke-width="1.6"/><path d="M4.5 8h7" stroke="{c}" '
                     'stroke-width="2"/>'),
    "not-due": ("#383f43", '<circle cx="8" cy="8" r="6.8" fill="none" stroke="{c}" '
                'stroke-width="1.6"/><path d="M8 4v4.3l2.8 1.8" fill="none" stroke="{c}" '
                'stroke-width="1.8"/>'),
    "error": ("#ffffff", '<path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z" fill="{c}"/>'
              '<path d="M8 4v5M8 10.8v1.6" stroke="#942514" stroke-width="2"/>'),
}
ICONS = {slug: ('<svg class="icon" width="16" height="16" viewBox="0 0 16 16" '
                'aria-hidden="true" focusable="false">' + shape.format(c=colour) + "</svg>")
         for slug, (colour, shape) in _ICON_SHAPES.items()}


def long_date(text: str | None) -> str:
    if not text:
        return "-"
    d = dt.date.fromisoformat(text)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def period_text(report: dict[str, Any]) -> str:
    p = report["period"]
    span = f"{long_date(p['start'])} to {long_date(p['end'])}"
    return f"{p['label']} ({span})" if p.get("label") else span


def travel_text(req: dict[str, Any]) -> str:
    t = req.get("travel")
    if not t:
        return ""
    if t["previous_value"] is None and t["previous_rating"] is None:
        return "new measure (no previous value)"
    parts = []
    if t["previous_value"] is not None:
        unit = req.get("unit") or ""
        parts.append(f"was {value_text({'value': t['previous_value'], 'unit': unit})}")
    if t["change"] is not None:
        sign = "+" if t["change"] > 0 else ("−" if t["change"] < 0 else "±")
        parts.append(f"change {sign}{number(abs(t['change']))}")
    if t.get("materiality") is not None and t["change"] is not None:
        parts.append(f"materiality {number(t['materiality'])}")
    head = ARROW.get(t["direction"], t["direction"])
    if t["previous_rating"] and t["previous_rating"] != req["rating"]:
        parts.append(f"rating was {t['previous_rating']}")
    return head + (": " + ", ".join(parts) if parts else "")


def evidence_items(req: dict[str, Any], audience: str) -> list[str]:
    out: list[str] = []
    for r in req.get("evidence") or []:
        if "sql" in r:
            continue
        if audience == "panel":
            s = r.get("document") or r.get("kind", "?")
            s += f", dated {long_date(r.get('effective_date'))}"
        else:
            s = r.get("file", "?")
            if r.get("at"):
                s += f" ({r['at']})"
            if r.get("sha256"):
                s += f" — SHA-256 {r['sha256'][:12]}…"
        if r.get("synthetic"):
            s += " [synthetic data]"
        if s not in out:
            out.append(s)
    return out


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def coverage_text(report: dict[str, Any]) -> str:
    """How many duties were rated against the evidence, and how many were not yet due or
    not evidenced (the counts table in words; the Markdown, HTML and console agree)."""
    c = report["counts"]["duties"]
    total = sum(c.values())
    not_due = c.get("Not due", 0)
    due = total - not_due
    red, amber, green = c.get("Red", 0), c.get("Amber", 0), c.get("Green", 0)
    gaps = c.get("Not evidenced", 0)
    parts = [f"{red + amber + green} {_was(red + amber + green)} rated against the evidence "
             f"bundle ({red} Red, {amber} Amber, {green} Green)",
             f"{gaps} {_was(gaps)} not evidenced (the evidence was missing, unreadable or out "
             "of date)"]
    if c.get("Not assessed"):
        parts.append(f"{c['Not assessed']} {_was(c['Not assessed'])} not assessed (no check "
                     "covers it)")
    if c.get("Error"):
        parts.append(f"{c['Error']} could not be rated because a check failed")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    if not_due:
        return (f"Of the {_plural(total, 'duty', 'duties')} in this report, {not_due} "
                f"{'is' if not_due == 1 else 'are'} not yet due and so not rated. Of the "
                f"{due} that {_was(due)} due, {listed}.")
    return f"All {_plural(total, 'duty', 'duties')} in this report were due: {listed}."


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def config_name(override: dict[str, Any], audience: str) -> str:
    """The run configuration file as the paper names it: its name only in the public Panel
    paper (the JAC paper has the recorded path, as in its inputs table)."""
    file = str(override.get("file") or "")
    if not file:
        return "run configuration"
    return PurePath(file).name if audience == "panel" else file


def overrides(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every requirement whose threshold the run configuration changed, numbered in the
    order the paper shows them, with the catalogue's original, the basis and the reason."""
    audience = report["audience"]
    duties = {d["id"]: d for d in report["duties"]}
    out: list[dict[str, Any]] = []
    for a in report["areas"]:
        for duty_id in a["duties"]:
            d = duties[duty_id]
            for r in d["requirements"]:
                ov = override_of(r)
                if ov is None:
                    continue
                n = len(out) + 1
                config = config_name(ov, audience)
                out.append({
                    "n": n, "anchor": f"override-{n}", "ref": r["ref"], "title": r["title"],
                    "duty": d["title"], "duty_id": d["id"], "now": threshold_text(r),
                    "was": catalogue_threshold_text(r), "was_basis": catalogue_basis(r),
                    "was_basis_label": basis_label(catalogue_basis(r)) if catalogue_basis(r)
                    else "-", "basis": str(ov.get("basis") or "-"),
                    "basis_label": basis_label(ov.get("basis")),
                    "reason": str(ov.get("reason") or "-"), "config": config,
                    "short": override_short(r), "was_sentence": override_was(r),
                    "note": override_note(r, config)})
    return out


def overrides_withheld(report: dict[str, Any]) -> bool:
    """True for a Panel paper of a run with a configuration and restricted duties: their
    requirements (and so any override of their thresholds) are only in the JAC paper."""
    return report["audience"] == "panel" and bool(report["inputs"].get("config")) and any(
        d.get("audience") == "restricted" for d in report["duties"])


def overrides_line(found: list[dict[str, Any]],
                   where: str | None = "see Local threshold overrides",
                   withheld: bool = False) -> str:
    """The summary sentence: how many thresholds the run configuration changed."""
    rest = (" Restricted duties are summarised here without detail; any override of their "
            "thresholds is shown in the Joint Audit Committee paper." if withheld else "")
    if not found:
        if withheld:
            return "No threshold shown in this paper was overridden." + rest
        return "No threshold was overridden: every threshold is the duty catalogue's own."
    n = len(found)
    return (f"{_plural(n, 'requirement has a threshold', 'requirements have thresholds')} "
            "set by the local run configuration instead of the duty catalogue; each is marked "
            "where it appears, with the catalogue's original, the basis and the reason"
            + (f" ({where})." if where else ".") + rest)


def opinion_rule_text(params: dict[str, Any]) -> list[str]:
    share = lambda v: f"{v:.0%}"  # noqa: E731
    cap = params.get("statutory_red_caps_at", "limited")
    gap_none = params.get("no_assurance_gap_share")  # absent in reports sealed before it
    gaps = "" if gap_none is None else (
        f"; or {'all' if gap_none >= 1 else share(gap_none) + ' or more'} of them are not "
        "evidenced, not assessed or in error (nothing could be rated against the evidence)")
    return [
        "Duties not yet due are left out. If none is left there is No opinion (nothing fell "
        "due to give an opinion on).",
        f"No assurance: {share(params['no_assurance_red_share'])} or more of the duties "
        f"are Red{gaps}.",
        "Limited: "
        + ("any statutory duty is Red; or " if cap == "limited" else "")
        + f"{share(params['limited_red_share'])} or more of the duties are Red; or "
        f"{share(params['limited_gap_share'])} or more are not evidenced, not assessed or "
        "in error.",
        "Reasonable: otherwise, if any duty is Red, Amber, not evidenced, not assessed or in "
        "error.",
        "Substantial: every duty is Green.",
    ]


def build(report: dict[str, Any]) -> dict[str, Any]:
    """The report arranged for reading: numbered areas and duties, formatted cells."""
    report = for_audience(report)
    audience = report["audience"]
    panel = audience == "panel"
    duties = {d["id"]: d for d in report["duties"]}
    waivers = {w["id"]: w for w in report.get("waivers", [])}
    actions = {a["id"]: a for a in report.get("actions", [])}
    found = overrides(report)
    override_by_ref = {o["ref"]: o for o in found}
    areas = []
    for n, a in enumerate(report["areas"], start=1):
        rows = []
        due_ids, not_due_ids = exceptions_first(a["duties"], duties)
        for m, duty_id in enumerate(due_ids, start=1):
            d = duties[duty_id]
            reqs = []
            for r in d["requirements"]:
                reqs.append({
                    "override": override_by_ref.get(r["ref"]),
                    "title": r["title"], "ref": r["ref"], "rating": r["rating"],
                    "reason": r["reason"], "value": value_text(r),
                    "threshold": threshold_text(r, panel), "basis": basis_cell(r, panel),
                    "comparator": comparator_text(r), "travel": travel_text(r),
                    "evidence": evidence_items(r, audience),
                    "waiver": waivers.get((r.get("waiver") or {}).get("id")),
                })
            dws = [waivers[w["id"]] for w in d.get("waivers", []) if w["id"] in waivers]
            change = None
            if d.get("travel"):
                change = change_kind(d["travel"]["previous_rating"], d["rating"],
                                     d["travel"]["change"])
            rows.append({"n": f"{n}.{m}", "d": d, "requirements": reqs, "waivers": dws,
                         "actions": [actions[i] for i in d.get("actions", []) if i in actions],
                         "anchor": "duty-" + d["id"].replace(".", "-"),
                         "reasons": extra_reasons(d), "change": change,
                         "source_url": _safe_url(d["source"].get("url"))})
        not_due, why = not_due_rows(n, not_due_ids, duties, len(due_ids) + 1)
        areas.append({"n": n, "a": a, "duties": rows, "not_due": not_due, "not_due_why": why,
                      "due": due_count(a), "anchor": f"area-{a['id']}",
                      "tables": area_tables(report, a["id"])})
    quality = []
    for d in report["duties"]:
        for r in d["requirements"]:
            if r["rating"] in ("Not evidenced", "Error") or (
                    r["kind"] == "reconcile" and r["rating"] != "Green"):
                quality.append({"duty": d["title"], "ref": r["ref"], "rating": r["rating"],
                                "reason": r["reason"]})
    travel = travel_summary(report)
    acts = report.get("actions", [])
    return {
        "r": report,
        "audience_name": AUDIENCE.get(audience, audience),
        "is_panel": panel,
        "period": period_text(report),
        "as_of": long_date(report["as_of"]),
        "areas": areas,
        "quality": quality,
        "travel": travel,
        "travel_line": travel["headline"] if travel else None,
        "key_findings": key_findings(report),
        "coverage": coverage_text(report),
        "overrides": found,
        "overrides_line": overrides_line(found, withheld=overrides_withheld(report)),
        "overrides_lead": overrides_line(found, None, overrides_withheld(report)),
        "open_actions": [a for a in acts if a["status"] != "complete"],
        "overdue": [a for a in acts if a["overdue"]],
        "carried": [a for a in acts if a["carried_over"]],
        "opinion_rule": opinion_rule_text(report["opinion"].get("parameters") or {
            "no_assurance_red_share": 0.5, "no_assurance_gap_share": 1.0,
            "limited_red_share": 0.25, "limited_gap_share": 0.25,
            "statutory_red_caps_at": "limited"}),
        "ratings": RATINGS,
        "slug": SLUG,
        "opinion_slug": OPINION_SLUG,
        "long_date": long_date,
        "source_text": source_text,
        "target_title": lambda t: target_title(report, t),
        "change_words": CHANGE_WORDS,
        "icons": ICONS,
    }


def source_text(item: dict[str, Any]) -> str:
    """Where an evidence item's figures came from: the document, and the file and lines
    that hold them, so an audit committee can follow a figure to its published source."""
    src = item.get("source") or {}
    text = str(src.get("document") or "")
    where = ", lines ".join(str(v) for v in (src.get("file"), src.get("lines")) if v)
    if where:
        text = f"{text} ({where})" if text else where
    return text or "-"


def _safe_url(url: Any) -> str | None:
    """Only http(s) addresses become links; anything else (``javascript:``) stays text."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")) and \
            not any(c in url for c in "\"'<> \n\t"):
        return url
    return None


def area_tables(report: dict[str, Any], area_id: str) -> list[dict[str, Any]]:
    """The plugin summary tables (``dutycheck_report_tables``) shown at the head of an
    area; a report sealed before tables existed has none."""
    return [t for t in report.get("tables") or () if t["area"] == area_id]
