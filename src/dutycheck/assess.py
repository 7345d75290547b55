"""One assessment from start to finish: catalogue, bundle, waivers, actions, baseline,
engine and report. ``dutycheck run`` and ``dutycheck verify`` (which re-runs a report
from its recorded inputs) share it, so both produce the same document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .catalogue import Catalogue, Duty
    from .config import RunConfig


@dataclass
class Options:
    """What one run assesses. ``run_config`` is an in-memory run configuration (tests,
    behaviour cases) used instead of loading ``config``; ``only`` keeps just these duty
    ids (within ``area`` if that is given too)."""

    bundle: Path
    as_of: dt.date
    audience: str = "jac"
    duty_dirs: tuple[Path, ...] = ()
    config: Path | None = None
    baseline: Path | None = None
    area: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    only: tuple[str, ...] | None = None
    run_config: RunConfig | None = None


def assess(host: Any, opts: Options) -> dict[str, Any]:
    """The sealed canonical report (keys sorted, as it is written to disk)."""
    from . import actions as actionslib
    from . import baseline as baselinelib
    from . import bundle as bundlelib
    from . import config as configlib
    from . import engine, report
    from . import waivers as waiverslib

    cfg = opts.run_config if opts.run_config is not None else configlib.load(opts.config)
    cat = host.load_catalogue(opts.duty_dirs, cfg.overrides)
    selected = _select(cat, opts.area, opts.only)
    kinds = {name: k for name, (_, k) in host.evidence_kinds().items()}
    known_duties = set(cat.duties)
    known_refs = {r.ref for r in cat.requirements()}
    hint = ""
    if host.refused:
        hint = (" (plugins.allow in the run config refuses: "
                + ", ".join(r.name for r in host.refused) + ")")
    with bundlelib.load(opts.bundle, kinds, cfg.bank_holidays, hint) as b:
        waivers = waiverslib.load(opts.bundle, known_duties, known_refs)
        actions = actionslib.load(opts.bundle, known_duties, known_refs)
        base = None
        if opts.baseline is not None:
            doc, sha = baselinelib.load(opts.baseline, b.organisation, b.period_start,
                                        b.period_end, opts.as_of)
            base = (doc, str(opts.baseline), sha)
        applicable = [d for d in selected if d.applies_to(b.organisation)]
        result = engine.run(cat, b, host, opts.as_of, applicable, cfg.grace_days,
                            cfg.check_timeout)
        invocation: dict[str, Any] = {"area": opts.area,
                                      "duties": [str(p) for p in opts.duty_dirs]}
        other = _other_organisations([d for d in selected if d not in applicable])
        if other:
            invocation["other_organisations"] = other
        if opts.only:
            invocation["only"] = list(opts.only)
        doc = report.build(result, cat, b, host, opts.as_of, opts.audience,
                           cfg.as_report_dict(), cfg.file, waivers=waivers, actions=actions,
                           baseline=base, invocation=invocation)
    return report.normalised(doc)


def _select(cat: Catalogue, area: str | None, only: tuple[str, ...] | None) -> list[Duty]:
    """The duties to run; a name that matches nothing is a usage error, not an empty run.
    ``area`` may name several areas, comma-separated (``--area`` given more than once)."""
    selected = []
    for one in (area.split(",") if area else [None]):
        found = cat.select(one)
        if one and not found:
            raise UsageError(f"no duties in area {one!r}; areas: "
                             + ", ".join(sorted(cat.areas)))
        selected += found
    if only:
        unknown = [d for d in only if d not in cat.duties]
        if unknown:
            raise UsageError(f"no duty {unknown[0]!r}; duties: " + ", ".join(sorted(cat.duties)))
        selected = [d for d in selected if d.id in set(only)]
    return selected


def _other_organisations(duties: list[Duty]) -> list[dict[str, Any]]:
    """Duties left out because they bind other organisations (another OPCC's plan), counted
    by the organisations they name, so the report says what it did not assess and why."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for d in duties:
        groups.setdefault(tuple(d.organisations), []).append(d.id)
    return [{"organisations": list(orgs), "duties": len(ids), "first": sorted(ids)[0]}
            for orgs, ids in sorted(groups.items())]
