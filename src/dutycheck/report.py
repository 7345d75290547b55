"""The canonical JSON report: every other format is rendered from this document."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from typing import Any

from . import __version__
from .bundle import Bundle
from .catalogue import BASIS_LABELS, Catalogue
from .engine import Finding, RunResult
from .expressions import describe
from .host import Host
from .rating import opinion
from .ratings import DISPLAY_ORDER, Rating, worst

REPORT_FORMAT_VERSION = 1


def build(result: RunResult, catalogue: Catalogue, bundle: Bundle, host: Host,
          as_of: dt.date, audience: str = "jac", config: dict[str, Any] | None = None,
          config_file: tuple[str, str] | None = None) -> dict[str, Any]:
    config = config or {}
    duties = [_duty(d, audience) for d in result.duties]
    areas = []
    for area_id in sorted({d["area"] for d in duties}):
        members = [d for d in duties if d["area"] == area_id]
        ratings = [Rating(d["rating"]) for d in members]
        op = opinion([(d["kind"], Rating(d["rating"])) for d in members], config.get("opinion"))
        areas.append({"id": area_id, "title": catalogue.areas.get(area_id, area_id),
                      "rating": worst(ratings).value, "opinion": op.level,
                      "opinion_reasons": op.reasons, "counts": _counts(ratings),
                      "duties": [d["id"] for d in members]})
    overall = opinion([(d["kind"], Rating(d["rating"])) for d in duties], config.get("opinion"))
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
                    "rule": "docs/ratings.md#assurance-opinion"},
        "counts": {"duties": _counts([Rating(d["rating"]) for d in duties]),
                   "requirements": req_counts},
        "areas": areas,
        "duties": duties,
        "errors": [f.error for f in result.errors],
        "plugin_failures": [str(f) for f in host.failures],
        "inputs": {
            "bundle": {"folder": bundle.folder.name, "manifest_sha256": bundle.manifest_sha256,
                       "items": [_item(i) for i in bundle.items]},
            "duty_files": [{"file": f, "sha256": h} for f, h in sorted(catalogue.files.items())],
            "config": ({"file": config_file[0], "sha256": config_file[1]}
                       if config_file else None),
        },
        "plugins": [{"name": p.name, "distribution": p.distribution, "version": p.version,
                     "builtin": p.builtin} for p in host.plugins()],
    }
    report["sha256"] = digest(report)
    return report


def canonical(report: dict[str, Any]) -> str:
    """The byte-stable serialisation used for the file and for the report's own hash."""
    return json.dumps(report, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def digest(report: dict[str, Any]) -> str:
    body = {k: v for k, v in report.items() if k != "sha256"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def _counts(ratings: list[Rating]) -> dict[str, int]:
    c = Counter(ratings)
    return {r.value: c.get(r, 0) for r in DISPLAY_ORDER}


def _item(item) -> dict[str, Any]:
    out = {"id": item.id, "kind": item.kind, "file": item.file, "sha256": item.sha256,
           "effective_date": item.effective_date.isoformat(), "source": item.source,
           "synthetic": item.synthetic}
    return out


def _duty(result, audience: str) -> dict[str, Any]:
    d = result.duty
    restricted = audience == "panel" and d.audience == "restricted"
    return {
        "id": d.id, "title": d.title, "kind": d.kind, "area": d.area, "holder": d.holder,
        "source": d.source.as_dict(), "basis_label": BASIS_LABELS[d.source.basis],
        "cadence": d.cadence, **({"due": d.due} if d.due else {}), "audience": d.audience,
        "tags": d.tags, "summary": d.summary,
        "rating": result.rating.value,
        "reason": "Restricted: detail is in the Joint Audit Committee paper." if restricted
        else result.reason,
        "definition": {"file": d.file, "line": d.line},
        "requirements": [] if restricted else [_finding(f) for f in result.findings],
    }


def _finding(f: Finding) -> dict[str, Any]:
    req = f.requirement
    spec = req.spec
    out: dict[str, Any] = {
        "id": req.id, "ref": req.ref, "title": req.title, "kind": req.kind,
        "rating": f.rating.value, "reason": f.reason,
        "value": _jsonable(f.value), "unit": f.unit or spec.get("unit"),
        "basis": req.basis,
        "evidence": f.evidence,
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
                                     "catalogue": {k: req.original.get(k)
                                                   for k in req.override.fields}}
        out["threshold"] = threshold
    if "comparators" in f.details:
        out["comparators"] = f.details["comparators"]
    other = {k: _jsonable(v) for k, v in f.details.items() if k not in ("comparators",)}
    if other:
        out["details"] = other
    if f.error:
        out["error"] = f.error
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
