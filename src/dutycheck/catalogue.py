"""The duty catalogue: YAML files found through ``dutycheck_register_duties``,
validated against ``schemas/duty.schema.json`` and checked for band completeness."""

from __future__ import annotations

import copy
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import bands as bandlib
from . import schemas, yamlsource
from .errors import InvalidInput, Problem

BASIS_LABELS = {
    "statute": "Statute",
    "statutory-guidance": "Statutory guidance",
    "official": "Official publication",
    "local-practice": "Local practice",
    "inference": "Inference (no published standard found)",
}


@dataclass(frozen=True)
class Source:
    title: str
    basis: str
    act: str | None = None
    section: str | None = None
    guidance: str | None = None
    date: str | None = None
    url: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Override:
    """A per-organisation change to a requirement's thresholds, from ``--config``."""

    fields: dict[str, Any]
    basis: str
    reason: str
    file: str


@dataclass
class Requirement:
    """One testable statement inside a duty. ``spec`` is the validated YAML mapping with
    any ``--config`` override already applied; ``original`` keeps the catalogue's own."""

    duty_id: str
    id: str
    title: str
    kind: str
    spec: dict[str, Any]
    file: str
    line: int | None
    original: dict[str, Any] = field(default_factory=dict)
    override: Override | None = None

    @property
    def ref(self) -> str:
        return f"{self.duty_id}/{self.id}"

    @property
    def basis(self) -> str | None:
        if self.override is not None:
            return self.override.basis
        return self.spec.get("basis")

    def param(self, name: str) -> Any:
        """A named parameter's value (``params:`` in YAML, overridable in ``--config``)."""
        params = self.spec.get("params", {})
        if name not in params:
            raise KeyError(f"requirement {self.ref} declares no parameter {name!r}")
        return params[name]["value"]

    def param_spec(self, name: str) -> dict[str, Any]:
        return self.spec.get("params", {})[name]

    @property
    def bands(self) -> list[bandlib.Band]:
        return bandlib.parse(self.spec["bands"]) if "bands" in self.spec else []


@dataclass
class Duty:
    id: str
    title: str
    kind: str
    holder: list[str]
    source: Source
    cadence: str
    requirements: list[Requirement]
    file: str
    line: int | None
    area: str
    due: str | None = None
    effective_from: str | None = None
    audience: str = "public"
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    organisations: list[str] = field(default_factory=list)  # empty: every organisation

    def applies_to(self, organisation: str) -> bool:
        """Whether a bundle from ``organisation`` is assessed against this duty: a local
        plan's commitments bind the organisation that made the plan, no other."""
        if not self.organisations:
            return True
        return _same_name(organisation) in {_same_name(o) for o in self.organisations}


@dataclass(frozen=True)
class DutyProblem:
    """A defect a plugin finds in loaded duties that the duty schema cannot express (a
    plan commitment with no ``commitment:`` tag): returned from
    ``dutycheck_validate_catalogue``; the core reports it at the duty's (or the
    requirement's) file and line, and exits 4."""

    duty_id: str
    message: str
    requirement: str | None = None  # the requirement's own id, to point at its line


@dataclass
class Catalogue:
    duties: dict[str, Duty] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # id -> title
    files: dict[str, str] = field(default_factory=dict)  # display path -> sha256

    def requirements(self) -> Iterable[Requirement]:
        for duty in self.duties.values():
            yield from duty.requirements

    def requirement(self, ref: str) -> Requirement | None:
        duty_id, _, req_id = ref.partition("/")
        duty = self.duties.get(duty_id)
        if duty is None:
            return None
        return next((r for r in duty.requirements if r.id == req_id), None)

    def select(self, area: str | None = None) -> list[Duty]:
        return [d for d in self.duties.values() if area is None or d.area == area]


def display_path(path: Path) -> str:
    """A short path for messages: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def duty_files(locations: Iterable[Path]) -> list[tuple[Path, str]]:
    """Expand folders to their ``*.yaml``/``*.yml`` files, sorted for reproducibility,
    each with the name shown in messages and reports. Files found in a folder are named
    from that folder (``duties/complaints/allocation.yaml``), so a report reads the same
    whether dutycheck runs from a checkout or an installed wheel."""
    out: list[tuple[Path, str]] = []
    for loc in locations:
        loc = Path(loc)
        if loc.is_dir():
            loc = loc.resolve()
            for p in sorted(p for p in loc.rglob("*") if p.suffix in (".yaml", ".yml")
                            and p.is_file()):
                out.append((p, str(Path(loc.name) / p.relative_to(loc)) if loc.parent == loc
                            else str(Path(loc.parent.name) / loc.name / p.relative_to(loc))))
        elif loc.is_file():
            out.append((loc, display_path(loc)))
        else:
            raise InvalidInput.one(display_path(loc), "duty file or folder does not exist")
    return out


def load(locations: Iterable[Path], overrides: dict[str, Override] | None = None) -> Catalogue:
    """Load every duty file, collecting all problems before raising :class:`InvalidInput`."""
    cat = Catalogue()
    seen: dict[str, tuple[str, int | None, int | None]] = {}
    problems: list[Problem] = []
    for path, shown in duty_files(locations):
        try:
            doc = yamlsource.load(path, display=shown, cache=True)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        cat.files[shown] = hashlib.sha256(path.read_bytes()).hexdigest()
        if _schema_check() not in doc.passed:
            found = schemas.problems(doc, "duty")
            if found:
                problems.extend(found)
                continue
            yamlsource.note_passed(doc, _schema_check())
        data = doc.data
        if "duties" in data:
            entries = [(("duties", i), d) for i, d in enumerate(data["duties"])]
            area = data.get("area")
            applies = data.get("applies_to")
        else:
            entries = [((), data)]
            area = applies = None
        for base, raw in entries:
            duty, dprobs = _build_duty(doc, base, raw, area, applies)
            problems.extend(dprobs)
            if duty is None:
                continue
            line, col = doc.where(base + ("id",))
            if duty.id in seen:
                ofile, oline, ocol = seen[duty.id]
                problems.append(Problem(shown, f"duplicate duty id {duty.id!r}; first defined at "
                                        f"{ofile}:{oline}:{ocol}", line, col,
                                        yamlsource.json_path(base + ("id",))))
                continue
            seen[duty.id] = (shown, line, col)
            cat.duties[duty.id] = duty
            if area:
                cat.areas.setdefault(area["id"], area["title"])
            cat.areas.setdefault(duty.area, duty.area.replace("-", " ").capitalize())
    if overrides:
        problems.extend(_apply_overrides(cat, overrides))
    if problems:
        raise InvalidInput(problems)
    return cat


@functools.cache
def _schema_check() -> str:
    """The name under which a file's clean validation against the duty schema is cached:
    it changes with the schema and with jsonschema's version, which decide the result."""
    import json
    from importlib.metadata import version

    text = json.dumps(schemas.schema("duty"), sort_keys=True)
    digest = hashlib.sha256(f"{text}|{version('jsonschema')}".encode()).hexdigest()
    return f"duty-schema:{digest[:32]}"


def _build_duty(doc: yamlsource.Located, base: tuple, raw: dict[str, Any],
                area: dict[str, Any] | None, applies: dict[str, Any] | None = None,
                ) -> tuple[Duty | None, list[Problem]]:
    problems: list[Problem] = []
    line, _ = doc.where(base + ("id",))
    area_id = raw["id"].split(".", 1)[0]
    if area and area["id"] != area_id:
        problems.append(_problem(doc, base + ("id",), f"duty id must start with the file's area "
                                 f"{area['id']!r}"))
    reqs: list[Requirement] = []
    req_ids: set[str] = set()
    for i, r in enumerate(raw["requirements"]):
        rpath = base + ("requirements", i)
        if r["id"] in req_ids:
            problems.append(_problem(doc, rpath + ("id",), f"duplicate requirement id {r['id']!r}"))
            continue
        req_ids.add(r["id"])
        if "bands" in r:
            for colour, msg in bandlib.completeness_problems(bandlib.parse(r["bands"])):
                problems.append(_problem(doc, rpath + ("bands", colour), msg))
        rline, _ = doc.where(rpath)
        reqs.append(Requirement(raw["id"], r["id"], r["title"], r["kind"], copy.deepcopy(r),
                                doc.file, rline, original=copy.deepcopy(r)))
    holder = raw["holder"] if isinstance(raw["holder"], list) else [raw["holder"]]
    duty = Duty(
        id=raw["id"], title=raw["title"], kind=raw["kind"], holder=holder,
        source=Source(**raw["source"]), cadence=raw["cadence"], requirements=reqs,
        file=doc.file, line=line, area=area_id, due=raw.get("due"),
        effective_from=raw.get("effective_from"),
        audience=raw.get("audience", "public"), tags=list(raw.get("tags", [])),
        summary=raw.get("summary"),
        organisations=list((raw.get("applies_to") or applies or {}).get("organisations", [])),
    )
    return duty, problems


def _same_name(organisation: str) -> str:
    """Organisation names compared without case or repeated spaces."""
    return " ".join(organisation.split()).casefold()


def _problem(doc: yamlsource.Located, path: tuple, message: str) -> Problem:
    line, col = doc.where(path)
    return Problem(doc.file, message, line, col, yamlsource.json_path(path))


_OVERRIDABLE = {"bands", "tolerance", "scale", "materiality"}


def _apply_overrides(cat: Catalogue, overrides: dict[str, Override]) -> list[Problem]:
    problems = []
    for ref, ov in overrides.items():
        req = cat.requirement(ref)
        if req is None:
            problems.append(Problem(ov.file, f"override for unknown requirement {ref!r}",
                                    path=f"$.overrides.{ref}"))
            continue
        spec = copy.deepcopy(req.spec)
        for key, value in ov.fields.items():
            if key == "params":
                for pname, pvalue in value.items():
                    if pname not in spec.get("params", {}):
                        problems.append(Problem(ov.file, f"{ref} has no parameter {pname!r}",
                                                path=f"$.overrides.{ref}.params.{pname}"))
                        continue
                    spec["params"][pname] = {**spec["params"][pname], "value": pvalue,
                                             "basis": ov.basis}
            elif key == "max_age_days":
                if "document" not in spec:
                    problems.append(Problem(ov.file, f"{ref} is not a document requirement, so "
                                            "it has no max_age_days to override",
                                            path=f"$.overrides.{ref}.{key}"))
                    continue
                spec["document"] = {**spec["document"], "max_age_days": value}
            elif key in _OVERRIDABLE:
                if key not in spec:
                    problems.append(Problem(ov.file, f"{ref} has no {key!r} to override",
                                            path=f"$.overrides.{ref}.{key}"))
                    continue
                spec[key] = value
        if "bands" in ov.fields:
            doc = yamlsource.Located(ov.file, {"bands": ov.fields["bands"]})
            band_schema = {"$ref": "#/$defs/bands", "$defs": schemas.schema("duty")["$defs"]}
            found = schemas.problems(doc, band_schema, ("bands",))
            if found:
                problems.extend(Problem(ov.file, p.message, path=f"$.overrides.{ref}.bands")
                                for p in found)
                continue
            for colour, msg in bandlib.completeness_problems(bandlib.parse(spec["bands"])):
                problems.append(Problem(ov.file, msg, path=f"$.overrides.{ref}.bands.{colour}"))
        req.spec = spec
        req.override = ov
    return problems
