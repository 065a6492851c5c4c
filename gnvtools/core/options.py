"""What a run of gnvtools is given by its caller rather than reads for itself.

The command line resolves its settings once (``gnvtools.settings``: options, ``gnv.yaml``, the
environment) and hands the few that the layers below need down as one frozen ``Options``. No
module under the command line reads an environment variable; a report's process (a forked
child or a Jupyter kernel, which cannot take function arguments from ``gnv render``) is given
its options by one statement that ``gnv render`` adds to the notebook's first cell after its
parameters (``publish.render.with_options``); ``gnv lab``, through a startup file its kernels
run (``cli.lab_environment``).

One registry, set in a ``with`` block and restored, in the manner of xarray's ``set_options``::

    with using(Options(data_roots=("/delad/data",))):
        build_plan(path)  # may read data from /delad/data too
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Options:
    """``data_roots``: folders beyond the parameter file's own that data may be read from
    (``core.model.confine``). ``chart_png``: charts also carry a PNG, for the Word export
    (``reports.charts``). ``git_commit``: the project's commit for a report's appendix, read
    where the manifest is written; ``None`` when no caller gave one (a notebook run in
    JupyterLab), ``""`` when the project is no git repository. ``data_roots_where``: how the
    user sets ``data_roots`` (the command line names its variable), for messages."""

    data_roots: tuple[str, ...] = ()
    chart_png: bool = False
    git_commit: str | None = None
    data_roots_where: str = ""  # how the user sets data_roots, for messages


_current = Options()


def current() -> Options:
    """The options in force."""
    return _current


def set_options(options: Options) -> None:
    """Make ``options`` the ones in force for the rest of this process (a report's own process,
    which ends with the report); elsewhere use ``using``."""
    global _current
    if not isinstance(options, Options):
        raise TypeError(f"Options expected, got {type(options).__name__}")
    _current = options


@contextlib.contextmanager
def using(options: Options | None = None, **changes: Any) -> Iterator[Options]:
    """``options`` (default: those in force), with ``changes``, in force inside the block."""
    before = _current
    set_options(replace(options if options is not None else before, **changes))
    try:
        yield _current
    finally:
        set_options(before)
