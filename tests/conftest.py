from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gnvtools.core.formatting import plain

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "parameters"


@pytest.fixture
def example_copy(tmp_path: Path):
    """Copy one organisation's example folder to a temporary place, to break it safely."""

    def copy(org: str) -> Path:
        target = tmp_path / org
        shutil.copytree(PARAMS / org, target)
        return target

    return copy


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``gnv`` in-process; return exit code, stdout and stderr (spaces made plain)."""
    from gnvtools.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, plain(out), plain(err)
