"""Every published figure in the samples can be followed to its source: each cited file
ships with the repository and each cited line exists in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
SAMPLES = [REPO / "samples" / "kent-2024-25", REPO / "samples" / "kent-2025-26"]
CITATION = re.compile(r"samples/sources/[0-9a-f_]+\.txt")


def _lines(spec: object) -> list[int]:
    """Line numbers in a ``lines:`` value such as "423-430", "L1154" or "12, 40-41"."""
    out = []
    for a, b in re.findall(r"L?(\d+)(?:\s*-\s*L?(\d+))?", str(spec)):
        out += [int(a), int(b or a)]
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_cited_source_line_exists(sample):
    manifest = YAML(typ="safe").load((sample / "bundle.yaml").read_text(encoding="utf-8"))
    cited = 0
    for item in manifest["items"]:
        source = item.get("source") or {}
        if item.get("synthetic") or "file" not in source:
            continue
        files = [f.strip() for f in source["file"].split(";")]
        lengths = {}
        for f in files:
            assert (REPO / f).is_file(), f"{item['id']}: {f} is not in the repository"
            lengths[Path(f).name[:3]] = len((REPO / f).read_text(encoding="utf-8").splitlines())
        if "lines" not in source:  # cited fact by fact in the evidence file's comments
            assert "comments" in source.get("note", ""), f"{item['id']}: no lines cited"
            continue
        # "423-430" for one file; "000 L3-L5, L306; 001 L65" when several are cited
        for part in str(source["lines"]).split(";"):
            prefix, _, rest = part.strip().partition(" ")
            if len(files) > 1:
                length, spec = lengths[prefix], rest
            else:
                length, spec = next(iter(lengths.values())), part
            lines = _lines(spec)
            assert lines and all(1 <= n <= length for n in lines), (item["id"], part, length)
        cited += 1
    assert cited >= 5


def test_every_source_named_anywhere_ships_with_the_repository():
    texts = [p for root in ("samples", "duties", "src", "docs")
             for p in (REPO / root).rglob("*") if p.suffix in (".yaml", ".md", ".py", ".csv")]
    named = {m for p in texts for m in CITATION.findall(p.read_text(encoding="utf-8"))}
    assert named, "no citations found"
    missing = sorted(n for n in named if not (REPO / n).is_file())
    assert missing == []
