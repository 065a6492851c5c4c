"""What verify found, and how it is said: one ``Check`` per manifest, the report a person reads
(what changed first, then the figures), its verdict line with Swedish number agreement, and the
same as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from gnvtools.core.formatting import count
from gnvtools.errors import visible

UNREADABLE = "okänd"  # the report of a manifest that could not be read


@dataclass
class Check:
    """What verify found for one manifest."""

    manifest: str
    report: str
    title: str
    inputs: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # said, but no difference

    @property
    def differences(self) -> int:
        """Figures, tables and outputs that do not reproduce, code that was not run (a
        notebook or parameters other than the installed ones), and a failed recomputation."""
        code = sum(not line.startswith(" ") for line in self.code)
        return len(self.figures) + len(self.tables) + len(self.outputs) + code + bool(self.error)

    @property
    def clean(self) -> bool:
        return not (self.differences or self.inputs or self.rules)


def verdict(checks: list[Check]) -> str:
    """One line with Swedish number agreement."""
    reports = count(len(checks), "rapport", "rapporter")
    failing = [c for c in checks if c.differences]
    changed = [c for c in checks if c.inputs or c.rules]
    if not failing and not changed:
        return f"Alla siffror i {reports} återskapades."
    if not failing:
        return (
            f"Alla siffror i {reports} återskapades, men underlag eller regler har ändrats i "
            f"{count(len(changed), 'rapport', 'rapporter')} (se ovan)."
        )
    differences = sum(c.differences for c in failing)
    return (
        f"Verifieringen fann {count(differences, 'avvikelse', 'avvikelser')} i "
        f"{count(len(failing), 'rapport', 'rapporter')} av {len(checks)}."
    ).replace(" i en rapport av 1.", " i rapporten.")


def describe(checks: list[Check]) -> list[str]:
    """The report a person reads: for each manifest, what changed first, then the figures."""
    lines: list[str] = []
    for check in checks:
        if check.clean:
            lines += [f"{check.report} ({check.manifest}): {note}" for note in check.notes]
            continue
        lines.append(f"{check.report}: {check.title} ({check.manifest})")
        sections = [
            ("Ändrat i underlaget sedan bygget", check.inputs),
            ("Regler och kod", check.rules),
            ("Kod som inte körs", check.code),
            ("Utdata", check.outputs),
            ("Siffror som inte återskapas", check.figures),
            ("Tabellceller som inte återskapas", check.tables),
        ]
        for heading, items in sections:
            if items:
                lines.append(f"  {heading}:")
                lines += [f"    {item}" for item in items]
        if check.error:
            lines.append(f"  {check.error}")
        lines += [f"  {note}" for note in check.notes]
    lines.append(verdict(checks))
    # Text from a manifest or an input someone else wrote never reaches the terminal raw.
    return [visible(line) for line in lines]


def as_json(checks: list[Check]) -> dict[str, Any]:
    return {
        "reports": [
            {**asdict(c), "differences": c.differences, "reproduced": not c.differences}
            for c in checks
        ],
        "verdict": verdict(checks),
        "ok": all(not c.differences for c in checks),
    }
