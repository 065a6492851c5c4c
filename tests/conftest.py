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


#: The six example reports: every format of each is rendered once per test process (``rendered``).
EXAMPLES = [
    ("allocation-memo", "stockholm/2023.yaml"),
    ("allocation-memo", "stockholm/2025.yaml"),
    ("allocation-memo", "jamtland/2025.yaml"),
    ("year-end-followup", "stockholm/2023.yaml"),
    ("year-end-followup", "stockholm/2025.yaml"),
    ("multi-year", "stockholm/comparison-2023-2025.yaml"),
]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Each example rendered as HTML, Word, Excel and the executed notebook, by its folder."""
    from gnvtools.cli import main

    out = tmp_path_factory.mktemp("examples")
    folders = {}
    for report, params in EXAMPLES:
        target = out / report / params.replace("/", "-")
        args = ["render", report, str(PARAMS / params), "--to", "html,docx,xlsx,ipynb", "--out"]
        assert main([*args, str(target)]) == 0
        folders[(report, params)] = target
    return folders
