"""The ``datetime`` column type (parsed once at load, same error reporting as dates) and
``Table.derive`` (a relation computed once per run and shared)."""

from __future__ import annotations

import datetime as dt

import pytest

from dutycheck import Column, TabularKind
from dutycheck.bundle import load
from dutycheck.errors import InvalidInput
from dutycheck.testing import write_bundle

EVENTS = TabularKind(
    name="event_log", title="Events",
    columns=(Column("ref", "string", personal=True), Column("started", "datetime"),
             Column("ended", "datetime", required=False), Column("day", "date", required=False)),
)


def _load(tmp_path, rows):
    folder = write_bundle(tmp_path / "b", [{"kind": "event_log", "rows": rows}])
    return load(folder, {"event_log": EVENTS})


def test_datetime_values_are_timestamps(tmp_path):
    rows = [{"ref": "A", "started": "2024-06-01 10:00", "ended": ""},
            {"ref": "B", "started": "2024-06-01T10:00:30", "ended": "2024-06-02 09:15"},
            {"ref": "C", "started": " 2024-12-31 23:59 ", "ended": "2025-01-01T00:00"}]
    with _load(tmp_path, rows) as b:
        t = b.items[0].table
        rows = t.query("SELECT __row, started, ended FROM {table} ORDER BY __row")
        assert rows == [(1, dt.datetime(2024, 6, 1, 10, 0), None),
                        (2, dt.datetime(2024, 6, 1, 10, 0, 30), dt.datetime(2024, 6, 2, 9, 15)),
                        (3, dt.datetime(2024, 12, 31, 23, 59), dt.datetime(2025, 1, 1))]
        assert t.scalar("SELECT typeof(started) FROM {table} LIMIT 1") == "TIMESTAMP"
        assert t.count("ended - started > INTERVAL 1 HOUR") == 1


@pytest.mark.parametrize("bad", ["01/06/2024 10.00", "2024-06-01", "2024-02-30 10:00",
                                 "2024-06-01 24:30", "2024-06-01 10:00+01", "2024-6-1 10:00",
                                 "yesterday"])
def test_unreadable_datetime_is_a_located_error(tmp_path, bad):
    with pytest.raises(InvalidInput) as exc:
        _load(tmp_path, [{"ref": "A", "started": "2024-06-01 10:00", "ended": ""},
                         {"ref": "B", "started": "2024-06-01 11:00", "ended": bad}])
    (problem,) = exc.value.problems
    # data row 2 is file line 3; `ended` is column 3
    assert (problem.line, problem.column) == (3, 3)
    assert problem.file.endswith("event_log.csv")
    assert problem.message == (f"row 2, column 'ended': expected a date and time as "
                               f"YYYY-MM-DD HH:MM, found {bad!r}")


def test_required_datetime_blank_and_every_bad_column_reported(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        _load(tmp_path, [{"ref": "A", "started": "", "ended": "soon", "day": "2024-13-01"}])
    messages = sorted(p.message for p in exc.value.problems)
    assert messages == sorted([
        "row 1, column 'started': a value is required",
        "row 1, column 'day': expected a date as YYYY-MM-DD, found '2024-13-01'",
        "row 1, column 'ended': expected a date and time as YYYY-MM-DD HH:MM, found 'soon'"])


def test_personal_values_are_hidden_in_errors(tmp_path):
    kind = TabularKind(name="event_log", title="Events",
                       columns=(Column("started", "datetime", personal=True),))
    folder = write_bundle(tmp_path / "b", [{"kind": "event_log", "rows": [{"started": "noon"}]}])
    with pytest.raises(InvalidInput) as exc:
        load(folder, {"event_log": kind})
    assert "(hidden: personal data)" in exc.value.problems[0].message
    assert "noon" not in exc.value.problems[0].message


def test_unknown_column_type_is_refused():
    with pytest.raises(ValueError, match="datetime"):
        Column("x", "timestamp")


def test_derive_computes_once_and_shares(tmp_path):
    rows = [{"ref": str(i), "started": f"2024-06-01 {i:02d}:00",
             "ended": f"2024-06-01 {i + 1:02d}:30"} for i in range(10)]
    with _load(tmp_path, rows) as b:
        t = b.items[0].table
        sql = ("SELECT __row, ended - started AS took FROM {table} "
               "WHERE started >= '2024-06-01 05:00'")
        d = t.derive("late", sql)
        assert len(d) == 5
        assert d.rows_where("took > INTERVAL 1 HOUR") == [6, 7, 8, 9, 10]
        # the same name and SQL give the same table, not a second computation
        assert t.derive("late", sql) is d
        # a derived table is a snapshot made once: it is not re-read from the source
        b._db.execute(f"DELETE FROM {t.sql_name} WHERE __row = 10")
        assert len(t.derive("late", sql)) == 5
        # derived tables can be derived from, and names are scoped to their parent
        dd = d.derive("late", "SELECT * FROM {table} WHERE __row > 8")
        assert len(dd) == 2 and dd.sql_name != d.sql_name
        with pytest.raises(ValueError, match="different SQL"):
            t.derive("late", "SELECT * FROM {table}")
        with pytest.raises(ValueError, match="identifier"):
            t.derive("no good", sql)


def test_derive_as_a_view_reads_its_source_each_time(tmp_path):
    rows = [{"ref": str(i), "started": f"2024-06-01 {i:02d}:00"} for i in range(4)]
    with _load(tmp_path, rows) as b:
        t = b.items[0].table
        v = t.derive("early", "SELECT __row FROM {table} WHERE started < '2024-06-01 02:00'",
                     materialize=False)
        assert v.rows_where("true") == [1, 2]
        b._db.execute(f"DELETE FROM {t.sql_name} WHERE __row = 1")
        assert v.rows_where("true") == [2]


def test_xlsx_datetimes_load_even_at_midnight(tmp_path):
    from openpyxl import Workbook

    folder = write_bundle(tmp_path / "b", [])
    wb = Workbook()
    ws = wb.active
    ws.append(["ref", "started", "ended"])
    ws.append(["A", dt.datetime(2024, 6, 1, 0, 0), dt.datetime(2024, 6, 1, 9, 30, 0, 999_999)])
    wb.save(folder / "events.xlsx")
    manifest = folder / "bundle.yaml"
    import json

    doc = json.loads(manifest.read_text())
    doc["items"] = [{"kind": "event_log", "file": "events.xlsx", "effective_date": "2025-03-31",
                     "source": {"document": "test"}}]
    manifest.write_text(json.dumps(doc))
    with load(folder, {"event_log": EVENTS}) as b:
        assert b.items[0].table.query("SELECT started, ended FROM {table}") == [
            (dt.datetime(2024, 6, 1), dt.datetime(2024, 6, 1, 9, 30, 1))]
