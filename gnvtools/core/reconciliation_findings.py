"""A check's result: a finding with a level, a code, a Swedish message and the amount.

The checks themselves are in ``reconciliation`` (and the modules it names); this module holds
only what every check and every reader of findings shares: ``Finding``, the levels and their
Swedish names, and the order findings are listed in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
LEVEL_NAMES = {"error": "fel", "warning": "varning", "info": "upplysning"}
#: Earlier names of a code, still written beside it (``aliases`` in JSON) for one release so a
#: script that looks for the old name finds it (docs/findings.md).
CODE_ALIASES: dict[str, tuple[str, ...]] = {"rows-vs-reported": ("details-vs-reported",)}


@dataclass(frozen=True)
class Finding:
    """One check result. ``amount`` is the difference in whole kronor, when there is one."""

    level: Level
    code: str
    message: str
    amount: int | None = None
    #: The finding rests on made-up example data (its message says so too).
    illustrative: bool = False

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        if self.code in CODE_ALIASES:
            data["aliases"] = list(CODE_ALIASES[self.code])
        return data


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; otherwise in the order the checks ran."""
    return sorted(findings, key=lambda f: LEVELS.index(f.level))
