"""Bad input: a Swedish message naming file, row and column; exit 2; no traceback; no output."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gnvtools.core.model import allocate, build_plan

from .conftest import run_cli


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(file: str, text: str, shown: str = "rad {}") -> Callable[[Path], str]:
    """A part of a message naming the line of ``file`` (in the broken copy) that holds ``text``,
    so that the examples' files can grow without the cases naming stale line numbers."""

    def part(folder: Path) -> str:
        lines = (folder / file).read_text(encoding="utf-8").splitlines()
        number = next(i for i, line in enumerate(lines, 1) if text in line)
        return shown.format(number)

    return part


Part = str | Callable[[Path], str]

# Each case: organisation, year file, how to break the copy, and the parts the message must have.
CASES: list[tuple[str, str, Callable[[Path], None], list[Part]]] = [
    (
        "missing-data-file",
        "stockholm/2025.yaml",
        lambda d: (d / "data/districts.csv").unlink(),
        ["data/districts.csv", "filen finns inte"],
    ),
    (
        "missing-column",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "data/districts.csv", "population_65plus", "aldre"),
        ["data/districts.csv", "rad 1", 'kolumn "population_65plus"', "saknas"],
    ),
    (
        "text-in-amount",
        "stockholm/2025.yaml",
        lambda d: _edit(d / "data/requests-2025.csv", "Farsta,2150000", "Farsta,två miljoner"),
        ["data/requests-2025.csv", "rad 4", 'kolumn "amount"', "inget belopp"],
    ),
    (
        "negative-value",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "data/districts.csv", "Farsta,63480", "Farsta,-63480"),
        ["data/districts.csv", "rad 4", 'kolumn "population"', "negativt"],
    ),
    (
        "amount-with-ore",
        "stockholm/2025.yaml",
        lambda d: _edit(d / "data/requests-2025.csv", "Järva,3100000", 'Järva,"3100000,50"'),
        ["data/requests-2025.csv", "rad 7", 'kolumn "amount"', "ören"],
    ),
    (
        "duplicate-recipient",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "data/districts.csv", "Skarpnäck,50270", "Farsta,50270"),
        ["data/districts.csv", "rad 10", 'kolumn "name"', '"Farsta" förekommer två gånger'],
    ),
    (
        "unknown-yaml-key",
        "jamtland/2025.yaml",
        lambda d: _edit(d / "2025.yaml", "decided_by:", "decidedby:"),
        ["2025.yaml", _line("2025.yaml", "decidedby:"), 'okänd nyckel "decidedby"'],
    ),
    (
        "wrong-yaml-type",
        "stockholm/2025.yaml",
        lambda d: _edit(d / "2025.yaml", "amount: 800000", 'amount: "800 000"'),
        [
            "2025.yaml",
            _line("2025.yaml", 'amount: "800 000"'),
            "pots.1.steps.0.amount",
            "förväntade ett heltal",
        ],
    ),
    (
        "unknown-recipient",
        "jamtland/2025.yaml",
        lambda d: _edit(d / "2025.yaml", "{Regionstyrelsen: 6000000}", "{Regionstyrelse: 6000000}"),
        [
            "2025.yaml",
            _line("2025.yaml", "{Regionstyrelse: 6000000}"),
            'okänd mottagare "Regionstyrelse"',
        ],
    ),
    (
        "unknown-step-kind",
        "jamtland/2025.yaml",
        lambda d: _edit(d / "2025.yaml", "kind: fixed", "kind: fast"),
        ["2025.yaml", "okänd stegtyp"],
    ),
    (
        "unknown-regime",
        "jamtland/2025.yaml",
        lambda d: _edit(d / "2025.yaml", "regime: sfs-2024-1253", "regime: sfs-2099"),
        ["2025.yaml", _line("2025.yaml", "regime: sfs-2099"), 'okänd regim "sfs-2099"'],
    ),
    (
        "yaml-syntax",
        "jamtland/2025.yaml",
        lambda d: _edit(d / "2025.yaml", "year: 2025", "year: [2025"),
        ["2025.yaml", "YAML-syntaxfel"],
    ),
    # Messages that say which key, where, and what to write instead (issue 18, item 10).
    (
        "population-too-large-is-a-number",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "data/districts.csv", "Farsta,63480", "Farsta,1" + "0" * 30),
        ["data/districts.csv", "rad 4", 'kolumn "population"', "är för stort", "30 siffror"],
    ),
    (
        "step-without-kind",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "2023.yaml", "        kind: fixed\n", ""),
        [
            _line(
                "2023.yaml",
                "- name: Grundstöd fackförvaltningar",
                '2023.yaml, rad {}, nyckel "pots.0.steps.0.kind"',
            ),
            'nyckeln "kind" saknas',
            "fixed, each, key, requisition eller remainder",
        ],
    ),
    (
        "zero-weight-in-a-key",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "2023.yaml", "key: {places: 1}", "key: {places: 0, population: 1}"),
        [
            _line(
                "2023.yaml",
                "key: {places: 0, population: 1}",
                '2023.yaml, rad {}, nyckel "pots.1.steps.0.key.places"',
            ),
            "större än noll",
            # a path a reader can follow: the step and the pot by name
            '; i steget "Utförare efter antal platser" (potten "Goda förutsättningar för '
            'vårdens medarbetare")',
        ],
    ),
    (
        "misspelt-top-level-key",
        "stockholm/2025.yaml",
        lambda d: _edit(d / "2025.yaml", "received:", "recieved:"),
        [
            _line(
                "2025.yaml",
                "recieved:",
                '2025.yaml, rad {}, nyckel "recieved": okänd nyckel "recieved" (menar du '
                "received?)",
            )
        ],
    ),
    (
        "misspelt-nested-key",
        "stockholm/2023.yaml",
        lambda d: _edit(
            d / "2023.yaml",
            "recipients: {group: districts}",
            "recipients: {group: districts, wher: []}",
        ),
        ['nyckel "pots.0.steps.1.recipients.wher"', 'okänd nyckel "wher" (menar du where?)'],
    ),
    (
        "misspelt-step-key",
        "stockholm/2023.yaml",
        lambda d: _edit(
            d / "2023.yaml", "        kind: fixed\n", "        kind: fixed\n        amout: 1\n"
        ),
        ['nyckel "pots.0.steps.0.amout"', 'okänd nyckel "amout" (menar du amount'],
    ),
    (
        "unknown-key-lists-the-keys",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "2023.yaml", "  total:", "  xyz: 1\n  total:"),
        ['nyckel "received.xyz"', 'okänd nyckel "xyz"; här finns: total, components, stated_as'],
    ),
    (
        "missing-data-file-names-its-yaml-line",
        "stockholm/2023.yaml",
        lambda d: _edit(d / "2023.yaml", "file: data/districts.csv", "file: data/distrikt.csv"),
        [
            "data/distrikt.csv: filen finns inte",
            "(nämns i ",
            _line(
                "2023.yaml", "data/distrikt.csv", '2023.yaml, rad {}, nyckel "recipients.0.file")'
            ),
        ],
    ),
    (
        "missing-requests-file-names-its-yaml-line",
        "stockholm/2025.yaml",
        lambda d: (d / "data/requests-2025.csv").unlink(),
        ["data/requests-2025.csv: filen finns inte (nämns i ", 'nyckel "pots.0.steps.', "requests"],
    ),
]


@pytest.mark.parametrize(
    ("case", "year_file", "breaker", "expected"), CASES, ids=[c[0] for c in CASES]
)
@pytest.mark.parametrize("command", ["check", "allocate"])
def test_bad_input_gets_located_swedish_message(
    case: str,
    year_file: str,
    breaker: Callable[[Path], None],
    expected: list[Part],
    command: str,
    example_copy: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    org, name = year_file.split("/")
    folder = example_copy(org)
    breaker(folder)
    out_file = folder / "out.csv"
    args = [command, str(folder / name)] + (
        ["--csv", str(out_file)] if command == "allocate" else []
    )
    code, out, err = run_cli(capsys, *args)
    assert code == 2, (out, err)
    assert err.startswith("fel: ")
    for part in expected:
        text = part if isinstance(part, str) else part(folder)
        assert text in err, (text, err)
    assert "Traceback" not in err
    assert not out_file.exists()
    assert list(folder.glob(".out.csv.*")) == []


def test_missing_parameter_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "check", str(tmp_path / "saknas.yaml"))
    assert code == 2
    assert "saknas.yaml: parameterfilen finns inte" in err


def test_no_traceback_from_the_installed_command(example_copy: Callable[[str], Path]) -> None:
    folder = example_copy("stockholm")
    _edit(folder / "data/districts.csv", "Farsta,63480", "Farsta,-63480")
    proc = subprocess.run(
        [sys.executable, "-m", "gnvtools.cli", "allocate", str(folder / "2023.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert 'rad 4, kolumn "population": talet "-63480" är negativt' in proc.stderr


def test_swedish_excel_csv_loads(example_copy: Callable[[str], Path]) -> None:
    """Semicolons, decimal commas, spaces in thousands and Windows-1252 with å/ä/ö."""
    folder = example_copy("stockholm")
    original = allocate(build_plan(folder / "2023.yaml"))
    for name in ("districts.csv", "providers-2023.csv"):
        path = folder / "data" / name
        lines = path.read_text(encoding="utf-8").splitlines()
        excel = []
        for line in lines:
            cells = line.split(",")
            cells = [c.replace(".", ",") for c in cells]
            cells = [f"{int(c):,}".replace(",", "\u00a0") if c.isdigit() else c for c in cells]
            excel.append(";".join(cells))
        path.write_bytes(("\r\n".join(excel) + "\r\n").encode("cp1252"))
    raw = (folder / "data/districts.csv").read_bytes()
    assert "Hägersten-Älvsjö".encode("cp1252") in raw and b";" in raw
    assert b"0,97" in (folder / "data/providers-2023.csv").read_bytes()
    again = allocate(build_plan(folder / "2023.yaml"))
    assert again.lines == original.lines


YAML_KEY_CASES = [
    "unknown-yaml-key",
    "wrong-yaml-type",
    "unknown-recipient",
    "unknown-regime",
    "step-without-kind",
    "zero-weight-in-a-key",
    "misspelt-top-level-key",
    "misspelt-nested-key",
    "misspelt-step-key",
    "unknown-key-lists-the-keys",
]


@pytest.mark.parametrize(
    ("case", "year_file", "breaker", "expected"),
    [c for c in CASES if c[0] in YAML_KEY_CASES],
    ids=YAML_KEY_CASES,
)
def test_yaml_places_are_keys_not_columns(
    case: str,
    year_file: str,
    breaker: Callable[[Path], None],
    expected: list[str],
    example_copy: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    org, name = year_file.split("/")
    folder = example_copy(org)
    breaker(folder)
    code, _, err = run_cli(capsys, "check", str(folder / name))
    assert code == 2
    where = err.split(": ", 2)[1]  # "fel: FILE, rad N, nyckel "…": message"
    assert re.search(rf'{re.escape(name)}, rad \d+, nyckel "[^"]+"$', where), err
    assert "kolumn" not in where


def test_a_misspelt_key_column_gets_a_suggestion(
    example_copy, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    assert "places:" in text
    params.write_text(text.replace("places:", "placs:", 1), encoding="utf-8")
    code, _, err = run_cli(capsys, "check", str(params))
    assert code == 2
    assert 'kolumnen "placs" saknas' in err and "menar du places?" in err, err
