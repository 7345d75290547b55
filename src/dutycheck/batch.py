"""``dutycheck run`` over several bundles: one report per bundle, a combined summary.

Each bundle is assessed in a worker process (the work is CPU bound: YAML, DuckDB, report
rendering), ``--jobs`` at a time. A worker builds its plugin host once and reuses it for
every bundle it is given; DuckDB's threads per worker are set so that jobs x threads does
not exceed the CPUs available, because two DuckDB pools of two threads each on a two-core
machine only thrash. A bundle's failure is recorded against that bundle; the others still
run and their reports are still written. The exit code is the worst across bundles.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import (
    EXIT_FAIL_ON,
    EXIT_INCOMPLETE,
    EXIT_INTERNAL,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    DutycheckError,
    InvalidInput,
    UsageError,
)

SUMMARY_FILE = "summary.json"
#: What each exit code means, for the summary table and ``summary.json``.
STATUS = {EXIT_OK: "ok", EXIT_FAIL_ON: "at or above --fail-on", EXIT_USAGE: "usage error",
          EXIT_INCOMPLETE: "incomplete", EXIT_INVALID_INPUT: "invalid input",
          EXIT_INTERNAL: "internal error"}


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs for one bundle besides its folder (picklable)."""

    formats: tuple[str, ...]
    output: Path
    as_of: dt.date
    audience: str = "jac"
    fail_on: str = "red"
    duty_dirs: tuple[Path, ...] = ()
    config: Path | None = None
    area: str | None = None
    sign_key: bytes | None = None


@dataclass
class Outcome:
    """One bundle's result, as the summary reports it."""

    bundle: str
    folder: str
    exit_code: int
    organisation: str | None = None
    period: dict[str, str] | None = None
    duties: dict[str, int] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return STATUS.get(self.exit_code, f"exit {self.exit_code}")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


def report_names(bundles: list[Path]) -> list[str]:
    """Each bundle's report name (its folder name); names must be distinct because every
    report goes into the one ``--output`` folder."""
    names = [b.resolve().name or str(b) for b in bundles]
    seen: dict[str, Path] = {}
    for name, b in zip(names, bundles, strict=True):
        if name in seen:
            raise UsageError(f"bundles {seen[name]} and {b} share the folder name {name!r}; "
                             "their reports would overwrite each other in --output")
        seen[name] = b
    return names


def threads_per_job(jobs: int) -> int:
    """DuckDB threads for each worker so that jobs x threads <= the CPUs this process may
    use (at least one)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus // jobs)


# --------------------------------------------------------------------------- worker side

_HOST: Any = None


def _start_worker(threads: int, config: Path | None) -> None:
    """Per worker process: DuckDB's thread count (unless the user fixed it) and nothing
    else; the plugin host is built on the first bundle so a plugin failure is reported as
    that bundle's outcome, not as a broken pool."""
    os.environ.setdefault("DUTYCHECK_THREADS", str(threads))


def _host(config: Path | None) -> Any:
    global _HOST
    if _HOST is None:
        from .host import make_host

        allow = None
        if config is not None:
            from . import config as configlib

            allow = configlib.load(config).allow_plugins
        _HOST = make_host(allow=allow)
    return _HOST


def assess_one(folder: Path, name: str, settings: Settings) -> Outcome:
    """Assess one bundle and write its reports; every failure becomes the outcome's exit
    code and messages (the same codes and wording as a single-bundle run)."""
    out = Outcome(bundle=name, folder=str(folder), exit_code=EXIT_OK)
    try:
        _assess_and_write(folder, name, settings, out)
    except InvalidInput as exc:
        out.exit_code = exc.exit_code
        out.messages = [f"error: {p}" for p in exc.problems]
        out.messages.append(f"{len(exc.problems)} problem(s); nothing was written.")
    except DutycheckError as exc:
        out.exit_code = exc.exit_code
        out.messages = [f"error: {exc}"]
    except Exception as exc:  # reported like the single run does, without a traceback
        out.exit_code = EXIT_INTERNAL
        out.messages = [f"internal error: {type(exc).__name__}: {exc}"]
    return out


def _assess_and_write(folder: Path, name: str, settings: Settings, out: Outcome) -> None:
    from .assess import Options, assess
    from .output import file_names, write_atomic
    from .ratings import DISPLAY_ORDER

    host = _host(settings.config)
    doc = assess(host, Options(bundle=folder, as_of=settings.as_of, audience=settings.audience,
                               duty_dirs=settings.duty_dirs, config=settings.config,
                               area=settings.area))
    out.organisation = doc["organisation"]
    out.period = doc["period"]
    counts = doc["counts"]["duties"]
    out.duties = {r.value: counts[r.value] for r in DISPLAY_ORDER if counts.get(r.value)}
    if settings.sign_key is not None:
        from . import report

        try:
            report.sign(doc, settings.sign_key)
        except (ValueError, TypeError) as exc:
            raise UsageError(f"--sign-key: {exc}") from None
    available = host.report_formats()
    for f, file in file_names(name, settings.formats, available).items():
        target = settings.output / file
        write_atomic(target, available[f].render(doc))
        out.reports.append(str(target))
    out.messages += [f"error: {x}" for x in doc["plugin_failures"] + doc["errors"]]
    if doc["plugin_failures"] or doc["errors"]:
        out.exit_code = EXIT_INCOMPLETE
        return
    from .cli import _tripped

    hit = _tripped(doc, settings.fail_on)
    if hit:
        out.messages.append(f"{len(hit)} duty rating(s) at or above --fail-on "
                            f"{settings.fail_on}")
        out.exit_code = EXIT_FAIL_ON


# --------------------------------------------------------------------------- parent side


def run(bundles: list[Path], names: list[str], settings: Settings, jobs: int,
        on_done: Callable[[Outcome, int, int], None]) -> list[Outcome]:
    """Assess every bundle, ``jobs`` at a time, calling ``on_done(outcome, done, total)`` as
    each finishes; returns the outcomes in the order the bundles were given."""
    total = len(bundles)
    results: dict[int, Outcome] = {}
    if jobs == 1:  # no pool: the same code path, in this process, with the same threads
        _start_worker(threads_per_job(1), settings.config)
        for i, (b, n) in enumerate(zip(bundles, names, strict=True)):
            results[i] = assess_one(b, n, settings)
            on_done(results[i], i + 1, total)
        return [results[i] for i in range(total)]
    workers = min(jobs, total)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                               initargs=(threads_per_job(workers), settings.config))
    try:
        futures: dict[Future[Outcome], int] = {
            pool.submit(assess_one, bundles[i], names[i], settings): i
            for i in largest_first(bundles)}
        for done, fut in enumerate(as_completed(futures), start=1):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # the worker process itself died (killed, out of memory)
                results[i] = Outcome(names[i], str(bundles[i]), EXIT_INTERNAL,
                                     messages=[f"internal error: worker failed: {exc}"])
            on_done(results[i], done, total)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [results[i] for i in range(total)]


def largest_first(bundles: list[Path]) -> list[int]:
    """Bundle indexes, largest folder first: the big forces start at once instead of
    leaving one worker busy at the end while the others sit idle (the time a bundle takes
    grows with its evidence)."""
    def size(folder: Path) -> int:
        total = 0
        for root, _, files in os.walk(folder):  # an unreadable folder counts as empty
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.stat(os.path.join(root, name)).st_size
        return total

    sizes = [size(b) for b in bundles]
    return sorted(range(len(bundles)), key=lambda i: (-sizes[i], i))


def worst(outcomes: list[Outcome]) -> int:
    """The run's exit code: the worst bundle's (internal error, invalid input, incomplete,
    usage, at or above --fail-on, ok: the codes' own order)."""
    return max((o.exit_code for o in outcomes), default=EXIT_OK)


def summary(outcomes: list[Outcome], settings: Settings, jobs: int) -> dict[str, Any]:
    """The combined summary written as ``summary.json``: deterministic for the same inputs
    (bundle order as given, no timings)."""
    return {"as_of": settings.as_of.isoformat(), "jobs": jobs,
            "exit_code": worst(outcomes), "bundles": [o.as_dict() for o in outcomes]}


def period_label(o: Outcome) -> str:
    if not o.period:
        return "-"
    return o.period.get("label") or f"{o.period['start']} to {o.period['end']}"


def progress_lines(outcome: Outcome, done: int, total: int) -> Iterator[str]:
    """Plain progress: one line per bundle, then its messages indented under it."""
    note = f" ({len(outcome.reports)} report(s))" if outcome.reports else ""
    yield f"[{done}/{total}] {outcome.bundle}: {outcome.status}{note}"
    for m in outcome.messages:
        yield f"  {m}"


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()
