"""Values in duty YAML: a literal, an evidence path (``kind.field``), SQL over the
bundle's tables, or a small computation (sum, difference, ratio, percent).

Evaluation returns the number and the evidence it came from, so every rating can
cite its inputs; anything missing raises :class:`NotEvidenced`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .checks import Evidence, NotEvidenced

OPERATORS = ("sum", "difference", "ratio", "percent")


@dataclass
class Value:
    number: float | int | str | None
    refs: list[dict[str, Any]] = field(default_factory=list)


def kinds_used(expr: Any) -> set[str]:
    """Evidence kinds a path expression names (SQL is not parsed: declare ``evidence:``)."""
    if isinstance(expr, str):
        return {expr.split(".", 1)[0]}
    if isinstance(expr, dict):
        out: set[str] = set()
        for key, val in expr.items():
            if key in OPERATORS:
                for sub in val:
                    out |= kinds_used(sub)
        return out
    return set()


def is_literal(expr: Any) -> bool:
    return isinstance(expr, int | float) and not isinstance(expr, bool)


def describe(expr: Any, titles: dict[str, str] | None = None) -> str:
    """Readable text for an expression; paths are shown by their field title if known."""
    titles = titles or {}
    if is_literal(expr):
        return _num(expr)
    if isinstance(expr, str):
        return titles.get(expr, expr)
    if "sql" in expr:
        return "SQL: " + " ".join(expr["sql"].split())
    (op, args), = expr.items()
    share = _share_of_itself(op, args)
    if share:
        return f"{describe(args[0], titles)} {share}"
    parts = [_operand(a, titles) if op != "sum" else describe(a, titles) for a in args]
    if op == "sum":
        return " + ".join(parts)
    if op == "difference":
        return f"{parts[0]} - {parts[1]}"
    if op == "ratio":
        return f"{parts[0]} / {parts[1]}"
    return f"100 x {parts[0]} / {parts[1]}"


def _share_of_itself(op: str, args: list[Any]) -> str | None:
    """``x + x / 5`` (a tolerance written as a share of the comparator) reads "+ 20%":
    shown literally it names the same evidence twice and hides the share."""
    if op not in ("sum", "difference") or len(args) != 2:
        return None
    first, second = args
    if not (isinstance(second, dict) and list(second) == ["ratio"]):
        return None
    of, by = second["ratio"]
    if of != first or not is_literal(by) or isinstance(by, bool) or not by:
        return None
    pct = 100 / by
    sign = "+" if op == "sum" else "-"
    return f"{sign} {round(pct, 2):g}%" if abs(pct - round(pct, 2)) < 1e-9 else \
        f"{sign} 1/{_num(by)} of it"


def _operand(expr: Any, titles: dict[str, str]) -> str:
    """An operand, bracketed when it is itself a sum or difference."""
    text = describe(expr, titles)
    if isinstance(expr, dict) and ("sum" in expr or "difference" in expr):
        return f"({text})"
    return text


def evaluate(expr: Any, evidence: Evidence) -> Value:
    if is_literal(expr):
        return Value(expr)
    if isinstance(expr, str):
        kind, _, path = expr.partition(".")
        item = evidence.item(kind)
        value = evidence.value(expr)
        return Value(value, [item.ref(path)])
    if "sql" in expr:
        return _sql(expr["sql"], evidence)
    (op, args), = expr.items()
    values = [evaluate(a, evidence) for a in args]
    refs = [r for v in values for r in v.refs]
    nums = [_number(v.number, a) for v, a in zip(values, args, strict=True)]
    if op == "sum":
        return Value(sum(nums), refs)
    if op == "difference":
        return Value(nums[0] - nums[1], refs)
    if nums[1] == 0:
        raise NotEvidenced(f"cannot divide by zero in {describe(expr)}")
    ratio = nums[0] / nums[1]
    return Value(ratio * 100 if op == "percent" else ratio, refs)


_MISSING_TABLE = re.compile(r"Table with name (\S+?) does not exist")


def _sql(query: str, evidence: Evidence) -> Value:
    import duckdb

    try:
        rows = evidence.sql(query)
    except duckdb.CatalogException as exc:
        first = str(exc).splitlines()[0]
        table = _MISSING_TABLE.search(first)
        several = len(evidence.items(table.group(1))) if table else 0
        if several > 1:  # a kind's view exists only when the bundle has one item of it
            raise NotEvidenced(f"the SQL reads {table.group(1)}, and the bundle has "
                               f"{several} {table.group(1)} items; it needs exactly one"
                               ) from None
        # The engine has already found every kind the requirement lists under `evidence:`,
        # so a name that does not resolve is a mistake in the duty file, not a gap in the
        # bundle: an Error, so that it is mended rather than read as missing evidence.
        raise ValueError(f"the duty's SQL does not bind ({first}); `dutycheck validate` "
                         "on the duty file shows where") from None
    if not rows or len(rows[0]) != 1:
        raise ValueError(f"SQL must return exactly one value: {query}")
    return Value(rows[0][0], [{"sql": " ".join(query.split())}])


def _number(value: Any, expr: Any) -> float:
    if value is None:
        raise NotEvidenced(f"no value for {describe(expr)}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NotEvidenced(f"{describe(expr)} is {value!r}, not a number")
    return value


def _num(x: Any) -> str:
    """A number as a paper prints it: at most one decimal place, except that a value one
    decimal would show as 0 keeps two significant figures ("0.004", never "-0")."""
    if isinstance(x, float):
        if x.is_integer():
            return str(int(x))
        text = f"{x:.1f}".rstrip("0").rstrip(".")
        if text in ("0", "-0"):
            return f"{x:.2g}"
        return text
    return str(x)


format_number = _num

_IRREGULAR = {"children": "child", "people": "person", "persons": "person"}


def quantity(number: Any, unit: str) -> str:
    """A number with its unit as a reader says it: "1 child", "1 working day", "12 days",
    "95%". Units are written plural in duty YAML; for exactly one, the first plural word
    of the unit is made singular ("1 day after month end", "1 suite-month")."""
    text = _num(number)
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    if isinstance(number, int | float) and not isinstance(number, bool) and number == 1:
        words = unit.split(" ")
        for i, w in enumerate(words):
            if w.lower() in _IRREGULAR:
                words[i] = _IRREGULAR[w.lower()]
                break
            if len(w) > 2 and w.endswith("s") and not w.endswith("ss"):
                words[i] = w[:-1]
                break
        unit = " ".join(words)
    return f"{text} {unit}"
