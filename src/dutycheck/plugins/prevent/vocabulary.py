"""What counts as a mention of the Prevent duty in free text.

The word "prevent" alone is not evidence: "Strategic Prevention Command", "Fraud Prevention
Team" and "suicide prevention" are crime or harm prevention. A text counts only when it uses
one of the phrases below (seed 004 spells the risk assessment both "CTSRA", L945,
and "CTRSA", L1072), all tied to the counter-terrorism Prevent programme (CTSA 2015
Part 5, CONTEST, Channel, the Counter Terrorism Local Profile).

Two readings need their context. At the start of a sentence the verb is capitalised too, so
"Prevent delivery of drugs into prisons" is the verb when a noun that can be its object is
followed by "of", "into", "to" or "from". And "channel" is a common noun: only "Channel
panel" and "Channel duty" name the programme wherever they stand; "Channel process" and
"Channel programme" count only with a capital C and no qualifying word before it, so
"Digital contact channel process review" is not Prevent.
"""

from __future__ import annotations

import re

_PREVENT_NOUNS = (
    "duty", "programme", "program", "strategy", "team", "board", "delivery", "partnership",
    "referral", "referrals", "coordinator", "co-ordinator", "education officer",
    "education officers", "assurance", "benchmark", "benchmarks", "lead", "and channel",
    "update", "advisory group", "training",
)

# Nouns that can also be the object of the verb "prevent" at the start of a sentence.
_VERB_OBJECTS = ("delivery", "partnership", "referral", "referrals", "assurance", "update",
                 "training", "lead")
_SENTENCE_START = r"(?:^|(?<=[.!?;:\n])|(?<=^[-*\u2022]))\s*"
_VERB_READING = re.compile(
    _SENTENCE_START + r"Prevent\s+(?i:" + "|".join(_VERB_OBJECTS)
    + r")\s+(?i:of|into|to|from)\b", re.M)
# Words that may stand before "Channel process/programme" when it is the programme.
_BEFORE_CHANNEL = ("the", "a", "an", "and", "of", "to", "at", "by", "for", "in", "into",
                   "on", "via", "through", "from", "with", "prevent")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Prevent" capitalised, as the programme's name: "steps to prevent delivery delays"
    # is a verb, not the programme (a sentence-initial verb is filtered out first).
    ("Prevent <programme term>", re.compile(
        r"\b(?:Prevent|PREVENT)\s+(?i:" + "|".join(re.escape(n) for n in _PREVENT_NOUNS)
        + r")\b")),
    ("Channel panel/duty", re.compile(r"\bchannel\s+(?:panel|duty)\b", re.I)),
    ("Channel process/programme", re.compile(
        r"(?:^|[.!?;:(\n]\s*|\b(?i:" + "|".join(_BEFORE_CHANNEL) + r")\s+)"
        r"(?:Channel|CHANNEL)\s+(?i:process|programme|program)\b", re.M)),
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
    text = _VERB_READING.sub(" ", text)
    for name, pattern in _PATTERNS:
        if pattern.search(text):
            return name
    for phrase in (p.strip() for p in extra_terms.split(";")):
        if phrase and re.search(r"\b" + re.escape(phrase) + r"\b", text, re.I):
            return phrase
    return None
