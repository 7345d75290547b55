"""The seven national threats of the Strategic Policing Requirement 2023 and the words
that name each one.

Any text search uses only these defined phrases, matched as whole words, so ordinary
words are not mistaken for a threat: "prevent crime", "Prevent road danger" and the
"Strategic Prevention Command" are not the counter-terrorism Prevent strand, and the
"Channel Tunnel" is not a Channel panel. Acronyms match only in capitals ("SOC", not
"soc"). Ratings are never read from text at all.

Published text hyphenates freely ("cyber-crime", "anti-terrorism", "organised-crime") and
wraps lines inside a phrase, so a hyphen counts as a word boundary and the words of a
phrase may be joined by spaces, a line break or a hyphen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Threat:
    id: str
    title: str
    patterns: tuple[re.Pattern[str], ...]


def _phrase(p: str) -> str:
    """A whole-word pattern whose words (each space in ``p``) may be separated by spaces,
    a line break or a hyphen ("organised-crime")."""
    return r"(?<!\w)" + p.replace(" ", r"[\s-]+") + r"(?!\w)"


def _ci(*phrases: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(_phrase(p), re.IGNORECASE) for p in phrases)


def _cs(*phrases: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(_phrase(p)) for p in phrases)


# Order is the SPR 2023's own (contents: VAWG, Terrorism, SOC, Cyber, CSA, Disorder,
# Civil Emergencies); ids are used as requirement ids and in evidence files.
THREATS: tuple[Threat, ...] = (
    Threat("vawg", "Violence against women and girls",
           _ci(r"violence against women (?:and|&) girls") + _cs("VAWG")),
    Threat("terrorism", "Terrorism",
           _ci(r"terrorism", r"terrorists?", r"(?:counter|anti)[\s-]*terror(?:ism)?",
               r"counter terrorism policing")
           + _cs("CONTEST", r"Prevent (?:duty|strategy|programme|referrals?)",
                 r"Channel panels?", "CTP")),
    Threat("serious-organised-crime", "Serious and organised crime",
           _ci(r"serious (?:and |& )?organised crime", r"organised crime(?: groups?)?",
               r"regional organised crime units?")
           + _cs("SOC", "OCGs?", "ROCU", "ERSOU", "SEROCU")),
    Threat("cyber", "Cyber (a national cyber event)",
           _ci(r"cyber(?:[\s-]*(?:crimes?|attacks?|incidents?|events?|security))?",
               r"cyber enabled", r"cyber dependent")),
    Threat("child-sexual-abuse", "Child sexual abuse",
           _ci(r"child sexual (?:abuse|exploitation)", r"sexual abuse of children",
               r"child SA")
           + _cs("CSA", "CSE")),
    Threat("public-disorder", "Public disorder",
           _ci(r"public disorder", r"public order", r"large scale disorder", r"riots?")),
    Threat("civil-emergencies", "Civil emergencies",
           _ci(r"civil emergenc(?:y|ies)", r"civil contingenc(?:y|ies)",
               r"(?:local )?resilience forums?")
           + _cs("LRF", "KMRF")),
)

BY_ID: dict[str, Threat] = {t.id: t for t in THREATS}
IDS: tuple[str, ...] = tuple(t.id for t in THREATS)

_SPR = _ci(r"strategic policing requirement") + _cs("SPR")


def threats_named(text: str) -> list[str]:
    """Ids of the threats ``text`` names, in SPR order."""
    return [t.id for t in THREATS if any(p.search(text) for p in t.patterns)]


def names_spr(text: str) -> bool:
    """Whether ``text`` refers to the Strategic Policing Requirement itself."""
    return any(p.search(text) for p in _SPR)


def title(threat_id: str) -> str:
    return BY_ID[threat_id].title
