"""The report's process forked early (``warm_early``): it imports while the parent goes on, runs
the cells it is given exactly as a process forked late would, and never outlives its use."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from gnvtools.publish import warm_early
from gnvtools.publish.warm import warm_available
from gnvtools.publish.warm_early import EarlyChild, early_child

from .conftest import PARAMS
from .test_engine import outputs

pytestmark = pytest.mark.skipif(not warm_available(), reason="os.fork is not available here")


def _prepare_marks_the_child() -> None:
    os.environ["GNV_TEST_EARLY_PREPARED"] = "ja"


def _texts(cells: list[dict[str, object]]) -> list[str]:
    out = []
    for cell in cells:
        for output in cell["outputs"]:  # type: ignore[attr-defined]
            out.append("".join(output.get("text", "")))
    return out


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_child_prepares_then_runs_the_cells_in_the_folder_of_the_run(tmp_path: Path) -> None:
    child = EarlyChild(_prepare_marks_the_child)
    before = os.getcwd()
    os.chdir(tmp_path)  # papermill changes folder after the fork, before the cells run
    try:
        cells = child.run(
            ["import os\nprint(os.environ.get('GNV_TEST_EARLY_PREPARED'))", "print(os.getcwd())"],
            60,
        )
    finally:
        os.chdir(before)
    assert _texts(cells) == ["ja\n", f"{tmp_path}\n"]
    assert "GNV_TEST_EARLY_PREPARED" not in os.environ  # prepared there, not here
    assert _gone(child.pid)


def test_a_process_forked_meanwhile_holding_the_pipe_does_not_make_the_child_wait() -> None:
    child = EarlyChild(lambda: None)
    holder = os.fork()  # as a print service started by multiprocessing would: every fd copied
    if holder == 0:
        time.sleep(20)
        os._exit(0)
    try:
        started = time.monotonic()
        cells = child.run(["print(1 + 1)"], 60)
        assert _texts(cells) == ["2\n"]
        assert time.monotonic() - started < 15  # not until the holder ended
    finally:
        os.kill(holder, signal.SIGKILL)
        os.waitpid(holder, 0)


def test_an_unused_child_is_ended_and_reaped() -> None:
    with early_child(lambda: time.sleep(30)) as child:
        assert warm_early.pending()
        pid = child.pid
    assert not warm_early.pending()
    assert warm_early.take() is None
    assert _gone(pid)


def test_the_engine_takes_the_waiting_child_once() -> None:
    with early_child(lambda: None) as child:
        assert warm_early.take() is child
        assert warm_early.take() is None  # the next report forks its own
        assert _texts(child.run(["print('en gång')"], 60)) == ["en gång\n"]


def test_a_child_that_dies_while_importing_is_an_error_not_a_hang() -> None:
    child = EarlyChild(lambda: os._exit(3))
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="avslutades utan resultat"):
        child.run(["print(1)"], 60)
    assert time.monotonic() - started < 15


def test_a_failing_import_fails_in_the_cell_that_needs_it() -> None:
    def broken() -> None:
        raise ImportError("no such module")

    cells = EarlyChild(broken).run(["x = 1", "print(x + 1)"], 60)
    assert _texts(cells) == ["2\n"]
    assert not any(cell["error"] for cell in cells)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("report", "params"),
    [
        ("allocation-memo", "stockholm/2025.yaml"),
        ("year-end-followup", "stockholm/2023.yaml"),
        ("multi-year", "stockholm/comparison-2023-2025.yaml"),
    ],
)
def test_a_report_run_early_has_the_outputs_of_one_forked_late(report: str, params: str) -> None:
    from gnvtools.publish.render import execute
    from gnvtools.publish.render_execute import import_for

    path = PARAMS / params
    late = execute(report, path)
    with early_child(import_for(report)):
        early = execute(report, path)
        assert not warm_early.pending()  # the engine used it
    assert outputs(early) == outputs(late)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_kill_9_of_a_render_ends_its_early_child_too(tmp_path: Path) -> None:
    import subprocess

    from .test_lifecycle import GNV, _alive, _descendants, _session

    render = subprocess.Popen(
        [
            *(str(GNV), "render", "allocation-memo", str(PARAMS / "stockholm" / "2025.yaml")),
            *("--to", "html", "--out", str(tmp_path / "ut")),
        ],
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: dict[int, int] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and render.poll() is None and not seen:
        seen.update(_descendants(render.pid))  # the early child, importing
        time.sleep(0.02)
    assert render.poll() is None and seen, "the render ended before its child was seen"
    os.kill(render.pid, signal.SIGKILL)
    render.wait()
    deadline = time.monotonic() + 8
    while _alive(seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = _alive(seen)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == [], "the report's process outlived gnv render"
    assert _session(render.pid) == []
