"""The small table API plugins see instead of DuckDB itself."""

from __future__ import annotations

from typing import Any

from .kinds import TabularKind


def cite_rows(rows: list[int], limit: int = 10) -> str:
    """Row numbers for a reason or evidence reference: "3, 7, 12 and 40 more". Findings
    cite rows by number so no row-level personal data reaches a report."""
    shown = sorted(set(rows))
    text = ", ".join(str(r) for r in shown[:limit])
    return text + (f" and {len(shown) - limit} more" if len(shown) > limit else "")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Table:
    """A loaded tabular evidence item. Write SQL with ``{table}`` where the table goes;
    pass values as ``?`` parameters. Column ``__row`` is the data row number (1 = the
    first row under the header), used to cite rows without quoting personal data."""

    def __init__(self, db: Any, kind: TabularKind, item_id: str) -> None:
        self._db = db
        self.kind = kind
        self.item_id = item_id
        self.sql_name = quote_ident(item_id)

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

    def __len__(self) -> int:
        return self.count()
