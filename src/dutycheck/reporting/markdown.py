"""A Markdown paper laid out like a Commissioner's report to the Panel or the JAC."""

from __future__ import annotations

from typing import Any

from .text import SYMBOL, comparator_text, plain_text, threshold_text, value_text
from .view import (
    RATINGS,
    area_tables,
    basis_cell,
    change_kind,
    coverage_text,
    due_count,
    evidence_items,
    exceptions_first,
    extra_reasons,
    for_audience,
    key_findings,
    not_due_rows,
    opinion_rule_text,
    overrides,
    overrides_line,
    overrides_withheld,
    source_text,
    target_title,
    travel_summary,
    travel_text,
)

# Text from duties and evidence is shown literally: no raw HTML, no links or images, no
# code spans, no table breaks, no terminal escapes (see docs/security.md).
_ESCAPES = str.maketrans({"\\": "\\\\", "`": "\\`", "[": "\\[", "]": "\\]", "|": "\\|",
                          "<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " "})


def markdown_text(text: Any) -> str:
    """Text from duties, evidence or findings for a Markdown report, shown literally: no
    raw HTML, links, images, code spans or table breaks, and no control characters (bidi
    controls shown as ``[U+202E]``). Public as ``dutycheck.markdown_text``."""
    return plain_text(text).translate(_ESCAPES)


_cell = markdown_text  # the short name the many table cells below use


def _table(table: dict[str, Any]) -> list[str]:
    """A plugin's summary table, every cell escaped like any other text."""
    col = table["rating_column"]
    lines = [f"**{_cell(table['title'])}**", "",
             "| " + " | ".join(_cell(c) for c in table["columns"]) + " |",
             "| " + " | ".join("---" for _ in table["columns"]) + " |"]
    for row in table["rows"]:
        cells = [f"{SYMBOL[c]} {c}" if i == col and c in SYMBOL else _cell(c)
                 for i, c in enumerate(row)]
        lines.append("| " + " | ".join(cells) + " |")
    if table["note"]:
        lines += ["", _cell(table["note"])]
    return lines + [""]


def render(report: dict[str, Any]) -> str:
    report = for_audience(report)
    panel = report["audience"] == "panel"
    period = report["period"]
    audience = {"panel": "Police and Crime Panel", "jac": "Joint Audit Committee"}.get(
        report["audience"], report["audience"])
    lines = [
        f"# Statutory duty assurance: {_cell(report['organisation'])}",
        "",
        f"- **To:** {audience}",
        f"- **Period:** {_cell(period.get('label') or period['start'] + ' to ' + period['end'])} "
        f"({period['start']} to {period['end']})",
        f"- **Assessed as of:** {report['as_of']}",
        f"- **Produced by:** dutycheck {report['tool']['version']}; report SHA-256 "
        f"`{report['sha256']}`",
        "",
        "## Overall assurance opinion",
        "",
        f"**{report['opinion']['level']}** — "
        + "; ".join(_cell(x) for x in report["opinion"]["reasons"]) + ".",
        "",
        coverage_text(report),
        "",
        "| Rating | Duties | Requirements |",
        "| --- | ---: | ---: |",
    ]
    for rating in RATINGS:
        n = report["counts"]["duties"][rating]
        lines.append(f"| {SYMBOL[rating]} {rating} | {n} | "
                     f"{report['counts']['requirements'][rating]} |")
    findings = key_findings(report)
    if findings:
        lines += ["", "**Key findings: duties rated Red**", ""]
        lines += [f"- {_cell(k['d']['title'])} ({_cell(k['area'])})" for k in findings]
    lines += ["", "## Areas", "", "| Area | Rating | Opinion | Duties due | Not yet due |",
              "| --- | --- | --- | ---: | ---: |"]
    for a in report["areas"]:
        due = due_count(a)
        lines.append(f"| {_cell(a['title'])} | {SYMBOL[a['rating']]} {a['rating']} | "
                     f"{a['opinion']} | {due} | {len(a['duties']) - due} |")
    found = overrides(report)
    by_ref = {o["ref"]: o for o in found}
    line = overrides_line(found, withheld=overrides_withheld(report))
    lines += ["", f"**Local threshold overrides:** {line}" if found else line]
    if found:
        lines += ["", "## Local threshold overrides", "",
                  "These thresholds were set by the run configuration, not by the duty "
                  "catalogue. Each is marked in its requirement's Threshold column.", "",
                  "| Note | Requirement | Threshold now | Override basis | Catalogue's threshold "
                  "(replaced) | Catalogue's basis | Reason | Run configuration |",
                  "| ---: | --- | --- | --- | --- | --- | --- | --- |"]
        for o in found:
            ref = "" if panel else f" (`{_cell(o['ref'])}`)"
            lines.append(f"| {o['n']} | {_cell(o['title'])}{ref} | "
                         f"{_cell(o['now'])} | {_cell(o['basis'])} | {_cell(o['was'])} | "
                         f"{_cell(o['was_basis'] or '-')} | {_cell(o['reason'])} | "
                         f"{_cell(o['config'])} |")
    counts = report["counts"]
    if "waivers" in counts:
        lines += ["", f"Waivers (counted separately; ratings are shown unchanged): "
                  f"{counts['waivers']['active']} active, {counts['waivers']['expired']} expired. "
                  f"Management actions: {counts['actions']['open']} open, "
                  f"{counts['actions']['overdue']} overdue"
                  + (f", {counts['actions']['carried_over']} carried over"
                     if report.get("travel") else "") + "."]
    travel = travel_summary(report)
    if travel:
        lines += ["", f"**{travel['headline']}**"]
        if travel["now_due"]:
            lines += ["", travel["now_due"]]
        if travel["top"]:
            lines.append("")
            lines += [f"- {_cell(ch['title'])}: {ch['kind']} ({ch['from']} to {ch['to']})"
                      for ch in travel["top"]]
        if travel["rest"]:
            lines += ["", f"The other {travel['rest']} rating change"
                      f"{'' if travel['rest'] == 1 else 's'} "
                      f"{'is' if travel['rest'] == 1 else 'are'} shown under each duty."]
    if report["errors"] or report["plugin_failures"]:
        lines += ["", "## The run is incomplete", ""]
        lines += [f"- {_cell(e)}" for e in report["plugin_failures"] + report["errors"]]
    duties = {d["id"]: d for d in report["duties"]}
    n = 0
    for a in report["areas"]:
        lines += ["", f"## {_cell(a['title'])}", ""]
        for table in area_tables(report, a["id"]):
            lines += _table(table)
        due_ids, not_due_ids = exceptions_first(a["duties"], duties)
        for duty_id in due_ids:
            d = duties[duty_id]
            n += 1
            lines += _duty(d, n, panel, by_ref, report["audience"])
        rows, why = not_due_rows(0, not_due_ids, duties, n + 1)
        if rows:
            lines += [f"**{SYMBOL['Not due']} Not yet due: {len(rows)} "
                      f"dut{'y' if len(rows) == 1 else 'ies'}**, not rated and left out of "
                      "the opinion" + (f". Why: {_cell(why)}" if why else "."), ""]
            lines += ["| No. | Duty |" + ("" if why else " Why not due |"),
                      "| ---: | --- |" + ("" if why else " --- |")]
            for row in rows:
                n += 1
                ident = "" if panel else f" (`{_cell(row['d']['id'])}`)"
                lines.append(f"| {n} | {_cell(row['d']['title'])}{ident} |"
                             + ("" if why else f" {_cell(row['why'])} |"))
            lines.append("")
    if report.get("waivers"):
        lines += ["## Waivers", "", "| Waiver | Applies to | Status | Underlying rating | "
                  "Reason | Approved by | Approved | Expires |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for w in report["waivers"]:
            target = _cell(target_title(report, w["target"])) if panel else \
                f"`{_cell(w['target'])}`"
            lines.append(f"| {_cell(w['id'])} | {target} | {w['status']} | "
                         f"{w['underlying_rating']} | {_cell(w['reason'])} | "
                         f"{_cell(w['approved_by'])} | {w['approved_on']} | {w['expires']} |")
        lines.append("")
    if report.get("actions"):
        lines += ["## Management actions", "", "| Action | Finding | Response | Owner | Due | "
                  "Status |", "| --- | --- | --- | --- | --- | --- |"]
        for a in report["actions"]:
            status = a["status"] + (", overdue" if a["overdue"] else "") + (
                ", carried over" if a["carried_over"] else "")
            target = _cell(target_title(report, a["target"])) if panel else \
                f"`{_cell(a['target'])}`"
            lines.append(f"| {_cell(a['id'])} | {target} | {_cell(a['response'])} | "
                         f"{_cell(a['owner'])} | {a['due']} | {status} |")
        lines.append("")
    if report["opinion"].get("parameters"):
        lines += ["## Method", ""]
        lines += [f"- {_cell(t)}" for t in opinion_rule_text(report["opinion"]["parameters"])]
        lines += [f"- {report['method'][k]}" for k in ("waivers", "travel", "actions", "seal")
                  if k in report.get("method", {})]
        lines.append("")
    if report["audience"] == "panel":
        lines += ["## Evidence used", ""]
        for item in report["inputs"]["bundle"]["items"]:
            tag = " (synthetic)" if item["synthetic"] else ""
            doc = "" if item["synthetic"] or not item["source"].get("document") else \
                f": {_cell(item['source']['document'])}"
            lines.append(f"- {_cell(item.get('title') or item['kind'])}{doc}, dated "
                         f"{item['effective_date']}{tag}")
        lines += ["", "The Joint Audit Committee paper lists every evidence file with its "
                  "SHA-256.", "", "The Panel is asked to note this report.", ""]
        return "\n".join(lines)
    lines += ["## Inputs", "", "| File | Source | SHA-256 |", "| --- | --- | --- |",
              f"| {_cell(report['inputs']['bundle']['folder'])}/bundle.yaml | - | "
              f"`{report['inputs']['bundle']['manifest_sha256']}` |"]
    for item in report["inputs"]["bundle"]["items"]:
        tag = " (synthetic)" if item["synthetic"] else ""
        lines.append(f"| {_cell(item['file'])}{tag} | {_cell(source_text(item))} | "
                     f"`{item['sha256']}` |")
    for key in ("waivers", "actions", "baseline"):
        if report["inputs"].get(key):
            lines.append(f"| {_cell(report['inputs'][key]['file'])} | - | "
                         f"`{report['inputs'][key]['sha256']}` |")
    for f in report["inputs"]["duty_files"]:
        lines.append(f"| {_cell(f['file'])} | - | `{f['sha256']}` |")
    if report["inputs"].get("config"):
        c = report["inputs"]["config"]
        lines.append(f"| {_cell(c['file'])} | - | `{c['sha256']}` |")
    lines += ["", "Ratings: [G] Green, [A] Amber, [R] Red, [NE] Not evidenced, [ND] Not due, "
              "[NA] Not assessed, [ERR] Error.", ""]
    return "\n".join(lines)


def _duty(d: dict[str, Any], n: int, panel: bool, by_ref: dict[str, Any],
          audience: str) -> list[str]:
    """One duty that fell due: rating, reason, source, requirements and the reasons its
    own reason does not already give."""
    src = d["source"]
    ident = "" if panel else f"`{d['id']}` "
    kind = f"{d['kind']}; holder: {_cell(', '.join(d['holder']))}; cadence: {d['cadence']}"
    lines = [
        f"### {n}. {_cell(d['title'])} — {SYMBOL[d['rating']]} {d['rating']}",
        "",
        f"{_cell(d['reason'])}",
        "",
        f"- **Duty:** {kind}" if panel else f"- **Duty:** {ident}({kind})",
        f"- **Source:** {_cell(src['title'])}"
        + (f" — {_cell(src['url'])}" if src.get("url") else "")
        + f" (basis: {d['basis_label']})",
    ]
    if d.get("travel"):
        was = d["travel"]["previous_rating"]
        change = change_kind(was, d["rating"], d["travel"]["change"])
        lines.append(f"- **Since the previous report:** {change}"
                     + (f" (was {was})" if was else ""))
    if d["requirements"]:
        lines += ["", "| Requirement | Rating | Value | Threshold (basis) | "
                  "Comparator | Travel | Evidence |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for r in d["requirements"]:
            basis = basis_cell(r, panel)
            waiver = (f" (waiver {r['waiver']['id']}, {r['waiver']['status']})"
                      if r.get("waiver") else "")
            o = by_ref.get(r["ref"])
            if o:
                basis += (f" **— overridden locally ([note {o['n']}]"
                          f"(#local-threshold-overrides)):** "
                          f"{_cell(o['was_sentence'])}")
            lines.append(
                f"| {_cell(r['title'])} | {SYMBOL[r['rating']]} {r['rating']}{waiver} | "
                f"{_cell(value_text(r))} | {_cell(threshold_text(r, panel))}{basis} | "
                f"{_cell(comparator_text(r))} | {_cell(travel_text(r) or '-')} | "
                f"{_cell('; '.join(evidence_items(r, audience)) or '-')} |")
        lines += [""]
        lines += [f"- {_cell(reason)}" for reason in extra_reasons(d)]
        lines += [f"- **Local threshold override (note {by_ref[r['ref']]['n']}):** "
                  f"{_cell(by_ref[r['ref']]['note'])}"
                  for r in d["requirements"] if r["ref"] in by_ref]
    for w in d.get("waivers", []):
        lines.append(f"- **Waiver {_cell(w['id'])}** ({w['status']}, expires "
                     f"{w['expires']})")
    for a in d.get("actions", []):
        lines.append(f"- **Management action {_cell(a)}** (see Management actions)")
    lines.append("")
    return lines
