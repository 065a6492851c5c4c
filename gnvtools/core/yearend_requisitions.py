"""The follow-up's requisition figures: what could be requisitioned (``rekvisition_tak``), what
was granted (``rekvirerat``) and asked for (``begart``), and who requisitioned nothing
(``antal_ej_rekvirerat``), over the year's requisition steps or the requisitions file.

Example: with one requisition step of the year's grant, ``rekvisition_tak`` is derived from that
step's ``<step>_tak`` and, without a requisitions file, ``rekvirerat`` from the step's grant.
"""

from __future__ import annotations

from gnvtools.core.figure_sources import yaml_cell
from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.followup_sources import requisitions_cell


def year_requisition_steps(result: Followup) -> list[str]:
    """The figure-name stem of each requisition step of the year's grant (not of money
    carried over): ``medel_<pot>_steg_<n>``."""
    return [
        f"medel_{slug(pot.name)}_steg_{index}"
        for pot in result.plan.params.pots
        if not result.plan.pot_sources[pot.name].startswith("carry-over")
        for index, step in enumerate(pot.steps, start=1)
        if step.kind == "requisition"
    ]


def requisition_totals(cat: Catalogue, result: Followup) -> None:
    """Requested and granted over the year's requisition steps (or the requisitions file)."""
    params = result.plan.params
    steps = [name for name in year_requisition_steps(result) if name in cat]
    separate = params.followup is not None and params.followup.requisitions is not None
    if result.requisition_target is not None:
        cat.add(
            "rekvisition_tak",
            result.requisition_target,
            "kr",
            "belopp som kunde rekvireras",
            derived_from=[f"{name}_tak" for name in steps],
        )
    if result.requisitioned is not None:
        cat.add(
            "rekvirerat",
            result.requisitioned,
            "kr",
            "beviljat vid rekvisitionen",
            stage="rekvisition",
            derived_from=[] if separate else steps,
            sources=requisitions_cell(result),
        )
    if result.requested is not None:
        asked = [] if separate else [f"{name}_begart" for name in steps]
        cat.add(
            "begart",
            result.requested,
            "kr",
            "begärt i rekvisitionerna",
            stage="rekvisition",
            derived_from=asked,
            made_up=result.illustrative,
            sources=requisitions_cell(result),
        )
    stated = params.followup.stated if params.followup is not None else None
    if stated is not None and stated.not_requisitioned is not None:
        # The source's own count is real even where the rows that name them are made up.
        cat.add(
            "antal_ej_rekvirerat",
            stated.not_requisitioned,
            "antal",
            "mottagare som inte rekvirerade, enligt källan",
            stage="rekvisition",
            sources=[yaml_cell(result.plan.file, "followup", "stated", "not_requisitioned")],
        )
        return
    cat.add(
        "antal_ej_rekvirerat",
        len(result.not_requisitioned),
        "antal",
        "mottagare som inte rekvirerade",
        stage="rekvisition",
        derived_from=["begart"] if "begart" in cat else [],
        made_up=result.requisitions_illustrative,
    )
