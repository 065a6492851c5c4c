"""Where a report's figures come from: input files with SHA-256 and the versions of the
packages that computed them. (The git commit is read where the manifest is written:
``gnvtools.publish.provenance``.)"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

KEY_PACKAGES = (
    "gnvtools",
    "papermill",
    "nbconvert",
    "pandas",
    "matplotlib",
    "fonttools",
    "babel",
    "pydantic",
)


@dataclass(frozen=True)
class InputFile:
    path: str
    sha256: str
    size: int


def sha256(path: Path) -> str:
    """The SHA-256 of a regular file; anything else (a FIFO, a device) is an ``OSError``
    rather than a read that never ends."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "ingen vanlig fil", str(path))
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_inputs(paths: list[Path], root: Path | None = None) -> list[InputFile]:
    """Each distinct input once, in the order given, with a path relative to ``root``."""
    seen: set[Path] = set()
    files = []
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        shown = str(resolved)
        if root is not None:
            with contextlib.suppress(ValueError):
                shown = str(resolved.relative_to(root.resolve()))
        files.append(InputFile(shown, sha256(resolved), resolved.stat().st_size))
    return files


def versions() -> dict[str, str]:
    """Python's and the key packages' versions, as installed when this process first asked
    (read once: a build's report processes, forked from one that asked, read none of the
    packages' metadata again)."""
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> dict[str, str]:
    import platform
    from importlib import metadata  # on use: a command that records no versions needs neither

    found = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "saknas"
    return found


def project_root(start: Path) -> Path:
    """The nearest folder above ``start`` holding ``parameters/`` (else ``start``'s folder)."""
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / "parameters").is_dir():
            return folder
    return start.resolve().parent
