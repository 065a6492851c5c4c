"""The organisation's logo, checked by content: PNG, JPEG or a sanitised SVG, at most 2 MB.

The logo is embedded in every HTML report (and so in the PDF) as a ``data:`` URI and placed in
the Word document, so it must be an image and nothing else: the type is read from the bytes,
never from the file name, and an SVG is parsed without entities or network and rebuilt
without scripts, event attributes, ``foreignObject``, animations or references to anything
outside itself (a ``data:`` PNG, JPEG or GIF image excepted).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from gnvtools.errors import InputError
from gnvtools.publish.confine import read_regular

MAX_LOGO_BYTES = 2_000_000
MAX_SVG_ELEMENTS = 20_000

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Elements that run code, embed other documents or change attributes (e.g. an href) later.
_DROPPED_ELEMENTS = {
    "script": "skript",
    "foreignObject": "foreignObject",
    "iframe": "inbäddat dokument",
    "embed": "inbäddat dokument",
    "object": "inbäddat dokument",
    "set": "animering",
    "animate": "animering",
    "animateMotion": "animering",
    "animateTransform": "animering",
    "animateColor": "animering",
    "handler": "skript",
    "listener": "skript",
}
_LOCAL_OR_DATA = re.compile(r"\s*(#|data:image/(png|jpeg|gif);base64,)", re.IGNORECASE)
# url(...) or @import reaching anything but a local fragment or an embedded image
_EXTERNAL_CSS = re.compile(
    r"@import|url\(\s*['\"]?\s*(?!#|data:image/(png|jpeg|gif);base64,)", re.IGNORECASE
)


@dataclass(frozen=True)
class Logo:
    """A checked logo: its MIME type, the bytes to embed, and what sanitising removed."""

    mime: str
    data: bytes
    removed: tuple[str, ...] = field(default=())


def _png_ok(data: bytes) -> bool:
    """IHDR first, with a width and height above zero, and whole chunks up to IEND."""
    if len(data) < 33 or data[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    if not (width and height):
        return False
    position = 8
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if position > len(data):
            return False
        if kind == b"IEND":
            return True
    return False


def _jpeg_ok(data: bytes) -> bool:
    # a start-of-frame marker with the size, as Word and python-docx need it
    return re.search(rb"\xff[\xc0-\xc3\xc5-\xc7\xc9-\xcb\xcd-\xcf]", data[2:]) is not None


def _word_reads(data: bytes) -> bool:
    """True when python-docx (and so Word output) can read the picture's size and type."""
    from docx.image.image import Image

    try:
        image = Image.from_blob(data)
        return bool(image.px_width > 0 and image.px_height > 0)
    except Exception:  # python-docx raises several kinds (and bare Exception) for bad bytes
        return False


def sniff(data: bytes) -> str | None:
    """The image type by the file's first bytes: ``png``, ``jpeg``, ``svg`` or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:65536]:
        return "svg"
    return None


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1] if text.startswith("{") else text


def sanitise_svg(data: bytes, path: Path | None = None) -> tuple[bytes, tuple[str, ...]]:
    """An SVG rebuilt without active or external content; returns the bytes and, in Swedish,
    what was removed (each kind once). ``InputError`` when the file is not well-formed SVG."""
    from lxml import etree  # type: ignore[import-untyped]  # python-docx depends on lxml

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"SVG-filen är inte giltig XML ({exc.msg})", file=path) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise InputError("filen är ingen SVG-bild (rotelementet är inte <svg>)", file=path)
    removed: dict[str, None] = {}
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        raise InputError(f"SVG-bilden har fler än {MAX_SVG_ELEMENTS} element", file=path)
    for element in elements:
        if isinstance(element, etree._Entity):
            raise InputError("SVG-filen använder XML-entiteter; spara den utan DTD", file=path)
        if not isinstance(element.tag, str):  # comments
            continue
        name = _local(element.tag)
        parent = element.getparent()
        if name in _DROPPED_ELEMENTS or (
            name == "style" and _EXTERNAL_CSS.search(element.text or "")
        ):
            removed[_DROPPED_ELEMENTS.get(name, "extern stilmall")] = None
            if parent is not None:
                parent.remove(element)
            continue
        for attribute, value in list(element.attrib.items()):
            local = _local(attribute).lower()
            if local.startswith("on"):
                removed["händelseattribut (on…)"] = None
                del element.attrib[attribute]
            elif local == "href" and not _LOCAL_OR_DATA.match(value):
                removed["länk utanför bilden (href)"] = None
                del element.attrib[attribute]
            elif _EXTERNAL_CSS.search(value):
                removed["extern resurs i ett attribut (url)"] = None
                del element.attrib[attribute]
    clean = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return clean, tuple(removed)


def check_logo(data: bytes, path: Path | None = None, *, for_word: bool = False) -> Logo:
    """The logo's bytes checked by content (``InputError`` when they are not PNG, JPEG or SVG).

    ``for_word``: also read a PNG or JPEG the way the Word renderer will (python-docx), which
    costs its import; ``gnv.yaml`` is checked without it, each rendered report with it.
    """
    kind = sniff(data)
    if kind == "svg":
        clean, removed = sanitise_svg(data, path)
        return Logo("image/svg+xml", clean, removed)
    if kind in ("png", "jpeg"):
        whole = _png_ok(data) if kind == "png" else _jpeg_ok(data)
        if whole and (not for_word or _word_reads(data)):
            return Logo(f"image/{kind}", data)
        raise InputError(f"bilden är skadad (inte en läsbar {kind.upper()}-fil)", file=path)
    raise InputError("filen är ingen bild (PNG, JPEG eller SVG enligt innehållet)", file=path)


def read_logo(path: Path, *, for_word: bool = False) -> Logo:
    """The logo file read (a regular file of at most 2 MB) and checked by content."""
    return check_logo(read_regular(path, MAX_LOGO_BYTES), path, for_word=for_word)
