"""A report's inputs checked before any kernel starts: its name and notebook, its parameters
(``check_report``: bad input fails fast with a Swedish message and nothing is written), the
output folder and the formats asked for."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gnvtools.core import options, reuse
from gnvtools.errors import InputError
from gnvtools.publish.provenance import project_root

REPORT_NOTEBOOKS = {
    "allocation-memo": "allocation_memo.ipynb",
    "year-end-followup": "year_end_followup.ipynb",
    "multi-year": "multi_year_comparison.ipynb",
}
REPORT_TITLES = {
    "allocation-memo": "Fördelning av statsbidrag",
    "year-end-followup": "Årsuppföljning",
    "multi-year": "Jämförelse över åren",
}
FORMATS = ("html", "pdf", "docx", "ipynb", "xlsx")


def notebooks_dir(params: Path, chosen: Path | None = None) -> Path:
    """The report notebooks: ``chosen`` (``Running.notebooks``, as the command line resolved
    it); else a project's own copies in ``notebooks/`` (beside its ``parameters/``); else the
    ones shipped in the package."""
    if chosen is not None:
        return chosen
    for root in (project_root(params), Path.cwd()):
        if (root / "notebooks" / REPORT_NOTEBOOKS["allocation-memo"]).exists():
            return root / "notebooks"
    return Path(str(resources.files("gnvtools").joinpath("notebooks")))


@dataclass(frozen=True)
class Checked:
    """A report's parameters as checked before its notebook runs: its title, every input file
    it reads (the parameter file first) and the organisation (for the PDF's header)."""

    title: str
    inputs: tuple[Path, ...]
    organisation: str


_CHECKED = reuse.cache(8)


def check_report(report: str, params: Path) -> Checked:
    """Check the parameters for ``report`` without starting a kernel (once per process while
    its files are unchanged, ``core.reuse``: ``gnv render``, its Excel and its manifest ask)."""
    params = Path(params)
    key = (
        "checked",
        report,
        str(params),
        str(params.resolve()),
        str(Path.cwd()),
        options.current().data_roots,
    )
    kept = _CHECKED.get(key)
    if kept is not None:
        checked: Checked = kept
        return checked
    with reuse.recording() as files:
        checked = _check_report(report, params)
    # Inputs not read through core's loaders (a text file) are stamped too.
    files += [(str(f.resolve()), reuse.stamp(f)) for f in checked.inputs]
    _CHECKED.put(key, files, checked)
    return checked


def validate_report(report: str, params: Path) -> tuple[str, list[Path]]:
    """``check_report``'s title and input files."""
    checked = check_report(report, params)
    return checked.title, list(checked.inputs)


def _check_report(report: str, params: Path) -> Checked:
    from gnvtools.core.model import plan_files

    if report not in REPORT_NOTEBOOKS:
        raise InputError(
            f'okänd rapport "{report}"; välj {", ".join(REPORT_NOTEBOOKS)}', file=params
        )
    if report == "multi-year":
        from gnvtools.reports.comparison import Comparison

        comparison = Comparison.load(params)
        files = [params, comparison.mapping_path]
        for year in comparison.years:
            if year.plan:
                files += plan_files(year.plan)
        organisation = comparison.params.organisation.name
        return Checked(comparison.params.title, tuple(files), organisation)
    from gnvtools.core.model import build_plan

    plan = build_plan(params)
    organisation = plan.params.organisation.name
    if report == "year-end-followup":
        from gnvtools.core.followup import followup
        from gnvtools.reports.followup_phrases import followup_title

        title = followup_title(followup(plan))
        return Checked(title, tuple(plan_files(plan)), organisation)
    from gnvtools.reports.memo import AllocationMemo

    memo = AllocationMemo.from_plan(plan, params)  # checks the texts before a kernel starts
    # the memo reads no spend
    return Checked(plan.params.title, tuple(memo.input_files), organisation)


def check_out_dir(out_dir: Path, names: Sequence[str] = ()) -> None:
    """Before any notebook runs: the output folder must be a folder (or not exist yet) and no
    file to be written may be a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("utmappen är en fil, inte en mapp; ange en mapp med --out", file=out_dir)
    for parent in out_dir.parents:
        if parent.exists() and not parent.is_dir():
            raise InputError("en del av utmappens sökväg är en fil, inte en mapp", file=parent)
    for name in names:
        target = out_dir / name
        if target.exists() and not target.is_file():
            what = "en mapp" if target.is_dir() else "ingen vanlig fil (en FIFO, en enhet …)"
            raise InputError(f"här ska en rapportfil skrivas, men det är {what}", file=target)
    if out_dir.exists() and not os.access(out_dir, os.W_OK):
        raise InputError("utmappen är inte skrivbar (behörighet saknas)", file=out_dir)


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(
            f'okänt format "{",".join(unknown) or text}"; välj bland {", ".join(FORMATS)}'
        )
    return formats
