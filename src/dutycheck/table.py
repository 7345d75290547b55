"""The small table API plugins see instead of DuckDB itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .kinds import TabularKind


def cite_rows(rows: Iterable[int], limit: int = 10, total: int | None = None) -> str:
    """Row numbers for a reason or evidence reference: "3, 7, 12 and 40 more". Findings
    cite rows by number so no row-level personal data reaches a report. ``total`` is how
    many rows match in all, when ``rows`` is only the first few (``rows_where`` stops at
    its ``limit``), so "and N more" counts every row."""
    shown = sorted(set(rows))
    count = len(shown) if total is None else max(total, len(shown))
    more = count - min(len(shown), limit)
    text = ", ".join(str(r) for r in shown[:limit])
    return text + (f" and {more} more" if more > 0 else "")


def row_citation(rows: Iterable[int], limit: int = 10, total: int | None = None) -> str:
    """"row 4" for one row, "rows 3, 7 and 2 more" for several: the words every finding
    and evidence reference cite rows with."""
    rows = list(rows)
    one = len(set(rows)) == 1 and (total is None or total <= 1)
    return f"{'row' if one else 'rows'} {cite_rows(rows, limit, total)}"


def rows_note(rows: Iterable[int], what: str = "", *, total: int | None = None,
              limit: int = 10) -> str:
    """The citation that ends a clause of a finding, " (rows 3, 7)" or, with ``what``,
    " (late: rows 3, 7)", " (row 4)" for one; empty when there are no rows, so it can be
    added unconditionally. Every plugin cites rows the same way, and a reader learns one
    form."""
    rows = list(rows)
    if not rows:
        return ""
    label = f"{what}: " if what else ""
    return f" ({label}{row_citation(rows, limit, total)})"


@dataclass(frozen=True)
class Matches:
    """The rows matching a condition: how many in all (``count``) and the first few row
    numbers (``rows``) to cite. One object, so a finding's number, its "(rows ...)" note
    and its evidence reference cannot disagree."""

    count: int
    rows: list[int]

    def __bool__(self) -> bool:
        return self.count > 0

    def note(self, what: str = "") -> str:
        """``rows_note`` for these rows: " (late: rows 3, 7 and 12 more)", or ""."""
        return rows_note(self.rows, what, total=self.count)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Table:
    """A loaded tabular evidence item. Write SQL with ``{table}`` where the table goes;
    pass values as ``?`` parameters. Column ``__row`` is the data row number (1 = the
    first row under the header), used to cite rows without quoting personal data."""

    def __init__(self, db: Any, kind: TabularKind, item_id: str,
                 sql_name: str | None = None) -> None:
        self._db = db
        self.kind = kind
        self.item_id = item_id
        self.sql_name = sql_name or quote_ident(item_id)
        self._derived: dict[str, tuple[str, Table]] = {}
        self._prefix = item_id

    def derive(self, name: str, sql: str, materialize: bool = True) -> Table:
        """A relation computed from this table once per run and shared by every check and
        requirement that asks for it by the same ``name``.

        ``sql`` is a ``SELECT`` over ``{table}`` (this table); keep ``__row`` in it so
        ``rows_where`` can cite rows. The first call materialises the result as a temporary
        table in the run's database; later calls with the same ``name`` and ``sql`` return
        the same :class:`Table` without computing it again, so several requirements that
        need the same parsed or joined rows pay for them once. The returned table has the
        same API (``query``, ``count``, ``rows_where``...), with ``{table}`` naming the
        derived relation (its ``columns`` stay the source kind's declared columns).
        Reusing a ``name`` with different ``sql`` is an error. Values in
        ``sql`` must be literals the check controls (there are no parameters here), and a
        derived table lives only as long as the run. ``materialize=False`` makes a view
        instead: nothing is computed up front and each query re-reads its source, which is
        cheaper for a plain filter or a few added columns over an already derived table.
        """
        if not name.isidentifier():
            raise ValueError(f"derived table name {name!r} must be an identifier")
        sql = sql.replace("{table}", self.sql_name)
        known = self._derived.get(name)
        if known is not None:
            if known[0] != sql:
                raise ValueError(f"derived table {name!r} of {self.item_id!r} was already "
                                 "made from different SQL; give each relation its own name")
            return known[1]
        prefix = f"{self._prefix}__{name}"
        target = quote_ident(f"__derived_{prefix}")
        what = "TABLE" if materialize else "VIEW"
        self._db.execute(f"CREATE TEMP {what} {target} AS {sql}")
        table = Table(self._db, self.kind, self.item_id, sql_name=target)
        table._prefix = prefix
        self._derived[name] = (sql, table)
        return table

    @property
    def columns(self) -> list[str]:
        return [c.name for c in self.kind.columns]

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql.replace("{table}", self.sql_name), list(params)).fetchall()

    def scalar(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def count(self, where: str | None = None, params: list[Any] | tuple[Any, ...] = ()) -> int:
        sql = "SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return int(self.scalar(sql, params))

    def rows_where(self, where: str, params: list[Any] | tuple[Any, ...] = (),
                   limit: int = 20) -> list[int]:
        """Row numbers matching ``where`` (for evidence references; never values)."""
        sql = f"SELECT __row FROM {{table}} WHERE {where} ORDER BY __row LIMIT {int(limit)}"
        return [r for (r,) in self.query(sql, params)]

    def matching(self, where: str, params: list[Any] | tuple[Any, ...] = (),
                 limit: int = 20) -> Matches:
        """How many rows match ``where`` and the first ``limit`` row numbers, in one
        streaming pass (no matching row is held in memory beyond the first ``limit``)."""
        sql = f"SELECT count(*), min(__row, {int(limit)}) FROM {{table}} WHERE {where}"
        count, rows = self.query(sql, params)[0]
        return Matches(int(count), sorted(rows or []))

    def __len__(self) -> int:
        return self.count()
