"""``gnv init DIR --name NAME``: a ready project for a municipality or region.

The organisation is looked up in the shipped reference tables (SCB codes, CC0): a municipality
by its code (``0380``), name (``Uppsala kommun``) or short name (``Uppsala``); a region by its
county code (``03``) or ``Region Uppsala``. The project holds a config file, a parameter file for
the coming year, data files with the right headers, a text file for the memo's own sections and
a README in Swedish. Everything still to fill in is marked ``ATT GÖRA``; ``gnv check`` lists those
places as warnings, so a new project is never a format error.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from gnvtools.core.figures import slug
from gnvtools.core.params import TODO
from gnvtools.errors import InputError
from gnvtools.project.config import CONFIG_NAME
from gnvtools.publish.atomic import write_text


@dataclass(frozen=True)
class Organisation:
    name: str
    type: str  # "kommun" or "region"
    code: str
    county: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("gnvtools").joinpath(f"data/reference/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def lookup(query: str) -> Organisation:
    """A municipality or region from its SCB code or name (case does not matter)."""
    wanted = " ".join(query.split())
    lowered = wanted.casefold()
    counties = {r["county_code"]: r for r in _rows("counties.csv")}
    municipalities = _rows("municipalities.csv")
    region_words = ("region ", "regionen ")
    if not lowered.startswith(region_words) and not (wanted.isdigit() and len(wanted) == 2):
        for row in municipalities:
            names = {row["municipality_name"].casefold(), row["municipality_name_short"].casefold()}
            if wanted == row["municipality_code"] or lowered in names:
                county = counties[row["county_code"]]["county_name"]
                return Organisation(
                    row["municipality_name"], "kommun", row["municipality_code"], county
                )
    bare = lowered.removeprefix("regionen ").removeprefix("region ")
    for code, row in counties.items():
        names = {
            row["county_name"].casefold(),
            row["county_name_short"].casefold(),
            row["county_name"].casefold().removesuffix(" län"),
        }
        if wanted == code or bare in names:
            return Organisation(
                f"Region {row['county_name_short']}", "region", code, row["county_name"]
            )
    known = [r["municipality_name"] for r in municipalities] + [
        f"Region {r['county_name_short']}" for r in counties.values()
    ]
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    hint = f" (menar du {' eller '.join(close)}?)" if close else ""
    raise InputError(
        f'"{wanted}" finns inte bland Sveriges kommuner och regioner{hint}; ange namnet '
        "(Uppsala kommun, Region Uppsala) eller SCB-koden (0380, 03)"
    )


def _config() -> str:
    return """# gnvtools-projekt. Sökvägar är relativa till den här mappen; flaggor på kommandoraden
# går före det som står här. Se dokumentationen för alla nycklar.
parameters: parameters        # där gnv build letar efter parameterfiler
output: outputs               # där rapporterna hamnar
formats: [html, pdf, docx, xlsx]
workers: 1
browser: null                 # Chromium/Chrome/Edge för PDF; null = sök automatiskt
word_template: null           # organisationens Word-mall (.dotx/.docx, högst 10 MB)
brand:
  colour: "#0b4f8a"           # rubrikfärg i HTML, PDF och Word
  font: null                  # typsnitt, t.ex. Arial; null = standard
  logo: null                  # logotyp (PNG, JPEG eller SVG, högst 2 MB) överst
"""


def _params(org: Organisation, year: int) -> str:
    board = "Regionstyrelsen" if org.type == "region" else "Kommunstyrelsen"
    return f"""# {org.name} {year}. Skapad av gnv init {date.today().isoformat()}.
# Fyll i det som är markerat; gnv check listar de ställen som återstår.
organisation:
  name: {org.name}
  type: {org.type}
  code: "{org.code}"
year: {year}
regime: sfs-2024-1253
title: Fördelning av statsbidrag för utveckling av en god och nära vård år {year}
decided_by: {board}             # {TODO}: den nämnd eller styrelse som beslutar
prepared_by: ""                 # {TODO}: förvaltningen som bereder ärendet
texts: texter/{year}.md

memo:
  proposal_heading: Förvaltningens förslag till beslut
  signatures:
    - {{title: "{TODO}: den som skriver under (titel)", unit: ""}}

received:
  total: 0                      # {TODO}: beloppet i Socialstyrelsens fördelning, i hela kronor

recipients:
  - group: mottagare
    label: Mottagare
    file: data/mottagare.csv
    illustrative: true          # {TODO}: ta bort när raderna är organisationens egna
    source: Exempelrader från gnv init; ersätt med organisationens mottagare.

pots:
  - name: Statsbidrag {year}
    source: received
    steps:
      - name: Efter befolkning
        kind: key
        amount: rest
        recipients: {{group: mottagare}}
        key: {{population: 1}}
        rule: "{TODO}: beskriv fördelningsmodellen i en mening."

reports: [allocation-memo]
"""


_RECIPIENTS = """name,population,population_65plus,places
Förvaltning A,1000,200,10
Förvaltning B,1000,200,10
"""

_SPEND = "recipient,area,amount,activity,activity_type,fund\n"
_REQUESTS = "recipient,amount\n"


def _texts(org: Organisation, year: int) -> str:
    return f"""# {org.name} {year}: förvaltningens egna avsnitt

<!-- Rubrikerna på nivå 2 (##) blir avsnitt i tjänsteutlåtandet, där en riktig
     tjänsteutlåtande har dem: Sammanfattning, Bakgrund, Ärendet, Ärendets beredning,
     Förvaltningens synpunkter och förslag, Kvarvarande medel från tidigare år,
     Redovisning och återbetalning, Jämställdhetsanalys. Ett avsnitt som saknas här skrivs
     av gnvtools. {{{{ mottaget }}}} sätter in en siffra; gnv figures PARAMS listar namnen. -->

## Ärendets beredning

{TODO}: vem som har berett ärendet, samverkan med de fackliga organisationerna och vilka råd
som har fått ta del av det, med datum.

## Förvaltningens synpunkter och förslag

{TODO}: förvaltningens förslag. Organisationen kan rekvirera {{{{ mottaget }}}} för {{{{ ar }}}}.

## Jämställdhetsanalys

{TODO}: en kort bedömning av hur fördelningen påverkar kvinnor och män.
"""


def _readme(org: Organisation, year: int, folder: str) -> str:
    return f"""# {org.name}: statsbidraget för god och nära vård

Det här är ett gnvtools-projekt. Så kommer du igång:

1. Öppna `parameters/{folder}/{year}.yaml` och fyll i allt som är markerat {TODO}: mottaget
   belopp, beslutande nämnd, den som bereder ärendet och fördelningsmodellen.
2. Ersätt exempelraderna i `parameters/{folder}/data/mottagare.csv` med era mottagare
   (en rad per förvaltning). Filen kan också vara en Excel-fil (`.xlsx`).
3. Skriv förvaltningens egna avsnitt i `parameters/{folder}/texter/{year}.md`.
4. Kör `gnv check parameters/{folder}/{year}.yaml`. Varningarna visar vad som återstår och
   varje avvikelse med sitt belopp.
5. Kör `gnv build`. Rapporterna hamnar i `outputs/` (HTML, PDF, Word och Excel).

`gnv figures parameters/{folder}/{year}.yaml` listar de siffror texterna kan använda, och
`gnv lab` öppnar JupyterLab i projektmappen. Inställningar för hela projektet (utmapp, format,
Word-mall, logotyp och färger) finns i `{CONFIG_NAME}`.

Uppföljningen vid årets slut: lägg till `followup:` i parameterfilen och fyll i
`data/forbrukning.csv` (förbrukning per mottagare och insatsområde); lägg till
`year-end-followup` under `reports`.
"""


def init_project(folder: Path, name: str, year: int | None = None) -> list[Path]:
    """Create the project; returns the files written. Refuses to overwrite anything."""
    org = lookup(name)
    year = year or date.today().year + 1
    sub = slug(org.name).replace("_", "-")
    files = {
        folder / CONFIG_NAME: _config(),
        folder / "README.md": _readme(org, year, sub),
        folder / "parameters" / sub / f"{year}.yaml": _params(org, year),
        folder / "parameters" / sub / "data" / "mottagare.csv": _RECIPIENTS,
        folder / "parameters" / sub / "data" / "forbrukning.csv": _SPEND,
        folder / "parameters" / sub / "data" / "rekvisitioner.csv": _REQUESTS,
        folder / "parameters" / sub / "texter" / f"{year}.md": _texts(org, year),
    }
    if folder.exists() and not folder.is_dir():
        raise InputError("projektmappen är en fil", file=folder)
    existing = [path for path in files if path.exists()]
    if existing:
        raise InputError("filen finns redan; gnv init skriver inte över något", file=existing[0])
    for path, text in files.items():
        write_text(path, text)
    written = list(files)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        write_text(gitignore, "outputs/\n")
        written.append(gitignore)
    return written
