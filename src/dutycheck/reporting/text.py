"""Small text helpers shared by the text renderers."""

from __future__ import annotations

from typing import Any

SYMBOL = {"Green": "[G]", "Amber": "[A]", "Red": "[R]", "Not evidenced": "[NE]",
          "Not due": "[ND]", "Not assessed": "[NA]", "Error": "[ERR]"}


def value_text(req: dict[str, Any]) -> str:
    value = req.get("value")
    if value is None:
        return "-"
    if isinstance(value, float):
        value = f"{value:.1f}".rstrip("0").rstrip(".")
    unit = req.get("unit") or ""
    sep = "" if unit in ("", "%") else " "
    return f"{value}{sep}{unit}"


def threshold_text(req: dict[str, Any]) -> str:
    t = req.get("threshold")
    if not t:
        return "-"
    if "bands" in t:
        return "; ".join(f"{k}: {v}" for k, v in t["bands"].items())
    if "tolerance" in t:
        (k, v), = t["tolerance"].items()
        return f"agree within {v}{'' if k == 'absolute' else ' (relative)'}"
    if "scale" in t:
        return ", ".join(f"{k}={v}" for k, v in t["scale"].items())
    if "document" in t:
        doc = t["document"]
        age = f", dated within {doc['max_age_days']} days" if "max_age_days" in doc else ""
        return f"a {doc['type']} document{age}"
    if "params" in t:
        return "; ".join(f"{k} = {v['value']}{' ' + v['unit'] if 'unit' in v else ''}"
                         for k, v in t["params"].items())
    return "-"


def comparator_text(req: dict[str, Any]) -> str:
    comps = req.get("comparators") or []
    if not comps:
        return "-"
    return "; ".join(f"{c['name']}: {c['value']:g}" for c in comps)


def evidence_text(req: dict[str, Any]) -> str:
    refs = req.get("evidence") or []
    out = []
    for r in refs:
        if "sql" in r:
            continue
        s = r.get("file", "?")
        if r.get("at"):
            s += f" ({r['at']})"
        if r.get("synthetic"):
            s += " [synthetic]"
        s += f" sha256:{r['sha256'][:12]}" if "sha256" in r else ""
        if s not in out:
            out.append(s)
    return "; ".join(out) or "-"


#: Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
#: In evidence text they make a viewer show characters in another order than the report
#: holds them ("Trojan Source": ``\u202egnp.exe`` is displayed as ``exe.png``).
BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))

# C0/C1 control characters (except tab and newline) carry terminal escape sequences
# (ESC [ ... m, OSC titles) and are dropped; a bidi control is replaced by a visible marker,
# so the reader sees that the text carried one and nothing is reordered.
_CONTROLS: dict[int, str | None] = {
    **dict.fromkeys([*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f, *range(0x80, 0xa0)]),
    **{c: f"[U+{c:04X}]" for c in BIDI_CONTROLS}}
_JSON_BIDI = {c: f"\\u{c:04x}" for c in BIDI_CONTROLS}


def plain_text(value: object) -> str:
    """``value`` as text for a human format: control characters dropped and each bidi
    control shown as ``[U+202E]`` (and so on)."""
    return str(value).translate(_CONTROLS)


def escape_bidi_json(text: str) -> str:
    """Serialised JSON with each bidi control written as an escape (``\\u202e``): parsing
    gives the same document, and so the same seal, but no viewer reorders the file."""
    return text.translate(_JSON_BIDI)
