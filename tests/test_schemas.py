"""The published JSON schemas: valid 2020-12, printed by ``gnv schema``, in step with the code,
and every example's real output validates against its schema."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from gnvtools.core.params import ComparisonParams, Params, is_comparison
from gnvtools.core.yamlio import read_yaml
from gnvtools.project.schema import (
    GENERATED,
    SCHEMAS,
    VERSIONS,
    dumps,
    generate,
    load,
    schema_file,
)

from .conftest import PARAMS, ROOT, run_cli

YEAR_FILES = sorted(p for p in PARAMS.glob("*/*.yaml") if "data" not in p.parts)


def _mapping_files() -> set[Path]:
    """The mapping files the example comparison files name."""
    found = set()
    for path in YEAR_FILES:
        data = read_yaml(path)[0]
        if isinstance(data, dict) and "years" in data and "mapping" in data:
            found.add((path.parent / data["mapping"]).resolve())
    return found


#: Every example parameter, comparison and mapping file (a rules file is none of these).
EXAMPLE_FILES = [
    p
    for p in YEAR_FILES
    if {"pots", "years"} & set(read_yaml(p)[0]) or p.resolve() in _mapping_files()
]
CHANGELOG = ROOT / "CHANGELOG.md"
FINDINGS_DOC = ROOT / "docs" / "findings.md"
#: Old codes still accepted by the schemas (and listed in the docs) for one release.
ALIASES = {"details-vs-reported": "rows-vs-reported"}


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        load(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(name: str, instance: Any) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def as_json_data(value: Any) -> Any:
    """YAML as read (dates as ``date``) in JSON's terms, as an editor's checker sees it."""
    if isinstance(value, dict):
        return {str(k): as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def yaml_data(path: Path) -> Any:
    return as_json_data(read_yaml(path)[0])


# --- the schemas themselves ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_each_schema_is_2020_12_with_a_versioned_id(name: str) -> None:
    schema = load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["version"] == VERSIONS[name]
    assert schema["$id"] == f"urn:gnvtools:schema:{name}:{VERSIONS[name]}"
    assert json.loads(schema_file(name).read_text(encoding="utf-8")) == schema


@pytest.mark.parametrize("name", GENERATED)
def test_the_shipped_model_schemas_are_what_the_models_give(name: str) -> None:
    """Regenerate with ``.venv/bin/python -m gnvtools.project.schema`` after changing a model
    (and give the schema a new version and a CHANGELOG line)."""
    assert schema_file(name).read_text(encoding="utf-8") == dumps(generate(name))


def test_every_schema_version_is_in_the_changelog() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    for name, version in VERSIONS.items():
        assert f"`{name}` {version}" in text, name


def test_gnv_schema_prints_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "schema", "followup")
    assert code == 0
    assert json.loads(out)["$id"] == "urn:gnvtools:schema:followup:1.1.0"
    code, out, _ = run_cli(capsys, "schema", "params")
    assert code == 0 and json.loads(out) == generate("params")


def test_gnv_schema_unknown_name_exits_2_listing_the_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys, "schema", "folowup")
    assert code == 2 and out == ""
    assert 'okänt schema "folowup"' in err
    for name in SCHEMAS:
        assert name in err


def test_gnv_schema_help_is_swedish_and_names_every_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        run_cli(capsys, "schema", "--help")
    out = capsys.readouterr().out.replace("\n", " ")
    assert "användning: gnv schema" in out and "JSON-schema" in out
    for name in SCHEMAS:
        assert name in out


# --- finding codes: code, schemas and docs agree ----------------------------------------------


def codes_in_code() -> set[str]:
    """Every code a ``Finding(level, "code", …)`` in the package names."""
    codes: set[str] = set()
    for path in (ROOT / "gnvtools").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Finding"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                codes.add(node.args[1].value)
    return codes


def test_codes_are_found_in_the_code() -> None:
    codes = codes_in_code()
    assert {"rows-vs-reported", "step-exceeds-pot", "todo", "year-partial"} <= codes


@pytest.mark.parametrize("name", ["check", "followup"])
def test_the_schemas_list_every_code_and_the_aliases(name: str) -> None:
    enum = set(load(name)["$defs"]["finding"]["properties"]["code"]["enum"])
    assert enum == codes_in_code() | set(ALIASES)


def test_docs_list_every_code_with_a_meaning() -> None:
    text = FINDINGS_DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \|[^|\n]*\|[ ]*([^|\n]+?)[ ]*\|$", text, re.M))
    assert set(rows) == codes_in_code() | set(ALIASES)
    assert all(len(meaning) > 20 for meaning in rows.values())
    for old, new in ALIASES.items():
        assert new in rows[old]


# --- parameter files: the schema and the models accept and refuse the same ------------------


def test_the_examples_hold_every_kind_of_file() -> None:
    kinds = {p.name for p in EXAMPLE_FILES}
    assert {"2025.yaml", "comparison-2023-2025.yaml", "comparison-mapping.yaml"} <= kinds


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.relative_to(PARAMS).as_posix())
def test_every_example_parameter_file_validates(path: Path) -> None:
    data = yaml_data(path)
    if "pots" in data:
        Params.model_validate(read_yaml(path)[0])
        assert_valid("params", data)
    elif is_comparison(path):
        ComparisonParams.model_validate(read_yaml(path)[0])
        assert_valid("comparison", data)
    else:
        assert_valid("comparison-mapping", data)


def _unknown_key_cases() -> list[tuple[str, str, list[str | int]]]:
    return [
        ("params", "stockholm/2025.yaml", []),
        ("params", "stockholm/2025.yaml", ["received"]),
        ("params", "stockholm/2025.yaml", ["pots", 0, "steps", 0]),
        ("params", "stockholm/2025.yaml", ["followup"]),
        ("comparison", "stockholm/comparison-2023-2025.yaml", ["years", 1]),
    ]


@pytest.mark.parametrize(("schema", "file", "where"), _unknown_key_cases())
def test_an_unknown_key_is_refused_by_the_models_and_the_schema(
    schema: str, file: str, where: list[str | int]
) -> None:
    raw = read_yaml(PARAMS / file)[0]
    target = raw
    for part in where:
        target = target[part]
    target["recieved_extra"] = 1
    model = Params if schema == "params" else ComparisonParams
    with pytest.raises(ValidationError, match=r"extra_forbidden|Extra inputs"):
        model.model_validate(raw)
    errors = list(validator(schema).iter_errors(as_json_data(raw)))
    assert any("recieved_extra" in e.message for e in errors)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (["received", "total"], "41 991 440"),
        (["received", "total"], -1),
        (["received", "total"], 10**12),
        (["received", "total"], True),
        (["pots", 0, "steps", 0, "kind"], "share"),
        (["organisation", "type"], "landsting"),
    ],
)
def test_a_wrong_value_is_refused_by_both(where: list[str | int], value: Any) -> None:
    raw = read_yaml(PARAMS / "stockholm/2025.yaml")[0]
    target = raw
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    with pytest.raises(ValidationError):
        Params.model_validate(raw)
    assert list(validator("params").iter_errors(as_json_data(raw)))


def test_a_remainder_without_recipients_is_refused_by_both() -> None:
    raw = read_yaml(PARAMS / "stockholm/2025.yaml")[0]
    raw["pots"][0]["steps"].append({"name": "Resten", "kind": "remainder", "split": "equal"})
    with pytest.raises(ValidationError):
        Params.model_validate(raw)
    assert list(validator("params").iter_errors(as_json_data(raw)))
    raw["pots"][0]["steps"][-1]["split"] = "reserve"
    Params.model_validate(raw)
    assert_valid("params", as_json_data(raw))


# --- gnv.yaml -------------------------------------------------------------------------------


def test_the_gnv_yaml_schema_names_every_key_the_reader_knows() -> None:
    from dataclasses import fields

    from gnvtools.project.config import Brand, ConfigFile

    schema = load("gnv-yaml")
    assert set(schema["properties"]) == {f.name for f in fields(ConfigFile)}
    assert set(schema["properties"]["brand"]["properties"]) == {f.name for f in fields(Brand)}


def test_gnv_yaml_of_init_and_a_full_one_validate_and_unknown_keys_are_refused(
    tmp_path: Path,
) -> None:
    from gnvtools.errors import InputError
    from gnvtools.project.config import load_project
    from gnvtools.project.init import init_project

    init_project(tmp_path / "p", "Umeå kommun", 2026)
    assert_valid("gnv-yaml", yaml_data(tmp_path / "p" / "gnv.yaml"))
    full = tmp_path / "full"
    full.mkdir()
    (full / "gnv.yaml").write_text(
        "parameters: parameters\noutput: outputs\nformats: [html, docx]\nworkers: 2\n"
        "browser: null\nbrowser_timeout: 60\nword_template: null\n"
        "brand: {colour: null, font: Arial, logo: null}\n",
        encoding="utf-8",
    )
    load_project(full / "gnv.yaml")
    assert_valid("gnv-yaml", yaml_data(full / "gnv.yaml"))
    for bad in ("workers: 0\n", "formats: [odt]\n", "brand: {color: '#112233'}\n", "jobs: 2\n"):
        (full / "gnv.yaml").write_text(bad, encoding="utf-8")
        with pytest.raises(InputError):
            load_project(full / "gnv.yaml")
        assert list(validator("gnv-yaml").iter_errors(yaml_data(full / "gnv.yaml"))), bad


# --- the outputs of every example -----------------------------------------------------------

PLAIN_YEAR_FILES = [p for p in YEAR_FILES if "pots" in yaml_data(p)]


@pytest.mark.parametrize("path", PLAIN_YEAR_FILES, ids=lambda p: p.relative_to(PARAMS).as_posix())
def test_check_json_of_every_example_validates(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "check", str(path), "--json")
    assert code in (0, 1)
    assert_valid("check", json.loads(out))


def _figure_cases() -> list[tuple[Path, str]]:
    cases = []
    for path in YEAR_FILES:
        data = yaml_data(path)
        if "pots" in data:
            reports = ["allocation-memo"]
            if "followup" in data:
                reports.append("year-end-followup")
            cases += [(path, report) for report in reports]
        elif is_comparison(path):
            cases.append((path, "multi-year"))
    return cases


@pytest.mark.parametrize(
    ("path", "report"), _figure_cases(), ids=lambda x: x if isinstance(x, str) else x.name
)
def test_figures_json_of_every_report_validates(
    path: Path, report: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "figures", str(path), "--report", report, "--json")
    assert code == 0
    figures = json.loads(out)
    assert figures
    assert_valid("figures", figures)


FOLLOWUP_FILES = [p for p in PLAIN_YEAR_FILES if "followup" in yaml_data(p)]


@pytest.mark.parametrize("path", FOLLOWUP_FILES, ids=lambda p: p.relative_to(PARAMS).as_posix())
def test_followup_json_of_every_example_validates(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "followup", str(path), "--json")
    assert code == 0
    assert_valid("followup", json.loads(out))


def test_the_schemas_refuse_what_the_outputs_never_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "followup", str(PARAMS / "stockholm/2025.yaml"), "--json")
    data = json.loads(out)
    data["used"] = "28 714 265"
    assert list(validator("followup").iter_errors(data))
    _, out, _ = run_cli(capsys, "figures", str(PARAMS / "stockholm/2025.yaml"), "--json")
    figures = json.loads(out)
    ar = next(f for f in figures if f["name"] == "ar")
    assert ar["value"] == "2025" and ar["kind"] == "år"
    ar["value"] = 2025
    assert list(validator("figures").iter_errors(figures))


@pytest.mark.slow
def test_every_manifest_and_the_bundle_index_of_a_build_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(PARAMS, project / "parameters")
    out = project / "outputs"
    code, _, err = run_cli(
        capsys, "build", "--params", str(project / "parameters"), "--out", str(out), "--to",
        "html", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    manifests = sorted(out.rglob("*.manifest.json"))
    assert len(manifests) == 6
    for path in manifests:
        assert_valid("manifest", json.loads(path.read_text(encoding="utf-8")))
    zip_path = tmp_path / "paket.zip"
    assert run_cli(capsys, "bundle", str(out), "--out", str(zip_path))[0] == 0
    with zipfile.ZipFile(zip_path) as archive:
        index = json.loads(archive.read("paket.json").decode("utf-8"))
        assert len(index["reports"]) == 6
        assert_valid("bundle-index", index)
        inside = [n for n in archive.namelist() if n.endswith(".manifest.json")]
        for name in inside:
            assert_valid("manifest", json.loads(archive.read(name).decode("utf-8")))
