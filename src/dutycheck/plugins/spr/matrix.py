"""The SPR matrix: seven rows (threat, rating, strongest evidence, gap), so the Panel sees
at a glance which threats rest on narrative only. Rendered from the canonical report, like
every other format, and offered as ``--format spr-matrix``."""

from __future__ import annotations

from typing import Any

from dutycheck import ReportFormat, markdown_text

DUTY = "spr.threat-capability"
STATEMENT = "spr.pcc-assurance-statement/statement-signed"


def rows(report: dict[str, Any]) -> list[dict[str, str]]:
    """One row per threat, in the catalogue's order; empty if the SPR duty was not run."""
    duty = next((d for d in report.get("duties", []) if d["id"] == DUTY), None)
    if duty is None:
        return []
    out = []
    for f in duty["requirements"]:
        details = f.get("details") or {}
        out.append({
            "threat": details.get("threat_title") or f["title"].split(":")[0],
            "rating": f["rating"],
            "strongest_evidence": details.get("strongest_evidence", "-"),
            "gap": details.get("gap", f["reason"]),
        })
    return out


def render(report: dict[str, Any]) -> str:
    lines = [f"# Strategic Policing Requirement: {markdown_text(report.get('organisation', ''))}",
             ""]
    period = report.get("period", {})
    lines.append(f"Period {period.get('start')} to {period.get('end')}; assessed as of "
                 f"{report.get('as_of')}.")
    lines.append("")
    table = rows(report)
    if not table:
        lines.append("The SPR duties were not part of this run.")
        return "\n".join(lines) + "\n"
    lines += ["| Threat | Rating | Strongest evidence | Gap |", "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(markdown_text(r[k]) for k in
                                ("threat", "rating", "strongest_evidence", "gap")) + " |"
              for r in table]
    narrative = [r["threat"] for r in table if r["strongest_evidence"].startswith("narrative")]
    lines.append("")
    if narrative:
        lines.append(f"Resting on narrative only ({len(narrative)} of {len(table)}): "
                     + ", ".join(markdown_text(n) for n in narrative) + ".")
    for duty in report.get("duties", []):
        for f in duty["requirements"]:
            if f["ref"] == STATEMENT:
                lines += ["", f"PCC assurance statement: {f['rating']}. "
                          f"{markdown_text(f['reason'])}"]
    return "\n".join(lines) + "\n"


FORMATS = (ReportFormat("spr-matrix", "md", "The SPR 7-threat matrix: threat, rating, "
                        "strongest evidence, gap (Markdown).", render),)
