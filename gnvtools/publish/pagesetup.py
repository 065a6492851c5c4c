"""The printed page around a report: A4 margins, the running header and the footer.

The header says what the document is (organisation, title, dnr and the document's own date),
read from the head the report printed (``reports.common.title_block``), so that no page carries
the day it was built; the footer numbers the pages "Sida x (y)".
"""

from __future__ import annotations

import datetime as dt
import html
import re

from gnvtools.core.formatting import swedish_date

MARGIN = {"top": "22mm", "bottom": "20mm", "left": "20mm", "right": "18mm"}

_HEAD = re.compile(r'<header class="memo-head"([^>]*)>')
_ABOUT = re.compile(r'\sdata-(organisation|title|date|date-text|dnr)="([^"]*)"')


def page_about(page_html: str) -> dict[str, str]:
    """What the report's head (``reports.common.title_block``) says the document is:
    ``organisation``, ``title``, ``date`` (ISO), ``date-text`` (as shown, with its mark) and
    ``dnr``, those it gives; empty for a page without that head."""
    head = _HEAD.search(page_html)
    if head is None:
        return {}
    return {key: html.unescape(value) for key, value in _ABOUT.findall(head.group(1))}


def running_header(page_html: str) -> str:
    """The page header of a report: "organisation · title · Dnr … · 26 augusti 2025", read from
    the head the report itself printed (``page_about``), so the date is the document's own (the
    memo's date in its parameter file) and never the day it was built; a document without a
    date of its own shows none. Empty when the page has no such head."""
    about = page_about(page_html)
    if not about:
        return ""
    parts = [about.get("organisation", ""), about.get("title", "")]
    if about.get("dnr"):
        parts.append(f"Dnr {about['dnr']}")
    if about.get("date-text"):
        parts.append(about["date-text"])
    elif about.get("date"):
        try:
            parts.append(swedish_date(dt.date.fromisoformat(about["date"])))
        except ValueError:
            parts.append(about["date"])
    # One line at the head of each page: a made-up dnr or date is marked, in a word.
    return " · ".join(part.replace(" (påhittat exempel)", " (påhittat)") for part in parts if part)


def header_template(title: str) -> str:
    """Chromium's header template: ``title`` (the running header) in small grey type."""
    return (
        '<div style="font-family: DejaVu Sans, Arial, sans-serif; font-size: 8px; color: #555;'
        f' width: 100%; padding: 0 18mm 0 20mm;">{html.escape(title)}</div>'
    )


FOOTER = (
    '<div style="font-family: DejaVu Sans, Arial, sans-serif; font-size: 8px; color: #555;'
    ' width: 100%; padding: 0 18mm 0 20mm; text-align: right;">'
    'Sida <span class="pageNumber"></span> (<span class="totalPages"></span>)</div>'
)


def warm_up_page() -> str:
    """A small page in the reports' own style sheet: headings, text, a table, a chart, printed
    once per page at launch (see ``PdfPrinter._run``)."""
    from importlib import resources

    css = resources.files("gnvtools").joinpath("templates/gnvmemo/memo.css").read_text("utf-8")
    svg = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4="
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>-</title>'
        f'<style>{css}</style></head><body><main class="memo"><h1>Å</h1><h2>Ä</h2><h3>Ö</h3>'
        "<p>å <b>ä</b> <i>ö</i></p><table><caption>é</caption><thead><tr><th>a</th>"
        '<th class="num">1</th></tr></thead><tbody><tr><td>b</td><td class="num">2</td></tr>'
        "</tbody></table>"
        f'<figure class="chart"><img alt="" src="data:image/svg+xml;base64,{svg}">'
        "<figcaption>c</figcaption></figure></main></body></html>"
    )
