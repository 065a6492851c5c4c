"""The follow-up's sections on money carried over from earlier years and on use outside the
rules: each a few sentences from named figures and a table."""

from __future__ import annotations

from gnvtools.core.figures import Catalogue, unique_slugs
from gnvtools.core.followup import Followup
from gnvtools.core.spend import CarryOverFollowup
from gnvtools.reports.display import Cell, Html, Table, paragraph, section
from gnvtools.reports.followup_phrases import marked
from gnvtools.reports.followup_tables import ROWS_NOTE
from gnvtools.reports.table_cells import Named, NamedTable


def carry_over_table(r: Followup, index: int) -> Table:
    """Each cell the catalogue's ``kvarvarande_<year>_mottagare_<r>_…`` figure (or the
    year's ``kvarvarande_<year>_…`` sums; ``core.yearend_tables``)."""
    carry = r.carry_over[index]
    head = f"kvarvarande_{carry.year}"
    keys = unique_slugs(list(carry.by_recipient))

    def named(value: int | None, name: str) -> Named:
        return Named(value, name if value is not None else "")

    rows: list[list[Cell | Named]] = []
    for name, (allocated, used) in carry.by_recipient.items():
        who = f"{head}_mottagare_{keys[name]}"
        rows.append(
            [
                name,
                named(allocated, f"{who}_tilldelat"),
                named(used, f"{who}_forbrukat"),
                named(carry.unused_by(name), f"{who}_outnyttjat"),
            ]
        )
    footer: list[Cell | Named] = [
        "Summa",
        named(carry.allocated, f"{head}_fordelat"),
        named(carry.used, f"{head}_forbrukat"),
        named(carry.unused, f"{head}_outnyttjat"),
    ]
    return NamedTable.of(
        rows,
        footer,
        title=f"Kvarvarande medel från {carry.year}",
        columns=["Mottagare", "Tilldelat", "Förbrukat", "Outnyttjat"],
        kinds=["text", "kr", "kr", "kr"],
        notes=[]
        if carry.used is not None
        else ["Förbrukningen är inte uppföljd: ingen förbrukningsrad avser dessa medel."],
        illustrative=ROWS_NOTE if carry.used is not None and r.illustrative else "",
    )


def _allocated_text(carry: CarryOverFollowup, f: Catalogue) -> str:
    """What was handed out of the money: the whole of an approximate amount is said as the
    source says it ("cirka 10,7 mnkr"), never to the krona; a part of it is the decided sum."""
    whole = f"kvarvarande_{carry.year}"
    if whole in f and f[whole].value == carry.allocated:
        return f.text(whole)
    return f.text(f"kvarvarande_{carry.year}_fordelat")


def carry_over_section(r: Followup, f: Catalogue) -> Html:
    """Money left from earlier years, followed up apart from the year's grant."""
    if not r.carry_over:
        return Html("")
    parts: list[Html] = []
    for index, carry in enumerate(r.carry_over):
        allocated = _allocated_text(carry, f)
        if carry.used is None:
            text = (
                f"Av kvarvarande medel från {carry.year} fördelades {allocated}. Hur de har "
                "använts är inte uppföljt, så förbrukningen visas som uppgift saknas."
            )
        else:
            used = f"kvarvarande_{carry.year}_forbrukat"
            text = marked(
                f"Av kvarvarande medel från {carry.year} fördelades {allocated} och förbrukades "
                f"{f.text(used)}.",
                f,
                used,
            )
        parts += [
            paragraph(
                text + " De följs upp för sig och påverkar inte återbetalningen av årets "
                f"{r.regime.money}."
            ),
            carry_over_table(r, index).block(),
        ]
    return section("Kvarvarande medel från tidigare år", *parts)


def ineligible_table(r: Followup) -> Table:
    """Each row outside the rules; its amount the catalogue's ``utanfor_reglerna_rad_<row>``.
    The area is the row's label (text), not an amount."""
    rows: list[list[Cell | Named]] = [
        [
            i.line.recipient,
            "" if i.line.area is None else str(i.line.area),
            i.line.activity,
            r.regime.activity_label(i.line.activity_type) if i.line.activity_type else "",
            Named(i.line.amount, f"utanfor_reglerna_rad_{i.line.row}"),
            i.reason,
        ]
        for i in r.ineligible_lines
    ]
    footer: list[Cell | Named] = ["Summa", "", "", "", Named(r.ineligible, "utanfor_reglerna"), ""]
    return NamedTable.of(
        rows,
        footer if rows else None,
        title="Användning utanför reglerna",
        columns=["Mottagare", "Område", "Aktivitet", "Verksamhet", "Belopp", "Skäl"],
        kinds=["text", "text", "text", "text", "kr", "text"],
        illustrative=ROWS_NOTE if rows and r.illustrative else "",
    )


def _not_judged(r: Followup, f: Catalogue) -> list[Html]:
    """What the rules were not applied to: kinds of activity no source classifies."""
    if "forbrukat_ej_bedomt" not in f:
        return []
    name = r.plan.params.organisation.name
    return [
        paragraph(
            marked(
                f"Av förbrukningen gäller {f.text('forbrukat_ej_bedomt')} verksamhetstyper som "
                f"ingen källa för {name} delar in. Beloppet är inte bedömt och räknas inte som "
                f"använt utanför reglerna förrän {name} har angett sin tolkning; se Kontroller.",
                f,
                "forbrukat_ej_bedomt",
            )
        )
    ]


def ineligible_section(r: Followup, f: Catalogue) -> Html:
    title = "Användning utanför reglerna"
    if not r.ineligible_lines:
        none = (
            "Ingen förbrukning ligger utanför insatsområdena eller de verksamheter som "
            "reglerna tillåter."
            if "forbrukat_ej_bedomt" not in f
            else "Ingen bedömd förbrukning ligger utanför reglerna."
        )
        return section(title, paragraph(none), *_not_judged(r, f))
    return section(
        title,
        *_not_judged(r, f),
        paragraph(
            marked(
                f"Utanför reglerna har {f.text('utanfor_reglerna')} använts. Beloppet räknas in "
                "i det som ska betalas tillbaka.",
                f,
                "utanfor_reglerna",
            )
        ),
        ineligible_table(r).block(),
    )
