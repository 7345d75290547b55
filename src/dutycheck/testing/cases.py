"""YAML behaviour cases: the evidence a case supplies and the ratings it must produce."""

from __future__ import annotations

import difflib
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import schemas, yamlsource
from ..errors import InvalidInput, Problem
from .assessment import Assessment, assess
from .bundles import FIXTURE_SUFFIXES, unsafe_name, write_bundle

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..host import Host

DEFAULT_AS_OF = "2025-11-01"
DEFAULT_PERIOD = ("2024-04-01", "2025-03-31")

#: A top-level ``cases:`` key: how ``dutycheck validate`` tells a behaviour-case file from
#: a duty file in a folder without parsing every file twice.
_CASES_KEY = re.compile(r"^cases\s*:", re.MULTILINE)


@dataclass
class TestCase:
    """One named case from a behaviour-case file."""

    __test__ = False  # not a pytest test class

    file: str
    line: int | None
    name: str
    duty: str | None
    check: str | None
    evidence: list[dict[str, Any]]
    expect: dict[str, dict[str, Any]]
    as_of: str = DEFAULT_AS_OF
    period: tuple[str, str] = DEFAULT_PERIOD
    config: dict[str, Any] = field(default_factory=dict)
    organisation: str | None = None

    @property
    def id(self) -> str:
        return f"{Path(self.file).stem}::{self.name}"

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def ref(self, key: str) -> str:
        """The report reference an ``expect`` key stands for: in a ``duty:`` file a
        requirement id of that duty; in a ``check:`` file a ``duty-id/requirement-id`` or
        a duty id, as written."""
        return key if "/" in key or not self.duty else f"{self.duty}/{key}"


def looks_like_cases(path: Path) -> bool:
    """Whether a YAML file is a behaviour-case file (it has a top-level ``cases:``)."""
    try:
        return bool(_CASES_KEY.search(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def case_files(path: Path | str) -> list[tuple[yamlsource.Located, list[TestCase]]]:
    """Each behaviour-case file in ``path`` (a file, or every ``*.yaml`` under a folder,
    sorted) with its cases. Checks the schema and that evidence stays inside the bundle
    and its fixture files exist; raises ``InvalidInput`` listing every problem found."""
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")) \
        if path.is_dir() else [path]
    out = []
    problems: list[Problem] = []
    for f in files:
        try:
            doc, cases, wrong = _read_file(f)
        except InvalidInput as exc:
            wrong = exc.problems
        problems.extend(wrong)
        if not wrong:
            out.append((doc, cases))
    if problems:
        raise InvalidInput(problems)
    return out


def check_case_file(path: Path, cat: Catalogue | None, host: Host) -> tuple[int, list[Problem]]:
    """For ``dutycheck validate``: how many cases a file holds and every problem in it (its
    schema; then its evidence paths and, given the catalogue, its references)."""
    try:
        doc, cases, problems = _read_file(path)
    except InvalidInput as exc:
        return 0, exc.problems
    if cat is not None:
        problems = problems + reference_problems(doc, cat, host)
    return len(cases), problems


def _read_file(f: Path) -> tuple[yamlsource.Located, list[TestCase], list[Problem]]:
    """The file's document, its cases, and what is wrong with their evidence paths; raises
    ``InvalidInput`` when the file is not YAML or does not fit the schema."""
    doc = yamlsource.load(f)
    schemas.validate(doc, "testcase")
    data = doc.data
    problems: list[Problem] = []
    period = data.get("period")
    cases = []
    for i, case in enumerate(data["cases"]):
        evidence = []
        for j, item in enumerate(case["evidence"]):
            where = ("cases", i, "evidence", j)
            if "file" in item and (why := unsafe_name(str(item["file"]))):
                problems.append(_problem(doc, where + ("file",), f"file {why}"))
            if "fixture" in item:
                item = {**item, "fixture": _fixture(doc, f, where, item["fixture"], problems)}
            evidence.append(item)
        line, _ = doc.where(("cases", i))
        cases.append(TestCase(
            file=str(f), line=line, name=case["name"], duty=data.get("duty"),
            check=data.get("check"), evidence=evidence, expect=case["expect"],
            as_of=case.get("as_of", data.get("as_of", DEFAULT_AS_OF)),
            period=(period["start"], period["end"]) if period else DEFAULT_PERIOD,
            config={**data.get("config", {}), **case.get("config", {})},
            organisation=data.get("organisation"),
        ))
    return doc, cases, problems


def _fixture(doc: yamlsource.Located, case_file: Path, where: tuple, name: str,
             problems: list[Problem]) -> str:
    """The fixture's path, found next to the case file; a problem if it cannot be used."""
    at = where + ("fixture",)
    if why := unsafe_name(name):
        problems.append(_problem(doc, at, f"fixture {why}"))
        return name
    path = case_file.parent.resolve() / name
    if path.suffix.lower() not in FIXTURE_SUFFIXES:
        problems.append(_problem(doc, at, f"fixture {name!r} must be a "
                                 + " or ".join(FIXTURE_SUFFIXES) + " file"))
    elif not path.is_file():
        problems.append(_problem(doc, at, f"fixture {name!r} not found: looked for {path}"))
    return str(path)


def read_cases(path: Path | str) -> list[TestCase]:
    """Every case in a file, or in every ``*.yaml`` under a folder (sorted)."""
    return [case for _, cases in case_files(path) for case in cases]


def load_test_cases(path: Path | str) -> list[Any]:
    """Cases as ``pytest.param`` objects with readable ids, for ``parametrize``."""
    import pytest

    return [pytest.param(case, id=case.id) for case in read_cases(path)]


def reference_problems(doc: yamlsource.Located, cat: Catalogue, host: Host) -> list[Problem]:
    """What a case file names that the loaded catalogue and plugins do not have: its
    ``duty`` or ``check``, the requirements under ``expect`` and the evidence kinds, each
    at its line and column. A typo here would otherwise pass, or fail only when run."""
    from ..engine import covering_checks

    data = doc.data
    out: list[Problem] = []
    duty_id, check_id = data.get("duty"), data.get("check")
    if duty_id is not None and duty_id not in cat.duties:
        return [_problem(doc, ("duty",), f"no loaded duty is {duty_id!r} (not in an "
                         "installed plugin or a duty file given)" + _close(duty_id, cat.duties))]
    if check_id is not None:
        checks = host.checks()
        if check_id not in checks:
            return [_problem(doc, ("check",), f"no installed check is {check_id!r}"
                             + _close(check_id, checks))]
        if not any(cls.id == check_id for _, cls in covering_checks(cat, host).values()):
            out.append(_problem(doc, ("check",), f"check {check_id!r} rates no requirement "
                                "of the loaded duties"))
    kinds = host.evidence_kinds()
    refs = [r.ref for r in cat.requirements()]
    for i, case in enumerate(data["cases"]):
        for j, item in enumerate(case["evidence"]):
            if item["kind"] not in kinds:
                out.append(_problem(doc, ("cases", i, "evidence", j, "kind"),
                                    f"unknown evidence kind {item['kind']!r}"
                                    + _close(item["kind"], kinds)))
        for key in case["expect"]:
            at = ("cases", i, "expect", key)
            if duty_id is not None:
                duty = cat.duties[duty_id]
                ref = key if "/" in key else f"{duty_id}/{key}"
                if ref.partition("/")[0] != duty_id:
                    out.append(_problem(doc, at, f"{key!r} is not in this file's duty "
                                        f"{duty_id}, the only duty its cases run"))
                elif cat.requirement(ref) is None:
                    out.append(_problem(doc, at, f"{key!r} is not a requirement of {duty_id}"
                                        "; its requirements: "
                                        + ", ".join(r.id for r in duty.requirements)))
            elif "/" in key and cat.requirement(key) is None:
                out.append(_problem(doc, at, f"{key!r} names no loaded requirement"
                                    + _close(key, refs)))
            elif "/" not in key and key not in cat.duties:
                out.append(_problem(doc, at, f"{key!r} names no loaded duty (write "
                                    "duty-id/requirement-id for a requirement)"
                                    + _close(key, cat.duties)))
    return out


def _close(word: str, known: Iterable[str]) -> str:
    found = difflib.get_close_matches(word, list(known), n=3, cutoff=0.6)
    return ("; did you mean " + " or ".join(repr(f) for f in found) + "?") if found else ""


def _problem(doc: yamlsource.Located, path: tuple, message: str) -> Problem:
    line, col = doc.where(path)
    return Problem(doc.file, message, line, col, yamlsource.json_path(path))


def run_case(case: TestCase, plugins: tuple[Any, ...] | list[Any] = (),
             entry_points: bool = True, duties: tuple[Any, ...] | list[Any] = ()
             ) -> Assessment:
    """Build the case's bundle in a temporary folder and assess it: the file's duty, or
    for a ``check:`` file the duties that check rates and any duty ``expect`` names."""
    only = [case.duty] if case.duty else _check_duties(case, plugins, entry_points, duties)
    with tempfile.TemporaryDirectory(prefix="dutycheck-case-") as tmp:
        org = {"organisation": case.organisation} if case.organisation else {}
        try:
            folder = write_bundle(Path(tmp) / "bundle", case.evidence, period=case.period,
                                  **org)
        except ValueError as exc:
            raise InvalidInput.one(case.file, str(exc), case.line) from None
        return assess(folder, as_of=case.as_of, plugins=plugins, entry_points=entry_points,
                      config=case.config or None, only=only, duties=duties)


def _check_duties(case: TestCase, plugins: tuple[Any, ...] | list[Any], entry_points: bool,
                  duties: tuple[Any, ...] | list[Any]) -> list[str]:
    from .. import catalogue
    from ..engine import covering_checks
    from ..host import make_host

    host = make_host(entry_points=entry_points, plugins=plugins)
    if case.check not in host.checks():
        raise InvalidInput.one(case.file, f"no installed check is {case.check!r}"
                               + _close(str(case.check), host.checks()))
    cat = catalogue.load([p for _, p in host.duty_locations()] + [Path(d) for d in duties])
    rated = {ref.partition("/")[0] for ref, (_, cls) in covering_checks(cat, host).items()
             if cls.id == case.check}
    named = {case.ref(key).partition("/")[0] for key in case.expect}
    return sorted(rated | (named & set(cat.duties)))


def case_failures(case: TestCase, result: Assessment) -> list[str]:
    """How ``result`` differs from what the case expects: one line per requirement, with
    expected against actual (empty when the case passes)."""
    problems = []
    for key, want in case.expect.items():
        ref = case.ref(key)
        try:
            got = result.finding(ref) if "/" in ref else result.duty(ref)
        except KeyError as exc:
            problems.append(f"{key}: {exc.args[0]}")
            continue
        if got["rating"] != want["rating"]:
            problems.append(f"{ref}: expected {want['rating']}, got {got['rating']}: "
                            f"{got['reason']}")
            continue
        if "value" in want and not _same(got.get("value"), want["value"]):
            problems.append(f"{ref}: expected value {want['value']!r}, got "
                            f"{got.get('value')!r}")
        for fragment in want.get("message", []):
            if fragment not in got["reason"]:
                problems.append(f"{ref}: reason lacks {fragment!r}: {got['reason']}")
    return problems


def run_test_case(case: TestCase, plugins: tuple[Any, ...] | list[Any] = (),
                  entry_points: bool = True, duties: tuple[Any, ...] | list[Any] = ()) -> None:
    """Assert that the case produces what it expects; the message names the case file and
    line, the requirement, and expected against actual."""
    problems = case_failures(case, run_case(case, plugins, entry_points, duties))
    if problems:
        raise AssertionError(f"behaviour case {case.name!r} ({case.where()}):\n  "
                             + "\n  ".join(problems))


def _same(got: Any, want: Any) -> bool:
    if isinstance(got, int | float) and isinstance(want, int | float):
        return abs(got - want) <= 1e-6 * max(1.0, abs(want)) + 0.005
    return got == want
