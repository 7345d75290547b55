"""What counts as a mention of the Prevent duty in free text.

The word "prevent" alone is not evidence: "Strategic Prevention Command", "Fraud Prevention
Team" and "suicide prevention" are crime or harm prevention. A text counts only when it uses
one of the phrases below (seed 004 spells the risk assessment both "CTSRA", L945,
and "CTRSA", L1072), all tied to the counter-terrorism Prevent programme (CTSA 2015
Part 5, CONTEST, Channel, the Counter Terrorism Local Profile).
"""

from __future__ import annotations

import re

_PREVENT_NOUNS = (
    "duty", "programme", "program", "strategy", "team", "board", "delivery", "partnership",
    "referral", "referrals", "coordinator", "co-ordinator", "education officer",
    "education officers", "assurance", "benchmark", "benchmarks", "lead", "and channel",
    "update", "advisory group", "training",
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Prevent" capitalised, as the programme's name: "steps to prevent delivery delays"
    # is a verb, not the programme.
    ("Prevent <programme term>", re.compile(
        r"\b(?:Prevent|PREVENT)\s+(?i:" + "|".join(re.escape(n) for n in _PREVENT_NOUNS)
        + r")\b")),
    ("Channel panel/programme", re.compile(r"\bchannel\s+(?:panel|programme|process|duty)\b",
                                           re.I)),
    ("Counter Terrorism Local Profile", re.compile(
        r"\bcounter[- ]terrorism\s+local\s+profile\b|\bCTLP\b", re.I)),
    ("Counter Terrorism Situational Risk Assessment", re.compile(r"\bCT(?:SRA|RSA)\b")),
    ("Counter-Terrorism and Security Act", re.compile(
        r"\bcounter[- ]terrorism\s+and\s+security\s+act\b", re.I)),
    ("CONTEST", re.compile(r"\bCONTEST\b")),  # upper case only: "contest" is a common word
    ("radicalisation", re.compile(r"\bradicali[sz]ation\b", re.I)),
)


def prevent_term(text: str, extra_terms: str = "") -> str | None:
    """The vocabulary entry ``text`` uses, or ``None``. ``extra_terms`` is a
    ``;``-separated list of further exact phrases (from a requirement parameter)."""
    for name, pattern in _PATTERNS:
        if pattern.search(text):
            return name
    for phrase in (p.strip() for p in extra_terms.split(";")):
        if phrase and re.search(r"\b" + re.escape(phrase) + r"\b", text, re.I):
            return phrase
    return None
