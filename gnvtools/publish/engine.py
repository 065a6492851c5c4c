"""papermill engine ``gnvwarm`` (entry point ``papermill.engine``): see ``gnvtools.publish.warm``.

papermill loads this module itself while it registers its engines, so import papermill (not
this module) first; the work is done in ``warm``, which does not import papermill. Loading it
costs nothing more: plain ``papermill`` loads it too.
"""

from __future__ import annotations

from typing import Any

from papermill.engines import Engine, NBClientEngine

from gnvtools.publish.warm import DEFAULT_TIMEOUT, _run_forked, warm_available
from gnvtools.publish.warm_early import take


class WarmEngine(Engine):  # type: ignore[misc]
    """papermill engine ``gnvwarm``: a forked, pre-imported interpreter per notebook."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        execution_timeout: float | None = None,
        **kwargs: Any,
    ) -> None:
        while_running = kwargs.pop("while_running", None)
        if not warm_available():
            NBClientEngine.execute_managed_notebook(
                nb_man, kernel_name, execution_timeout=execution_timeout, **kwargs
            )
            return
        import nbformat

        cells = [(i, c) for i, c in enumerate(nb_man.nb.cells) if c.cell_type == "code"]
        early = take()  # a process forked when the report was checked, importing meanwhile
        results = (early.run if early is not None else _run_forked)(
            [c.source for _, c in cells],
            float(execution_timeout or DEFAULT_TIMEOUT),
            [c.get("id") for _, c in cells],
            while_running,
        )
        for (index, cell), result in zip(cells, results, strict=False):
            nb_man.cell_start(cell, index)
            cell.execution_count = result["execution_count"]
            cell.outputs = [nbformat.from_dict(o) for o in result["outputs"]]
            if result["error"]:
                nb_man.cell_exception(cell, index)
                nb_man.cell_complete(cell, index)
                break
            nb_man.cell_complete(cell, index)
