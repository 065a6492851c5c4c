"""nbconvert's HTML exporter without its re-serialising pass.

``HTMLExporter.from_notebook_node`` renders the template, then parses the whole page with
BeautifulSoup to give an ``<img>`` without ``alt`` a placeholder text and to make JupyterLab's
``jp-`` cells focusable, and writes the page out again. For a report that pass was three
quarters of the HTML export's processor time (a chart is a data URL of 100–200 kB) and changed
nothing a reader or a browser sees: every report image has its alt text, and the memo template
(based on ``classic``) has no ``jp-`` cells. ``MemoHTMLExporter`` renders the template as
nbconvert does and runs that pass only when an image lacks its alt text (a notebook's own
output), with a Swedish placeholder; the page is then the same elements, attributes and text as
nbconvert's (tested), written as the template wrote it rather than re-serialised.
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

NO_ALT = "Bilden saknar beskrivning"  # an image a notebook shows without alt text
_VALUE = r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_ATTRIBUTE = re.compile(r"""\s+([^\s"'>/=]+)""" + _VALUE)
_IMAGE = re.compile(r"""<img((?:\s+[^\s"'>/=]+""" + _VALUE + r")*)\s*/?>", re.IGNORECASE)
_IMAGE_START = re.compile(r"<img\b", re.IGNORECASE)


class MemoHTMLExporter(HTMLExporter):
    """``HTMLExporter`` whose page is the template's own text (see the module)."""

    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        # As HTMLExporter.from_notebook_node (nbconvert 7), up to its BeautifulSoup pass.
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code",
            Highlight2HTML(pygments_lexer=lexer, parent=self),  # type: ignore[no-untyped-call]
        )
        resources = self._init_resources(resources)  # type: ignore[no-untyped-call]
        filter_data_type = WidgetsDataTypeFilter(  # type: ignore[no-untyped-call]
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)  # type: ignore[no-untyped-call]
        self.register_filter("filter_data_type", filter_data_type)  # type: ignore[no-untyped-call]
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if unlabelled_images(html):
            html = with_alt_texts(html)
        return html, resources


def unlabelled_images(html: str) -> bool:
    """Whether some ``<img`` of ``html`` is not a well-formed tag with an ``alt`` attribute
    (one that is not well-formed counts as unlabelled: the full pass then looks at it)."""
    labelled = 0
    for tag in _IMAGE.finditer(html):
        names = {name.lower() for name in _ATTRIBUTE.findall(tag.group(1))}
        labelled += "alt" in names
    return labelled < len(_IMAGE_START.findall(html))


def with_alt_texts(html: str) -> str:
    """``html`` with ``NO_ALT`` as the alt text of every image without one (nbconvert's pass)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, features="html.parser")
    for image in soup.select("img:not([alt])"):
        image.attrs["alt"] = NO_ALT
    return str(soup)
