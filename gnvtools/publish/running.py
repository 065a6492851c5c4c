"""How gnv runs reports, as the command line resolved it once (``gnvtools.settings``: options,
``gnv.yaml``, the environment). Nothing in ``publish`` reads the environment for these: they
are passed down as this one frozen value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ENGINES = ("warm", "kernel")


@dataclass(frozen=True)
class Running:
    """``notebooks``: the folder of report notebooks (``None``: the project's own copies, else
    the package's). ``engine``: ``"warm"`` (a forked, pre-imported process per report, where
    ``os.fork`` exists) or ``"kernel"`` (a Jupyter kernel). ``browser``: a browser path or command
    for PDF (``None``: look for one). ``browser_timeout``: seconds to wait for it to launch, as
    given (checked when a printer starts: a wrong value costs the PDF only; ``None``: 30 s).
    ``where``: how the user sets the browser and its timeout, for messages. ``debug``: a
    developer's details on stderr."""

    notebooks: Path | None = None
    engine: str = "warm"
    browser: str | None = None
    browser_timeout: str | None = None
    where: str = "browser i gnv.yaml"
    timeout_where: str = "browser_timeout i gnv.yaml"
    debug: bool = False
