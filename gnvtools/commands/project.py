"""``gnv init`` and ``gnv notebooks``: a new project, and the reports' notebooks in it."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_init(args: argparse.Namespace) -> int:
    from gnvtools.project.init import init_project, lookup

    folder = Path(args.dir)
    org = lookup(args.name)
    created = init_project(folder, args.name, args.year)
    print(f"Nytt projekt för {org.name} ({org.type}, SCB-kod {org.code}) i {folder}:")
    for path in created:
        print(f"  {path}")
    print("Läs README.md i projektmappen: den säger vad som ska fyllas i.")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from gnvtools.project.notebooks import put_notebooks

    written = put_notebooks(Path(args.dir), force=args.force)
    for item in written:
        print(f"  {item.path}: {item.status}")
    return 0
