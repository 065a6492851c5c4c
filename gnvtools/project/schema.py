"""The published JSON schemas (JSON Schema 2020-12): input files and machine-readable outputs.

Each schema is a file in ``gnvtools/schemas/`` (shipped with the package) and is printed by
``gnv schema NAME``. The schemas of the parameter files are generated from the pydantic models
that read them (``gnvtools.core.params``), so they cannot drift: ``generate`` builds them and
``python -m gnvtools.project.schema`` writes them; the test suite fails when a shipped file
differs from what the models give. The others are written by hand and checked in the suite
against real outputs. Every schema carries its version in ``$id`` and ``version``; a change to a
schema gets a new version and a line in CHANGELOG.md (see docs/schemas.md).
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from gnvtools.errors import GnvError

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Every published schema: its name and what it describes (Swedish: ``gnv schema`` shows it).
SCHEMAS: dict[str, str] = {
    "params": "parameterfil för ett år (fördelning och uppföljning)",
    "comparison": "jämförelsefil (flerårsrapporten)",
    "comparison-mapping": "jämförelsefilens mappningsfil",
    "gnv-yaml": "projektets gnv.yaml",
    "check": "utdata från gnv check --json",
    "figures": "utdata från gnv figures --json",
    "followup": "utdata från gnv followup --json",
    "manifest": "manifestet bredvid varje rapport (*.manifest.json)",
    "bundle-index": "granskningspaketets innehållsförteckning (paket.json)",
}

#: The version of each schema; CHANGELOG.md records every change.
VERSIONS: dict[str, str] = dict.fromkeys(SCHEMAS, "1.0.0") | {
    # 1.1.0: each figure's sources (input cells, rules); manifest tables name their cells' figures.
    # 1.2.0: each figure's ``places``, the decimals a share is printed with.
    "figures": "1.2.0",
    "manifest": "1.2.0",
    # 1.1.0: finding codes requisitioned-above-ceiling and activity-type-unclassified.
    "check": "1.1.0",
    "followup": "1.1.0",
    # 1.1.0: the follow-up's recommended_reading and stated (a real count beside made-up rows).
    "params": "1.1.0",
    # 1.1.0: the comparison's own document (date, case number, which are made up); the
    # mapping's outside_from and outside_note.
    "comparison": "1.1.0",
    "comparison-mapping": "1.1.0",
}

#: The schemas generated from the pydantic models rather than written by hand.
GENERATED = ("params", "comparison", "comparison-mapping")

# Pydantic writes a constraint on a union (``Annotated[int | float, Field(ge=0)]``) with its
# own names; JSON Schema's are these.
_CONSTRAINTS = {
    "ge": "minimum",
    "gt": "exclusiveMinimum",
    "le": "maximum",
    "lt": "exclusiveMaximum",
}


def schema_id(name: str) -> str:
    return f"urn:gnvtools:schema:{name}:{VERSIONS[name]}"


def _clean(node: Any) -> Any:
    """Pydantic's schema as plain JSON Schema 2020-12: constraint names mapped, OpenAPI's
    ``discriminator`` dropped (``oneOf`` over the step kinds' ``const`` says the same)."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "discriminator":
                continue
            out[_CONSTRAINTS.get(str(key), str(key))] = _clean(value)
        return out
    if isinstance(node, list):
        return [_clean(item) for item in node]
    return node


def _remainder_rules(defs: dict[str, Any]) -> None:
    """What ``RemainderStep``'s validator demands, said in the schema too."""
    step = defs.get("RemainderStep")
    if step is None:
        return
    step["allOf"] = [
        {
            "if": {"properties": {"split": {"enum": ["equal", "key"]}}},
            "then": {"required": ["recipients"]},
        },
        {
            "if": {"properties": {"split": {"const": "key"}}},
            "then": {"required": ["key"], "properties": {"key": {"minProperties": 1}}},
        },
    ]


def _framed(name: str, body: dict[str, Any]) -> dict[str, Any]:
    head = {
        "$schema": DIALECT,
        "$id": schema_id(name),
        "version": VERSIONS[name],
        "title": f"gnvtools: {SCHEMAS[name]}",
    }
    return head | {k: v for k, v in body.items() if k not in ("title",)}


def generate(name: str) -> dict[str, Any]:
    """A generated schema, from the model that reads that file."""
    from pydantic import BaseModel

    from gnvtools.core.params import ComparisonParams, Params
    from gnvtools.reports.comparison import Mapping

    models: dict[str, type[BaseModel]] = {
        "params": Params,
        "comparison": ComparisonParams,
        "comparison-mapping": Mapping,
    }
    model = models[name]
    body = _clean(model.model_json_schema())
    _remainder_rules(body.get("$defs", {}))
    body["description"] = (
        f"{SCHEMAS[name].capitalize()}. Genererat från gnvtools modeller; se docs/parameters.md."
    )
    return _framed(name, body)


def _folder() -> Path:
    return Path(str(resources.files("gnvtools").joinpath("schemas")))


def schema_file(name: str) -> Path:
    return _folder() / f"{name}.schema.json"


def load(name: str) -> dict[str, Any]:
    """A schema by name; an unknown name is an error (exit 2) that lists the names."""
    if name not in SCHEMAS:
        names = ", ".join(SCHEMAS)
        raise GnvError(f'okänt schema "{name}"; finns: {names}')
    if name in GENERATED:
        return generate(name)
    loaded: dict[str, Any] = json.loads(schema_file(name).read_text(encoding="utf-8"))
    return loaded


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_generated() -> list[Path]:
    """Write the generated schemas into the package (after a change to the models)."""
    written = []
    for name in GENERATED:
        path = schema_file(name)
        path.write_text(dumps(generate(name)), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # python -m gnvtools.project.schema
    for path in write_generated():
        print(path, file=sys.stdout)
