"""A plain-language view of the canonical report, shared by the HTML, PDF and CSV formats.

Everything here is derived from the report dictionary alone, so a report re-rendered from
its sealed JSON gives the same output byte for byte. Audience rules live here too: the
Panel view never shows evidence file paths or restricted detail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .text import comparator_text, threshold_text, value_text

RATINGS = ["Red", "Amber", "Green", "Not evidenced", "Not assessed", "Not due", "Error"]
SLUG = {"Green": "green", "Amber": "amber", "Red": "red", "Not evidenced": "not-evidenced",
        "Not due": "not-due", "Not assessed": "not-assessed", "Error": "error"}
OPINION_SLUG = {"Substantial": "substantial", "Reasonable": "reasonable", "Limited": "limited",
                "No assurance": "none"}
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


def opinion_rule_text(params: dict[str, Any]) -> list[str]:
    share = lambda v: f"{v:.0%}"  # noqa: E731
    cap = params.get("statutory_red_caps_at", "limited")
    return [
        "Duties not yet due are left out. If none is left the opinion is No assurance.",
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
    areas = []
    for n, a in enumerate(report["areas"], start=1):
        rows = []
        for m, duty_id in enumerate(a["duties"], start=1):
            d = duties[duty_id]
            reqs = []
            for r in d["requirements"]:
                reqs.append({
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
        areas.append({"n": n, "a": a, "duties": rows, "anchor": f"area-{a['id']}"})
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
        "change_words": CHANGE_WORDS,
    }


def _safe_url(url: Any) -> str | None:
    """Only http(s) addresses become links; anything else (``javascript:``) stays text."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")) and \
            not any(c in url for c in "\"'<> \n\t"):
        return url
    return None
