"""The ``gnv`` command line. Its commands and outputs are a public contract (see DESIGN).

Exit codes: 0 success; 1 error-level findings or a failed report; 2 unreadable or invalid input.
Every message a user reads is Swedish; no traceback reaches the user unless GNV_DEBUG=1.
The environment is read once, here (``gnvtools.settings``), and passed down as explicit values:
the commands in ``gnvtools.commands`` get their settings from ``main``. ``gnv lab`` is here too,
since it hands this process's environment on to JupyterLab.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from gnvtools.commands.common import plain, settings_of, terminate_as_interrupt
from gnvtools.commands.parser import build_parser
from gnvtools.core import options
from gnvtools.errors import GnvError
from gnvtools.settings import Settings

__all__ = ["HANDLERS", "build_parser", "handler", "lab_command", "lab_environment", "main", "run"]


def lab_command(root: Path, options: Sequence[str] = ()) -> list[str]:
    """JupyterLab with ``root`` (the project) as its folder, opened at its ``notebooks/``;
    ``options`` (after ``--`` on the command line) go to JupyterLab as they are."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if (root / "notebooks").is_dir():
        command.append("--LabApp.default_url=/lab/tree/notebooks")
    return [*command, *options]


def cmd_lab(args: argparse.Namespace) -> int:
    import importlib.util
    import subprocess
    import tempfile

    root = Path(args.dir).resolve()
    if not root.is_dir():
        raise GnvError("projektmappen finns inte", file=root)
    if importlib.util.find_spec("jupyterlab") is None:
        raise GnvError(
            "JupyterLab är inte installerat; installera det med: pip install 'gnvtools[lab]'"
        )
    options = list(args.jupyter)  # what followed "--" (``main``)
    print(f"Öppnar JupyterLab i {root}. Avsluta med Ctrl-C.", file=sys.stderr)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in options:
        # JupyterLab refuses root without it (a container often runs as root); it still
        # listens on this machine only, behind its token.
        options.append("--allow-root")
        print(
            "Du kör som root (administratör): JupyterLab startas med --allow-root. Kör hellre "
            "som en vanlig användare.",
            file=sys.stderr,
        )
    if not (root / "notebooks").is_dir():
        print(
            "Projektet har ingen notebooks/: gnv notebooks lägger rapporternas "
            "anteckningsböcker där.",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="gnv-lab-") as folder:
        env = lab_environment(settings_of(args), Path(folder))
        lab = subprocess.Popen(lab_command(root, options), cwd=root, env=env)
        try:
            with terminate_as_interrupt():  # SIGTERM to gnv ends JupyterLab too
                return lab.wait()
        finally:
            if lab.poll() is None:
                lab.terminate()
                try:
                    lab.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    lab.kill()
                    lab.wait()


def lab_environment(settings: Settings, folder: Path) -> dict[str, str]:
    """JupyterLab's environment: its kernels get this command's options (the data roots) as
    ``gnv render`` gives them to a report, through a startup file in ``folder`` that IPython
    kernels run (``PYTHONSTARTUP``); a startup file of the user's own still runs, first."""
    from gnvtools.publish.render import options_statement

    env = dict(os.environ)
    own = env.get("PYTHONSTARTUP", "")
    startup = folder / "gnv_startup.py"
    startup.write_text(
        f"_gnv_own = {own!r}\n"
        "if _gnv_own:\n"
        "    with open(_gnv_own, encoding='utf-8') as _gnv_file:\n"
        "        exec(compile(_gnv_file.read(), _gnv_own, 'exec'))\n"
        f"{options_statement(settings.options())}\n",
        encoding="utf-8",
    )
    env["PYTHONSTARTUP"] = str(startup)
    return env


#: Each command's handler, by the name ``build_parser`` gives it (``args.command``): the module
#: and function, imported when that command runs (``handler``), so a command loads only its
#: own code.
HANDLERS: dict[str, str] = {
    "check": "gnvtools.commands.checking:cmd_check",
    "figures": "gnvtools.commands.checking:cmd_figures",
    "schema": "gnvtools.commands.checking:cmd_schema",
    "allocate": "gnvtools.commands.model:cmd_allocate",
    "followup": "gnvtools.commands.model:cmd_followup",
    "render": "gnvtools.commands.reports:cmd_render",
    "build": "gnvtools.commands.reports:cmd_build",
    "init": "gnvtools.commands.project:cmd_init",
    "notebooks": "gnvtools.commands.project:cmd_notebooks",
    "lab": "gnvtools.cli:cmd_lab",
    "verify": "gnvtools.commands.reports:cmd_verify",
    "bundle": "gnvtools.commands.reports:cmd_bundle",
}


def handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs ``command`` (``HANDLERS``)."""
    import importlib

    module, _, name = HANDLERS[command].partition(":")
    found: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    passed: list[str] = []
    if words[:1] == ["lab"] and "--" in words:  # gnv lab [DIR] -- JUPYTER_OPTIONS…
        cut = words.index("--")
        words, passed = words[:cut], words[cut + 1 :]
    args = parser.parse_args(words)
    if passed:
        args.jupyter = passed
    func = handler(args.command)
    settings = args.settings = Settings.from_environment()
    try:
        with options.using(settings.options()):
            return func(args)
    except GnvError as exc:
        print(f"fel: {plain(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("avbrutet", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader (e.g. "| head") stopped reading: not an error of ours
        return 141
    except Exception as exc:  # the user gets one line; GNV_DEBUG=1 shows the traceback
        if settings.debug:
            traceback.print_exc()
        print(
            f"internt fel i gnvtools ({type(exc).__name__}: {exc}). Kör med GNV_DEBUG=1 "
            "för detaljer och rapportera felet.",
            file=sys.stderr,
        )
        return 3


def run() -> None:
    """The ``gnv`` console script.

    Every file has been written atomically and synced by the time ``main`` returns, the kernel
    shut down and the browser closed. Tearing down the interpreter's module graph (papermill,
    nbconvert, zmq) would add about 0,4 s to every command for nothing, so exit directly.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, OSError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
