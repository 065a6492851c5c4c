"""``gnv bundle DIR --out FILE.zip``: one file an auditor re-runs anywhere.

The zip holds, for every report under DIR (one organisation and year, or a whole output
folder):

- ``rapporter/…``: the reports and their manifests, as they lie under DIR;
- ``underlag/…``: every input the manifests name (parameter files, data, the memo's texts),
  plus the organisation's ``gnv.yaml``, Word template, logo and own notebooks where it has them,
  at their paths relative to the project root;
- ``regler/regimes.yaml``: the rules the reports were built with;
- ``paket.json``: the gnvtools version, when and from what the bundle was made;
- ``LÄSMIG.txt``: how to verify it.

Each manifest in the zip points at ``underlag/`` with a relative path, so
``gnv verify FILE.zip`` re-runs every report from the bundle's own content, in any folder on
any machine with gnvtools installed.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from gnvtools import __version__
from gnvtools.errors import InputError
from gnvtools.publish.atomic import write_bytes
from gnvtools.publish.confine import inside, read_regular
from gnvtools.publish.docx_template import MAX_TEMPLATE_BYTES
from gnvtools.publish.logo import MAX_LOGO_BYTES
from gnvtools.publish.manifest import manifest_root, package_file, read_manifest
from gnvtools.publish.verify import RULES_IN_BUNDLE

INPUTS = "underlag"
REPORTS = "rapporter"

README = """Granskningspaket från gnvtools {version}, skapat {created}.

Paketet innehåller rapporterna, deras manifest, allt underlag de byggdes av och reglerna.
Så kontrollerar du det, i valfri mapp på en dator med gnvtools installerat:

    gnv verify {name}

Kommandot kör om varje rapport från paketets eget underlag och jämför varje siffra med
manifestet. Det säger först vad som har ändrats i underlaget (fil, rad, kolumn, gammalt och
nytt värde), sedan vilka siffror som skiljer sig, och slutar med en rad med domen.
Avslutningskod 0 betyder att allt återskapades.
"""


MAX_FILE_BYTES = 100_000_000  # one input or report (what verify unpacks per entry)
MAX_SMALL_BYTES = 20_000_000  # gnv.yaml, an own notebook
_SAFE_PART = re.compile(r"[^\x00-\x1f\x7f\\:]+")


def entry_name(*parts: str) -> str:
    """A zip entry name from relative POSIX parts; ``InputError`` for anything that would
    unpack outside the bundle's folder (``..``, an absolute path, a drive, a backslash)."""
    name = posixpath.join(*parts)
    pieces = name.split("/")
    if (
        name.startswith("/")
        or any(p in ("", ".", "..") for p in pieces)
        or not all(_SAFE_PART.fullmatch(p) for p in pieces)
    ):
        raise InputError(f"otillåtet filnamn i paketet: {name[:120]}")
    return name


def _trusted_roots(directory: Path) -> list[Path]:
    """The projects a bundle may take files from: the one around DIR and the one around the
    working directory (a folder with ``gnv.yaml`` or ``parameters/``)."""
    roots: list[Path] = []
    for start in (directory.resolve(), Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "gnv.yaml").is_file() or (folder / "parameters").is_dir():
                roots.append(folder)
                break
    return roots


def _read(path: Path, root: Path, limit: int, what: str, manifest: Path) -> bytes:
    """A file for the bundle: inside ``root`` (links resolved), a regular file, bounded."""
    resolved = inside(path, root)
    if resolved is None:
        raise InputError(
            f"{what} ligger utanför projektmappen {root} (via en symbolisk länk eller en "
            "absolut sökväg) och tas inte med; lägg filen i projektmappen och bygg om",
            file=manifest,
        )
    try:
        return read_regular(resolved, limit)
    except InputError as exc:
        raise InputError(f"{what}: {exc.message}; tas inte med i paketet", file=manifest) from exc


@dataclass(frozen=True)
class ProjectConfig:
    """How to find what an organisation supplied besides its inputs, given by the command line
    (publish does not import the project layer): ``name``, the config file in a project root
    (``gnv.yaml``); ``assets``, the Word template and logo that config file names (either
    ``None``), refusing one outside the project with a Swedish message."""

    name: str
    assets: Callable[[Path], tuple[Path | None, Path | None]]


def _project_extras(root: Path, project: ProjectConfig | None) -> dict[str, bytes]:
    """What an organisation supplied besides the inputs: config, templates, own notebooks,
    by their entry name under ``underlag/``; each confined to the project and a regular file."""
    extras: dict[str, bytes] = {}
    if project is None:
        return extras
    config, top = root / project.name, root.resolve()
    if not config.is_file():
        return extras
    extras[project.name] = _read(config, root, MAX_SMALL_BYTES, project.name, config)
    word_template, logo = project.assets(config)
    for path, limit, what in (
        (word_template, MAX_TEMPLATE_BYTES, "Word-mallen"),
        (logo, MAX_LOGO_BYTES, "logotypen"),
    ):
        if path is not None:
            resolved = inside(path, top)
            if resolved is None:
                raise InputError(f"{what} ligger utanför projektmappen", file=config)
            name = resolved.relative_to(top).as_posix()
            extras[name] = _read(resolved, top, limit, f"{what} {name}", config)
    notebooks = root / "notebooks"
    if notebooks.is_dir():
        for notebook in sorted(notebooks.glob("*.ipynb")):
            name = f"notebooks/{notebook.name}"
            extras[name] = _read(notebook, root, MAX_SMALL_BYTES, name, notebook)
    return extras


def bundle(directory: Path, out: Path, *, project: ProjectConfig | None = None) -> tuple[Path, int]:
    """Write the bundle; returns its path and how many reports it holds.

    ``project`` finds a project's config, Word template and logo (see ``ProjectConfig``);
    without it the bundle holds none of them, nor the project's own notebooks.

    Only regular files inside the project are taken (the inputs a manifest names, the
    organisation's config, template, logo and notebooks) and only the reports beside their
    manifest; every entry name is a plain relative path. A manifest that points elsewhere
    (``"project": "/"``, a link out of the project) is refused with a Swedish message.
    """
    manifests, trusted = _manifests(directory, out)
    files: dict[str, bytes] = {}
    reports = [_add_report(path, directory, trusted, project, files) for path in manifests]
    _add_bundle_files(files, reports, out)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    write_bytes(out, buffer.getvalue())
    return out, len(manifests)


def _manifests(directory: Path, out: Path) -> tuple[list[Path], list[Path]]:
    """The manifests under ``directory`` and the project roots a bundle may take files from;
    ``InputError`` when there are none or ``out`` is a folder."""
    if not directory.is_dir():
        raise InputError("mappen finns inte", file=directory)
    manifests = sorted(directory.rglob("*.manifest.json"))
    if not manifests:
        raise InputError(
            "inga manifest (*.manifest.json) i mappen; kör gnv build först", file=directory
        )
    if out.exists() and out.is_dir():
        raise InputError("utfilen är en mapp; ange ett filnamn som slutar på .zip", file=out)
    trusted = _trusted_roots(directory)
    if not trusted:
        raise InputError(
            "mappen ligger inte i ett gnvtools-projekt (en mapp med gnv.yaml eller "
            "parameters/); kör gnv bundle i projektmappen",
            file=directory,
        )
    return manifests, trusted


def _manifest_root(path: Path, directory: Path, trusted: list[Path]) -> tuple[dict[str, Any], Path]:
    """The manifest at ``path`` and its project root, which must be a trusted project."""
    if inside(path, directory) is None:
        raise InputError("manifestet är en länk ut ur mappen och läses inte", file=path)
    manifest = read_manifest(path)
    try:
        root = manifest_root(manifest, path.parent).resolve()
    except InputError as exc:
        if exc.file is not None:
            raise
        raise InputError(exc.message, file=path) from exc
    if not any(inside(root, top) for top in trusted):
        raise InputError(
            f"manifestet pekar på projektmappen {root}, som inte är projektet "
            f"{trusted[0]}; paketet tar bara filer ur projektet",
            file=path,
        )
    return manifest, root


def _add_report(
    path: Path,
    directory: Path,
    trusted: list[Path],
    project: ProjectConfig | None,
    files: dict[str, bytes],
) -> dict[str, Any]:
    """Add one report to ``files``: its inputs and the project's extras under ``underlag/``,
    its outputs and its manifest (pointing at ``underlag/``) under ``rapporter/``; returns its
    line in ``paket.json``."""
    manifest, root = _manifest_root(path, directory, trusted)
    folder = path.parent.relative_to(directory).as_posix()
    zip_folder = posixpath.normpath(posixpath.join(REPORTS, folder))
    for item in manifest["inputs"]:
        name = entry_name(INPUTS, PurePosixPath(item["path"]).as_posix())
        source = root / item["path"]
        if not source.exists() and not source.is_symlink():
            raise InputError(f"underlaget {item['path']} finns inte; bygg om rapporten", file=path)
        files[name] = _read(source, root, MAX_FILE_BYTES, f"underlaget {item['path']}", path)
    for extra, data in _project_extras(root, project).items():
        files[entry_name(INPUTS, extra)] = data
    for item in manifest["outputs"]:
        output = path.parent / item["path"]
        if output.exists() or output.is_symlink():
            name = entry_name(zip_folder, PurePosixPath(item["path"]).as_posix())
            what = f"rapporten {item['path']}"
            files[name] = _read(output, path.parent, MAX_FILE_BYTES, what, path)
    manifest["project"] = posixpath.relpath(INPUTS, zip_folder)
    manifest.pop("root", None)
    files[entry_name(zip_folder, path.name)] = (
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8")
    return {"report": manifest["report"], "title": manifest.get("title", ""), "folder": folder}


def _add_bundle_files(files: dict[str, bytes], reports: list[dict[str, Any]], out: Path) -> None:
    """The rules, ``paket.json`` (version, when, which reports) and ``LÄSMIG.txt``."""
    files[RULES_IN_BUNDLE] = package_file("data/regimes.yaml").read_bytes()
    created = datetime.now(UTC).isoformat(timespec="seconds")
    files["paket.json"] = (
        json.dumps(
            {"gnvtools": __version__, "created": created, "reports": reports},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    ).encode("utf-8")
    files["LÄSMIG.txt"] = README.format(version=__version__, created=created, name=out.name).encode(
        "utf-8"
    )
