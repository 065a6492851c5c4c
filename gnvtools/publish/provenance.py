"""The git commit of the project a report was built in, read where the manifest is written
(and passed to the report's appendix by ``gnv render``); the input hashes and versions live in
``gnvtools.core.provenance`` and are re-exported here."""

from __future__ import annotations

import subprocess
from pathlib import Path

from gnvtools.core.provenance import (
    KEY_PACKAGES,
    InputFile,
    describe_inputs,
    project_root,
    sha256,
    versions,
)

__all__ = [
    "KEY_PACKAGES",
    "InputFile",
    "describe_inputs",
    "git_commit",
    "project_root",
    "sha256",
    "versions",
]


def git_commit(folder: Path) -> str | None:
    """The commit of the repository holding ``folder``, with ``-dirty`` if it has changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("-dirty" if status else "")
