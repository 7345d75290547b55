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


# C0/C1 control characters (except tab and newline) and the Unicode bidirectional
# overrides: evidence text carrying terminal escape sequences (ESC [ ... m, OSC titles) or
# "Trojan Source" reordering must reach no report format live.
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f, *range(0x80, 0xa0),
                           *range(0x202a, 0x202f), *range(0x2066, 0x206a)])


def clean(value: object) -> str:
    """``value`` as text with control characters and bidi overrides removed."""
    return str(value).translate(_CONTROLS)
