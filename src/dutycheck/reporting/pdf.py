"""PDF rendered from the HTML paper with WeasyPrint (``pip install 'dutycheck[pdf]'``):
page numbers, a contents list with page numbers, and the report's hash in every footer."""

from __future__ import annotations

from typing import Any

from ..errors import UsageError


def _no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"dutycheck reports load nothing from outside the file (asked for {url})")


def render(report: dict[str, Any]) -> bytes:
    try:
        from weasyprint import HTML
    except ImportError:
        raise UsageError("the pdf format needs WeasyPrint: pip install 'dutycheck[pdf]'") \
            from None
    from .html import render as render_html

    document = HTML(string=render_html(report), url_fetcher=_no_network, base_url=None)
    return document.write_pdf(pdf_identifier=report["sha256"][:32].encode("ascii"))
