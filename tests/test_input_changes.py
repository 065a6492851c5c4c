"""What verify says about an edited input: every kind of input × every kind of edit is named.

Input kinds: CSV, xlsx (first sheet), xlsx (a named sheet, also below title rows), the YAML
parameter file, the memo's text file and gnv.yaml. Edits: a number, a name, a row added, a row
removed. Each must come back as a line naming where (sheet, row key, column or key path) and
the old and new value — never "filen har ändrats men inga värden skiljer sig".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pytest

from gnvtools.publish.changes import input_changes

from .conftest import PARAMS

STOCKHOLM = PARAMS / "stockholm"
DISTRICTS = (STOCKHOLM / "data/districts.csv").read_text(encoding="utf-8")
TITLE: list[list[object]] = [["Fördelning per stadsdel 2025"], [], ["Källa: SCB"]]


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _xlsx(csv_text: str, *, sheet: str | None = None, above: Sequence[list[object]] = ()) -> bytes:
    """The districts as a workbook: on the first sheet, or on ``sheet`` after a cover sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if sheet:
        ws["A1"] = "Försättsblad"
        ws = wb.create_sheet(sheet)
    for line in above:
        ws.append(line)
    for r, text in enumerate(csv_text.splitlines()):
        ws.append([int(v) if r and v.isdigit() else v for v in text.split(",")])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# The four edits, as text edits of the districts CSV.
TABLE_EDITS: dict[str, Callable[[str], str]] = {
    "number": lambda t: _edit(t, "Bromma,82410", "Bromma,83000"),
    "name": lambda t: _edit(t, "Farsta,63480", "Farsta C,63480"),
    "row-added": lambda t: t.rstrip("\n") + "\nNyby,1000,100,10\n",
    "row-removed": lambda t: _edit(t, "Järva,118540,12420,430\n", ""),
}


def _table_expected(where: str, first: int) -> dict[str, list[str]]:
    """What each edit must say; ``first`` is the row Bromma (the first district) is on."""
    return {
        "number": [f'{where}, rad {first} (Bromma), kolumn "population": 82 410 → 83 000'],
        "name": [f'{where}, rad {first + 2}, kolumn "name": "Farsta" → "Farsta C"'],
        "row-added": [f"{where}, rad {first + 11} (Nyby): raden har lagts till"],
        "row-removed": [f"{where}, rad {first + 5} (Järva): raden har tagits bort"],
    }


TABLE_KINDS: dict[str, tuple[str, Callable[[str], bytes], str, int, list[str] | None]] = {
    # kind: (path, how the districts are stored, how lines name the place, Bromma's row, sheets)
    "csv": ("data/districts.csv", lambda t: t.encode("utf-8"), "data/districts.csv", 2, None),
    "csv-excel-swedish": (
        "data/districts.csv",
        lambda t: t.replace(",", ";").replace("\n", "\r\n").encode("cp1252"),
        "data/districts.csv",
        2,
        None,
    ),
    "xlsx-first-sheet": (
        "data/districts.xlsx",
        lambda t: _xlsx(t),
        "data/districts.xlsx, flik Sheet",
        2,
        None,
    ),
    "xlsx-named-sheet": (
        "data/districts.xlsx",
        lambda t: _xlsx(t, sheet="Stadsdelar"),
        "data/districts.xlsx, flik Stadsdelar",
        2,
        None,
    ),
    "xlsx-named-sheet-as-read": (
        "data/districts.xlsx",
        lambda t: _xlsx(t, sheet="Stadsdelar"),
        "data/districts.xlsx, flik Stadsdelar",
        2,
        ["Stadsdelar"],
    ),
    "xlsx-below-a-title": (
        "data/districts.xlsx",
        lambda t: _xlsx(t, sheet="Stadsdelar", above=TITLE),
        "data/districts.xlsx, flik Stadsdelar",
        5,
        ["Stadsdelar!A4"],
    ),
    "xlsx-below-a-title-guessed": (
        "data/districts.xlsx",
        lambda t: _xlsx(t, sheet="Stadsdelar", above=TITLE),
        "data/districts.xlsx, flik Stadsdelar",
        5,
        None,
    ),
}


@pytest.mark.parametrize("edit", list(TABLE_EDITS))
@pytest.mark.parametrize("kind", list(TABLE_KINDS))
def test_a_table_edit_is_named(kind: str, edit: str) -> None:
    path, store, where, first, sheets = TABLE_KINDS[kind]
    old = store(DISTRICTS)
    new = store(TABLE_EDITS[edit](DISTRICTS))
    changes = input_changes(path, old, new, sheets=sheets)
    assert changes == _table_expected(where, first)[edit]


def test_an_edit_on_a_sheet_the_report_did_not_read_is_still_named() -> None:
    """Without the sheets the report read, every changed sheet is compared (cover included)."""
    from openpyxl import load_workbook

    old = _xlsx(DISTRICTS, sheet="Stadsdelar")
    wb = load_workbook(io.BytesIO(old))
    wb["Sheet"]["B2"] = "utkast"
    buffer = io.BytesIO()
    wb.save(buffer)
    changes = input_changes("data/d.xlsx", old, buffer.getvalue())
    assert changes == ['data/d.xlsx, flik Sheet, cell B2: (tomt) → "utkast"']
    assert input_changes("data/d.xlsx", old, buffer.getvalue(), sheets=["Stadsdelar"]) == [
        "data/d.xlsx: filen har ändrats men inga värden skiljer sig (format eller ordning)"
    ]


def test_a_total_row_added_is_named_with_its_row() -> None:
    new = DISTRICTS.rstrip("\n") + "\nSumma,1000,100,10\n"
    assert input_changes("data/districts.csv", DISTRICTS.encode(), new.encode()) == [
        'data/districts.csv: filen har ändrats och kan inte längre läsas (rad 13, kolumn "name": '
        'raden "Summa" är en summarad, inte en mottagare; gnv summerar själv, så ta bort raden '
        "(summor kan stå på en annan flik))"
    ]
    changes = input_changes(
        "data/d.xlsx", _xlsx(DISTRICTS, sheet="S"), _xlsx(new, sheet="S"), sheets=None
    )
    assert changes[:2] == [
        'data/d.xlsx, flik S, cell A13: (tomt) → "Summa"',
        "data/d.xlsx, flik S, cell B13: (tomt) → 1 000",
    ]


# --- YAML: the parameter file and gnv.yaml -----------------------------------------------------

PARAMS_2025 = (STOCKHOLM / "2025.yaml").read_text(encoding="utf-8")


def _line_of(text: str, part: str) -> int:
    return text[: text.index(part)].count("\n") + 1


YAML_EDITS: dict[str, tuple[Callable[[str], str], Callable[[str, str], str]]] = {
    # edit: (how, the line it gives for the old and new text)
    "number": (
        lambda t: _edit(t, "total: 41991440", "total: 41000000"),
        lambda old, new: (
            f"2025.yaml, received.total (rad {_line_of(new, 'total: 41000000')}): "
            "41 991 440 → 41 000 000"
        ),
    ),
    "name": (
        lambda t: _edit(t, "  name: Stockholms stad", "  name: Stockholms kommun"),
        lambda old, new: (
            f"2025.yaml, organisation.name (rad {_line_of(new, 'Stockholms kommun')}): "
            '"Stockholms stad" → "Stockholms kommun"'
        ),
    ),
    "row-added": (
        lambda t: _edit(
            t,
            "      - {name: Kommuner, amount: 750000000}\n",
            "      - {name: Kommuner, amount: 750000000}\n      - {name: Nytt, amount: 1}\n",
        ),
        lambda old, new: (
            f"2025.yaml, national_frames.0.parts.3 (rad {_line_of(new, 'name: Nytt')}): "
            'har lagts till ("Nytt")'
        ),
    ),
    "row-removed": (
        lambda t: _edit(t, "      - {name: Kommuner, amount: 750000000}\n", ""),
        lambda old, new: (
            f"2025.yaml, national_frames.0.parts.2 (rad {_line_of(old, 'name: Kommuner,')}): "
            'har tagits bort ("Kommuner")'
        ),
    ),
}


@pytest.mark.parametrize("edit", list(YAML_EDITS))
def test_a_parameter_file_edit_is_named(edit: str) -> None:
    how, expected = YAML_EDITS[edit]
    new = how(PARAMS_2025)
    changes = input_changes("2025.yaml", PARAMS_2025.encode(), new.encode())
    assert changes == [expected(PARAMS_2025, new)]


GNV_YAML = """\
parameters: parameters
workers: 2
formats: [html, pdf]
brand:
  colour: "#112233"
  font: Arial
"""

GNV_EDITS: dict[str, tuple[str, str, str]] = {
    "number": ("workers: 2", "workers: 3", "gnv.yaml, workers (rad 2): 2 → 3"),
    "name": ("font: Arial", "font: Garamond", 'gnv.yaml, brand.font (rad 6): "Arial" → "Garamond"'),
    "row-added": (
        "[html, pdf]",
        "[html, pdf, docx]",
        'gnv.yaml, formats.2 (rad 3): har lagts till ("docx")',
    ),
    "row-removed": (
        "[html, pdf]",
        "[pdf]",
        'gnv.yaml, formats.0 (rad 3): har tagits bort ("html")',
    ),
}


@pytest.mark.parametrize("edit", list(GNV_EDITS))
def test_a_project_file_edit_is_named(edit: str) -> None:
    old, new, expected = GNV_EDITS[edit]
    changed = _edit(GNV_YAML, old, new)
    assert input_changes("gnv.yaml", GNV_YAML.encode(), changed.encode()) == [expected]


# --- the memo's own text file -----------------------------------------------------------------

TEXT = (STOCKHOLM / "texter/2025.md").read_text(encoding="utf-8")
SOURCE = "Socialstyrelsen som hanterar det."


def _text_line(part: str) -> int:
    return _line_of(TEXT, part)


TEXT_EDITS: dict[str, tuple[Callable[[str], str], Callable[[], str]]] = {
    "number": (
        lambda t: _edit(t, "(2024:1253)", "(2024:1254)"),
        lambda: f"texter/2025.md, rad {_text_line('(2024:1253)')}: ",
    ),
    "name": (
        lambda t: _edit(t, SOURCE, "Socialstyrelsen (SoS) som hanterar det."),
        lambda: (
            f'texter/2025.md, rad {_text_line(SOURCE)}: "{SOURCE}" → '
            '"Socialstyrelsen (SoS) som hanterar det."'
        ),
    ),
    "row-added": (
        lambda t: _edit(t, "## Sammanfattning\n", "## Sammanfattning\nEn ny rad.\n"),
        lambda: (
            f"texter/2025.md, rad {_text_line('## Sammanfattning') + 1}: raden har lagts till "
            '("En ny rad.")'
        ),
    ),
    "row-removed": (
        lambda t: _edit(t, SOURCE + "\n", ""),
        lambda: f'texter/2025.md, rad {_text_line(SOURCE)}: raden har tagits bort ("{SOURCE}")',
    ),
}


@pytest.mark.parametrize("edit", list(TEXT_EDITS))
def test_a_text_file_edit_is_named(edit: str) -> None:
    how, expected = TEXT_EDITS[edit]
    changes = input_changes("texter/2025.md", TEXT.encode(), how(TEXT).encode())
    assert len(changes) == 1, changes
    assert changes[0].startswith(expected()), changes
    if edit == "number":
        assert "(2024:1253)" in changes[0] and "(2024:1254)" in changes[0]


def test_one_line_added_at_the_top_is_one_change() -> None:
    changes = input_changes("t.md", TEXT.encode(), ("Ny första rad\n" + TEXT).encode())
    assert changes == ['t.md, rad 1: raden har lagts till ("Ny första rad")']
