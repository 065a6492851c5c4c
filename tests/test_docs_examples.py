"""Every worked example in docs/parameters.md, run through the real code.

An example is a set of fenced blocks in the doc that share a name:

    ```yaml example=key file=2025.yaml        a file of the example (the first YAML is the
    ```csv example=key file=data/units.csv    parameter file; others at their path beside it)
    ```text example=key expect                what the doc says comes out

Each line of an ``expect`` block is one statement, checked here:

    mottagare_aby = 300             a figure's JSON value (gnv figures --json): the follow-up
                                    report's catalogue, which holds every allocation figure
    followup.by_area.1 = 500        a value of gnv followup --json, by its path
    finding pot-unplaced 1          gnv check finds this code (with this amount)
    no finding used-above-requisitioned
    refused: okänt insatsområde     gnv check refuses the file with a message holding this text

So the doc and the code cannot drift: a changed reading fails here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from gnvtools.core.figures import Catalogue
from gnvtools.core.followup import followup_file
from gnvtools.core.memo_figures import allocation_figures
from gnvtools.core.model import allocate, build_plan
from gnvtools.core.reconciliation import reconcile_allocation
from gnvtools.errors import GnvError
from gnvtools.reports.checks import check_file, figures_file

from .conftest import ROOT

DOC = ROOT / "docs" / "parameters.md"
FENCE = re.compile(
    r"^```(?P<lang>\w+) example=(?P<name>[a-z0-9-]+) (?:file=(?P<file>\S+)|(?P<expect>expect))\n"
    r"(?P<body>.*?)^```$",
    re.M | re.S,
)
#: The readings issue 21 asks the docs to decide, each by the example that shows it.
REQUIRED = {
    "fixed-each-remainder",
    "key",
    "weight-by-two-columns",
    "where",
    "requisition-equal-keys",
    "requisition-key-values",
    "remainder-key-reserve",
    "budget",
    "figure-types",
    "followup-totals",
    "requisitions-file",
    "carry-over-followup",
    "pot-area",
    "requisition-tie",
    "key-zero-column",
    "area-8",
    "sources-silent-2023",
}


@dataclass
class Example:
    name: str
    files: dict[str, str] = field(default_factory=dict)
    expect: list[str] = field(default_factory=list)

    @property
    def params(self) -> str:
        return next(name for name in self.files if name.endswith(".yaml"))


def examples() -> dict[str, Example]:
    found: dict[str, Example] = {}
    for match in FENCE.finditer(DOC.read_text(encoding="utf-8")):
        example = found.setdefault(match["name"], Example(match["name"]))
        if match["expect"]:
            lines = [line.split("#", 1)[0].strip() for line in match["body"].splitlines()]
            example.expect += [line for line in lines if line]
        else:
            assert match["file"] not in example.files, f"{match['name']}: {match['file']} twice"
            example.files[match["file"]] = match["body"]
    return found


EXAMPLES = examples()


def test_every_reading_has_its_example() -> None:
    assert set(EXAMPLES) >= REQUIRED, REQUIRED - set(EXAMPLES)
    for example in EXAMPLES.values():
        assert example.files and example.expect, example.name


def write(example: Example, folder: Path) -> Path:
    for name, text in example.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / example.params


def value_at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


class Outcome:
    """What the real code says about one example, computed once per kind of question."""

    def __init__(self, params: Path) -> None:
        self.params = params
        self._cache: dict[str, Any] = {}

    def _get(self, what: str) -> Any:
        if what not in self._cache:
            if what == "findings":
                self._cache[what] = check_file(self.params)
            elif what == "followup":
                self._cache[what] = followup_file(self.params).as_json()
            else:
                self._cache[what] = {f.name: f.as_json() for f in self._catalogue().values()}
        return self._cache[what]

    def _catalogue(self) -> Catalogue:
        """The follow-up report's catalogue, or for a file without ``followup`` the same
        allocation figures (every stage: the memo itself lists only what the decision knows)."""
        plan = build_plan(self.params)
        if plan.params.followup is not None:
            return figures_file(self.params, "year-end-followup")
        allocation = allocate(plan)
        return allocation_figures(allocation, reconcile_allocation(allocation))

    def check(self, line: str) -> None:
        if line.startswith("refused:"):
            wanted = line.removeprefix("refused:").strip()
            with pytest.raises(GnvError) as caught:
                check_file(self.params)
            assert wanted in str(caught.value)
            return
        words = line.split()
        if words[0] in ("finding", "no"):
            negate = words[0] == "no"
            code = words[2] if negate else words[1]
            found = [f for f in self._get("findings") if f.code == code]
            if negate:
                assert not found, f"{code}: {[f.message for f in found]}"
            else:
                assert found, f"no finding {code}"
                if len(words) > 2:
                    assert [f.amount for f in found] == [int(w) for w in words[2:]], line
            return
        name, _, value = line.partition("=")
        name, wanted = name.strip(), json.loads(value.strip())
        if name.startswith("followup."):
            got = value_at(self._get("followup"), name.removeprefix("followup."))
        else:
            figures = self._get("figures")
            assert name in figures, f"no figure {name}"
            got = figures[name]["value"]
        assert got == wanted, f"{name}: the doc says {wanted!r}, the code gives {got!r}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_example_gives_what_the_doc_says(name: str, tmp_path: Path) -> None:
    example = EXAMPLES[name]
    outcome = Outcome(write(example, tmp_path))
    for line in example.expect:
        outcome.check(line)


def _figures_with(name: str, tmp_path: Path, old: str, new: str) -> dict[str, Any]:
    example = EXAMPLES[name]
    params = write(example, tmp_path / new.replace(" ", "_").replace(":", ""))
    text = params.read_text(encoding="utf-8")
    assert old in text
    params.write_text(text.replace(old, new, 1), encoding="utf-8")
    figures = Outcome(params)._get("figures")
    # A figure's sources name the folder it was read from; the values are what is compared.
    for figure in figures if isinstance(figures, list) else figures.values():
        if isinstance(figure, dict):
            figure.pop("sources", None)
    return figures  # type: ignore[no-any-return]


def test_a_pots_area_and_repayment_required_change_no_figure(tmp_path: Path) -> None:
    """As the doc says under "pot-area": both are stated, neither moves a krona."""
    base = _figures_with("pot-area", tmp_path, "area: 2", "area: 2")
    assert _figures_with("pot-area", tmp_path, "area: 2", "area: 5") == base
    assert (
        _figures_with("pot-area", tmp_path, "repayment_required: true", "repayment_required: false")
        == base
    )
    params = write(EXAMPLES["pot-area"], tmp_path / "unknown")
    params.write_text(params.read_text(encoding="utf-8").replace("area: 2", "area: 9"), "utf-8")
    Outcome(params).check("refused: okänt insatsområde 9")


def test_every_key_of_the_parameter_files_is_documented() -> None:
    """A key added to the models without a word in docs/parameters.md fails here."""
    from pydantic import BaseModel

    from gnvtools.core import params

    text = DOC.read_text(encoding="utf-8")
    models = [  # defined in params or in a params_* module it imports them from
        m
        for m in vars(params).values()
        if isinstance(m, type)
        and issubclass(m, BaseModel)
        and m.__module__.partition("_")[0] == params.__name__
    ]
    assert len(models) > 20
    missing = sorted(
        f"{model.__name__}.{key}"
        for model in models
        for key in model.model_fields
        if not re.search(rf"`{re.escape(key)}\b|\b{re.escape(key)}:", text)
    )
    assert not missing, missing


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_examples_parameter_file_validates_against_the_published_schema(
    name: str, tmp_path: Path
) -> None:
    import jsonschema

    from gnvtools.core.yamlio import read_yaml
    from gnvtools.project.schema import load

    data = json.loads(json.dumps(read_yaml(write(EXAMPLES[name], tmp_path))[0], default=str))
    jsonschema.Draft202012Validator(load("params")).validate(data)
