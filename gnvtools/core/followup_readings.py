"""Which kinds of activity an organisation reads as inside the grant's purpose, with sources.

No shared source classifies the kinds of activity (``data/regimes.yaml`` lists only the words).
An organisation states its own reading in its rules file (the parameter file's ``rules:``)::

    activity_types:
      - regime: sfs-2024-1253
        eligible: [särskilt boende, elevhälsa]
        ineligible: [förskola, skola]
        sources:
          - {source: stockholm-memo-2025, section: Sammanfattning}

A spend row whose kind no reading classifies is not judged: the follow-up says the
organisation must state its reading (finding ``activity-type-unclassified``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gnvtools.core.model import Plan
from gnvtools.core.regimes import Citation, Regime
from gnvtools.core.rulebook import read_readings, shared_sources
from gnvtools.core.yamlio import read_yaml
from gnvtools.errors import InputError


@dataclass(frozen=True)
class ActivityReading:
    """An organisation's reading of which kinds of activity the grant may pay for."""

    eligible: tuple[str, ...] = ()
    ineligible: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

    def classifies(self, kind: str) -> bool:
        return kind in self.eligible or kind in self.ineligible

    @property
    def cited(self) -> str:
        """``Stockholms tjänsteutlåtande 2025, ”Sammanfattning”``: where the reading is written."""
        return "; ".join(f"{c.source.short}, {c.place}" for c in self.citations)


#: No reading: every kind of activity is unclassified.
NO_READING = ActivityReading()


def activity_reading(plan: Plan, regime: Regime) -> ActivityReading:
    """The organisation's reading for ``regime`` from its rules file, or ``NO_READING``."""
    if not plan.params.rules:
        return NO_READING
    path, shown = plan.file.data_path(plan.params.rules)
    sources = shared_sources() | read_readings(path, shown).sources
    raw, _ = read_yaml(path, what="regelfilen")
    eligible: list[str] = []
    ineligible: list[str] = []
    citations: list[Citation] = []
    for index, spec in enumerate((raw or {}).get("activity_types") or []):
        where = f"activity_types[{index}]"
        try:
            if str(spec["regime"]) != regime.id:
                continue
            own = [str(k) for k in spec.get("eligible") or []]
            outside = [str(k) for k in spec.get("ineligible") or []]
            cites = [Citation(sources[c["source"]][0], str(c["section"])) for c in spec["sources"]]
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(
                "varje tolkning under activity_types behöver regime, eligible och/eller "
                "ineligible och sources (källor ur sources)",
                file=shown,
                key=where,
            ) from exc
        unknown = [k for k in own + outside if k not in regime.activity_types]
        if unknown or not cites:
            problem = (
                f'okänd verksamhetstyp "{unknown[0]}"; känns igen: '
                + ", ".join(regime.activity_types)
                if unknown
                else "en tolkning behöver minst en källa (sources)"
            )
            raise InputError(problem, file=shown, key=where)
        eligible += own
        ineligible += outside
        citations += cites
    return ActivityReading(tuple(eligible), tuple(ineligible), tuple(citations))
