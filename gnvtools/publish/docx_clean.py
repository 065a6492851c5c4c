"""Cleaning a Word template read by ``docx_zip``: every relationship with
``TargetMode="External"``, every ``attachedTemplate``, the macro parts (VBA project and data,
ActiveX controls, macro key bindings) and their content types are removed, with the elements
that referred to them (the picture of an external image, the attached template in the
settings); field codes that pull content in from outside (``INCLUDEPICTURE``, ``INCLUDETEXT``,
``LINK``, ``DDE``) are dropped; a macro-enabled or template main part becomes a plain document.
What was removed is kept as Swedish phrases, one per kind."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gnvtools.errors import InputError, visible
from gnvtools.publish.docx_zip import parse_part, read_zip, serialise, source_of, target_part

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
    infos, parts = read_zip(data, path)
    if "[Content_Types].xml" not in parts:
        raise InputError(
            "Word-mallen är ingen giltig .docx-fil ([Content_Types].xml saknas)", file=path
        )
    types_root = parse_part(parts["[Content_Types].xml"], "[Content_Types].xml", path)
    found: dict[str, list[str]] = defaultdict(list)
    gone = _macro_parts(parts, types_root, found)
    changed: dict[str, bytes] = {}
    _with_their_rels(parts, gone, path)
    _drop_relationships(parts, gone, changed, found, path)
    _drop_fields(parts, gone, changed, found, path)
    _clean_content_types(types_root, gone, found)
    changed["[Content_Types].xml"] = serialise(types_root)

    if not rebuild:
        return CleanTemplate(b"", _summary(found))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            if info.filename in gone:
                continue
            target.writestr(info, changed.get(info.filename, parts[info.filename]))
    return CleanTemplate(buffer.getvalue(), _summary(found))


def _macro_parts(parts: dict[str, bytes], types_root: Any, found: dict[str, list[str]]) -> set[str]:
    """The macro parts (by content type or name), each said in ``found``."""
    defaults, overrides = _content_types(types_root)

    def content_type(name: str) -> str:
        return overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")

    gone = {
        name
        for name in parts
        if content_type(name) in _MACRO_TYPES
        or posixpath.basename(name).lower() in ("vbaproject.bin", "vbadata.xml")
    }
    for name in gone:
        kind = content_type(name)
        found["ActiveX-kontroller" if "activex" in kind else "makron (vbaProject.bin)"] += [""]
    return gone


def _with_their_rels(parts: dict[str, bytes], gone: set[str], path: Path | None) -> None:
    """Rels of removed parts go with them; a removed part's own rels may name more (ActiveX
    bins), added to ``gone``."""
    for _ in range(3):
        for name in list(parts):
            if name.endswith(".rels") and source_of(name) in gone and name not in gone:
                rels = parse_part(parts[name], name, path)
                for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
                    if rel.get("TargetMode") != "External":
                        gone.add(target_part(source_of(name), rel.get("Target", "")))
                gone.add(name)


def _drop_relationships(
    parts: dict[str, bytes],
    gone: set[str],
    changed: dict[str, bytes],
    found: dict[str, list[str]],
    path: Path | None,
) -> None:
    """External, attached-template and macro relationships, and those to removed parts, out of
    every remaining rels part, with what referred to them in its source part."""
    for name in parts:
        if not name.endswith(".rels") or name in gone:
            continue
        source = source_of(name)
        rels = parse_part(parts[name], name, path)
        removed_ids: set[str] = set()
        for rel in list(rels.iter(f"{{{_PKG_REL}}}Relationship")):
            rel_type = rel.get("Type", "")
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            to_gone = not external and target_part(source, target) in gone
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
        changed[name] = serialise(rels)
        if source in parts and source not in gone and source.endswith(".xml"):
            root = parse_part(parts[source], source, path)
            _drop_references(root, removed_ids)
            changed[source] = serialise(root)


def _drop_fields(
    parts: dict[str, bytes],
    gone: set[str],
    changed: dict[str, bytes],
    found: dict[str, list[str]],
    path: Path | None,
) -> None:
    """Field codes that fetch content from outside, out of every story part."""
    for name, content in parts.items():
        if name in gone or not _STORY.fullmatch(name):
            continue
        if not _MAYBE_FIELD.search(content):
            continue
        root = parse_part(changed.get(name, content), name, path)
        fields = _drop_fetching_fields(root)
        if fields:
            found["fältkod som hämtar innehåll utifrån (t.ex. INCLUDEPICTURE)"] += [""] * fields
            changed[name] = serialise(root)


def _clean_content_types(types_root: Any, gone: set[str], found: dict[str, list[str]]) -> None:
    """Removed parts and macro types out of the content types; the main part a plain document."""
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


def _summary(found: dict[str, list[str]]) -> tuple[str, ...]:
    """One phrase per kind: a count and an example address for external references."""
    lines = []
    for kind, targets in found.items():
        shown = next((t for t in targets if t), "")
        count = f"{len(targets)} × " if shown and len(targets) > 1 else ""
        example = f" ({visible(shown[:100])})" if shown else ""
        lines.append(f"{count}{kind}{example}")
    return tuple(lines)
