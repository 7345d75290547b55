"""The canonical JSON report: every other format is rendered from this document."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from typing import Any

from . import __version__
from .actions import OPEN_STATUSES
from .bundle import Bundle
from .catalogue import BASIS_LABELS, Catalogue
from .engine import Finding, RunResult
from .expressions import describe
from .host import Host
from .rating import DEFAULT_OPINION_RULE, opinion
from .ratings import DISPLAY_ORDER, Rating, worst

REPORT_FORMAT_VERSION = 1


RAG_RANK = {"Green": 0, "Amber": 1, "Red": 2}
RESTRICTED = "Restricted: detail is in the Joint Audit Committee paper."
#: Keys sealed section by section, so `dutycheck verify` can say which part was edited.
SEALED_SECTIONS = ("opinion", "counts", "areas", "tables", "duties", "waivers", "actions",
                   "travel", "errors", "plugin_failures", "inputs", "plugins", "method")


def build(result: RunResult, catalogue: Catalogue, bundle: Bundle, host: Host,
          as_of: dt.date, audience: str = "jac", config: dict[str, Any] | None = None,
          config_file: tuple[str, str] | None = None, *, waivers: Any = None,
          actions: Any = None, baseline: tuple[dict[str, Any], str, str] | None = None,
          invocation: dict[str, Any] | None = None) -> dict[str, Any]:
    """The canonical report. ``waivers``/``actions`` are loaded ``GovernanceFile``s;
    ``baseline`` is ``(previous report, file as given, its SHA-256)``."""
    config = config or {}
    rule = {**DEFAULT_OPINION_RULE, **(config.get("opinion") or {})}
    restricted_ids = {d.duty.id for d in result.duties
                      if audience == "panel" and d.duty.audience == "restricted"}
    items_by_id = {i.id: i for i in bundle.items}
    prev = baseline[0] if baseline else None
    prev_duties = {d["id"]: d for d in prev["duties"]} if prev else {}
    duties = [_duty(d, audience, items_by_id, prev_duties.get(d.duty.id) if prev else None,
                    bool(prev)) for d in result.duties]

    waiver_list = _apply_waivers(duties, waivers.records if waivers else (), as_of,
                                 restricted_ids)
    action_list = _actions(actions.records if actions else (), as_of, prev, restricted_ids)
    for d in duties:
        linked = [a["id"] for a in action_list
                  if a["target"] == d["id"] or a["target"].startswith(d["id"] + "/")]
        if linked:
            d["actions"] = linked

    areas = []
    for area_id in sorted({d["area"] for d in duties}):
        members = [d for d in duties if d["area"] == area_id]
        ratings = [Rating(d["rating"]) for d in members]
        op = opinion([(d["kind"], Rating(d["rating"])) for d in members], rule,
                     _red_on_inference(members))
        areas.append({"id": area_id, "title": catalogue.areas.get(area_id, area_id),
                      "rating": worst(ratings).value, "opinion": op.level,
                      "opinion_reasons": op.reasons, "counts": _counts(ratings),
                      "duties": [d["id"] for d in members]})
    overall = opinion([(d["kind"], Rating(d["rating"])) for d in duties], rule,
                      _red_on_inference(duties))
    req_counts = _counts([Rating(r["rating"]) for d in duties for r in d["requirements"]])
    report: dict[str, Any] = {
        "report_format": REPORT_FORMAT_VERSION,
        "tool": {"name": "dutycheck", "version": __version__},
        "as_of": as_of.isoformat(),
        "audience": audience,
        "organisation": bundle.organisation,
        "period": {"start": bundle.period_start.isoformat(), "end": bundle.period_end.isoformat(),
                   **({"label": bundle.period_label} if bundle.period_label else {})},
        "prepared_by": bundle.prepared_by,
        "opinion": {"level": overall.level, "reasons": overall.reasons,
                    "rule": "docs/ratings.md#assurance-opinion", "parameters": rule},
        "counts": {"duties": _counts([Rating(d["rating"]) for d in duties]),
                   "requirements": req_counts,
                   "waivers": {s: sum(1 for w in waiver_list if w["status"] == s)
                               for s in ("active", "expired", "not yet approved")},
                   "waived_duties": sum(1 for d in duties if d.get("waived")),
                   "actions": {"open": sum(1 for a in action_list
                                           if a["status"] in OPEN_STATUSES),
                               "overdue": sum(1 for a in action_list if a["overdue"]),
                               "carried_over": sum(1 for a in action_list
                                                   if a["carried_over"])}},
        "areas": areas,
        "duties": duties,
        "waivers": waiver_list,
        "actions": action_list,
        "travel": _travel_summary(duties, prev, baseline) if prev else None,
        "errors": [f.error for f in result.errors],
        "plugin_failures": [str(f) for f in host.failures] + [str(r) for r in host.refused],
        "inputs": {
            "bundle": {"folder": bundle.folder.name, "manifest_sha256": bundle.manifest_sha256,
                       "items": [_item(i) for i in bundle.items]},
            "duty_files": [{"file": f, "sha256": h} for f, h in sorted(catalogue.files.items())],
            "config": ({"file": config_file[0], "sha256": config_file[1]}
                       if config_file else None),
            "waivers": {"file": waivers.file, "sha256": waivers.sha256} if waivers else None,
            "actions": {"file": actions.file, "sha256": actions.sha256} if actions else None,
            "baseline": ({"file": baseline[1], "sha256": baseline[2],
                          "report_sha256": prev["sha256"]} if baseline else None),
        },
        "invocation": invocation or {"area": None, "duties": []},
        "plugins": [{"name": p.name, "distribution": p.distribution, "version": p.version,
                     "builtin": p.builtin, "files_sha256": p.files_sha256}
                    for p in host.plugins()],
        "method": METHOD,
    }
    report["tables"], table_errors = host.report_tables(report)
    report["errors"] += table_errors
    return seal(report)


#: How the report's judgements are made, printed in every format's method section.
METHOD = {
    "roll_up": "A duty takes the worst rating of its requirements; an area's rating is the "
               "worst of its duties.",
    "waivers": "A waiver overlays a rating without hiding it: the underlying rating is shown "
               "and still counts towards the assurance opinion. An active waiver stops the "
               "waived item tripping --fail-on. A waiver must expire no more than 12 months "
               "after approval; an expired waiver no longer applies and is listed as expired.",
    "travel": "With a previous report (--baseline), each measure shows the previous value and "
              "the change. The change is improving or worsening when it is larger than the "
              "measure's materiality in the direction the measure counts as better, otherwise "
              "stable. A duty improved or worsened when its rating moved between Green, Amber "
              "and Red.",
    "actions": "A management action is overdue when it is open or in progress after its due "
               "date. With --baseline, actions still open from the previous report are marked "
               "as carried over.",
    "seal": "The report records the SHA-256 of every input and of its own canonical JSON; "
            "`dutycheck verify` recomputes them.",
}


def seal(report: dict[str, Any]) -> dict[str, Any]:
    """Add the per-section hashes and the report's own hash over canonical JSON."""
    report.pop("sha256", None)
    report.pop("signature", None)
    report["seal"] = {"algorithm": "sha256", "sections": section_digests(report)}
    report["sha256"] = digest(report)
    return report


def section_digests(report: dict[str, Any]) -> dict[str, str]:
    return {k: hashlib.sha256(canonical(report.get(k)).encode("utf-8")).hexdigest()
            for k in SEALED_SECTIONS}


def sign(report: dict[str, Any], private_key_pem: bytes) -> dict[str, Any]:
    """Sign the sealed report with an Ed25519 private key (PEM, PKCS#8)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key is not an Ed25519 private key")
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    report["signature"] = {
        "algorithm": "ed25519",
        "public_key_sha256": hashlib.sha256(public).hexdigest(),
        "signed": "sha256",
        "value": base64.b64encode(key.sign(report["sha256"].encode("ascii"))).decode("ascii"),
    }
    return report


def normalised(report: dict[str, Any]) -> dict[str, Any]:
    """The report as any reader of the JSON file sees it (keys sorted): every format is
    rendered from this, so ``dutycheck render report.json`` gives the same bytes. The same
    data as ``canonical`` without the indentation, which lets json use its C encoder
    (about six times faster on a force's report)."""
    return json.loads(json.dumps(report, sort_keys=True, ensure_ascii=False))


def canonical(report: dict[str, Any]) -> str:
    """The byte-stable serialisation used for the file and for the report's own hash."""
    return json.dumps(report, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def digest(report: dict[str, Any]) -> str:
    body = {k: v for k, v in report.items() if k not in ("sha256", "signature")}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def _counts(ratings: list[Rating]) -> dict[str, int]:
    c = Counter(ratings)
    return {r.value: c.get(r, 0) for r in DISPLAY_ORDER}


def _item(item) -> dict[str, Any]:
    out = {"id": item.id, "kind": item.kind, "file": item.file, "sha256": item.sha256,
           "effective_date": item.effective_date.isoformat(), "source": item.source,
           "synthetic": item.synthetic}
    if item.title:
        out["title"] = item.title
    return out


def _duty(result, audience: str, items: dict[str, Any], prev: dict[str, Any] | None,
          has_baseline: bool) -> dict[str, Any]:
    d = result.duty
    restricted = audience == "panel" and d.audience == "restricted"
    prev_reqs = {r["ref"]: r for r in (prev or {}).get("requirements", [])}
    out = {
        "id": d.id, "title": d.title, "kind": d.kind, "area": d.area, "holder": d.holder,
        "source": d.source.as_dict(), "basis_label": BASIS_LABELS[d.source.basis],
        "cadence": d.cadence, **({"due": d.due} if d.due else {}), "audience": d.audience,
        "tags": d.tags, "summary": d.summary,
        "rating": result.rating.value,
        "reason": RESTRICTED if restricted else _public(result.reason, audience, items),
        "definition": {"file": d.file, "line": d.line},
        "requirements": [] if restricted else [
            _finding(f, audience, items, prev_reqs.get(f.requirement.ref), has_baseline)
            for f in result.findings],
    }
    if has_baseline:
        before = prev["rating"] if prev else None
        out["travel"] = {"previous_rating": before,
                         "change": _rating_change(before, out["rating"])}
    return out


def _public(text: str, audience: str, items: dict[str, Any]) -> str:
    """For the Panel, name evidence by its title rather than its file path."""
    if audience != "panel":
        return text
    for item in sorted(items.values(), key=lambda i: -len(i.file)):
        if item.file in text:
            text = text.replace(item.file, f"the evidence \u201c{item.title or item.kind}\u201d")
    return text


def _rating_change(before: str | None, after: str) -> str:
    if before is None:
        return "new"
    if before == after:
        return "unchanged"
    if before in RAG_RANK and after in RAG_RANK:
        return "improved" if RAG_RANK[after] < RAG_RANK[before] else "worsened"
    return "changed"


def _panel_ref(ref: dict[str, Any], items: dict[str, Any]) -> dict[str, Any] | None:
    """An evidence reference for the public paper: the document, never a file path."""
    if "sql" in ref:
        return None
    item = items.get(ref.get("item"))
    out = {"item": ref["item"], "kind": ref["kind"], "sha256": ref["sha256"],
           "effective_date": ref["effective_date"],
           "document": (item.title or item.source.get("document") if item else None)
           or ref["kind"]}
    if ref.get("synthetic"):
        out["synthetic"] = True
    return out


def _finding(f: Finding, audience: str = "jac", items: dict[str, Any] | None = None,
             prev: dict[str, Any] | None = None, has_baseline: bool = False) -> dict[str, Any]:
    req = f.requirement
    spec = req.spec
    evidence = f.evidence
    if audience == "panel":
        evidence = []
        for ref in f.evidence:
            short = _panel_ref(ref, items or {})
            if short and short not in evidence:
                evidence.append(short)
    out: dict[str, Any] = {
        "id": req.id, "ref": req.ref, "title": req.title, "kind": req.kind,
        "rating": f.rating.value, "reason": _public(f.reason, audience, items or {}),
        "value": _jsonable(f.value), "unit": f.unit or spec.get("unit"),
        "basis": req.basis,
        "evidence": evidence,
        "check": f.check,
    }
    threshold: dict[str, Any] = {}
    if "bands" in spec:
        threshold["bands"] = {b.rating.value.lower(): b.describe() for b in req.bands}
        threshold["direction"] = spec.get("direction")
    if "tolerance" in spec:
        threshold["tolerance"] = spec["tolerance"]
    if "scale" in spec:
        threshold["scale"] = spec["scale"]
    if "params" in spec:
        threshold["params"] = {k: {"value": v["value"], "basis": v["basis"],
                                   **({"unit": v["unit"]} if "unit" in v else {})}
                               for k, v in spec["params"].items()}
    if "document" in spec:
        threshold["document"] = spec["document"]
    for key in ("value", "stated", "computed"):
        if key in spec:
            threshold[f"{key}_from"] = describe(spec[key])
    if threshold:
        threshold["basis"] = req.basis
        if req.override is not None:
            threshold["override"] = {"basis": req.override.basis, "reason": req.override.reason,
                                     "file": req.override.file,
                                     "catalogue": {k: _catalogue_value(req.original, k)
                                                   for k in req.override.fields},
                                     "catalogue_basis": req.original.get("basis")}
        out["threshold"] = threshold
    if "comparators" in f.details:
        out["comparators"] = f.details["comparators"]
    other = {k: _jsonable(v) for k, v in f.details.items() if k not in ("comparators",)}
    if other:
        out["details"] = other
    if f.error:
        out["error"] = f.error
    if has_baseline:
        out["travel"] = _measure_travel(out, prev, spec.get("direction"),
                                        spec.get("materiality"))
    return out


def _measure_travel(now: dict[str, Any], prev: dict[str, Any] | None, direction: str | None,
                    materiality: float | None) -> dict[str, Any]:
    """Prior value, change and arrow, judged against direction and materiality."""
    out: dict[str, Any] = {"previous_value": prev.get("value") if prev else None,
                           "previous_rating": prev.get("rating") if prev else None,
                           "change": None, "direction": "not comparable",
                           "rating_change": _rating_change(prev["rating"] if prev else None,
                                                           now["rating"])}
    if materiality is not None:
        out["materiality"] = materiality
    before, after = out["previous_value"], now.get("value")
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool)
                  for v in (before, after))
    if numeric and direction in ("higher-is-better", "lower-is-better"):
        change = round(after - before, 6)
        out["change"] = change
        if abs(change) <= (materiality or 0):
            out["direction"] = "stable"
        else:
            better = change > 0 if direction == "higher-is-better" else change < 0
            out["direction"] = "improving" if better else "worsening"
    elif numeric:
        out["change"] = round(after - before, 6)
    return out


def _travel_summary(duties: list[dict[str, Any]], prev: dict[str, Any],
                    baseline: tuple[dict[str, Any], str, str]) -> dict[str, Any]:
    counts = {k: 0 for k in ("improved", "worsened", "unchanged", "changed", "new")}
    changes = []
    for d in duties:
        change = d["travel"]["change"]
        counts[change] += 1
        if change in ("improved", "worsened", "changed"):
            changes.append({"duty": d["id"], "title": d["title"], "change": change,
                            "from": d["travel"]["previous_rating"], "to": d["rating"]})
    order = {"worsened": 0, "changed": 1, "improved": 2}
    changes.sort(key=lambda c: (order[c["change"]], c["duty"]))
    now_ids = {d["id"] for d in duties}
    return {
        "baseline": {"as_of": prev["as_of"], "period": prev["period"],
                     "sha256": prev["sha256"], "opinion": prev["opinion"]["level"]},
        "duties": counts,
        "rating_changes": changes,
        "removed": sorted(d["id"] for d in prev["duties"] if d["id"] not in now_ids),
    }


def _covers(target: str, duty_id: str, ref: str | None = None) -> bool:
    return target == duty_id if ref is None else target in (duty_id, ref)


def _apply_waivers(duties: list[dict[str, Any]], waivers: Any, as_of: dt.date,
                   restricted: set[str]) -> list[dict[str, Any]]:
    """Overlay waivers on duties and requirements; the ratings themselves are untouched."""
    out = []
    by_id = {d["id"]: d for d in duties}
    for w in sorted(waivers, key=lambda w: w.id):
        rec = w.as_dict(as_of)
        duty_id, _, req_id = w.target.partition("/")
        duty = by_id.get(duty_id)
        if duty is None:  # outside the selected area
            continue
        if duty_id in restricted:
            rec["reason"] = RESTRICTED
        note = {"id": w.id, "status": rec["status"], "expires": rec["expires"]}
        if req_id:
            req = next((r for r in duty["requirements"] if r["id"] == req_id), None)
            rec["underlying_rating"] = req["rating"] if req else duty["rating"]
            if req is not None:
                req["waiver"] = note
            else:  # restricted in this audience: shown at duty level
                duty.setdefault("waivers", []).append(note)
        else:
            rec["underlying_rating"] = duty["rating"]
            duty.setdefault("waivers", []).append(note)
        out.append(rec)
    for duty in duties:
        _rating_after_waivers(duty, out)
    return out


def _rating_after_waivers(duty: dict[str, Any], waivers: list[dict[str, Any]]) -> None:
    active = [w for w in waivers if w["status"] == "active"
              and w["target"].partition("/")[0] == duty["id"]]
    if not active:
        return
    duty["waived"] = True
    if any(w["target"] == duty["id"] for w in active):
        duty["rating_after_waivers"] = None
        return
    waived_refs = {w["target"] for w in active}
    rest = [Rating(r["rating"]) for r in duty["requirements"] if r["ref"] not in waived_refs]
    if not duty["requirements"]:  # restricted: requirement-level waivers cover the duty
        duty["rating_after_waivers"] = None
        return
    duty["rating_after_waivers"] = worst(rest).value if rest else None


def _actions(actions: Any, as_of: dt.date, prev: dict[str, Any] | None,
             restricted: set[str]) -> list[dict[str, Any]]:
    out = []
    prev_open = {a["id"]: a for a in (prev or {}).get("actions", [])
                 if a["status"] in OPEN_STATUSES}
    for a in sorted(actions, key=lambda a: a.id):
        rec = a.as_dict(as_of)
        if a.id in prev_open and a.status in OPEN_STATUSES:
            rec["carried_over"] = True
            rec["first_reported"] = prev_open[a.id].get("first_reported") or prev["as_of"]
        out.append(rec)
    ids = {a["id"] for a in out}
    for old in sorted(prev_open.values(), key=lambda a: a["id"]):
        if old["id"] in ids:
            continue
        rec = {k: old[k] for k in ("id", "target", "response", "owner", "due", "status")}
        rec["overdue"] = dt.date.fromisoformat(old["due"]) < as_of
        rec["carried_over"] = True
        rec["first_reported"] = old.get("first_reported") or prev["as_of"]
        rec["note"] = ("Open in the previous report and not in this bundle's actions.yaml: "
                       "no update was given.")
        out.append(rec)
    for rec in out:
        if rec["target"].partition("/")[0] in restricted:
            rec["response"] = RESTRICTED
    return out


def _jsonable(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _red_on_inference(duties: list[dict[str, Any]]) -> int:
    """Statutory duties whose every Red requirement rests on a threshold with basis
    ``inference`` (research found no rule): the opinion says so beside the cap."""
    n = 0
    for d in duties:
        reds = [r for r in d["requirements"] if r["rating"] == Rating.RED.value]
        if (d["kind"] == "statutory" and d["rating"] == Rating.RED.value and reds
                and all(r.get("basis") == "inference" for r in reds)):
            n += 1
    return n


def _catalogue_value(original: dict[str, Any], key: str) -> Any:
    """The catalogue's own value of an overridden key (``max_age_days`` lives inside
    ``document:``), so a report shows what the override replaced."""
    if key == "max_age_days":
        return (original.get("document") or {}).get("max_age_days")
    return original.get(key)
