"""Small text helpers shared by the text renderers."""

from __future__ import annotations

import re
from typing import Any

SYMBOL = {"Green": "[G]", "Amber": "[A]", "Red": "[R]", "Not evidenced": "[NE]",
          "Not due": "[ND]", "Not assessed": "[NA]", "Error": "[ERR]"}


def value_text(req: dict[str, Any]) -> str:
    value = req.get("value")
    if value is None:
        return "-"
    if isinstance(value, int | float) and not isinstance(value, bool):
        from ..expressions import quantity

        return quantity(value, req.get("unit") or "")
    unit = req.get("unit") or ""
    sep = "" if unit in ("", "%") else " "
    return f"{value}{sep}{unit}"


#: Bands are listed best first, whatever order the report's keys are in.
BAND_ORDER = ("green", "amber", "red")


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value)


#: An evidence value path in a band ("sv_outcome_measures.homicides.previous.value").
_PATH = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+\b")


def path_words(path: str) -> str:
    """A value path as words for the public paper when no comparator title was recorded
    (the evidence was missing): "sv_outcome_measures.x.baseline.value" is "the baseline
    value"; the evidence kind and the measure's key are left out."""
    parts = path.split(".")[1:] or [path]
    name = f"{parts[-2]} value" if parts[-1] == "value" and len(parts) > 1 else parts[-1]
    return "the " + name.replace("_", " ")


def _bound_text(text: str, req: dict[str, Any], plain: bool = False) -> str:
    """A band's description with each evidence expression the check resolved written as
    its name and value ("below murders, previous year (18)"); an expression that was not
    resolved (no evidence) keeps its path, or with ``plain`` (the Panel paper) is said in
    words ("the baseline value + 10%"). Shares such as "+ 20%" come from
    ``expressions.describe``, so the reason and every paper word them alike."""
    comps = {c["expr"]: c for c in req.get("comparators") or [] if c.get("expr")}
    if comps:
        pattern = re.compile("|".join(re.escape(e) for e in sorted(comps, key=len,
                                                                         reverse=True)))

        def name(m: re.Match[str]) -> str:
            c = comps[m[0]]
            shown = str(c.get("name") or m[0])
            return shown if c.get("value") is None else f"{shown} ({_number(c['value'])})"

        text = pattern.sub(name, text)
    if plain:
        text = _PATH.sub(lambda m: path_words(m[0]), text)
    return text


def bands_text(bands: dict[str, str], req: dict[str, Any] | None = None,
               plain: bool = False) -> str:
    order = sorted(bands, key=lambda k: (BAND_ORDER.index(k) if k in BAND_ORDER else 3, k))
    return "; ".join(f"{k}: {_bound_text(str(bands[k]), req or {}, plain)}" for k in order)


def _params_text(params: dict[str, Any], names: Any = None, plain: bool = False) -> str:
    """``name = value unit`` for the audit paper; in words for the public paper
    ("outcome measures for green: 1 outcome-measure item")."""
    from ..expressions import quantity

    def one(k: str, v: dict[str, Any]) -> str:
        if plain:
            value = v["value"]
            shown = quantity(value, v.get("unit") or "") if isinstance(
                value, int | float) and not isinstance(value, bool) else \
                f"{value}{' ' + v['unit'] if v.get('unit') else ''}"
            return f"{k.replace('_', ' ')}: {shown}"
        return f"{k} = {v['value']}{' ' + v['unit'] if v.get('unit') else ''}"

    return "; ".join(one(k, v) for k, v in params.items()
                     if isinstance(v, dict) and "value" in v and (names is None or k in names))


def threshold_text(req: dict[str, Any], plain: bool = False) -> str:
    """The threshold in force, as the papers print it; ``plain`` for the public Panel
    paper (value paths and parameter names in words)."""
    t = req.get("threshold")
    if not t:
        return "-"
    text = _threshold_body(t, req, plain)
    override = t.get("override") or {}
    changed = (override.get("catalogue") or {}).get("params")
    if changed and "params" in t and text != _params_text(t["params"], plain=plain):
        # The parameters the override set are part of the threshold it changed.
        extra = _params_text(t["params"], changed, plain)
        if extra:
            text = extra if text == "-" else f"{text}; {extra}"
    if "materiality" in (override.get("catalogue") or {}):
        # The report records the materiality in force only with a baseline (travel).
        now = (req.get("travel") or {}).get("materiality")
        if now is not None:
            text = f"{text}; materiality {_number(now)}"
    return text


def _threshold_body(t: dict[str, Any], req: dict[str, Any], plain: bool = False) -> str:
    if "bands" in t:
        return bands_text(t["bands"], req, plain)
    if "tolerance" in t:
        return _tolerance_text(t["tolerance"])
    if "scale" in t:
        return _scale_text(t["scale"])
    if "document" in t:
        return _document_text(t["document"])
    if "params" in t:
        return _params_text(t["params"], plain=plain)
    return "-"


def _document_text(doc: dict[str, Any]) -> str:
    age = (f", dated within {doc['max_age_days']} days"
           if doc.get("max_age_days") is not None else "")
    kind = str(doc.get("type") or "")
    article = "an" if kind.lower().startswith(tuple("aeiou")) else "a"
    return f"{article} {kind} document{age}"


def _tolerance_text(tol: Any) -> str:
    if isinstance(tol, dict) and len(tol) == 1:
        (k, v), = tol.items()
        return f"agree within {_number(v)}{'' if k == 'absolute' else ' (relative)'}"
    return str(tol)


def _scale_text(scale: Any) -> str:
    if isinstance(scale, dict):
        return ", ".join(f"{k}={v}" for k, v in scale.items())
    return str(scale)


def _catalogue_bands(bands: Any) -> str:
    """The catalogue's own bands (as written in the duty YAML) in the report's words."""
    try:
        from ..bands import parse

        described = {b.rating.value.lower(): b.describe() for b in parse(bands)}
    except (AttributeError, KeyError, TypeError, ValueError):
        return str(bands)
    return bands_text(described)


def override_of(req: dict[str, Any]) -> dict[str, Any] | None:
    """The run configuration's override of this requirement's threshold, if any."""
    ov = (req.get("threshold") or {}).get("override")
    return ov if isinstance(ov, dict) else None


def catalogue_threshold_text(req: dict[str, Any]) -> str:
    """What the duty catalogue set before the run configuration overrode it: each value the
    override replaced, as the catalogue has it."""
    ov = override_of(req)
    if ov is None:
        return ""
    cat = ov.get("catalogue") or {}
    parts = []
    if cat.get("bands") is not None:
        parts.append(_catalogue_bands(cat["bands"]))
    if cat.get("tolerance") is not None:
        parts.append(_tolerance_text(cat["tolerance"]))
    if cat.get("scale") is not None:
        parts.append(_scale_text(cat["scale"]))
    if cat.get("materiality") is not None:
        parts.append(f"materiality {_number(cat['materiality'])}")
    if cat.get("params"):
        parts.append(_params_text(cat["params"]))
    if "max_age_days" in cat:  # a document's freshness window (None: the catalogue had none)
        doc = dict((req.get("threshold") or {}).get("document") or {})
        parts.append(_document_text({**doc, "max_age_days": cat["max_age_days"]}))
    return "; ".join(p for p in parts if p) or "-"


def basis_label(basis: Any) -> str:
    from ..catalogue import BASIS_LABELS

    return BASIS_LABELS.get(str(basis), str(basis))


def basis_words(basis: Any, plain: bool = False) -> str:
    """A threshold's basis for a table cell: the catalogue key in the audit paper
    ("inference"), words in the public paper ("no published standard")."""
    if not basis:
        return ""
    if not plain:
        return str(basis)
    if basis == "inference":
        return "no published standard"
    return basis_label(basis).lower()


def catalogue_basis(req: dict[str, Any]) -> str:
    """The basis the catalogue gave the threshold the override replaced ("" if the report
    does not record it)."""
    ov = override_of(req) or {}
    return str(ov.get("catalogue_basis") or "")


def override_was(req: dict[str, Any]) -> str:
    """"the catalogue's threshold (inference) was ..." for an overridden requirement."""
    if override_of(req) is None:
        return ""
    basis = catalogue_basis(req)
    return ("the catalogue's threshold" + (f" ({basis})" if basis else "")
            + f" was {catalogue_threshold_text(req)}")


def override_short(req: dict[str, Any]) -> str:
    """For a threshold cell: "overridden by the run configuration; the catalogue's ..."."""
    if override_of(req) is None:
        return ""
    return "overridden by the run configuration; " + override_was(req)


def override_note(req: dict[str, Any], config: str = "") -> str:
    """One sentence for beside the requirement: that the threshold was changed locally, the
    catalogue's original, and the override's basis and reason."""
    ov = override_of(req)
    if ov is None:
        return ""
    where = f" ({config})" if config else ""
    reason = str(ov.get("reason") or "").strip()
    basis = catalogue_basis(req)
    was = basis_label(basis).lower().replace(" (", ", ").rstrip(")") if basis else ""
    return (f"Threshold overridden by the run configuration{where}: the catalogue's threshold"
            + (f" (basis: {was})" if was else "") + f" was {catalogue_threshold_text(req)}"
            + f"; it is now {threshold_text(req)}. Override basis: "
            f"{basis_label(ov.get('basis')).lower()}. Reason: {reason or '-'}")


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
