"""The bad-input corpus (issue 11): every folder under ``tests/bad_inputs/`` is one case,
run through the real command line (``python -m dutycheck``).

A case folder holds ``case.yaml`` and the files it needs:

- ``bundle/``: files laid over a copy of ``tests/bad_inputs/_base/bundle`` (a small valid
  bundle), unless ``base: none``;
- ``duties/``, ``config.yaml`` or anything else the arguments name.

``case.yaml`` keys:

- ``description``: what the case is about (one line);
- ``args``: the CLI arguments; default ``run {bundle} --as-of 2025-11-01 --format json
  --output {output} --fail-on never``; ``extra_args`` are appended to the default;
  placeholders ``{case}`` (the case's working copy), ``{bundle}``, ``{output}``, ``{tmp}``;
- ``exit``: the expected exit code; ``stderr`` / ``stdout``: fragments that must appear;
  ``not_in_output``: fragments that must not appear anywhere (stdout, stderr, report);
- ``output``: ``absent`` (default: nothing may be written) or ``written``;
  ``report``: fragments the written report must contain; ``absent_files``: files the run
  must not create (e.g. where a duty's SQL tried to copy evidence);
- ``setup``: generated files (binary or huge inputs are made at test time, never committed),
  see :func:`_generate`;
- ``env``: extra environment variables; ``timeout``: seconds (default 120);
- ``xfail``: ``"BUG: ..."`` turns the case into a strict expected failure: a defect found
  here whose fix belongs to code this corpus does not own.

Every case also checks that no ``Traceback`` is shown and that no input file changed
(SHA-256 of every file in the case before and after the run).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
BASE = CORPUS / "_base" / "bundle"
DEFAULT_ARGS = ["run", "{bundle}", "--as-of", "2025-11-01", "--format", "json", "--output",
                "{output}", "--fail-on", "never"]


def _cases() -> list[Any]:
    out = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "case.yaml").is_file()):
        spec = YAML(typ="safe").load((folder / "case.yaml").read_text(encoding="utf-8"))
        marks = []
        if spec.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=spec["xfail"]))
        out.append(pytest.param(folder, spec, id=folder.name, marks=marks))
    return out


CASES = _cases()


def test_corpus_is_large_enough():
    assert len(CASES) >= 60, f"the corpus has {len(CASES)} cases; the issue asks for 60+"


def test_every_case_declares_its_expectations():
    for param in CASES:
        folder, spec = param.values
        assert "description" in spec and "exit" in spec, folder.name
        if spec.get("xfail"):
            assert str(spec["xfail"]).startswith("BUG: "), folder.name


@pytest.mark.parametrize(("folder", "spec"), CASES)
def test_case(folder: Path, spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
              ) -> None:
    # A neutral folder name, so a fragment can never match the case's own name by accident.
    tmp_path = tmp_path_factory.mktemp("run")
    case = tmp_path / "case"
    if spec.get("base", "bundle") != "none":
        shutil.copytree(BASE, case / "bundle")
    shutil.copytree(folder, case, dirs_exist_ok=True, symlinks=True)
    (case / "case.yaml").unlink()
    output = tmp_path / "out" / "report.json"
    output.parent.mkdir()
    values = {"case": str(case), "bundle": str(case / "bundle"), "output": str(output),
              "tmp": str(tmp_path)}
    for step in spec.get("setup", []):
        _generate(step, case, values)
    args = [str(a).format(**values) for a in spec.get("args", DEFAULT_ARGS)]
    args += [str(a).format(**values) for a in spec.get("extra_args", [])]
    before = _hashes(case)

    env = dict(os.environ, NO_COLOR="1", COLUMNS="200", PYTHONIOENCODING="utf-8")
    env.update({k: str(v).format(**values) for k, v in (spec.get("env") or {}).items()})
    try:
        proc = subprocess.run([sys.executable, "-m", "dutycheck", *args], cwd=str(tmp_path),
                              env=env, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=spec.get("timeout", 120))
    except subprocess.TimeoutExpired:
        pytest.fail(f"{folder.name}: no answer within {spec.get('timeout', 120)} s")
    code, out, err = proc.returncode, proc.stdout, proc.stderr
    detail = f"{folder.name}: exit {code}\nstdout:\n{out[-3000:]}\nstderr:\n{err[-3000:]}"

    assert "Traceback" not in out and "Traceback" not in err, detail
    assert code == spec["exit"], detail
    for fragment in spec.get("stderr", []):
        assert str(fragment) in err, f"{fragment!r} not in stderr\n{detail}"
    for fragment in spec.get("stdout", []):
        assert str(fragment) in out, f"{fragment!r} not in stdout\n{detail}"
    written = output.exists()
    if spec.get("output", "absent") == "absent":
        assert not written, f"{output} was written\n{detail}"
        assert not any(output.parent.iterdir()), f"left-overs in the output folder\n{detail}"
    else:
        assert written, f"no report was written\n{detail}"
    report = output.read_text(encoding="utf-8", errors="replace") if written else ""
    for fragment in spec.get("report", []):
        assert str(fragment) in report, f"{fragment!r} not in the report\n{detail}"
    for fragment in spec.get("not_in_output", []):
        for where, text in (("stdout", out), ("stderr", err), ("report", report)):
            assert str(fragment) not in text, f"{fragment!r} leaked into {where}\n{detail}"
    for name in spec.get("absent_files", []):
        assert not Path(name.format(**values)).exists(), f"{name} was created\n{detail}"
    assert _hashes(case) == before, f"an input file changed during the run\n{detail}"


# --------------------------------------------------------------------------- helpers


def _hashes(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            out[str(path.relative_to(root))] = "link:" + os.readlink(path)
        elif path.is_file():
            h = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            out[str(path.relative_to(root))] = h.hexdigest()
    return out


def _generate(step: dict[str, Any], case: Path, values: dict[str, str]) -> None:
    """Make one generated input. ``step`` names a generator and its arguments."""
    kind = step["make"]
    dst = case / step["path"] if "path" in step else None
    if dst is not None:
        dst.parent.mkdir(parents=True, exist_ok=True)
    if kind == "transcode":  # re-encode a text file: utf-16, latin-1, utf-8-sig ...
        text = (case / step["from"]).read_text(encoding="utf-8")
        data = text.encode(step["encoding"])
        if step.get("from") != step["path"]:
            (case / step["from"]).unlink()
        dst.write_bytes(data)
    elif kind == "bytes":  # raw bytes, written as a Python bytes literal's content
        dst.write_bytes(step["text"].encode("utf-8").decode("unicode_escape").encode("latin-1"))
    elif kind == "append":
        with open(dst, "a", encoding="utf-8") as fh:
            fh.write(step["text"])
    elif kind == "nested":  # a value nested ``depth`` levels deep, appended to a YAML file
        depth = int(step["depth"])
        with open(dst, "a", encoding="utf-8") as fh:
            if step.get("style", "flow") == "flow":
                fh.write(f"{step['key']}: " + "[" * depth + "]" * depth + "\n")
            else:
                fh.write(f"{step['key']}:\n")
                for level in range(1, depth + 1):
                    fh.write(" " * level + "k:\n")
    elif kind == "big":  # ``megabytes`` of ``line`` repeated after an optional ``head``
        line = step["line"].encode("utf-8")
        target = int(step["megabytes"]) * 1024 * 1024
        block = line * max(1, (1 << 20) // len(line))
        with open(dst, "wb") as fh:
            written = fh.write(step.get("head", "").encode("utf-8"))
            while written < target:
                written += fh.write(block)
    elif kind == "symlink":
        target = step["target"].format(**values)
        os.symlink(target, dst)
    elif kind == "xlsx":
        _xlsx(case, dst, step)
    elif kind == "xlsx_bomb":
        _xlsx(case, dst, step)
        _inflate(dst, int(step["megabytes"]))
    else:  # pragma: no cover - a typo in a case file
        raise AssertionError(f"unknown generator {kind!r}")


def _xlsx(case: Path, dst: Path, step: dict[str, Any]) -> None:
    """A workbook made from a CSV in the case (typed: digits become numbers), with the
    oddities the case asks for."""
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO((case / step["csv"]).read_text(encoding="utf-8"))))
    wb = Workbook()
    ws = wb.active
    ws.title = step.get("sheet", "Data")
    for row in rows:
        ws.append([int(v) if v.isdigit() else v for v in row])
    if step.get("title_row"):  # a merged title above the header
        ws.insert_rows(1)
        ws["A1"] = step["title_row"]
        ws.merge_cells("A1:D1")
    for rng in step.get("merge", []):
        ws.merge_cells(rng)
    for cell, formula in (step.get("formulas") or {}).items():
        ws[cell] = formula
    if step.get("hidden_first"):
        hidden = wb.create_sheet("Old data", 0)
        hidden.append(["stale", "rows"])
        hidden.sheet_state = "hidden"
        wb.active = 1
    if step.get("hide_data_sheet"):
        ws.sheet_state = "hidden"
        wb.create_sheet("Cover", 0).append(["See the data sheet"])
        wb.active = 0
    wb.save(dst)
    if step.get("cached"):  # formulas with cached values, as Excel saves them
        _cache_formula_values(dst, step["cached"])
    if step.get("vba"):
        with zipfile.ZipFile(dst, "a") as z:
            z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Sub AutoOpen()")
    if step.get("damage_sheet"):  # cut the worksheet XML off halfway through
        with zipfile.ZipFile(dst) as z:
            items = {n: z.read(n) for n in z.namelist()}
        name = "xl/worksheets/sheet1.xml"
        items[name] = items[name][: len(items[name]) // 2]
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in items.items():
                z.writestr(n, data)
    if step.get("bare_styles"):  # an empty stylesheet, as some reporting tools write it
        _bare_styles(dst)
    if step.get("far_edge"):  # the last row moved to the sheet's bottom-right corner
        _far_edge(dst, 1048576 if step["far_edge"] is True else int(step["far_edge"]),
                  step.get("far_col", "XFD"))
    if step.get("csv_delete"):
        (case / step["csv"]).unlink()


def _cache_formula_values(path: Path, cached: dict[str, Any]) -> None:
    import re

    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = items[name].decode("utf-8")
    for cell, value in cached.items():
        xml, n = re.subn(rf'<c r="{cell}"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?',
                         rf'<c r="{cell}"\1><f>\2</f><v>{value}</v>', xml)
        assert n == 1, f"formula cell {cell} not found"
    items[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in items.items():
            z.writestr(n, data)


def _bare_styles(path: Path) -> None:
    """Replace ``xl/styles.xml`` with an empty stylesheet, as some reporting tools write it
    (openpyxl warns that it applies its own defaults)."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    items["xl/styles.xml"] = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/'
                              b'spreadsheetml/2006/main"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in items.items():
            z.writestr(n, data)


def _far_edge(path: Path, row: int, col: str) -> None:
    """Renumber the last row ``row`` and declare the sheet that far and ``col`` wide,
    as a workbook with one stray cell in the sheet's far corner (row 1048576) has it: a few
    bytes that openpyxl reads as a million rows of 16,384 cells."""
    import re

    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = items[name].decode("utf-8")
    last = list(re.finditer(r'<row r="(\d+)"', xml))[-1]
    n = last.group(1)
    tail = re.sub(rf'<c r="([A-Z]+){n}"', rf'<c r="\g<1>{row}"', xml[last.start():])
    xml = xml[:last.start()] + tail.replace(f'<row r="{n}"', f'<row r="{row}"', 1)
    xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{col}{row}"', xml)
    items[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in items.items():
            z.writestr(n, data)


def _inflate(path: Path, megabytes: int) -> None:
    """Pad the first worksheet with ``megabytes`` of whitespace that compresses ~1000:1."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for n, data in items.items():
            if n != name:
                z.writestr(n, data)
        head, sep, tail = items[name].partition(b"<sheetData>")
        with z.open(name, "w", force_zip64=True) as fh:
            fh.write(head)
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(sep + tail)
