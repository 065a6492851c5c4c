"""The documents' part of a year's parameter file: the memo as a document the administration
signs, the national frame as each source states it, and the year-end follow-up.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from gnvtools.core.params_base import STRICT, Kronor


class _Model(BaseModel):
    model_config = STRICT


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
