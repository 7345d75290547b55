"""Sealing, `dutycheck verify`, signing, and byte-identical `dutycheck render`."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli
from test_report_support import AS_OF, make_bundle, reseal, write_report

from dutycheck import report as reportlib


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    """A bundle and the JSON, HTML and Markdown reports `dutycheck run` wrote for it."""
    root = tmp_path_factory.mktemp("sealed")
    bundle = make_bundle(root / "kent")
    out = root / "out"
    result = run_cli("run", bundle, "--as-of", AS_OF, "--area", "complaints", "--fail-on",
                     "never", "--format", "json", "--format", "html", "--format", "markdown",
                     "--format", "csv", "--output", out)
    assert result.code == 0, result.err
    return bundle, out


def _verify(report, bundle, *extra):
    return run_cli("verify", report, "--bundle", bundle, *extra)


def test_verify_passes_on_an_untouched_report(sealed):
    bundle, out = sealed
    result = _verify(out / "report.json", bundle)
    assert result.code == 0, result.out + result.err
    assert "verified:" in result.out
    assert "re-running the assessment from these inputs gives the same report" in result.out


def test_verify_names_the_edited_section(sealed, tmp_path):
    bundle, out = sealed
    doc = json.loads((out / "report.json").read_text())
    duty = next(d for d in doc["duties"] if d["rating"] == "Amber")
    duty["rating"] = "Green"
    edited = tmp_path / "edited.json"
    edited.write_text(reportlib.canonical(doc))
    result = _verify(edited, bundle)
    assert result.code == 1
    assert "the report itself was edited after sealing" in result.out
    assert "report section 'duties' was edited" in result.out
    assert "FAILED" in result.err


def test_verify_catches_an_edited_and_resealed_report_by_re_running_it(sealed, tmp_path):
    bundle, out = sealed
    doc = json.loads((out / "report.json").read_text())
    i, duty = next((i, d) for i, d in enumerate(doc["duties"]) if d["rating"] == "Amber")
    duty["rating"] = "Green"
    forged = write_report(reseal(doc), tmp_path / "forged.json")
    result = _verify(forged, bundle)
    assert result.code == 1
    assert "ok       report seal" in result.out  # the seal itself is consistent...
    assert "does not follow from its inputs" in result.out  # ...but the content is not
    assert f'$.duties[{i}].rating: report says "Green", re-run gives "Amber"' in result.out


def test_verify_diff_escapes_bidi_controls_in_a_forged_reason(sealed, tmp_path):
    bundle, out = sealed
    doc = json.loads((out / "report.json").read_text())
    duty = doc["duties"][0]
    duty["reason"] = "all fine \u202egnorw\u202c"  # reads "all fine wrong" reversed
    forged = write_report(reseal(doc), tmp_path / "forged.json")
    result = _verify(forged, bundle)
    assert result.code == 1
    assert "\u202e" not in result.out and "\\u202e" in result.out


def test_verify_without_the_bundle_says_not_verified_not_changed(sealed, tmp_path):
    _, out = sealed
    elsewhere = tmp_path / "report.json"
    elsewhere.write_bytes((out / "report.json").read_bytes())
    result = run_cli("verify", elsewhere, cwd=tmp_path)
    assert result.code == 2, result.out + result.err
    assert "ok       report seal" in result.out
    assert "CHANGED" not in result.out and "FAILED" not in result.err
    assert "NOT CHECKED  the evidence: bundle folder 'kent' is not in the current" in result.out
    assert "NOT VERIFIED:" in result.err and "give --bundle DIR" in result.err


def test_verify_on_a_truncated_report_exits_non_zero(sealed, tmp_path):
    bundle, out = sealed
    text = (out / "report.json").read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 3])
    result = _verify(cut, bundle)
    assert result.code == 4
    assert "truncated" in result.err and "cut.json:" in result.err
    assert "Traceback" not in result.err


def test_verify_names_the_evidence_file_that_changed(sealed, tmp_path):
    bundle, out = sealed
    copy = make_bundle(tmp_path / "kent")
    register = copy / "complaint-review-register.csv"
    register.write_text(register.read_text() + "\n")
    result = _verify(out / "report.json", copy)
    assert result.code == 1
    assert "complaint-review-register.csv" in result.out
    assert "changed: sha256 was" in result.out
    assert "complaint-review-return.yaml" in result.out  # unchanged inputs are listed ok


def test_verify_names_a_changed_waivers_file(sealed, tmp_path):
    bundle, out = sealed
    copy = make_bundle(tmp_path / "kent")
    (copy / "waivers.yaml").write_text((copy / "waivers.yaml").read_text() + "# edited\n")
    result = _verify(out / "report.json", copy)
    assert result.code == 1
    assert "waivers file" in result.out and "changed" in result.out


@pytest.mark.parametrize("fmt,ext", [("html", "html"), ("markdown", "md"), ("csv", "csv"),
                                     ("json", "json")])
def test_render_from_sealed_json_is_byte_identical(sealed, tmp_path, fmt, ext):
    _, out = sealed
    target = tmp_path / f"again.{ext}"
    result = run_cli("render", out / "report.json", "--format", fmt, "--output", target)
    assert result.code == 0, result.err
    assert target.read_bytes() == (out / f"report.{ext}").read_bytes()


def test_render_refuses_an_edited_report(sealed, tmp_path):
    _, out = sealed
    doc = json.loads((out / "report.json").read_text())
    doc["organisation"] = "Someone else"
    edited = tmp_path / "edited.json"
    edited.write_text(reportlib.canonical(doc))
    result = run_cli("render", edited, "--format", "html")
    assert result.code == 4
    assert "edited after it was sealed" in result.err


def test_signed_report_verifies_with_the_public_key_only(sealed, tmp_path):
    crypto = pytest.importorskip("cryptography", reason="signing needs cryptography")
    assert crypto
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    def keypair(name):
        key = Ed25519PrivateKey.generate()
        priv = tmp_path / f"{name}.pem"
        pub = tmp_path / f"{name}.pub"
        priv.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        pub.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        return priv, pub

    priv, pub = keypair("opcc")
    _, other_pub = keypair("other")
    bundle, _ = sealed
    signed = tmp_path / "signed.json"
    result = run_cli("run", bundle, "--as-of", AS_OF, "--area", "complaints", "--fail-on",
                     "never", "--format", "json", "--output", signed, "--sign-key", priv)
    assert result.code == 0, result.err
    assert json.loads(signed.read_text())["signature"]["algorithm"] == "ed25519"
    good = _verify(signed, bundle, "--public-key", pub)
    assert good.code == 0, good.out + good.err
    assert "Ed25519 signature matches" in good.out
    bad = _verify(signed, bundle, "--public-key", other_pub)
    assert bad.code == 1
    assert "signature does not match" in bad.out


@pytest.fixture(scope="module")
def with_config_and_baseline(tmp_path_factory):
    """A report run in one folder with a config and a baseline given by relative paths,
    then kept (report, config, baseline) in another folder, as a JAC secretary files it."""
    from test_report_overrides import CONFIG

    root = tmp_path_factory.mktemp("moved")
    work = root / "work"
    make_bundle(work / "kent")
    (work / "kent-config.yaml").write_text(CONFIG, encoding="utf-8")
    first = run_cli("run", "kent", "--as-of", "2025-07-01", "--area", "complaints",
                    "--fail-on", "never", "--format", "json", "--output", "prev.json",
                    cwd=work)
    assert first.code == 0, first.err
    result = run_cli("run", "kent", "--as-of", AS_OF, "--area", "complaints", "--fail-on",
                     "never", "--config", "kent-config.yaml", "--baseline", "prev.json",
                     "--format", "json", "--output", "report.json", cwd=work)
    assert result.code == 0, result.err
    filed = root / "filed"
    filed.mkdir()
    for name in ("report.json", "kent-config.yaml", "prev.json"):
        (filed / name).write_bytes((work / name).read_bytes())
    return work, filed


def test_verify_finds_config_and_baseline_beside_the_report(with_config_and_baseline,
                                                            tmp_path):
    work, filed = with_config_and_baseline
    result = run_cli("verify", filed / "report.json", "--bundle", work / "kent", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert "CHANGED" not in result.out
    assert f"config file kent-config.yaml (found at {filed / 'kent-config.yaml'})" in result.out
    assert "re-running the assessment from these inputs gives the same report" in result.out


def test_verify_without_config_or_baseline_says_not_checked(with_config_and_baseline,
                                                            tmp_path):
    work, filed = with_config_and_baseline
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "report.json").write_bytes((filed / "report.json").read_bytes())
    result = run_cli("verify", alone / "report.json", "--bundle", work / "kent", cwd=tmp_path)
    assert result.code == 2, result.out + result.err
    assert "CHANGED" not in result.out and "FAILED" not in result.err
    assert "NOT CHECKED  the config file kent-config.yaml: not at that path or beside the " \
           "report; give --config FILE" in result.out
    assert "give --baseline FILE" in result.out
    assert "NOT VERIFIED:" in result.err
    given = run_cli("verify", alone / "report.json", "--bundle", work / "kent", "--config",
                    filed / "kent-config.yaml", "--baseline", filed / "prev.json",
                    cwd=tmp_path)
    assert given.code == 0, given.out + given.err


def test_verify_names_plugin_code_changed_under_the_same_version(sealed, tmp_path):
    bundle, out = sealed
    doc = json.loads((out / "report.json").read_text())
    plugin = next(p for p in doc["plugins"] if p["files_sha256"])
    plugin["files_sha256"] = "0" * 64  # as if the code had been edited, version kept
    forged = write_report(reseal(doc), tmp_path / "forged.json")
    result = _verify(forged, bundle)
    assert result.code == 1
    assert (f"plugin {plugin['name']}: its code changed since the report although its "
            f"version ({plugin['version']}) did not") in result.out
