"""``gnv verify DIR|FILE.zip``: recompute the recorded reports and say what changed, first.

A folder or a bundle is data from a party the auditor need not trust: nothing in it is executed
or imported. Its notebooks, rules and code are compared with the installed ones (hashes, and a
readable diff for notebooks and rules); the figures are recomputed by the installed gnvtools.

For each manifest, in this order:

1. **Inputs**: every input whose SHA-256 differs from the build is named with what changed in
   it: the file, the row (or YAML key path), the column, the old and the new value (the
   manifest keeps each input's bytes for this). Only regular files inside the project (or the
   bundle) are read; a manifest that points elsewhere is refused.
2. **Rules and code**: the gnvtools version, the regime data (the rules) and the template
   recorded at build time against those used now (and, in a bundle, the rules it carries).
   A report built with another notebook, a notebook the project or bundle brings along, and
   recorded parameters that the installed notebook does not declare (by name and type) are
   differences: that code is shown, never run.
3. **Outputs**: every output file must still have its recorded SHA-256.
4. **Figures**: the figure catalogue and the tables are recomputed in this process from the
   inputs by the installed report classes, following the installed notebook's section calls
   (``gnvtools.publish.recompute``); with ``--full`` the installed notebook is executed
   instead. They are compared by name and tables by row key (not position), in Swedish number
   format.

A verdict line ends the report, with Swedish number agreement. ``--json`` gives the same.

The work is split by job: ``verify_changes`` reads what changed in a folder or bundle (steps
1–3), ``verify_compare`` compares the figures and tables (step 4), and ``verify_report`` holds
the ``Check`` per manifest and says it (text, verdict, JSON). This module reads the manifests
and runs the steps in order.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from gnvtools.core.formatting import plain
from gnvtools.errors import GnvError, InputError, visible
from gnvtools.publish.manifest import figure_tables, read_manifest, report_figures
from gnvtools.publish.recompute import installed_notebook, recompute
from gnvtools.publish.safezip import extract
from gnvtools.publish.verify_changes import (
    RULES_IN_BUNDLE,
    changed_inputs,
    changed_outputs,
    changed_rules,
    checked_parameters,
    confined_root,
    unrun_code,
)
from gnvtools.publish.verify_compare import compare_figures, compare_tables
from gnvtools.publish.verify_report import UNREADABLE, Check, as_json, describe, verdict

MAX_MANIFESTS = 1_000  # per verify (the national build has 290 memos)


def verify_manifest(
    path: Path,
    *,
    bundle: Path | None = None,
    shown: str = "",
    full: bool = False,
    engine: str = "warm",
) -> Check:
    """Check one manifest: inputs, rules and code, outputs, then the figures recomputed."""
    try:
        manifest = read_manifest(path)
    except InputError as exc:  # one damaged manifest: said for it, the others still checked
        check = Check(shown or str(path), UNREADABLE, "manifestet kunde inte läsas")
        check.error = f"manifestet kan inte kontrolleras: {plain(exc.message)}"
        return check
    report = manifest["report"]
    check = Check(shown or str(path), report, visible(str(manifest.get("title", ""))[:200]))
    try:
        _check_manifest(manifest, check, path.parent, bundle, full, engine)
    except InputError as exc:
        check.error = f"rapporten kan inte kontrolleras: {plain(exc.message)}"
    except (TypeError, KeyError, ValueError, AttributeError, IndexError, RecursionError) as exc:
        # A manifest is data someone else may have written: a field of the wrong shape is a
        # damaged manifest, said in Swedish, never an internal error.
        check.error = f"manifestet är skadat och kan inte kontrolleras ({type(exc).__name__})"
    return check


def _check_manifest(
    manifest: dict[str, Any],
    check: Check,
    folder: Path,
    bundle: Path | None,
    full: bool,
    engine: str,
) -> None:
    """The checks of ``verify_manifest``, in order; what they find goes into ``check``."""
    report = manifest["report"]
    root = confined_root(manifest, folder, bundle)
    check.inputs = changed_inputs(manifest, root)
    check.rules = changed_rules(manifest, report, bundle)
    check.code = unrun_code(manifest, report, root)
    check.outputs = changed_outputs(manifest, folder)
    problems = checked_parameters(manifest, report)
    if problems:
        check.code += problems
        check.error = "rapporten räknades inte om (se parametrarna ovan)"
        return
    params = root / manifest["params"]["path"]
    # the notebook parameters the report was built with (checked above), as the build used them
    chosen = {k: v for k, v in manifest.get("parameters", {}).items() if k != "params_file"}
    try:
        if full:
            from gnvtools.publish.render import execute, validate_report

            validate_report(report, params)
            shown_outputs: Any = execute(
                report, params, chosen, notebook=installed_notebook(report), engine=engine
            )
        else:
            shown_outputs = recompute(report, params, chosen)
    except GnvError as exc:
        check.error = f"rapporten kunde inte räknas om: {plain(str(exc))}"
        return
    recorded = manifest.get("figures")
    if isinstance(recorded, list) and recorded:
        check.figures = compare_figures(recorded, report_figures(shown_outputs))
    else:  # built before this report had a catalogue: its tables are still compared cell by cell
        check.notes.append("manifestet har ingen sifferkatalog; rapportens tabeller jämförs")
    check.tables = compare_tables(manifest["tables"], figure_tables(shown_outputs))


def _bounded(manifests: list[Path], target: Path) -> None:
    if len(manifests) > MAX_MANIFESTS:
        raise InputError(
            f"{len(manifests)} manifest; verify kontrollerar högst {MAX_MANIFESTS} åt gången "
            "(dela upp mappen eller paketet)",
            file=target,
        )


def verify(target: Path, *, full: bool = False, engine: str = "warm") -> list[Check]:
    """Check every manifest under a folder, or in an audit bundle (a zip from ``gnv bundle``).

    Nothing in the folder or the bundle is executed or imported: the figures are recomputed by
    the installed gnvtools (``recompute``), or with ``full`` by executing the installed
    notebook (``engine``: ``"warm"`` or ``"kernel"``, as for ``gnv render``).
    """
    if target.suffix.lower() == ".zip" and not target.is_dir():
        with tempfile.TemporaryDirectory(prefix="gnv-verify-") as tmp:
            root = Path(tmp)
            written = extract(target, root)
            manifests = sorted(p for p in written if p.name.endswith(".manifest.json"))
            if not manifests:
                raise InputError("paketet innehåller inga manifest", file=target)
            _bounded(manifests, target)
            return _something_readable(
                [
                    verify_manifest(
                        m,
                        bundle=root,
                        shown=f"{target.name}:{m.relative_to(root).as_posix()}",
                        full=full,
                        engine=engine,
                    )
                    for m in manifests
                ]
            )
    if not target.is_dir():
        raise InputError("mappen eller paketet finns inte", file=target)
    manifests = sorted(m for m in target.rglob("*.manifest.json") if m.is_file())
    if not manifests:
        raise InputError("inga manifest (*.manifest.json) i mappen", file=target)
    _bounded(manifests, target)
    return _something_readable([verify_manifest(m, full=full, engine=engine) for m in manifests])


def _something_readable(checks: list[Check]) -> list[Check]:
    """When no manifest could be read at all, nothing was checked: unreadable input (exit 2).
    Otherwise a damaged manifest is one report's difference and the others are still checked."""
    if checks and all(c.report == UNREADABLE for c in checks):
        first = checks[0]
        message = (first.error or "").removeprefix("manifestet kan inte kontrolleras: ")
        raise InputError(message, file=first.manifest)
    return checks


__all__ = [
    "RULES_IN_BUNDLE",
    "Check",
    "as_json",
    "compare_figures",
    "compare_tables",
    "describe",
    "verdict",
    "verify",
    "verify_manifest",
]
