"""What every model of the parameter files is made of: the strict base model, amounts in whole
kronor, how exactly and when an input is known, the reports, and the organisation.

The models themselves are in ``params_pots`` (what a year receives and how its pots split it),
``params_documents`` (memo, national frames, follow-up) and ``params`` (the files as a whole).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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


#: How every part of a parameter file is read: unknown keys and values of another type are
#: refused, and a loaded file is not changed afterwards. Each module of models has its own
#: ``_Model`` with this configuration (a base ruff sees is pydantic's, where lists may default
#: to ``[]``).
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Model(BaseModel):
    model_config = STRICT


class Organisation(_Model):
    name: str
    type: Literal["kommun", "region", "nationell"]
    code: str | None = None
