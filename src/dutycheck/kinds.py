"""Evidence kinds: what a plugin declares it reads, so a bundle is validated before any
check runs. Structured kinds carry a JSON Schema; tabular kinds carry typed columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COLUMN_TYPES = ("string", "integer", "number", "date", "datetime", "boolean")


@dataclass(frozen=True)
class Column:
    """One declared column of a tabular evidence kind.

    ``personal`` marks columns that may identify a person (a case reference, a
    custody number): they are loaded so checks can count them, but their values
    never appear in a report; findings cite row numbers instead.
    """

    name: str
    type: str = "string"
    required: bool = True
    description: str = ""
    choices: tuple[str, ...] = ()
    personal: bool = False

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name!r}: type must be one of {COLUMN_TYPES}, "
                             f"not {self.type!r}")
        if not self.name.isidentifier() or self.name.lower() != self.name:
            raise ValueError(f"column name {self.name!r} must be a lower-case identifier")


@dataclass(frozen=True)
class TabularKind:
    """Rows in a CSV or XLSX file, loaded into the run's DuckDB database."""

    name: str
    title: str
    columns: tuple[Column, ...]
    description: str = ""
    example_rows: tuple[dict[str, Any], ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class StructuredKind:
    """A YAML or JSON document validated against ``schema``."""

    name: str
    title: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    description: str = ""
    example: dict[str, Any] | None = None


EvidenceKind = TabularKind | StructuredKind


def validate_kind(kind: Any, plugin: str) -> None:
    """Reject malformed declarations when a plugin registers them, naming the plugin."""
    from .errors import PluginError

    if not isinstance(kind, TabularKind | StructuredKind):
        raise PluginError(f"plugin {plugin!r} registered {kind!r}; expected TabularKind or "
                          "StructuredKind")
    if not kind.name.isidentifier() or kind.name.lower() != kind.name:
        raise PluginError(f"plugin {plugin!r}: evidence kind name {kind.name!r} must be a "
                          "lower-case identifier")
    if isinstance(kind, TabularKind):
        names = [c.name for c in kind.columns]
        if len(set(names)) != len(names):
            raise PluginError(f"plugin {plugin!r}: evidence kind {kind.name!r} repeats a column")
    else:
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError

        marker = _checked_marker(kind.schema)
        if marker is not None and marker.is_file():
            return  # this exact schema passed check_schema before, under this jsonschema
        try:
            Draft202012Validator.check_schema(kind.schema)
        except SchemaError as exc:
            raise PluginError(f"plugin {plugin!r}: evidence kind {kind.name!r} has an invalid "
                              f"schema: {exc.message}") from None
        if marker is not None:
            _touch(marker)


def _checked_marker(schema: dict[str, Any]) -> Path | None:
    """Where a clean ``check_schema`` of ``schema`` is remembered (in the duty-file cache
    folder; None when the cache is off). Checking every structured kind's schema against the
    metaschema costs about 0.2 s a run; the result depends only on the schema's text and
    jsonschema's version, so it is keyed by both."""
    import hashlib
    import json
    from importlib.metadata import version

    from .yamlsource import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    text = json.dumps(schema, sort_keys=True, default=str)
    digest = hashlib.sha256(f"{text}|{version('jsonschema')}".encode()).hexdigest()
    return folder.parent / "schemas-checked" / digest


def _touch(marker: Path) -> None:
    """Remember a clean check; a cache that cannot be written is simply not used."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


# Kinds every run understands, used by the declarative document and attestation rules.
DOCUMENT = StructuredKind(
    name="document",
    title="A published or presented document (record of it)",
    description="One record per document: its type (as duties name it), title, date and "
                "where it can be read.",
    schema={
        "type": "object",
        "required": ["type", "title", "date"],
        "additionalProperties": False,
        "properties": {
            "type": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
            "title": {"type": "string", "minLength": 1},
            "date": {"type": "string", "format": "date",
                     "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "url": {"type": "string"},
            "presented_to": {"type": "string"},
            "note": {"type": "string"},
        },
    },
    example={"type": "annual-report", "title": "Annual Report 2024/25", "date": "2025-06-30",
             "url": "https://example.org/annual-report-2024-25.pdf"},
)

ATTESTATION = StructuredKind(
    name="attestation",
    title="A signed statement by an office holder",
    description="Who signed, when, and what they attest. On its own an attestation rates at "
                "most Amber unless the duty says otherwise: assertion is not evidence.",
    schema={
        "type": "object",
        "required": ["topic", "statement", "signed_by", "signed_on"],
        "additionalProperties": False,
        "properties": {
            "topic": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
            "statement": {"type": "string", "minLength": 1},
            "signed_by": {"type": "object", "required": ["role"], "additionalProperties": False,
                          "properties": {"role": {"type": "string"}, "name": {"type": "string"}}},
            "signed_on": {"type": "string", "format": "date",
                     "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        },
    },
    example={"topic": "example-topic", "statement": "I am assured that ...",
             "signed_by": {"role": "Police and Crime Commissioner"}, "signed_on": "2025-05-01"},
)

CORE_KINDS = (DOCUMENT, ATTESTATION)
