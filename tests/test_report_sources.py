"""The Joint Audit Committee paper lets a reader follow each evidence file to the published
document and lines its figures came from, beside its SHA-256."""

from __future__ import annotations

from conftest import AS_OF, SAMPLE, run_cli


def test_jac_papers_name_each_inputs_source_document_and_lines(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "never", "--format",
                     "markdown", "--format", "html", "--output", out)
    assert result.code == 0, result.err
    md = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    row = ('| complaint-review-return.yaml | Kent PCC Annual Report 2024/25, "Police Complaint '
           'Reviews" (samples/sources/000_fd78121912d858c7.txt, lines 423-430) |')
    assert row in md
    assert ("Kent PCC Annual Report 2024/25, &#34;Police Complaint Reviews&#34; "
            "(samples/sources/000_fd78121912d858c7.txt, lines 423-430)") in html
