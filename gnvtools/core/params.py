"""The parameter-file format: YAML parsed into validated models before anything runs.

The format is documented in ``docs/parameters.md`` and is a public contract. Unknown keys and
wrong types are rejected with a Swedish message that names the file, the line and the key path.

Here are the two kinds of file as a whole (a year's ``Params``, a ``ComparisonParams``) and
their loading; their parts are in the modules this one names:

- ``params_base``: the strict base model, amounts in kronor, precision, stage, organisation;
- ``params_pots``: what a year receives, recipient groups and selections, pots and steps;
- ``params_documents``: the memo as a document, national frames, the follow-up;
- ``params_errors``: the first validation error told in Swedish;
- ``params_locations``: key paths, the YAML line at a key path, named items on the way.

Every name is importable from here, as before the split.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator

from gnvtools.core.params_base import (
    MAX_AMOUNT,
    REPORTS,
    STRICT,
    TODO,
    ColumnWeights,
    InputPrecision,
    InputStage,
    Kronor,
    Organisation,
    Report,
    StepAmount,
)
from gnvtools.core.params_documents import (
    AreaReport,
    FollowupSpec,
    FramePart,
    FrameStatement,
    MemoSpec,
    Signature,
    StatedFigures,
)
from gnvtools.core.params_errors import describe, first_error, number_union
from gnvtools.core.params_locations import named_path, node_at
from gnvtools.core.params_pots import (
    BudgetLine,
    CarryOver,
    CategoryWeights,
    Component,
    Condition,
    EachStep,
    FixedStep,
    KeyStep,
    PotSpec,
    Received,
    RecipientGroup,
    Recipients,
    RemainderStep,
    RequisitionStep,
    Selection,
    Step,
)
from gnvtools.core.regimes import digits_problem, regime_year_problem, year_problem
from gnvtools.core.yamlio import read_yaml
from gnvtools.errors import InputError

__all__ = [  # this module's own names and those imported from here
    "MAX_AMOUNT",
    "REPORTS",
    "STRICT",
    "TODO",
    "AreaReport",
    "BudgetLine",
    "CarryOver",
    "CategoryWeights",
    "ColumnWeights",
    "ComparisonDocument",
    "ComparisonParams",
    "ComparisonYear",
    "Component",
    "Condition",
    "EachStep",
    "FixedStep",
    "FollowupSpec",
    "FramePart",
    "FrameStatement",
    "InputPrecision",
    "InputStage",
    "KeyStep",
    "Kronor",
    "MemoSpec",
    "Organisation",
    "Params",
    "PotSpec",
    "Received",
    "RecipientGroup",
    "Recipients",
    "RemainderStep",
    "Report",
    "RequisitionStep",
    "Selection",
    "Signature",
    "StatedFigures",
    "Step",
    "StepAmount",
    "is_comparison",
    "load_comparison",
    "load_params",
    "locate",
    "named_path",
    "node_at",
    "validate",
    "validate_with_node",
]

M = TypeVar("M", bound=BaseModel)
_node_at = node_at  # its name before the split (``project.config`` imports it)


class _Model(BaseModel):
    model_config = STRICT


class Params(_Model):
    organisation: Organisation
    year: int
    regime: str
    title: str
    decided_by: str = ""
    prepared_by: str = ""
    received: Received
    carry_over: list[CarryOver] = []
    budget: list[BudgetLine] = []
    recipients: list[RecipientGroup]
    pots: list[PotSpec]
    followup: FollowupSpec | None = None
    reports: list[Report] = ["allocation-memo"]
    notes: list[str] = []
    texts: str | None = None
    memo: MemoSpec | None = None
    national_frames: list[FrameStatement] = []
    #: The organisation's own decisions and readings with their sources (a YAML file in its
    #: own folder); another organisation's report never states them.
    rules: str | None = None

    @field_validator("year")
    @classmethod
    def _grant_year(cls, year: int) -> int:
        """Four digits, and a year some regime covers (``gnvtools.core.regimes``)."""
        problem = year_problem(year)
        if problem:
            raise ValueError(problem)
        return year

    @field_validator("regime")
    @classmethod
    def _regime_covers_year(cls, regime: str, info: ValidationInfo) -> str:
        year = info.data.get("year")
        problem = regime_year_problem(regime, year) if isinstance(year, int) else None
        if problem:
            raise ValueError(problem)
        return regime


class ComparisonYear(_Model):
    year: int
    file: str | None = None
    regime_label: str | None = None
    received: Kronor | None = None
    unused_at_year_end: Kronor | None = None
    unused_stated_as: str | None = None
    note: str = ""

    @field_validator("year")
    @classmethod
    def _four_digits(cls, year: int) -> int:
        problem = digits_problem(year)
        if problem:
            raise ValueError(problem)
        return year


class ComparisonDocument(_Model):
    """The comparison as a document: its own date and case number, and which are made up."""

    date: Annotated[dt.date | None, Field(strict=False)] = None
    case_number: str = ""
    illustrative: list[Literal["date", "case_number"]] = []


class ComparisonParams(_Model):
    organisation: Organisation
    title: str
    years: list[ComparisonYear]
    mapping: str
    reports: list[Report] = ["multi-year"]
    document: ComparisonDocument | None = None


def validate(model: type[M], path: Path) -> M:
    """Read ``path`` and validate it as ``model``; the first problem becomes an ``InputError``."""
    return validate_with_node(model, path)[0]


def validate_with_node(model: type[M], path: Path) -> tuple[M, yaml.Node | None]:
    """As ``validate``, also returning the YAML node tree (for line numbers in later errors)."""
    data, node = read_yaml(path)
    try:
        return model.model_validate(data), node
    except ValidationError as exc:
        errors = exc.errors()
        first = number_union(first_error(errors), errors)
        message, loc = describe(first, model)
        where = node_at(node, loc)
        line = where.start_mark.line + 1 if where is not None else None
        dotted = ".".join(str(p) for p in loc)
        raise InputError(
            message + named_path(node, loc), file=path, row=line, key=dotted or None
        ) from exc


def locate(path: str | Path) -> Path:
    """A parameter file as a notebook names it: as given, else found in a folder above the
    working directory (a notebook opened inside the package or a subfolder still finds
    ``parameters/…`` of the project it is run from)."""
    given = Path(path)
    if given.is_absolute() or given.exists():
        return given
    for parent in Path.cwd().resolve().parents:
        if (parent / given).exists():
            return parent / given
    return given


def is_comparison(path: Path) -> bool:
    """A comparison file lists years; a year file lists pots."""
    data, _ = read_yaml(path)
    return "years" in data and "pots" not in data


def load_params(path: Path) -> Params:
    return validate(Params, path)


def load_comparison(path: Path) -> ComparisonParams:
    return validate(ComparisonParams, path)
