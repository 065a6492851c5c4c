"""The regimes of the grant (SKR agreement, SFS 2024:1253), read from ``data/regimes.yaml``.

Rules are data: which areas of use exist, which are restricted, which kinds of activity are
inside the permitted scope, and whether unused money must be paid back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from gnvtools.errors import InputError


@dataclass(frozen=True)
class Regime:
    id: str
    name: str
    short: str
    legal_basis: str
    administered_by: str
    how_received: str
    areas: dict[int, str]
    restricted_areas: dict[int, str]
    eligible_activity_types: tuple[str, ...]
    ineligible_activity_types: tuple[str, ...]
    unused_must_be_repaid: bool
    scope: str
    rules: tuple[str, ...]

    @property
    def activity_types(self) -> tuple[str, ...]:
        return self.eligible_activity_types + self.ineligible_activity_types

    def area_label(self, area: int) -> str:
        return f"{area}. {self.areas[area]}"


@cache
def all_regimes() -> dict[str, Regime]:
    text = resources.files("gnvtools").joinpath("data/regimes.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    regimes = {}
    for regime_id, spec in raw.items():
        regimes[regime_id] = Regime(
            id=regime_id,
            name=" ".join(spec["name"].split()),
            short=spec["short"],
            legal_basis=spec["legal_basis"],
            administered_by=spec["administered_by"],
            how_received=" ".join(spec["how_received"].split()),
            areas={int(k): v for k, v in spec["areas"].items()},
            restricted_areas={int(k): v for k, v in spec["restricted_areas"].items()},
            eligible_activity_types=tuple(spec["eligible_activity_types"]),
            ineligible_activity_types=tuple(spec["ineligible_activity_types"]),
            unused_must_be_repaid=bool(spec["unused_must_be_repaid"]),
            scope=" ".join(spec["scope"].split()),
            rules=tuple(spec["rules"]),
        )
    return regimes


def get_regime(regime_id: str, *, file: str | None = None, row: int | None = None) -> Regime:
    regimes = all_regimes()
    if regime_id not in regimes:
        raise InputError(
            f'okänd regim "{regime_id}"; känns igen: {", ".join(regimes)}',
            file=file,
            row=row,
            column="regime",
        )
    return regimes[regime_id]
