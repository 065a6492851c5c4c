"""The allocation memo's figures read straight from the parameter file: who and when, what was
received, its components and the money carried over (``memo_figures`` builds the rest).

Each names its key in the parameter file: ``mottaget`` reads ``received.total``,
``delbelopp_befolkning`` ``received.components[0].amount`` (Stockholm 2025).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from gnvtools.core.figure_sources import yaml_cell
from gnvtools.core.figures import Catalogue, Precision, slug


def precision_of(spec: Any) -> Precision:
    """How exactly the parameter file states an amount (``precision``, default ``exakt``)."""
    return getattr(spec, "precision", "exakt") or "exakt"


def document_figures(cat: Catalogue, file: Any) -> None:
    """Who and when: the organisation and year (underlag), the memo's own data (beslut)."""
    params = file.params
    name = params.organisation.name
    org = [yaml_cell(file, "organisation", "name")]
    cat.add("organisation", name, "text", "organisationens namn", stage="underlag", sources=org)
    year = [yaml_cell(file, "year")]
    cat.add("ar", str(params.year), "år", "bidragsåret", stage="underlag", sources=year)
    if params.decided_by:
        by = [yaml_cell(file, "decided_by")]
        cat.add("beslutande", params.decided_by, "text", "beslutande organ", sources=by)
    memo = params.memo
    if memo is None:
        return
    made_up = set(memo.illustrative)
    if memo.date is not None:
        day = [yaml_cell(file, "memo", "date")]
        cat.add(
            "datum",
            memo.date,
            "datum",
            "tjänsteutlåtandets datum",
            made_up="date" in made_up,
            sources=day,
        )
    if memo.meeting_date is not None:
        meeting = [yaml_cell(file, "memo", "meeting_date")]
        cat.add(
            "sammantradesdatum",
            memo.meeting_date,
            "datum",
            "beslutande organs sammanträde",
            made_up="meeting_date" in made_up,
            sources=meeting,
        )
    if memo.case_number:
        case = [yaml_cell(file, "memo", "case_number")]
        cat.add(
            "diarienummer",
            memo.case_number,
            "text",
            "diarienummer",
            made_up="case_number" in made_up,
            sources=case,
        )


def received_figures(cat: Catalogue, file: Any) -> dict[str, list[str]]:
    """Received money, its components and carry-overs (what the sources state: ``underlag``).

    Returns the figure name of each pot source (``received``, ``component:NAME``,
    ``carry-over:YEAR``) and, under ``carry-over``, the names of all carry-over figures.
    """
    params = file.params
    names: dict[str, list[str]] = {"received": ["mottaget"], "carry-over": []}
    # A total stated from rounded parts is as rough as they are (Stockholm 2023: 51,8 mnkr).
    rough = [c for c in params.received.components if precision_of(c) != "exakt"]
    cat.add(
        "mottaget",
        params.received.total,
        "kr",
        "mottaget statsbidrag",
        stage="underlag",
        precision=precision_of(rough[0]) if rough else precision_of(params.received),
        sources=[yaml_cell(file, "received", "total")],
    )
    for index, component in enumerate(params.received.components):
        names[f"component:{component.name}"] = [_component_figures(cat, file, index)]
    for index, carry in enumerate(params.carry_over):
        figure = cat.add(
            f"kvarvarande_{carry.year}",
            carry.amount,
            "kr",
            f"kvarvarande medel {carry.year}",
            stage="underlag",
            precision=precision_of(carry),
            sources=[yaml_cell(file, "carry_over", index, "amount")],
        )
        names[f"carry-over:{carry.year}"] = [figure.name]
        names["carry-over"].append(figure.name)
    return names


def _component_figures(cat: Catalogue, file: Any, index: int) -> str:
    """A component of the money received (``delbelopp_<name>``) and, when its national frame
    is stated, that frame and the component's share of it; returns the component's figure name."""
    component = file.params.received.components[index]
    part = slug(component.name)
    at = ("received", "components", index)
    amount = cat.add(
        f"delbelopp_{part}",
        component.amount,
        "kr",
        f"delbeloppet {component.name}",
        stage="underlag",
        precision=precision_of(component),
        sources=[yaml_cell(file, *at, "amount")],
    )
    if component.national_frame:
        frame = cat.add(
            f"nationell_ram_{part}",
            component.national_frame,
            "kr",
            f"nationell ram för delbeloppet {component.name}",
            stage="underlag",
            sources=[yaml_cell(file, *at, "national_frame")],
        )
        cat.add(
            f"andel_av_ram_{part}",
            Fraction(component.amount, component.national_frame),
            "andel",
            f"delbeloppet {component.name} som andel av den nationella ramen",
            derived_from=[amount.name, frame.name],
            places=2,  # a region's share of a frame is a few percent: "9,40 %", not "9 %"
        )
    return amount.name


def decision_inputs(plan: Any) -> list[Path]:
    """The data files a decision document may read: the plan's, without the requests of a
    requisition step known only after the decision (``stage: rekvisition``, the default).

    The decision states each recipient's ceiling, never what was requisitioned, so the requests
    file is no input of it: not in its manifest, its provenance annex or its Excel input sheets,
    and changing it changes nothing the memo states. Stockholm 2025 reads ``districts.csv`` and
    ``central.csv``; ``requests-2025.csv`` belongs to the requisition.
    """
    later: set[Path] = set()
    for pot in plan.params.pots:
        for step in pot.steps:
            if step.kind == "requisition" and step.stage not in ("underlag", "beslut"):
                later.add(plan.file.data_path(step.requests)[0])
    return [path for path in plan.data_files if path not in later]
