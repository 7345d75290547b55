"""Evidence bundles: the manifest, the files it names, and the run's DuckDB database.

Every file is hashed on load; no path may leave the bundle folder; structured items
are validated against their kind's schema and tabular items against declared column
types, so a check never sees malformed evidence. Evidence files are only read.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from . import schemas, yamlsource
from .errors import InvalidInput, Problem
from .kinds import EvidenceKind, StructuredKind, TabularKind
from .table import Matches, Table, quote_ident, row_citation

MANIFEST = "bundle.yaml"
MAX_EVIDENCE_BYTES = 512 * 1024 * 1024  # DUTYCHECK_MAX_EVIDENCE_BYTES overrides it


def max_evidence_bytes() -> int:
    """The per-file evidence size limit: a clear refusal rather than an unbounded load."""
    import os

    raw = os.environ.get("DUTYCHECK_MAX_EVIDENCE_BYTES")
    if raw is None:
        return MAX_EVIDENCE_BYTES
    try:
        return int(raw)
    except ValueError:
        from .errors import UsageError

        raise UsageError(f"DUTYCHECK_MAX_EVIDENCE_BYTES must be a number of bytes, not "
                         f"{raw!r}") from None
# An XLSX is a zip of XML parts that openpyxl inflates in full; real worksheets compress
# about 10-15:1 (even identical rows stay under 20:1), while a deflate bomb reaches 1000:1.
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM_BYTES = 4 * 1024 * 1024  # the ratio is only judged on parts this large
XLSX_MAX_ROWS = 1_048_576  # the most rows a worksheet can have (Excel's limit)
TABULAR_SUFFIXES = {".csv", ".xlsx"}
STRUCTURED_SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass
class EvidenceItem:
    """One file of evidence as a check sees it."""

    id: str
    kind: str
    file: str  # relative to the bundle folder
    sha256: str
    effective_date: dt.date
    source: dict[str, Any]
    synthetic: bool = False
    title: str | None = None
    data: Any = None  # structured items
    table: Table | None = None  # tabular items
    manifest_line: int | None = None

    def ref(self, detail: str | None = None, rows: Matches | list[int] | None = None,
            total: int | None = None) -> dict[str, Any]:
        """A JSON-ready evidence reference for a finding (file, hash, and where in it:
        ``detail`` such as a field path, or ``rows`` cited by number; ``total`` counts
        every matching row when ``rows`` holds only the first few). ``rows`` may be the
        ``Matches`` of ``Table.matching``, which carries its own total."""
        if isinstance(rows, Matches):
            rows, total = rows.rows, rows.count
        if rows:
            detail = row_citation(rows, total=total)
        out = {"item": self.id, "kind": self.kind, "file": self.file, "sha256": self.sha256,
               "effective_date": self.effective_date.isoformat()}
        if detail:
            out["at"] = detail
        if self.synthetic:
            out["synthetic"] = True
        return out


@dataclass
class Bundle:
    folder: Path
    organisation: str
    period_start: dt.date
    period_end: dt.date
    prepared_by: Any
    items: list[EvidenceItem]
    manifest_sha256: str
    period_label: str | None = None
    templates: list[EvidenceItem] = field(default_factory=list)  # `template: true`, unused
    _db: Any = field(default=None, repr=False)
    _tmp: Any = field(default=None, repr=False)

    def by_kind(self, kind: str) -> list[EvidenceItem]:
        return [i for i in self.items if i.kind == kind]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load(folder: Path, kinds: dict[str, EvidenceKind],
         bank_holidays: list[str] | tuple[str, ...] = (), unknown_hint: str = "") -> Bundle:
    """Read and validate a bundle. Raises :class:`InvalidInput` listing every problem.
    ``unknown_hint`` is added to unknown-kind messages (e.g. which plugins were refused)."""
    import duckdb

    folder = Path(folder)
    if not folder.is_dir():
        if folder.name == MANIFEST and folder.is_file():
            raise InvalidInput.one(str(folder), "give the bundle's folder, not its manifest: "
                                   f"{folder.parent}")
        raise InvalidInput.one(str(folder), "is a file, not a bundle folder (a folder "
                               "holding bundle.yaml)" if folder.exists() else
                               "bundle folder does not exist")
    manifest_path = folder / MANIFEST
    shown = str(folder / MANIFEST)
    if not manifest_path.is_file():
        raise InvalidInput.one(shown, "bundle has no bundle.yaml manifest "
                               "(create one with `dutycheck init`)")
    doc = yamlsource.load(manifest_path, display=shown)
    schemas.validate(doc, "bundle")
    data = doc.data
    problems: list[Problem] = []

    start, end = _date(data["period"]["start"]), _date(data["period"]["end"])
    if end < start:
        problems.append(_p(doc, ("period", "end"), "period ends before it starts"))

    root = folder.resolve()
    tmp = tempfile.TemporaryDirectory(prefix="dutycheck-")
    try:
        db = duckdb.connect(":memory:", config=_duckdb_config(Path(tmp.name)))
    except duckdb.Error as exc:
        tmp.cleanup()
        from .errors import UsageError

        raise UsageError(f"DUTYCHECK_MEMORY_LIMIT or DUTYCHECK_THREADS: {exc}") from None
    items: list[EvidenceItem] = []
    templates: list[EvidenceItem] = []
    ids: set[str] = set()
    for i, raw in enumerate(data["items"]):
        at = ("items", i)
        kind = kinds.get(raw["kind"])
        if kind is None:
            known = ", ".join(sorted(kinds)) or "none"
            problems.append(_p(doc, at + ("kind",), f"unknown evidence kind {raw['kind']!r}; "
                               f"installed plugins declare: {known}{unknown_hint}"))
            continue
        item_id = raw.get("id", raw["kind"])
        if item_id in ids:
            problems.append(_p(doc, at + ("id",), f"duplicate item id {item_id!r}; give each "
                               "item of the same kind its own `id`"))
            continue
        ids.add(item_id)
        path, err = _inside(root, raw["file"])
        if err:
            problems.append(_p(doc, at + ("file",), err))
            continue
        size = path.stat().st_size
        limit = max_evidence_bytes()
        if size > limit:
            problems.append(_p(doc, at + ("file",), f"{raw['file']!r} is {size:,} bytes; the "
                               f"limit is {limit:,} (DUTYCHECK_MAX_EVIDENCE_BYTES)"))
            continue
        line, _ = doc.where(at)
        item = EvidenceItem(
            id=item_id, kind=raw["kind"], file=raw["file"], sha256=_sha256(path),
            effective_date=_date(raw["effective_date"]), source=raw["source"],
            synthetic=bool(raw.get("synthetic", False)), title=raw.get("title"),
            manifest_line=line,
        )
        shown_file = str(folder / raw["file"])
        suffix = path.suffix.lower()
        try:
            if isinstance(kind, StructuredKind):
                if suffix not in STRUCTURED_SUFFIXES:
                    raise InvalidInput([_p(doc, at + ("file",), f"{kind.name} is structured "
                                           "evidence: expected a .yaml, .yml or .json file")])
                ev = yamlsource.load(path, display=shown_file)
                schemas.validate(ev, kind.schema)
                item.data = ev.data
            else:
                if suffix not in TABULAR_SUFFIXES:
                    raise InvalidInput([_p(doc, at + ("file",), f"{kind.name} is tabular "
                                           "evidence: expected a .csv or .xlsx file")])
                if suffix == ".xlsx":
                    csv_path = _xlsx_to_csv(path, raw.get("sheet"), shown_file,
                                            Path(tmp.name) / f"{item_id}.csv",
                                            {c.name for c in kind.columns
                                             if c.type == "datetime"})
                else:
                    if raw.get("sheet"):
                        raise InvalidInput([_p(doc, at + ("sheet",), "`sheet` applies to .xlsx "
                                               "files only")])
                    csv_path = path
                try:
                    item.table = _load_table(db, kind, item_id, csv_path, shown_file)
                except InvalidInput as exc:
                    if suffix == ".xlsx":
                        exc = _in_sheet(exc, path, kind, raw.get("sheet"))
                    raise exc from None
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        if raw.get("template"):
            # Checked like any item (so `validate` passes a fresh `init` bundle) but not
            # evidence: a duty that needs it is Not evidenced until the officer fills it in.
            if item.table is not None:
                db.execute(f"DROP TABLE {item.table.sql_name}")
                item.table = None
            templates.append(item)
            continue
        items.append(item)

    if problems:
        db.close()
        tmp.cleanup()
        raise InvalidInput(problems)

    # One view per kind (when unambiguous) so duty YAML can say `FROM complaint_review_register`.
    for kind_name in sorted({i.kind for i in items if i.table is not None}):
        same = [i for i in items if i.kind == kind_name]
        if len(same) == 1 and same[0].table.sql_name != quote_ident(kind_name):
            db.execute(f"CREATE VIEW {quote_ident(kind_name)} AS SELECT * FROM "
                       f"{same[0].table.sql_name}")
    prepare_sql(db, bank_holidays)

    return Bundle(
        folder=folder, organisation=data["organisation"], period_start=start, period_end=end,
        prepared_by=data["prepared_by"], items=items,
        manifest_sha256=_sha256(manifest_path), period_label=data["period"].get("label"),
        templates=templates, _db=db, _tmp=tmp,
    )


def _duckdb_config(tmp: Path) -> dict[str, str]:
    """DuckDB settings from the environment: ``DUTYCHECK_MEMORY_LIMIT`` (e.g. ``1GB``; past
    it DuckDB spills to the run's temporary folder, never the working directory) and
    ``DUTYCHECK_THREADS`` (default: one per CPU). Both are fixed before any evidence is
    read."""
    import os

    config = {"temp_directory": str(tmp / "duckdb")}
    if os.environ.get("DUTYCHECK_MEMORY_LIMIT"):
        config["memory_limit"] = os.environ["DUTYCHECK_MEMORY_LIMIT"]
    if os.environ.get("DUTYCHECK_THREADS"):
        config["threads"] = os.environ["DUTYCHECK_THREADS"]
    return config


def _p(doc: yamlsource.Located, path: tuple, message: str) -> Problem:
    line, col = doc.where(path)
    return Problem(doc.file, message, line, col, yamlsource.json_path(path))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _inside(root: Path, relative: str) -> tuple[Path, str | None]:
    """Resolve ``relative`` and refuse anything outside the bundle (``..``, absolute, links)."""
    candidate = root / relative
    if Path(relative).is_absolute():
        return candidate, f"{relative!r} is an absolute path; evidence must be inside the bundle"
    if candidate.is_symlink():
        return candidate, f"{relative!r} is a symbolic link; evidence must be a real file " \
                          "inside the bundle"
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root):
        return resolved, f"{relative!r} leaves the bundle folder"
    if not resolved.is_file():
        return resolved, f"{relative!r} does not exist in the bundle"
    return resolved, None


def _xlsx_to_csv(path: Path, sheet: str | None, shown: str, out: Path,
                 datetimes: set[str] = frozenset()) -> Path:
    """Copy one worksheet's values to a CSV so XLSX and CSV share a single typed loader
    (DuckDB's own Excel extension is downloaded at run time, which is not possible here).
    Cells under a ``datetime`` column keep their time even at midnight."""
    with warnings.catch_warnings():
        # openpyxl warns of parts it skips (odd relationships, styles, extensions): none
        # changes a value read, and the warning would reach the console as library noise.
        warnings.simplefilter("ignore")
        return _read_xlsx(path, sheet, shown, out, datetimes)


def _read_xlsx(path: Path, sheet: str | None, shown: str, out: Path,
               datetimes: set[str]) -> Path:
    from openpyxl import load_workbook

    _check_xlsx_archive(path, shown)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InvalidInput.one(shown, _unopenable(exc)) from None
    try:
        if sheet is None:
            # The first *visible* sheet: a hidden sheet (old rows, lookups) is never read
            # unless the manifest names it.
            visible = [w for w in wb.worksheets if w.sheet_state == "visible"]
            if not visible:
                raise InvalidInput.one(shown, "workbook has no visible sheet; name one with "
                                       "`sheet:` in the manifest")
            ws = visible[0]
        elif sheet in wb.sheetnames:
            ws = next((w for w in wb.worksheets if w.title == sheet), None)
            if ws is None:
                raise InvalidInput.one(shown, f"sheet {sheet!r} is a chart, not a worksheet")
        else:
            raise InvalidInput.one(shown, f"workbook has no sheet {sheet!r}; it has: "
                                   + ", ".join(repr(s) for s in wb.sheetnames))
        # With data_only a formula reads as its cached value, or None when the file was
        # never calculated (written by a program, not Excel): that None must not pass for a
        # blank cell. Only a sheet that has formulas is read a second time to find them.
        formulas = None
        if _has_formulas(path, getattr(ws, "_worksheet_path", None)):
            formulas = load_workbook(path, read_only=True, data_only=False)
        uncalculated: list[tuple[int, int]] = []
        done = 0  # rows read whole, for the message if the sheet turns out to be damaged
        # openpyxl pads every row to the sheet's declared width and fills any gap in the row
        # numbers with blank rows, so a few bytes of XML (one cell at XFD1048576) can stand
        # for 16 GB of CSV: what is written is bounded like any evidence file.
        limit, size, too_big, too_long = max_evidence_bytes(), 0, False, False
        try:
            rows = ws.iter_rows(values_only=True)
            twins = (formulas[ws.title].iter_rows(values_only=True) if formulas is not None
                     else iter(()))
            with open(out, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                keep_time: set[int] = set()
                for i, (row, twin) in enumerate(zip_longest(rows, twins)):
                    if row is None:  # pragma: no cover - both reads parse the same part
                        break
                    if i == XLSX_MAX_ROWS:  # a row numbered past the sheet's end: padding
                        too_long = True
                        break
                    if i == 0:
                        keep_time = {j for j, h in enumerate(row)
                                     if h is not None and str(h).strip() in datetimes}
                    if twin is not None and None in row:
                        uncalculated += [(i + 1, j + 1) for j, (v, f)
                                         in enumerate(zip(row, twin, strict=False))
                                         if v is None and f is not None]
                    if row.count(None) == len(row):  # a blank row (often padding): cheap
                        line = _blank_line(len(row))
                        fh.write(line)
                        size += len(line)
                    else:
                        cells = ["" if v is None else _cell(v, j in keep_time)
                                 for j, v in enumerate(row)]
                        writer.writerow(cells)
                        size += sum(map(len, cells)) + len(cells) + 1
                    done = i + 1
                    if size > limit:
                        too_big = True
                        break
        except OSError:
            raise
        except Exception as exc:  # damaged XML or data; its text may quote a cell, so unsaid
            raise InvalidInput.one(shown, f"cannot read sheet {ws.title!r} as XLSX: the "
                                   f"worksheet is damaged ({type(exc).__name__}) after row {done}; "
                                   "open and save it in Excel or LibreOffice, or save it as "
                                   "CSV", done + 1) from None
        finally:
            if formulas is not None:
                formulas.close()
    finally:
        wb.close()
    if too_long:
        out.unlink()
        raise InvalidInput.one(shown, f"sheet {ws.title!r} goes on past row "
                               f"{XLSX_MAX_ROWS:,}, the last row a worksheet can have: the "
                               "workbook is damaged (a row numbered beyond the end of the "
                               "sheet); open and save it in Excel or LibreOffice, or save it as "
                               "CSV", XLSX_MAX_ROWS + 1)
    if too_big:
        out.unlink()
        raise InvalidInput.one(shown, f"sheet {ws.title!r} ({len(row):,} columns wide) grows "
                               f"past the evidence size limit of {limit:,} bytes "
                               f"(DUTYCHECK_MAX_EVIDENCE_BYTES) by row {done:,} when read as "
                               "CSV; empty rows or columns far beyond the data (a cell or row "
                               "number at the sheet's edge) make it this large: delete "
                               "everything below and to the right of the data and save it "
                               "again, or save it as CSV", done)
    if uncalculated:
        raise InvalidInput(_uncalculated(shown, uncalculated))
    return out


def _in_sheet(exc: InvalidInput, path: Path, kind: TabularKind,
              named: str | None) -> InvalidInput:
    """Name the sheet in every problem found in a workbook's table ("sheet 'Tracker',
    row 2, column 'status': ..."), since its rows and columns are the sheet's, not the
    file's. When columns are missing and the manifest named no sheet, also say which sheet
    has them: a register often sits behind a "Notes" sheet. Only runs on failure."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            visible = [w for w in wb.worksheets
                       if w.sheet_state == "visible" and hasattr(w, "iter_rows")]
            read = named or (visible[0].title if visible else None)
            needed = {c.name for c in kind.columns if c.required}
            fits = []
            for ws in visible if not named else ():
                if ws.title == read:
                    continue
                first = next(ws.iter_rows(max_row=1, values_only=True), ())
                if needed <= {str(v).strip() for v in first if v is not None}:
                    fits.append(ws.title)
        finally:
            wb.close()
    several = not named and len(visible) > 1
    hint = ""
    if several:
        hint = ("; " + (f"sheet {fits[0]!r} has the columns {kind.name} expects: add `sheet: "
                        f"{fits[0]}` to this item in the manifest" if fits else
                        "the workbook also has " + ", ".join(repr(w.title) for w in visible[1:])
                        + ": name the sheet to read with `sheet:` in the manifest"))
    which = f"sheet {read!r}" + (" (the first visible sheet)" if several else "")

    def told(p: Problem) -> Problem:
        if not read or p.message.startswith("sheet "):
            return p
        extra = hint if p.message.startswith("missing column(s)") else ""
        return Problem(p.file, f"{which}, {p.message}{extra}", p.line, p.column, p.path)

    return InvalidInput([told(p) for p in exc.problems])


@functools.lru_cache(maxsize=8)
def _blank_line(width: int) -> str:
    """The CSV line of ``width`` empty cells, exactly as :func:`csv.writer` writes it."""
    buf = io.StringIO()
    csv.writer(buf).writerow([""] * width)
    return buf.getvalue()


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formulas(path: Path, part: str | None) -> bool:
    """Whether a worksheet part holds any formula: a byte scan of the XML, some 40 times
    cheaper than parsing it again, so a sheet without formulas (a system export) is read
    once. Text in XML cannot hold a raw ``<``, so a cell's text never matches; a false
    match, or a part we cannot find, only costs the second read."""
    import zipfile

    if not part:
        return True
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as fh:
            tail = b""
            while chunk := fh.read(1 << 20):
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-32:]
    except Exception:  # a missing or damaged part: the full read that follows reports it
        return True
    return False


def _uncalculated(shown: str, cells: list[tuple[int, int]]) -> list[Problem]:
    """Formula cells without a calculated value: the first five by place, then a count."""
    from openpyxl.utils import get_column_letter

    fix = ("open the workbook in Excel or LibreOffice and save it, so the calculated values "
           "are stored")
    problems = [Problem(shown, f"cell {get_column_letter(c)}{r} holds a formula with no "
                        f"calculated value; {fix}", r, c) for r, c in cells[:5]]
    if len(cells) > 5:
        problems.append(Problem(shown, f"and {len(cells) - 5:,} more formula cell(s) with no "
                                "calculated value"))
    return problems


def _check_xlsx_archive(path: Path, shown: str) -> None:
    """Refuse a workbook from its zip central directory alone, before anything is inflated:
    one that unpacks past the evidence size limit or has a part compressed beyond any real
    worksheet (a decompression bomb), or one that carries macros (an .xlsm renamed .xlsx).
    The declared sizes bound what openpyxl reads: :mod:`zipfile` stops at a part's declared
    size and fails its CRC if the data goes on."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            limit = max_evidence_bytes()
            if total > limit:
                raise InvalidInput.one(shown, f"workbook unpacks to {total:,} bytes "
                                       f"uncompressed; the limit is {limit:,} "
                                       "(DUTYCHECK_MAX_EVIDENCE_BYTES)")
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > XLSX_RATIO_FROM_BYTES and ratio > XLSX_MAX_RATIO:
                    raise InvalidInput.one(shown, f"part {info.filename} is "
                                           f"{info.compress_size:,} bytes compressed and "
                                           f"{info.file_size:,} uncompressed ({ratio:,.0f}:1); "
                                           "no real worksheet compresses beyond "
                                           f"{XLSX_MAX_RATIO}:1, so the workbook is refused "
                                           "as a possible decompression bomb")
            macros = [i.filename for i in infos
                      if i.filename.lower().rsplit("/", 1)[-1] == "vbaproject.bin"
                      or i.filename.lower().startswith("xl/macrosheets/")]
            if not macros:
                types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
                if types is not None and types.file_size <= 1024 * 1024:
                    declared = archive.read(types).lower()
                    if b"vbaproject" in declared or b"macroenabled" in declared:
                        macros = ["[Content_Types].xml declares a macro-enabled workbook"]
    except InvalidInput:
        raise
    except Exception as exc:  # zipfile raises several types for damaged archives
        raise InvalidInput.one(shown, _unopenable(exc)) from None
    if macros:
        raise InvalidInput.one(shown, f"workbook contains macros ({macros[0]}): it is a "
                               "macro-enabled workbook (.xlsm) saved as .xlsx, and macro-enabled "
                               "workbooks are refused; save it as an Excel Workbook (.xlsx) "
                               "without macros, or as CSV")


def _unopenable(exc: Exception) -> str:
    """Why a workbook cannot be opened, and what to do. zipfile's and zlib's own words say
    what is wrong with the archive; a bare KeyError says only ``'rId1'``, so the type is
    added. The workbook's structure is read here, never its cells, so no value is quoted."""
    import zipfile
    import zlib

    why = str(exc) if isinstance(exc, (zipfile.BadZipFile, zlib.error)) and str(exc) \
        else f"{type(exc).__name__} {exc}".strip()
    return (f"cannot open as XLSX: {why.rstrip('.')}; the file is damaged or is not an Excel "
            "workbook: open and save it in Excel or LibreOffice as an Excel Workbook (.xlsx), "
            "or save it as CSV")


def _cell(value: Any, keep_time: bool = False) -> str:
    if isinstance(value, dt.datetime):
        if value.microsecond:  # Excel stores times as fractions of a day: round to the second
            value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if keep_time:
            return value.isoformat(sep=" ")
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: The DuckDB type each declared column type is loaded as.
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE",
              "datetime": "TIMESTAMP", "boolean": "BOOLEAN"}
_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")
# The shapes a datetime may take: DuckDB's own cast also accepts a bare date, or a time-zone
# offset that it would silently drop, so the shape is checked before the cast (LIKE is the
# cheapest check DuckDB has; the cast then checks the digits and the calendar).
_DATETIME_SHAPES = ("____-__-__ __:__", "____-__-__T__:__", "____-__-__ __:__:__",
                    "____-__-__T__:__:__")


def _typed(v: str, type_: str) -> str:
    """SQL turning ``v`` (an expression: the trimmed text, NULL when blank) into ``type_``;
    NULL when the text does not parse."""
    if type_ == "boolean":
        cases = " ".join(f"WHEN '{x}' THEN true" for x in _TRUE)
        cases += " " + " ".join(f"WHEN '{x}' THEN false" for x in _FALSE)
        return f"CASE lower({v}) {cases} END"
    if type_ == "string":
        return v
    if type_ == "datetime":
        shape = " OR ".join(f"{v} LIKE '{s}'" for s in _DATETIME_SHAPES)
        return f"CASE WHEN {shape} THEN TRY_CAST({v} AS TIMESTAMP) END"
    if type_ == "integer":
        # DuckDB would round "2.5" to 3 and read "1.234" (a European thousands separator)
        # as 1: a whole-number column refuses any decimal point instead.
        return f"CASE WHEN NOT contains({v}, '.') THEN TRY_CAST({v} AS BIGINT) END"
    return f"TRY_CAST({v} AS {SQL_TYPES[type_]})"


def _text(q: str) -> str:
    """A column's text with outer spaces trimmed, NULL when blank. Same as
    ``nullif(trim(q), '')``, but only a value that starts or ends with a space pays for the
    trim (a new string): most values never do, and trimming every cell of a million-row
    file is the largest single cost of loading it."""
    return (f"CASE WHEN {q} = '' THEN NULL WHEN starts_with({q}, ' ') OR ends_with({q}, ' ') "
            f"THEN nullif(trim({q}), '') ELSE {q} END")


_EXPECT = {"integer": "a whole number", "number": "a number", "date": "a date as YYYY-MM-DD",
           "datetime": "a date and time as YYYY-MM-DD HH:MM",
           "boolean": "yes/no (true/false, y/n, 1/0)"}


def _read_csv(columns: str) -> str:
    return (f"read_csv(?, header = true, auto_detect = false, columns = {columns}, "
            "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
            "null_padding = false)")


def _load_table(db: Any, kind: TabularKind, item_id: str, csv_path: Path, shown: str) -> Table:
    """Read the CSV once, straight into the typed table. Each column's text is trimmed and
    cast once; a single flag per row says whether any value failed its column's type,
    requirement or choices. Only when a row is flagged is the file read again, as text,
    to say exactly where (file:row:col) and what was found."""
    import duckdb

    header = _header(csv_path, shown)
    columns = "{" + ", ".join(f"'{h.replace(chr(39), chr(39) * 2)}': 'VARCHAR'"
                              for h in header) + "}"
    missing = [c.name for c in kind.columns if c.required and c.name not in header]
    _check_misspelt(header, kind, shown)
    sep = _other_delimiter(header, {c.name for c in kind.columns}) if missing else None
    if sep:
        fix = ("split it into one column per name (Data > Text to Columns)"
               if shown.lower().endswith(".xlsx") else
               "save the file as comma-separated CSV (UTF-8)")
        raise InvalidInput.one(shown, f"the header is separated by {sep}, not commas, so "
                               f"column(s) {', '.join(missing)} cannot be found; {fix}", 1)
    present = [c for c in kind.columns if c.name in header]
    raw = [f"{_text(quote_ident(c.name))} AS {quote_ident(f'__v{i}')}"
           for i, c in enumerate(present)]
    typed, flags = ["__row"], []
    for col in kind.columns:
        q = quote_ident(col.name)
        if col not in present:
            typed.append(f"CAST(NULL AS {SQL_TYPES[col.type]}) AS {q}")
            continue
        v = quote_ident(f"__v{present.index(col)}")
        expr = _typed(v, col.type)
        typed.append(f"{expr} AS {q}")
        if col.type != "string":
            flags.append(f"({v} IS NOT NULL AND ({expr}) IS NULL)")
        if col.required:
            flags.append(f"{v} IS NULL")
        if col.choices:
            allowed = ", ".join("'" + c.replace("'", "''") + "'" for c in col.choices)
            flags.append(f"{v} NOT IN ({allowed})")
    flag = " OR ".join(flags) or "false"
    data = quote_ident(f"__data_{item_id}")
    try:
        db.execute(
            f"CREATE TABLE {data} AS SELECT {', '.join(typed)}, coalesce({flag}, false) AS "
            f"__bad FROM (SELECT row_number() OVER () AS __row, {', '.join(raw) or '1'}, "
            f"{_blank(header)} AS __blank FROM {_read_csv(columns)}) WHERE NOT __blank",
            [str(csv_path)])
    except duckdb.Error as exc:
        raise InvalidInput([_csv_problem(str(exc), shown)]) from None
    if missing:
        db.execute(f"DROP TABLE {data}")
        raise InvalidInput.one(shown, f"missing column(s) {', '.join(missing)}; {kind.name} "
                               "expects: " + ", ".join(c.name for c in kind.columns), 1, None)
    if db.execute(f"SELECT bool_or(__bad) FROM {data}").fetchone()[0]:
        db.execute(f"DROP TABLE {data}")
        raise InvalidInput(_problems(db, kind, item_id, csv_path, shown, header, columns))
    name = quote_ident(item_id)
    db.execute(f"ALTER TABLE {data} DROP COLUMN __bad")
    db.execute(f"ALTER TABLE {data} RENAME TO {name}")
    return Table(db, kind, item_id)


def _problems(db: Any, kind: TabularKind, item_id: str, csv_path: Path, shown: str,
              header: list[str], columns: str) -> list[Problem]:
    """Where the values that failed are (the first five per column and rule); only run
    when a load has already found a bad row, so its cost never falls on a good bundle."""
    stage = quote_ident(f"__stage_{item_id}")
    db.execute(f"CREATE TEMP TABLE {stage} AS SELECT * FROM (SELECT row_number() OVER () AS "
               f"__row, *, {_blank(header)} AS __blank FROM {_read_csv(columns)}) "
               "WHERE NOT __blank", [str(csv_path)])
    problems: list[Problem] = []
    for col in kind.columns:
        if col.name not in header:
            continue
        q = quote_ident(col.name)
        text = f"nullif(trim({q}), '')"
        col_no = header.index(col.name) + 1
        if col.type != "string":
            bad = db.execute(f"SELECT __row, {q} FROM {stage} WHERE {text} IS NOT NULL AND "
                             f"({_typed(text, col.type)}) IS NULL ORDER BY __row LIMIT 5"
                             ).fetchall()
            for row, value in bad:
                shown_value = "(hidden: personal data)" if col.personal else repr(value)
                problems.append(Problem(shown, f"row {row}, column {col.name!r}: expected "
                                        f"{_EXPECT[col.type]}, found {shown_value}",
                                        row + 1, col_no))
        if col.required:
            blank = db.execute(f"SELECT __row FROM {stage} WHERE {text} IS NULL "
                               "ORDER BY __row LIMIT 5").fetchall()
            problems.extend(Problem(shown, f"row {r}, column {col.name!r}: a value is required",
                                    r + 1, col_no) for (r,) in blank)
        if col.choices:
            allowed = ", ".join("'" + c.replace("'", "''") + "'" for c in col.choices)
            bad = db.execute(f"SELECT __row, {q} FROM {stage} WHERE {text} IS NOT NULL AND "
                             f"trim({q}) NOT IN ({allowed}) ORDER BY __row LIMIT 5").fetchall()
            problems.extend(Problem(shown, f"row {r}, column {col.name!r}: {v!r} is not one of "
                                    + ", ".join(col.choices), r + 1, col_no) for r, v in bad)
    db.execute(f"DROP TABLE {stage}")
    return problems


def _blank(header: list[str]) -> str:
    """True for a row with no value in any column: the empty rows a spreadsheet leaves
    below its data (",,,,," in CSV, formatted but empty rows in XLSX) are not records.
    They are skipped; row numbers still count them, so a cited row is the file's row."""
    return f"coalesce({', '.join(quote_ident(h) for h in header)}) IS NULL"


def _check_misspelt(header: list[str], kind: TabularKind, shown: str) -> None:
    """A header name that is not a column of the kind but nearly matches one the file
    lacks is a misspelling: without this, an optional column would silently read as empty
    and its checks would rate the gap (0 of 255 acknowledged) rather than the evidence."""
    import difflib

    declared = {c.name for c in kind.columns}
    absent = [c.name for c in kind.columns if c.name not in header]
    for j, name in enumerate(header):
        if name in declared:
            continue
        near = difflib.get_close_matches(name.lower(), absent, n=1, cutoff=0.8)
        if near:
            raise InvalidInput.one(
                shown, f"column {name!r} is not a column of {kind.name}: did you mean "
                f"{near[0]!r}? The file has no {near[0]!r} column, so its values would be "
                "read as missing; rename the header", 1, j + 1)


def _header(csv_path: Path, shown: str) -> list[str]:
    """The header row, read by us so DuckDB need not guess the dialect."""
    try:
        with open(csv_path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError as exc:
        raise InvalidInput.one(shown, f"file is not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        raise InvalidInput.one(shown, f"cannot read the header row: {exc}", 1) from None
    if not header:
        raise InvalidInput.one(shown, "file is empty; expected a header row", 1)
    header = [h.strip() for h in header]
    # Empty names first: blanks are also "repeated", which once read as an empty list.
    empty = [j + 1 for j, h in enumerate(header) if not h]
    if len(header) > 2 and header[0] and len(empty) == len(header) - 1:
        raise InvalidInput.one(shown, f"header has an empty column name in {len(empty)} of its "
                               f"{len(header)} columns: the first row looks like a title above "
                               "the header; the column names must be in the first row (delete "
                               "the rows above them)", 1, 1)
    if empty:
        where = ", ".join(str(j) for j in empty[:5]) + (", ..." if len(empty) > 5 else "")
        raise InvalidInput.one(shown, f"header has an empty column name (column"
                               f"{'s' if len(empty) > 1 else ''} {where})", 1, empty[0])
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InvalidInput.one(shown, f"header repeats column(s) {', '.join(dupes)}", 1)
    return header


_OTHER_DELIMITERS = {";": "';' (semicolons)", "\t": "tabs", "|": "'|'"}


def _other_delimiter(header: list[str], names: set[str]) -> str | None:
    """The delimiter a header with missing columns seems to use instead of commas (an
    export in another locale or a tab-separated file): one that splits a header cell into
    a declared column name, or that appears in a header of a single cell."""
    for sep, label in _OTHER_DELIMITERS.items():
        for h in header:
            parts = {part.strip() for part in h.split(sep)}
            if len(parts) > 1 and (parts & names or len(header) == 1):
                return label
    return None


def _csv_problem(message: str, shown: str) -> Problem:
    """DuckDB's CSV error, reduced to what the user needs (never the row's contents)."""
    line = re.search(r"CSV Error on Line: (\d+)", message)
    cols = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    if line and cols:
        return Problem(shown, f"row has {cols.group(2)} fields; the header has {cols.group(1)}",
                       int(line.group(1)))
    if line:
        first = message.splitlines()[0].split(": ", 1)[-1]
        return Problem(shown, f"cannot read as CSV: {first}", int(line.group(1)))
    first = message.splitlines()[0].split(": ", 1)[-1]
    return Problem(shown, f"cannot read as CSV: {first}")


def prepare_sql(db: Any, bank_holidays: list[str] | tuple[str, ...]) -> None:
    """Leave ``db`` as every duty's SQL sees it: the macros installed, then file and
    network access switched off and the settings locked, so from here on SQL from duty
    files or plugins can only see the loaded evidence. ``dutycheck validate`` binds duty
    SQL against a database prepared the same way (``lint.py``)."""
    _install_macros(db, bank_holidays)
    db.execute("SET enable_external_access = false")
    db.execute("SET lock_configuration = true")


def _install_macros(db: Any, bank_holidays: list[str] | tuple[str, ...]) -> None:
    """SQL helpers available to duty YAML and plugin checks alike. ``working_days(a, b)``
    counts Monday-Friday days after ``a`` up to and including ``b``, less bank holidays;
    it is NULL when either date is missing, so a blank date never reads as "no time taken"."""
    db.execute("CREATE TABLE bank_holidays (day DATE)")
    if bank_holidays:
        db.executemany("INSERT INTO bank_holidays VALUES (CAST(? AS DATE))",
                       [[d] for d in bank_holidays])
    db.execute(
        "CREATE MACRO working_days(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE ("
        "  SELECT count(*) FROM range(a + INTERVAL 1 DAY, b + INTERVAL 1 DAY, INTERVAL 1 DAY) "
        "  AS t(d) WHERE isodow(d) < 6 AND CAST(d AS DATE) NOT IN (SELECT day FROM bank_holidays)"
        ") END")
