"""YAML behaviour cases: the evidence a case supplies and the ratings it must produce."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schemas, yamlsource
from .assessment import Assessment, assess
from .bundles import write_bundle

DEFAULT_AS_OF = "2025-11-01"
DEFAULT_PERIOD = ("2024-04-01", "2025-03-31")


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


def read_cases(path: Path | str) -> list[TestCase]:
    """Every case in a file, or in every ``*.yaml`` under a folder (sorted)."""
    path = Path(path)
    files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    out: list[TestCase] = []
    for f in files:
        doc = yamlsource.load(f)
        schemas.validate(doc, "testcase")
        data = doc.data
        period = data.get("period")
        for i, case in enumerate(data["cases"]):
            line, _ = doc.where(("cases", i))
            out.append(TestCase(
                file=str(f), line=line, name=case["name"], duty=data.get("duty"),
                check=data.get("check"), evidence=case["evidence"], expect=case["expect"],
                as_of=case.get("as_of", data.get("as_of", DEFAULT_AS_OF)),
                period=(period["start"], period["end"]) if period else DEFAULT_PERIOD,
                config={**data.get("config", {}), **case.get("config", {})},
                organisation=data.get("organisation"),
            ))
    return out


def load_test_cases(path: Path | str) -> list[Any]:
    """Cases as ``pytest.param`` objects with readable ids, for ``parametrize``."""
    import pytest

    return [pytest.param(case, id=case.id) for case in read_cases(path)]


def run_case(case: TestCase, plugins: tuple[Any, ...] | list[Any] = (),
             entry_points: bool = True, duties: tuple[Any, ...] | list[Any] = ()
             ) -> Assessment:
    """Build the case's bundle in a temporary folder and assess it."""
    with tempfile.TemporaryDirectory(prefix="dutycheck-case-") as tmp:
        org = {"organisation": case.organisation} if case.organisation else {}
        folder = write_bundle(Path(tmp) / "bundle", case.evidence, period=case.period, **org)
        only = [case.duty] if case.duty else None
        return assess(folder, as_of=case.as_of, plugins=plugins, entry_points=entry_points,
                      config=case.config or None, only=only, duties=duties)


def run_test_case(case: TestCase, plugins: tuple[Any, ...] | list[Any] = (),
                  entry_points: bool = True, duties: tuple[Any, ...] | list[Any] = ()) -> None:
    """Assert that the case produces what it expects; the message names the case file and
    line, the requirement, and expected against actual."""
    result = run_case(case, plugins, entry_points, duties)
    problems = []
    for key, want in case.expect.items():
        ref = key if "/" in key or not case.duty else f"{case.duty}/{key}"
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
    if problems:
        raise AssertionError(f"behaviour case {case.name!r} ({case.where()}):\n  "
                             + "\n  ".join(problems))


def _same(got: Any, want: Any) -> bool:
    if isinstance(got, int | float) and isinstance(want, int | float):
        return abs(got - want) <= 1e-6 * max(1.0, abs(want)) + 0.005
    return got == want
