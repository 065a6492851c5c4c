"""``gnv allocate`` and ``gnv followup``: the model's numbers as CSV, JSON or a table."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

from gnvtools.commands.common import csv_safe, emit, plain, print_findings
from gnvtools.errors import GnvError


def cmd_allocate(args: argparse.Namespace) -> int:
    from gnvtools.core.model import allocate, build_plan

    result = allocate(build_plan(Path(args.params)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["pot", "step", "recipient", "amount", "ceiling", "requested"])
    for line in result.lines:
        writer.writerow(
            [
                csv_safe(line.pot),
                csv_safe(line.step),
                csv_safe(line.recipient),
                line.amount,
                "" if line.ceiling is None else line.ceiling,
                "" if line.requested is None else line.requested,
            ]
        )
    emit(buffer.getvalue(), args.csv)
    return 0


def cmd_followup(args: argparse.Namespace) -> int:
    from gnvtools.core.followup import followup_file
    from gnvtools.core.formatting import kr, percent

    if args.params is None and args.json not in (None, "-"):
        # "gnv followup --json PARAMS": the path belongs to PARAMS; JSON goes to stdout.
        args.params, args.json = args.json, "-"
    if args.params is None:
        raise GnvError("ange en parameterfil: gnv followup PARAMS [--json [FIL]]")
    result = followup_file(Path(args.params))
    if args.json is not None:
        text = json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n"
        emit(text, None if args.json == "-" else args.json)
        return 0
    rows = [
        ("Mottaget", kr(result.received)),
        ("Fördelat", kr(result.allocated)),
        ("Begärt", "–" if result.requested is None else kr(result.requested)),
        (
            "Beviljat (rekvisition)",
            "–" if result.requisitioned is None else kr(result.requisitioned),
        ),
        ("Förbrukat", kr(result.used)),
        ("Outnyttjat", kr(result.unused)),
        ("Nyttjandegrad", percent(result.utilisation)),
        ("Ej tillåten användning", kr(result.ineligible)),
        ("Att betala tillbaka", kr(result.repay)),
    ]
    for label, value in rows:
        print(f"{label:<24}{plain(value):>16}")
    print()
    print_findings(result.findings)
    return 0
