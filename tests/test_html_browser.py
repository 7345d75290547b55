"""The HTML papers in a real headless Chromium (Debian's `chromium` package driven by
Playwright; no browser is downloaded): no console errors, no network requests, every
area present, ratings readable with CSS disabled, an axe-core scan with no serious or
critical violations, and a screenshot kept as a test artefact.

CI installs chromium (.ci/run); the tests skip, saying why, only where it is absent.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_report_support import (
    AS_OF,
    EARLIER,
    ROOT,
    build,
    complaints_host,
    make_bundle,
    write_report,
)

from dutycheck.reporting import html

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(os.environ.get("DUTYCHECK_TEST_ARTEFACTS", ROOT / "build" / "test-artefacts"))

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                       "(apt-get install chromium; .ci/run does this in CI)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed "
                                          "(pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    root = tmp_path_factory.mktemp("papers")
    bundle = make_bundle(root / "kent")
    prev = write_report(build(bundle, EARLIER), root / "prev.json")
    out = {}
    for audience in ("panel", "jac"):
        doc = build(bundle, audience=audience, baseline=prev)
        path = root / f"{audience}.html"
        path.write_text(html.render(doc), encoding="utf-8")
        out[audience] = (doc, path)
    # The JAC paper with a threshold overridden by a run configuration.
    from test_report_overrides import CONFIG

    from dutycheck.assess import Options, assess

    cfg = root / "kent-config.yaml"
    cfg.write_text(CONFIG, encoding="utf-8")
    doc = assess(complaints_host(), Options(bundle=bundle, as_of=AS_OF, config=cfg))
    path = root / "override.html"
    path.write_text(html.render(doc), encoding="utf-8")
    out["override"] = (doc, path)
    # The whole sample bundle, through the command line, with every installed plugin.
    from conftest import SAMPLE, run_cli

    for audience in ("panel", "jac"):
        folder = root / f"sample-{audience}"
        result = run_cli("run", SAMPLE, "--as-of", "2025-11-01", "--audience", audience,
                         "--fail-on", "never", "--format", "json", "--format", "html",
                         "--output", folder)
        assert result.code == 0, result.err
        doc = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        out[f"sample-{audience}"] = (doc, folder / "report.html")
    return out


PAPERS = ["panel", "jac", "override", "sample-panel", "sample-jac"]


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    events = {"console": [], "requests": [], "errors": []}
    page.on("console", lambda m: events["console"].append(m) if m.type == "error" else None)
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, events


@pytest.mark.parametrize("audience", PAPERS)
def test_paper_loads_with_no_console_errors_and_no_network(browser, papers, audience):
    doc, path = papers[audience]
    page, events = _open(browser, path)
    try:
        assert [m.text for m in events["console"]] == []
        assert events["errors"] == []
        assert events["requests"] == [path.as_uri()]
        for area in doc["areas"]:
            heading = page.locator(f"#area-{area['id']}-heading")
            assert heading.is_visible(), area["id"]
            assert heading.inner_text() == area["title"]
        # every duty is shown: in full when it fell due, as a row of its area's compact
        # Not due table otherwise
        due = [d for d in doc["duties"] if d["rating"] != "Not due"]
        assert page.locator("article.duty").count() == len(due)
        assert page.locator(".not-due tbody tr").count() == len(doc["duties"]) - len(due)
    finally:
        page.close()


@pytest.mark.parametrize("audience", PAPERS)
def test_ratings_are_readable_with_css_disabled(browser, papers, audience):
    doc, path = papers[audience]
    page, _ = _open(browser, path)
    try:
        page.evaluate("document.querySelectorAll('style').forEach(s => s.remove())")
        assert page.evaluate("document.styleSheets.length") == 0
        for duty in doc["duties"]:
            anchor = "duty-" + duty["id"].replace(".", "-")
            if duty["rating"] == "Not due":
                table = page.locator("table", has=page.locator(f"#{anchor}"))
                assert "Not due" in table.locator("caption").inner_text(), duty["id"]
                continue
            status = page.locator(f"#{anchor} p.status").inner_text()
            assert duty["rating"] in status, (duty["id"], status)
        summary = page.locator("#counts").inner_text()
        for rating in ("Red", "Amber", "Green", "Not evidenced"):
            assert rating in summary
    finally:
        page.close()


@pytest.mark.parametrize("audience", PAPERS)
def test_axe_finds_no_serious_or_critical_violations(browser, papers, audience):
    axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright",
                                  reason="axe-playwright-python is not installed")
    _, path = papers[audience]
    page, _ = _open(browser, path)
    try:
        results = axe_mod.Axe().run(page, options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                  "wcag22aa", "best-practice"]},
            "resultTypes": ["violations"]})
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — "
               + "; ".join(n["target"][0] for n in v["nodes"][:3])
               for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
        assert bad == []
    finally:
        page.close()


def test_an_overridden_threshold_is_marked_where_it_is_read(browser, papers):
    """A committee member reading the requirement sees that the threshold was changed
    locally and what the catalogue had, and the marker leads to the override's basis and
    reason; with CSS disabled too."""
    _, path = papers["override"]
    page, _ = _open(browser, path)
    try:
        summary = page.locator("#summary").inner_text()
        assert "1 requirement has a threshold set by the local run configuration" in summary
        cell = page.locator("#override-1-ref")
        assert cell.is_visible()
        text = " ".join(cell.inner_text().split())
        assert text.startswith("Overridden by the run configuration. The catalogue's "
                               "threshold (inference) was green: at least 95;")
        assert "target_working_days = 5 working days" in text
        row = page.locator("tr", has=cell)
        assert "green: at least 90" in row.inner_text()
        cell.get_by_role("link", name="Override note 1").click()
        assert page.evaluate("location.hash") == "#override-1"
        note = page.locator("#override-1")
        assert note.is_visible()
        for words in ("Local practice", "Inference (no published standard found)",
                      "The service standard agreed with the Panel is 90% within the target."):
            assert words in note.inner_text()
        page.evaluate("document.querySelectorAll('style').forEach(s => s.remove())")
        assert "Overridden by the run configuration." in cell.inner_text()
    finally:
        page.close()


#: The README's screenshot of the sample Panel paper, and what it shows (the sidecar).
DOCS_SHOT = ROOT / "docs" / "panel-report-first-page.png"
DOCS_SIDECAR = ROOT / "docs" / "panel-report-first-page.json"
REGENERATE = ("DUTYCHECK_UPDATE_SCREENSHOT=1 python -m pytest tests/test_html_browser.py "
              "-k screenshot -p no:cacheprovider")


def _first_page(doc: dict) -> dict:
    """What the first page of the Panel paper shows: its header, contents, opinion and the
    counts; if any of it changes, the README's screenshot no longer shows the sample."""
    from dutycheck.reporting.view import coverage_text

    return {"organisation": doc["organisation"], "period": doc["period"],
            "as_of": doc["as_of"], "areas": [a["title"] for a in doc["areas"]],
            "opinion": doc["opinion"]["level"], "opinion_reasons": doc["opinion"]["reasons"],
            "coverage": coverage_text(doc), "duties_by_rating": doc["counts"]["duties"]}


def test_screenshot_of_the_panel_paper_is_kept(browser, papers):
    import hashlib

    doc, path = papers["sample-panel"]
    page, _ = _open(browser, path)
    try:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTEFACTS / "panel-first-page.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("DUTYCHECK_UPDATE_SCREENSHOT"):  # the README's image
            page.set_viewport_size({"width": 1000, "height": 1300})
            page.screenshot(path=str(DOCS_SHOT))
            record = {**_first_page(doc), "report_sha256": doc["sha256"],
                      "png_sha256": hashlib.sha256(DOCS_SHOT.read_bytes()).hexdigest(),
                      "regenerate": REGENERATE}
            DOCS_SIDECAR.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTEFACTS / "panel-first-page-print.png"))
    finally:
        page.close()


def test_readme_screenshot_shows_the_current_sample(papers):
    """docs/panel-report-first-page.png was taken from the sample as it rates today: its
    sidecar records what the page showed, and the image is the one recorded."""
    import hashlib

    doc, _ = papers["sample-panel"]
    recorded = json.loads(DOCS_SIDECAR.read_text(encoding="utf-8"))
    stale = f"docs/panel-report-first-page.png is stale; regenerate it with: {REGENERATE}"
    assert hashlib.sha256(DOCS_SHOT.read_bytes()).hexdigest() == recorded["png_sha256"], stale
    now = _first_page(doc)
    assert {k: recorded.get(k) for k in now} == now, stale


def test_sample_panel_paper_summarises_restricted_duties(browser, papers):
    """The sample marks Prevent duties restricted: the Panel paper gives their title and
    rating only; the JAC paper has their requirements."""
    panel, panel_path = papers["sample-panel"]
    _, jac_path = papers["sample-jac"]
    restricted = [d for d in panel["duties"] if d["audience"] == "restricted"]
    assert restricted
    for path, public in ((panel_path, True), (jac_path, False)):
        page, _ = _open(browser, path)
        try:
            for d in restricted:
                article = page.locator("#duty-" + d["id"].replace(".", "-"))
                said = "Restricted: detail is in the Joint Audit Committee paper."
                assert (said in article.inner_text()) is public, d["id"]
                assert (article.locator("table").count() == 0) is public, d["id"]
        finally:
            page.close()
