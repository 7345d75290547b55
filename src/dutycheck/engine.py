"""The engine: pair every requirement with what covers it, run each pair inside its own
error boundary, and roll the findings up to duties and areas."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import sys
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

from .bundle import Bundle
from .catalogue import Catalogue, Duty, Requirement
from .checks import Check, Context, Evidence, Measurement, NotEvidenced, Verdict
from .errors import PluginError
from .host import Host
from .kinds import StructuredKind
from .rating import rate_measure
from .ratings import Rating, worst
from .rules import CADENCE_DAYS, kinds_read, rule_for

#: Seconds one check may run before it is abandoned and rated Error (``checks:
#: timeout_seconds`` in a run config changes it).
DEFAULT_TIMEOUT = 60.0
_WORKER = "dutycheck-check"


@dataclass
class Finding:
    """The outcome for one requirement, with everything needed to trace it."""

    requirement: Requirement
    rating: Rating
    reason: str
    value: Any = None
    unit: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    check: dict[str, Any] | None = None
    error: str | None = None
    ran: bool = False  # True when a check was called (not a gap found before calling)


@dataclass
class DutyResult:
    duty: Duty
    rating: Rating
    reason: str
    findings: list[Finding]


@dataclass
class RunResult:
    duties: list[DutyResult]
    errors: list[Finding]

    @property
    def incomplete(self) -> bool:
        return bool(self.errors)


def field_titles(kinds: dict[str, Any]) -> dict[str, str]:
    """``kind.field`` -> the field's schema title, for readable reasons."""
    out: dict[str, str] = {}

    def walk(prefix: str, schema: dict[str, Any]) -> None:
        for name, sub in schema.get("properties", {}).items():
            path = f"{prefix}.{name}"
            if isinstance(sub, dict):
                if "title" in sub:
                    out[path] = sub["title"]
                walk(path, sub)

    for name, kind in kinds.items():
        if isinstance(kind, StructuredKind):
            walk(name, kind.schema)
    return out


def not_due_reason(duty: Duty, bundle: Bundle, as_of: dt.date) -> str | None:
    if duty.effective_from:
        start = dt.date.fromisoformat(duty.effective_from)
        if start > bundle.period_end:
            return (f"the duty applies from {start}, after the reporting period ends "
                    f"{bundle.period_end}")
    if duty.cadence == "one-off":
        due = dt.date.fromisoformat(duty.due)
        if as_of < due:
            return f"the duty falls due on {due}, after the assessment date {as_of}"
        return None
    first_end = bundle.period_start + dt.timedelta(days=CADENCE_DAYS[duty.cadence] - 1)
    if as_of < min(first_end, bundle.period_end):
        return (f"the first {duty.cadence} period in the reporting period has not ended by "
                f"{as_of}")
    return None


def covering_checks(catalogue: Catalogue, host: Host) -> dict[str, tuple[str, type[Check]]]:
    """Requirement ref -> (plugin, check class) for every requirement a plugin check rates:
    named in a check's ``covers``, or claimed by rule (``Check.claims``). A ``covers``
    naming a requirement no loaded duty declares is an error naming the plugin."""
    checks = host.checks()
    by_requirement: dict[str, tuple[str, type[Check]]] = {}
    for plugin, cls in checks.values():
        for ref in cls.covers:
            if catalogue.requirement(ref) is None:
                info = host.info(plugin)
                dist = f" ({info.distribution} {info.version})" if info.distribution else ""
                raise PluginError(f"plugin {plugin!r}{dist}: check {cls.id} covers {ref!r}, "
                                  "which no loaded duty declares")
            by_requirement[ref] = (plugin, cls)
    _resolve_claims(catalogue, checks, by_requirement)
    return by_requirement


def run(catalogue: Catalogue, bundle: Bundle, host: Host, as_of: dt.date,
        duties: list[Duty] | None = None, grace_days: int = 0,
        check_timeout: float | None = None) -> RunResult:
    """Run every (check, requirement) pair. Each check runs in a worker thread that is
    abandoned after ``check_timeout`` seconds; anything a check prints goes to standard
    error, so a report written to standard output stays clean."""
    timeout = DEFAULT_TIMEOUT if check_timeout is None else float(check_timeout)
    proxy = _StdoutToStderr.install()
    try:
        return _run(catalogue, bundle, host, as_of, duties, grace_days, timeout)
    finally:
        proxy.uninstall()


def _run(catalogue: Catalogue, bundle: Bundle, host: Host, as_of: dt.date,
         duties: list[Duty] | None, grace_days: int, timeout: float) -> RunResult:
    from . import __version__

    kinds = {name: k for name, (_, k) in host.evidence_kinds().items()}
    titles = field_titles(kinds)
    by_requirement = covering_checks(catalogue, host)
    evidence = Evidence(bundle)
    results: list[DutyResult] = []
    errors: list[Finding] = []

    for duty in sorted(duties if duties is not None else catalogue.duties.values(),
                       key=lambda d: d.id):
        context = Context(as_of=as_of, period_start=bundle.period_start,
                          period_end=bundle.period_end, organisation=bundle.organisation,
                          duty=duty, grace_days=grace_days, duties=catalogue.duties)
        findings: list[Finding] = []
        due_reason = not_due_reason(duty, bundle, as_of)
        for req in duty.requirements:
            if due_reason:
                findings.append(Finding(req, Rating.NOT_DUE, f"{req.title}: not due; "
                                        f"{due_reason}."))
                continue
            if req.ref in by_requirement:
                plugin, cls = by_requirement[req.ref]
                check: Check = cls()
                reads = set(cls.reads)
                reads_any = tuple(cls.reads_any)
                meta = {"id": cls.id, "plugin": plugin, "version": host.version_of(plugin)}
            else:
                rule = rule_for(req)
                if rule is None:
                    findings.append(Finding(req, Rating.NOT_ASSESSED, f"{req.title}: no "
                                            "installed check covers this requirement."))
                    continue
                check = rule(titles)
                reads = kinds_read(req)
                reads_any = ()
                meta = {"id": rule.id, "plugin": "dutycheck", "version": __version__}
            gap = _evidence_gap(req, reads, bundle, context) or \
                _any_gap(reads_any, bundle, context)
            if gap:
                findings.append(Finding(req, Rating.NOT_EVIDENCED, f"{req.title}: not "
                                        f"evidenced; {gap}.", check=meta))
                continue
            finding = _run_one(host, check, req, evidence, context, meta, titles, timeout)
            findings.append(finding)
            if finding.rating is Rating.ERROR:
                errors.append(finding)
        rating = worst([f.rating for f in findings])
        results.append(DutyResult(duty, rating, _duty_reason(duty, rating, findings), findings))
    return RunResult(results, errors)


def _evidence_gap(req: Requirement, reads: set[str], bundle: Bundle,
                  context: Context) -> str | None:
    for kind in sorted(reads):
        items = bundle.by_kind(kind)
        if not items:
            if any(t.kind == kind for t in bundle.templates):
                return (f"the bundle's {kind} item is still the template written by "
                        "`dutycheck init` (template: true in bundle.yaml)")
            if kind in ("document", "attestation"):
                continue  # the rule itself says what is missing
            return f"the bundle has no {kind} item"
        if kind in ("document", "attestation"):
            continue  # dated inside the record; the rule judges freshness
        reasons = [r for r in (context.stale(i) for i in items) if r]
        if reasons and len(reasons) == len(items):
            return reasons[0]
    return None


def _resolve_claims(catalogue: Catalogue, checks: dict[str, tuple[str, type[Check]]],
                    by_requirement: dict[str, tuple[str, type[Check]]]) -> None:
    """Offer each requirement no check names and no declarative rule evaluates to the
    checks that claim requirements by rule (``Check.claims``)."""
    claimants = [(p, c) for p, c in checks.values() if c.claims.__func__ is not
                 Check.claims.__func__]
    if not claimants:
        return
    for duty in catalogue.duties.values():
        for req in duty.requirements:
            if req.ref in by_requirement or rule_for(req) is not None:
                continue
            found = [(p, c) for p, c in claimants if c.claims(req, duty)]
            if len(found) > 1:
                raise PluginError(f"requirement {req.ref!r} is claimed by both check "
                                  f"{found[0][1].id!r} (plugin {found[0][0]!r}) and check "
                                  f"{found[1][1].id!r} (plugin {found[1][0]!r})")
            if found:
                by_requirement[req.ref] = found[0]


def _any_gap(kinds: tuple[str, ...], bundle: Bundle, context: Context) -> str | None:
    """For ``reads_any``: usable evidence of at least one of ``kinds``, or why not."""
    if not kinds:
        return None
    items = [i for k in kinds for i in bundle.by_kind(k)]
    if not items:
        return "the bundle has no item of any of: " + ", ".join(kinds)
    reasons = [context.stale(i) for i in items]
    if all(reasons):
        return reasons[0]
    return None


class _CheckTimeout(Exception):
    """A check did not return within the run's per-check timeout."""


class _CheckPrinted(Exception):
    """A check wrote to standard output, which would corrupt a report written there."""


_PRINTED: dict[str, list[str]] = {}
_PRINTED_LOCK = threading.Lock()
_SEQUENCE = iter(range(1, 1 << 62))


class _StdoutToStderr:
    """While checks run, ``print`` from a check's worker thread goes to standard error;
    every other thread writes to the real standard output as before."""

    def __init__(self, real: Any) -> None:
        self.real = real

    @classmethod
    def install(cls) -> _StdoutToStderr:
        current = sys.stdout
        if isinstance(current, cls):
            return _NoProxy()
        proxy = cls(current)
        sys.stdout = proxy
        return proxy

    def uninstall(self) -> None:
        # A timed-out check may still be running: keep routing its output until it ends.
        if sys.stdout is self and not any(t.name.startswith(_WORKER) and t.is_alive()
                                          for t in threading.enumerate()):
            sys.stdout = self.real

    def _target(self) -> Any:
        if threading.current_thread().name.startswith(_WORKER):
            return sys.stderr if sys.stderr is not None else self.real
        return self.real

    def write(self, text: str) -> int:
        name = threading.current_thread().name
        if name.startswith(_WORKER):
            with _PRINTED_LOCK:
                _PRINTED.setdefault(name, []).append(text)
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class _NoProxy(_StdoutToStderr):
    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def uninstall(self) -> None:
        pass


def _call_with_timeout(host: Host, check: Check, req: Requirement, evidence: Evidence,
                       context: Context, timeout: float, label: str) -> Any:
    """Call the check hook in a daemon worker thread; raise ``TimeoutError`` when it has
    not returned after ``timeout`` seconds (the thread is abandoned, its SQL interrupted)."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = host.pm.hook.dutycheck_check(check=check, requirement=req,
                                                         evidence=evidence, context=context)
        except BaseException as exc:  # re-raised in the calling thread
            box["error"] = exc

    worker = threading.Thread(target=work, name=f"{_WORKER}-{next(_SEQUENCE)}-{label}",
                              daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        db = getattr(getattr(evidence, "_bundle", None), "_db", None)
        if db is not None and hasattr(db, "interrupt"):
            with contextlib.suppress(Exception):  # best effort only
                db.interrupt()
        raise _CheckTimeout(f"timed out after {timeout:g} seconds (checks.timeout_seconds)")
    with _PRINTED_LOCK:
        printed = "".join(_PRINTED.pop(worker.name, []))
    if "error" in box:
        raise box["error"]
    if printed.strip():
        first = printed.strip().splitlines()[0][:80]
        raise _CheckPrinted(f"wrote {len(printed)} characters to standard output (first line: "
                            f"{first!r}); checks must not print - the output was sent to "
                            "standard error")
    return box.get("result")


def _malformed(verdict: Verdict, check_id: str) -> str | None:
    """What is wrong with a Verdict a check returned, or ``None``: a malformed finding
    must become an Error naming the check, not a crash while the report is written."""
    if not isinstance(verdict.rating, Rating):
        return f"rating must be a dutycheck Rating, not {verdict.rating!r}"
    if not isinstance(verdict.reason, str) or not verdict.reason.strip():
        return "reason must be a non-empty sentence"
    value = verdict.value
    if isinstance(value, bool) or not (value is None or isinstance(value, int | str) or (
            isinstance(value, float) and math.isfinite(value))):
        return f"value must be a finite number, text or None, not {value!r}"
    if verdict.unit is not None and not isinstance(verdict.unit, str):
        return f"unit must be text or None, not {verdict.unit!r}"
    if not isinstance(verdict.evidence, list | tuple) or not all(
            isinstance(e, dict) for e in verdict.evidence):
        return "evidence must be a list of references (dicts; see EvidenceItem.ref())"
    if not isinstance(verdict.details, dict):
        return "details must be a dict"
    try:
        json.dumps([list(verdict.evidence), verdict.details], allow_nan=False,
                   sort_keys=True)
    except (TypeError, ValueError) as exc:
        return f"evidence and details must be plain JSON data ({exc})"
    return None


def _run_one(host: Host, check: Check, req: Requirement, evidence: Evidence,
             context: Context, meta: dict[str, Any], titles: dict[str, str],
             timeout: float = DEFAULT_TIMEOUT) -> Finding:
    """One error boundary: whatever the check does, the run carries on."""
    try:
        result = _call_with_timeout(host, check, req, evidence, context, timeout, meta["id"])
        if isinstance(result, Measurement):
            if req.kind != "measure":
                raise TypeError(f"check {meta['id']} returned a Measurement for a "
                                f"{req.kind} requirement; return a Verdict")
            verdict = rate_measure(req, result.value, result.evidence, evidence, titles,
                                   result.detail)
            verdict.details.update(result.details)
        elif isinstance(result, Verdict):
            verdict = result
        else:
            raise TypeError(f"check {meta['id']} returned {type(result).__name__}; expected "
                            "Verdict or Measurement")
        wrong = _malformed(verdict, meta["id"])
        if wrong:
            raise TypeError(f"returned a malformed finding: {wrong}")
    except NotEvidenced as exc:
        return Finding(req, Rating.NOT_EVIDENCED, f"{req.title}: not evidenced; {exc}.",
                       check=meta, ran=True)
    except Exception as exc:  # the error boundary DESIGN.md section 3 asks for
        frames = traceback.extract_tb(exc.__traceback__)
        version = f" {meta['version']}" if meta.get("version") else ""
        if isinstance(exc, _CheckTimeout | _CheckPrinted):
            message = f"check {meta['id']} (plugin {meta['plugin']}{version}) {exc}"
        else:
            message = (f"check {meta['id']} (plugin {meta['plugin']}{version}) failed: "
                       f"{type(exc).__name__}: {exc}")
        at = f" [{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}]" if frames else ""
        # the report's error list stands apart from the findings, so it names the requirement
        return Finding(req, Rating.ERROR, f"{req.title}: {message}.", check=meta,
                       error=f"{req.ref}: {message}{at}", ran=True)
    return Finding(req, verdict.rating, verdict.reason, verdict.value, verdict.unit,
                   list(verdict.evidence), dict(verdict.details), meta, ran=True)


def _duty_reason(duty: Duty, rating: Rating, findings: list[Finding]) -> str:
    if not findings:
        return "The duty has no requirements."
    driving = [f for f in findings if f.rating is rating]
    n = len(findings)
    if rating is Rating.GREEN:
        met = sum(1 for f in findings if f.rating is Rating.GREEN)
        if met == n:
            return f"All {n} requirement{'s' if n > 1 else ''} met."
        # the rest are Not due (not applicable this period): say so, not "all met"
        return (f"All {met} requirement{'s' if met > 1 else ''} that fell due met; the "
                f"other {n - met} {'are' if n - met > 1 else 'is'} not due.")
    if rating is Rating.NOT_DUE:
        return driving[0].reason
    first = driving[0].reason
    more = f" ({len(driving) - 1} more {rating.value})" if len(driving) > 1 else ""
    return f"{rating.value} because {first[0].lower()}{first[1:]}{more}"
