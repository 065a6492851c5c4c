"""Time the key split over a 100 000-row recipients file (linear work, target under 2 s).

Run: `.venv/bin/python benchmarks/bench_keys.py [ROWS] [RUNS]`. Prints the median of several runs
of loading the parameter file, reading the CSV, building the key and splitting the amount.
The data are generated (made up) in a temporary folder; nothing is written in the project.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gnvtools.core import reuse
from gnvtools.core.model import allocate, build_plan

YAML = """organisation: {name: Exempelkommun, type: kommun}
year: 2025
regime: sfs-2024-1253
title: Nyckelprov med många mottagare (påhittade data)
received: {total: 3674000000}
recipients:
  - {group: units, label: Enheter, file: units.csv, illustrative: true, source: påhittade}
pots:
  - name: Statsbidrag
    steps:
      - name: Efter befolkning och äldre
        kind: key
        amount: rest
        recipients: {group: units}
        key: {population: 1, population_65plus: 1}
"""


def make(folder: Path, rows: int) -> Path:
    rng = random.Random(2025)
    lines = ["name,population,population_65plus"]
    lines += [
        f"Enhet {i:06d},{rng.randint(100, 900_000)},{rng.randint(10, 90_000)}" for i in range(rows)
    ]
    (folder / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    params = folder / "2025.yaml"
    params.write_text(YAML, encoding="utf-8")
    return params


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as tmp:
        params = make(Path(tmp), rows)
        allocate(build_plan(params))  # warm-up: imports, ICU collator
        times = []
        for _ in range(runs):
            reuse.forget()  # a cold read each time: this process has read the files before
            started = time.perf_counter()
            result = allocate(build_plan(params))
            times.append(time.perf_counter() - started)
        placed = result.pots[0].placed
    print(
        f"key split over {rows} rows: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, {runs} runs); placed {placed} kr"
    )


if __name__ == "__main__":
    main()
