"""Hostile and Excel-mangled input, class by class (issue: nothing hangs, is misread or leaks).

Every case: exit 2, one Swedish line naming the file (and row and column where there is one),
no traceback, nothing written, and done in seconds.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gnvtools.publish.build import discover

from .conftest import PARAMS, run_cli

BOMB = """
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


YAML_CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("alias-bomb", lambda f: _append(f, BOMB), ["ankare (&namn) stöds inte", "rad "]),
    (
        "merge-key",
        lambda f: _append(f, "extra:\n  <<: {a: 1}\n"),
        ["sammanslagningsnyckeln << stöds inte"],
    ),
    (
        "duplicate-key",
        lambda f: _replace(f, "year: 2025\n", "year: 2025\nyear: 2024\n"),
        ['nyckeln "year" förekommer två gånger (första gången på rad'],
    ),
    (
        "leading-zero-octal",
        lambda f: _replace(f, "year: 2025", "year: 02025"),
        ['kolumn "year"', "inledande nolla"],
    ),
    (
        "yes-as-bool",
        lambda f: _replace(
            f,
            "requests: data/requests-2025.csv\n",
            "requests: data/requests-2025.csv\n        redistribute: yes\n",
        ),
        ["redistribute", "skriv true eller false"],
    ),
    (
        "sexagesimal",
        lambda f: _replace(f, "amount: 800000", "amount: 13:20"),
        ["amount", "tal med kolon"],
    ),
    (
        "python-tag",
        lambda f: _append(f, "evil: !!python/object/apply:os.system ['true']\n"),
        ["okänd YAML-tagg"],
    ),
    (
        "tab-indent",
        lambda f: _replace(f, "  name: Stockholms stad", "\tname: Stockholms stad"),
        ["tabbtecken"],
    ),
    (
        "huge-file",
        lambda f: _append(
            f, "notes:\n" + "  - " + "x" * 100 + "\n" * 1 + ("# " + "y" * 98 + "\n") * 25_000
        ),
        ["större än 2 MB"],
    ),
]


@pytest.mark.parametrize(
    ("name", "breaker", "expected"), YAML_CASES, ids=[c[0] for c in YAML_CASES]
)
def test_yaml_class(
    capsys: pytest.CaptureFixture[str],
    example_copy: Callable[[str], Path],
    tmp_path: Path,
    name: str,
    breaker: Callable[[Path], None],
    expected: list[str],
) -> None:
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    breaker(params)
    out = tmp_path / "out"
    started = time.monotonic()
    code, _, err = run_cli(capsys, "render", "allocation-memo", str(params), "--out", str(out))
    assert time.monotonic() - started < 10, "no hang"
    assert code == 2, err
    assert err.startswith(f"fel: {params}"), err
    for part in expected:
        assert part in err, (part, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()  # nothing written


def test_a_bomb_in_a_batch_fails_alone_at_discovery(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "parameters"
    shutil.copytree(PARAMS / "jamtland", root / "jamtland")
    (root / "bomb").mkdir()
    (root / "bomb/2025.yaml").write_text("pots: []\n" + BOMB, encoding="utf-8")
    started = time.monotonic()
    jobs = discover(root, tmp_path / "out")
    assert time.monotonic() - started < 5
    failed = [j for j in jobs if j.error]
    assert [j.label for j in failed] == ["bomb/2025"]
    assert "ankare (&namn) stöds inte" in str(failed[0].error)
    assert [(j.report, j.label) for j in jobs if not j.error] == [
        ("allocation-memo", "jamtland/2025")
    ]


def test_the_installed_command_does_not_hang_on_a_bomb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "gnvtools.cli", "check", str(bomb)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "stöds inte" in proc.stderr and "Traceback" not in proc.stderr
