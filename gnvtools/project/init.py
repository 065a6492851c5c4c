"""``gnv init DIR --name NAME``: a ready project for a municipality or region.

The organisation is looked up in the shipped reference tables (SCB codes, CC0): a municipality
by its code (``0380``), name (``Uppsala kommun``) or short name (``Uppsala``); a region by its
county code (``03``), its own name (``Region Jämtland Härjedalen``) or ``Region`` and the
county's short name. A near miss (``Umea``, ``Region Jamtland``) is told with the name meant,
compared with Swedish letters folded (``core.folding``). The project holds a config file, a
parameter file for the year, data files with the right headers for a municipality or a region,
a text file for the memo's own sections, the report notebooks and a README in Swedish
(``project.scaffold``). Everything still to fill in is marked ``ATT GÖRA``; ``gnv check`` lists
those places as warnings, so a new project is never a format error.

The year must be written with four digits and lie in a regime's period; the regime written is
the one that covers it (``core.regimes``).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources
from pathlib import Path

from gnvtools.core.figures import slug
from gnvtools.core.folding import closest, fold
from gnvtools.core.regimes import all_regimes, year_problem
from gnvtools.errors import InputError
from gnvtools.project.config import CONFIG_NAME
from gnvtools.project.notebooks import notebook_text
from gnvtools.project.scaffold import (
    REQUESTS,
    SPEND,
    Organisation,
    config_text,
    params_text,
    readme_text,
    recipients_text,
    texts_text,
)
from gnvtools.project.schema import dumps, load
from gnvtools.publish.atomic import write_text
from gnvtools.publish.recompute import NOTEBOOKS

# A region's own name where it is not "Region" and the county's short name (SCB's tables name
# the county, not the region).
REGION_NAMES = {
    "04": "Region Sörmland",
    "06": "Region Jönköpings län",
    "08": "Region Kalmar län",
    "14": "Västra Götalandsregionen",
    "18": "Region Örebro län",
    "23": "Region Jämtland Härjedalen",
}


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("gnvtools").joinpath(f"data/reference/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _spellings() -> dict[str, Organisation]:
    """Every spelling a user may give (case-folded) → the organisation it names."""
    counties = {r["county_code"]: r for r in _rows("counties.csv")}
    found: dict[str, Organisation] = {}
    for row in _rows("municipalities.csv"):
        county = counties[row["county_code"]]["county_name"]
        org = Organisation(row["municipality_name"], "kommun", row["municipality_code"], county)
        for name in (org.name, row["municipality_name_short"], org.code):
            found[name.casefold()] = org
    for code, row in counties.items():
        own = REGION_NAMES.get(code, f"Region {row['county_name_short']}")
        region = Organisation(own, "region", code, row["county_name"])
        short = row["county_name_short"]
        for name in (own, f"Region {short}", f"Regionen {short}", row["county_name"], code):
            found[name.casefold()] = region
        found.setdefault(short.casefold(), region)  # "Uppsala" is the municipality
    return found


def lookup(query: str) -> Organisation:
    """A municipality or region from its SCB code or name (case does not matter). A name
    that matches only with Swedish letters folded (``Umea``) is suggested, not taken."""
    wanted = " ".join(query.split())
    spellings = _spellings()
    org = spellings.get(wanted.casefold())
    if org is not None:
        return org
    named = [k for k in spellings if not k.isdigit()]
    same = [k for k in named if fold(k) == fold(wanted)]  # Umea: only Umeå kommun is meant
    close = list(dict.fromkeys(spellings[k].name for k in same or closest(wanted, named, n=5)))
    close = close[:3]
    hint = f" (menar du {' eller '.join(close)}?)" if close else ""
    raise InputError(
        f'"{wanted}" finns inte bland Sveriges kommuner och regioner{hint}; ange namnet '
        "(Uppsala kommun, Region Uppsala) eller SCB-koden (0380, 03)"
    )


def regime_for(year: int) -> str:
    """The regime that covers ``year`` (the latest, should two); an error names the periods."""
    problem = year_problem(year)
    if problem:
        raise InputError(f"--year {year}: {problem}")
    covering = [r.id for r in all_regimes().values() if r.covers(year)]
    return covering[-1]


def init_project(folder: Path, name: str, year: int | None = None) -> list[Path]:
    """Create the project; returns the files written. Refuses to overwrite anything."""
    org = lookup(name)
    year = year if year is not None else date.today().year + 1
    regime = regime_for(year)
    sub = slug(org.name).replace("_", "-")
    files = {
        folder / CONFIG_NAME: config_text(),
        folder / "README.md": readme_text(org, year, sub),
        folder / "parameters" / sub / f"{year}.yaml": params_text(org, year, regime),
        folder / "parameters" / sub / "data" / "mottagare.csv": recipients_text(org),
        folder / "parameters" / sub / "data" / "forbrukning.csv": SPEND,
        folder / "parameters" / sub / "data" / "rekvisitioner.csv": REQUESTS,
        folder / "parameters" / sub / "texter" / f"{year}.md": texts_text(org, year),
    }
    for report, notebook in NOTEBOOKS.items():
        files[folder / "notebooks" / notebook] = notebook_text(report)
    # the schemas an editor's YAML language server checks and completes with (first lines)
    for name in ("params", "gnv-yaml"):
        files[folder / "schemas" / f"{name}.schema.json"] = dumps(load(name))
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


__all__ = ["REGION_NAMES", "Organisation", "init_project", "lookup", "regime_for"]
