"""RAG bands: parsing, completeness at load, and rating a value.

A measure's bands are intervals on the number line. Each band may have a lower
bound (``at_least`` inclusive, ``above`` exclusive) and an upper bound
(``at_most`` inclusive, ``below`` exclusive); a missing bound is infinite. One
band may say ``otherwise: true`` and takes whatever the others leave at either
end. Bounds may be literals or references to evidence (a comparator such as the
Most Similar Group mean), so completeness is checked on the *shape*: each band
must start exactly where the previous one ends, with one side inclusive and the
other exclusive. Literal bounds are also checked numerically.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from .ratings import Rating

_BOUND_KEYS = {"at_least": ("lower", True), "above": ("lower", False),
               "at_most": ("upper", True), "below": ("upper", False)}


@dataclass(frozen=True)
class Bound:
    expr: Any  # number, evidence path, or computation
    inclusive: bool

    @property
    def literal(self) -> float | None:
        if isinstance(self.expr, int | float) and not isinstance(self.expr, bool):
            return float(self.expr)
        return None

    def same_point(self, other: Bound) -> bool:
        return _canon(self.expr) == _canon(other.expr)


@dataclass(frozen=True)
class Band:
    rating: Rating
    lower: Bound | None = None
    upper: Bound | None = None
    otherwise: bool = False

    def describe(self, fmt=None) -> str:
        """Human text such as "at most 46" or "above 46 and at most 48"."""
        if self.otherwise:
            return "otherwise"
        show = fmt or _show
        parts = []
        if self.lower is not None:
            word = "at least " if self.lower.inclusive else "above "
            parts.append(word + show(self.lower.expr))
        if self.upper is not None:
            word = "at most " if self.upper.inclusive else "below "
            parts.append(word + show(self.upper.expr))
        return " and ".join(parts) or "any value"


def _canon(expr: Any) -> str:
    if isinstance(expr, int | float) and not isinstance(expr, bool):
        return repr(float(expr))
    return json.dumps(expr, sort_keys=True)


def _show(expr: Any) -> str:
    if isinstance(expr, float) and expr.is_integer():
        return str(int(expr))
    if isinstance(expr, int | float):
        return str(expr)
    if isinstance(expr, str):
        return expr
    from .expressions import describe

    return describe(expr)


def parse(spec: dict[str, Any]) -> list[Band]:
    """Turn the YAML ``bands:`` mapping into :class:`Band` objects (schema already checked)."""
    bands = []
    for colour, body in spec.items():
        rating = Rating.parse(colour)
        if body.get("otherwise"):
            bands.append(Band(rating, otherwise=True))
            continue
        lower = upper = None
        for key, value in body.items():
            side, inclusive = _BOUND_KEYS[key]
            if side == "lower":
                lower = Bound(value, inclusive)
            else:
                upper = Bound(value, inclusive)
        bands.append(Band(rating, lower, upper))
    return bands


def completeness_problems(bands: list[Band]) -> list[tuple[str, str]]:
    """``(colour, message)`` for every gap or overlap; empty when the bands tile the line."""
    out: list[tuple[str, str]] = []
    name = _Names()
    fallback = [b for b in bands if b.otherwise]
    explicit = [b for b in bands if not b.otherwise]

    for b in explicit:
        lo = b.lower.literal if b.lower else -math.inf
        hi = b.upper.literal if b.upper else math.inf
        if lo is not None and hi is not None and (lo > hi or (lo == hi and not (
                b.lower and b.lower.inclusive and b.upper and b.upper.inclusive))):
            out.append((name[b], f"{name[b]} band is empty ({b.describe()})"))
    if out:
        return out

    starts = [b for b in explicit if b.lower is None]
    if len(starts) > 1:
        return [(name[starts[1]], f"overlap: {name[starts[0]]} and {name[starts[1]]} both "
                 "have no lower limit")]
    ends = [b for b in explicit if b.upper is None]
    if len(ends) > 1:
        return [(name[ends[1]], f"overlap: {name[ends[0]]} and {name[ends[1]]} both "
                 "have no upper limit")]

    if starts:
        first = starts[0]
    else:
        # The chain begins at the band whose lower bound no other band ends at.
        heads = [b for b in explicit
                 if not any(o.upper is not None and o.upper.same_point(b.lower)
                            for o in explicit if o is not b)]
        if not fallback:
            return [(name[explicit[0]], "gap: no band covers values below "
                     + _lowest_description(explicit))]
        if len(heads) != 1:
            return [(name[heads[0] if heads else explicit[0]],
                     "gap or overlap: the bands do not form one continuous range")]
        first = heads[0]

    chain = [first]
    current = first
    while current.upper is not None:
        nxt = [b for b in explicit if b.lower is not None and b.lower.same_point(current.upper)]
        if not nxt:
            lit = current.upper.literal
            overlapping = [b for b in explicit if not any(b is c for c in chain)
                           and b.lower is not None
                           and lit is not None and b.lower.literal is not None
                           and b.lower.literal < lit]
            if overlapping:
                o = overlapping[0]
                return [(name[o], f"overlap: {name[o]} ({o.describe()}) overlaps "
                         f"{name[current]} ({current.describe()})")]
            if fallback and len(chain) == len(explicit):
                break  # `otherwise` takes the values above the last explicit band
            return [(name[current], f"gap: no band starts where {name[current]} ends "
                     f"({current.describe()})")]
        b = nxt[0]
        if current.upper.inclusive and b.lower.inclusive:
            return [(name[b], f"overlap: {_show(b.lower.expr)} is in both {name[current]} "
                     f"and {name[b]}; use `above` for one of them")]
        if not current.upper.inclusive and not b.lower.inclusive:
            return [(name[b], f"gap: {_show(b.lower.expr)} itself is in neither "
                     f"{name[current]} nor {name[b]}; use `at_least` or `at_most`")]
        if any(b is c for c in chain):
            return [(name[b], "bands form a loop")]
        chain.append(b)
        current = b

    missing = [b for b in explicit if not any(b is c for c in chain)]
    if missing:
        m = missing[0]
        return [(name[m], f"overlap or gap: {name[m]} ({m.describe()}) is not next to the "
                 "other bands")]
    covers_all = chain[0].lower is None and chain[-1].upper is None
    if fallback and covers_all:
        return [(name[fallback[0]], f"overlap: the other bands already cover every value, so "
                 f"{name[fallback[0]]} (otherwise) can never apply")]
    if not fallback and not covers_all:
        return [(name[chain[-1]], "gap: values beyond the bands are not rated")]
    return out


class _Names:
    """``name[band]`` -> "green"; bands hold unhashable bounds (SQL), so no dict."""

    def __getitem__(self, band: Band) -> str:
        return band.rating.value.lower()


def _lowest_description(bands: list[Band]) -> str:
    lits = [b.lower.literal for b in bands if b.lower is not None and b.lower.literal is not None]
    return _show(min(lits)) if lits else "the lowest limit"


def contains(band: Band, value: float, lower: float | None, upper: float | None) -> bool:
    """Whether ``value`` lies in an explicit band whose bounds resolved to these numbers."""
    if lower is not None and (value < lower or (value == lower and not band.lower.inclusive)):
        return False
    above_upper = upper is not None and (value > upper or (value == upper
                                                           and not band.upper.inclusive))
    return not above_upper


def rate(bands: list[Band], value: float, resolved: dict[int, tuple[float | None, float | None]]
         ) -> tuple[Band | None, list[Band]]:
    """The band ``value`` falls in, plus every band it matched (more than one only when
    comparators resolved out of order). ``resolved`` maps ``id(band)`` to numeric bounds."""
    matched = [b for b in bands if not b.otherwise and contains(b, value, *resolved[id(b)])]
    if not matched:
        matched = [b for b in bands if b.otherwise]
    order = {Rating.GREEN: 0, Rating.AMBER: 1, Rating.RED: 2}
    matched.sort(key=lambda b: order[b.rating])
    return (matched[0] if matched else None), matched
