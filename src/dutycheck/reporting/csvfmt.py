"""One row per requirement (or per restricted duty in the Panel paper), for spreadsheets.
The Panel export never carries evidence file paths; cells that a spreadsheet would read
as a formula are prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
from typing import Any

from .text import basis_words, comparator_text, plain_text, threshold_text, value_text
from .view import evidence_items, for_audience, overrides, travel_text

COLUMNS = ["area", "duty_id", "duty_title", "duty_rating", "requirement", "requirement_title",
           "rating", "value", "threshold", "basis", "threshold_overridden",
           "catalogue_threshold", "catalogue_basis", "override_basis", "override_reason",
           "override_config", "comparator", "previous_value", "direction_of_travel", "waiver",
           "evidence", "reason"]
#: The override columns: empty unless the run configuration replaced the catalogue's
#: threshold, when they say so and give the catalogue's original, the basis and the reason.
_NO_OVERRIDE = ["", "", "", "", "", ""]


def _cell(value: Any) -> str:
    """Control characters are dropped; text a spreadsheet would read as a formula
    (starting ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets an apostrophe."""
    if value is None:
        return ""
    raw = str(value)
    text = plain_text(raw)
    trigger = text[:1] in ("=", "+", "-", "@", "\t") or raw[:1] == "\r"
    if trigger and text != "-" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def render(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    report = for_audience(report)
    audience = report["audience"]
    panel = audience == "panel"
    waivers = {x["id"]: x for x in report.get("waivers", [])}
    duties = {d["id"]: d for d in report["duties"]}
    by_ref = {o["ref"]: o for o in overrides(report)}
    for area in report["areas"]:
        for duty_id in area["duties"]:
            d = duties[duty_id]
            base = [area["title"], d["id"], d["title"], d["rating"]]
            if not d["requirements"]:
                dw = "; ".join(f"{x['id']} ({x['status']})" for x in d.get("waivers", []))
                w.writerow([_cell(c) for c in base + ["", "", d["rating"], "", "", "",
                                                      *_NO_OVERRIDE, "", "", "", dw, "",
                                                      d["reason"]]])
                continue
            for r in d["requirements"]:
                wid = (r.get("waiver") or {}).get("id") or next(
                    (x["id"] for x in d.get("waivers", [])), None)
                waiver = f"{wid} ({waivers[wid]['status']})" if wid in waivers else ""
                prev = (r.get("travel") or {}).get("previous_value")
                o = by_ref.get(r["ref"])
                changed = ["yes", o["was"],
                           o["was_basis"], o["basis"], o["reason"], o["config"]] if o else \
                    _NO_OVERRIDE
                w.writerow([_cell(c) for c in base + [
                    r["ref"], r["title"], r["rating"], value_text(r), threshold_text(r, panel),
                    basis_words(r.get("basis"), panel), *changed, comparator_text(r),
                    "" if prev is None else prev, travel_text(r), waiver,
                    "; ".join(evidence_items(r, audience)), r["reason"]]])
    return buf.getvalue()
