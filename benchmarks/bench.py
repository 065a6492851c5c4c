"""Speed of gnvtools on this machine, against the papermill floor, in one run.

The floor is papermill executing a notebook that only imports pandas and matplotlib: no report
can be faster than that. Every figure is the median of several runs of a whole command, as a
user runs it (interpreter start, kernel start, browser start included), and is printed with its
ratio to the floor. Usage: ``python benchmarks/bench.py [--runs N]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GNV = str(BIN / "gnv")
PAPERMILL = str(BIN / "papermill")


def timed(command: list[str], runs: int) -> list[float]:
    """Wall times of ``runs`` runs, after one unmeasured run that warms the disk caches."""
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gnv-bench-"))
    from gnvtools.publish.build import discover

    reports = len(discover(ROOT / "parameters", tmp))
    cases: dict[str, list[float]] = {}
    cases["floor"] = timed(
        [PAPERMILL, "--no-progress-bar", "benchmarks/floor.ipynb", str(tmp / "floor.ipynb")],
        args.runs,
    )
    cases["report"] = timed(
        [
            GNV,
            "render",
            "allocation-memo",
            "parameters/stockholm/2025.yaml",
            "--to",
            "html,pdf,xlsx",
            "--out",
            str(tmp / "one"),
        ],
        args.runs,
    )
    for workers in (1, 2):
        cases[f"build-{workers}"] = timed(
            [
                GNV,
                "build",
                "--force",
                "--quiet",
                "--workers",
                str(workers),
                "--out",
                str(tmp / "b"),
            ],
            args.runs,
        )
    cases["rebuild"] = timed(
        [GNV, "build", "--quiet", "--workers", "2", "--out", str(tmp / "b")], args.runs
    )
    shutil.rmtree(tmp, ignore_errors=True)

    median = {name: statistics.median(times) for name, times in cases.items()}
    floor = median["floor"]
    targets = {
        "report": ("≤ 1.5 × floor", median["report"] <= 1.5 * floor),
        "build-2": (
            f"≤ 1.3 × ({reports} × floor / 2)",
            median["build-2"] <= 1.3 * reports * floor / 2,
        ),
        "rebuild": ("≤ 5 % of build-2", median["rebuild"] <= 0.05 * median["build-2"]),
    }
    labels = {
        "floor": "papermill floor (imports pandas, matplotlib)",
        "report": "one report: HTML + PDF + Excel + manifest",
        "build-1": f"example build, {reports} reports, 1 worker",
        "build-2": f"example build, {reports} reports, 2 workers",
        "rebuild": "unchanged rebuild, 2 workers",
    }
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs per case: {args.runs} (median), after one warm-up run each\n")
    print(f"{'case':<48} {'median s':>9} {'× floor':>8}  target")
    for name, value in median.items():
        target = targets.get(name)
        mark = f"{target[0]}: {'ok' if target[1] else 'MISSED'}" if target else ""
        print(f"{labels[name]:<48} {value:>9.2f} {value / floor:>8.2f}  {mark}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.json").write_text(
        json.dumps({"runs": cases, "median": median, "reports": reports}, indent=2)
    )


if __name__ == "__main__":
    main()
