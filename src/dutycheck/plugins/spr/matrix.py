"""The SPR matrix: seven rows (threat, rating, strongest evidence, gap), so the Panel sees
at a glance which threats rest on narrative only. Built from the canonical report: every
format shows it at the head of the SPR area (``dutycheck_report_tables``), and
``--format spr-matrix`` writes it alone as a one-page Markdown note."""

from __future__ import annotations

from typing import Any

from dutycheck import ReportFormat, ReportTable, markdown_text

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


def _narrative_only(table: list[dict[str, str]]) -> list[str]:
    return [r["threat"] for r in table if r["strongest_evidence"].startswith("narrative")]


def _statement(report: dict[str, Any]) -> dict[str, Any] | None:
    return next((f for d in report.get("duties", []) for f in d["requirements"]
                 if f["ref"] == STATEMENT), None)


def tables(report: dict[str, Any]) -> list[ReportTable]:
    """The matrix for the head of the SPR area in every format; none if SPR was not run."""
    table = rows(report)
    if not table:
        return []
    notes = []
    narrative = _narrative_only(table)
    if narrative:
        notes.append(f"Resting on narrative only ({len(narrative)} of {len(table)}): "
                     + ", ".join(narrative) + ".")
    statement = _statement(report)
    if statement:
        notes.append(f"PCC assurance statement: {statement['rating']}. {statement['reason']}")
    area = next(d["area"] for d in report["duties"] if d["id"] == DUTY)
    return [ReportTable(
        area=area, title="The seven national threats at a glance",
        columns=("Threat", "Rating", "Strongest evidence", "Gap"),
        rows=[(r["threat"], r["rating"], r["strongest_evidence"], r["gap"]) for r in table],
        note=" ".join(notes), rating_column=1)]


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
    narrative = _narrative_only(table)
    lines.append("")
    if narrative:
        lines.append(f"Resting on narrative only ({len(narrative)} of {len(table)}): "
                     + ", ".join(markdown_text(n) for n in narrative) + ".")
    statement = _statement(report)
    if statement:
        lines += ["", f"PCC assurance statement: {statement['rating']}. "
                  f"{markdown_text(statement['reason'])}"]
    return "\n".join(lines) + "\n"


FORMATS = (ReportFormat("spr-matrix", "md", "The SPR 7-threat matrix: threat, rating, "
                        "strongest evidence, gap (Markdown).", render),)
