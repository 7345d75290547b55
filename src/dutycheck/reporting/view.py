"""A plain-language view of the canonical report, shared by the HTML, PDF and CSV formats.

Everything here is derived from the report dictionary alone, so a report re-rendered from
its sealed JSON gives the same output byte for byte. Audience rules live here too: the
Panel view never shows evidence file paths or restricted detail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from .text import (
    basis_label,
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
                "changed": "changed", "new": "new since the previous report"}


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
    return [
        "Duties not yet due are left out. If none is left there is No opinion (nothing fell "
        "due to give an opinion on).",
        f"No assurance: {share(params['no_assurance_red_share'])} or more of the duties "
        "are Red.",
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
    audience = report["audience"]
    duties = {d["id"]: d for d in report["duties"]}
    waivers = {w["id"]: w for w in report.get("waivers", [])}
    actions = {a["id"]: a for a in report.get("actions", [])}
    found = overrides(report)
    override_by_ref = {o["ref"]: o for o in found}
    areas = []
    for n, a in enumerate(report["areas"], start=1):
        rows = []
        for m, duty_id in enumerate(a["duties"], start=1):
            d = duties[duty_id]
            reqs = []
            for r in d["requirements"]:
                reqs.append({
                    "override": override_by_ref.get(r["ref"]),
                    "title": r["title"], "ref": r["ref"], "rating": r["rating"],
                    "reason": r["reason"], "value": value_text(r),
                    "threshold": threshold_text(r), "basis": r.get("basis") or "-",
                    "comparator": comparator_text(r), "travel": travel_text(r),
                    "evidence": evidence_items(r, audience),
                    "waiver": waivers.get((r.get("waiver") or {}).get("id")),
                })
            dws = [waivers[w["id"]] for w in d.get("waivers", []) if w["id"] in waivers]
            rows.append({"n": f"{n}.{m}", "d": d, "requirements": reqs, "waivers": dws,
                         "actions": [actions[i] for i in d.get("actions", []) if i in actions],
                         "anchor": "duty-" + d["id"].replace(".", "-"),
                         "source_url": _safe_url(d["source"].get("url"))})
        areas.append({"n": n, "a": a, "duties": rows, "anchor": f"area-{a['id']}",
                      "tables": area_tables(report, a["id"])})
    quality = []
    for d in report["duties"]:
        for r in d["requirements"]:
            if r["rating"] in ("Not evidenced", "Error") or (
                    r["kind"] == "reconcile" and r["rating"] != "Green"):
                quality.append({"duty": d["title"], "ref": r["ref"], "rating": r["rating"],
                                "reason": r["reason"]})
    t = report.get("travel")
    travel_line = None
    if t:
        c = t["duties"]
        travel_line = (f"Since the previous report (as of {long_date(t['baseline']['as_of'])}): "
                       f"{c['worsened']} dut{'y' if c['worsened'] == 1 else 'ies'} worsened, "
                       f"{c['improved']} improved, {c['unchanged']} unchanged"
                       + (f", {c['changed']} changed between other states" if c["changed"]
                          else "")
                       + (f", {c['new']} new" if c["new"] else "") + ".")
    acts = report.get("actions", [])
    return {
        "r": report,
        "audience_name": AUDIENCE.get(audience, audience),
        "is_panel": audience == "panel",
        "period": period_text(report),
        "as_of": long_date(report["as_of"]),
        "areas": areas,
        "quality": quality,
        "travel_line": travel_line,
        "coverage": coverage_text(report),
        "overrides": found,
        "overrides_line": overrides_line(found, withheld=overrides_withheld(report)),
        "overrides_lead": overrides_line(found, None, overrides_withheld(report)),
        "open_actions": [a for a in acts if a["status"] != "complete"],
        "overdue": [a for a in acts if a["overdue"]],
        "carried": [a for a in acts if a["carried_over"]],
        "opinion_rule": opinion_rule_text(report["opinion"].get("parameters") or {
            "no_assurance_red_share": 0.5, "limited_red_share": 0.25,
            "limited_gap_share": 0.25, "statutory_red_caps_at": "limited"}),
        "ratings": RATINGS,
        "slug": SLUG,
        "opinion_slug": OPINION_SLUG,
        "long_date": long_date,
        "source_text": source_text,
        "change_words": CHANGE_WORDS,
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
