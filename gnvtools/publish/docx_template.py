"""The organisation's Word template, opened safely and cleaned before any report is built on it.

A template is a zip of XML parts from someone else. Passed on as it is, it would carry into
every produced ``.docx`` whatever it holds: a remote ``attachedTemplate`` (Word fetches it when
the document opens: remote-template injection), images and links in headers that load from the
network, and macros (``vbaProject.bin``). So the template is

- read as a regular file of at most 10 MB, its zip bounded (entries, total size, ratio per
  entry; a zip whose entries lie about their size is refused, never inflated without limit);
- cleaned: every relationship with ``TargetMode="External"``, every ``attachedTemplate``, the
  macro parts (VBA project and data, ActiveX controls, macro key bindings) and their content
  types are removed, with the elements that referred to them (the picture of an external image,
  the attached template in the settings); field codes that pull content in from outside
  (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDE``) are dropped; a macro-enabled or
  template main part becomes a plain document;
- and what was removed is said in Swedish (``describe``) so the user is told once.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gnvtools.errors import InputError, visible
from gnvtools.publish.confine import megabytes, read_regular

MAX_TEMPLATE_BYTES = 10_000_000
MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED = 100_000_000
MAX_RATIO = 100  # uncompressed / compressed, for entries above RATIO_FROM bytes
RATIO_FROM = 1_000_000
SUFFIXES = (".docx", ".dotx")

_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MS_REL = "http://schemas.microsoft.com/office/2006/relationships/"

_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAINS = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_MACRO_MAINS = _OTHER_MAINS[1:]  # content types are compared in lower case
_MACRO_TYPES = (
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-word.vbadata+xml",
    "application/vnd.ms-word.keymapcustomizations+xml",
    "application/vnd.ms-office.activex+xml",
    "application/vnd.ms-office.activex",
)
_MACRO_RELS = {
    _MS_REL + "vbaProject": "makron (vbaProject.bin)",
    _MS_REL + "wordVbaData": "makron (vbaProject.bin)",
    _MS_REL + "keyMapCustomizations": "kortkommandon kopplade till makron",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/control": (
        "ActiveX-kontroller"
    ),
}
# Elements that only exist for what they refer to: removed whole with a removed relationship.
_WHOLE = {
    f"{{{_W}}}drawing",
    f"{{{_W}}}pict",
    f"{{{_W}}}object",
    f"{{{_W}}}attachedTemplate",
    f"{{{_W}}}mailMerge",
    f"{{{_W}}}subDoc",
    f"{{{_W}}}control",
}
_FETCHING_FIELD = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.I)
_MAYBE_FIELD = re.compile(rb"includepicture|includetext|dde|link|import", re.I)
_STORY = re.compile(r"word/(glossary/)?(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


@dataclass(frozen=True)
class CleanTemplate:
    """The template's bytes after cleaning (a .docx python-docx opens) and what was removed."""

    data: bytes
    removed: tuple[str, ...]


def _kind(rel_type: str, external: bool) -> str:
    name = rel_type.rsplit("/", 1)[-1]
    if name == "attachedTemplate":
        return "bifogad mall (attachedTemplate)"
    if rel_type in _MACRO_RELS:
        return _MACRO_RELS[rel_type]
    if not external:
        return f"intern relation ({name})"
    return {
        "image": "extern bild",
        "hyperlink": "extern länk",
        "oleObject": "externt inbäddat objekt",
        "subDocument": "externt deldokument",
        "frame": "extern ram",
    }.get(name, f"extern resurs ({name})")


def describe(removed: tuple[str, ...], template: str) -> str:
    """One Swedish line saying what was removed from the template, e.g.
    ``Word-mallen mall.docx: togs bort: bifogad mall (attachedTemplate) http://…; …``."""
    return (
        f"Word-mallen {visible(template)}: följande togs bort och följer inte med till "
        f"Word-dokumenten: {'; '.join(removed)}. Spara mallen utan dem för att slippa meddelandet."
    )


def _etree() -> Any:
    from lxml import etree  # type: ignore[import-untyped]  # python-docx depends on lxml

    return etree


def _xml(data: bytes, name: str, path: Path | None) -> Any:
    """A part parsed safely: no entities resolved, no DTD or network, no huge trees."""
    etree = _etree()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"Word-mallens del {name} är inte giltig XML", file=path) from exc


def _serialise(root: Any) -> bytes:
    data: bytes = _etree().tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _read_zip(data: bytes, path: Path | None) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """Every entry of the template's zip, within the bounds; a damaged or lying zip refused."""
    damaged = "Word-mallen är ingen giltig .docx-fil (zip-arkivet är skadat)"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InputError(f"Word-mallen har fler än {MAX_ENTRIES} delar", file=path)
        if len({info.filename for info in infos}) != len(infos):
            raise InputError(f"{damaged} (en del förekommer två gånger)", file=path)
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise InputError("Word-mallen är krypterad; spara den utan lösenord", file=path)
            if total > MAX_UNCOMPRESSED:
                raise InputError(
                    f"Word-mallen packas upp till mer än {megabytes(MAX_UNCOMPRESSED)}", file=path
                )
            if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise InputError(
                    f"Word-mallens del {visible(info.filename[:80])} är packad mer än "
                    f"{MAX_RATIO} gånger; filen ser ut som en zip-bomb",
                    file=path,
                )
        parts: dict[str, bytes] = {}
        for info in infos:
            with archive.open(info) as entry:
                content = entry.read(info.file_size + 1)  # zipfile stops at the stated size
            if len(content) != info.file_size:
                raise InputError(damaged, file=path)
            parts[info.filename] = content
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise InputError(damaged, file=path) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encryption
        raise InputError(damaged, file=path) from exc
    return infos, parts


def _source_of(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word/document.xml``; ``_rels/.rels`` → ``""``."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels"))


def _target_part(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _content_types(root: Any) -> tuple[dict[str, str], dict[str, str]]:
    defaults = {
        e.get("Extension", "").lower(): e.get("ContentType", "").lower()
        for e in root.iter(f"{{{_CT}}}Default")
    }
    overrides = {
        e.get("PartName", "").lstrip("/"): e.get("ContentType", "").lower()
        for e in root.iter(f"{{{_CT}}}Override")
    }
    return defaults, overrides


def _drop_references(root: Any, ids: set[str]) -> None:
    """Remove what refers to a removed relationship: the whole picture, attached template or
    mail merge; for anything else (a hyperlink) only the reference."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        for attribute, value in list(element.attrib.items()):
            if not attribute.startswith(f"{{{_R}}}") or value not in ids:
                continue
            whole = next((a for a in element.iterancestors() if a.tag in _WHOLE), None)
            if element.tag in _WHOLE:
                whole = element
            if whole is not None and whole.getparent() is not None:
                whole.getparent().remove(whole)
                break
            del element.attrib[attribute]


def _drop_fetching_fields(root: Any) -> int:
    """Field codes that fetch content from outside: dropped (their shown result is kept)."""
    count = 0
    for simple in list(root.iter(f"{{{_W}}}fldSimple")):
        if _FETCHING_FIELD.match(simple.get(f"{{{_W}}}instr", "")):
            parent = simple.getparent()
            index = parent.index(simple)
            for offset, child in enumerate(list(simple)):
                parent.insert(index + offset, child)  # keep the result runs
            parent.remove(simple)
            count += 1
    for instruction in root.iter(f"{{{_W}}}instrText"):
        if _FETCHING_FIELD.match(instruction.text or ""):
            instruction.text = " "
            count += 1
    return count


def sanitise(data: bytes, path: Path | None = None, *, rebuild: bool = True) -> CleanTemplate:
    """The template cleaned of external relationships, attached templates and macros.

    ``rebuild=False`` only finds what would be removed (``data`` is then empty): what
    ``gnv.yaml``'s check needs, without compressing the template again on every command.
    """
    infos, parts = _read_zip(data, path)
    if "[Content_Types].xml" not in parts:
        raise InputError(
            "Word-mallen är ingen giltig .docx-fil ([Content_Types].xml saknas)", file=path
        )
    types_root = _xml(parts["[Content_Types].xml"], "[Content_Types].xml", path)
    defaults, overrides = _content_types(types_root)

    def content_type(name: str) -> str:
        return overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")

    found: dict[str, list[str]] = defaultdict(list)
    gone = {
        name
        for name in parts
        if content_type(name) in _MACRO_TYPES
        or posixpath.basename(name).lower() in ("vbaproject.bin", "vbadata.xml")
    }
    for name in gone:
        kind = content_type(name)
        found["ActiveX-kontroller" if "activex" in kind else "makron (vbaProject.bin)"] += [""]
    changed: dict[str, bytes] = {}
    # rels of removed parts go with them; a removed part's own rels may name more (ActiveX bins)
    for _ in range(3):
        for name in list(parts):
            if name.endswith(".rels") and _source_of(name) in gone and name not in gone:
                rels = _xml(parts[name], name, path)
                for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
                    if rel.get("TargetMode") != "External":
                        gone.add(_target_part(_source_of(name), rel.get("Target", "")))
                gone.add(name)
    for name in parts:
        if not name.endswith(".rels") or name in gone:
            continue
        source = _source_of(name)
        rels = _xml(parts[name], name, path)
        removed_ids: set[str] = set()
        for rel in list(rels.iter(f"{{{_PKG_REL}}}Relationship")):
            rel_type = rel.get("Type", "")
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            to_gone = not external and _target_part(source, target) in gone
            if (
                external
                or rel_type.endswith("/attachedTemplate")
                or rel_type in _MACRO_RELS
                or to_gone
            ):
                kind = _kind(rel_type, external)
                found[kind].append(target if external else "")
                removed_ids.add(rel.get("Id", ""))
                rels.remove(rel)
        if not removed_ids:
            continue
        changed[name] = _serialise(rels)
        if source in parts and source not in gone and source.endswith(".xml"):
            root = _xml(parts[source], source, path)
            _drop_references(root, removed_ids)
            changed[source] = _serialise(root)
    for name, content in parts.items():
        if name in gone or not _STORY.fullmatch(name):
            continue
        if not _MAYBE_FIELD.search(content):
            continue
        root = _xml(changed.get(name, content), name, path)
        fields = _drop_fetching_fields(root)
        if fields:
            found["fältkod som hämtar innehåll utifrån (t.ex. INCLUDEPICTURE)"] += [""] * fields
            changed[name] = _serialise(root)
    # content types: removed parts and macro types out; the main part a plain document
    for element in list(types_root):
        part = element.get("PartName", "").lstrip("/")
        kind = element.get("ContentType", "").lower()
        if part in gone or (element.tag == f"{{{_CT}}}Default" and kind in _MACRO_TYPES):
            types_root.remove(element)
        elif kind in (m.lower() for m in _MACRO_MAINS):
            found["makron (makroaktiverad mall)"].append("")
            element.set("ContentType", _DOCUMENT_MAIN)
        elif kind in (m.lower() for m in _OTHER_MAINS):
            element.set("ContentType", _DOCUMENT_MAIN)  # python-docx opens documents only
    changed["[Content_Types].xml"] = _serialise(types_root)

    if not rebuild:
        return CleanTemplate(b"", _summary(found))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            if info.filename in gone:
                continue
            target.writestr(info, changed.get(info.filename, parts[info.filename]))
    return CleanTemplate(buffer.getvalue(), _summary(found))


def _summary(found: dict[str, list[str]]) -> tuple[str, ...]:
    """One phrase per kind: a count and an example address for external references."""
    lines = []
    for kind, targets in found.items():
        shown = next((t for t in targets if t), "")
        count = f"{len(targets)} × " if shown and len(targets) > 1 else ""
        example = f" ({visible(shown[:100])})" if shown else ""
        lines.append(f"{count}{kind}{example}")
    return tuple(lines)


def read_template(path: Path, *, rebuild: bool = True) -> CleanTemplate:
    """The template file (a regular .docx or .dotx of at most 10 MB) read and cleaned."""
    if path.suffix.lower() not in SUFFIXES:
        what = "med makron" if path.suffix.lower() in (".docm", ".dotm") else "i fel format"
        raise InputError(
            f"Word-mallen är {what} ({path.suffix or 'utan filändelse'}); "
            "spara den i Word som Word-mall (.dotx) eller Word-dokument (.docx)",
            file=path,
        )
    return sanitise(read_regular(path, MAX_TEMPLATE_BYTES), path, rebuild=rebuild)


def open_template(path: Path) -> Any:
    """The cleaned template as a python-docx document whose body is emptied (styles, header,
    footer, logo and page setup kept)."""
    from docx import Document

    clean = read_template(path)
    try:
        document = Document(io.BytesIO(clean.data))
    except Exception as exc:  # python-docx raises several kinds for a file that is not Word
        raise InputError("Word-mallen kan inte läsas som ett Word-dokument", file=path) from exc
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document
