"""The warm engine runs cells as a kernel does, and its forked child never outlives or returns.

``tests/notebooks/kernel_parity.ipynb`` holds every kind of output a notebook makes (HTML, a
DataFrame, a pyplot figure as PNG and as SVG, a gnvtools chart, ``%time``, prints to both
streams, a display updated by its id, cleared output, ``input()``, an error); papermill's
kernel and the warm engine must give the same outputs, timings and memory addresses aside.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from gnvtools.publish.warm import _run_forked, warm_available

pytestmark = pytest.mark.skipif(not warm_available(), reason="os.fork is not available here")

NOTEBOOK = Path(__file__).parent / "notebooks" / "kernel_parity.ipynb"
ROOT = Path(__file__).resolve().parent.parent


def _normalised(outputs: list[dict[str, Any]]) -> str:
    text = json.dumps(outputs, sort_keys=True, ensure_ascii=False)
    text = re.sub(r"\b0x[0-9a-f]+", "0x…", text)  # memory addresses
    return re.sub(r"(CPU times|Wall time): [^\\]*", r"\1: …", text)  # %time


def _execute(engine: str | None, path: Path) -> dict[str, tuple[Any, str]]:
    """Each code cell's execution count and normalised outputs, by cell id."""
    import nbformat
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="avsiktligt fel"):
        pm.execute_notebook(
            str(NOTEBOOK),
            str(path),
            parameters={"greeting": "Hallå"},
            engine_name=engine,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(ROOT),
        )
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(notebook)
    return {
        # papermill gives its injected cell a random id
        "injected" if "injected-parameters" in cell.metadata.get("tags", []) else cell.id: (
            cell.get("execution_count"),
            _normalised(cell.get("outputs", [])),
        )
        for cell in notebook.cells
        if cell.cell_type == "code"
    }


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
def test_the_parity_notebook_gives_the_kernels_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GNV_ENGINE", "warm")
    kernel = _execute(None, tmp_path / "kernel.ipynb")
    warm = _execute("gnvwarm", tmp_path / "warm.ipynb")
    assert list(warm) == list(kernel)
    for cell, ours in warm.items():
        assert ours == kernel[cell], cell
    shown = {cell: outputs for cell, (_, outputs) in warm.items()}
    assert '"text/html": "<p>Hallå <b>världen</b></p>"' in shown["html"]
    assert "<Figure size 300x200 with 1 Axes>" in shown["pyplot-png"]
    assert '"image/png"' in shown["pyplot-png"] and '"image/svg+xml"' in shown["pyplot-svg"]
    assert "CPU times: …" in shown["time-magic"]
    assert "'ZMQInteractiveShell',\\n True)" in shown["kernel-environment"]  # as pandas sees it
    assert "från skalet" in shown["shell-escape"]
    assert "StdinNotImplementedError" in shown["input"]  # input() as under papermill
    assert shown["clear-output"].count("output_type") == 1 and "kvar" in shown["clear-output"]
    assert '"ename": "ValueError"' in shown["error"]
    assert warm["after-error"] == (None, "[]")  # not run


def test_rich_display_magics_and_errors_without_a_kernel() -> None:
    cells = _run_forked(
        [
            "from IPython.display import HTML, display\ndisplay(HTML('<b>fet</b>'))",
            "%time x = 1\nx",
            "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nNone",
            "import os\nos.read(0, 10)",  # stdin is /dev/null
            "print('ut')\nimport sys\nprint('fel', file=sys.stderr)\n1 / 0",
        ],
        60,
    )
    html, timed, figure, stdin, failing = (cell["outputs"] for cell in cells)
    assert stdin[0]["data"] == {"text/plain": "b''"}
    assert html == [
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"text/plain": "<IPython.core.display.HTML object>", "text/html": "<b>fet</b>"},
        }
    ]
    assert timed[0]["text"].startswith("CPU times") and timed[1]["data"] == {"text/plain": "1"}
    assert figure[0]["output_type"] == "display_data" and "image/png" in figure[0]["data"]
    assert [o["output_type"] for o in failing] == ["stream", "stream", "error"]
    assert failing[2]["ename"] == "ZeroDivisionError" and cells[-1]["error"]


def test_inline_figures_when_the_caller_had_imported_pyplot_already() -> None:
    script = textwrap.dedent(
        """
        import matplotlib.pyplot as plt
        plt.plot([1, 2])  # an open figure of the caller's, on its own backend
        from gnvtools.publish.warm import _run_forked
        cells = _run_forked(
            ["import matplotlib.pyplot as plt\\nplt.plot([1, 2]);", "plt.get_backend()"], 60
        )
        print([[sorted(o.get("data", {})) for o in c["outputs"]] for c in cells])
        print(cells[1]["outputs"][0]["data"]["text/plain"], plt.get_backend())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    figures, backends = done.stdout.splitlines()
    assert figures == "[[['image/png', 'text/plain']], [['text/plain']]]"
    assert backends == "'inline' agg"  # the caller's own backend untouched


@pytest.mark.parametrize(
    ("cell", "outcome"),
    [
        ("raise SystemExit(3)", "SystemExit"),
        ("import sys\nsys.exit()", "SystemExit"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt"),
        ("exit()", "cell 1 avslutade kärnan med exit()"),  # a kernel ends: the next cell fails
    ],
)
def test_exit_in_a_cell_ends_the_report_not_a_copy_of_the_caller(
    cell: str, outcome: str, tmp_path: Path
) -> None:
    """The code after the fork runs once, in the parent, whatever a cell raises or calls."""
    marker = tmp_path / "marker"
    script = textwrap.dedent(
        f"""
        import os
        from gnvtools.publish.warm import _run_forked
        try:
            cells = _run_forked([{cell!r}, "print('efter')"], 60)
            outcome = [o["ename"] for c in cells for o in c["outputs"] if "ename" in o]
        except RuntimeError as exc:
            outcome = str(exc)
        with open({str(marker)!r}, "a") as f:
            f.write(f"{{os.getpid()}} {{outcome}}\\n")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    lines = marker.read_text().splitlines()
    assert len(lines) == 1, lines
    if outcome.startswith("cell"):
        assert lines[0].endswith(outcome)
    else:
        assert lines[0].endswith(f"['{outcome}']")


def test_a_failure_of_the_runner_itself_never_returns_into_the_caller(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    script = textwrap.dedent(
        f"""
        import os
        from gnvtools.publish import warm
        def fail(*_):
            raise {{exc}}
        results = []
        for exc in (SystemExit(0), KeyboardInterrupt(), MemoryError()):
            warm.run_cells = lambda *_, exc=exc: (_ for _ in ()).throw(exc)
            try:
                warm._run_forked(["1"], 60)
            except RuntimeError as error:
                results.append(str(error))
        with open({str(marker)!r}, "a") as f:
            f.write(f"{{os.getpid()}} {{results}}\\n")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    lines = marker.read_text().splitlines()
    assert len(lines) == 1, lines
    for name in ("SystemExit", "KeyboardInterrupt", "MemoryError"):
        assert f"kraschade: {name}" in lines[0]


def test_no_signal_handler_of_the_caller_runs_in_the_report_child(tmp_path: Path) -> None:
    """A build's clean-up on SIGTERM is the build's: a report child just ends."""
    marker = tmp_path / "marker"
    script = textwrap.dedent(
        f"""
        import os, signal
        from gnvtools.publish.warm import _run_forked

        def clean_up(*_):
            with open({str(marker)!r}, "a") as f:
                f.write(f"handler {{os.getpid()}}\\n")

        signal.signal(signal.SIGTERM, clean_up)
        try:
            _run_forked(["import os, signal\\nos.kill(os.getpid(), signal.SIGTERM)"], 60)
        except RuntimeError as exc:
            with open({str(marker)!r}, "a") as f:
                f.write(f"parent {{os.getpid()}} {{exc}}\\n")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    lines = marker.read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("parent "), lines
    assert "utan resultat" in lines[0]


def test_the_report_child_dies_with_its_parent(tmp_path: Path) -> None:
    started = tmp_path / "child-pid"
    after = tmp_path / "after-kill"
    cell = (
        f"import os, time\nopen({str(started)!r}, 'w').write(str(os.getpid()))\n"
        f"time.sleep(5)\nopen({str(after)!r}, 'w').write('skrivet efter kill')"
    )
    script = f"from gnvtools.publish.warm import _run_forked\n_run_forked([{cell!r}], 60)"
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not started.exists() or not started.read_text():
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.05)
        child = int(started.read_text())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 3
        while _alive(child):
            assert time.monotonic() < deadline, "the report child outlived its parent"
            time.sleep(0.05)
        time.sleep(5.5)
        assert not after.exists()
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:  # a zombie (reaped by init later) is dead
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


INVALID_IRI = "http://exa mple.org/ä"


def _iri_checks_as_installed() -> bool:
    """What installed jsonschema says of an invalid IRI in a plain interpreter."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import jsonschema, sys; "
            "print(jsonschema.FormatChecker().conforms(sys.argv[1], 'iri'))",
            INVALID_IRI,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip() == "True"


def test_jsonschema_behaves_as_installed_in_gnv_and_in_a_forked_report() -> None:
    """No module is hidden from Python: ``gnv`` and its reports check IRIs as jsonschema does."""
    script = textwrap.dedent(
        f"""
        import sys
        import gnvtools.cli as cli
        from gnvtools.publish.warm import _run_forked

        def main():
            import jsonschema
            here = jsonschema.FormatChecker().conforms({INVALID_IRI!r}, "iri")
            cells = _run_forked(
                ["import jsonschema\\njsonschema.FormatChecker().conforms({INVALID_IRI!r}, 'iri')"],
                60,
            )
            forked = cells[0]["outputs"][0]["data"]["text/plain"]
            print(here, forked, sys.modules.get("rfc3987_syntax", "absent") is None)
            return 0

        cli.main = main
        cli.run()
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    installed = _iri_checks_as_installed()
    assert out.split() == [str(installed), str(installed), "False"]
    if importlib.util.find_spec("rfc3987_syntax") is not None:
        assert installed is False  # with the grammar installed, the IRI is refused


@pytest.mark.parametrize("command", [["--help"], ["check", "parameters/stockholm/2025.yaml"]])
def test_commands_that_render_nothing_do_not_import_jsonschema(command: list[str]) -> None:
    """The IRI grammar costs about a second to import: only commands that render pay it."""
    script = textwrap.dedent(
        f"""
        import sys
        import gnvtools.cli as cli
        sys.argv = ["gnv", *{command!r}]
        try:
            cli.main()
        except SystemExit:
            pass
        print("jsonschema" in sys.modules, file=sys.stderr)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.stderr.strip().splitlines()[-1] == "False"
