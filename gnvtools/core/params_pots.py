"""The allocation's part of a year's parameter file: what the year receives (components, sums
carried over, budget lines), the recipient groups and how a step selects among them, and the
pots with their steps (``fixed``, ``each``, ``key``, ``requisition``, ``remainder``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from gnvtools.core.params_base import (
    STRICT,
    ColumnWeights,
    InputPrecision,
    InputStage,
    Kronor,
    StepAmount,
)


class _Model(BaseModel):
    model_config = STRICT


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
