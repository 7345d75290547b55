"""Builds a fresh plugin manager per run and collects what the plugins register.

No global state: the CLI, the tests and ``dutycheck.testing`` each build their own.
"""

from __future__ import annotations

import importlib.metadata as md
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .checks import Check, validate_check_class
from .errors import InvalidInput, PluginError
from .kinds import CORE_KINDS, EvidenceKind, validate_kind
from .markers import hookimpl  # noqa: F401  (re-exported)

ENTRY_POINT_GROUP = "dutycheck"


@dataclass(frozen=True)
class PluginInfo:
    name: str
    distribution: str | None
    version: str | None
    builtin: bool
    hooks: tuple[str, ...] = ()
    files_sha256: str | None = None  # over the plugin's own source files, see code_hash()
    allowed: bool = True


def code_hash(plugin: Any) -> str | None:
    """SHA-256 over the files of the module or package that implements ``plugin`` (sorted
    relative paths and contents), so a report shows exactly which plugin code rated it."""
    import hashlib
    import inspect

    try:
        source = inspect.getsourcefile(plugin) if inspect.ismodule(plugin) else \
            inspect.getsourcefile(type(plugin))
    except TypeError:
        return None
    if not source:
        return None
    path = Path(source)
    files = [path]
    if path.name == "__init__.py":
        root = path.parent
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in
                       p.parts and p.suffix not in (".pyc", ".pyo"))
    else:
        root = path.parent
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


@dataclass(frozen=True)
class LoadFailure:
    """A plugin that could not be imported or registered; the run continues and exits 3."""

    name: str
    distribution: str | None
    version: str | None
    error: str

    def __str__(self) -> str:
        dist = f" ({self.distribution} {self.version})" if self.distribution else ""
        return f"plugin {self.name!r}{dist} failed to load: {self.error}"


@dataclass(frozen=True)
class Refusal:
    """An installed plugin left out because a run config's ``plugins.allow`` omits it."""

    name: str
    distribution: str | None
    version: str | None

    def __str__(self) -> str:
        dist = f" ({self.distribution} {self.version})" if self.distribution else ""
        return (f"plugin {self.name!r}{dist} is installed but not in plugins.allow; it was "
                "not loaded")


@dataclass
class Host:
    pm: pluggy.PluginManager
    failures: list[LoadFailure] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    _meta: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    # -- registration -----------------------------------------------------------------
    def register(self, plugin: Any, name: str | None = None,
                 distribution: str | None = None, version: str | None = None) -> None:
        name = self.pm.register(plugin, name=name)
        self._meta[name] = (distribution, version)
        self._cache.clear()

    def plugin_of(self, obj: Any) -> str:
        for name, plugin in self.pm.list_name_plugin():
            if plugin is obj:
                return name
        return "?"

    def info(self, name: str) -> PluginInfo:
        plugin = self.pm.get_plugin(name)
        dist, version = self._meta.get(name, (None, None))
        hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or ()
                             if h.name.startswith("dutycheck_")))
        builtin = dist == "dutycheck" or name.startswith("dutycheck.")
        return PluginInfo(name, dist, version, builtin, hooks, code_hash(plugin))

    def plugins(self) -> list[PluginInfo]:
        return [self.info(n) for n, _ in sorted(self.pm.list_name_plugin(), key=lambda x: x[0])]

    def distribution_of(self, name: str) -> str | None:
        """``distribution version`` of a plugin, for messages: which package to fix."""
        dist, version = self._meta.get(name, (None, None))
        return f"{dist} {version}" if dist else None

    def describe(self, name: str) -> str:
        """``plugin 'name' (distribution version)``."""
        dist = self.distribution_of(name)
        return f"plugin {name!r}" + (f" ({dist})" if dist else "")

    # -- what plugins provide ---------------------------------------------------------
    def _collect(self, hook: str) -> list[tuple[str, Any]]:
        """Call a register hook per plugin so every item is attributed to its plugin."""
        out: list[tuple[str, Any]] = []
        caller = getattr(self.pm.hook, hook)
        for impl in caller.get_hookimpls():
            name = impl.plugin_name
            try:
                result = impl.function()
            except Exception as exc:
                raise PluginError(f"plugin {name!r}: {hook}() raised "
                                  f"{type(exc).__name__}: {exc}") from exc
            for item in result or ():
                out.append((name, item))
        return out

    def duty_locations(self) -> list[tuple[str, Path]]:
        return [(n, Path(p)) for n, p in self._collect("dutycheck_register_duties")]

    def checks(self) -> dict[str, tuple[str, type[Check]]]:
        if "checks" not in self._cache:
            self._cache["checks"] = self._checks()
        return self._cache["checks"]

    def _checks(self) -> dict[str, tuple[str, type[Check]]]:
        """Check id -> (plugin name, class). Conflicts are errors naming both plugins."""
        out: dict[str, tuple[str, type[Check]]] = {}
        covered: dict[str, str] = {}
        for plugin, cls in self._collect("dutycheck_register_checks"):
            if not (isinstance(cls, type) and issubclass(cls, Check)):
                raise PluginError(f"plugin {plugin!r} registered {cls!r}, which is not a "
                                  "dutycheck.Check subclass")
            try:
                validate_check_class(cls)
            except TypeError as exc:
                raise PluginError(f"plugin {plugin!r}: {exc}") from None
            if cls.id in out:
                first = out[cls.id][0]
                dists = [self.distribution_of(p) for p in (first, plugin)]
                shown = [d or "none: registered directly" for d in dists]
                raise PluginError(f"check id {cls.id!r} is claimed by both plugin {first!r} and "
                                  f"plugin {plugin!r}" + (f" (distributions {shown[0]} and "
                                                          f"{shown[1]})" if any(dists) else ""))
            for ref in cls.covers:
                if ref in covered:
                    raise PluginError(f"requirement {ref!r} is covered by both check "
                                      f"{covered[ref]!r} and check {cls.id!r}")
                covered[ref] = cls.id
            out[cls.id] = (plugin, cls)
        return out

    def evidence_kinds(self) -> dict[str, tuple[str, EvidenceKind]]:
        """Kind name -> (plugin, kind). Validated once per host: plugins cannot change
        after the host is built, and validating JSON Schemas is not free."""
        if "kinds" not in self._cache:
            self._cache["kinds"] = self._evidence_kinds()
        return self._cache["kinds"]

    def _evidence_kinds(self) -> dict[str, tuple[str, EvidenceKind]]:
        out: dict[str, tuple[str, EvidenceKind]] = {k.name: ("dutycheck", k) for k in CORE_KINDS}
        for plugin, kind in self._collect("dutycheck_register_evidence_kinds"):
            validate_kind(kind, plugin)
            if kind.name in out:
                raise PluginError(f"evidence kind {kind.name!r} is declared by both "
                                  f"{out[kind.name][0]!r} and {plugin!r}")
            out[kind.name] = (plugin, kind)
        return out

    def report_formats(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for plugin, fmt in self._collect("dutycheck_report_formats"):
            if fmt.name in out:
                raise PluginError(f"report format {fmt.name!r} is offered by two plugins "
                                  f"(second: {plugin!r})")
            out[fmt.name] = fmt
        return out

    def load_catalogue(self, extra: Any = (), overrides: Any = None) -> Any:
        """The installed plugins' duties plus ``extra`` files or folders, loaded, then
        checked by every ``dutycheck_validate_catalogue``: each problem at its file and
        line, all together in one :class:`InvalidInput` (exit 4)."""
        from . import catalogue

        owned = self.duty_locations()
        try:
            cat = catalogue.load([p for _, p in owned] + list(extra), overrides)
        except InvalidInput as exc:
            raise self.attributed(exc) from None
        problems = self.catalogue_problems(cat)
        if problems:
            raise InvalidInput(problems)
        return cat

    def attributed(self, exc: InvalidInput) -> InvalidInput:
        """``exc`` with each problem in a plugin's own duty file naming that plugin and
        its distribution: the officer cannot fix a plugin's YAML, and must know whom to
        tell."""
        from . import catalogue
        from .errors import Problem

        by_file: dict[str, str] = {}
        for name, location in self.duty_locations():
            who = self.describe(name)
            try:
                by_file.update({shown: who for _, shown in catalogue.duty_files([location])})
            except InvalidInput:  # a location that does not exist: said by load itself
                by_file[catalogue.display_path(Path(location))] = who
        return InvalidInput([
            Problem(p.file, f"{p.message} [duties of {by_file[p.file]}]", p.line, p.column,
                    p.path) if p.file in by_file else p for p in exc.problems])

    def catalogue_problems(self, cat: Any) -> list[Any]:
        """What the plugins' ``dutycheck_validate_catalogue`` find in ``cat``, as
        :class:`Problem` at the duty's or requirement's file and line."""
        from types import MappingProxyType

        from .catalogue import DutyProblem
        from .errors import Problem

        out: list[Problem] = []
        duties = MappingProxyType(cat.duties)
        for impl in reversed(self.pm.hook.dutycheck_validate_catalogue.get_hookimpls()):
            name = impl.plugin_name
            try:
                args = {"duties": duties}
                found = list(impl.function(*[args[a] for a in impl.argnames]) or ())
            except Exception as exc:
                raise PluginError(f"plugin {name!r}: dutycheck_validate_catalogue() raised "
                                  f"{type(exc).__name__}: {exc}") from exc
            for p in found:
                duty = cat.duties.get(p.duty_id) if isinstance(p, DutyProblem) else None
                if duty is None:
                    raise PluginError(f"plugin {name!r}: dutycheck_validate_catalogue() "
                                      f"returned {p!r}, not a DutyProblem naming a loaded "
                                      "duty")
                req = next((r for r in duty.requirements if r.id == p.requirement), None)
                where = req if req is not None else duty
                ref = req.ref if req is not None else duty.id
                out.append(Problem(duty.file, f"{ref}: {p.message}", where.line))
        return sorted(out, key=lambda x: (x.file, x.line or 0))

    def report_tables(self, report: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
        """Each plugin's summary tables for ``report``, as canonical JSON, in the report's
        area order; and a message per plugin whose hook raised or returned a malformed
        table. A failing table makes the run incomplete; it never loses the report."""
        import copy

        order = {a["id"]: i for i, a in enumerate(report["areas"])}
        found: list[dict[str, Any]] = []
        errors: list[str] = []
        for impl in reversed(self.pm.hook.dutycheck_report_tables.get_hookimpls()):
            name = impl.plugin_name
            try:
                # A copy: a plugin reads the report, it cannot edit what is sealed.
                args = {"report": copy.deepcopy(report)}
                result = impl.function(*[args[a] for a in impl.argnames])
                tables = list(result or ())
            except Exception as exc:
                errors.append(f"plugin {name!r}: dutycheck_report_tables() raised "
                              f"{type(exc).__name__}: {exc}")
                continue
            for table in tables:
                wrong = table_problem(table)
                if wrong:
                    errors.append(f"plugin {name!r}: dutycheck_report_tables() returned "
                                  f"{wrong}")
                elif table.area in order:  # an area left out of this run has no table
                    found.append({
                        "plugin": name, "area": table.area, "title": table.title,
                        "columns": list(table.columns),
                        "rows": [list(r) for r in table.rows], "note": table.note,
                        "rating_column": table.rating_column})
        found.sort(key=lambda t: order[t["area"]])
        return found, errors

    def version_of(self, plugin_name: str) -> str | None:
        return self._meta.get(plugin_name, (None, None))[1]


def table_problem(table: Any) -> str | None:
    """What is wrong with a :class:`dutycheck.ReportTable`, or None."""
    from .ratings import Rating
    from .reporting import ReportTable

    if not isinstance(table, ReportTable):
        return f"{type(table).__name__}, not a dutycheck.ReportTable"
    texts = [table.area, table.title, table.note, *table.columns]
    if not all(isinstance(t, str) for t in texts):
        return f"table {table.title!r}: area, title, note and column names must be text"
    if not table.columns:
        return f"table {table.title!r} has no columns"
    for i, row in enumerate(table.rows, 1):
        if len(row) != len(table.columns) or not all(isinstance(c, str) for c in row):
            return (f"table {table.title!r}: row {i} must be {len(table.columns)} text "
                    f"cells, one per column")
    col = table.rating_column
    if col is not None:
        if not isinstance(col, int) or not 0 <= col < len(table.columns):
            return f"table {table.title!r}: rating_column {col!r} is not a column index"
        ratings = {r.value for r in Rating}
        bad = [row[col] for row in table.rows if row[col] not in ratings]
        if bad:
            return f"table {table.title!r}: {bad[0]!r} in the rating column is not a rating"
    return None


def make_host(*, entry_points: bool = True, plugins: tuple[Any, ...] | list[Any] = (),
              allow: list[str] | tuple[str, ...] | None = None) -> Host:
    """A fresh plugin manager with the core registered, then entry-point plugins (unless
    ``entry_points=False``), then any ``plugins`` given (tests, ``dutycheck.testing``).
    With ``allow`` (a run config's ``plugins.allow``), entry-point plugins not named in
    it are refused: not imported at all, and listed in ``host.refused``. With
    ``DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD`` set (as pytest's ``PYTEST_DISABLE_PLUGIN_AUTOLOAD``),
    only dutycheck's own entry points load: a test suite or a reproduction run is then not
    changed by whatever partner plugins happen to be installed."""
    from . import __version__, runner
    from .reporting import builtin as builtin_formats

    pm = pluggy.PluginManager("dutycheck")
    pm.add_hookspecs(hookspecs)
    host = Host(pm)
    host.register(runner, name="dutycheck.runner", distribution="dutycheck", version=__version__)
    host.register(builtin_formats, name="dutycheck.reporting", distribution="dutycheck",
                  version=__version__)
    builtin_only = bool(os.environ.get("DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD"))
    if entry_points:
        for ep in sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            dist = ep.dist.name if ep.dist else None
            version = ep.dist.version if ep.dist else None
            if pm.has_plugin(ep.name) or (builtin_only and dist != "dutycheck"):
                continue
            if allow is not None and ep.name not in allow:
                host.refused.append(Refusal(ep.name, dist, version))
                continue
            try:
                plugin = ep.load()
                host.register(plugin, name=ep.name, distribution=dist, version=version)
            except pluggy.PluginValidationError as exc:
                if pm.is_registered(exc.plugin):  # pluggy keeps the hooks it took before
                    pm.unregister(exc.plugin)
                host.failures.append(LoadFailure(ep.name, dist, version,
                                                 _bad_arguments(pm, exc.plugin, exc)))
            except Exception as exc:
                host.failures.append(LoadFailure(ep.name, dist, version,
                                                 f"{type(exc).__name__}: {exc}"))
    for plugin in plugins:
        if pm.is_registered(plugin):
            continue  # already found through its entry point
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        version = getattr(plugin, "__version__", None)
        try:
            host.register(plugin, name=name, version=version)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r}: {_bad_arguments(pm, plugin, exc)}") from None
        except ValueError as exc:  # the name is taken by another plugin
            raise PluginError(f"plugin {name!r}: {exc}") from None
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or getattr(exc.plugin, "__name__", "?")
        raise PluginError(f"{host.describe(name)}: {_unknown_hooks(pm, exc.plugin)}") from None
    return host


def _hook_names() -> list[str]:
    return sorted(n for n in dir(hookspecs) if n.startswith("dutycheck_"))


def _bad_arguments(pm: pluggy.PluginManager, plugin: Any,
                   exc: pluggy.PluginValidationError) -> str:
    """Which hook function declares which argument its hook does not pass, in one line
    (pluggy's own message names the plugin by its repr and spans three lines)."""
    import inspect

    for attr in sorted(a for a in dir(plugin) if a.startswith("dutycheck_")):
        caller = getattr(pm.hook, attr, None)
        if caller is None or caller.spec is None or pm.parse_hookimpl_opts(plugin, attr) is None:
            continue
        try:
            params = inspect.signature(getattr(plugin, attr)).parameters
        except (TypeError, ValueError):
            continue
        wrong = [p for p in params if p not in caller.spec.argnames]
        if wrong:
            passed = ", ".join(caller.spec.argnames) or "nothing"
            return (f"{attr}() declares argument(s) {', '.join(wrong)}, which the hook does "
                    f"not pass (misspelt?); it passes: {passed}")
    return " ".join(str(exc).split())


def _unknown_hooks(pm: pluggy.PluginManager, plugin: Any) -> str:
    """The plugin's hook functions whose names are not dutycheck hooks, with the nearest."""
    import difflib

    known = _hook_names()
    bad = [a for a in sorted(dir(plugin)) if a not in known
           and pm.parse_hookimpl_opts(plugin, a) is not None]
    parts = []
    for attr in bad:
        near = difflib.get_close_matches(attr, known, n=1)
        parts.append(f"{attr} is not a dutycheck hook"
                     + (f" (did you mean {near[0]}?)" if near else " (misspelt?)"))
    return "; ".join(parts or ["a hook function is not a dutycheck hook"]) + \
        "; the hooks are: " + ", ".join(known)
