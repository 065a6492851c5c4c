"""The follow-up's key figures: received, the requisition, the use, the unused money traced
to the krona (what was never requisitioned plus what the recipients left), and the repayment
the administration proposes. Rows that would say the same amount twice are one row whose label
names them all. A row that rests on made-up data is marked; so is an approximate or uncertain
figure.
"""

from __future__ import annotations

from gnvtools.core.figures import Catalogue
from gnvtools.core.followup import Followup
from gnvtools.reports.display import Cell, Table
from gnvtools.reports.followup_phrases import MADE_UP, made_up, proposed_reading
from gnvtools.reports.table_cells import Named, NamedTable, fig

#: The rows after the requisition and the use: each row's label and the figure it shows.
KEY_FIGURES_AFTER = (
    ("Använt utanför reglerna", "utanfor_reglerna"),
    ("Att betala tillbaka", "att_betala_tillbaka"),
    ("Förs över till nästa år", "fors_over"),
    ("Kvarvarande medel från tidigare år, följs upp för sig", "kvarvarande_totalt"),
)


def _requisition_rows(f: Catalogue) -> list[tuple[str, str]]:
    """Allocated, requested and granted, each said once: rows with the same amount are one
    row whose label names them all (Stockholm 2025: requested = granted = allocated)."""
    if "rekvirerat" not in f:
        return [("Fördelat till mottagarna", "fordelat_statsbidrag")]
    rows: list[tuple[str, str]] = []
    part = "rekvisition_tak" in f and f.amount("rekvisition_tak") < f.amount("mottaget")
    if part:
        rows.append(("Kunde rekvireras (en del av medlen)", "rekvisition_tak"))
    asked = f.value("begart") if "begart" in f else None
    granted, allocated = f.value("rekvirerat"), f.value("fordelat_statsbidrag")
    if asked == granted == allocated:
        return [*rows, ("Rekvirerat och beviljat", "rekvirerat")]
    if not part and granted == allocated:
        granted_label = "Beviljat vid rekvisitionen och fördelat till mottagarna"
    else:
        rows.insert(0, ("Fördelat till mottagarna", "fordelat_statsbidrag"))
        granted_label = "Beviljat vid rekvisitionen"
    if asked == granted:
        return [*rows, (granted_label.replace("Beviljat", "Begärt och beviljat", 1), "rekvirerat")]
    if asked is not None:
        rows.append(("Begärt av mottagarna", "begart"))
    return [*rows, (granted_label, "rekvirerat")]


def _unused_rows(f: Catalogue) -> list[tuple[str, str]]:
    """Outnyttjat, with its two parts when some of the money never reached a recipient."""
    if "outnyttjat_ej_fordelat" not in f:
        return [("Outnyttjat (mottaget \u2212 förbrukat)", "outnyttjat")]
    never = f["outnyttjat_ej_fordelat"].label.startswith("inte rekvirerat")
    return [
        (
            "Inte rekvirerat (mottaget \u2212 rekvirerat)"
            if never
            else "Inte fördelat (mottaget \u2212 fördelat)",
            "outnyttjat_ej_fordelat",
        ),
        (
            "Rekvirerat men inte förbrukat (rekvirerat \u2212 förbrukat)"
            if never
            else "Fördelat men inte förbrukat (fördelat \u2212 förbrukat)",
            "outnyttjat_hos_mottagarna",
        ),
        ("= Outnyttjat (mottaget \u2212 förbrukat)", "outnyttjat"),
    ]


def key_figure_rows(r: Followup, f: Catalogue) -> list[tuple[str, str]]:
    """The key figures in order: received, the requisition, the use, the unused money traced
    to its parts, and what follows from it (the repayment of the proposed reading)."""
    used = "Förbrukat (redovisad total)" if "redovisat_forbrukat" in f else "Förbrukat"
    rows = [("Mottaget", "mottaget"), *_requisition_rows(f), (used, "forbrukat")]
    rows += _unused_rows(f)
    # Where the sources are silent on unused money, no repayment or carry-over is claimed.
    silent = r.regime.unused_must_be_repaid is None and not r.ineligible
    repay = proposed_reading(r, f)[1]
    for label, name in KEY_FIGURES_AFTER:
        if name not in f or (silent and name in ("att_betala_tillbaka", "fors_over")):
            continue
        if name == "att_betala_tillbaka":
            label, name = ("Att betala tillbaka enligt förslaget", repay)
        rows.append((label, name))
    return rows


def key_figures(r: Followup, f: Catalogue) -> Table:
    rows: list[list[Cell | Named]] = []
    shown = key_figure_rows(r, f)
    for label, name in shown:
        rows.append(
            [label + _precision(f, name) + (MADE_UP if made_up(f, name) else ""), fig(f, name)]
        )
    any_made_up = any(made_up(f, name) for _, name in shown)
    return NamedTable.of(
        rows,
        title="Nyckeltal",
        columns=["Post", "Belopp"],
        kinds=["text", "kr"],
        notes=[f"Nyttjandegrad: {f.text('nyttjandegrad')} (förbrukat som andel av mottaget)."],
        illustrative="raderna märkta påhittat exempel bygger på påhittade uppgifter."
        if any_made_up
        else "",
    )


def _precision(f: Catalogue, name: str) -> str:
    """A row label's note when its figure is approximate or an uncertain reading."""
    precision = getattr(f[name], "precision", "exakt") if name in f else "exakt"
    return {"cirka": " (cirka)", "osäker": " (osäker avläsning)"}.get(precision, "")
