"""The input cells and rules behind the year-end follow-up's figures (``core.yearend``).

The spend file's ``amount`` column summed over all rows, over an area's rows or a recipient's;
the parameter file's ``followup`` keys (the reported total, the use per area, what is carried
over); and the regime's rules on repayment and on what the grant may be used for, cited as
``data/regimes.yaml`` cites them.
"""

from __future__ import annotations

from pathlib import Path

from gnvtools.core.figure_sources import ALL_ROWS, FigureSource, InputCell, RuleSource, table_cell
from gnvtools.core.followup import Followup
from gnvtools.core.regimes import Regime

#: Words a regime's rule on paying back unused money uses (``data/regimes.yaml``, topic money).
_REPAYMENT_WORDS = ("tillbaka", "återbetal")


def _data_file(result: Followup, name: str) -> str:
    return (Path(result.plan.file.shown or result.plan.file.path).parent / name).as_posix()


def spend_cell(result: Followup, row: str = ALL_ROWS) -> InputCell:
    """The spend file's ``amount`` column over ``row`` (all rows, or a filter)."""
    spec = result.plan.params.followup
    name = spec.spend if spec is not None else ""
    return table_cell(_data_file(result, name), None, row, "amount")


def requisitions_cell(result: Followup) -> list[FigureSource]:
    spec = result.plan.params.followup
    if spec is None or spec.requisitions is None:
        return []
    return [table_cell(_data_file(result, spec.requisitions), None, ALL_ROWS, "amount")]


def repayment_rule(regime: Regime, organisation_type: str) -> list[FigureSource]:
    """The regime's rule that unused money is paid back, with each place it is written; none
    when the regime is silent on unused money (the SKR agreement of 2023)."""
    out: list[FigureSource] = []
    rules = regime.rules_for(organisation_type, "money")
    for number, rule in enumerate(rules, start=1):
        if not any(word in rule.text for word in _REPAYMENT_WORDS):
            continue
        rule_id = f"{regime.id}/money/{number}"
        out += [RuleSource(rule_id, c.source.id, c.section) for c in rule.citations]
    if out or not regime.unused_must_be_repaid:
        return out  # a regime silent on unused money names no rule for it
    return [RuleSource(f"{regime.id}/unused_must_be_repaid")]


def scope_rule(result: Followup) -> list[FigureSource]:
    """What says a row is outside the rules: the organisation's reading of the kinds of activity
    (its rules file, with each source it cites) and the regime's restricted areas."""
    out: list[FigureSource] = [
        RuleSource(f"activity_types/{result.regime.id}", c.source.id, c.section)
        for c in result.reading.citations
    ]
    return [*out, RuleSource(f"{result.regime.id}/restricted_areas")]


def ineligible_rows(result: Followup) -> str:
    """The rows outside the rules, as a row key: ``12, 15`` (all rows when there are none)."""
    rows = [str(item.line.row) for item in result.ineligible_lines]
    return ", ".join(rows) if rows else ALL_ROWS
