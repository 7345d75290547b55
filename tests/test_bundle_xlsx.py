"""XLSX and header loading details that the bad-input corpus (``tests/bad_inputs/``) does not
assert through the command line: which workbooks pay for a second read, how many formula
cells are listed, macros declared only by content type, chart sheets, and header hints."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from dutycheck import bundle
from dutycheck.errors import InvalidInput


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _rewrite(path: Path, part: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _messages(exc: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_a_sheet_without_formulas_is_read_once(tmp_path: Path) -> None:
    # Text that looks like a formula tag is escaped in the XML, so it does not count.
    path = _workbook(tmp_path / "plain.xlsx", [["ref", "note"], ["SYN-1", "<f> and <x:f/>"]])
    assert not bundle._has_formulas(path, "xl/worksheets/sheet1.xml")
    path = _workbook(tmp_path / "formula.xlsx", [["ref", "n"], ["SYN-1", "=1+1"]])
    assert bundle._has_formulas(path, "xl/worksheets/sheet1.xml")
    assert bundle._has_formulas(path, None)  # the part is unknown: read twice, never skip


def test_a_prefixed_formula_tag_counts(tmp_path: Path) -> None:
    path = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml",
                   '<x:worksheet xmlns:x="ns"><x:sheetData><x:row r="1"><x:c r="A1">'
                   "<x:f>1+1</x:f></x:c></x:row></x:sheetData></x:worksheet>")
    assert bundle._has_formulas(path, "xl/worksheets/sheet1.xml")


def test_many_uncalculated_formulas_are_listed_five_then_counted(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ref", "n"]] + [[f"SYN-{i}", f"=ROW()+{i}"] for i in range(8)]
    path = _workbook(tmp_path / "many.xlsx", rows)
    with pytest.raises(InvalidInput) as exc:
        bundle._xlsx_to_csv(path, None, "many.xlsx", tmp_path / "out.csv")
    messages = _messages(exc)
    assert messages[0].startswith("many.xlsx:2:2: cell B2 holds a formula with no calculated")
    assert len(messages) == 6
    assert messages[-1] == "many.xlsx: and 3 more formula cell(s) with no calculated value"


def test_blank_cells_beside_calculated_formulas_stay_blank(tmp_path: Path) -> None:
    # A sheet with formulas is read twice; only formula cells without a value are refused.
    path = _workbook(tmp_path / "mixed.xlsx", [["ref", "n", "note"], ["SYN-1", "=1+1", None]])
    _rewrite(path, "xl/worksheets/sheet1.xml", b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
    out = bundle._xlsx_to_csv(path, None, "mixed.xlsx", tmp_path / "out.csv")
    assert out.read_text(encoding="utf-8").splitlines() == ["ref,n,note", "SYN-1,2,"]


def test_macros_declared_only_by_content_type_are_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "renamed.xlsx", [["ref"], ["SYN-1"]])
    _rewrite(path, "[Content_Types].xml", b"spreadsheetml.sheet.main+xml",
             b"sheet.macroEnabled.main+xml")
    with pytest.raises(InvalidInput) as exc:
        bundle._xlsx_to_csv(path, None, "renamed.xlsx", tmp_path / "out.csv")
    assert "workbook contains macros" in _messages(exc)[0]


def test_a_chart_sheet_named_in_the_manifest_is_refused(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["n"])
    ws.append([1])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2), titles_from_data=True)
    wb.create_chartsheet("Chart").add_chart(chart)
    wb.save(tmp_path / "chart.xlsx")
    with pytest.raises(InvalidInput) as exc:
        bundle._xlsx_to_csv(tmp_path / "chart.xlsx", "Chart", "chart.xlsx", tmp_path / "o.csv")
    assert _messages(exc) == ["chart.xlsx: sheet 'Chart' is a chart, not a worksheet"]


@pytest.mark.parametrize(("line", "expected"), [
    ("case_ref,", "header has an empty column name (column 2)"),  # no title hint for two
    ("case_ref,,,", "looks like a title above the header"),
    ("a,,b,", "header has an empty column name (columns 2, 4)"),
])
def test_header_empty_names(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "h.csv"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        bundle._header(path, "h.csv")
    assert expected in _messages(exc)[0]


def test_other_delimiter_needs_a_declared_name_or_a_single_cell() -> None:
    names = {"case_ref", "outcome"}
    assert bundle._other_delimiter(["case_ref;outcome"], names) == "';' (semicolons)"
    assert bundle._other_delimiter(["x|y"], names) == "'|'"
    # A name that merely contains ';' beside real columns is not a delimiter problem.
    assert bundle._other_delimiter(["case_ref", "notes; free text"], names) is None


def test_a_part_larger_than_its_declared_size_is_refused(tmp_path: Path) -> None:
    # The size check trusts the central directory; zipfile stops at the declared size and
    # fails the part's CRC, so an understated size cannot smuggle in a bigger part.
    path = _workbook(tmp_path / "lie.xlsx", [["ref"]] + [[f"SYN-{i}"] for i in range(500)])
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at != -1:  # central directory entries: uncompressed size at +24, name at +46
        if data[at + 46:at + 46 + len(name)] == name:
            data[at + 24:at + 28] = (1000).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(InvalidInput) as exc:
        bundle._xlsx_to_csv(path, None, "lie.xlsx", tmp_path / "out.csv")
    message = _messages(exc)[0]
    assert "CRC" in message or "BadZipFile" in message, message


@pytest.mark.parametrize("width", [0, 1, 2, 5])
def test_a_blank_row_is_written_as_the_csv_writer_writes_it(width: int) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerow([""] * width)
    assert bundle._blank_line(width) == buf.getvalue()


def test_openpyxl_warnings_do_not_reach_the_console(tmp_path: Path) -> None:
    # Found by the XLSX fuzz run: a relationship without its Type made openpyxl print a
    # UserWarning (with its own source line) under the run's output.
    import warnings

    path = _workbook(tmp_path / "rels.xlsx", [["ref"], ["SYN-1"]])
    _rewrite(path, "xl/_rels/workbook.xml.rels", b"</Relationships>",
             b'<Relationship Id="rId9" Target="nowhere.xml" /></Relationships>')
    with warnings.catch_warnings(record=True) as shown, pytest.raises(InvalidInput) as exc:
        warnings.simplefilter("always")
        bundle._xlsx_to_csv(path, None, "rels.xlsx", tmp_path / "out.csv")
    assert [str(w.message) for w in shown] == []
    assert _messages(exc)[0].startswith("rels.xlsx: cannot open as XLSX: KeyError 'rId1'; "
                                        "the file is damaged or is not an Excel workbook")
