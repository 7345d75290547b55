"""Authoring checks for duty YAML that the schema cannot make: does each expression name
evidence that exists?

The duty schema accepts any SQL string and any dotted path, so a misspelt table, column
or field passes ``dutycheck validate`` and only shows at run time, where it reads as a gap
in the evidence ("Not evidenced") or as a raw DuckDB error. Here every ``sql:`` is bound,
never run, against an empty database shaped like the declared tabular kinds, and every
path is walked through its structured kind's JSON Schema, so the typo is reported at its
``file:line:col`` before any bundle is involved.

Call :func:`lint_files` on duty files that :func:`dutycheck.catalogue.load` accepted (it
assumes schema-valid documents, though it does not crash on others).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from . import yamlsource
from .errors import InvalidInput, Problem
from .expressions import OPERATORS
from .kinds import EvidenceKind, StructuredKind, TabularKind

#: Requirement keys holding an expression, and band keys holding a limit.
_EXPR_KEYS = ("value", "stated", "computed")
_LIMIT_KEYS = ("at_least", "above", "at_most", "below")

#: DuckDB result types that come back to Python as a number the rules accept.
_NUMERIC = re.compile(r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL.*|REAL|"
                      r"NULL|\"NULL\")$")

_UNKNOWN_TABLE = re.compile(r"Table with name (\S+?) does not exist")
_UNKNOWN_COLUMN = re.compile(r'(?:Referenced column "([^"]+)" not found'
                             r'|does not have a column named "([^"]+)")')


def lint_files(locations: Iterable[Path], kinds: Mapping[str, EvidenceKind]) -> list[Problem]:
    """Problems in the duty files at ``locations`` (files or folders, named in messages as
    :func:`dutycheck.catalogue.load` names them), judged against ``kinds``."""
    from .catalogue import duty_files

    problems: list[Problem] = []
    with SqlBinder(kinds) as binder:
        for path, shown in duty_files(locations):
            try:
                doc = yamlsource.load(path, display=shown, cache=True)
            except InvalidInput as exc:
                problems.extend(exc.problems)
                continue
            problems.extend(lint_document(doc, kinds, binder))
    return problems


def lint_document(doc: yamlsource.Located, kinds: Mapping[str, EvidenceKind],
                  binder: SqlBinder | None = None) -> list[Problem]:
    """Problems in one loaded duty file. Pass a ``binder`` to share its database across
    files; otherwise one is made (and closed) for this document."""
    if binder is None:
        with SqlBinder(kinds) as own:
            return lint_document(doc, kinds, own)
    return _Linter(doc, kinds, binder).run()


class SqlBinder:
    """An empty in-memory DuckDB with one empty table per tabular kind (its declared
    column types and the hidden ``__row``), the bundle's SQL macros, and file and network
    access switched off, exactly as a loaded bundle leaves it: a query that binds here
    names only tables, columns and functions a real bundle would have."""

    def __init__(self, kinds: Mapping[str, EvidenceKind]) -> None:
        import duckdb

        from .bundle import SQL_TYPES, prepare_sql
        from .table import quote_ident

        self.kinds = kinds
        self.tables = {name: k for name, k in sorted(kinds.items())
                       if isinstance(k, TabularKind)}
        self.db = duckdb.connect(":memory:")
        for name, kind in self.tables.items():
            cols = ", ".join(["__row BIGINT"] + [f"{quote_ident(c.name)} {SQL_TYPES[c.type]}"
                                                 for c in kind.columns])
            self.db.execute(f"CREATE TABLE {quote_ident(name)} ({cols})")
        prepare_sql(self.db, ())

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SqlBinder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def bind(self, query: str) -> Any:
        """The bound (never executed) relation for ``query``, after the same one-SELECT
        gate :meth:`dutycheck.checks.Evidence.sql` applies at run time. Raises
        ``ValueError`` from the gate, or ``duckdb.Error`` from binding."""
        from .checks import Evidence

        gate = _BindOnly(self.db)
        Evidence(cast(Any, SimpleNamespace(_db=gate))).sql(query)
        return gate.relation

    def tables_read(self, query: str) -> set[str]:
        """Tabular kinds ``query`` names (DuckDB's own parse; CTE names excluded)."""
        import duckdb

        try:
            names = self.db.get_table_names(query)
        except duckdb.Error:
            return set()
        return {n for n in names if n in self.tables}


class _BindOnly:
    """Stands in for a bundle's database under ``Evidence.sql``, so a duty's SQL passes
    through the run-time gate itself, then is bound (``db.sql`` builds a lazy relation:
    names and types are resolved, no row is read) instead of executed."""

    def __init__(self, db: Any) -> None:
        self._db = db
        self.relation: Any = None

    def extract_statements(self, query: str) -> Any:
        return self._db.extract_statements(query)

    def execute(self, query: str, params: list[Any]) -> _BindOnly:
        self.relation = self._db.sql(query)
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return []


class _Linter:
    def __init__(self, doc: yamlsource.Located, kinds: Mapping[str, EvidenceKind],
                 binder: SqlBinder) -> None:
        self.doc, self.kinds, self.binder = doc, kinds, binder
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        data = self.doc.data
        if not isinstance(data, dict):
            return []
        if isinstance(data.get("duties"), list):
            duties = [(("duties", i), d) for i, d in enumerate(data["duties"])]
        else:
            duties = [((), data)]
        for base, duty in duties:
            reqs = duty.get("requirements") if isinstance(duty, dict) else None
            for i, req in enumerate(reqs if isinstance(reqs, list) else []):
                if isinstance(req, dict):
                    self.requirement(base + ("requirements", i), req)
        return sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))

    def add(self, at: tuple, message: str) -> None:
        line, col = self.doc.where(at)
        self.problems.append(Problem(self.doc.file, message, line, col,
                                     yamlsource.json_path(at)))

    def requirement(self, at: tuple, req: dict[str, Any]) -> None:
        declared = req.get("evidence") if isinstance(req.get("evidence"), list) else []
        for j, name in enumerate(declared):
            if isinstance(name, str) and name not in self.kinds:
                self.add(at + ("evidence", j), f"unknown evidence kind {name!r}"
                         f"{_did_you_mean(name, self.kinds)}")
        sql_reads: set[str] = set()
        for key in _EXPR_KEYS:
            if key in req:
                sql_reads |= self.expr(at + (key,), req[key], numeric=True)
        if isinstance(req.get("grade"), str):
            self.path(at + ("grade",), req["grade"], numeric=False)
        bands = req.get("bands")
        for colour, band in (bands.items() if isinstance(bands, dict) else ()):
            for limit in _LIMIT_KEYS:
                if isinstance(band, dict) and limit in band:
                    sql_reads |= self.expr(at + ("bands", colour, limit), band[limit],
                                           numeric=True)
        # Run time checks presence and freshness, and cites files, only for the kinds
        # listed under `evidence:`; SQL is not parsed there, so an unlisted table goes
        # unchecked and uncited.
        for name in sorted(sql_reads - set(declared)):
            self.add(at + (("evidence",) if "evidence" in req else ()),
                     f"SQL reads {name} but `evidence:` does not list it (list every kind "
                     "the SQL reads, so it is checked for freshness and cited)")

    def expr(self, at: tuple, expr: Any, numeric: bool) -> set[str]:
        """Check one expression; returns the tabular kinds its SQL reads."""
        if isinstance(expr, str):
            self.path(at, expr, numeric)
            return set()
        if not isinstance(expr, dict):
            return set()
        if isinstance(expr.get("sql"), str):
            return self.sql(at + ("sql",), expr["sql"], numeric)
        reads: set[str] = set()
        for op in OPERATORS:
            for i, sub in enumerate(expr.get(op) or ()):
                reads |= self.expr(at + (op, i), sub, numeric=True)
        return reads

    def sql(self, at: tuple, query: str, numeric: bool) -> set[str]:
        import duckdb

        try:
            rel = self.binder.bind(query)
        except ValueError as exc:
            self.add(at, str(exc))
            return set()
        except duckdb.Error as exc:
            self.add(at, self.sql_message(query, str(exc)))
            return self.binder.tables_read(query)
        if len(rel.columns) != 1:
            self.add(at, f"SQL must return one value; this query returns {len(rel.columns)} "
                     f"columns ({', '.join(rel.columns)})")
        elif numeric and not _NUMERIC.match(str(rel.types[0])):
            self.add(at, f"SQL returns {rel.types[0]}, not a number")
        return self.binder.tables_read(query)

    def sql_message(self, query: str, error: str) -> str:
        first = error.splitlines()[0]
        detail = first.split(": ", 1)[-1]
        table = _UNKNOWN_TABLE.search(first)
        if table:
            name = table.group(1).strip('"')
            hint = _did_you_mean(name, self.binder.tables)
            if name in self.kinds:  # structured evidence has no table
                return (f"SQL reads {name}, which is structured evidence, not a table; read "
                        f"it with a path such as {name}.field")
            return (f"SQL reads unknown table {name!r}{hint}; the tables are the tabular "
                    f"evidence kinds: {', '.join(self.binder.tables) or 'none'}")
        column = _UNKNOWN_COLUMN.search(first)
        if column:
            name = column.group(1) or column.group(2)
            read = sorted(self.binder.tables_read(query)) or sorted(self.binder.tables)
            columns = sorted({c.name for t in read for c in self.binder.tables[t].columns})
            hint = _did_you_mean(name, columns)
            where = f" in {', '.join(read)}" if len(read) <= 3 else ""
            if hint:
                return f"SQL names unknown column {name!r}{where}{hint}"
            return f"SQL names unknown column {name!r}{where}; columns: {', '.join(columns)}"
        if first.startswith("Parser Error"):
            return f"SQL does not parse: {detail}"
        # Anything else (an unknown function, a type mismatch): DuckDB's words, with its
        # own "did you mean" when it has one.
        more = [ln.strip() for ln in error.splitlines()[1:] if ln.startswith("Did you mean")]
        return f"SQL does not bind: {detail}" + (f" ({more[0]})" if more else "")

    def path(self, at: tuple, path: str, numeric: bool) -> None:
        kind_name, *fields = path.split(".")
        kind = self.kinds.get(kind_name)
        if kind is None:
            structured = sorted(n for n, k in self.kinds.items()
                                if isinstance(k, StructuredKind))
            hint = _did_you_mean(kind_name, structured)
            self.add(at, f"{path}: unknown evidence kind {kind_name!r}{hint}"
                     + ("" if hint else f"; structured kinds: {', '.join(structured)}"))
            return
        if isinstance(kind, TabularKind):
            self.add(at, f"{path}: {kind_name} is tabular evidence; a path reads structured "
                     f"evidence only: use sql: \"SELECT ... FROM {kind_name}\"")
            return
        root = kind.schema
        options = _resolve(root, root)
        for depth, name in enumerate(fields):
            if not options:  # an open object: any field may be there
                return
            so_far = ".".join([kind_name, *fields[:depth]])
            if not any(_may_be(o, "object") for o in options):
                self.add(at, f"{path}: {so_far} is {_types(options)}, so the path cannot go "
                         f"on to {name!r}")
                return
            children, known, closed = _child(options, name, root)
            if children is None:
                if closed:
                    hint = _did_you_mean(name, known)
                    self.add(at, f"{path}: {so_far} has no field {name!r}{hint}"
                             + ("" if hint else f"; fields: {', '.join(known) or 'none'}"))
                return
            options = children
        # A number is needed everywhere but `grade:`, whose text may be anything scalar.
        wanted = ("number", "integer") if numeric else ("string", "number", "integer",
                                                        "boolean")
        if options and not any(_may_be(o, t) for o in options for t in wanted):
            self.add(at, f"{path} is {_types(options)} in the {kind_name} schema, not "
                     + ("a number" if numeric else "a single value"))


def _resolve(schema: Any, root: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """The alternatives a schema node stands for: ``$ref`` followed (local refs only),
    ``allOf``/``anyOf``/``oneOf`` branches flattened. Lenient: it only has to know which
    fields could exist, not validate."""
    if not isinstance(schema, dict) or depth > 32:
        return []
    if isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
        node: Any = root
        for part in schema["$ref"][2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return _resolve(node, root, depth + 1)
    out = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or ():
            out += _resolve(sub, root, depth + 1)
    return out


def _child(options: list[dict[str, Any]], name: str,
           root: dict[str, Any]) -> tuple[list[dict[str, Any]] | None, list[str], bool]:
    """The schemas ``name`` may have under any of ``options``; else ``None``, with the
    declared field names and whether the object is closed (an open object with no
    declared fields may hold anything, so a name cannot be judged unknown)."""
    found: list[dict[str, Any]] = []
    known: set[str] = set()
    open_ = False
    for o in options:
        props = o.get("properties") if isinstance(o.get("properties"), dict) else {}
        known |= set(props)
        if name in props:
            found += _resolve(props[name], root)
            continue
        patterns = o.get("patternProperties") or {}
        matched = [s for p, s in patterns.items() if re.search(p, name)]
        extra = o.get("additionalProperties")
        if matched:
            for s in matched:
                found += _resolve(s, root)
        elif isinstance(extra, dict):
            found += _resolve(extra, root)
        elif extra is True or (extra is None and not props and not patterns
                               and not _has_branches(o)):
            open_ = True
    if found or open_:
        return (found if not open_ else []), sorted(known), False
    return None, sorted(known), True


def _has_branches(o: dict[str, Any]) -> bool:
    return any(o.get(k) for k in ("allOf", "anyOf", "oneOf", "$ref"))


def _may_be(schema: dict[str, Any], type_: str) -> bool:
    declared = schema.get("type")
    if declared is None:
        return True
    return type_ in (declared if isinstance(declared, list) else [declared])


def _types(options: list[dict[str, Any]]) -> str:
    names: list[str] = []
    for o in options:
        declared = o.get("type")
        for t in declared if isinstance(declared, list) else [declared] if declared else []:
            if t not in names:
                names.append(t)
    article = {"object": "an object", "array": "a list", "integer": "an integer"}
    return " or ".join(article.get(t, f"a {t}") for t in names) or "not a value"


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""
