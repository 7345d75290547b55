"""``assert_plugin_valid``: everything a reviewer would check in a new plugin, at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..ratings import Rating


def assert_plugin_valid(module: Any, cases: Path | str | None = None) -> None:
    """Register ``module`` alone on a clean plugin manager and check that:

    * its hooks are real ``dutycheck_`` hooks with the right arguments;
    * its checks' metadata is valid and their ids are unique;
    * its duty YAML validates (schema, band completeness, unique ids);
    * every requirement of its duties is covered by one of its checks or a declarative
      rule, and every ``covers`` names a requirement that exists;
    * every evidence kind its checks read is declared (by it or by the core);
    * with ``cases``: every case passes, every check is exercised by a case, and every
      band of every measure is reached by at least one case.

    Raises ``AssertionError`` listing every problem found.
    """
    from .. import catalogue
    from ..errors import DutycheckError
    from ..host import make_host
    from ..rules import rule_for
    from .cases import read_cases, run_case

    problems: list[str] = []
    name = getattr(module, "__name__", repr(module))
    try:
        host = make_host(entry_points=False, plugins=[module])
        checks = host.checks()
        kinds = host.evidence_kinds()
        cat = catalogue.load([p for _, p in host.duty_locations()])
    except DutycheckError as exc:
        raise AssertionError(f"plugin {name} is not valid:\n  {exc}") from None

    for attr in dir(module):
        if attr.startswith("dutycheck_") and not hasattr(host.pm.hook, attr):
            problems.append(f"{attr} is not a dutycheck hook (misspelt?)")

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
        exercised: set[str] = set()
        bands_hit: dict[str, set[str]] = {}
        loaded = read_cases(cases)
        if not loaded:
            problems.append(f"no behaviour cases found in {cases}")
        for case in loaded:
            try:
                result = run_case(case, plugins=[module], entry_points=False)
            except Exception as exc:
                problems.append(f"case {case.id} ({case.where()}) could not run: {exc}")
                continue
            for duty in result.report["duties"]:
                for f in duty["requirements"]:
                    if f["rating"] in (Rating.ERROR.value,):
                        problems.append(f"case {case.id}: {f['ref']} errored: {f['reason']}")
                    if f.get("check") and f["rating"] != Rating.NOT_EVIDENCED.value:
                        exercised.add(f["check"]["id"])
                    band = (f.get("details") or {}).get("band")
                    if band:
                        bands_hit.setdefault(f["ref"], set()).add(band)
        for cid in checks:
            if cid not in exercised:
                problems.append(f"check {cid} is not exercised by any case (every case "
                                "left it Not evidenced or never reached it)")
        for req in cat.requirements():
            if req.kind != "measure":
                continue
            want = {b.rating.value.lower() for b in req.bands}
            missing = want - bands_hit.get(req.ref, set())
            if missing:
                problems.append(f"measure {req.ref}: no case reaches the "
                                + ", ".join(sorted(missing)) + " band(s)")
    if problems:
        raise AssertionError(f"plugin {name} is not valid:\n  " + "\n  ".join(problems))
