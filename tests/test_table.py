"""``Table.matching``: the count covers every matching row, the cited rows are the first
few in row order, and the citation says how many were not shown."""

from __future__ import annotations

import duckdb

from dutycheck import Column, TabularKind
from dutycheck.table import Table

KIND = TabularKind("demo_register", "A demo register", (Column("late", "boolean"),))


def _table(flags: list[bool]) -> Table:
    db = duckdb.connect()
    db.execute('CREATE TABLE "demo" (__row INTEGER, late BOOLEAN)')
    # stored last row first, so the order of the cited rows comes from matching() itself
    db.executemany('INSERT INTO "demo" VALUES (?, ?)',
                   list(reversed([(i + 1, f) for i, f in enumerate(flags)])))
    return Table(db, KIND, "demo")


def test_more_matches_than_the_limit_are_counted_and_noted():
    t = _table([True] * 45 + [False] * 5)
    found = t.matching("late")
    assert found.count == 45 and bool(found)
    assert found.rows == list(range(1, 21))  # the first 20, in row order
    assert found.note("late") == " (late: rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 35 more)"


def test_parameters_and_no_match():
    t = _table([False, True, False])
    assert t.matching("late = ?", [True]).rows == [2]
    none = t.matching("late AND __row > ?", [5])
    assert none.count == 0 and none.rows == [] and not none and none.note() == ""


def test_a_single_row_is_cited_as_row_not_rows():
    from dutycheck import rows_note

    assert rows_note([4]) == " (row 4)"
    assert rows_note([4], "late") == " (late: row 4)"
    assert rows_note([4, 9]) == " (rows 4, 9)"
    assert rows_note([4], total=3) == " (rows 4 and 2 more)"
    assert rows_note([]) == ""
