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
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from gnvtools import __version__
from gnvtools.errors import InputError
from gnvtools.publish.atomic import write_bytes
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


def _project_extras(root: Path) -> list[Path]:
    """What an organisation supplied besides the inputs: config, templates, own notebooks."""
    extras: list[Path] = []
    config = root / "gnv.yaml"
    if config.is_file():
        extras.append(config)
        from gnvtools.project.config import load_project

        project = load_project(config)
        extras += [p for p in (project.word_template, project.logo) if p and p.is_file()]
    notebooks = root / "notebooks"
    if notebooks.is_dir():
        extras += sorted(notebooks.glob("*.ipynb"))
    return extras


def bundle(directory: Path, out: Path) -> tuple[Path, int]:
    """Write the bundle; returns its path and how many reports it holds."""
    if not directory.is_dir():
        raise InputError("mappen finns inte", file=directory)
    manifests = sorted(directory.rglob("*.manifest.json"))
    if not manifests:
        raise InputError(
            "inga manifest (*.manifest.json) i mappen; kör gnv build först", file=directory
        )
    if out.exists() and out.is_dir():
        raise InputError("utfilen är en mapp; ange ett filnamn som slutar på .zip", file=out)
    files: dict[str, bytes] = {}
    reports = []
    for path in manifests:
        manifest = read_manifest(path)
        root = manifest_root(manifest, path.parent)
        folder = path.parent.relative_to(directory).as_posix()
        zip_folder = posixpath.normpath(posixpath.join(REPORTS, folder))
        for item in manifest["inputs"]:
            source = root / item["path"]
            if not source.is_file():
                raise InputError(
                    f"underlaget {item['path']} finns inte; bygg om rapporten", file=path
                )
            files[posixpath.join(INPUTS, item["path"])] = source.read_bytes()
        for extra in _project_extras(root):
            files[posixpath.join(INPUTS, extra.relative_to(root).as_posix())] = extra.read_bytes()
        for item in manifest["outputs"]:
            output = path.parent / item["path"]
            if output.is_file():
                files[posixpath.join(zip_folder, item["path"])] = output.read_bytes()
        manifest["project"] = posixpath.relpath(INPUTS, zip_folder)
        manifest.pop("root", None)
        files[posixpath.join(zip_folder, path.name)] = (
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        ).encode("utf-8")
        reports.append(
            {"report": manifest["report"], "title": manifest.get("title", ""), "folder": folder}
        )
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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    write_bytes(out, buffer.getvalue())
    return out, len(manifests)
