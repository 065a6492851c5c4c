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
        ['nyckel "year"', "inledande nolla"],
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


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _districts(folder: Path) -> Path:
    return folder / "data/districts.csv"


def _rewrite_districts(folder: Path, encode: Callable[[str], bytes]) -> None:
    path = _districts(folder)
    path.write_bytes(encode(path.read_text(encoding="utf-8")))


# (name, how to break the 2023 Stockholm copy, parts of the message)
DATA_CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    (
        "over-long-field",
        lambda d: _replace(_districts(d), "Farsta,", f'"{"F" * 200_000}",'),
        ["districts.csv", "rad 4"],
    ),
    (
        "control-character-in-name",
        lambda d: _replace(_districts(d), "Farsta,", "Far\x07sta,"),
        ["districts.csv", "rad 4", 'kolumn "name"', "U+0007"],
    ),
    (
        "zero-width-space-in-name",
        lambda d: _replace(_districts(d), "Farsta,", "Far\u200bsta,"),
        ["districts.csv", "rad 4", 'kolumn "name"', "U+200B (ZERO WIDTH SPACE)"],
    ),
    (
        "soft-hyphen-in-name",
        lambda d: _replace(_districts(d), "Farsta,", "Far\u00adsta,"),
        ["districts.csv", "rad 4", "U+00AD (SOFT HYPHEN)"],
    ),
    (
        "bom-inside-name",
        lambda d: _replace(_districts(d), "Farsta,", "Far\ufeffsta,"),
        ["districts.csv", "rad 4", "U+FEFF"],
    ),
    (
        "mac-roman",
        lambda d: _rewrite_districts(d, lambda t: t.encode("mac_roman")),
        ["districts.csv", "teckenkodning", "UTF-8"],
    ),
    (
        "mac-roman-lowercase",
        lambda d: (d / "data/nurse-applications-2023.csv").write_bytes(
            (d / "data/nurse-applications-2023.csv").read_text(encoding="utf-8").encode("mac_roman")
        ),
        ["nurse-applications-2023.csv", "teckenkodning", "Mac Roman"],
    ),
    (
        "thousands-comma",
        lambda d: _replace(d / "data/nurse-applications-2023.csv", "400000", '"400,000"'),
        ["nurse-applications-2023.csv", 'kolumn "amount"', "tvetydigt"],
    ),
    (
        "amount-too-large",
        lambda d: _replace(d / "data/nurse-applications-2023.csv", "400000", "9" * 40),
        ["nurse-applications-2023.csv", 'kolumn "amount"', "för stort", "999 999 999 999"],
    ),
    (
        "yaml-amount-too-large",
        lambda d: _replace(d / "2023.yaml", "total: 51810636", "total: " + "9" * 30),
        ["2023.yaml", "received.total", "för stort"],
    ),
    (
        "device-as-data",
        lambda d: (
            _replace(d / "2023.yaml", "file: data/districts.csv", "file: data/zero.csv")
            or (d / "data/zero.csv").symlink_to("/dev/zero")
        ),
        ["data/zero.csv", "utanför parameterfilens mapp"],
    ),
    (
        "directory-as-data",
        lambda d: _replace(d / "2023.yaml", "file: data/districts.csv", "file: data"),
        ["data", "är en mapp"],
    ),
    (
        "absolute-path",
        lambda d: _replace(d / "2023.yaml", "file: data/districts.csv", "file: /etc/passwd"),
        ["/etc/passwd", "absolut"],
    ),
    (
        "dotdot-escape",
        lambda d: _replace(
            d / "2023.yaml", "file: data/districts.csv", "file: ../../../../../../etc/passwd"
        ),
        ["etc/passwd", "utanför parameterfilens mapp"],
    ),
    (
        "symlink-out",
        lambda d: (
            (d / "data/districts.csv").unlink()
            or (d / "data/districts.csv").symlink_to("/etc/passwd")
        ),
        ["data/districts.csv", "utanför parameterfilens mapp"],
    ),
    (
        "header-only-recipients",
        lambda d: _districts(d).write_text(
            _districts(d).read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
        ),
        ["districts.csv", "rad 2", "bara en rubrikrad"],
    ),
    (
        "near-miss-recipient",
        lambda d: _replace(
            d / "2023.yaml", "{Socialförvaltningen: 600000}", "{Socialförvaltning: 600000}"
        ),
        ["2023.yaml", 'okänd mottagare "Socialförvaltning" (menar du "Socialförvaltningen"'],
    ),
    (
        "request-outside-the-step",
        lambda d: _append(d / "data/nurse-applications-2023.csv", "Äldreförvaltningen,1000\n"),
        ["nurse-applications-2023.csv", "rad 6", "ingår inte bland mottagarna i steget"],
    ),
    (
        "missing-key-column-names-the-key-path",
        lambda d: _replace(
            d / "2023.yaml",
            "key: {places: 1}\n        requests",
            "key: {platser: 1}\n        requests",
        ),
        ["districts.csv", 'kolumn "platser"', "pots.2.steps.2.key.platser", "rad "],
    ),
]


@pytest.mark.parametrize(
    ("name", "breaker", "expected"), DATA_CASES, ids=[c[0] for c in DATA_CASES]
)
def test_data_class(
    capsys: pytest.CaptureFixture[str],
    example_copy: Callable[[str], Path],
    tmp_path: Path,
    name: str,
    breaker: Callable[[Path], None],
    expected: list[str],
) -> None:
    folder = example_copy("stockholm")
    breaker(folder)
    out = tmp_path / "out"
    started = time.monotonic()
    code, _, err = run_cli(
        capsys, "render", "allocation-memo", str(folder / "2023.yaml"), "--out", str(out)
    )
    assert time.monotonic() - started < 10, "no hang"
    assert code == 2, err
    assert err.startswith("fel: "), err
    for part in expected:
        assert part in err, (part, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not any(0 <= ord(c) < 32 and c != "\n" for c in err)  # no raw control characters
    for english in ("Is a directory", "No such file", "Permission denied", "could not"):
        assert english not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf-16-excel-unicode-text", lambda t: t.replace(",", "\t").encode("utf-16")),
        ("cr-only-line-endings", lambda t: t.replace("\n", "\r").encode("utf-8")),
        ("crlf-cp1252", lambda t: t.replace("\n", "\r\n").replace(",", ";").encode("cp1252")),
    ],
)
def test_excel_encodings_read_the_same(
    example_copy: Callable[[str], Path], name: str, encode: Callable[[str], bytes]
) -> None:
    from gnvtools.core.model import allocate, build_plan

    folder = example_copy("stockholm")
    before = allocate(build_plan(folder / "2023.yaml")).by_recipient()
    _rewrite_districts(folder, encode)
    assert allocate(build_plan(folder / "2023.yaml")).by_recipient() == before


def test_names_match_after_nfc_normalisation(example_copy: Callable[[str], Path]) -> None:
    """A name typed with a combining ring (A + U+030A) is the same recipient as Å."""
    from gnvtools.core.model import allocate, build_plan

    folder = example_copy("stockholm")
    decomposed = "A\u0308ldreförvaltningen"  # Ä as A + combining diaeresis
    _replace(folder / "2023.yaml", "Äldreförvaltningen: 3200000", f"{decomposed}: 3200000")
    totals = allocate(build_plan(folder / "2023.yaml")).by_recipient()
    assert totals["Äldreförvaltningen"] > 3_200_000


def test_formula_text_is_stored_as_text_in_xlsx_and_csv(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    folder = example_copy("stockholm")
    evil = '=HYPERLINK("http://example.invalid","klicka")'
    _replace(_districts(folder), "Bromma,", '"' + evil.replace('"', '""') + '",')
    code, _, err = run_cli(
        capsys,
        "render",
        "allocation-memo",
        str(folder / "2023.yaml"),
        "--to",
        "xlsx",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, err
    wb = load_workbook(tmp_path / "out/allocation-memo.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == evil]
    assert cells and all(c.data_type == "s" for c in cells)
    code, out, _ = run_cli(capsys, "allocate", str(folder / "2023.yaml"))
    assert code == 0
    assert "'=HYPERLINK" in out and "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out


def test_math_text_in_a_name_is_drawn_as_written(example_copy: Callable[[str], Path]) -> None:
    from gnvtools.core.options import using
    from gnvtools.reports.memo import AllocationMemo

    folder = example_copy("stockholm")
    _replace(_districts(folder), "Bromma,", "$\\frac{1}{0$,")
    memo = AllocationMemo.load(folder / "2023.yaml")
    chart = memo.chart()
    assert chart.svg.startswith(b"<?xml") and b"<svg" in chart.svg
    assert chart.png is None  # only made for Word
    assert "$\\frac{1}{0$" in chart.alt
    with using(chart_png=True):  # the raster backend draws it too
        assert (memo.chart().png or b"").startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", ["file", "dir-for-report"])
def test_output_path_is_checked_before_anything_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("x", encoding="utf-8")
    else:
        (out / "allocation-memo.html").mkdir(parents=True)
    started = time.monotonic()
    code, _, err = run_cli(
        capsys, "render", "allocation-memo", str(PARAMS / "jamtland/2025.yaml"), "--out", str(out)
    )
    assert code == 2 and err.startswith("fel: ") and "Traceback" not in err
    assert time.monotonic() - started < 5  # no kernel was started


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "inte läsbar JSON"),
        (b"[]", "inget JSON-objekt"),
        (b'{"report": "allocation-memo"}', "ofullständigt"),
        (b"\xff\xfe\x00", "inte läsbar JSON"),
    ],
)
def test_corrupt_manifest_in_verify(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "allocation-memo.manifest.json").write_bytes(content)
    code, _, err = run_cli(capsys, "verify", str(tmp_path))
    assert code == 2
    assert "allocation-memo.manifest.json" in err and expected in err
    assert "Traceback" not in err


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    from gnvtools.publish.atomic import write_text

    old = os.umask(0o022)
    try:
        target = tmp_path / "r.html"
        write_text(target, "a")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        write_text(target, "b")  # overwriting keeps the file's own mode
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        os.umask(0o002)
        other = tmp_path / "s.html"
        write_text(other, "c")
        assert stat.S_IMODE(other.stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_a_fifo_as_data_is_refused_without_hanging(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    import os

    folder = example_copy("stockholm")
    _districts(folder).unlink()
    os.mkfifo(_districts(folder))  # opening it for reading would wait for a writer forever
    started = time.monotonic()
    code, _, err = run_cli(capsys, "check", str(folder / "2023.yaml"))
    assert time.monotonic() - started < 5
    assert code == 2 and "ingen vanlig fil" in err


def test_data_roots_option_widens_confinement(
    capsys: pytest.CaptureFixture[str],
    example_copy: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import shutil

    from gnvtools.core.model import build_plan
    from gnvtools.core.options import using
    from gnvtools.errors import InputError

    folder = example_copy("stockholm")
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.move(str(_districts(folder)), shared / "districts.csv")
    _replace(folder / "2023.yaml", "file: data/districts.csv", "file: ../shared/districts.csv")
    with pytest.raises(InputError, match="utanför parameterfilens mapp"):
        build_plan(folder / "2023.yaml")
    with using(data_roots=(str(shared),)):
        assert "Bromma" in build_plan(folder / "2023.yaml").recipients
    code, _, err = run_cli(capsys, "check", str(folder / "2023.yaml"))
    assert code == 2 and "ange mappen bland datamapparna (GNV_DATA_ROOTS)" in err
    monkeypatch.setenv("GNV_DATA_ROOTS", str(shared))  # read once, by the command line
    assert run_cli(capsys, "check", str(folder / "2023.yaml"))[0] != 2


def test_a_fifo_as_text_file_is_refused_without_hanging(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    import os

    folder = example_copy("stockholm")
    (folder / "texter/2025.md").unlink()
    os.mkfifo(folder / "texter/2025.md")
    started = time.monotonic()
    code, _, err = run_cli(capsys, "check", str(folder / "2025.yaml"))
    assert time.monotonic() - started < 5
    assert code == 2 and "texter/2025.md" in err and "ingen vanlig fil" in err


def test_csv_and_json_targets_that_are_folders(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for args in (
        ["allocate", str(PARAMS / "jamtland/2025.yaml"), "--csv", str(tmp_path)],
        ["followup", str(PARAMS / "stockholm/2025.yaml"), "--json", str(tmp_path)],
    ):
        code, _, err = run_cli(capsys, *args)
        assert code == 2 and "utfilen är en mapp" in err and "Traceback" not in err
