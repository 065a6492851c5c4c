"""Running a report warm: no kernel start, no repeated imports (see ``engine.WarmEngine``).

Starting a Jupyter kernel and importing pandas, matplotlib and gnvtools again costs more than
computing a report. ``WarmEngine`` (registered with papermill as ``gnvwarm`` through the
``papermill.engine`` entry point) forks the process it runs in, which has those modules
imported already, and runs the notebook's code cells top to bottom in the child, in a fresh
namespace, formatting each cell's result with IPython's display formatter as a kernel does.
The child sends the outputs back through a pipe and exits, so nothing a report does (a
global, a monkey-patched module, a crash) reaches the next one. A report that runs longer than
its timeout is killed. Where ``os.fork`` does not exist (Windows), the plain kernel is used.

Notebooks still run through papermill (parameters injected, outputs recorded); JupyterLab and
plain papermill use the normal kernel. ``GNV_ENGINE=kernel`` makes gnv use it too.
"""

from __future__ import annotations

import ast
import io
import json
import os
import select
import signal
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

DEFAULT_TIMEOUT = 600.0


def skip_unused_grammar() -> None:
    """Keep jsonschema from compiling the RFC 3987 (IRI) grammar in the ``gnv`` process.

    papermill and nbconvert import nbformat, which imports jsonschema, whose format checkers
    import ``rfc3987_syntax`` when it is installed (JupyterLab's ``jupyter-events`` asks for
    it). That module builds three Earley parsers when it is imported: about 0,9 s of every
    command, for an "iri" string format that no gnv notebook schema uses (nbformat validates
    with fastjsonschema). Marking the module as absent makes jsonschema skip that one checker,
    as it does where the package is not installed. Only the console script calls this; a
    kernel, JupyterLab or a program importing gnvtools is left as it is.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def warm_available() -> bool:
    return hasattr(os, "fork") and os.environ.get("GNV_ENGINE", "warm") != "kernel"


def run_cells(sources: list[str]) -> list[dict[str, Any]]:
    """Run code cells in a fresh namespace; each cell's outputs as nbformat dictionaries.

    Stops at the first error, as a kernel run through papermill does.
    """
    from IPython.core.formatters import DisplayFormatter

    formatter = DisplayFormatter()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    results: list[dict[str, Any]] = []
    for count, source in enumerate(sources, start=1):
        outputs: list[dict[str, Any]] = []
        out, err = io.StringIO(), io.StringIO()
        error: dict[str, Any] | None = None
        value: Any = None
        try:
            tree = ast.parse(source)
            last = tree.body[-1] if tree.body else None
            with redirect_stdout(out), redirect_stderr(err):
                if isinstance(last, ast.Expr):
                    body = ast.Module(body=tree.body[:-1], type_ignores=[])
                    exec(compile(body, f"<cell {count}>", "exec"), namespace)
                    expression = ast.Expression(last.value)
                    value = eval(compile(expression, f"<cell {count}>", "eval"), namespace)
                else:
                    exec(compile(tree, f"<cell {count}>", "exec"), namespace)
        except BaseException as exc:  # a report's own failure: recorded like a kernel's
            error = {
                "output_type": "error",
                "ename": type(exc).__name__,
                "evalue": str(exc),
                "traceback": traceback.format_exception(exc),
            }
        for name, stream in (("stdout", out), ("stderr", err)):
            if stream.getvalue():
                outputs.append({"output_type": "stream", "name": name, "text": stream.getvalue()})
        if error is not None:
            outputs.append(error)
        elif value is not None:
            data, metadata = formatter.format(value)  # type: ignore[no-untyped-call]
            outputs.append(
                {
                    "output_type": "execute_result",
                    "execution_count": count,
                    "data": data,
                    "metadata": metadata,
                }
            )
        results.append({"execution_count": count, "outputs": outputs, "error": error is not None})
        if error is not None:
            break
    return results


def _run_forked(sources: list[str], timeout: float) -> list[dict[str, Any]]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the result, and leave without any clean-up of the parent's
        os.close(read_end)
        code = 0
        try:
            payload = json.dumps(run_cells(sources), default=str).encode("utf-8")
        except BaseException as exc:
            payload = json.dumps({"crash": f"{type(exc).__name__}: {exc}"}).encode("utf-8")
            code = 1
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(code)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise TimeoutError(f"rapporten tog mer än {timeout:.0f} sekunder och avbröts")
            ready, _, _ = select.select([pipe], [], [], min(left, 1.0))
            if ready:
                chunk = pipe.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        raise RuntimeError(f"rapportens process avslutades utan resultat (status {status})")
    result = json.loads(b"".join(chunks).decode("utf-8"))
    if isinstance(result, dict):
        raise RuntimeError(f"rapportens process kraschade: {result.get('crash')}")
    return list(result)
