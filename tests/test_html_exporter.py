"""The HTML page is nbconvert's, without its re-serialising pass (``publish.html_exporter``)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbconvert import HTMLExporter

from gnvtools.publish.exporting import _html_exporter, _shown_types, for_html
from gnvtools.publish.html_exporter import NO_ALT, unlabelled_images, with_alt_texts
from gnvtools.publish.style import Style

from .conftest import EXAMPLES


class _Events(HTMLParser):
    """A page as what a browser builds from it: elements with their attributes (in any order)
    and text, entities resolved; white space between elements left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.events.append(("text", data))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data))


def _events(page: str) -> list[tuple[Any, ...]]:
    parser = _Events()
    parser.feed(page)
    parser.close()
    return parser.events


def _resources() -> dict[str, str]:
    style = Style()
    return {"gnv_css": style.css(), "gnv_title": "Prov", "gnv_logo": style.logo_html()}


def _nbconverts_own(notebook: Any) -> str:
    """The page nbconvert's own ``HTMLExporter.from_notebook_node`` makes with the same exporter
    (options, template, preprocessors)."""
    body, _ = HTMLExporter.from_notebook_node(_html_exporter(), notebook, resources=_resources())
    return str(body)


@pytest.mark.parametrize(("report", "params"), EXAMPLES)
def test_every_example_page_has_nbconverts_elements_attributes_and_text(
    rendered: dict[tuple[str, str], Path], report: str, params: str
) -> None:
    executed = nbformat.read(rendered[(report, params)] / f"{report}.ipynb", as_version=4)
    notebook = for_html(executed, _shown_types(_html_exporter()))
    ours, _ = _html_exporter().from_notebook_node(notebook, resources=_resources())
    theirs = _nbconverts_own(notebook)
    assert ours != theirs  # nbconvert's page is re-serialised (attributes sorted, <meta … />)
    assert _events(ours) == _events(theirs)
    assert not unlabelled_images(ours)


def test_an_image_without_alt_text_gets_one_as_nbconvert_gives_it() -> None:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("bild")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": '<p>Före</p><img src="data:image/png;base64,AA==">'}
        )
    ]
    notebook.cells.append(cell)
    ours, _ = _html_exporter().from_notebook_node(notebook, resources=_resources())
    assert f'alt="{NO_ALT}"' in ours
    theirs = _nbconverts_own(notebook)
    # the same page, but for the placeholder's language
    english = "No description has been provided for this image"
    assert _events(ours) == _events(theirs.replace(english, NO_ALT))


@pytest.mark.parametrize(
    ("markup", "unlabelled"),
    [
        ("<p>ingen bild</p>", False),
        ('<img alt="a > b" src="data:x">', False),
        ('<IMG ALT=x SRC="y">', False),
        ('<img src=x alt=""/>', False),
        ('<img\nsrc="x"\nalt="y"\n>', False),
        ("<img alt>", False),  # an alt attribute, empty: as nbconvert's img:not([alt])
        ('<img src="x">', True),
        ('<img data-alt="x">', True),
        ('<img title=" alt=" src=x>', True),
        ('<img src="x" alt="y"><img src=z>', True),
        ('<img src="x" alt="y" <b>', False),  # "<b" is an attribute name, as a browser reads it
        ('<p>x</p><img src="x" alt="y', True),  # not a tag that ends: the full pass decides
    ],
)
def test_which_pages_need_the_alt_text_pass(markup: str, unlabelled: bool) -> None:
    assert unlabelled_images(markup) is unlabelled
    if unlabelled and markup.endswith(">"):
        assert not unlabelled_images(with_alt_texts(markup))
