"""Reading a Word template's zip safely: every entry within bounds (entries, total size, ratio
per entry; an encrypted zip or one whose entries lie about their size is refused, never
inflated without limit), each XML part parsed with no entities, DTD or network, and the part
names a relationship points at worked out. ``docx_clean`` cleans what is read here."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path
from typing import Any

from gnvtools.errors import InputError, visible
from gnvtools.publish.confine import megabytes

MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED = 100_000_000
MAX_RATIO = 100  # uncompressed / compressed, for entries above RATIO_FROM bytes
RATIO_FROM = 1_000_000


def _etree() -> Any:
    from lxml import etree  # type: ignore[import-untyped]  # python-docx depends on lxml

    return etree


def parse_part(data: bytes, name: str, path: Path | None) -> Any:
    """A part parsed safely: no entities resolved, no DTD or network, no huge trees."""
    etree = _etree()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"Word-mallens del {name} är inte giltig XML", file=path) from exc


def serialise(root: Any) -> bytes:
    data: bytes = _etree().tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def read_zip(data: bytes, path: Path | None) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
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


def source_of(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word/document.xml``; ``_rels/.rels`` → ``""``."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels"))


def target_part(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
