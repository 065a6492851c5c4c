"""The warm engine: the same outputs as the kernel, and each report isolated from the next."""

from __future__ import annotations

import json
import time

import pytest

from gnvtools.publish.warm import _run_forked, warm_available

from .conftest import PARAMS

pytestmark = pytest.mark.skipif(not warm_available(), reason="os.fork is not available here")

CASES = [
    ("allocation-memo", "stockholm/2023.yaml"),
    ("allocation-memo", "stockholm/2025.yaml"),
    ("allocation-memo", "jamtland/2025.yaml"),
    ("year-end-followup", "stockholm/2023.yaml"),
    ("year-end-followup", "stockholm/2025.yaml"),
    ("multi-year", "stockholm/comparison-2023-2025.yaml"),
]


def outputs(nb: object) -> str:
    """An executed notebook's code cells: their outputs and counts, as one comparable text."""
    cells = [
        {"outputs": c.get("outputs", []), "count": c.get("execution_count")}
        for c in nb.cells  # type: ignore[attr-defined]
        if c.cell_type == "code"
    ]
    return json.dumps(cells, sort_keys=True)


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
@pytest.mark.parametrize(("report", "params"), CASES, ids=lambda x: str(x))
def test_warm_outputs_are_byte_identical_to_the_kernels(report: str, params: str) -> None:
    from gnvtools.publish.render import execute, to_html

    path = PARAMS / params
    kernel = execute(report, path, engine="kernel")
    warm = execute(report, path, engine="warm")
    assert outputs(warm) == outputs(kernel)
    assert to_html(warm, "t") == to_html(kernel, "t")


NOTEBOOK = [
    "from gnvtools.core.formatting import kr\nkr(41991440)",
]


def test_a_global_or_a_patched_module_does_not_reach_the_next_report() -> None:
    import gnvtools.core.formatting as formatting

    evil = [
        "import gnvtools.core.formatting as f\nf.kr = lambda amount: 'FEL'\n"
        "import builtins\nbuiltins.LEAK = 1\nLEFT_BEHIND = 2",
        "f.kr(5)",
    ]
    first = _run_forked(evil, 30)
    assert first[1]["outputs"][0]["data"]["text/plain"] == "'FEL'"
    after = _run_forked(
        [*NOTEBOOK, "'LEFT_BEHIND' in globals(), hasattr(__builtins__, 'LEAK')"], 30
    )
    assert after[0]["outputs"][0]["data"]["text/plain"] == "'41\\xa0991\\xa0440\\xa0kr'"
    assert after[1]["outputs"][0]["data"]["text/plain"] == "(False, False)"
    assert formatting.kr(1) == "1\u00a0kr"  # nor this process


def test_a_crash_or_a_hang_is_isolated_and_stopped() -> None:
    with pytest.raises(RuntimeError, match="utan resultat"):
        _run_forked(["import os\nos._exit(3)"], 30)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="avbröts"):
        _run_forked(["import time\ntime.sleep(60)"], 1.0)
    assert time.monotonic() - started < 10
    assert _run_forked(NOTEBOOK, 30)[0]["outputs"][0]["output_type"] == "execute_result"


def test_an_error_stops_the_notebook_like_a_kernel() -> None:
    results = _run_forked(["x = 1", "1 / 0", "x + 1"], 30)
    assert len(results) == 2 and results[1]["error"]
    error = results[1]["outputs"][-1]
    assert error["output_type"] == "error" and error["ename"] == "ZeroDivisionError"
