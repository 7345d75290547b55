"""The ``dutycheck`` command line. Only this module and the terminal renderer print."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .__about__ import __version__
from .errors import (
    EXIT_FAIL_ON,
    EXIT_INCOMPLETE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    DutycheckError,
    InvalidInput,
)

RUN_EXAMPLES = """
\b
Examples:
  dutycheck run samples/kent-2024-25
  dutycheck run samples/kent-2024-25 --format json --output report.json
  dutycheck run samples/kent-2024-25 --format markdown --format json --output out/
  dutycheck run samples/kent-2024-25 --as-of 2025-06-30 --fail-on amber
  dutycheck run my-bundle --config kent.yaml --duties extra-duties/
  dutycheck run samples/kent-2024-25 --audience panel --format html --output panel.html
  dutycheck run samples/kent-2024-25 --format pdf --output jac.pdf --baseline last.json
  dutycheck run forces/* --jobs 2 --format json --format html --output reports/

\b
Exit codes: 0 ok; 1 a rating at or above --fail-on; 2 usage; 3 incomplete (a plugin
failed to load or a check errored); 4 invalid input; 5 internal error.
"""


class _State:
    debug = False


def _fail(exc: DutycheckError) -> None:
    """Print a dutycheck error as a user sees it and exit with its code; the
    ``dutycheck_cli`` test fixture calls this too, so tests see the same."""
    if isinstance(exc, InvalidInput):
        for p in exc.problems:
            click.echo(f"error: {p}", err=True)
        click.echo(f"{len(exc.problems)} problem(s); nothing was written.", err=True)
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: turn every failure into a message and an exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    _exit_on_sigterm()
    try:
        cli.main(args=argv, prog_name="dutycheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_INTERNAL)
    except DutycheckError as exc:
        if debug:
            raise
        _fail(exc)
    except Exception as exc:
        if debug:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "(run again with --debug for the traceback, and please report it)", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_OK)


def _exit_on_sigterm() -> None:
    """SIGTERM unwinds like an exception, so a report being written is abandoned cleanly
    (its temporary file removed; the previous report left as it was)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dutycheck")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for developers).")
def cli(debug: bool) -> None:
    """Statutory-duty assurance for Police and Crime Commissioners.

    Loads the duty catalogue (YAML) and an evidence bundle, runs every check and
    writes a RAG-rated, traceable assurance report.

    \b
    Examples:
      dutycheck run samples/kent-2024-25                  # rate the sample bundle
      dutycheck run samples/kent-2024-25 --audience panel --format html --output panel.html
      dutycheck validate my-bundle                        # check a bundle before a run
      dutycheck explain complaints.review-timeliness      # the law and thresholds of a duty
      dutycheck init my-bundle                            # start a new evidence bundle

    Exit codes: 0 ok; 1 a rating at or above --fail-on; 2 usage; 3 incomplete (a plugin
    failed or a check errored); 4 invalid input; 5 internal error.
    """
    _State.debug = debug


def _host(config: Path | None = None):
    """The plugin host; with a run config that has ``plugins.allow``, only those plugins."""
    from .host import make_host

    allow = None
    if config is not None:
        from . import config as configlib

        allow = configlib.load(config).allow_plugins
    return make_host(allow=allow)


def _catalogue(host, extra: tuple[Path, ...], overrides=None):
    return host.load_catalogue(extra, overrides)


@cli.command(epilog=RUN_EXAMPLES)
@click.argument("bundles", metavar="BUNDLE...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--duties", "duty_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra duty YAML files or folders (repeatable).")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="Report format (repeatable): terminal, json, markdown, html, pdf, csv, or "
                   "one a plugin adds (see `dutycheck plugins`). Default: terminal.")
@click.option("--output", type=click.Path(path_type=Path),
              help="File to write (one format) or folder (several). Default: standard output.")
@click.option("--audience", type=click.Choice(["panel", "jac"]), default="jac",
              show_default=True, help="panel: public paper, restricted detail withheld; "
                                      "jac: full audit trail.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="Assessment date (YYYY-MM-DD). Default: today. Same inputs and date give "
                   "byte-identical reports.")
@click.option("--fail-on", type=click.Choice(["red", "amber", "never"]), default="red",
              show_default=True, help="Exit 1 when any duty is rated at or above this.")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Run configuration: threshold overrides with their basis, opinion rule.")
@click.option("--area", "areas", multiple=True,
              help="Only duties in this area (e.g. complaints); repeat for several.")
@click.option("--baseline", "baseline", type=click.Path(path_type=Path),
              help="The previous JSON report: direction of travel, rating changes and "
                   "carried-over actions. Same organisation, same or earlier period.")
@click.option("--sign-key", "sign_key", type=click.Path(path_type=Path),
              help="Sign the report with this Ed25519 private key (PEM); check it with "
                   "`dutycheck verify --public-key`.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Bundles assessed at once, each in its own process (several bundles).")
def run(bundles: tuple[Path, ...], duty_dirs: tuple[Path, ...], formats: tuple[str, ...],
        output: Path | None, audience: str, as_of: dt.datetime | None, fail_on: str,
        config_path: Path | None, areas: tuple[str, ...], baseline: Path | None,
        sign_key: Path | None, jobs: int) -> None:
    """Assess an evidence BUNDLE folder and write the assurance report.

    The bundle may hold waivers.yaml and actions.yaml next to bundle.yaml (see
    docs/user-guide.md). Given several bundles, --output is a folder: each bundle's
    report is written there named after the bundle folder (default format json), with
    summary.json, and the exit code is the worst across bundles."""
    from .assess import Options, assess

    area = ",".join(dict.fromkeys(areas)) or None  # recorded as given, e.g. "complaints,custody"
    if len(bundles) > 1:
        _run_many(list(bundles), duty_dirs, formats, output, audience, as_of, fail_on,
                  config_path, area, baseline, sign_key, jobs)
        return
    bundle = bundles[0]
    host = _host(config_path)
    available = host.report_formats()
    formats = formats or ("terminal",)
    _check_formats(available, formats, output)
    day = as_of.date() if as_of else dt.date.today()
    doc = assess(host, Options(bundle=bundle, as_of=day, audience=audience,
                               duty_dirs=duty_dirs, config=config_path, baseline=baseline,
                               area=area))
    if sign_key is not None:
        _sign(doc, sign_key)
    _write(doc, available, formats, output)

    for failure in doc["plugin_failures"]:
        click.echo(f"error: {failure}", err=True)
    for err in doc["errors"]:
        click.echo(f"error: {err}", err=True)
    if doc["plugin_failures"] or doc["errors"]:
        sys.exit(EXIT_INCOMPLETE)
    hit = _tripped(doc, fail_on)
    if hit:
        click.echo(f"{len(hit)} duty rating(s) at or above --fail-on {fail_on}", err=True)
        sys.exit(EXIT_FAIL_ON)


def _run_many(bundles: list[Path], duty_dirs: tuple[Path, ...], formats: tuple[str, ...],
              output: Path | None, audience: str, as_of: dt.datetime | None, fail_on: str,
              config_path: Path | None, area: str | None, baseline: Path | None,
              sign_key: Path | None, jobs: int) -> None:
    """Several bundles: usage checked up front, the work in :mod:`dutycheck.batch`, then
    the summary printed and written, and the worst bundle's exit code."""
    from . import batch
    from .output import write_atomic

    if output is None:
        raise click.UsageError("several bundles need --output FOLDER (one report per bundle "
                               "is written there, with summary.json)")
    if output.exists() and not output.is_dir():
        raise click.UsageError(f"--output {output} is a file; several bundles need a folder")
    if baseline is not None:
        raise click.UsageError("--baseline compares one bundle with its previous report; "
                               "give it with a single bundle")
    formats = formats or ("json",)
    _check_formats(_host(config_path).report_formats(), formats, None)
    try:
        names = batch.report_names(bundles)
    except batch.UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if "json" in formats and batch.SUMMARY_FILE.removesuffix(".json") in names:
        raise click.UsageError(f"a bundle folder named 'summary' would overwrite "
                               f"{batch.SUMMARY_FILE}; rename it")
    pem = None
    if sign_key is not None:
        try:
            pem = sign_key.read_bytes()
        except OSError as exc:
            raise click.UsageError(f"cannot read --sign-key {sign_key}: {exc.strerror}") from None
    settings = batch.Settings(formats=formats, output=output,
                              as_of=as_of.date() if as_of else dt.date.today(),
                              audience=audience, fail_on=fail_on, duty_dirs=duty_dirs,
                              config=config_path, area=area, sign_key=pem)
    if batch.stderr_is_tty():
        outcomes = _with_progress_bar(batch, bundles, names, settings, jobs)
    else:
        def plain(outcome: batch.Outcome, done: int, total: int) -> None:
            for line in batch.progress_lines(outcome, done, total):
                click.echo(line, err=True)

        outcomes = batch.run(bundles, names, settings, jobs, plain)
    summary = batch.summary(outcomes, settings, jobs)
    import json

    write_atomic(output / batch.SUMMARY_FILE,
                 json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    _print_summary(batch, outcomes)
    click.echo(f"wrote {output / batch.SUMMARY_FILE}", err=True)
    code = batch.worst(outcomes)
    if code != EXIT_OK:
        sys.exit(code)


def _with_progress_bar(batch, bundles: list[Path], names: list[str], settings,
                       jobs: int) -> list:
    """A rich progress bar on standard error; each bundle's messages are printed above it."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task(f"assessing {len(bundles)} bundles", total=len(bundles))

        def advance(outcome, done: int, total: int) -> None:
            if outcome.exit_code != EXIT_OK or outcome.messages:
                for line in batch.progress_lines(outcome, done, total):
                    progress.console.print(line, markup=False, highlight=False)
            progress.update(task, completed=done, description=f"done {outcome.bundle}")

        return batch.run(bundles, names, settings, jobs, advance)


def _print_summary(batch, outcomes: list) -> None:
    """The combined summary as a table on standard output."""
    from rich.console import Console
    from rich.table import Table

    from .ratings import DISPLAY_ORDER

    shown = [r.value for r in DISPLAY_ORDER if any(o.duties.get(r.value) for o in outcomes)]
    table = Table(title=f"dutycheck: {len(outcomes)} bundles")
    for col in ("Bundle", "Organisation", "Period", *shown, "Exit"):
        table.add_column(col, justify="right" if col in shown or col == "Exit" else "left",
                         overflow="fold")
    for o in outcomes:
        table.add_row(o.bundle, o.organisation or "-", batch.period_label(o),
                      *(str(o.duties.get(r, 0)) if o.organisation else "-"
                        for r in shown),
                      f"{o.exit_code} {o.status}")
    console = Console(width=160 if not sys.stdout.isatty() else None)
    console.print(table)


def _tripped(doc: dict, fail_on: str) -> list[str]:
    """Duties at or above ``--fail-on``; an active waiver takes its item out of the count."""
    trip = {"red": {"Red"}, "amber": {"Red", "Amber"}, "never": set()}[fail_on]
    hit = []
    for d in doc["duties"]:
        rating = d.get("rating_after_waivers", d["rating"]) if d.get("waived") else d["rating"]
        if rating in trip:
            hit.append(d["id"])
    return hit


def _check_formats(available: dict, formats: tuple[str, ...], output: Path | None) -> None:
    unknown = [f for f in formats if f not in available]
    if unknown:
        raise click.UsageError(f"unknown format {unknown[0]!r}; choose from "
                               + ", ".join(sorted(available)))
    if output is not None and len(formats) == 1 and output.is_dir():
        raise click.UsageError(f"--output {output} is a folder; give a file name for one "
                               "format")
    if output is not None and len(formats) > 1 and output.exists() and not output.is_dir():
        raise click.UsageError(f"--output {output} is a file; several formats need a folder")


def _sign(doc: dict, key_path: Path) -> None:
    from . import report

    try:
        pem = key_path.read_bytes()
    except OSError as exc:
        raise click.UsageError(f"cannot read --sign-key {key_path}: {exc.strerror}") from None
    try:
        report.sign(doc, pem)
    except ImportError:
        raise click.UsageError("signing needs the `cryptography` package: "
                               "pip install 'dutycheck[sign]'") from None
    except (ValueError, TypeError) as exc:
        raise click.UsageError(f"--sign-key {key_path}: {exc}") from None


def _write(doc: dict, available: dict, formats: tuple[str, ...], output: Path | None) -> None:
    from .output import file_names, write_atomic

    rendered = {f: available[f].render(doc) for f in formats}
    if output is None:
        for f in formats:
            if available[f].terminal and sys.stdout.isatty():
                from rich.console import Console

                from .reporting.terminal import print_report
                print_report(doc, Console())
            else:
                text = rendered[f]
                if isinstance(text, bytes):
                    click.get_binary_stream("stdout").write(text)
                else:
                    click.echo(text, nl=False)
    elif len(formats) == 1:
        write_atomic(output, rendered[formats[0]])
        click.echo(f"wrote {output}", err=True)
    else:
        for f, name in file_names("report", formats, available).items():
            target = output / name
            write_atomic(target, rendered[f])
            click.echo(f"wrote {target}", err=True)


@cli.command()
@click.argument("report_file", metavar="REPORT", type=click.Path(path_type=Path))
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="Format to render (repeatable): html, pdf, markdown, csv, terminal, json.")
@click.option("--output", type=click.Path(path_type=Path),
              help="File to write (one format) or folder (several). Default: standard output.")
def render(report_file: Path, formats: tuple[str, ...], output: Path | None) -> None:
    """Render a sealed JSON REPORT in another format, without re-running the checks.

    The result is byte for byte what `dutycheck run` wrote for the same format. A report
    edited since it was sealed is refused (exit 4); `dutycheck verify` says what changed.

    \b
    Example:
      dutycheck render report.json --format html --output panel.html
    """
    from .verify import read_sealed

    host = _host()
    available = host.report_formats()
    formats = formats or ("terminal",)
    _check_formats(available, formats, output)
    doc = read_sealed(report_file)
    _write(doc, available, formats, output)


@cli.command()
@click.argument("report_file", metavar="REPORT", type=click.Path(path_type=Path))
@click.option("--bundle", "bundle", type=click.Path(path_type=Path),
              help="The evidence bundle folder. Default: the report's bundle folder name, "
                   "looked for in the working folder and next to the report.")
@click.option("--public-key", "public_key", type=click.Path(path_type=Path),
              help="Check the report's Ed25519 signature with this public key (PEM).")
@click.option("--config", "config", type=click.Path(path_type=Path),
              help="The run configuration the report used. Default: the recorded path, "
                   "then beside the report.")
@click.option("--baseline", "baseline", type=click.Path(path_type=Path),
              help="The previous report the run compared with. Default: the recorded path, "
                   "then beside the report.")
def verify(report_file: Path, bundle: Path | None, public_key: Path | None,
           config: Path | None, baseline: Path | None) -> None:
    """Check a JSON REPORT: its own seal, every input's SHA-256, plugin versions, and
    that re-running the assessment from those inputs gives the same report.

    Says exactly what differs: which file changed, or that the report itself was edited.
    Exit 0 when everything matches, 1 when something differs, 2 when the evidence could
    not be checked (the bundle folder, config or baseline was not found: give --bundle,
    --config or --baseline), 4 when the report cannot be read (truncated or not a
    dutycheck report).

    \b
    Examples:
      dutycheck verify report.json
      dutycheck verify report.json --bundle samples/kent-2024-25 --public-key opcc.pub
    """
    from .verify import verify_report

    outcome = verify_report(report_file, bundle, public_key, _host, baseline=baseline,
                            config=config)
    for line in outcome.lines:
        click.echo(line)
    if not outcome.ok:
        click.echo(f"FAILED: {outcome.summary}", err=True)
        sys.exit(EXIT_FAIL_ON)
    if outcome.unchecked:
        click.echo(f"NOT VERIFIED: {outcome.summary}, but {'; '.join(outcome.unchecked)}",
                   err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"verified: {outcome.summary}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Validate duty YAML, bundles (folder or bundle.yaml), config files and behaviour
    cases.

    Duty files are loaded together with the installed plugins' duties, as `run --duties`
    loads them, so a duty id defined twice is reported with both places. Each file in a
    folder is a behaviour-case file (a top-level `cases:`) or a duty file; a case file's
    duty, check, requirements and evidence kinds must exist (install the plugin it tests).

    \b
    Examples:
      dutycheck validate duties/complaints
      dutycheck validate samples/kent-2024-25
      dutycheck validate my-duty.yaml kent-config.yaml
      dutycheck validate src/my_plugin/duties src/my_plugin/cases
    """
    from . import bundle as bundlelib
    from . import config as configlib
    from . import yamlsource
    from .testing.cases import looks_like_cases

    problems = []
    host = None
    # Duty and case files are checked after the loop, in one catalogue load.
    duty_args: dict[Path, list[Path]] = {}
    case_args: dict[Path, list[Path]] = {}
    for path in paths:
        try:
            if path.is_dir() and (path / bundlelib.MANIFEST).is_file() or \
                    path.name == bundlelib.MANIFEST:
                folder = path if path.is_dir() else path.parent
                host = host or _host()
                kinds = {n: k for n, (_, k) in host.evidence_kinds().items()}
                with bundlelib.load(folder, kinds) as b:
                    extra = _validate_governance(host, folder)
                    todo = (f", {len(b.templates)} template(s) from `dutycheck init` still "
                            "to fill in" if b.templates else "")
                    click.echo(f"ok: {folder} (bundle, {len(b.items)} evidence items"
                               f"{todo}{extra})")
            elif path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")
                               and p.is_file())
                case_args[path] = [f for f in found if looks_like_cases(f)]
                duty_args[path] = [f for f in found if f not in case_args[path]]
            else:
                doc = yamlsource.load(path)
                data = doc.data if isinstance(doc.data, dict) else {}
                if path.name in ("waivers.yaml", "actions.yaml") and \
                        ("waivers" in data or "actions" in data):
                    host = host or _host()
                    _validate_governance(host, path.parent, only=path.name)
                    click.echo(f"ok: {path} ({path.stem})")
                elif "cases" in data and "requirements" not in data and "duties" not in data:
                    case_args[path] = [path]
                elif {"overrides", "opinion", "calendar", "evidence", "plugins"} & set(data) \
                        and "requirements" not in data:
                    configlib.load(path)
                    click.echo(f"ok: {path} (config)")
                else:
                    duty_args[path] = [path]
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if duty_args or case_args:
        problems.extend(_validate_duties_and_cases(host or _host(), paths, duty_args,
                                                   case_args))
    if problems:
        raise InvalidInput(problems)


def _validate_duties_and_cases(host, paths: tuple[Path, ...], duty_args: dict[Path, list[Path]],
                               case_args: dict[Path, list[Path]]) -> list:
    """One catalogue load over the installed plugins' duties and every duty file given
    (each file once), as `run --duties` loads them, so a duty id defined twice, in two
    arguments or in an argument and a plugin, is an error naming both places. Then the
    SQL lint of the given duty files, and each case file's references against that
    catalogue. Prints an `ok:` line per argument with nothing wrong."""
    from . import catalogue
    from .testing.cases import check_case_file

    registered = [p for _, p in host.duty_locations()]
    loaded = {f.resolve() for f, _ in catalogue.duty_files(registered)}
    locations: dict[Path, list[Path]] = {}  # per argument, the locations loaded for it
    for path, files in duty_args.items():
        new = [f for f in files if f.resolve() not in loaded]
        loaded |= {f.resolve() for f in new}
        # A folder loaded whole keeps its files' names (duties/x.yaml) in messages.
        whole = path.is_dir() and new == files and not case_args.get(path)
        locations[path] = [path] if whole and files else new
    problems = []
    cat = None
    try:
        cat = catalogue.load(registered + [loc for locs in locations.values() for loc in locs])
        problems.extend(host.catalogue_problems(cat))
    except InvalidInput as exc:
        problems.extend(host.attributed(exc).problems)
    lint_at = [f for path, files in duty_args.items()
               for f in (locations[path] if locations[path] == [path] else files)]
    if cat is not None and lint_at:
        try:
            _lint_duties(host, *lint_at)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    notes: dict[Path, list[str]] = {}
    failed = set()
    if cat is None or problems:
        failed = {path for path, files in duty_args.items() if files}
    else:
        names = {shown: f.resolve() for f, shown in catalogue.duty_files(
            registered + [loc for locs in locations.values() for loc in locs])}
        for path, files in duty_args.items():
            if files or not case_args.get(path):
                mine = {f.resolve() for f in files}
                n = sum(1 for d in cat.duties.values() if names.get(d.file) in mine)
                notes[path] = [f"{n} duties"]
    for path, files in case_args.items():
        n = 0
        for f in files:
            found, wrong = check_case_file(f, cat, host)
            n += found
            problems.extend(wrong)
            if wrong:
                failed.add(path)
        if cat is not None and files:
            notes.setdefault(path, []).append(f"{n} behaviour cases")
    for path in paths:
        if path in notes and path not in failed:
            click.echo(f"ok: {path} ({', '.join(notes[path])})")
    return problems


def _lint_duties(host, *paths: Path) -> None:
    """Check the SQL and value paths of duty files that passed the schema against the
    installed evidence kinds, so a typo is an error here, not a gap at run time."""
    from .lint import lint_files

    kinds = {n: k for n, (_, k) in host.evidence_kinds().items()}
    found = lint_files(list(paths), kinds)
    if found:
        raise InvalidInput(found)


def _validate_governance(host, folder: Path, only: str | None = None) -> str:
    """Check a bundle's waivers.yaml and actions.yaml against their schemas and the
    catalogue; returns a note for the `ok:` line."""
    from . import actions as actionslib
    from . import waivers as waiverslib

    cat = _catalogue(host, ())
    duties_known, refs = set(cat.duties), {r.ref for r in cat.requirements()}
    notes = []
    for name, lib in (("waivers", waiverslib), ("actions", actionslib)):
        if only and only != f"{name}.yaml":
            continue
        loaded = lib.load(folder, duties_known, refs)
        if loaded is not None:
            notes.append(f"{len(loaded.records)} {name}")
    return (", " + ", ".join(notes)) if notes else ""


@cli.command()
@click.argument("area", required=False)
@click.option("--duties", "duty_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra duty YAML files or folders.")
def duties(area: str | None, duty_dirs: tuple[Path, ...]) -> None:
    """List the catalogue: duties, requirements, sources, covering checks and gaps. Each
    duty shows its tags: for a plan commitment, its number, priority, sub-priority and
    owner.

    \b
    Examples:
      dutycheck duties                 # every installed duty
      dutycheck duties plan            # the Police and Crime Plan's commitments
      dutycheck duties asb --duties my-duties/   # with a partner's YAML added
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .rules import rule_for

    host = _host()
    cat = _catalogue(host, duty_dirs)
    from .engine import covering_checks

    covers = {ref: cls.id for ref, (_, cls) in covering_checks(cat, host).items()}
    table = Table(title="dutycheck duty catalogue" + (f": {area}" if area else ""),
                  show_lines=True)
    longest = max((len(d.id) for d in cat.select(area)), default=10)
    table.add_column("Duty", min_width=longest, overflow="fold")
    for col in ("Kind / source / basis", "Requirement", "Covered by"):
        table.add_column(col, overflow="fold")
    gaps = 0
    for duty in cat.select(area):
        for i, req in enumerate(duty.requirements):
            rule = rule_for(req)
            by = covers.get(req.ref) or (rule.id if rule else None)
            if by is None:
                gaps += 1
            # Text, not markup: titles come from YAML a partner wrote.
            about = (f"{duty.kind}\n{duty.source.title}\nbasis: {duty.source.basis}"
                     + ("".join(f"\n{t}" for t in duty.tags)))
            table.add_row(Text(f"{duty.id}\n{duty.title}" if i == 0 else ""),
                          Text(about if i == 0 else ""),
                          Text(f"{req.id} ({req.kind})\n{req.title}"),
                          Text(by) if by else Text("NOT COVERED", "bold red"))
    console = Console(width=140 if not sys.stdout.isatty() else None)
    console.print(table)
    console.print(f"{len(cat.select(area))} duties; {gaps} requirement(s) not covered by any "
                  "check.")


@cli.command()
@click.argument("duty_id")
@click.option("--duties", "duty_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra duty YAML files or folders (a partner's duties).")
def explain(duty_id: str, duty_dirs: tuple[Path, ...]) -> None:
    """Explain a duty: its legal source, requirements, bands and their basis, and the
    evidence it needs.

    \b
    Example:
      dutycheck explain complaints.review-timeliness
    """
    from .catalogue import BASIS_LABELS
    from .rules import kinds_read, rule_for

    host = _host()
    cat = _catalogue(host, duty_dirs)
    duty = cat.duties.get(duty_id)
    if duty is None:
        close = [d for d in cat.duties if duty_id.split(".")[0] in d]
        raise click.UsageError(f"no duty {duty_id!r}" + (f"; did you mean one of: "
                                                          f"{', '.join(close)}" if close else ""))
    from .engine import covering_checks

    checks = covering_checks(cat, host)
    s = duty.source
    out = [f"{duty.title}  [{duty.id}]", "",
           f"Kind: {duty.kind}   Holder: {', '.join(duty.holder)}   Cadence: {duty.cadence}"
           + (f" (due {duty.due})" if duty.due else ""),
           f"Source: {s.title}"]
    for label, val in (("Act", s.act), ("Section", s.section), ("Guidance", s.guidance),
                       ("Date", s.date), ("URL", s.url), ("Note", s.note)):
        if val:
            out.append(f"  {label}: {val}")
    out.append(f"  Basis: {BASIS_LABELS[s.basis]}")
    if duty.summary:
        out += ["", duty.summary.strip()]
    if duty.organisations:
        out.append("Applies to: " + "; ".join(duty.organisations) + " only (a bundle from "
                   "any other organisation leaves this duty out)")
    out.append(f"\nDefined in {duty.file}:{duty.line}")
    for req in duty.requirements:
        spec = req.spec
        out += ["", f"- {req.id} ({req.kind}): {req.title}"]
        if req.basis:
            out.append(f"    basis: {BASIS_LABELS[req.basis]}")
        if req.basis in ("inference", "local-practice"):
            out.append("    configurable: no national standard fixes this threshold; override "
                       f"it under `overrides: {req.ref}:` in a --config file")
        if "bands" in spec:
            out.append(f"    direction: {spec['direction']}; unit: {spec['unit']}")
            for b in req.bands:
                out.append(f"    {b.rating.value.lower():6} {b.describe()}")
        for key in ("value", "stated", "computed", "grade"):
            if key in spec:
                from .expressions import describe

                out.append(f"    {key}: {describe(spec[key])}")
        for name, p in spec.get("params", {}).items():
            out.append(f"    param {name} = {p['value']} {p.get('unit', '')} "
                       f"(basis: {p['basis']}){' - ' + p['note'] if p.get('note') else ''}")
        if "document" in spec:
            age = spec["document"].get("max_age_days")
            out.append(f"    document: type {spec['document']['type']}"
                       + (f", at most {age} days old (max_age_days), counted from the "
                          "assessment date or the period end, whichever is earlier"
                          if age else ", any date"))
        if "tolerance" in spec:
            out.append(f"    tolerance: {spec['tolerance']}")
        if "scale" in spec:
            out.append("    scale: " + ", ".join(f"{k} -> {v}" for k, v in spec["scale"].items()))
        if spec.get("note"):
            out.append(f"    note: {spec['note']}")
        if req.ref in checks:
            plugin, cls = checks[req.ref]
            out.append(f"    covered by: {cls.id} (plugin {plugin}): {cls.title}")
            needed = ", ".join(cls.reads)
            if cls.reads_any:
                needed += ("; and " if needed else "") + "one of: " + ", ".join(cls.reads_any)
            out.append(f"    evidence needed: {needed or '-'}")
        elif rule_for(req):
            out.append(f"    covered by: {rule_for(req).id} (declarative)")
            out.append(f"    evidence needed: {', '.join(sorted(kinds_read(req))) or '-'}")
        else:
            out.append("    covered by: NOTHING - this requirement will be Not assessed")
    click.echo("\n".join(out))


@cli.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="A run configuration; with `plugins.allow`, show what it allows.")
def plugins(config_path: Path | None) -> None:
    """List plugins: name, distribution, version, built-in or third-party, whether allowed,
    a hash of the plugin's code, and its hooks.

    \b
    Examples:
      dutycheck plugins                        # everything installed
      dutycheck plugins --config run.yaml      # which a run config's plugins.allow admits
    """
    from rich.console import Console
    from rich.table import Table

    host = _host(config_path)
    table = Table(title="dutycheck plugins")
    for col in ("Name", "Distribution", "Version", "Source", "Allowed", "Code SHA-256",
                "Hooks"):
        table.add_column(col, overflow="fold")
    for p in host.plugins():
        table.add_row(p.name, p.distribution or "-", p.version or "-",
                      "built-in" if p.builtin else "third-party", "yes",
                      (p.files_sha256 or "-")[:16], "\n".join(p.hooks))
    for r in host.refused:
        table.add_row(r.name, r.distribution or "-", r.version or "-", "-",
                      "NO (not in plugins.allow)", "-", "-")
    console = Console(width=160 if not sys.stdout.isatty() else None)
    console.print(table)
    formats = host.report_formats()
    console.print("Report formats: " + ", ".join(sorted(formats)))
    for failure in host.failures:
        click.echo(f"error: {failure}", err=True)
    for refusal in host.refused:
        click.echo(f"refused: {refusal}", err=True)
    if host.failures:
        sys.exit(EXIT_INCOMPLETE)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--organisation", default="Office of the Police and Crime Commissioner",
              show_default=True)
def init(folder: Path, organisation: str) -> None:
    """Create a new evidence bundle FOLDER with a template for every evidence kind the
    installed plugins declare.

    \b
    Example:
      dutycheck init kent-2025-26 --organisation "Kent OPCC"
    """
    from .scaffold import write_bundle

    if folder.exists() and any(folder.iterdir()):
        raise click.UsageError(f"{folder} exists and is not empty")
    host = _host()
    written = write_bundle(folder, host.evidence_kinds(), organisation, dt.date.today())
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"Next: fill in the templates, then `dutycheck validate {folder}`.")



@cli.command("new-plugin")
@click.argument("name")
@click.option("--dest", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="Folder in which to create the package folder.")
def new_plugin(name: str, dest: Path) -> None:
    """Create a complete, installable duty plugin package called NAME: pyproject with the
    `dutycheck` entry point, a duty YAML, a check, behaviour cases and a test file that
    passes as written.

    \b
    Example:
      dutycheck new-plugin asb-case-review
      cd dutycheck-asb-case-review && pip install -e . && pytest
    """
    from .newplugin import write_plugin

    for path in write_plugin(dest, name):
        click.echo(f"wrote {path}")
