"""The parameter-file format: YAML parsed into validated models before anything runs.

The format is documented in ``docs/parameters.md`` and is a public contract. Unknown keys and
wrong types are rejected with a Swedish message that names the file, the line and the key path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from gnvtools.core.regimes import digits_problem, regime_year_problem, year_problem
from gnvtools.core.yamlio import read_yaml
from gnvtools.errors import InputError

M = TypeVar("M", bound=BaseModel)
#: How exactly an input is known (see ``core.figures.Precision``): ``cirka`` where the source
#: rounds ("cirka 10,7 mnkr"), ``osäker`` where it is read from an illegible source.
InputPrecision = Literal["exakt", "cirka", "osäker"]
#: When an input becomes known (see ``core.figures.Stage``); each kind of data has a default.
InputStage = Literal["underlag", "beslut", "rekvisition", "uppföljning"]
REPORTS = ("allocation-memo", "year-end-followup", "multi-year")
Report = Literal["allocation-memo", "year-end-followup", "multi-year"]
MAX_AMOUNT = 10**12 - 1  # as for data files: 999 999 999 999 kr
Kronor = Annotated[int, Field(ge=0, le=MAX_AMOUNT, strict=True)]
StepAmount = Kronor | Literal["rest"]
ColumnWeights = dict[str, Annotated[int | float, Field(gt=0)]]
#: What ``gnv init`` writes where a value is still to fill in; ``gnv check`` lists each one.
TODO = "ATT GÖRA"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Organisation(_Model):
    name: str
    type: Literal["kommun", "region", "nationell"]
    code: str | None = None


class Component(_Model):
    name: str
    amount: Kronor
    basis: Literal["population", "hsl-individuals", "rural", "area", "other"] = "other"
    area: int | None = None
    national_frame: Kronor | None = None
    precision: InputPrecision = "exakt"


class Received(_Model):
    total: Kronor
    components: list[Component] = []
    stated_as: str | None = None
    precision: InputPrecision = "exakt"


class CarryOver(_Model):
    year: int
    amount: Kronor
    description: str = ""
    repayment_required: bool = False
    precision: InputPrecision = "exakt"


class BudgetLine(_Model):
    recipient: str
    amount: Kronor
    description: str = ""


class RecipientGroup(_Model):
    group: str
    label: str
    file: str
    text_columns: list[str] = []
    illustrative: bool = False
    source: str = ""
    #: When the group's figures are known (a key over data that arrives later is later too).
    stage: InputStage = "underlag"


class Condition(_Model):
    column: str
    op: Literal[">=", ">", "<=", "<", "==", "!="]
    value: int | float


class Selection(_Model):
    group: str
    where: list[Condition] = []


Recipients = list[str] | Selection


class CategoryWeights(_Model):
    """Multiply each recipient's key by a weight chosen from a text column (rural types)."""

    column: str
    weights: dict[str, Annotated[int | float, Field(ge=0)]]


class _Step(_Model):
    name: str
    rule: str = ""
    #: The source of a rule that moves money (``source-id, section``), else it is the
    #: organisation's own proposal and the memo says so.
    rule_source: str = ""


class FixedStep(_Step):
    kind: Literal["fixed"]
    amounts: dict[str, Kronor]


class EachStep(_Step):
    kind: Literal["each"]
    recipients: Recipients
    amount: Kronor


class KeyStep(_Step):
    kind: Literal["key"]
    amount: StepAmount
    recipients: Recipients
    key: ColumnWeights
    weight_by: CategoryWeights | None = None


class RequisitionStep(_Step):
    kind: Literal["requisition"]
    amount: StepAmount
    recipients: Recipients
    key: ColumnWeights
    requests: str
    redistribute: bool = True
    #: When the requests are known: after the decision, when the recipients have requisitioned.
    stage: InputStage = "rekvisition"


class RemainderStep(_Step):
    kind: Literal["remainder"]
    split: Literal["equal", "key", "reserve"]
    recipients: Recipients | None = None
    key: ColumnWeights | None = None

    @model_validator(mode="after")
    def _needs(self) -> RemainderStep:
        if self.split != "reserve" and self.recipients is None:
            raise ValueError("recipients krävs när split är equal eller key")
        if self.split == "reserve" and (self.recipients is not None or self.key):
            # A reserve goes to nobody: recipients or a key there would be ignored in silence.
            raise ValueError(
                "en reserv (split: reserve) fördelas inte till mottagare; ta bort recipients "
                "och key, eller skriv split: equal eller split: key för att fördela resten"
            )
        if self.split == "key" and not self.key:
            raise ValueError("key krävs när split är key")
        return self


Step = Annotated[
    FixedStep | EachStep | KeyStep | RequisitionStep | RemainderStep,
    Field(discriminator="kind"),
]


class PotSpec(_Model):
    name: str
    source: str = "received"
    amount: Kronor | None = None
    area: int | None = None
    steps: list[Step]


class Signature(_Model):
    """Who signs the memo: a title (``Äldredirektör``), optionally a unit and a name."""

    title: str
    unit: str = ""
    name: str = ""


class MemoSpec(_Model):
    """What an administration needs on a memo it signs (see docs/parameters.md, ``memo``)."""

    date: Annotated[dt.date | None, Field(strict=False)] = None
    meeting_date: Annotated[dt.date | None, Field(strict=False)] = None
    case_number: str = ""
    proposal_heading: str = "Förvaltningens förslag till beslut"
    decisions: list[str] = []
    signatures: list[Signature] = []
    signed_in_service: bool = False
    distribution: list[str] = []
    attachments: list[str] = []
    illustrative: list[Literal["date", "meeting_date", "case_number", "signatures"]] = []
    illustrative_note: str = ""
    #: The id of the source (in the organisation's rules file) that this memo itself is: a
    #: document never cites itself.
    source: str = ""


class FramePart(_Model):
    name: str
    amount: Kronor


class FrameStatement(_Model):
    """The national frame as one source states it; sources are compared, never trusted."""

    source: str
    #: The id of that source in the rules' sources, so a document that is that source (or
    #: predates it) leaves the statement out.
    source_id: str = ""
    total: Kronor | None = None
    parts: list[FramePart] = []
    municipal: Kronor | None = None


class AreaReport(_Model):
    """Use in one area as the organisation reported it; ``reading`` when we read it uncertainly
    (an illegible figure in the source: say what was printed and how we read it)."""

    area: int
    amount: Kronor
    reading: str = ""


class StatedFigures(_Model):
    """What the source itself states about the year beside made-up rows: a real count or
    amount the report prints as real even where the rows it would be counted from are made up
    (Stockholm 2025: two districts did not requisition; their names are not in the source)."""

    not_requisitioned: Annotated[int, Field(ge=0, strict=True)] | None = None
    source: str


class FollowupSpec(_Model):
    spend: str
    requisitions: str | None = None
    reported_used: Kronor | None = None
    reported_by_area: list[AreaReport] = []
    #: Which reading of an undecided difference between the reported total and its details the
    #: proposal recommends: ``total`` (the reported total counts as used) or ``details``.
    recommended_reading: Literal["total", "details"] = "total"
    stated: StatedFigures | None = None
    carried_over: Kronor = 0
    area8_applies: bool | None = None
    illustrative: bool = False
    source: str = ""
    # The follow-up as a document the administration signs (see docs/parameters.md, followup).
    decided_by: str = ""
    prepared_by: str = ""
    texts: str | None = None
    document: MemoSpec | None = None


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


# --- loading ----------------------------------------------------------------------------------

_STEP_KINDS = {"fixed", "each", "key", "requisition", "remainder"}
_UNION_MEMBERS = {"int", "str", "float", "bool", "Selection", "constrained-int"}

_TYPE_MESSAGES = {
    "missing": "nyckeln saknas",
    "extra_forbidden": "okänd nyckel",
    "int_type": "förväntade ett heltal",
    "int_parsing": "förväntade ett heltal",
    "int_from_float": "förväntade ett heltal (hela kronor)",
    "string_type": "förväntade text",
    "bool_type": "förväntade true eller false",
    "list_type": "förväntade en lista",
    "dict_type": "förväntade en mappning (nyckel: värde)",
    "model_type": "förväntade en mappning (nyckel: värde)",
    "model_attributes_type": "förväntade en mappning (nyckel: värde)",
    "float_type": "förväntade ett tal (ett heltal eller ett decimaltal som 0.8)",
    "float_parsing": "förväntade ett tal (ett heltal eller ett decimaltal som 0.8)",
    "date_type": "förväntade ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "förväntade ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "förväntade ett datum (ÅÅÅÅ-MM-DD)",
    "greater_than_equal": "värdet får inte vara negativt",
    "greater_than": "värdet måste vara större än noll",
    "literal_error": "otillåtet värde",
    "union_tag_invalid": "okänd stegtyp",
    "union_tag_not_found": "nyckeln saknas",
    "value_error": "ogiltigt värde",
    "less_than_equal": "värdet är för stort; högst 999 999 999 999 kr",
}


def _node_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """Follow a pydantic error location through the composed YAML to find its line.

    A location ending in a key gives the key's own node (``received:`` rather than the first
    line of the mapping under it); a key that is not there gives the mapping that lacks it.
    """
    for index, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pair: tuple[yaml.Node, yaml.Node] | None = next(
                ((k, v) for k, v in node.value if k.value == part), None
            )
            if pair is None:
                return node
            if index == len(loc) - 1:
                return pair[0]
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            node = node.value[part]
        else:
            return node
    return node


def _readable_loc(raw: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """A pydantic error location as keys in the file: ``pots.0.steps.0.key.places``.

    Pydantic adds, for unions, the step kind right after a step's index and member names such
    as ``int`` or ``literal['rest']``; they are not keys in the file. Only the part right after
    ``steps.N`` is a kind: in ``steps.0.key.key.places`` the second ``key`` is the step's key.
    """
    loc: list[int | str] = []
    for index, part in enumerate(raw):
        if isinstance(part, str):
            if _is_member(part):
                continue
            after_step = (
                index >= 2 and isinstance(raw[index - 1], int) and raw[index - 2] == "steps"
            )
            if part in _STEP_KINDS and after_step:
                continue
        loc.append(part)
    return tuple(loc)


def _describe(
    error: Any, model: type[BaseModel] | None = None
) -> tuple[str, tuple[int | str, ...]]:
    loc = list(_readable_loc(tuple(error["loc"])))
    kind = error["type"]
    message = _TYPE_MESSAGES.get(kind, "ogiltigt värde")
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        message = f"otillåtet värde; tillåtna: {_swedish_list(expected)}"
    elif kind == "invalid_key" and loc:  # YAML 1.2 read the key as a number
        message = f"nyckeln {loc[-1]} är ett tal, inte ett namn"
        if isinstance(loc[-1], int):
            message += (
                "; inom { } skiljer ett kommatecken värden åt, så 0,8 blir två: skriv "
                "decimaltal med punkt (0.8)"
            )
    elif kind == "int_or_word":  # amount: a whole number of kronor or rest
        expected = str(error.get("ctx", {}).get("expected", ""))
        message = f"förväntade ett heltal (hela kronor) eller {_swedish_list(expected)}"
    elif kind == "value_error":
        message = str(error.get("ctx", {}).get("error", message))
    elif kind == "union_tag_invalid":
        message = "okänd stegtyp; tillåtna: fixed, each, key, requisition eller remainder"
        tag = error.get("ctx", {}).get("tag")
        if isinstance(tag, str):
            message += f' (fick "{tag}")'
        loc.append("kind")
    elif kind == "union_tag_not_found":
        tag = str(error.get("ctx", {}).get("discriminator", "kind")).strip("'")
        message = (
            f'nyckeln "{tag}" saknas; den anger stegtypen: fixed, each, key, requisition '
            "eller remainder"
        )
        loc.append(tag)
    if kind == "extra_forbidden" and loc:
        message = f'okänd nyckel "{loc[-1]}"'
        known = _known_keys(model, tuple(error["loc"])[:-1]) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if close:
            message += f" (menar du {close[0]}?)"
        elif known:
            message += f"; här finns: {', '.join(known)}"
    elif kind == "missing" and loc:
        message = f'nyckeln "{loc[-1]}" saknas'
    got = error.get("input")
    told = ("missing", "extra_forbidden", "invalid_key")  # the key is the value told
    if kind not in told and isinstance(got, str | int | float | bool):
        message += f' (fick "{got}")'
    hinted = ("int_type", "int_parsing", "int_or_word", "bool_type", "float_type")
    if kind in hinted and isinstance(got, str):
        message += _reading_hint(got, kind)
    return message, tuple(loc)


def _swedish_list(expected: str) -> str:
    """Pydantic's list of allowed values in Swedish: ``'a', 'b' or 'c'`` → ``'a', 'b' eller 'c'``.

    Pydantic joins the values with ", " and the last one with " or " (its text is English).
    """
    head, sep, tail = expected.rpartition(" or ")
    return f"{head} eller {tail}" if sep else expected


def _number_union(first: Any, errors: list[Any]) -> Any:
    """A value of ``int | float`` (a ``where`` value) that is neither: tell that a number, not
    an integer, is expected; of ``int | Literal["rest"]`` (a step's amount): tell both.
    Pydantic reports each member of a union; the ``int`` one comes first."""
    raw = tuple(first["loc"])
    if first["type"] not in ("int_type", "int_parsing") or not raw or not _is_member(raw[-1]):
        return first
    for other in errors:
        if tuple(other["loc"]) == (*raw[:-1], "float") and other["type"].startswith("float"):
            return {**other, "type": "float_type"}
    for other in errors:  # an amount or the word rest: say both
        same = tuple(other["loc"][:-1]) == raw[:-1]
        if same and other["type"] == "literal_error":
            return {**first, "type": "int_or_word", "ctx": other.get("ctx", {})}
    return first


def _members(annotation: Any) -> list[Any]:
    """The types an annotation allows: ``Annotated``, unions and ``None`` unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _members(arg)]
    return [] if annotation is type(None) else [annotation]


def _known_keys(model: type[BaseModel] | None, raw: tuple[int | str, ...]) -> list[str]:
    """The keys a mapping at pydantic location ``raw`` may hold (for "menar du …?")."""
    current: list[Any] = [model] if model is not None else []
    for part in raw:
        following: list[Any] = []
        for annotation in current:
            for member in _members(annotation):
                origin = get_origin(member)
                if isinstance(part, int) and origin is list:
                    following += list(get_args(member))
                elif isinstance(part, str) and origin is dict:
                    following.append(get_args(member)[1])
                elif isinstance(part, str) and isinstance(member, type):
                    if not issubclass(member, BaseModel):
                        continue
                    kind = member.model_fields.get("kind")
                    if member.__name__ == part or (
                        kind is not None and get_args(kind.annotation) == (part,)
                    ):
                        following.append(member)  # a union member or a step kind tag
                    elif part in member.model_fields:
                        following.append(member.model_fields[part].annotation)
        current = following
    keys: list[str] = []
    for annotation in current:
        for member in _members(annotation):
            if isinstance(member, type) and issubclass(member, BaseModel):
                keys += [k for k in member.model_fields if k not in keys]
    return keys


def _is_member(part: int | str) -> bool:
    """``int``, ``Selection``, ``list[str]``: a union member pydantic names in a location."""
    return isinstance(part, str) and ("[" in part or part in _UNION_MEMBERS)


def _first_error(errors: list[Any]) -> Any:
    """The error to tell the reader about, of the ones pydantic found.

    A misspelt key gives two errors, the right key missing and the wrong one unknown: the
    unknown one is told (with "menar du …?"). For a union (a list of names or a group), the
    member the value got furthest into is told, not that the value is not a list.
    """
    for error in errors:
        if error["type"] != "missing":
            continue
        parent = error["loc"][:-1]
        for other in errors:
            if other["type"] == "extra_forbidden" and other["loc"][:-1] == parent:
                close = difflib.get_close_matches(
                    str(other["loc"][-1]), [str(error["loc"][-1])], n=1, cutoff=0.6
                )
                if close:
                    return other
    first = errors[0]
    raw = first["loc"]
    member = next(
        (
            i
            for i, part in enumerate(raw)
            if isinstance(part, str) and ("[" in part or part in _UNION_MEMBERS)
        ),
        None,
    )
    if member is not None:
        base = raw[:member]
        siblings = [e for e in errors if e["loc"][:member] == base and len(e["loc"]) > member]
        deepest = max(siblings, key=lambda e: len(e["loc"]))
        if len(deepest["loc"]) > len(raw):
            return deepest
    return first


def _reading_hint(text: str, kind: str = "int_type") -> str:
    """Why a value that looks like a number or a yes/no is text here (YAML 1.2 readings).

    The hint fits the type expected (``kind``): ``ja`` where true/false is expected is told to
    write true or false; where a number is (a ``where`` value, ``float_type``) to write 1 or 0,
    as a cell's ``ja``/``nej`` is read; where an amount is, nothing (ja is no amount).
    """
    stripped = text.strip()
    if stripped.lower() in ("yes", "no", "on", "off", "y", "n", "ja", "nej"):
        if kind == "bool_type":
            return "; skriv true eller false"
        if kind == "float_type":
            return "; ja och nej är text här: skriv talet 1 för ja eller 0 för nej"
        return ""
    if re.fullmatch(r"[-+]?0[0-9_]+", stripped):
        return "; en inledande nolla gör värdet till text (skriv talet utan nolla)"
    if re.fullmatch(r"[0-9]+(:[0-5]?[0-9])+", stripped):
        return "; tal med kolon läses inte som tal"
    if kind == "float_type":
        if re.fullmatch(r"[-+]?[0-9]+,[0-9]+", stripped):
            return "; skriv decimaltecknet som punkt, t.ex. 0.8"
        return ""
    if re.fullmatch(r"[0-9 _.,\u00a0]+", stripped):
        return "; skriv hela kronor utan mellanslag eller skiljetecken, t.ex. 1200000"
    return ""


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
        first = _number_union(_first_error(errors), errors)
        message, loc = _describe(first, model)
        where = _node_at(node, loc)
        line = where.start_mark.line + 1 if where is not None else None
        dotted = ".".join(str(p) for p in loc)
        raise InputError(
            message + named_path(node, loc), file=path, row=line, key=dotted or None
        ) from exc


# What an item of a list is called in a sentence: "i steget "Rekvisition" (potten "2025")".
_ITEM_WORDS = {"pots": "potten", "steps": "steget", "recipients": "gruppen"}


def named_path(node: yaml.Node | None, loc: tuple[int | str, ...]) -> str:
    """The named items a key path passes through, for a reader who counts by name, not by 0:
    ``pots.1.steps.0.key`` → ``; i steget "Platser" (potten "Statsbidrag 2023")``."""
    names: list[str] = []
    for index, part in enumerate(loc):
        if not isinstance(part, int) or index == 0 or loc[index - 1] not in _ITEM_WORDS:
            continue
        item = _node_at(node, loc[: index + 1])
        if isinstance(item, yaml.MappingNode):
            label = next(
                (
                    v.value
                    for k, v in item.value
                    if k.value in ("name", "group") and isinstance(v, yaml.ScalarNode)
                ),
                None,
            )
            if label:
                names.append(f'{_ITEM_WORDS[str(loc[index - 1])]} "{str(label)[:60]}"')
    if not names:
        return ""
    inner, *outer = reversed(names)
    return f"; i {inner}" + (f" ({', '.join(outer)})" if outer else "")


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
