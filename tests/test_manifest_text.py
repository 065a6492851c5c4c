"""The manifest as written (``manifest.manifest_text``) and its figures' files
(``manifest.portable_sources``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gnvtools.publish.manifest import manifest_text, portable_sources


def _manifest() -> dict[str, object]:
    figures = [
        {"name": f"tal_{n}", "value": n, "text": f"{n} kr", "sources": [{"file": "data/å.csv"}]}
        for n in range(3)
    ]
    return {
        "gnvtools_manifest": 1,
        "report": "allocation-memo",
        "title": "Fördelning – år 2025",
        "code": {"gnvtools": "0.1.0"},
        "git_commit": None,
        "outputs": [],
        "tables": [{"key": "fordelning", "rows": [["Vård", 1200, None]]}],
        "figures": figures,
    }


def test_the_manifest_text_reads_back_as_the_manifest() -> None:
    manifest = _manifest()
    text = manifest_text(manifest)
    assert json.loads(text) == manifest
    assert list(json.loads(text)) == list(manifest)  # the fields in their order
    assert text.endswith("}\n") and "Fördelning – år 2025" in text  # UTF-8, not \\u escapes


def test_each_figure_and_field_is_a_line_of_its_own() -> None:
    lines = manifest_text(_manifest()).splitlines()
    assert '  "report": "allocation-memo",' in lines
    assert '  "outputs": [],' in lines
    figures = [line for line in lines if line.lstrip().startswith('{"name": "tal_')]
    assert len(figures) == 3
    assert [json.loads(line.rstrip(",")) for line in figures] == _manifest()["figures"]


@pytest.mark.parametrize("absolute", [False, True])
def test_a_figures_file_is_relative_to_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, absolute: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "projekt"
    written = str(root / "data/a.csv") if absolute else "projekt/data/a.csv"
    figures = [
        {"name": "a", "sources": [{"file": written, "row": 2}, "regel"]},
        {"name": "b", "sources": [{"file": written, "row": 3}]},
        {"name": "c"},
    ]
    out = portable_sources(figures, root)
    assert out[0]["sources"] == [{"file": "data/a.csv", "row": 2}, "regel"]
    assert out[1]["sources"] == [{"file": "data/a.csv", "row": 3}]
    assert out[2] is figures[2]
    assert figures[0]["sources"][0]["file"] == written  # the catalogue itself is not changed


def test_the_written_outputs_are_recorded_with_their_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import time

    import nbformat

    from gnvtools.publish import manifest as module
    from gnvtools.publish.manifest import manifest_path

    read_again: list[str] = []
    hashed = module.sha256

    def counted(path: Path) -> str:
        read_again.append(Path(path).name)
        return hashed(path)

    monkeypatch.setattr(module, "sha256", counted)
    from gnvtools.publish.render_files import Rendered, write_files

    params = tmp_path / "parameters/org/2025.yaml"
    params.parent.mkdir(parents=True)
    params.write_text("year: 2025\n", encoding="utf-8")
    out = tmp_path / "outputs"
    result = Rendered("allocation-memo", params, out, notebook=nbformat.v4.new_notebook())
    payload = {"html": b"<p>1 200 kr</p>", "xlsx": b"PK\x03\x04 arbetsbok"}
    write_files(
        result, payload, time.perf_counter(), inputs=[params], timings={}, key="k",
        browser=None, commit=None,
    )  # fmt: skip
    manifest = json.loads(manifest_path(out, "allocation-memo").read_text("utf-8"))
    recorded = {item["path"]: item for item in manifest["outputs"]}
    assert set(recorded) == {"allocation-memo.html", "allocation-memo.xlsx"}
    for name, item in recorded.items():
        data = (out / name).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["size"] == len(data)
    assert not [name for name in read_again if "allocation-memo." in name]  # hashed when staged
