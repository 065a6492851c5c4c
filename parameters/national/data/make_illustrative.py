"""Write municipalities.csv: the 290 real municipality codes and names with made-up figures.

Run once by hand (``python make_illustrative.py``); the output is committed as example input,
so the example never changes unless this script is changed and run again. Codes and names come
from the project's reference copy of SCB's list (CC0). Population, individuals with municipal
health care and the municipality type are ILLUSTRATIVE: only Stockholm's population (995 574)
and Sweden's total (10 587 710), both on 31 December 2024, are published figures, and the number
of municipalities of each type follows Tillväxtverket's published counts.
"""

from __future__ import annotations

import csv
import random
from fractions import Fraction
from pathlib import Path

from gnvtools.core.money import split

HERE = Path(__file__).parent
REFERENCE = HERE / "municipalities-reference.csv"
SWEDEN = 10_587_710
STOCKHOLM = ("0180", 995_574)
TYPES = [  # largest illustrative population first
    ("storstadskommun", 29),
    ("tät blandad kommun", 103),
    ("gles blandad kommun", 28),
    ("tätortsnära landsbygdskommun", 70),
    ("gles landsbygdskommun", 45),
    ("mycket gles landsbygdskommun", 15),
]


def main() -> None:
    rng = random.Random(20250101)
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    others = [r for r in rows if r["municipality_code"] != STOCKHOLM[0]]
    weights = {r["municipality_code"]: Fraction(rng.lognormvariate(10, 1.0)) for r in others}
    population = split(SWEDEN - STOCKHOLM[1], weights)
    population[STOCKHOLM[0]] = STOCKHOLM[1]
    by_size = sorted(rows, key=lambda r: -population[r["municipality_code"]])
    kinds: dict[str, str] = {}
    start = 0
    for kind, count in TYPES:
        for row in by_size[start : start + count]:
            kinds[row["municipality_code"]] = kind
        start += count
    with (HERE / "municipalities.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["name", "code", "county_code", "population", "hsl_individuals", "municipality_type"]
        )
        for row in rows:
            code = row["municipality_code"]
            people = population[code]
            hsl = round(people * rng.uniform(0.030, 0.052))
            writer.writerow(
                [row["municipality_name"], code, row["county_code"], people, hsl, kinds[code]]
            )


if __name__ == "__main__":
    main()
