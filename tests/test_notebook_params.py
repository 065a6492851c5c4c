"""Typed notebook parameters: `-p` takes only the declared ones, converted and checked; they
change the report in every format, the manifest records them and verify's recomputation
re-uses them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from gnvtools.errors import InputError
from gnvtools.publish.notebook_params import OPTIONAL_SECTIONS, convert
from gnvtools.publish.recompute import NOTEBOOKS, declared_parameters
from gnvtools.reports.document import ChartBlock, Document, Heading, TableBlock, document_of

from .conftest import PARAMS, run_cli


@pytest.mark.parametrize("report", list(NOTEBOOKS))
def test_every_notebook_declares_typed_parameters(report: str) -> None:
    declared = declared_parameters(report)
    assert declared == {"params_file": str, "visa_diagram": bool, "utelamna": str}
    # the parameters cell names the sections that may be left out, as convert checks them
    from gnvtools.publish.recompute import installed_notebook

    text = installed_notebook(report).read_text(encoding="utf-8")
    assert ", ".join(OPTIONAL_SECTIONS[report]) in text


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (["visa_diagram=nej"], {"visa_diagram": False}),
        (["visa_diagram=True"], {"visa_diagram": True}),
        (["visa_diagram=0"], {"visa_diagram": False}),
        (["utelamna=Bilaga, regler,bilaga"], {"utelamna": "bilaga, regler"}),
        (["utelamna="], {"utelamna": ""}),
    ],
)
def test_values_are_converted_to_the_declared_type(
    pairs: list[str], expected: dict[str, Any]
) -> None:
    assert convert("allocation-memo", pairs) == expected


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("okand=1", 'okänd parameter "okand" för allocation-memo; giltiga: utelamna (avsnitt: '),
        ("visa_diagram=kanske", 'visa_diagram="kanske": ange ja eller nej'),
        ("utelamna=kontroller", 'inget avsnitt "kontroller" som kan utelämnas; välj bland'),
        ("params_file=x.yaml", "params_file anges som PARAMS"),
        ("x", "skriv -p namn=värde"),
    ],
)
def test_unknown_names_and_bad_values_exit_2_naming_the_valid_ones(
    capsys: pytest.CaptureFixture[str], pair: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        convert("allocation-memo", [pair])
    assert message in str(caught.value)
    code, _, err = run_cli(
        capsys, "render", "allocation-memo", str(PARAMS / "jamtland/2025.yaml"), "-p", pair
    )
    assert code == 2 and message in err and "Traceback" not in err
    if pair.startswith("okand"):
        assert "visa_diagram (ja eller nej)" in err


def _blocks(document: Document) -> list[Any]:
    """The blocks, charts without their PNG and without the tables naming versions."""
    return [
        replace(b, png="") if isinstance(b, ChartBlock) else b
        for b in document.blocks
        if not (isinstance(b, TableBlock) and b.key.startswith("provenance-"))
    ]


@pytest.mark.slow
def test_a_declared_parameter_changes_the_report_and_verify_reuses_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from gnvtools.publish.recompute import recompute

    params = PARAMS / "stockholm/2025.yaml"
    outputs = {}
    for name, extra in (
        ("plain", []),
        ("chosen", ["-p", "visa_diagram=nej", "-p", "utelamna=bilaga"]),
    ):
        out = tmp_path / name
        code, _, err = run_cli(
            capsys, "render", "allocation-memo", str(params), "--to", "html,ipynb,xlsx",
            "--out", str(out), *extra,
        )  # fmt: skip
        assert code == 0, err
        outputs[name] = out
    plain, chosen = (
        document_of(json.loads((outputs[n] / "allocation-memo.ipynb").read_text("utf-8")))
        for n in ("plain", "chosen")
    )
    headings = [b.text for b in chosen.of_kind(Heading)]
    assert plain.of_kind(ChartBlock) and not chosen.of_kind(ChartBlock)
    assert any(t.startswith("Bilaga") for t in (b.text for b in plain.of_kind(Heading)))
    assert not any(t.startswith("Bilaga") for t in headings)
    assert "Kontroller" in headings  # what may not be left out stays
    html = (outputs["chosen"] / "allocation-memo.html").read_text("utf-8")
    assert "Bilaga" not in html and 'class="chart"' not in html
    assert 'class="chart"' in (outputs["plain"] / "allocation-memo.html").read_text("utf-8")
    manifest = json.loads((outputs["chosen"] / "allocation-memo.manifest.json").read_text("utf-8"))
    assert manifest["parameters"]["visa_diagram"] is False
    assert manifest["parameters"]["utelamna"] == "bilaga"
    assert manifest["figures"]  # the catalogue is kept with the header
    # verify recomputes with the recorded parameters: the same document as the render
    recorded = {k: v for k, v in manifest["parameters"].items() if k != "params_file"}
    again = recompute("allocation-memo", params, recorded)
    assert _blocks(document_of(again)) == _blocks(chosen)
    assert _blocks(document_of(recompute("allocation-memo", params))) != _blocks(chosen)


@pytest.mark.slow
def test_verify_recomputes_with_the_recorded_parameters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A report built without two of its tables verifies clean: the recomputation leaves out
    what the build left out."""
    out = tmp_path / "out"
    code, _, err = run_cli(
        capsys, "render", "multi-year", str(PARAMS / "stockholm/comparison-2023-2025.yaml"),
        "--to", "html", "--out", str(out), "-p", "utelamna=grupper,verksamheter",
    )  # fmt: skip
    assert code == 0, err
    code, out_text, err = run_cli(capsys, "verify", str(out))
    assert code == 0, out_text + err
