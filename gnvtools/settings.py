"""The settings of one ``gnv`` command, resolved once, at the command line.

The only module (with ``cli``, which uses it) that reads ``GNV_*`` environment variables. Each
is read here, once, into a frozen ``Settings``; ``gnv.yaml`` fills what the environment leaves
open (the environment wins, as it always has); the command then hands the layers below what
they need as explicit values: ``core.options.Options`` (in force for the command, and given
to each report's process by ``gnv render``) and ``publish.running.Running``.

| variable | what it sets | default |
|---|---|---|
| ``GNV_DATA_ROOTS`` | folders beyond a parameter file's own that data may come from (``os.pathsep``-separated) | none |
| ``GNV_NOTEBOOKS`` | the folder of report notebooks | the project's ``notebooks/``, else the package's |
| ``GNV_ENGINE`` | ``kernel``: run reports in a Jupyter kernel instead of a forked process | ``warm`` |
| ``GNV_BROWSER`` | the browser for PDF, a path or command (over ``browser`` in gnv.yaml) | looked for |
| ``GNV_BROWSER_TIMEOUT`` | seconds the browser may take to launch, 1–600 (over ``browser_timeout``) | 30 |
| ``GNV_DEBUG`` | a traceback for an internal error, the browser's own messages | off |
"""  # noqa: E501

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gnvtools.core.options import Options
from gnvtools.publish.running import Running

DATA_ROOTS = "GNV_DATA_ROOTS"
NOTEBOOKS = "GNV_NOTEBOOKS"
ENGINE = "GNV_ENGINE"
BROWSER = "GNV_BROWSER"
BROWSER_TIMEOUT = "GNV_BROWSER_TIMEOUT"
DEBUG = "GNV_DEBUG"


@dataclass(frozen=True)
class Settings:
    """What the environment (and then ``gnv.yaml``) says for this command."""

    data_roots: tuple[str, ...] = ()
    notebooks: Path | None = None
    engine: str = "warm"
    browser: str | None = None
    browser_timeout: str | None = None
    debug: bool = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every ``GNV_*`` variable once (``os.environ`` unless given)."""
        env = os.environ if environ is None else environ
        roots = tuple(p for p in env.get(DATA_ROOTS, "").split(os.pathsep) if p.strip())
        return cls(
            data_roots=roots,
            notebooks=Path(env[NOTEBOOKS]) if env.get(NOTEBOOKS) else None,
            engine="kernel" if env.get(ENGINE) == "kernel" else "warm",
            browser=env.get(BROWSER) or None,
            browser_timeout=env.get(BROWSER_TIMEOUT) or None,
            debug=env.get(DEBUG, "") not in ("", "0"),
        )

    def with_project(self, config: Any) -> Settings:
        """Fill what the environment left open from a project's config (``gnv.yaml``)."""
        timeout = getattr(config, "browser_timeout", None)
        return Settings(
            data_roots=self.data_roots,
            notebooks=self.notebooks,
            engine=self.engine,
            browser=self.browser or getattr(config, "browser", None) or None,
            browser_timeout=self.browser_timeout or (str(timeout) if timeout else None),
            debug=self.debug,
        )

    def options(self) -> Options:
        """What the core and the reports are given (``core.options``)."""
        return Options(data_roots=self.data_roots, data_roots_where=DATA_ROOTS)

    def running(self) -> Running:
        """How reports are run and printed (``publish.running``)."""
        return Running(
            notebooks=self.notebooks,
            engine=self.engine,
            browser=self.browser,
            browser_timeout=self.browser_timeout,
            where=f"browser i gnv.yaml eller {BROWSER}",
            timeout_where=f"browser_timeout i gnv.yaml eller {BROWSER_TIMEOUT}",
            debug=self.debug,
        )
