"""A Markdown paper laid out like a Commissioner's report to the Panel or the JAC."""

from __future__ import annotations

from typing import Any

from .text import SYMBOL, comparator_text, evidence_text, threshold_text, value_text


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(report: dict[str, Any]) -> str:
    period = report["period"]
    audience = {"panel": "Police and Crime Panel", "jac": "Joint Audit Committee"}.get(
        report["audience"], report["audience"])
    lines = [
        f"# Statutory duty assurance: {report['organisation']}",
        "",
        f"- **To:** {audience}",
        f"- **Period:** {period.get('label') or period['start'] + ' to ' + period['end']} "
        f"({period['start']} to {period['end']})",
        f"- **Assessed as of:** {report['as_of']}",
        f"- **Produced by:** dutycheck {report['tool']['version']}; report SHA-256 "
        f"`{report['sha256']}`",
        "",
        "## Overall assurance opinion",
        "",
        f"**{report['opinion']['level']}** — " + "; ".join(report["opinion"]["reasons"]) + ".",
        "",
        "| Rating | Duties | Requirements |",
        "| --- | ---: | ---: |",
    ]
    for rating, n in report["counts"]["duties"].items():
        lines.append(f"| {SYMBOL[rating]} {rating} | {n} | "
                     f"{report['counts']['requirements'][rating]} |")
    lines += ["", "## Areas", "", "| Area | Rating | Opinion | Duties |",
              "| --- | --- | --- | ---: |"]
    for a in report["areas"]:
        lines.append(f"| {_cell(a['title'])} | {SYMBOL[a['rating']]} {a['rating']} | "
                     f"{a['opinion']} | {len(a['duties'])} |")
    if report["errors"] or report["plugin_failures"]:
        lines += ["", "## The run is incomplete", ""]
        lines += [f"- {_cell(e)}" for e in report["plugin_failures"] + report["errors"]]
    duties = {d["id"]: d for d in report["duties"]}
    n = 0
    for a in report["areas"]:
        lines += ["", f"## {a['title']}", ""]
        for duty_id in a["duties"]:
            d = duties[duty_id]
            n += 1
            src = d["source"]
            lines += [
                f"### {n}. {d['title']} — {SYMBOL[d['rating']]} {d['rating']}",
                "",
                f"{d['reason']}",
                "",
                f"- **Duty:** `{d['id']}` ({d['kind']}; holder: {', '.join(d['holder'])}; "
                f"cadence: {d['cadence']})",
                f"- **Source:** {src['title']}" + (f" — {src['url']}" if src.get("url") else "")
                + f" (basis: {d['basis_label']})",
            ]
            if d["requirements"]:
                lines += ["", "| Requirement | Rating | Value | Threshold (basis) | "
                          "Comparator | Evidence |", "| --- | --- | --- | --- | --- | --- |"]
                for r in d["requirements"]:
                    basis = f" ({r['basis']})" if r.get("basis") else ""
                    lines.append(
                        f"| {_cell(r['title'])} | {SYMBOL[r['rating']]} {r['rating']} | "
                        f"{_cell(value_text(r))} | {_cell(threshold_text(r))}{basis} | "
                        f"{_cell(comparator_text(r))} | {_cell(evidence_text(r))} |")
                lines += [""]
                lines += [f"- {_cell(r['reason'])}" for r in d["requirements"]]
            lines.append("")
    lines += ["## Inputs", "", "| File | SHA-256 |", "| --- | --- |",
              f"| {report['inputs']['bundle']['folder']}/bundle.yaml | "
              f"`{report['inputs']['bundle']['manifest_sha256']}` |"]
    for item in report["inputs"]["bundle"]["items"]:
        tag = " (synthetic)" if item["synthetic"] else ""
        lines.append(f"| {_cell(item['file'])}{tag} | `{item['sha256']}` |")
    for f in report["inputs"]["duty_files"]:
        lines.append(f"| {_cell(f['file'])} | `{f['sha256']}` |")
    if report["inputs"].get("config"):
        c = report["inputs"]["config"]
        lines.append(f"| {_cell(c['file'])} | `{c['sha256']}` |")
    lines += ["", "Ratings: [G] Green, [A] Amber, [R] Red, [NE] Not evidenced, [ND] Not due, "
              "[NA] Not assessed, [ERR] Error.", ""]
    if report["audience"] == "panel":
        lines += ["The Panel is asked to note this report.", ""]
    return "\n".join(lines)
