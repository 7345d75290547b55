"""``assert_plugin_valid``: everything a reviewer would check in a new plugin, at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..ratings import Rating


def assert_plugin_valid(module: Any, cases: Path | str | None = None) -> None:
    """Register ``module`` alone on a clean plugin manager and check that:

    * its hooks are real ``dutycheck_`` hooks with the right arguments;
    * its checks' metadata is valid and their ids are unique;
    * its duty YAML validates (schema, band completeness, unique ids) and passes the
      ``dutycheck validate`` lint (SQL and value paths against the evidence kinds);
    * every requirement of its duties is covered by one of its checks or a declarative
      rule, and every ``covers`` names a requirement that exists;
    * every evidence kind its checks read is declared (by it or by the core);
    * with ``cases``: every case file names a duty or check, requirements and evidence
      kinds that exist; every case passes (each failure named by file and line); every
      check is exercised by a case; and every band of every measure is reached by a
      passing case whose ``expect`` asserts that requirement's rating (reaching a band
      in passing, with nothing asserted, is not testing it).

    Raises ``AssertionError`` listing every problem found.
    """
    from .. import catalogue
    from ..errors import DutycheckError, InvalidInput
    from ..host import make_host
    from ..lint import lint_files
    from ..rules import rule_for
    from .cases import case_failures, case_files, reference_problems, run_case

    problems: list[str] = []
    name = getattr(module, "__name__", repr(module))
    try:
        host = make_host(entry_points=False, plugins=[module])
        checks = host.checks()
        kinds = host.evidence_kinds()
        locations = [p for _, p in host.duty_locations()]
        cat = catalogue.load(locations)
    except DutycheckError as exc:
        raise AssertionError(f"plugin {name} is not valid:\n  {exc}") from None

    for attr in dir(module):
        if attr.startswith("dutycheck_") and not hasattr(host.pm.hook, attr):
            problems.append(f"{attr} is not a dutycheck hook (misspelt?)")
    problems += [str(p) for p in lint_files(locations, {n: k for n, (_, k) in kinds.items()})]

    covered: dict[str, str] = {}
    for _, cls in checks.values():
        for ref in cls.covers:
            covered[ref] = cls.id
            if cat.requirement(ref) is None:
                problems.append(f"check {cls.id} covers {ref}, which no duty of this plugin "
                                "declares")
        for kind in cls.reads + cls.reads_any:
            if kind not in kinds:
                problems.append(f"check {cls.id} reads evidence kind {kind!r}, which is not "
                                "declared")
    for req in cat.requirements():
        duty = cat.duties[req.duty_id]
        claimed = any(cls.claims(req, duty) for _, cls in checks.values())
        if req.ref not in covered and rule_for(req) is None and not claimed:
            problems.append(f"requirement {req.ref} ({req.kind}) is covered by no check and "
                            "no declarative rule: it would always be Not assessed")

    if cases is not None:
        try:
            files = case_files(cases)
            if not files:
                problems.append(f"no behaviour cases found in {cases}")
        except InvalidInput as exc:
            problems += [str(p) for p in exc.problems]
            files = []
        exercised: set[str] = set()
        asserted: dict[str, set[str]] = {}
        for doc, loaded in files:
            try:
                wrong = reference_problems(doc, cat, host)
            except DutycheckError as exc:
                wrong = [str(exc)]
            problems += [str(p) for p in wrong]
            if wrong:
                continue  # its cases would fail for the same reason
            for case in loaded:
                try:
                    result = run_case(case, plugins=[module], entry_points=False)
                except Exception as exc:
                    problems.append(f"case {case.id} ({case.where()}) could not run: {exc}")
                    continue
                failed = case_failures(case, result)
                problems += [f"case {case.id} ({case.where()}) failed: {f}" for f in failed]
                for duty in result.report["duties"]:
                    for f in duty["requirements"]:
                        if f["rating"] == Rating.ERROR.value:
                            problems.append(f"case {case.id}: {f['ref']} errored: "
                                            f"{f['reason']}")
                        if f.get("check") and f["rating"] != Rating.NOT_EVIDENCED.value:
                            exercised.add(f["check"]["id"])
                if failed:
                    continue  # a failing case tests no band
                for key in case.expect:
                    ref = case.ref(key)
                    band = (result.finding(ref).get("details") or {}).get("band") \
                        if "/" in ref else None
                    if band:
                        asserted.setdefault(ref, set()).add(band)
        for cid in checks:
            if cid not in exercised:
                problems.append(f"check {cid} is not exercised by any case (every case "
                                "left it Not evidenced or never reached it)")
        for req in cat.requirements():
            if req.kind != "measure":
                continue
            want = {b.rating.value.lower() for b in req.bands}
            missing = want - asserted.get(req.ref, set())
            if missing:
                problems.append(f"measure {req.ref}: no passing case asserts its rating in "
                                "the " + ", ".join(sorted(missing)) + " band(s) under expect")
    if problems:
        raise AssertionError(f"plugin {name} is not valid:\n  " + "\n  ".join(problems))
