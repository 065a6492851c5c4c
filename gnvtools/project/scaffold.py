"""The files ``gnv init`` writes, as text: config, parameter file, data, texts and README.

A municipality and a region get different projects: a municipality splits the grant between its
administrations (förvaltningar) by a key over population, people aged 65 and over and places in
special housing; a region between its boards (styrelse, nämnder) by fixed amounts, as Region
Jämtland Härjedalen does. Everything still to fill in is marked ``ATT GÖRA``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gnvtools.core.params import TODO
from gnvtools.project.config import CONFIG_NAME


@dataclass(frozen=True)
class Organisation:
    name: str
    type: str  # "kommun" or "region"
    code: str
    county: str

    @property
    def region(self) -> bool:
        return self.type == "region"


def config_text() -> str:
    return """# yaml-language-server: $schema=schemas/gnv-yaml.schema.json
# gnvtools-projekt. Sökvägar är relativa till den här mappen; flaggor på kommandoraden
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


def _recipients_group(org: Organisation) -> str:
    if org.region:
        return """recipients:
  - group: mottagare
    label: Styrelse och nämnder
    file: data/mottagare.csv
    text_columns: [description]
    illustrative: true          # ATT GÖRA: ta bort när raderna är regionens egna
    source: Exempelrader från gnv init; ersätt med regionens styrelse och nämnder."""
    return """recipients:
  - group: mottagare
    label: Förvaltningar
    file: data/mottagare.csv
    illustrative: true          # ATT GÖRA: ta bort när raderna är kommunens egna
    source: Exempelrader från gnv init; ersätt med kommunens förvaltningar."""


def _steps(org: Organisation) -> str:
    if org.region:
        return f"""      - name: Till styrelse och nämnder
        kind: fixed
        amounts: {{Regionstyrelsen: 0, Hälso- och sjukvårdsnämnden: 0}}
        rule: "{TODO}: beskriv vad varje belopp är till för, i en mening.\""""
    return f"""      - name: Efter befolkning
        kind: key
        amount: rest
        recipients: {{group: mottagare}}
        key: {{population: 1}}
        rule: "{TODO}: beskriv fördelningsmodellen i en mening.\""""


def params_text(org: Organisation, year: int, regime: str) -> str:
    board = "Regionstyrelsen" if org.region else "Kommunstyrelsen"
    preparer = "regiondirektören eller förvaltningen" if org.region else "förvaltningen"
    return f"""# yaml-language-server: $schema=../../schemas/params.schema.json
# {org.name} {year}. Skapad av gnv init {date.today().isoformat()}.
# Fyll i det som är markerat; gnv check listar de ställen som återstår.
organisation:
  name: {org.name}
  type: {org.type}
  code: "{org.code}"
year: {year}
regime: {regime}
title: Fördelning av statsbidrag för utveckling av en god och nära vård år {year}
decided_by: {board}             # {TODO}: den nämnd eller styrelse som beslutar
prepared_by: ""                 # {TODO}: {preparer} som bereder ärendet
texts: texter/{year}.md

memo:
  proposal_heading: Förvaltningens förslag till beslut
  signatures:
    - {{title: "{TODO}: den som skriver under (titel)", unit: ""}}

received:
  total: 0                      # {TODO}: beloppet i Socialstyrelsens fördelning, i hela kronor

{_recipients_group(org)}

pots:
  - name: Statsbidrag {year}
    source: received
    steps:
{_steps(org)}

reports: [allocation-memo]
"""


def recipients_text(org: Organisation) -> str:
    if org.region:
        return (
            "name,description\n"
            "Regionstyrelsen,Hälsocentraler och övergripande utvecklingsarbete\n"
            "Hälso- och sjukvårdsnämnden,Förflyttning från specialiserad vård till nära vård\n"
        )
    return (
        "name,population,population_65plus,places\n"
        "Förvaltning A,1000,200,10\n"
        "Förvaltning B,1000,200,10\n"
    )


SPEND = "recipient,area,amount,activity,activity_type,fund\n"
REQUESTS = "recipient,amount\n"


def texts_text(org: Organisation, year: int) -> str:
    whom = "regionen" if org.region else "kommunen"
    return f"""# {org.name} {year}: egna avsnitt

<!-- Rubrikerna på nivå 2 (##) blir avsnitt i tjänsteutlåtandet, där en riktig
     tjänsteutlåtande har dem: Sammanfattning, Bakgrund, Ärendet, Ärendets beredning,
     Förvaltningens synpunkter och förslag, Kvarvarande medel från tidigare år,
     Redovisning och återbetalning, Jämställdhetsanalys. Ett avsnitt som saknas här skrivs
     av gnvtools. {{{{ mottaget }}}} sätter in en siffra; gnv figures PARAMS listar namnen. -->

## Ärendets beredning

{TODO}: vem som har berett ärendet, samverkan med de fackliga organisationerna och vilka råd
som har fått ta del av det, med datum.

## Förvaltningens synpunkter och förslag

{TODO}: förslaget. {whom.capitalize()} kan rekvirera {{{{ mottaget }}}} för {{{{ ar }}}}.

## Jämställdhetsanalys

{TODO}: en kort bedömning av hur fördelningen påverkar kvinnor och män.
"""


def _recipient_steps(org: Organisation, folder: str) -> str:
    data = f"`parameters/{folder}/data/mottagare.csv`"
    if org.region:
        return (
            f"2. Ersätt exempelraderna i {data} med regionens styrelse och nämnder (en rad\n"
            "   var, med en kort beskrivning av vad de får medel till) och ange beloppen i\n"
            "   fördelningssteget. Filen kan också vara en Excel-fil (`.xlsx`)."
        )
    return (
        f"2. Ersätt exempelraderna i {data} med era förvaltningar (en rad per\n"
        "   förvaltning, med befolkning, antal personer 65 år och äldre och platser i\n"
        "   särskilt boende). Filen kan också vara en Excel-fil (`.xlsx`)."
    )


def readme_text(org: Organisation, year: int, folder: str) -> str:
    model = "beloppen till styrelse och nämnder" if org.region else "fördelningsmodellen"
    return f"""# {org.name}: statsbidraget för god och nära vård

Det här är ett gnvtools-projekt. Så kommer du igång:

1. Öppna `parameters/{folder}/{year}.yaml` och fyll i allt som är markerat {TODO}: mottaget
   belopp, beslutande {"styrelse" if org.region else "nämnd"}, den som bereder ärendet och
   {model}.
{_recipient_steps(org, folder)}
3. Skriv de egna avsnitten i `parameters/{folder}/texter/{year}.md`.
4. Kör `gnv check parameters/{folder}/{year}.yaml`. Varningarna visar vad som återstår och
   varje avvikelse med sitt belopp.
5. Kör `gnv build`. Rapporterna hamnar i `outputs/` (HTML, PDF, Word och Excel).

`gnv figures parameters/{folder}/{year}.yaml` listar de siffror texterna kan använda.
Rapporternas anteckningsböcker ligger i `notebooks/` och läser {year}.yaml; `gnv lab` öppnar
dem i JupyterLab. Inställningar för hela projektet (utmapp, format, Word-mall, logotyp och
färger) finns i `{CONFIG_NAME}`. Med `schemas/` föreslår och kontrollerar en editor med
YAML-stöd (till exempel VS Code) nycklarna i parameterfilen och i `{CONFIG_NAME}`.

Uppföljningen vid årets slut: lägg till `followup:` i parameterfilen och fyll i
`data/forbrukning.csv` (förbrukning per mottagare och insatsområde); lägg till
`year-end-followup` under `reports`.
"""


__all__ = [
    "REQUESTS",
    "SPEND",
    "Organisation",
    "config_text",
    "params_text",
    "readme_text",
    "recipients_text",
    "texts_text",
]
