"""The previous report (``--baseline``): checked before any comparison is made.

A baseline must be an intact, sealed dutycheck report for the same organisation and for
the same or an earlier period, assessed no later than this run. Anything else is refused
with a message saying why (exit 4).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from .errors import InvalidInput


def load(path: Path, organisation: str, period_start: dt.date, period_end: dt.date,
         as_of: dt.date) -> tuple[dict[str, Any], str]:
    """The baseline report and the SHA-256 of its file."""
    from .report import REPORT_FORMAT_VERSION, digest

    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput.one(shown, f"cannot read the baseline report: "
                               f"{exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidInput.one(shown, f"baseline is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput.one(shown, f"baseline is not a complete JSON report (truncated or "
                               f"damaged): {exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(doc, dict) or doc.get("tool", {}).get("name") != "dutycheck":
        raise InvalidInput.one(shown, "baseline is not a dutycheck JSON report "
                               "(run with --format json to produce one)")
    if doc.get("report_format") != REPORT_FORMAT_VERSION:
        raise InvalidInput.one(shown, f"baseline has report format {doc.get('report_format')!r}; "
                               f"this dutycheck reads format {REPORT_FORMAT_VERSION}")
    if doc.get("sha256") != digest(doc):
        raise InvalidInput.one(shown, "baseline report was edited after it was sealed (its "
                               "SHA-256 does not match its content); `dutycheck verify` says "
                               "what changed")
    if doc.get("organisation") != organisation:
        raise InvalidInput.one(shown, f"baseline is for {doc.get('organisation')!r}, but this run "
                               f"is for {organisation!r}; a baseline must be a previous report "
                               "for the same organisation")
    try:
        b_start = dt.date.fromisoformat(doc["period"]["start"])
        b_end = dt.date.fromisoformat(doc["period"]["end"])
        b_as_of = dt.date.fromisoformat(doc["as_of"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput.one(shown, "baseline has no readable period or as_of date") from None
    if b_start > period_start or b_end > period_end:
        raise InvalidInput.one(shown, f"baseline covers {b_start} to {b_end}, which is later "
                               f"than this run's period {period_start} to {period_end}; a "
                               "baseline must be an earlier (or the same) period")
    if b_as_of > as_of:
        raise InvalidInput.one(shown, f"baseline was assessed as of {b_as_of}, after this run's "
                               f"--as-of {as_of}; a baseline must come before the report it is "
                               "compared with")
    return doc, hashlib.sha256(raw).hexdigest()
