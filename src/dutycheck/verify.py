"""``dutycheck verify``: recompute everything a report's seal records and say exactly
what differs: the report itself (and which section), an input file, a plugin version,
or the ratings a re-run from the same inputs gives."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InvalidInput

MAX_DIFFS = 12


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    checked: int = 0
    unchecked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if self.problems:
            return f"{len(self.problems)} difference(s): " + "; ".join(self.problems[:3]) + (
                " ..." if len(self.problems) > 3 else "")
        return f"{self.checked} check(s) passed"

    def good(self, text: str) -> None:
        self.checked += 1
        self.lines.append(f"ok       {text}")

    def bad(self, text: str) -> None:
        self.problems.append(text)
        self.lines.append(f"CHANGED  {text}")

    def note(self, text: str) -> None:
        self.lines.append(f"note     {text}")

    def cannot(self, text: str) -> None:
        """Something that could not be checked: not a difference, so not reported as one
        (a reader must not take a missing folder for tampering), but not verified either."""
        self.unchecked.append(text)
        self.lines.append(f"NOT CHECKED  {text}")


def read_report(path: Path) -> dict[str, Any]:
    """Parse a JSON report; a truncated or foreign file is invalid input (exit 4)."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput.one(shown, f"cannot read report: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidInput.one(shown, f"report is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput.one(shown, f"report is not complete JSON (truncated or damaged): "
                               f"{exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("tool"), dict) or \
            doc["tool"].get("name") != "dutycheck":
        raise InvalidInput.one(shown, "not a dutycheck JSON report")
    if "sha256" not in doc:
        raise InvalidInput.one(shown, "report has no sha256 seal")
    return doc


def read_sealed(path: Path) -> dict[str, Any]:
    """A report whose seal matches its content, for re-rendering."""
    from .report import digest

    doc = read_report(path)
    if digest(doc) != doc["sha256"]:
        raise InvalidInput.one(str(path), "report was edited after it was sealed (its "
                               "SHA-256 does not match its content); run `dutycheck verify "
                               f"{path}` to see what changed")
    return doc


def _file_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _find_bundle(report_path: Path, folder: str, given: Path | None) -> Path | None:
    if given is not None:
        return given
    here = Path(report_path).resolve().parent
    for cand in (Path(folder), here / folder, here.parent / folder):
        if (cand / "bundle.yaml").is_file():
            return cand
    return None


def _find_input(report_path: Path, recorded: str, given: Path | None) -> Path | None:
    """A config or baseline file: where given, else at the path recorded at run time (from
    the working folder), else beside the report (as recorded, then by name), so a report
    verified from another folder still finds the files kept with it."""
    if given is not None:
        return given
    here = Path(report_path).resolve().parent
    rec = Path(recorded)
    for cand in (rec, here / rec, here / rec.name):
        if cand.is_file():
            return cand
    return None


def verify_report(path: Path, bundle: Path | None, public_key: Path | None,
                  make_host: Callable[[], Any], *, baseline: Path | None = None,
                  config: Path | None = None) -> Outcome:
    """``baseline`` and ``config`` locate those inputs when they are not at the recorded
    path or beside the report; one that cannot be found is NOT CHECKED, not CHANGED."""
    from . import report as reportlib

    doc = read_report(path)
    out = Outcome()
    _check_seal(doc, out)
    if public_key is not None:
        _check_signature(doc, public_key, out)
    elif "signature" in doc:
        out.note("the report is signed; give --public-key to check the signature")

    inputs = doc.get("inputs") or {}
    folder = (inputs.get("bundle") or {}).get("folder", "")
    where = _find_bundle(path, folder, bundle)
    inputs_ok = True
    if where is None:
        out.cannot(f"the evidence: bundle folder {folder!r} is not in the current folder, "
                   "beside the report or one level up; give --bundle DIR")
        return out
    before = len(out.problems)
    _check_bundle(where, inputs, out)
    for key in ("waivers", "actions"):
        rec = inputs.get(key)
        path_now = where / f"{key}.yaml"
        if rec is None:
            if path_now.is_file():
                out.bad(f"{path_now} exists but the report was produced without it")
            continue
        _compare_file(path_now, rec["sha256"], out, f"{key} file {path_now}")
    found: dict[str, Path] = {}
    missing = []
    for key, label, given in (("config", "config file", config),
                              ("baseline", "baseline report", baseline)):
        rec = inputs.get(key)
        if not rec:
            continue
        at = _find_input(path, rec["file"], given)
        if at is None:
            missing.append(key)
            out.cannot(f"the {label} {rec['file']}: not at that path or beside the report; "
                       f"give --{key} FILE")
            continue
        found[key] = at
        shown = rec["file"] if str(at) == rec["file"] else f"{rec['file']} (found at {at})"
        _compare_file(at, rec["sha256"], out, f"{label} {shown}")
    host = make_host()
    _check_duty_files(host, doc, out)
    _check_versions(host, doc, out)
    inputs_ok = len(out.problems) == before

    if not inputs_ok:
        out.note("the assessment was not re-run because its inputs differ")
    elif missing:
        out.cannot("re-running the assessment: it needs the " + " and the ".join(missing)
                   + " file")
    else:
        _rerun(doc, where, host, out, reportlib, found)
    return out


def _check_seal(doc: dict[str, Any], out: Outcome) -> None:
    from .report import SEALED_SECTIONS, digest, section_digests

    if digest(doc) == doc["sha256"]:
        out.good(f"report seal sha256:{doc['sha256']}")
        return
    out.bad("the report itself was edited after sealing: its SHA-256 "
            f"{doc['sha256']} does not match its content")
    recorded = (doc.get("seal") or {}).get("sections") or {}
    now = section_digests(doc)
    edited = [k for k in SEALED_SECTIONS if recorded.get(k) != now.get(k)]
    if edited:
        for k in edited:
            out.bad(f"report section '{k}' was edited")
    else:
        out.bad("report header fields (organisation, period, as_of, audience, tool or "
                "seal) were edited")


def _check_signature(doc: dict[str, Any], public_key: Path, out: Outcome) -> None:
    import base64

    sig = doc.get("signature")
    if not sig:
        out.bad("the report is not signed, but --public-key was given")
        return
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        out.bad("cannot check the signature: install the `cryptography` package")
        return
    try:
        key = serialization.load_pem_public_key(public_key.read_bytes())
    except (OSError, ValueError) as exc:
        out.bad(f"cannot read public key {public_key}: {exc}")
        return
    if not isinstance(key, Ed25519PublicKey):
        out.bad(f"{public_key} is not an Ed25519 public key")
        return
    try:
        key.verify(base64.b64decode(sig["value"]), doc["sha256"].encode("ascii"))
    except (InvalidSignature, ValueError, KeyError):
        out.bad(f"the Ed25519 signature does not match {public_key} (wrong key, or the "
                "report was edited)")
        return
    out.good(f"Ed25519 signature matches {public_key}")


def _compare_file(path: Path, recorded: str, out: Outcome, label: str) -> None:
    now = _file_sha(path)
    if now is None:
        out.bad(f"{label} is missing")
    elif now != recorded:
        out.bad(f"{label} changed: sha256 was {recorded[:16]}…, now {now[:16]}…")
    else:
        out.good(label)


def _check_bundle(where: Path, inputs: dict[str, Any], out: Outcome) -> None:
    b = inputs["bundle"]
    _compare_file(where / "bundle.yaml", b["manifest_sha256"], out,
                  f"bundle manifest {where / 'bundle.yaml'}")
    for item in b["items"]:
        _compare_file(where / item["file"], item["sha256"], out,
                      f"evidence {item['id']} ({where / item['file']})")


def _check_duty_files(host: Any, doc: dict[str, Any], out: Outcome) -> None:
    from .catalogue import duty_files

    extra = [Path(p) for p in (doc.get("invocation") or {}).get("duties", [])]
    try:
        now = {shown: _file_sha(p) for p, shown in
               duty_files([p for _, p in host.duty_locations()] + extra)}
    except InvalidInput as exc:
        out.bad(f"duty files cannot be listed: {exc}")
        return
    recorded = {f["file"]: f["sha256"] for f in doc["inputs"]["duty_files"]}
    for name in sorted(recorded):
        if name not in now:
            out.bad(f"duty file {name} is no longer in the catalogue")
        elif now[name] != recorded[name]:
            out.bad(f"duty file {name} changed: sha256 was {recorded[name][:16]}…, now "
                    f"{now[name][:16]}…")
    added = sorted(set(now) - set(recorded))
    for name in added:
        out.bad(f"duty file {name} was added to the catalogue since the report")
    if all(now.get(n) == h for n, h in recorded.items()) and not added:
        out.good(f"{len(recorded)} duty files")


def _check_versions(host: Any, doc: dict[str, Any], out: Outcome) -> None:
    from . import __version__

    if doc["tool"].get("version") != __version__:
        out.bad(f"dutycheck version: report {doc['tool'].get('version')}, installed "
                f"{__version__}")
    now = {p.name: p for p in host.plugins()}
    same = True
    for p in doc.get("plugins", []):
        cur = now.get(p["name"])
        if cur is None:
            out.bad(f"plugin {p['name']} ({p['distribution']} {p['version']}) is not installed")
            same = False
        elif cur.version != p["version"]:
            out.bad(f"plugin {p['name']}: report used version {p['version']}, installed "
                    f"{cur.version}")
            same = False
        elif p.get("files_sha256") and cur.files_sha256 != p["files_sha256"]:
            # Same version number, different code: named as such, not left to the re-run.
            out.bad(f"plugin {p['name']}: its code changed since the report although its "
                    f"version ({p['version']}) did not: files sha256 was "
                    f"{p['files_sha256'][:16]}…, now {(cur.files_sha256 or '-')[:16]}…")
            same = False
    for name in sorted(set(now) - {p["name"] for p in doc.get("plugins", [])}):
        out.bad(f"plugin {name} is installed now but was not when the report was produced")
        same = False
    if same:
        out.good(f"dutycheck {__version__} and {len(now)} plugin versions")


def _relabel(value: Any, names: dict[str, str]) -> Any:
    """The re-run report with each input found elsewhere named as the report recorded it
    (a config found beside the report is the same input, not a difference)."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {k: _relabel(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_relabel(v, names) for v in value]
    return value


def _rerun(doc: dict[str, Any], where: Path, host: Any, out: Outcome, reportlib: Any,
           found: dict[str, Path] | None = None) -> None:
    from .assess import Options, assess

    inputs, inv = doc["inputs"], doc.get("invocation") or {}
    found = found or {}
    opts = Options(
        bundle=where, as_of=dt.date.fromisoformat(doc["as_of"]), audience=doc["audience"],
        duty_dirs=tuple(Path(p) for p in inv.get("duties", [])),
        config=found.get("config"), baseline=found.get("baseline"),
        area=inv.get("area"), only=tuple(inv["only"]) if inv.get("only") else None)
    try:
        again = assess(host, opts)
    except InvalidInput as exc:
        out.bad(f"re-running the assessment failed: {exc}")
        return
    again = _relabel(again, {str(at): inputs[key]["file"] for key, at in found.items()})
    body = {k: v for k, v in doc.items() if k not in ("sha256", "signature", "seal")}
    fresh = {k: v for k, v in again.items() if k not in ("sha256", "signature", "seal")}
    diffs = list(_diff(body, fresh, "$"))
    if not diffs:
        out.good("re-running the assessment from these inputs gives the same report")
        return
    out.bad(f"the report's content does not follow from its inputs ({len(diffs)} "
            "difference(s) when re-run)")
    for where_, was, now in diffs[:MAX_DIFFS]:
        out.lines.append(f"           {where_}: report says {_short(was)}, re-run gives "
                         f"{_short(now)}")


def _short(value: Any) -> str:
    """A value for a diff line: JSON (so control characters are escaped), with bidi
    controls escaped too, so an edited report cannot disguise what changed."""
    from .reporting.text import escape_bidi_json

    text = escape_bidi_json(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return text if len(text) <= 80 else text[:77] + "..."


def _diff(a: Any, b: Any, path: str):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b:
                yield (f"{path}.{k}", a[k], "(absent)")
            elif k not in a:
                yield (f"{path}.{k}", "(absent)", b[k])
            else:
                yield from _diff(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _diff(x, y, f"{path}[{i}]")
    elif a != b:
        yield (path, a, b)
