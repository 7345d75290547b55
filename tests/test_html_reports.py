"""HTML, Markdown, CSV and PDF papers: one source (the canonical JSON), audiences,
waivers, direction of travel, actions, escaping and byte-identical re-rendering."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from jsonschema import Draft202012Validator
from test_report_support import (
    AS_OF,
    EARLIER,
    ROOT,
    build,
    make_bundle,
    reseal,
    write_report,
)
from test_report_support import bundle as bundle  # noqa: F401  (fixture)

from dutycheck import report as reportlib
from dutycheck.errors import InvalidInput
from dutycheck.reporting import csvfmt, html, markdown

XSS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>',
       "javascript:alert(document.cookie)"]


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _errors(validator, doc):
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("audience", ["jac", "panel"])
def test_reports_with_waivers_actions_and_baseline_match_the_schema(bundle, tmp_path,
                                                                    validator, audience):
    prev = write_report(build(bundle, EARLIER), tmp_path / "prev.json")
    doc = build(bundle, AS_OF, audience, baseline=prev)
    assert _errors(validator, doc) == []
    assert doc["travel"] is not None and doc["waivers"] and doc["actions"]


def test_html_is_one_self_contained_file(bundle):
    page = html.render(build(bundle))
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in page
    assert "<script" not in page
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"\bsrc\s*=", page)
    assert "url(" not in page.split("</style>")[0]


def test_same_inputs_and_as_of_give_byte_identical_json_markdown_and_html(bundle, tmp_path):
    prev = write_report(build(bundle, EARLIER), tmp_path / "prev.json")
    first, second = build(bundle, baseline=prev), build(bundle, baseline=prev)
    assert reportlib.canonical(first) == reportlib.canonical(second)
    assert markdown.render(first) == markdown.render(second)
    assert html.render(first) == html.render(second)
    assert csvfmt.render(first) == csvfmt.render(second)


def test_rendering_from_the_sealed_json_file_gives_the_same_bytes(bundle, tmp_path):
    doc = build(bundle)
    path = write_report(doc, tmp_path / "report.json")
    from dutycheck.verify import read_sealed

    again = read_sealed(path)
    assert html.render(again) == html.render(doc)
    assert markdown.render(again) == markdown.render(doc)


def test_summary_has_opinion_counts_and_every_area_and_duty(bundle):
    doc = build(bundle)
    page = html.render(doc)
    assert doc["opinion"]["level"] in page
    for area in doc["areas"]:
        assert f'id="area-{area["id"]}"' in page
    for duty in doc["duties"]:
        assert f'id="duty-{duty["id"].replace(".", "-")}"' in page
    # ratings carry a text label, never colour alone
    for rating in ("Green", "Amber", "Not evidenced"):
        assert f'<span class="label">{rating}</span>' in page
    # the opinion rule is printed in the method section
    assert "any statutory duty is Red" in page


def test_waived_item_shows_underlying_rating_and_expired_waiver_is_listed(bundle):
    doc = build(bundle)
    waivers = {w["id"]: w for w in doc["waivers"]}
    assert waivers["W-1"]["status"] == "active"
    assert waivers["W-1"]["underlying_rating"] == "Not evidenced"
    assert waivers["W-2"]["status"] == "expired"
    duty = next(d for d in doc["duties"] if d["id"] == "complaints.review-quality-assurance")
    req = duty["requirements"][0]
    assert req["rating"] == "Not evidenced"  # the rating is not hidden
    assert req["waiver"] == {"id": "W-1", "status": "active", "expires": "2026-03-31"}
    assert duty["waived"] is True and duty["rating_after_waivers"] is None
    assert doc["counts"]["waivers"]["active"] == 1 and doc["counts"]["waivers"]["expired"] == 1
    # an expired waiver does not take a duty out of --fail-on
    expired = next(d for d in doc["duties"] if d["id"] == "complaints.misdirected-forwarding")
    assert "waived" not in expired
    page = html.render(doc)
    assert "Waiver W-2 (expired): it no longer applies" in page
    assert "1 active waiver and 1 expired waiver" in page


def test_fail_on_ignores_active_waivers_only(bundle):
    from dutycheck.cli import _tripped

    doc = build(bundle)
    tripped = _tripped(doc, "amber")
    assert "complaints.misdirected-forwarding" in tripped  # expired waiver: still counts
    waived = dict(WAIVER_ON_AMBER)
    make_bundle(bundle, waivers=waived["text"])
    doc = build(bundle)
    assert waived["duty"] not in _tripped(doc, "amber")


WAIVER_ON_AMBER = {"duty": "complaints.acknowledgement", "text": """\
waivers:
  - id: W-9
    target: complaints.acknowledgement
    reason: Accepted while the new register beds in.
    approved_by: OPCC Chief Executive
    approved_on: 2025-10-01
    expires: 2026-09-30
"""}


def test_actions_are_listed_with_overdue_and_carried_over(bundle, tmp_path):
    prev = write_report(build(bundle, EARLIER), tmp_path / "prev.json")
    # next cycle: A-2 dropped from actions.yaml without being closed
    make_bundle(bundle, actions="\n".join(
        line for line in ACTIONS_A1_ONLY.splitlines()) + "\n")
    doc = build(bundle, AS_OF, baseline=prev)
    acts = {a["id"]: a for a in doc["actions"]}
    assert acts["A-1"]["carried_over"] is True and acts["A-1"]["first_reported"] == "2025-07-01"
    assert acts["A-2"]["carried_over"] is True and "no update" in acts["A-2"]["note"]
    assert acts["A-2"]["overdue"] is True
    assert doc["counts"]["actions"] == {"open": 2, "overdue": 1, "carried_over": 2}
    page = html.render(doc)
    assert "carried over (first reported 1 July 2025)" in page
    assert "<strong>overdue</strong>" in page


ACTIONS_A1_ONLY = """\
actions:
  - id: A-1
    target: complaints.acknowledgement/acknowledged-within-target
    response: Acknowledge every application within five working days.
    owner: OPCC Head of Complaints
    due: 2025-12-31
    status: in-progress
"""


def _forged_previous(doc: dict) -> dict:
    """The previous report, as if timeliness had been 40 days (Amber) last time."""
    doc = json.loads(json.dumps(doc))
    duty = next(d for d in doc["duties"] if d["id"] == "complaints.review-timeliness")
    duty["rating"] = "Amber"
    req = next(r for r in duty["requirements"] if r["id"] == "mean-days-vs-peers")
    req["value"], req["rating"] = 40, "Amber"
    ack = next(d for d in doc["duties"] if d["id"] == "complaints.acknowledgement")
    ack["rating"] = "Green"
    return reseal(doc)


def test_direction_of_travel_against_direction_and_materiality(bundle, tmp_path):
    prev = write_report(_forged_previous(build(bundle, EARLIER)), tmp_path / "prev.json")
    doc = build(bundle, AS_OF, baseline=prev)
    travel = doc["travel"]
    assert travel["duties"]["improved"] == 1 and travel["duties"]["worsened"] == 1
    assert [c["change"] for c in travel["rating_changes"]] == ["worsened", "improved"]
    duty = next(d for d in doc["duties"] if d["id"] == "complaints.review-timeliness")
    assert duty["travel"] == {"previous_rating": "Amber", "change": "improved"}
    req = next(r for r in duty["requirements"] if r["id"] == "mean-days-vs-peers")
    t = req["travel"]
    assert (t["previous_value"], t["change"], t["direction"]) == (40, -10, "improving")
    page = html.render(doc)
    assert "1 duty worsened, 1 improved" in page
    assert "▲ improving: was 40 days, change −10" in page
    assert "worsened" in markdown.render(doc)


def test_baseline_from_another_organisation_is_refused(bundle, tmp_path):
    other = make_bundle(tmp_path / "other", organisation="Office of the Elsewhere PCC")
    prev = write_report(build(other, EARLIER), tmp_path / "prev.json")
    with pytest.raises(InvalidInput, match="same organisation"):
        build(bundle, AS_OF, baseline=prev)


def test_baseline_from_a_later_assessment_or_period_is_refused(bundle, tmp_path):
    later = write_report(build(bundle, dt_date(2025, 12, 1)), tmp_path / "later.json")
    with pytest.raises(InvalidInput, match="after this run's --as-of"):
        build(bundle, AS_OF, baseline=later)
    doc = json.loads(later.read_text())
    doc["as_of"] = "2025-06-01"
    doc["period"] = {"start": "2025-04-01", "end": "2026-03-31", "label": "2025/26"}
    moved = write_report(reseal(doc), tmp_path / "moved.json")
    with pytest.raises(InvalidInput, match="later than this run's period"):
        build(bundle, AS_OF, baseline=moved)


def test_edited_or_truncated_baseline_is_refused(bundle, tmp_path):
    path = write_report(build(bundle, EARLIER), tmp_path / "prev.json")
    text = path.read_text()
    path.write_text(text.replace('"rating": "Amber"', '"rating": "Green"', 1))
    with pytest.raises(InvalidInput, match="edited after it was sealed"):
        build(bundle, AS_OF, baseline=path)
    path.write_text(text[: len(text) // 2])
    with pytest.raises(InvalidInput, match="truncated"):
        build(bundle, AS_OF, baseline=path)


def dt_date(*a):
    import datetime as dt

    return dt.date(*a)


XSS_DUTY = """\
area:
  id: xsstest
  title: Area <script>alert("area")</script>
duties:
  - id: xsstest.public-duty
    title: 'Public "><img src=x onerror=alert(1)> duty'
    kind: statutory
    holder: PCC
    source:
      title: Act <script>alert(1)</script>
      url: "javascript:alert(document.cookie)"
      basis: statute
    cadence: annual
    requirements:
      - id: covered-by-nothing
        kind: check
        title: <script>alert("req")</script>
  - id: xsstest.restricted-duty
    title: A restricted duty
    kind: statutory
    holder: PCC
    audience: restricted
    source:
      title: Restricted source
      basis: statute
    cadence: annual
    requirements:
      - id: secret-detail
        kind: check
        title: Secret requirement detail
"""


def _hostile_bundle(bundle):
    def edit(item):
        item["title"] = XSS[0] + " title"
        item["source"]["document"] = XSS[1] + " document " + XSS[2]

    waivers = WAIVER_ON_AMBER["text"].replace(
        "reason: Accepted while the new register beds in.",
        f"reason: '{XSS[1]} Accepted while the new register beds in.'")
    return make_bundle(bundle, waivers=waivers, item_edit=edit)


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(page)
    return found


def _assert_inert(page: str) -> None:
    tags = _tags(page)
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object")]
    attrs = [(k, v or "") for _, a in tags for k, v in a]
    assert not [k for k, _ in attrs if k.startswith("on")]
    assert not [v for k, v in attrs if k == "href" and v.strip().lower().startswith(
        "javascript:")]
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("audience", ["jac", "panel"])
def test_hostile_strings_render_as_text(bundle, tmp_path, audience):
    duty_file = tmp_path / "xss.yaml"
    duty_file.write_text(XSS_DUTY, encoding="utf-8")
    doc = build(_hostile_bundle(bundle), audience=audience, duties=(duty_file,))
    page = html.render(doc)
    _assert_inert(page)
    assert "javascript:alert(document.cookie)" in page  # shown, not linked
    # hostile strings injected anywhere in the report dictionary stay text too
    doc = json.loads(json.dumps(doc))
    for duty in doc["duties"]:
        duty["reason"] = XSS[0] + XSS[1]
        for req in duty["requirements"]:
            req["reason"] = XSS[1]
            req["evidence"] = [{"item": "x", "kind": "k", "file": XSS[0], "document": XSS[0],
                                "sha256": "0" * 64, "effective_date": "2025-01-01"}]
    doc["organisation"] = XSS[0]
    _assert_inert(html.render(doc))


def test_panel_withholds_restricted_detail_and_evidence_paths(bundle, tmp_path):
    duty_file = tmp_path / "xss.yaml"
    duty_file.write_text(XSS_DUTY, encoding="utf-8")
    panel = build(bundle, audience="panel", duties=(duty_file,))
    jac = build(bundle, audience="jac", duties=(duty_file,))
    outputs = {"html": html.render(panel), "md": markdown.render(panel),
               "csv": csvfmt.render(panel)}
    for name, text in outputs.items():
        assert "Secret requirement detail" not in text, name
        assert "complaint-review-register.csv" not in text, name
        assert "complaint-review-return.yaml" not in text, name
    assert "Restricted: detail is in the Joint Audit Committee paper." in outputs["html"]
    assert "The Panel is asked to note this report." in outputs["html"]
    jac_html = html.render(jac)
    assert "Secret requirement detail" in jac_html
    assert "complaint-review-register.csv" in jac_html
    for item in jac["inputs"]["bundle"]["items"]:
        assert item["sha256"] in jac_html  # every input with its SHA-256
    assert "Plugins and versions" in jac_html and "Data quality" in jac_html


def test_csv_has_one_row_per_requirement_and_defuses_formulas(bundle):
    doc = build(bundle)
    doc["duties"][0]["requirements"][0]["title"] = "=HYPERLINK(\"http://x\")"
    rows = list(csv.reader(io.StringIO(csvfmt.render(doc))))
    assert rows[0] == csvfmt.COLUMNS
    assert len(rows) - 1 == sum(len(d["requirements"]) for d in doc["duties"])
    assert any(r[5].startswith("'=HYPERLINK") for r in rows[1:])


def test_pdf_is_rendered_from_the_html(bundle):
    pytest.importorskip("weasyprint", reason="the pdf format needs dutycheck[pdf]")
    from dutycheck.reporting import pdf

    data = pdf.render(build(bundle, audience="panel"))
    assert data.startswith(b"%PDF-")
    assert len(data) > 10_000


def test_pdf_pages_carry_page_numbers_contents_and_the_report_hash(bundle):
    weasyprint = pytest.importorskip("weasyprint", reason="the pdf format needs dutycheck[pdf]")
    doc = build(bundle, audience="panel")
    rendered = weasyprint.HTML(string=html.render(doc)).render()

    def texts(box, out):
        if hasattr(box, "text"):
            out.append(box.text)
        for child in getattr(box, "children", None) or []:
            texts(child, out)
        return out

    pages = [" ".join(texts(p._page_box, [])) for p in rendered.pages]
    assert len(pages) > 2
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
        assert f"Report SHA-256 {doc['sha256']}" in text
    assert re.search(r"Summary and assurance opinion[ .]+1\b", pages[0])  # contents with pages


# -- agenda-pack fitness (issue 8 audit) ------------------------------------------------

#: Each rating icon's own path, as WeasyPrint writes it in the PDF's drawing operators.
ICON_OPS = {"green": b"4.5 8.3 m\n6.8 10.6 l\n11.5 5.6 l",
            "amber": b"8 1.5 m\n15 14.5 l\n1 14.5 l",
            "red": b"5 5 m\n11 11 l\n11 5 m\n5 11 l",
            "not-evidenced": b"6 6.2 m\n",
            "not-assessed": b"4.5 8 m\n11.5 8 l",
            "not-due": b"8 4 m\n8 8.3 l\n10.8 10.1 l",
            "error": b"5 1 m\n11 1 l\n15 5 l"}


def _pdf_operators(data: bytes) -> bytes:
    import zlib

    out = b""
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out += zlib.decompress(m.group(1))
        except zlib.error:
            out += m.group(1)
    return out


def test_pdf_draws_each_badge_icon_so_ratings_differ_by_shape_not_only_colour(bundle):
    pytest.importorskip("weasyprint", reason="the pdf format needs dutycheck[pdf]")
    from dutycheck.reporting import pdf

    doc = build(bundle, audience="panel")
    page = html.render(doc)
    ops = _pdf_operators(pdf.render(doc))
    for slug, drawn in ICON_OPS.items():
        badges = page.count(f'class="rating rating-{slug}"')
        assert badges > 0, slug  # the counts table shows every rating
        assert ops.count(drawn) == badges, slug  # every badge draws its own icon
    assert "<use" not in page  # no reference to a symbol WeasyPrint cannot follow


LATER_DUTIES = """\
area:
  id: later
  title: Later duties
duties:
  - id: later.first-return
    title: A return is made
    kind: statutory
    holder: PCC
    source: {title: Some Act s.1, basis: statute}
    cadence: one-off
    due: 2026-06-30
    requirements:
      - {id: made, kind: check, title: The return is made}
  - id: later.second-return
    title: A return is made
    kind: statutory
    holder: PCC
    source: {title: Some Act s.2, basis: statute}
    cadence: one-off
    due: 2026-09-30
    requirements:
      - {id: made, kind: check, title: The return is made}
  - id: later.unchecked
    title: Something no check covers
    kind: statutory
    holder: PCC
    source: {title: Some Act s.3, basis: statute}
    cadence: annual
    requirements:
      - {id: covered-by-nothing, kind: check, title: Covered by nothing}
"""


def _with_later(bundle, tmp_path, audience="panel"):
    duty_file = tmp_path / "later.yaml"
    duty_file.write_text(LATER_DUTIES, encoding="utf-8")
    return build(bundle, audience=audience, duties=(duty_file,))


def test_not_due_duties_are_one_compact_table_after_the_exceptions(bundle, tmp_path):
    from dutycheck.reporting.view import DUTY_ORDER

    doc = _with_later(bundle, tmp_path)
    page = html.render(doc)
    later = page[page.index('id="area-later"'):]
    later = later[:later.index("</section>")]
    # the two Not due duties: rows of one table, not articles; the reason said once
    assert later.count("<article") == 1
    assert 'Not yet due: 2 duties' in later
    assert 'id="duty-later-first-return"' in later and 'id="duty-later-second-return"' in later
    assert later.count("The duty falls due on") == 2  # their reasons differ (dates)
    # within each area the exceptions come first, Green last
    for area in doc["areas"]:
        sec = page[page.index(f'id="area-{area["id"]}"'):]
        sec = sec[:sec.index("</section>")]
        shown = re.findall(r'<article class="duty duty-([a-z-]+)"', sec)
        order = [next(i for i, r in enumerate(DUTY_ORDER)
                      if r.lower().replace(" ", "-") == s) for s in shown]
        assert order == sorted(order), area["id"]
    md = markdown.render(doc).split("## Later duties")[1]
    assert "Not yet due: 2 duties" in md
    assert md.count("A return is made") == 2 and "### " not in md.split("Not yet due")[1]


def test_duplicate_titles_get_distinct_region_labels(bundle, tmp_path):
    doc = _with_later(bundle, tmp_path)
    doc = json.loads(json.dumps(doc))
    for d in doc["duties"]:  # two rated duties with one title, as the plan has
        if d["id"].startswith("later.") and d["rating"] == "Not due":
            d["rating"] = "Not assessed"
            d["requirements"] = [{**r, "rating": "Not assessed"} for r in d["requirements"]]
    labels = [v for t, a in _tags(html.render(doc)) for k, v in a if k == "aria-label"]
    assert len(labels) == len(set(labels))


def test_summary_lists_red_duties_as_key_findings(bundle):
    doc = json.loads(json.dumps(build(bundle, audience="panel")))
    duty = next(d for d in doc["duties"] if d["rating"] == "Amber")
    duty["rating"] = "Red"
    page = html.render(doc)
    summary = page[page.index('id="summary"'):page.index('id="areas"')]
    assert "Key findings: duties rated Red" in summary
    assert f'href="#duty-{duty["id"].replace(".", "-")}"' in summary
    assert "Key findings: duties rated Red" in markdown.render(doc)


def test_travel_counts_lost_evidence_apart_and_lists_only_the_worst_at_the_top(bundle,
                                                                              tmp_path):
    doc = build(bundle, EARLIER)
    doc = json.loads(json.dumps(doc))
    gone = [d for d in doc["duties"] if d["rating"] == "Not evidenced"][:2]
    for d in gone:  # rated last time; not evidenced now
        d["rating"] = "Green"
    prev = write_report(reseal(doc), tmp_path / "prev.json")
    now = build(bundle, AS_OF, baseline=prev)
    page = html.render(now)
    summary = page[page.index('id="summary"'):page.index('id="areas"')]
    assert "2 lost evidence (rated before, not evidenced now)" in summary
    assert "changed between other states" not in summary
    top = summary[summary.index("worsened or lost their evidence"):]
    top = top[:top.index("</table>")]
    assert top.count("<tr>") == 1 + len(gone) + now["travel"]["duties"]["worsened"]
    for d in gone:
        assert d["title"] in top
    assert "2 lost evidence" in markdown.render(now)


def test_panel_paper_speaks_plainly_and_the_jac_paper_keeps_the_audit_detail(bundle):
    from markupsafe import escape

    jac = json.loads(json.dumps(build(bundle)))
    panel = json.loads(json.dumps(build(bundle, audience="panel")))
    for doc in (jac, panel):
        d = next(d for d in doc["duties"] if d["requirements"])
        d["requirements"][0]["reason"] += " Source: 000 L1154."
        d["source"]["title"] += " (Kent annual report, seed 003 L1998)"
    jac_page, panel_page = html.render(jac), html.render(panel)
    assert "Source: 000 L1154." in jac_page and "seed 003 L1998" in jac_page
    assert "000 L1154" not in panel_page and "seed 003" not in panel_page
    assert "(Kent annual report)" in panel_page
    # no machine ids: duty ids, waiver and action targets are titles in the Panel paper
    ids = {d["id"] for d in panel["duties"]}
    codes = set(re.findall(r"<code[^>]*>([^<]*)</code>", panel_page))
    assert not {c.split("/")[0] for c in codes} & ids
    assert re.search(r"<code>complaints\.", jac_page)
    waiver = next(w for w in panel["waivers"] if "/" in w["target"])
    duty_id, _, req_id = waiver["target"].partition("/")
    duty = next(d for d in panel["duties"] if d["id"] == duty_id)
    req = next(r for r in duty["requirements"] if r["id"] == req_id)
    assert str(escape(f"{duty['title']}: {req['title']}")) in panel_page
    # an inferred threshold is said plainly, never "(inference)"
    assert "(inference)" not in panel_page and "(no published standard)" in panel_page
    assert "(inference)" in jac_page
    # each reason is printed once (the duty's own reason repeats its first driving one)
    plain = build(bundle, audience="panel")
    plain_page = html.render(plain)
    for d in plain["duties"]:
        for r in d["requirements"]:
            assert plain_page.count(str(escape(r["reason"][1:]))) == 1, r["ref"]


def test_a_comparator_with_no_evidence_is_named_in_words_for_the_panel():
    from dutycheck.reporting.text import threshold_text

    req = {"threshold": {"bands": {
        "green": "below sv_outcome_measures.knife_crime.baseline.value",
        "red": "above sv_outcome_measures.knife_crime.baseline.value + 10%"}}}
    assert threshold_text(req, plain=True) == ("green: below the baseline value; "
                                               "red: above the baseline value + 10%")
    assert "sv_outcome_measures.knife_crime.baseline.value + 10%" in threshold_text(req)


def test_strip_source_notes_leaves_the_sentence_readable():
    from dutycheck.reporting.view import strip_source_notes

    cases = {
        "change on the previous year as published. Source: 000 L1165.":
            "change on the previous year as published.",
        "narrative only (Kent PCC Annual Report, The SPR (000 L1092-L1098)). Gap: none.":
            "narrative only (Kent PCC Annual Report, The SPR). Gap: none.",
        "ICV issues log (SYNTHETIC; three issues as described at seed 000 lines 837-842)":
            "ICV issues log (SYNTHETIC)",
        "oversight of internal audit (Kent internal auditor RSM UK, seed 001 line 287)":
            "oversight of internal audit (Kent internal auditor RSM UK)",
        "255 reviews in 2024/25 (seed 20250331)": "255 reviews in 2024/25 (seed 20250331)",
    }
    for text, plain in cases.items():
        assert strip_source_notes(text) == plain


def test_jac_audit_trail_gives_each_hash_a_whole_line(bundle):
    weasyprint = pytest.importorskip("weasyprint", reason="the pdf format needs dutycheck[pdf]")
    doc = build(bundle)
    page = html.render(doc)
    for item in doc["inputs"]["bundle"]["items"]:
        assert f'<tr class="hash-row"><td colspan="4">SHA-256 <code class="hash">' \
               f'{item["sha256"]}</code>' in page
    rendered = weasyprint.HTML(string=page).render()
    lines = []

    def texts(box):
        if hasattr(box, "text"):
            lines.append(box.text)
        for child in getattr(box, "children", None) or []:
            texts(child)

    for p in rendered.pages:
        texts(p._page_box)
    for f in doc["inputs"]["duty_files"] + doc["inputs"]["bundle"]["items"]:
        assert f["sha256"] in lines, f["file"]  # one unbroken line of text in the PDF


def test_area_table_counts_the_duties_the_opinion_counts(bundle, tmp_path):
    from dutycheck.reporting import view

    doc = _with_later(bundle, tmp_path)
    for area in view.build(doc)["areas"]:
        said = re.findall(r"of (\d+) dut", "; ".join(area["a"]["opinion_reasons"]))
        assert {int(n) for n in said} <= {area["due"]}, area["a"]["id"]
    page = html.render(doc)
    assert "<th scope=\"col\" class=\"num\">Duties due</th>" in page
