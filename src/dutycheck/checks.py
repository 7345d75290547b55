"""What a check is and what it returns: the contract between the engine and plugins."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .ratings import Rating

if TYPE_CHECKING:
    from .bundle import Bundle, EvidenceItem
    from .catalogue import Duty, Requirement
    from .table import Table

#: How far back evidence may be dated for each cadence (one-off duties: any date).
CADENCE_DAYS = {"annual": 366, "quarterly": 92, "monthly": 31}

_CHECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
_REQ_REF = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+/[a-z0-9][a-z0-9-]*$")


class NotEvidenced(Exception):
    """Raise from a check when the evidence needed is missing or unusable: the requirement
    is rated Not evidenced with this message, which is a gap in assurance, not a failure."""


@dataclass
class Verdict:
    """A check's own rating of a requirement, with the sentence that explains it."""

    rating: Rating
    reason: str
    value: float | int | str | None = None
    unit: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Measurement:
    """A number a check computed for a ``measure`` requirement; the engine rates it
    against the requirement's bands, so thresholds stay in YAML with their basis."""

    value: float | int | None
    detail: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


class Check:
    """Base class for plugin checks.

    Subclasses declare, as class attributes, a dotted ``id``, a one-line ``title``, the
    requirement refs they ``covers`` (``duty-id/requirement-id``) and the evidence kinds
    they ``reads``. The metadata is validated when the class is defined, so a malformed
    check fails at import, naming itself. ``run`` returns a :class:`Verdict` or, for a
    ``measure`` requirement, a :class:`Measurement`.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    covers: ClassVar[tuple[str, ...]] = ()
    reads: ClassVar[tuple[str, ...]] = ()
    #: Kinds of which at least one must be present (e.g. the same data as YAML or as a
    #: spreadsheet). The engine rates the requirement Not evidenced when none is usable.
    reads_any: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "id" in cls.__dict__:
            validate_check_class(cls)

    @classmethod
    def claims(cls, requirement: Requirement, duty: Duty) -> bool:
        """Cover requirements by rule rather than by name: return True for each one this
        check rates (e.g. every ``delivery`` requirement of every ``plan-commitment``
        duty, in whatever plan a partner loads). Only requirements that no check names in
        ``covers`` and that no declarative rule evaluates are offered; two checks claiming
        the same requirement is an error naming both."""
        return False

    def run(self, requirement: Requirement, evidence: Evidence,
            context: Context) -> Verdict | Measurement:
        raise NotImplementedError


def validate_check_class(cls: type) -> None:
    """Raise ``TypeError`` naming the class when its metadata is incomplete or malformed."""
    name = f"{cls.__module__}.{cls.__qualname__}"
    cid = getattr(cls, "id", None)
    if not isinstance(cid, str) or not _CHECK_ID.match(cid):
        raise TypeError(f"{name}: id must be dotted lower-case, e.g. 'complaints.timeliness'; "
                        f"got {cid!r}")
    title = getattr(cls, "title", None)
    if not isinstance(title, str) or not title.strip() or "\n" in title:
        raise TypeError(f"{name}: title must be one non-empty line")
    covers = getattr(cls, "covers", ())
    if not isinstance(covers, tuple) or not all(isinstance(c, str) and _REQ_REF.match(c)
                                                for c in covers):
        raise TypeError(f"{name}: covers must be a tuple of 'duty-id/requirement-id' strings")
    reads = getattr(cls, "reads", ())
    if not isinstance(reads, tuple) or not all(isinstance(k, str) and k.isidentifier()
                                               for k in reads):
        raise TypeError(f"{name}: reads must be a tuple of evidence kind names")
    reads_any = getattr(cls, "reads_any", ())
    if not isinstance(reads_any, tuple) or not all(isinstance(k, str) and k.isidentifier()
                                                   for k in reads_any):
        raise TypeError(f"{name}: reads_any must be a tuple of evidence kind names")
    if cls.run is Check.run:
        raise TypeError(f"{name}: must define run(requirement, evidence, context)")


@dataclass(frozen=True)
class Context:
    """What a check may know about the run besides the evidence."""

    as_of: dt.date
    period_start: dt.date
    period_end: dt.date
    organisation: str
    duty: Duty
    grace_days: int = 0
    #: Every duty loaded for the run, by id (read-only use): lets a check that claims
    #: requirements by rule see related duties, e.g. all commitments of the same plan.
    duties: Mapping[str, Duty] = field(default_factory=dict)

    def stale(self, item: EvidenceItem) -> str | None:
        """Why ``item`` cannot be relied on for this duty on the assessment date (dated
        after it, or older than the duty's cadence allows), or ``None`` if it can. The
        engine applies the same rule to the kinds a check ``reads``; a check that weighs
        several items itself calls this for each."""
        if item.effective_date > self.as_of:
            return (f"{item.file} is dated {item.effective_date}, after the assessment date "
                    f"{self.as_of}")
        days = CADENCE_DAYS.get(self.duty.cadence)
        if days is None:
            return None
        oldest = min(self.as_of, self.period_end) - dt.timedelta(days=days + self.grace_days)
        if item.effective_date < oldest:
            article = "an" if self.duty.cadence[0] in "aeiou" else "a"
            return (f"{item.file} is dated {item.effective_date}; {article} {self.duty.cadence} "
                    f"duty needs evidence dated on or after {oldest} (the reporting period "
                    f"ends {self.period_end})")
        return None


class Evidence:
    """The bundle as a check sees it: items by kind, their data or tables, and values."""

    def __init__(self, bundle: Bundle) -> None:
        self._bundle = bundle

    def items(self, kind: str) -> list[EvidenceItem]:
        return self._bundle.by_kind(kind)

    def item(self, kind: str) -> EvidenceItem:
        found = self._bundle.by_kind(kind)
        if not found:
            raise NotEvidenced(f"the bundle has no {kind} item")
        if len(found) > 1:
            raise NotEvidenced(f"the bundle has {len(found)} {kind} items; this check needs "
                               "exactly one")
        return found[0]

    def table(self, kind: str) -> Table:
        item = self.item(kind)
        if item.table is None:
            raise NotEvidenced(f"{kind} is not tabular evidence")
        return item.table

    def value(self, path: str) -> Any:
        """The value at ``kind.field[.sub...]`` in a structured item."""
        kind, *keys = path.split(".")
        item = self.item(kind)
        node = item.data
        for key in keys:
            if not isinstance(node, dict) or key not in node or node[key] is None:
                raise NotEvidenced(f"{item.file} has no value for {'.'.join(keys)}")
            node = node[key]
        return node

    def sql(self, query: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one read-only query over every tabular item (each kind is a view of the same
        name). Only a single SELECT (or WITH ... SELECT) is accepted, so SQL in a duty file
        can never change the evidence that later checks read."""
        import duckdb

        db = self._bundle._db
        try:
            statements = db.extract_statements(query)
        except duckdb.Error as exc:
            raise ValueError(f"SQL does not parse: {str(exc).splitlines()[0]}") from None
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise ValueError("evidence SQL must be a single SELECT (or WITH ... SELECT) "
                             f"statement: {' '.join(query.split())[:120]}")
        return db.execute(query, list(params)).fetchall()
