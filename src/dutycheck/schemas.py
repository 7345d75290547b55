"""JSON Schema validation whose errors point at a file, line and column."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from .errors import InvalidInput, Problem
from .resources import data_path
from .yamlsource import Located, json_path

MAX_ERRORS = 20


@cache
def schema(name: str) -> dict[str, Any]:
    """Load ``schemas/<name>.schema.json``."""
    with open(data_path("schemas", f"{name}.schema.json"), encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _validator(name: str):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(doc: Located, schema_name: str | dict[str, Any], base: tuple = ()) -> list[Problem]:
    """Every schema violation in ``doc`` (or the sub-tree at ``base``), best match first."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match, relevance

    if isinstance(schema_name, str):
        validator = _validator(schema_name)
    else:
        validator = Draft202012Validator(
            schema_name, format_checker=Draft202012Validator.FORMAT_CHECKER)
    data = doc.data
    for part in base:
        data = data[part]
    errors = list(validator.iter_errors(data))
    if not errors:
        return []
    first = best_match(errors)
    # best_match may return an error from inside a oneOf/anyOf; that oneOf is then still
    # among the top-level errors, and descending it again could name another branch's
    # complaint ("'due' is required" beside the real "'source' is required").
    ancestors = set()
    node = first
    while node is not None:
        ancestors.add(id(node))
        node = node.parent
    rest = sorted((e for e in errors if id(e) not in ancestors), key=relevance)
    out = []
    for err in [first, *rest][:MAX_ERRORS]:
        leaf = _deepest(err)
        path = base + tuple(leaf.absolute_path) + _unknown_key(leaf)
        line, col = doc.where(path)
        out.append(Problem(doc.file, _message(leaf), line, col, json_path(path)))
    return out


def validate(doc: Located, schema_name: str | dict[str, Any], base: tuple = ()) -> None:
    found = problems(doc, schema_name, base)
    if found:
        raise InvalidInput(found)


def _deepest(err):
    """For oneOf/anyOf failures, descend into the most relevant branch so the message
    names the field that is actually wrong rather than "is not valid under any schema"."""
    from jsonschema.exceptions import best_match

    while err.context:
        deeper = best_match(err.context)
        if deeper is None:
            break
        err = deeper
    return err


def _unknown_key(err) -> tuple[str, ...]:
    """For an unknown key, the key itself, so the error points at its line rather than at
    the start of the mapping that holds it."""
    import re

    if err.validator != "additionalProperties" or not isinstance(err.instance, dict):
        return ()
    known = err.schema.get("properties", {})
    patterns = err.schema.get("patternProperties", {})
    extra = [k for k in err.instance if k not in known
             and not any(re.search(p, str(k)) for p in patterns)]
    return (extra[0],) if extra else ()


def _message(err) -> str:
    if err.validator == "required":
        return err.message.replace(" is a required property", " is required")
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown key")
    if err.validator == "enum":
        allowed = ", ".join(repr(v) for v in err.validator_value)
        return f"{err.instance!r} is not one of: {allowed}"
    if err.validator == "pattern":
        return f"{err.instance!r} does not have the expected form ({err.validator_value})"
    return err.message
