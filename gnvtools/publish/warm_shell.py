"""The warm child's IPython shell: ipykernel's own shell class with its display publisher,
display hook and tracebacks recorded instead of sent (``_shell``), and what the parent's imports
set undone as a fresh kernel would have it (``_like_a_fresh_kernel``)."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, NoReturn

from gnvtools.publish.warm_record import _Recorder

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
KERNEL_DATAFRAME_COLUMNS = 20  # pandas' display.max_columns when imported in a kernel


class Kernel:
    """What the shell and its exit() look at; there is no event loop to stop."""

    eventloop = None


@functools.cache
def _classes() -> tuple[Any, Any, Any]:
    """ipykernel's shell class, display publisher and display hook, recorded instead of sent;
    made once per process (a class of IPython's costs its traitlets a walk over all its
    members): a build's report processes, forked after the worker made them, make none. Each
    records to the ``recorder`` ``_shell`` gives them."""
    publisher, hook = _display_classes()
    return _shell_class(publisher, hook), publisher, hook


def _display_classes() -> tuple[Any, Any]:
    """ipykernel's display publisher and display hook, recorded."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher

    class Publisher(DisplayPublisher):  # ipykernel's ZMQDisplayPublisher, recorded
        recorder: _Recorder

        def publish(  # type: ignore[override]
            self,
            data: dict[str, Any],
            metadata: dict[str, Any] | None = None,
            *,
            transient: dict[str, Any] | None = None,
            update: bool = False,
            **_: Any,
        ) -> None:
            self.recorder.flush_streams()
            metadata = {} if metadata is None else metadata
            self._validate_data(data, metadata)  # type: ignore[no-untyped-call]
            content = {"data": data, "metadata": metadata, "transient": transient or {}}
            self.recorder.message("update_display_data" if update else "display_data", content)

        def clear_output(self, wait: bool = False) -> None:
            self.recorder.flush_streams()
            self.recorder.message("clear_output", {"wait": wait})

    class Hook(DisplayHook):  # ipykernel's ZMQShellDisplayHook, recorded
        recorder: _Recorder
        content: dict[str, Any] | None = None

        def start_displayhook(self) -> None:
            self.content = {"data": {}, "metadata": {}}

        def write_output_prompt(self) -> None:
            if self.content is not None:
                self.content["execution_count"] = self.prompt_count

        def write_format_data(
            self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None
        ) -> None:
            if self.content is not None:
                self.content["data"] = format_dict
                self.content["metadata"] = md_dict

        def finish_displayhook(self) -> None:
            self.recorder.flush_streams()
            if self.content is not None and self.content["data"]:
                self.recorder.message("execute_result", self.content)
            self.content = None

    return Publisher, Hook


def _shell_class(publisher: Any, hook: Any) -> Any:
    """ipykernel's shell class, its display publisher and hook ``publisher`` and ``hook``."""
    from ipykernel.zmqshell import ZMQInteractiveShell

    class Shell(ZMQInteractiveShell):
        """Named as ipykernel's: pandas, tqdm and others tell a kernel by the shell's class."""

        recorder: _Recorder
        displayhook_class = hook
        display_pub_class = publisher

        def enable_gui(self, gui: str | None = None) -> None:
            """As ipykernel's, on this shell's kernel (``%matplotlib inline`` asks for it)."""
            from ipykernel.eventloops import enable_gui
            from IPython.core.error import UsageError

            try:
                enable_gui(gui, kernel=self.kernel)  # type: ignore[no-untyped-call]
                self.active_eventloop = gui
            except ValueError as exc:
                raise UsageError(str(exc)) from exc

        def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
            self.recorder.flush_streams()
            content = {"traceback": stb, "ename": str(etype.__name__), "evalue": str(evalue)}
            self.recorder.message("error", content)
            self._last_traceback = stb

    Shell.__name__ = Shell.__qualname__ = "ZMQInteractiveShell"
    return Shell


def _shell(recorder: _Recorder) -> Any:
    """ipykernel's shell class with its messages recorded by ``recorder`` instead of sent."""
    from ipykernel.compiler import XCachingCompiler
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    Shell, Publisher, Hook = _classes()
    for recorded in (Shell, Publisher, Hook):  # this process's one shell records to it
        recorded.recorder = recorder
    config = Config()
    config.HistoryManager.enabled = False  # no history database, no saving thread
    InteractiveShell.clear_instance()  # a shell of the process forked (gnv run in IPython)
    return Shell.instance(config=config, kernel=Kernel(), compiler_class=XCachingCompiler)


def _rc_file_defaults(matplotlib: Any) -> None:
    """``matplotlib.rc_file_defaults()``, setting only what differs: 70 ms less per report."""
    from matplotlib import _api

    params, original = matplotlib.rcParams, matplotlib.rcParamsOrig
    with _api.suppress_matplotlib_deprecation_warning():
        from matplotlib.style.core import STYLE_BLACKLIST  # where rc_file_defaults finds it

        for key in original:
            if key in STYLE_BLACKLIST:
                continue
            value = original._get(key)
            try:
                same = bool(params._get(key) == value)
            except (KeyError, ValueError, TypeError):
                same = False
            if not same:
                params[key] = value  # validated, as rc_file_defaults does


def _like_a_fresh_kernel(shell: Any) -> None:
    """Undo what the parent's imports set that a kernel's own imports would set otherwise.

    A kernel imports matplotlib with ``MPLBACKEND`` pointing at the inline backend, and pandas
    while ``get_ipython()`` is a kernel's shell; gnv imported both before forking, as a script.
    """
    import builtins
    import getpass

    from IPython.core.error import StdinNotImplementedError

    if not os.environ.get("MPLBACKEND"):  # as ipykernel's IPKernelApp.init_gui_pylab
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        _rc_file_defaults(matplotlib)  # whatever the parent's code changed, undone
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:  # the backend is loaded, with the shell's hooks, when first used
            matplotlib.rcParams["backend"] = os.environ["MPLBACKEND"]
        else:  # the caller had pyplot: set up now what loading the backend would have set up
            pyplot.close("all")
            if os.environ["MPLBACKEND"] == INLINE_BACKEND:
                shell.enable_matplotlib("inline")
            else:
                pyplot.switch_backend(os.environ["MPLBACKEND"])
    pandas = sys.modules.get("pandas")
    if pandas is not None and pandas.get_option("display.max_columns") == 0:
        pandas.set_option("display.max_columns", KERNEL_DATAFRAME_COLUMNS)
    if "" not in sys.path and not sys.flags.safe_path:  # as IPython's InteractiveShellApp
        sys.path.insert(0, "")

    def no_input(*_: Any, **__: Any) -> NoReturn:  # as a kernel run by papermill (no stdin)
        raise StdinNotImplementedError(
            "raw_input was called, but this frontend does not support input requests."
        )

    def no_getpass(*_: Any, **__: Any) -> NoReturn:
        raise StdinNotImplementedError(
            "getpass was called, but this frontend does not support input requests."
        )

    builtins.input = no_input
    getpass.getpass = no_getpass
