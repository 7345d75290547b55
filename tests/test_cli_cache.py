"""The duty-file parse cache as a user meets it: the same reports and the same
``file:line:col`` messages whether the cache is cold, warm, corrupted or turned off."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF, SAMPLE, duty_yaml, run_cli, write_text


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DUTYCHECK_CACHE_DIR", str(folder))
    monkeypatch.delenv("DUTYCHECK_NO_CACHE", raising=False)
    return folder


def _entries(cache: Path, name: str | None = None) -> list[Path]:
    """Cache entries; with ``name``, only those of that file (validate also parses, and so
    caches, the installed plugins' duty files, against which it checks for duplicate ids)."""
    found = sorted(cache.rglob("*.json"))
    if name is None:
        return found
    return [e for e in found if f'"file":"{name}"'.encode() in e.read_bytes()]


def test_reports_are_identical_cold_warm_and_without_the_cache(cache: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    outputs = []
    for label in ("cold", "warm", "off"):
        if label == "off":
            monkeypatch.setenv("DUTYCHECK_NO_CACHE", "1")
        target = tmp_path / f"{label}.json"
        code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "json",
                               "--fail-on", "never", "--output", target)
        assert code == 0, err
        outputs.append(target.read_bytes())
        if label == "cold":
            assert _entries(cache), "the first run fills the cache"
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_cached_file_still_reports_its_line_and_column(cache: Path, tmp_path: Path):
    bad = write_text(tmp_path / "duties" / "bad.yaml",
                     duty_yaml().replace("cadence: annual", "cadence: fortnightly"))
    first = run_cli("validate", bad, cwd=tmp_path)
    assert first.code == 4, first.err
    assert "duties/bad.yaml:" in first.err and "'fortnightly' is not one of" in first.err
    line = next(x for x in first.err.splitlines() if "fortnightly" in x)
    assert line.split("duties/bad.yaml:")[1].split(":")[0].isdigit(), line
    assert len(_entries(cache, "duties/bad.yaml")) == 1  # parsed cleanly, so cached, though
    # the schema fails
    second = run_cli("validate", bad, cwd=tmp_path)
    assert (second.code, second.err) == (first.code, first.err)


def test_a_yaml_syntax_error_is_never_cached(cache: Path, tmp_path: Path):
    bad = write_text(tmp_path / "bad.yaml", duty_yaml().replace("kind: statutory",
                                                               "kind: [statutory"))
    for _ in range(2):
        code, _, err = run_cli("validate", bad, cwd=tmp_path)
        assert code == 4 and "YAML syntax error" in err and "Traceback" not in err
    assert _entries(cache) == []


@pytest.mark.parametrize("damage", ["truncate", "garbage", "edited"])
def test_a_damaged_cache_entry_is_ignored_and_rewritten(cache: Path, tmp_path: Path,
                                                        damage: str):
    good = write_text(tmp_path / "duties" / "good.yaml", duty_yaml())
    first = run_cli("validate", good, cwd=tmp_path)
    assert first.code == 0, first.err
    [entry] = _entries(cache, "duties/good.yaml")
    blob = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x00\xff not a cache entry")
    else:  # valid JSON, but not what was written: the digest no longer matches
        entry.write_bytes(blob.replace(b"testarea.example-duty", b"testarea.other-duty"))
    again = run_cli("validate", good, cwd=tmp_path)
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)
    assert entry.read_bytes() == blob


def test_no_cache_writes_nothing(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DUTYCHECK_NO_CACHE", "1")
    good = write_text(tmp_path / "good.yaml", duty_yaml())
    code, _, err = run_cli("validate", good, cwd=tmp_path)
    assert code == 0, err
    assert not cache.exists()


def test_an_unwritable_cache_folder_does_not_stop_a_run(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("DUTYCHECK_CACHE_DIR", str(blocker))
    monkeypatch.delenv("DUTYCHECK_NO_CACHE", raising=False)
    good = write_text(tmp_path / "good.yaml", duty_yaml())
    code, out, err = run_cli("validate", good, cwd=tmp_path)
    assert code == 0, err
    assert "ok:" in out


def test_a_structured_kinds_clean_schema_check_is_remembered(tmp_path, monkeypatch):
    from jsonschema import Draft202012Validator

    from dutycheck import StructuredKind
    from dutycheck.errors import PluginError
    from dutycheck.kinds import validate_kind

    monkeypatch.setenv("DUTYCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DUTYCHECK_NO_CACHE", raising=False)
    kind = StructuredKind("demo_return", "A demo return",
                          {"type": "object", "properties": {"n": {"type": "integer"}}})
    validate_kind(kind, "demo")  # checked against the metaschema, and remembered
    calls = []
    monkeypatch.setattr(Draft202012Validator, "check_schema",
                        classmethod(lambda cls, schema: calls.append(schema)))
    validate_kind(kind, "demo")
    assert calls == []  # the same schema is not checked again
    bad = StructuredKind("bad_return", "A bad return", {"type": "no-such-type"})
    monkeypatch.undo()
    monkeypatch.setenv("DUTYCHECK_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(PluginError, match="invalid schema"):
        validate_kind(bad, "demo")  # a schema never checked is still checked
