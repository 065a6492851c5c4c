"""The ``gnv followup --json`` object: a public contract (keys are only ever added; the schema
is ``gnv schema followup``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gnvtools.core.followup import Followup


def followup_json(r: Followup) -> dict[str, Any]:
    """Every figure of the follow-up in plain JSON types, with its findings."""
    return {
        "organisation": r.plan.params.organisation.name,
        "year": r.plan.params.year,
        "regime": r.regime.id,
        "received": r.received,
        "carry_over_in": r.carry_over_in,
        "allocated": r.allocated,
        "requisitioned": r.requisitioned,
        "requested": r.requested,
        "used": r.used,
        "used_in_rows": r.rows_used,
        "reported_used": r.reported_used,
        "unused": r.unused,
        "utilisation": float(r.utilisation),
        "utilisation_exact": f"{r.utilisation.numerator}/{r.utilisation.denominator}",
        "ineligible": r.ineligible,
        "carried_over": r.carried_over,
        "repay": r.repay,
        "by_area": {str(area): amount for area, amount in r.by_area.items()},
        "without_area": r.unassigned,
        "by_recipient": {
            name: {
                "allocated": r.allocated,
                "requisitioned": r.requisitioned,
                "used": r.used,
                "unused": r.unused,
                "ineligible": r.ineligible,
            }
            for name, r in r.by_recipient.items()
        },
        "not_requisitioned": r.not_requisitioned,
        "carry_over": [
            {
                "year": c.year,
                "amount": c.amount,
                "allocated": c.allocated,
                "used": c.used,
                "unused": c.unused,
            }
            for c in r.carry_over
        ],
        "findings": [f.as_dict() for f in r.findings],
    }
