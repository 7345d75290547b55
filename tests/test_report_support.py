"""Shared helpers for the report, HTML, waiver and verify tests (no tests of its own).

The tests use a copy of the sample's complaint-review evidence (the area issue 2 landed)
in a temporary bundle, so they do not depend on other areas' evidence or plugins, and
build reports through the same ``assess`` pipeline the CLI uses.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from dutycheck import report as reportlib
from dutycheck.assess import Options, assess
from dutycheck.host import make_host

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "kent-2024-25"
AS_OF = dt.date(2025, 11, 1)
EARLIER = dt.date(2025, 7, 1)

WAIVERS = """\
waivers:
  - id: W-1
    target: complaints.review-quality-assurance/annual-audit
    reason: First annual audit is scheduled for next year.
    approved_by: OPCC Chief Executive
    approved_on: 2025-06-01
    expires: 2026-03-31
  - id: W-2
    target: complaints.misdirected-forwarding
    reason: Case system migration.
    approved_by: OPCC Chief Executive
    approved_on: 2024-05-01
    expires: 2025-04-30
"""

ACTIONS = """\
actions:
  - id: A-1
    target: complaints.acknowledgement/acknowledged-within-target
    response: Acknowledge every application within five working days.
    owner: OPCC Head of Complaints
    due: 2025-12-31
    status: in-progress
  - id: A-2
    target: complaints.recommendations/upheld-with-recommendation
    response: Record a recommendation on every upheld review.
    owner: OPCC Head of Governance
    due: 2025-09-30
    status: open
"""


def complaints_host():
    import dutycheck.plugins.complaints as complaints

    return make_host(entry_points=False, plugins=[complaints])


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    return y


def make_bundle(folder: Path, *, waivers: str | None = WAIVERS,
                actions: str | None = ACTIONS, organisation: str | None = None,
                item_edit=None) -> Path:
    """A bundle with the sample's complaint evidence only (plus waivers and actions)."""
    folder.mkdir(parents=True, exist_ok=True)
    y = _yaml()
    manifest = y.load((SAMPLE / "bundle.yaml").read_text(encoding="utf-8"))
    manifest["items"] = [i for i in manifest["items"] if str(i["kind"]).startswith("complaint_")]
    if organisation:
        manifest["organisation"] = organisation
    for item in manifest["items"]:
        shutil.copy2(SAMPLE / item["file"], folder / item["file"])
        if item_edit:
            item_edit(item)
    buf = io.StringIO()
    y.dump(manifest, buf)
    (folder / "bundle.yaml").write_text(buf.getvalue(), encoding="utf-8")
    if waivers is not None:
        (folder / "waivers.yaml").write_text(waivers, encoding="utf-8")
    if actions is not None:
        (folder / "actions.yaml").write_text(actions, encoding="utf-8")
    return folder


def build(bundle: Path, as_of: dt.date = AS_OF, audience: str = "jac",
          baseline: Path | None = None, duties: tuple[Path, ...] = ()) -> dict:
    return assess(complaints_host(), Options(bundle=bundle, as_of=as_of, audience=audience,
                                             baseline=baseline, duty_dirs=duties))


def write_report(doc: dict, path: Path) -> Path:
    path.write_text(reportlib.canonical(doc), encoding="utf-8")
    return path


def reseal(doc: dict) -> dict:
    """A forged-but-consistent report: edited, then sealed again."""
    doc = json.loads(json.dumps(doc))
    return reportlib.normalised(reportlib.seal(doc))


@pytest.fixture
def bundle(tmp_path) -> Path:
    return make_bundle(tmp_path / "kent")
