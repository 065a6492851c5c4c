"""Done once: a report's parameter file and data files are parsed once per ``gnv render``, the
allocation computed once per plan, and nothing stale is ever reused (``core.reuse``)."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gnvtools.core import reuse, tables, yamlio
from gnvtools.core.model import allocate, build_plan

from .conftest import PARAMS


@pytest.fixture(autouse=True)
def cold() -> Any:
    reuse.forget()
    yield
    reuse.forget()


@pytest.fixture
def parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every parse of a YAML file or a table, logged to a file (a forked child's parses too)."""
    log = tmp_path / "parses.log"
    log.touch()

    def logged(name: str, real: Any) -> Any:
        def parse(path: Path, *args: Any) -> Any:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{name}\t{Path(path).resolve()}\t{os.getpid()}\n")
            return real(path, *args)

        return parse

    monkeypatch.setattr(yamlio, "_parse_file", logged("yaml", yamlio._parse_file))
    monkeypatch.setattr(tables, "_read_table", logged("table", tables._read_table))

    def counted() -> tuple[Counter[str], set[str]]:
        lines = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
        return Counter(path for _, path, _ in lines), {pid for _, _, pid in lines}

    return counted


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with Jämtland's example, run from its root (as ``gnv render`` is)."""
    root = tmp_path / "proj"
    shutil.copytree(PARAMS / "jamtland", root / "parameters" / "jamtland")
    monkeypatch.chdir(root)
    return root


def test_a_render_parses_each_file_once(project: Path, parses: Any, tmp_path: Path) -> None:
    from gnvtools.publish.render import render

    params = Path("parameters/jamtland/2025.yaml")
    result = render("allocation-memo", params, tmp_path / "out", ["html", "xlsx"])
    assert set(result.files) == {"html", "xlsx"}
    counts, _ = parses()
    yaml_file = str((project / params).resolve())
    data_file = str((project / "parameters/jamtland/data/boards.csv").resolve())
    assert counts[yaml_file] == 1
    assert counts[data_file] == 1
    assert all(n == 1 for n in counts.values()), counts


def test_the_notebooks_own_process_loads_normally(
    project: Path, parses: Any, tmp_path: Path
) -> None:
    """A kernel (JupyterLab, plain papermill) shares nothing: it reads the files itself."""
    from gnvtools.publish.render import render
    from gnvtools.publish.running import Running

    params = Path("parameters/jamtland/2025.yaml")
    first = render("allocation-memo", params, tmp_path / "warm", ["html"])
    reuse.forget()
    kernel = render(
        "allocation-memo", params, tmp_path / "kernel", ["html"], running=Running(engine="kernel")
    )
    assert first.files["html"].read_bytes() == kernel.files["html"].read_bytes()


def test_an_edited_file_is_read_again(tmp_path: Path, parses: Any) -> None:
    folder = tmp_path / "jamtland"
    shutil.copytree(PARAMS / "jamtland", folder)
    params = folder / "2025.yaml"
    plan = build_plan(params)
    assert build_plan(params) is plan  # unchanged: the same plan, nothing parsed again
    assert allocate(plan) is allocate(plan)
    counts, _ = parses()
    assert all(n == 1 for n in counts.values()), counts

    data = folder / "data" / "boards.csv"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("\n", "\r\n", 1), encoding="utf-8")  # one byte longer
    again = build_plan(params)
    assert again is not plan
    assert allocate(again) is not allocate(plan)
    counts, _ = parses()
    assert counts[str(data.resolve())] == 2
    assert counts[str(params.resolve())] == 1  # the YAML itself was not changed


def test_a_same_size_edit_is_seen_by_its_time(tmp_path: Path, parses: Any) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("year: 2025\n", encoding="utf-8")
    assert yamlio.read_yaml(file)[0] == {"year": 2025}
    before = os.stat(file)
    file.write_text("year: 2026\n", encoding="utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert yamlio.read_yaml(file)[0] == {"year": 2026}
    counts, _ = parses()
    assert counts[str(file.resolve())] == 2


def test_a_replaced_file_is_read_again(tmp_path: Path, parses: Any) -> None:
    """Same size and the same times, another file (a rename over it): the inode tells."""
    file = tmp_path / "a.yaml"
    file.write_text("year: 2025\n", encoding="utf-8")
    yamlio.read_yaml(file)
    before = os.stat(file)
    other = tmp_path / "b.yaml"
    other.write_text("year: 2026\n", encoding="utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, file)
    assert yamlio.read_yaml(file)[0] == {"year": 2026}


def test_callers_get_their_own_data(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("pots: [a, b]\n", encoding="utf-8")
    first, _ = yamlio.read_yaml(file)
    first["pots"].append("c")
    assert yamlio.read_yaml(file)[0] == {"pots": ["a", "b"]}


def test_a_removed_file_is_an_error_again(tmp_path: Path) -> None:
    from gnvtools.errors import InputError

    file = tmp_path / "a.yaml"
    file.write_text("year: 2025\n", encoding="utf-8")
    yamlio.read_yaml(file)
    file.unlink()
    with pytest.raises(InputError, match="finns inte"):
        yamlio.read_yaml(file)


def test_nested_recordings_each_end(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("year: 2025\n", encoding="utf-8")
    with reuse.recording() as outer:
        with reuse.recording() as inner:
            pass  # two equal (empty) lists: each must end its own
        yamlio.read_yaml(file)
    assert inner == []
    assert [path for path, _ in outer] == [str(file.resolve())]


def test_the_cache_is_bounded() -> None:
    kept = reuse.Cache(2)
    for name in "abc":
        kept.put(name, (), name)
    assert kept.get("a") is None
    assert kept.get("c") == "c"


def test_the_html_exporter_is_made_once_and_exports_alike(project: Path, tmp_path: Path) -> None:
    import nbformat

    from gnvtools.publish import exporting
    from gnvtools.publish.render import render

    params = Path("parameters/jamtland/2025.yaml")
    first = render("allocation-memo", params, tmp_path / "a", ["html", "ipynb"])
    made = exporting._html_exporter()
    again = render("allocation-memo", params, tmp_path / "b", ["html"])
    assert exporting._html_exporter() is made
    assert first.files["html"].read_bytes() == again.files["html"].read_bytes()
    # a fresh exporter (a new process) exports the executed notebook to the same page
    executed = nbformat.read(first.files["ipynb"], as_version=4)
    exporting._EXPORTER = None
    assert (
        exporting.to_html(executed, first.title).encode("utf-8") == again.files["html"].read_bytes()
    )


def test_gnv_render_prints_in_a_process_of_its_own(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No browser thread in the process that runs the report (the print service has it)."""
    from gnvtools.errors import BrowserNotFoundError
    from gnvtools.publish import pdf
    from gnvtools.publish.render import render

    try:
        pdf.find_browser()
    except BrowserNotFoundError:
        pytest.skip("no browser here")

    def refused(self: object) -> object:
        raise AssertionError("a browser thread in gnv render's own process")

    monkeypatch.setattr(pdf.PdfPrinter, "__enter__", refused)
    result = render("allocation-memo", Path("parameters/jamtland/2025.yaml"), tmp_path, ["pdf"])
    assert result.files["pdf"].read_bytes().startswith(b"%PDF")


def test_the_executed_notebook_is_serialised_once(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """papermill would serialise the finished notebook too (for no file: gnv writes it), and a
    write papermill is asked for elsewhere is still its own."""
    import nbformat
    import papermill.execute

    from gnvtools.publish.render import render
    from gnvtools.publish.render_execute import _no_final_write

    made: list[int] = []
    writes = nbformat.writes

    def counted(nb: Any, *args: Any, **kwargs: Any) -> str:
        made.append(len(nb.cells))
        return writes(nb, *args, **kwargs)

    monkeypatch.setattr(nbformat, "writes", counted)
    original = papermill.execute.write_ipynb
    result = render("allocation-memo", Path("parameters/jamtland/2025.yaml"), tmp_path, ["ipynb"])
    executed = nbformat.read(result.files["ipynb"], as_version=4)
    # papermill's reading of the (unexecuted) notebook node is the only serialisation left
    assert all(cells == len(executed.cells) - 1 for cells in made), made
    assert len(made) <= 1, made
    assert papermill.execute.write_ipynb is original  # put back after the report
    with _no_final_write():
        papermill.execute.write_ipynb(executed, str(tmp_path / "asked.ipynb"))
    assert nbformat.read(tmp_path / "asked.ipynb", as_version=4) == executed
