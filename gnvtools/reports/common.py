"""Pieces every report shares: the title block, the illustrative-data notice, the signature
block, the appendix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from gnvtools.core import options
from gnvtools.core.formatting import bind_numbers, capitalise, count, swedish_date
from gnvtools.core.provenance import describe_inputs, project_root, versions
from gnvtools.core.reconciliation import Finding
from gnvtools.core.regimes import Rule
from gnvtools.reports.display import (
    Cell,
    Html,
    Table,
    bullets,
    concat,
    esc,
    notice,
    paragraph,
    section,
)
from gnvtools.reports.document import Signatures, TitleBlock


def findings_sentence(findings: Sequence[Finding], *, listed: bool = True) -> str:
    """``"Kontrollerna visar inga fel och två varningar:"``: a colon when the list of errors
    and warnings follows (``listed``), else a full stop."""
    errors = sum(1 for f in findings if f.level == "error")
    warnings = sum(1 for f in findings if f.level == "warning")
    text = (
        f"Kontrollerna visar {count(errors, 'fel', 'fel', neuter=True)} och "
        f"{count(warnings, 'varning', 'varningar')}"
    )
    return text + (":" if listed and (errors or warnings) else ".")


def findings_summary(findings: Sequence[Finding]) -> Html:
    """Every error and warning with its amount, in words a reader uses (no internal codes)."""
    serious = [f for f in findings if f.level in ("error", "warning")]
    parts = [paragraph(findings_sentence(findings))]
    if serious:
        parts.append(bullets(f"{capitalise(LEVEL_WORDS[f.level])}: {f.message}" for f in serious))
    return concat(parts)


LEVEL_WORDS = {"error": "fel", "warning": "varning", "info": "upplysning"}


def rule_list(rules: Sequence[Rule]) -> Html:
    """Rules as a list, each with its source."""
    return bullets(rule.cited for rule in rules)


def sources_section(rules: Sequence[Rule]) -> Html:
    """The documents the report's rule statements come from, in full."""
    seen: dict[str, str] = {}
    for rule in rules:
        for citation in rule.citations:
            seen.setdefault(citation.source.short, citation.source.title)
    if not seen:
        return Html("")
    return concat(
        [
            paragraph("Reglerna i rapporten bygger på följande dokument:"),
            bullets(f"{short}: {title}" for short, title in seen.items()),
        ]
    )


def title_block(
    title: str,
    meta: Sequence[tuple[str, str]],
    *,
    organisation: str = "",
    date: str = "",
    stage: str = "",
    dnr: str = "",
) -> Html:
    """The document's head; ``organisation``/``date``/``stage``/``dnr`` describe the document.

    The page carries them too, as ``data-`` attributes of its head, for the PDF's running
    header (``publish.pagesetup.running_header``): the document's own date, never the day it
    is built.
    """
    shown = [(k, bind_numbers(v)) for k, v in meta if v]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in shown)
    plain = title + "\n" + "\n".join(f"{k}: {v}" for k, v in shown)
    about = "".join(
        f' data-{name}="{esc(value)}"'
        for name, value in (
            ("organisation", organisation),
            ("title", title),
            ("date", date),
            ("date-text", _as_shown(_date_text(date), shown)),
            ("dnr", _as_shown(dnr, shown)),
        )
        if value
    )
    return Html(
        f'<header class="memo-head"{about}><h1>{esc(title)}</h1><dl>{rows}</dl></header>',
        plain,
        blocks=[TitleBlock(title, tuple(shown), organisation, date, stage, dnr)],
    )


def _date_text(iso: str) -> str:
    """``"2025-08-26"`` → ``"26 augusti 2025"``; anything else as it is."""
    try:
        return swedish_date(dt.date.fromisoformat(iso)) if iso else ""
    except ValueError:
        return iso


def _as_shown(value: str, meta: Sequence[tuple[str, str]]) -> str:
    """``value`` as the head shows it, with its mark when it is made up (``(påhittat exempel)``)."""
    if not value:
        return ""
    return next((v for _, v in meta if v.startswith(value)), value)


def signature_block(people: Sequence[Sequence[str]], lead: str = "") -> Html:
    """Each signer's lines (name, title, unit), after an optional lead such as "I tjänsten"."""
    markup = "".join(
        '<div class="signature">' + "".join(f"<span>{esc(x)}</span>" for x in lines) + "</div>"
        for lines in people
    )
    plain = [", ".join(lines) for lines in people]
    return Html(
        (f"<p>{esc(lead)}</p>" if lead else "")
        + f'<section class="signatures" aria-label="Underskrifter">{markup}</section>',
        "\n".join(([lead] if lead else []) + plain),
        blocks=[Signatures(tuple(tuple(lines) for lines in people), lead)],
    )


def illustrative_notice(sources: Sequence[str]) -> Html:
    """Say plainly which data are made up; empty when none are."""
    if not sources:
        return Html("")
    return notice(
        "Observera: delar av underlaget är påhittade exempel och inte verkliga uppgifter. "
        + " ".join(sources)
    )


def commit_text(commit: str | None) -> str:
    """The appendix's git row: the commit, or why there is none."""
    if commit is None:
        return "okänd (anges när rapporten byggs med gnv render)"
    return commit or "okänd (inte ett git-arkiv)"


def appendix(
    params_file: Path,
    inputs: Sequence[Path],
    notes: Sequence[str] = (),
    rules: Sequence[Rule] = (),
) -> Html:
    """Inputs with SHA-256, versions, git commit and build date: enough for an auditor to
    re-run. A separate attachment (Bilaga) at the end, on a page of its own in print: the only
    place a report names the day it was built or the software that built it.

    The commit is the one the caller gives (``options.git_commit``: ``gnv render`` reads it
    where it writes the manifest); a document runs no ``git`` itself.
    """
    root = project_root(params_file)
    files = describe_inputs([params_file, *inputs], root)
    input_rows: list[list[Cell]] = [[f.path, f.sha256, f.size] for f in files]
    input_table = Table(
        title="Underlag",
        key="provenance-inputs",
        columns=["Fil", "SHA-256", "Storlek (byte)"],
        kinds=["text", "text", "int"],
        rows=input_rows,
        caption="Indatafiler och deras kontrollsummor (SHA-256)",
    )
    found = versions()
    commit = commit_text(options.current().git_commit)
    version_table = Table(
        title="Programversioner",
        key="provenance-versions",
        columns=["Uppgift", "Värde"],
        kinds=["text", "text"],
        rows=[
            [name, version]
            for name, version in [
                *found.items(),
                ("git-commit", commit),
                ("byggdatum", dt.date.today().isoformat()),
            ]
        ],
        caption="Programversioner, git-commit och byggdatum",
    )
    parts = [
        paragraph(
            "Bilagan visar vad rapporten är beräknad från och med vilka program, för den som "
            "vill granska eller räkna om den."
        ),
        paragraph(
            "Rapporten är beräknad från parameterfilen nedan och de datafiler den pekar på. "
            "Samma filer ger samma siffror; kontrollsummorna visar om någon fil har ändrats."
        ),
        input_table.block(),
        version_table.block(),
    ]
    if notes:
        parts.append(bullets(notes))
    if rules:
        parts.append(section("Källor till reglerna", sources_section(rules), level=3))
    return annex(section(ANNEX_TITLE, *parts))


ANNEX_TITLE = "Bilaga: underlag och spårbarhet"


def annex(body: Html) -> Html:
    """An attachment at the end of a report: its own page in print (``section.annex`` in the
    memo's style sheet), set apart on screen."""
    return Html(
        f'<section class="annex" aria-label="Bilaga">{body.markup}</section>',
        body.plain,
        body.tables,
        body.figures,
        body.blocks,
    )
