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
import re
import signal
import tempfile
import warnings
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


class Hang(BaseException):
    """A run took longer than the harness allows (a BaseException, so that no
    ``except Exception`` in the code under test can turn it into an ordinary refusal)."""


def _hang(signum: int, frame: Any) -> None:
    raise Hang


def check_scenario(files: dict[str, str | bytes], names: str | None = None,
                   timeout: float = 0) -> str:
    """Run one scenario in-process; return ``"report"`` or ``"exit N"``; raise
    :class:`Crash` for anything else. With ``names``, a refusal must name that file and
    quote no personal value (:data:`PII`); with ``timeout``, a run that takes longer is a
    crash too (a workbook that expands without bound)."""
    from dutycheck.assess import Options, assess
    from dutycheck.errors import DutycheckError

    with tempfile.TemporaryDirectory(prefix="dutycheck-fuzz-") as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text if isinstance(text, bytes)
                             else text.encode("utf-8", "surrogatepass"))
        h = host()
        if timeout:
            previous = signal.signal(signal.SIGALRM, _hang)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with warnings.catch_warnings(record=True) as shown:
                warnings.simplefilter("always")
                doc = assess(h, Options(bundle=root / "bundle", as_of=dt.date(2025, 11, 1),
                                        duty_dirs=(root / "duties",)))
                formats = h.report_formats()
                for name in ("json", "markdown", "html", "csv", "terminal"):
                    formats[name].render(doc)
            if names is not None and shown:  # a library's warning would reach the console
                raise Crash(f"warning shown: {shown[0].category.__name__}: {shown[0].message}")
        except DutycheckError as exc:
            if exc.exit_code not in (3, 4):
                raise Crash(f"DutycheckError with exit {exc.exit_code}: {exc}") from exc
            if names is not None and shown:
                raise Crash(f"warning shown: {shown[0].category.__name__}: "
                            f"{shown[0].message}") from exc
            if names is not None and exc.exit_code == 4:
                if names not in str(exc):
                    raise Crash(f"message does not name {names}: {exc}") from exc
                if PII in str(exc):
                    raise Crash(f"message quotes a personal value: {exc}") from exc
            return f"exit {exc.exit_code}"
        except Hang:
            raise Crash(f"no answer within {timeout:g} s") from None
        except Crash:
            raise
        except Exception as exc:
            raise Crash(f"{type(exc).__name__}: {exc}") from exc
        finally:
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    return "report"


# --------------------------------------------------------------------------- XLSX
# Two targets: workbooks openpyxl writes from drawn content (`workbook_scenario`), and the
# bytes of a valid workbook damaged at the byte or zip level (`damaged_workbook_scenario`).
# Both use the evidence file of a tabular kind; the other bundle files stay valid, so any
# refusal must be about the workbook and must name it.

XLSX_FILE = "register.xlsx"
XLSX_KINDS = ["complaint_review_register"] * 3 + ["custody_detention_record"]
PII = "SYN-PII-"  # personal-column values start with this; no message may quote one
SHEET_NAMES = ["Data", "Sheet1", "Register 2024-25", "Données", "'quoted'", "x" * 31,
               "Old data", "1", "Chart"]
ERROR_CODES = ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!"]
FORMULAS = ["=1+1", "=A1", "=SUM(A1:A3)", '="text"', "=NOW()", "=1/0", "=B2&C2", "=TODAY()"]


def _xml_text(max_size: int = 30, min_size: int = 0) -> Any:
    """Text openpyxl can write: no characters XML 1.0 forbids (it raises on those)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=min_size,
                   max_size=max_size).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))


odd_cells = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True), _xml_text(),
    _xml_text(1).map(lambda s: s * 400),  # long text
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.times(), st.timedeltas(dt.timedelta(0), dt.timedelta(days=400)),
    st.sampled_from(ERROR_CODES + FORMULAS + [" ", "\n", "a\r\nb", "1,234", "1.5", "2024-13-01",
                                              "yes ", "TRUE", "0", '"', "'", "=", "-"]),
)


def _tabular_kind(name: str) -> Any:
    return host().evidence_kinds()[name][1]


def _good_cell(draw: Any, col: Any, n: int) -> Any:
    """A value the column accepts (mostly): the shapes a real export writes it in."""
    if not col.required and draw(st.integers(0, 4)) == 0:
        return None
    if col.personal:
        return f"{PII}{n:04d}"
    if col.choices:
        return draw(st.sampled_from(col.choices))
    day = st.dates(dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    if col.type == "date":
        d = draw(day)
        return draw(st.sampled_from([d, d.isoformat(), dt.datetime.combine(d, dt.time())]))
    if col.type == "datetime":
        t = dt.datetime.combine(draw(day), draw(st.times()))
        return draw(st.sampled_from([t, t.strftime("%Y-%m-%d %H:%M"), t.replace(second=0,
                                                                                 microsecond=0)]))
    if col.type == "boolean":
        return draw(st.sampled_from([True, False, "yes", "no", "Y", "0"]))
    if col.type == "integer":
        return draw(st.sampled_from([draw(st.integers(0, 60)), float(draw(st.integers(0, 9)))]))
    if col.type == "number":
        return draw(st.floats(-1e6, 1e6))
    return draw(_xml_text(12, 1))


@st.composite
def _header(draw: Any, names: list[str]) -> list[Any]:
    """The kind's header, or one of the ways a real one goes wrong."""
    header: list[Any] = list(names)
    how = draw(st.sampled_from(["ok"] * 6 + ["shuffle", "blank", "dup", "long", "case", "pad",
                                             "number", "missing", "joined", "newline",
                                             "extra"]))
    i = draw(st.integers(0, len(header) - 1))
    if how == "shuffle":
        header = draw(st.permutations(header))
    elif how == "blank":
        header.insert(i, draw(st.sampled_from([None, "", " "])))
    elif how == "dup":
        header.insert(i, header[draw(st.integers(0, len(header) - 1))])
    elif how == "long":
        header.append(draw(_xml_text(1, 1)) * 2000)
    elif how == "case":
        header[i] = header[i].upper() if draw(st.booleans()) else header[i].title()
    elif how == "pad":
        header[i] = f" {header[i]}\t"
    elif how == "number":
        header[i] = draw(st.sampled_from([2024, 1.5, True, dt.date(2024, 4, 1)]))
    elif how == "missing":
        del header[i]
    elif how == "joined":
        header = [";".join(header)]
    elif how == "newline":
        header[i] = header[i] + "\n(dd/mm/yyyy)"
    elif how == "extra":
        header += draw(st.lists(_xml_text(20), min_size=1, max_size=4))
    return header


@st.composite
def workbook(draw: Any, kind_name: str) -> tuple[bytes, str | None]:
    """An openpyxl workbook for ``kind_name`` and the manifest's ``sheet:`` (or None)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    columns = list(_tabular_kind(kind_name).columns)
    clean = draw(st.integers(0, 2)) == 0  # a third are tidy exports that should load
    header = [c.name for c in columns] if clean else draw(_header([c.name for c in columns]))
    by_name = {c.name: c for c in columns}
    wb = Workbook()
    data = wb.active
    titles = draw(st.lists(st.sampled_from(SHEET_NAMES), min_size=1, max_size=3, unique=True))
    data.title = titles[0]
    if not clean and draw(st.integers(0, 6)) == 0:  # a title row above the header
        data.append([draw(_xml_text(40, 1))])
        data.merge_cells(f"A1:{get_column_letter(max(2, len(header)))}1")
    data.append(header)
    for n in range(draw(st.integers(0, 8))):
        row = []
        for h in header:
            col = by_name.get(h) if isinstance(h, str) else None
            odd = col is None or (not clean and draw(st.integers(0, 9)) == 0)
            row.append(draw(odd_cells) if odd else _good_cell(draw, col, n))
        shape = "ok" if clean else draw(st.sampled_from(["ok"] * 8 + ["short", "wide", "far",
                                                                      "formula"]))
        if shape == "short":
            row = row[:draw(st.integers(0, len(row)))]
        elif shape == "wide":
            row += draw(st.lists(odd_cells, min_size=1, max_size=40))
        elif shape == "formula" and row:
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(FORMULAS))
        data.append(row)
        if shape == "far":
            data.cell(data.max_row, draw(st.sampled_from([len(header) + 1, 200, 16384])),
                      draw(odd_cells))
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 3)) == 0 else 0):
        r1, c1 = draw(st.integers(1, max(1, data.max_row))), draw(st.integers(1, len(header)))
        r2, c2 = r1 + draw(st.integers(0, 2)), c1 + draw(st.integers(0, 2))
        if (r2, c2) != (r1, c1):
            data.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for title in titles[1:]:  # other sheets: stale rows, lookups, a cover
        other = wb.create_sheet(title, draw(st.integers(0, len(wb.sheetnames))))
        other.append(draw(st.lists(odd_cells, max_size=4)))
        if draw(st.booleans()):
            other.append(header)
        other.sheet_state = draw(st.sampled_from(["visible", "hidden", "veryHidden"]))
    if not clean:
        data.sheet_state = draw(st.sampled_from(["visible"] * 4 + ["hidden", "veryHidden"]))
    visible = [i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible"]
    hide_all = not visible
    if hide_all:
        data.sheet_state = "visible"
        visible = [wb.worksheets.index(data)]
    wb.active = visible[0]
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps docProps/core.xml with the time of saving: fixed, so that the same
    # draws give the same bytes (hypothesis needs that to replay and shrink).
    parts = [(n, re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", d))
             for n, d in _unzip(buf.getvalue())]
    if hide_all:
        parts = [(n, re.sub(rb"<sheet (?![^>]*state=)", b'<sheet state="hidden" ', d)
                  if n == "xl/workbook.xml" else d) for n, d in parts]
    if draw(st.booleans()):  # cached values for some formulas, as Excel saves them
        parts = [(n, re.sub(rb"<c ([^>]*)><f>([^<]*)</f><v\s*/>",
                            lambda m: _cached(draw, m), d)
                  if n.startswith("xl/worksheets/") else d) for n, d in parts]
    if draw(st.booleans()):  # text in a shared-string table, as Excel writes it
        parts = _share_strings(parts)
    sheet = draw(st.sampled_from([data.title] if clean else
                                 [None] * 6 + [data.title, "Missing", titles[-1]]))
    return _zip(parts), sheet


_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(?:<t[^>]*/>|<t[^>]*>(.*?)</t>)'
                     rb"</is></c>", re.S)


def _share_strings(parts: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Move every inline string into ``xl/sharedStrings.xml`` (openpyxl writes text inline;
    Excel writes a table of strings that cells point into by number)."""
    table: list[bytes] = []

    def share(m: Any) -> bytes:
        table.append(m.group(3) or b"")
        return b"<c " + m.group(1) + b't="s"' + m.group(2) + b"><v>%d</v></c>" % (len(table) - 1)

    out = [(n, _INLINE.sub(share, d) if n.startswith("xl/worksheets/") else d)
           for n, d in parts]
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d"'
           b' uniqueCount="%d">' % (len(table), len(table))
           + b"".join(b'<si><t xml:space="preserve">' + t + b"</t></si>" for t in table)
           + b"</sst>")
    override = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rel = (b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    out = [(n, d.replace(b"</Types>", override) if n == "[Content_Types].xml" else
            d.replace(b"</Relationships>", rel) if n == "xl/_rels/workbook.xml.rels" else d)
           for n, d in out]
    return out + [("xl/sharedStrings.xml", sst)]


def _cached(draw: Any, m: Any) -> bytes:
    attrs, formula = m.group(1), m.group(2)
    how = draw(st.sampled_from(["none", "number", "text", "error", "bool"]))
    if how == "none":
        return m.group(0)
    value, t = {"number": (b"42", b""), "text": (b"SYN-text", b' t="str"'),
                "error": (b"#DIV/0!", b' t="e"'), "bool": (b"1", b' t="b"')}[how]
    attrs = re.sub(rb'\s*t="[^"]*"', b"", attrs)
    return b"<c " + attrs + t + b"><f>" + formula + b"</f><v>" + value + b"</v>"


def _unzip(data: bytes) -> list[tuple[str, bytes]]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def _zip(parts: list[tuple[str, bytes]], method: int | None = None) -> bytes:
    import warnings
    import zipfile

    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if method is None else method
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is what some cases want
        with zipfile.ZipFile(buf, "w", method) as z:
            for name, data in parts:  # a fixed time stamp: the same draws, the same bytes
                z.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), data,
                           compress_type=method)
    return buf.getvalue()


ZIP_DAMAGE = ["remove", "duplicate", "rename", "junk_member",
              "empty_member", "xml_entities", "swap", "declared_size", "stored", "extra_member",
              "dimension", "far_row", "cut_member", "shared_strings"]
JUNK_XML = [b"", b"junk", b"<", b"<?xml version='1.0'?>", b"<worksheet/>",
            b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
            b"<sheetData><row r='0'><c r='A0'><v>1</v></c></row></sheetData></worksheet>",
            b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
            b"<sheetData><row r='-1'><c r='ZZZZZ1' t='s'><v>99</v></c></row></sheetData>"
            b"</worksheet>",
            b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
            b"<sheetData><row><c t='d'><v>not a date</v></c><c t='n'><v>x</v></c>"
            b"<c t='b'><v>7</v></c><c s='999'><v>1</v></c></row></sheetData></worksheet>",
            b"\xff\xfe<\x00w\x00", b"<?xml version='1.0' encoding='nope'?><a/>",
            b"\x00" * 64]
ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";")
                                                 * 10) for i in range(8))
            + b'<!ENTITY x SYSTEM "file:///etc/passwd">]>')


BYTE_DAMAGE = ["truncate", "flip", "junk_span", "declared_size"]


def _damage(draw: Any, data: bytes, how: str) -> bytes:
    """One kind of damage to a workbook's bytes, at the byte or the zip level (zip-level
    damage is done first, while the archive still opens)."""
    if not data:
        return data
    if how == "truncate":
        return data[:draw(st.integers(0, len(data) - 1))]
    if how == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            out[draw(st.integers(0, len(out) - 1))] ^= draw(st.integers(1, 255))
        return bytes(out)
    if how == "junk_span":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at + 32:]
    if how == "declared_size":
        return _declare_size(draw, data)
    parts = _unzip(data)
    if not parts:
        return data
    names = [n for n, _ in parts]
    i = draw(st.integers(0, len(parts) - 1))
    sheet = next((k for k, n in enumerate(names) if n.startswith("xl/worksheets/")), i)
    if draw(st.booleans()):
        i = sheet  # the worksheet is the most interesting member
    name, body = parts[i]
    if how == "remove":
        del parts[i]
    elif how == "duplicate":
        parts.insert(draw(st.integers(0, len(parts))), (name, draw(st.sampled_from(
            [body, b"junk", parts[0][1]]))))
    elif how == "rename":
        parts[i] = (draw(st.sampled_from([name.upper(), name + ".bak", "/" + name,
                                          name.replace("sheet", "sheet9"), "../" + name,
                                          name.replace("/", "\\")])), body)
    elif how == "junk_member":
        parts[i] = (name, draw(st.one_of(st.sampled_from(JUNK_XML), st.binary(max_size=200))))
    elif how == "empty_member":
        parts[i] = (name, b"")
    elif how == "cut_member":
        parts[i] = (name, body[:draw(st.integers(0, max(0, len(body) - 1)))])
    elif how == "xml_entities":  # billion laughs and an external entity in a member
        at = body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0
        body = ENTITIES + body[at:]
        body = re.sub(rb"<t>[^<]*</t>|<v>[^<]*</v>", draw(st.sampled_from(
            [b"<t>&i;</t>", b"<t>&x;</t>", b"<v>&i;</v>"])), body, count=1)
        parts[i] = (name, body)
    elif how == "swap":
        j = draw(st.integers(0, len(parts) - 1))
        parts[i], parts[j] = (name, parts[j][1]), (parts[j][0], body)
    elif how == "stored":
        import zipfile

        return _zip(parts, zipfile.ZIP_STORED)
    elif how == "extra_member":
        parts.append((draw(st.sampled_from(["xl/vbaProject.bin", "xl/macrosheets/sheet1.xml",
                                            "../../evil.txt", "xl/worksheets/", "a" * 300,
                                            "xl/sharedStrings.xml"])), b"junk"))
    elif how == "dimension":
        parts[sheet] = (names[sheet], re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="'
                                             + draw(st.sampled_from(
                                                 [b"A1:XFD1048576", b"A1:XFD1", b"A1:A1",
                                                  b"A1048576", b"ZZZ", b"", b"A0:B-1",
                                                  b"A1:L100000"])) + b'"',
                                             parts[sheet][1]))
    elif how == "far_row":  # the last row moved to the sheet's bottom edge
        body = parts[sheet][1]
        rows = list(re.finditer(rb'<row r="(\d+)"', body))
        if rows:
            last = rows[-1]
            n = last.group(1)
            far = draw(st.sampled_from([b"1048576", b"100000", b"99999999999"]))
            tail = re.sub(rb'(<c r="[A-Z]+)' + n + rb'"', rb"\g<1>" + far + b'"',
                          body[last.start():])
            body = body[:last.start()] + tail.replace(b'<row r="' + n, b'<row r="' + far, 1)
            if draw(st.booleans()):  # and the declared size grown to match (or beyond)
                body = re.sub(rb'<dimension ref="([A-Z]+)1:[A-Z]+\d+"', b'<dimension ref="A1:'
                              + draw(st.sampled_from([b"XFD", b"ZZ", b"L"])) + far + b'"', body)
            parts[sheet] = (names[sheet], body)
    elif how == "shared_strings":  # cells point into a shared-string table that is short
        body = parts[sheet][1]
        body = re.sub(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
                      lambda m: b'<c r="' + m.group(1) + b'" t="s"><v>' + draw(
                          st.sampled_from([b"0", b"1", b"999", b"-1", b"x"])) + b"</v></c>",
                      body)
        parts[sheet] = (names[sheet], body)
        if draw(st.booleans()):
            parts.append(("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats'
                          b'.org/spreadsheetml/2006/main"><si><t>only</t></si></sst>'))
    return _zip(parts)


def _declare_size(draw: Any, data: bytes) -> bytes:
    """A central-directory or local-header field of one member set to an absurd value."""
    out = bytearray(data)
    sig = draw(st.sampled_from([b"PK\x01\x02", b"PK\x03\x04", b"PK\x05\x06"]))
    spots = [m.start() for m in re.finditer(re.escape(sig), data)]
    if not spots:
        return data
    at = draw(st.sampled_from(spots))
    offsets = {b"PK\x01\x02": [20, 24, 28, 42], b"PK\x03\x04": [18, 22, 26],
               b"PK\x05\x06": [8, 10, 12, 16]}[sig]
    field_at = at + draw(st.sampled_from(offsets))
    value = draw(st.sampled_from([0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 10**9]))
    width = 2 if (sig == b"PK\x05\x06" and field_at - at in (8, 10)) or \
        (sig == b"PK\x03\x04" and field_at - at == 26) else 4
    out[field_at:field_at + width] = (value & (1 << 8 * width) - 1).to_bytes(width, "little")
    return bytes(out)


def _xlsx_files(draw: Any, kind_name: str, data: bytes, sheet: str | None
                ) -> dict[str, str | bytes]:
    """A valid bundle whose one tabular item is the workbook ``data``."""
    item: dict[str, Any] = {"id": "register", "kind": kind_name, "file": XLSX_FILE,
                            "effective_date": "2025-03-31", "source": {"document": "fuzz"}}
    if sheet is not None:
        item["sheet"] = sheet
    manifest = {"organisation": "Fuzz OPCC", "period": {"start": "2024-04-01",
                                                         "end": "2025-03-31"},
                "prepared_by": "fuzz", "items": [item]}
    return {"bundle/bundle.yaml": _yaml(manifest), f"bundle/{XLSX_FILE}": data,
            "duties/fuzz.yaml": _yaml(XLSX_DUTY)}


XLSX_DUTY = {"id": "fuzz.duty", "title": "Rows in the workbook", "kind": "statutory",
             "holder": "PCC", "source": {"title": "Test Act 2024 s.1", "basis": "statute"},
             "cadence": "annual", "requirements": [{
                 "id": "req-0", "kind": "measure", "title": "Rows", "unit": "rows",
                 "value": {"sql": "SELECT count(*) FROM register"},
                 "direction": "higher-is-better", "basis": "inference",
                 "bands": {"green": {"at_least": 5}, "amber": {"at_least": 1, "below": 5},
                           "red": {"below": 1}}}]}


@st.composite
def workbook_scenario(draw: Any) -> dict[str, str | bytes]:
    """Target ``xlsx``: a workbook openpyxl wrote from drawn cells, sheets and merges."""
    kind_name = draw(st.sampled_from(XLSX_KINDS))
    data, sheet = draw(workbook(kind_name))
    return _xlsx_files(draw, kind_name, data, sheet)


@st.composite
def damaged_workbook_scenario(draw: Any) -> dict[str, str | bytes]:
    """Target ``xlsx-bytes``: a valid workbook damaged one to three times."""
    kind_name = draw(st.sampled_from(XLSX_KINDS))
    data, sheet = draw(workbook(kind_name))
    damage = draw(st.lists(st.sampled_from(ZIP_DAMAGE + BYTE_DAMAGE * 3), min_size=1,
                           max_size=3))
    for how in sorted(damage, key=BYTE_DAMAGE.__contains__):
        data = _damage(draw, data, how)
    return _xlsx_files(draw, kind_name, data, sheet)
