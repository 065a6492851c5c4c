"""``gnv check``, ``gnv figures`` and ``gnv schema``: findings, the catalogue, the schemas."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gnvtools.commands.common import plain, print_findings
from gnvtools.errors import GnvError

if TYPE_CHECKING:
    from gnvtools.core.reconciliation import Finding


def cmd_check(args: argparse.Namespace) -> int:
    from gnvtools.core.params import is_comparison
    from gnvtools.core.reconciliation import has_errors
    from gnvtools.reports.checks import check_file

    path = Path(args.params)
    refuse_mapping_file(path)
    findings = check_comparison(path) if is_comparison(path) else check_file(path)
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        print_findings(findings)
    return 1 if has_errors(findings) else 0


def refuse_mapping_file(path: Path) -> None:
    """A comparison's mapping file given to ``gnv check`` is named as such, with the comparison
    file that uses it (it is checked with that file), not told its keys are unknown."""
    from gnvtools.core.yamlio import read_yaml

    data, _ = read_yaml(path)
    if not isinstance(data, dict) or "pots" in data or "years" in data:
        return
    if not {"recipient_groups", "areas", "activity_groups"} & set(data):
        return
    users = []
    for other in sorted(path.parent.glob("*.y*ml")):
        try:
            found, _ = read_yaml(other)
        except GnvError:
            continue
        if isinstance(found, dict) and found.get("mapping") == path.name:
            users.append(str(path.parent / other.name))
    how = f"gnv check {users[0]}" if users else "gnv check med jämförelsefilen (years:)"
    raise GnvError(
        "filen är en jämförelses mappningsfil (mapping: i en jämförelsefil), ingen parameterfil; "
        f"den kontrolleras med jämförelsefilen: {how}",
        file=path,
    )


def check_comparison(path: Path) -> list[Finding]:
    """``gnv check`` on a comparison file (top-level ``years:``): the file, its mapping and every
    year's file with its data and texts, as ``gnv build`` would read them for ``multi-year``.

    The findings are the comparison's (each year's, named by year) and the open ``ATT GÖRA``
    markers of the comparison file and of each year's files; an error in any file stops it.
    """
    from gnvtools.core.reconciliation import sort_findings
    from gnvtools.reports.checks import check_file, still_to_do
    from gnvtools.reports.comparison import Comparison

    comparison = Comparison.load(path)
    findings = list(comparison.findings)
    for year in comparison.years:
        if year.spec.file:  # its memo texts and decision items too, named as the file names it
            checked = check_file(path.parent / year.spec.file)
            findings += [f for f in checked if f.code == "todo"]
    findings += still_to_do([(comparison.path, str(path))])
    return sort_findings(findings)


def cmd_figures(args: argparse.Namespace) -> int:
    from gnvtools.reports.checks import figures_file

    catalogue = figures_file(Path(args.params), args.report)
    if args.json:
        print(json.dumps(catalogue.as_json(), ensure_ascii=False, indent=2))
        return 0
    width = max((len(name) for name in catalogue), default=0)
    for figure in catalogue.values():
        mark = " (exempeldata)" if figure.illustrative else ""
        print(f"{figure.name:<{width}}  {plain(figure.text):>18}  {figure.label}{mark}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from gnvtools.project.schema import dumps, load

    sys.stdout.write(dumps(load(args.name)))
    return 0
