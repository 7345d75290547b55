"""The rating states and how they order when rolled up (worst first)."""

from __future__ import annotations

from enum import StrEnum


class Rating(StrEnum):
    """A requirement's, duty's or area's state. Values are the labels users read."""

    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    NOT_EVIDENCED = "Not evidenced"
    NOT_DUE = "Not due"
    NOT_ASSESSED = "Not assessed"
    ERROR = "Error"

    @property
    def severity(self) -> int:
        """Higher is worse. A gap in assurance (not evidenced, not assessed) is never
        better than Green; an error outranks everything because the result is unknown."""
        return _SEVERITY[self]

    @property
    def is_rag(self) -> bool:
        return self in (Rating.GREEN, Rating.AMBER, Rating.RED)

    @classmethod
    def parse(cls, text: str) -> Rating:
        norm = text.strip().lower().replace("_", " ").replace("-", " ")
        for r in cls:
            if r.value.lower() == norm:
                return r
        raise ValueError(f"unknown rating {text!r}; expected one of "
                         + ", ".join(r.value for r in cls))


_SEVERITY = {
    Rating.NOT_DUE: 0,
    Rating.GREEN: 1,
    Rating.NOT_ASSESSED: 2,
    Rating.AMBER: 3,
    Rating.NOT_EVIDENCED: 4,
    Rating.RED: 5,
    Rating.ERROR: 6,
}

#: Order in which ratings are listed in summaries.
DISPLAY_ORDER = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.NOT_EVIDENCED,
                 Rating.NOT_ASSESSED, Rating.NOT_DUE, Rating.ERROR]


def worst(ratings: list[Rating] | tuple[Rating, ...]) -> Rating:
    """Worst-of roll-up. With nothing to roll up, the result is Not assessed, never Green."""
    if not ratings:
        return Rating.NOT_ASSESSED
    return max(ratings, key=lambda r: r.severity)
