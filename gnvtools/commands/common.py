"""What the commands share: output to a terminal or a file, findings as lines, the settings
``gnvtools.cli.main`` resolved and passed down, SIGTERM as Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gnvtools.errors import GnvError
from gnvtools.publish.atomic import write_text
from gnvtools.settings import Settings

if TYPE_CHECKING:
    from gnvtools.core.reconciliation import Finding


def plain(text: str) -> str:
    """No-break spaces as plain spaces, for terminals (see ``gnvtools.core.formatting.plain``)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def emit(text: str, target: str | None) -> None:
    """``text`` to the file ``target`` (written atomically), or to stdout without one."""
    if target:
        path = Path(target)
        if path.is_dir():
            raise GnvError("utfilen är en mapp; ange ett filnamn", file=path)
        if path.parent.exists() and not path.parent.is_dir():
            raise GnvError("utfilens mapp är en fil", file=path.parent)
        try:
            write_text(path, text)
        except PermissionError as exc:
            raise GnvError("utfilen kan inte skrivas: behörighet saknas", file=path) from exc
        except OSError as exc:
            raise GnvError("utfilen kunde inte skrivas", file=path) from exc
    else:
        sys.stdout.write(text)


def print_findings(findings: Sequence[Finding]) -> None:
    """Each finding as a line with its level, then the sentence that sums them up."""
    from gnvtools.core.reconciliation import LEVEL_NAMES
    from gnvtools.reports.common import findings_sentence

    if not findings:
        print("Inga avvikelser.")
    for finding in findings:
        print(f"[{LEVEL_NAMES[finding.level]}] {plain(finding.message)}")
    print()
    print(plain(findings_sentence(findings, listed=False)))


def csv_safe(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (OWASP): prefix ``'``."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def settings_of(args: argparse.Namespace) -> Settings:
    """The command's settings, as ``gnvtools.cli.main`` resolved them and passed them down."""
    settings: Settings = args.settings
    return settings


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``timeout``, a service manager) as Ctrl-C: clean-up runs, then exit 130."""
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals as they are
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
