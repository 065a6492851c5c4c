"""How a follow-up finding says that it rests on made-up rows: in its message and its flag."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gnvtools.core.followup import Followup

#: Appended to a finding's message when it rests on made-up rows.
MADE_UP = " (Bygger på påhittade exempelrader.)"


def with_made_up_note(r: Followup, text: str, requisition: bool = False) -> tuple[str, bool]:
    """``text`` with ``MADE_UP`` appended when the rows it rests on are made up (the
    requisitions' rows with ``requisition``), and whether they are."""
    made_up = r.requisitions_illustrative if requisition else r.illustrative
    return (text + MADE_UP if made_up else text), made_up
