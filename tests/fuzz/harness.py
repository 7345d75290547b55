"""Fuzzing harness shared by ``tests/test_fuzz.py`` (a few examples, in CI) and
``tests/fuzz/run_fuzz.py`` (a long run whose figures go in the closing note).

The property: whatever duty files and bundle dutycheck is given, an assessment ends in a
report that every built-in format renders, or in a ``DutycheckError`` whose exit code is 3
or 4. Any other exception is a crash.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

KINDS = ["measure", "document", "attestation", "grade", "reconcile", "check", "formula"]
DIRECTIONS = ["lower-is-better", "higher-is-better", "sideways"]
BAND_KEYS = ["at_most", "at_least", "above", "below", "otherwise", "between"]

GOOD_VALUES = [{"sql": "SELECT count(*) FROM complaint_review_register"},
               {"sql": "SELECT count(*) FILTER (WHERE outcome = 'upheld') FROM "
                       "complaint_review_register"},
               {"sql": "SELECT avg(working_days(received_date, decision_date)) FROM "
                       "complaint_review_register"},
               {"sql": "SELECT NULL"}, {"sql": "SELECT 1/0"}, "annual_report.title",
               "no_such.value"]

REGISTER_HEADER = ["case_ref", "received_date", "outcome_letter_date", "acknowledged_date",
                   "review_body", "reg32_screened", "forwarded_date", "applicant_notified_date",
                   "outcome", "decision_date", "recommendation_made", "force_response_date"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["2025-02-30", "2024-04-01", "0000-00-00", "9999-12-31", "NaN", "~",
                     "yes", "no", "=1+1", "<script>", "../../etc/passwd", "\x1b[2J", ""]),
)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)


@st.composite
def bands(draw: Any, valid: bool = False) -> dict[str, Any]:
    if valid or draw(st.booleans()):
        a, b = sorted(draw(st.lists(st.integers(-5, 60), min_size=2, max_size=2)))
        return {"green": {"at_most": a}, "amber": {"above": a, "at_most": b},
                "red": {"above": b}}
    out = {}
    for name in draw(st.lists(st.sampled_from(["green", "amber", "red", "blue"]), max_size=4,
                              unique=True)):
        out[name] = {draw(st.sampled_from(BAND_KEYS)): draw(st.one_of(
            st.integers(-5, 60), st.floats(allow_nan=True), st.text(max_size=20),
            st.just(True)))}
    return out


@st.composite
def requirement(draw: Any, n: int, bad: bool = True) -> dict[str, Any]:
    if not bad:
        return {"id": f"req-{n}", "kind": "measure", "title": draw(st.text(min_size=1,
                                                                           max_size=30)),
                "value": draw(st.one_of(st.integers(-100, 100), st.floats(-1e6, 1e6),
                                        st.sampled_from(GOOD_VALUES))),
                "unit": "days", "direction": draw(st.sampled_from(DIRECTIONS[:2])),
                "bands": draw(bands(valid=True)), "basis": "inference"}
    kind = draw(st.sampled_from(KINDS))
    req: dict[str, Any] = {"id": f"req-{n}", "kind": kind, "title": draw(st.text(min_size=1,
                                                                                  max_size=30))}
    if kind == "measure":
        req.update(value=draw(st.one_of(
            st.integers(-100, 100), st.floats(allow_nan=True),
            st.sampled_from(["complaint_review_return.total", "no_such.value",
                             {"sql": "SELECT count(*) FROM complaint_review_register"},
                             {"sql": "SELECT 1/0"}, {"sql": "SELECT 'text'"},
                             {"sql": "SELECT * FROM read_csv('/etc/passwd')"},
                             {"sql": "SELECT NULL"}, {"sql": "SELEC"}]))),
                   unit="days", direction=draw(st.sampled_from(DIRECTIONS)),
                   bands=draw(bands()), basis="inference")
    elif kind == "document":
        req.update(document={"type": draw(st.sampled_from(["annual-report", "strategy", "X"])),
                             "max_age_days": draw(st.integers(-3, 800))})
    if draw(st.integers(0, 4)) == 0:  # an arbitrary extra key or replaced value
        req[draw(st.sampled_from(["id", "kind", "title", "extra", "bands", "value"]))] = \
            draw(json_values)
    return req


@st.composite
def duty(draw: Any, bad: bool = True) -> dict[str, Any]:
    n = draw(st.integers(1, 3))
    if not bad:
        return {"id": "fuzz.duty", "title": draw(st.text(min_size=1, max_size=40)),
                "kind": draw(st.sampled_from(["statutory", "plan-commitment"])),
                "holder": "PCC", "source": {"title": "Test Act 2024 s.1", "basis": "statute"},
                "cadence": draw(st.sampled_from(["annual", "quarterly", "monthly"])),
                "requirements": [draw(requirement(i, bad=False)) for i in range(n)]}
    doc: dict[str, Any] = {
        "id": draw(st.sampled_from(["fuzz.duty", "fuzz.other-duty", "Bad Id", "complaints.x"])),
        "title": draw(st.text(min_size=1, max_size=40)),
        "kind": draw(st.sampled_from(["statutory", "plan-commitment", "guidance"])),
        "holder": draw(st.sampled_from(["PCC", ["PCC", "CSP"], "", 3])),
        "source": {"title": "Test Act 2024 s.1", "basis": draw(st.sampled_from(
            ["statute", "inference", "rumour"]))},
        "cadence": draw(st.sampled_from(["annual", "quarterly", "monthly", "one-off",
                                         "fortnightly"])),
        "requirements": [draw(requirement(i)) for i in range(n)],
    }
    if doc["cadence"] == "one-off":
        doc["due"] = draw(st.sampled_from(["2025-01-01", "2030-01-01", "2025-02-30"]))
    for _ in range(draw(st.integers(0, 2))):
        doc[draw(st.sampled_from(list(doc) + ["extra"]))] = draw(json_values)
    return doc


def mutate_text(draw: Any, text: str, bad: bool = True) -> str:
    """Byte-level damage: truncation, a stray character, a tab, a duplicated line."""
    if not bad:
        return text
    how = draw(st.sampled_from(["none", "none", "truncate", "insert", "tab", "dup", "alias"]))
    if how == "truncate" and text:
        return text[:draw(st.integers(0, len(text)))]
    if how == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from(list(":{}[]&*!|>'\"%@`#\t\x00\ufeff-?"))) + \
            text[at:]
    if how == "tab":
        return text.replace("  ", "\t", 1)
    if how == "dup":
        lines = text.splitlines(keepends=True)
        if lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
        return "".join(lines)
    if how == "alias":
        return "x: &a [1, 2]\ny: *a\n" + text
    return text


@st.composite
def csv_text(draw: Any, bad: bool = True) -> str:
    header = list(REGISTER_HEADER)
    if not bad:
        return _good_register(draw)
    if draw(st.integers(0, 5)) == 0:
        header = draw(st.lists(st.sampled_from(REGISTER_HEADER + ["", "extra", "case_ref"]),
                               max_size=14))
    cell = st.one_of(st.sampled_from(["", "2024-05-01", "2024-13-01", "04/05/2024", "pcc",
                                      "iopc", "yes", "no", "upheld", "not_upheld", "invalid",
                                      "1,234", "=cmd|' /C calc'!A0", "SYN-1"]),
                     st.text(max_size=12))
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)),
                         max_size=6))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        if draw(st.integers(0, 8)) == 0:
            row = row[:-1]  # a ragged row
        w.writerow(row)
    return mutate_text(draw, buf.getvalue())


def _good_register(draw: Any) -> str:
    day = st.dates(dt.date(2024, 4, 1), dt.date(2025, 3, 31)).map(dt.date.isoformat)
    text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    w.writerow(REGISTER_HEADER)
    for n in range(draw(st.integers(0, 8))):
        w.writerow([f"SYN-{n}" + draw(text), draw(day), draw(st.one_of(st.just(""), day)),
                    draw(st.one_of(st.just(""), day)), draw(st.sampled_from(["pcc", "iopc"])),
                    draw(st.sampled_from(["yes", "no", "Y", "0"])),
                    draw(st.one_of(st.just(""), day)), draw(st.one_of(st.just(""), day)),
                    draw(st.sampled_from(["upheld", "not_upheld", "invalid", "withdrawn"])),
                    draw(st.one_of(st.just(""), day)),
                    draw(st.sampled_from(["", "yes", "no"])),
                    draw(st.one_of(st.just(""), day))])
    return buf.getvalue()


PARTS = ["manifest", "csv", "document", "duty", "waivers"]


@st.composite
def scenario(draw: Any) -> dict[str, str]:
    """Files for one run: a manifest, a register CSV, a document record, a duty file and
    perhaps waivers.yaml. About half the scenarios are valid; the rest damage one part."""
    damaged = draw(st.sampled_from(["none"] * 5 + PARTS))
    bad = {part: part == damaged for part in PARTS}
    pick = (lambda good, *worse: draw(st.sampled_from([good, *worse]))) if bad["manifest"] \
        else (lambda good, *worse: good)
    manifest = {
        "organisation": draw(st.text(min_size=1, max_size=30)),
        "period": {"start": "2024-04-01",
                   "end": pick("2025-03-31", "2023-01-01", "2025-02-30")},
        "prepared_by": "fuzz",
        "items": [
            {"id": "complaint_review_register", "kind": "complaint_review_register",
             "file": pick("register.csv", "../register.csv", "/etc/passwd", "missing.csv"),
             "effective_date": "2025-03-31", "source": {"document": "fuzz"}},
            {"id": "annual_report", "kind": pick("document", "no_such_kind"),
             "file": "report.yaml", "effective_date": "2025-06-30",
             "source": {"document": "fuzz"}},
        ],
    }
    if bad["manifest"] and draw(st.integers(0, 3)) == 0:
        manifest[draw(st.sampled_from(["organisation", "period", "items", "extra"]))] = \
            draw(json_values)
    files = {
        "bundle/bundle.yaml": mutate_text(draw, json.dumps(manifest, indent=2)
                                          if draw(st.booleans()) else _yaml(manifest),
                                          bad["manifest"]),
        "bundle/register.csv": draw(csv_text(bad["csv"])),
        "bundle/report.yaml": mutate_text(draw, _yaml({
            "type": "annual-report", "title": draw(st.text(min_size=1, max_size=30)),
            "date": draw(st.sampled_from(["2025-06-30", "2025-02-30", "yesterday"])
                         if bad["document"] else st.just("2025-06-30"))}), bad["document"]),
        "duties/fuzz.yaml": mutate_text(draw, _yaml(draw(duty(bad["duty"]))), bad["duty"]),
    }
    if bad["waivers"] or draw(st.booleans()):
        w = bad["waivers"]
        files["bundle/waivers.yaml"] = mutate_text(draw, _yaml({"waivers": [{
            "id": "W-1", "target": draw(st.sampled_from(["fuzz.duty", "complaints.x", "x/y"]))
            if w else "fuzz.duty", "reason": draw(st.text(min_size=1, max_size=30)),
            "approved_by": "CE", "approved_on": "2025-01-01",
            "expires": draw(st.sampled_from(["2025-06-01", "2027-01-01", "2024-01-01"]))
            if w else "2025-12-01"}]}), w)
    return files


def _yaml(data: Any) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


class Crash(AssertionError):
    """An exception other than DutycheckError (exit 3 or 4) escaped an assessment."""


_HOST = None


def host() -> Any:
    global _HOST
    if _HOST is None:
        from dutycheck.host import make_host

        _HOST = make_host()
    return _HOST


def check_scenario(files: dict[str, str]) -> str:
    """Run one scenario in-process; return ``"report"`` or ``"exit N"``; raise
    :class:`Crash` for anything else."""
    from dutycheck.assess import Options, assess
    from dutycheck.errors import DutycheckError

    with tempfile.TemporaryDirectory(prefix="dutycheck-fuzz-") as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        h = host()
        try:
            doc = assess(h, Options(bundle=root / "bundle", as_of=dt.date(2025, 11, 1),
                                    duty_dirs=(root / "duties",)))
            formats = h.report_formats()
            for name in ("json", "markdown", "html", "csv", "terminal"):
                formats[name].render(doc)
        except DutycheckError as exc:
            if exc.exit_code not in (3, 4):
                raise Crash(f"DutycheckError with exit {exc.exit_code}: {exc}") from exc
            return f"exit {exc.exit_code}"
        except Exception as exc:
            raise Crash(f"{type(exc).__name__}: {exc}") from exc
    return "report"
