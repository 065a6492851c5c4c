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
"""

from __future__ import annotations

import difflib
import json
import keyword
import os
import stat
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gnvtools.core.formatting import count, plain
from gnvtools.errors import GnvError, InputError, visible
from gnvtools.publish.changes import input_changes
from gnvtools.publish.manifest import (
    code_record,
    figure_tables,
    manifest_root,
    package_file,
    read_manifest,
    recorded_content,
    regular_inside,
    report_figures,
)
from gnvtools.publish.provenance import sha256
from gnvtools.publish.recompute import NOTEBOOKS, declared_parameters, installed_notebook, recompute
from gnvtools.publish.safezip import extract
from gnvtools.publish.verify_names import named_cells, reads
from gnvtools.reports.display import format_cell

RULES_IN_BUNDLE = "regler/regimes.yaml"
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


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "uppgift saknas"
    if kind == "percent" and isinstance(value, int | float):
        from fractions import Fraction

        return plain(format_cell(Fraction(value).limit_denominator(10**9), "percent"))
    if kind in ("kr", "int") and isinstance(value, int):
        return plain(format_cell(value, kind))  # type: ignore[arg-type]
    return str(value)


def _exact(value: Any) -> str:
    """A recorded value written out in full, for when its rounded form hides a change."""
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    return visible(str(value)[:60])


def _distinct(shown_a: str, shown_b: str, a: Any, b: Any) -> tuple[str, str]:
    """The two forms to print for a changed value: the shown forms, with the exact values added
    when rounding makes them look the same (``8,8 %`` before and after)."""
    if shown_a != shown_b:
        return shown_a, shown_b
    return f"{shown_a} (exakt {_exact(a)})", f"{shown_b} (exakt {_exact(b)})"


def _keyed(table: dict[str, Any]) -> dict[str, list[Any]]:
    """Rows by their key: the first text column whose values are unique (a recipient, an area,
    a finding's text), so a re-sorted table compares equal; else by position."""
    rows = table["rows"] + ([table["footer"]] if table.get("footer") else [])
    kinds = table.get("kinds") or []
    for column, kind in enumerate(kinds):
        if kind != "text":
            continue
        keys = [str(r[column]) for r in rows]
        if len(keys) == len(set(keys)):
            return dict(zip(keys, rows, strict=True))
    return {f"rad {i + 1}": r for i, r in enumerate(rows)}


def compare_tables(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Differences between two lists of report tables, by table and by row key."""
    problems: list[str] = []
    old_by_key = {t["key"]: t for t in old}
    new_by_key = {t["key"]: t for t in new}
    for key in old_by_key.keys() - new_by_key.keys():
        problems.append(f'tabellen "{key}" saknas vid omkörningen')
    for key in new_by_key.keys() - old_by_key.keys():
        problems.append(f'tabellen "{key}" finns bara vid omkörningen')
    for key, before in old_by_key.items():
        after = new_by_key.get(key)
        if after is None:
            continue
        if before["columns"] != after["columns"]:
            problems.append(f'tabellen "{key}": kolumnerna skiljer sig')
            continue
        kinds = before.get("kinds") or ["text"] * len(before["columns"])
        rows_before, rows_after = _keyed(before), _keyed(after)
        named = named_cells(before, _keyed)
        for row_key in dict.fromkeys([*rows_before, *rows_after]):
            a, b = rows_before.get(row_key), rows_after.get(row_key)
            if a is None:
                problems.append(f'tabellen "{key}": raden "{row_key}" finns bara vid omkörningen')
            elif b is None:
                problems.append(f'tabellen "{key}": raden "{row_key}" saknas vid omkörningen')
            else:
                names = named.get(row_key, [])
                for index, (column, kind, x, y) in enumerate(
                    zip(before["columns"], kinds, a, b, strict=True)
                ):
                    if x != y:
                        shown_x, shown_y = _distinct(_cell(x, kind), _cell(y, kind), x, y)
                        figure = names[index] if index < len(names) else ""
                        problems.append(
                            f'tabellen "{key}", raden "{row_key}", kolumn "{column}"'
                            + (f" (siffran {figure})" if figure else "")
                            + f": {shown_x} i bygget, {shown_y} nu"
                        )
    return problems


def compare_figures(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Differences between two figure catalogues, by name, in their Swedish forms."""
    before = {f["name"]: f for f in old}
    after = {f["name"]: f for f in new}
    problems = [f'siffran "{n}" saknas vid omkörningen' for n in before.keys() - after.keys()]
    problems += [f'siffran "{n}" finns bara vid omkörningen' for n in after.keys() - before.keys()]
    for name, figure in before.items():
        other = after.get(name)
        if other is not None and other["value"] != figure["value"]:
            texts = plain(str(figure["text"])), plain(str(other["text"]))
            was, now = _distinct(*texts, figure["value"], other["value"])
            line = f"{figure.get('label') or name} ({name}): {was} i bygget, {now} nu"
            problems.append(line + reads(name, before))
    return problems


MAX_INPUT_BYTES = 200_000_000
MAX_DIFF_BYTES = 10_000_000  # a larger changed input is named, not compared cell by cell
MAX_CHANGES_SHOWN = 50  # per input
MAX_INPUTS = 1_000  # per manifest
MAX_MANIFESTS = 1_000  # per verify (the national build has 290 memos)
NOTEBOOK_DIFF_LINES = 30


def _regular(path: Path, limit: int) -> str | None:
    """Why ``path`` cannot be read as an input (not there, not a regular file, too large)."""
    try:
        details = os.stat(path)
    except OSError:
        return "filen finns inte längre"
    if not stat.S_ISREG(details.st_mode):
        return "är ingen vanlig fil och läses inte"
    if details.st_size > limit:
        return "är för stor för att jämföras"
    return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _confined_root(manifest: dict[str, Any], folder: Path, bundle: Path | None) -> Path:
    """The project root the manifest's paths start from, never outside what was handed over:
    in a bundle, the folder its ``project`` names, which must lie in the bundle; in a folder,
    a gnvtools project around it (``manifest_root``)."""
    if bundle is None:
        return manifest_root(manifest, folder)
    params = manifest["params"]["path"]
    project = manifest.get("project")
    if not isinstance(project, str) or not project:
        raise InputError("manifestet anger inte var underlaget ligger i paketet")
    root = (folder / project).resolve()
    if not _inside(root, bundle) or not regular_inside(root / params, root):
        raise InputError("manifestet pekar ut underlag utanför paketet; det läses inte")
    return root


def _notebook_diff(name: str, theirs: bytes, ours: Path) -> list[str]:
    """A readable diff of the code cells of a supplied notebook against the installed one."""

    def code(data: bytes) -> list[str]:
        try:
            notebook = json.loads(data.decode("utf-8"))
            lines = []
            for cell in notebook.get("cells", []):
                if isinstance(cell, dict) and cell.get("cell_type") == "code":
                    source = cell.get("source", "")
                    text = "".join(source) if isinstance(source, list) else str(source)
                    lines += [*text.splitlines(), "# ---"]
            return lines
        except (ValueError, UnicodeDecodeError, AttributeError, RecursionError):
            return ["(anteckningsboken kan inte läsas som JSON)"]

    diff = [
        line
        for line in difflib.unified_diff(
            code(ours.read_bytes()), code(theirs), "installerad", name, lineterm="", n=1
        )
        if not line.startswith(("---", "+++"))
    ]
    if len(diff) > NOTEBOOK_DIFF_LINES:
        diff = [*diff[:NOTEBOOK_DIFF_LINES], f"… och {len(diff) - NOTEBOOK_DIFF_LINES} rader till"]
    return [f"  {visible(line[:160])}" for line in diff]


def _supplied_notebooks(root: Path) -> list[str]:
    """Notebooks a project or bundle brings along: compared with the installed ones, never run."""
    found: list[str] = []
    folder = root / "notebooks"
    if not folder.is_dir():
        return found
    installed = {name: report for report, name in NOTEBOOKS.items()}
    for path in sorted(folder.glob("*.ipynb")):
        if path.name not in installed or _regular(path, 20_000_000) is not None:
            continue
        ours = installed_notebook(installed[path.name])
        if sha256(path) == sha256(ours):
            continue
        found.append(
            f"anteckningsboken notebooks/{path.name} skiljer sig från den installerade; den "
            "körs inte (verify använder bara den installerade gnvtools):"
        )
        found += _notebook_diff(f"notebooks/{path.name}", path.read_bytes(), ours)
    return found


def _rules_changes(manifest: dict[str, Any], report: str, bundle: Path | None) -> list[str]:
    recorded = manifest.get("code") or {}
    if not isinstance(recorded, dict) or not recorded:
        return ["manifestet anger inte vilka regler och vilken kod rapporten byggdes med"]
    now = code_record(installed_notebook(report))
    found = []
    if bundle is not None:
        rules = bundle / RULES_IN_BUNDLE
        if _regular(rules, 20_000_000) is None and sha256(rules) != recorded.get("regimes"):
            found.append(
                f"regeldatan i paketet ({RULES_IN_BUNDLE}) har ändrats efter bygget; den "
                "installerade versionen används vid omräkningen"
            )
            installed = package_file("data/regimes.yaml")
            found += [
                f"  {line}"
                for line in input_changes(
                    RULES_IN_BUNDLE, installed.read_bytes(), rules.read_bytes()
                )
            ]
    labels = {
        "gnvtools": "gnvtools-versionen",
        "regimes": "regeldatan (regimes.yaml)",
        "template": "HTML-mallen",
    }
    for key, label in labels.items():
        if key in recorded and key in now and recorded[key] != now[key]:
            shown = (
                f" ({visible(str(recorded[key])[:40])} i bygget, {now[key]} nu)"
                if key == "gnvtools"
                else ""
            )
            found.append(f"{label} skiljer sig från bygget{shown}")
    return found


def _code_changes(manifest: dict[str, Any], report: str, root: Path) -> list[str]:
    """Code that the report was built with and that verify will not run: each is a difference."""
    recorded = manifest.get("code") or {}
    found = []
    ours = sha256(installed_notebook(report))
    if isinstance(recorded, dict) and "notebook" in recorded and recorded["notebook"] != ours:
        found.append(
            "rapporten byggdes med en annan anteckningsbok än den installerade; dess siffror "
            "räknas om med den installerade"
        )
    return found + _supplied_notebooks(root)


def _checked_parameters(manifest: dict[str, Any], report: str) -> list[str]:
    """The recorded notebook parameters against the installed notebook's declarations: a name
    that is not declared, or a value of another type, is refused before anything runs."""
    recorded = manifest.get("parameters", {})
    if not isinstance(recorded, dict):
        return ["manifestets parametrar är ingen tabell av namn och värden; inget körs"]
    declared = declared_parameters(report)
    problems = []
    for name, value in recorded.items():
        shown = visible(str(name)[:60])
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            problems.append(f'parameternamnet "{shown}" är inget giltigt namn; inget körs')
        elif name not in declared:
            problems.append(
                f'parametern "{shown}" finns inte i den installerade anteckningsboken '
                f"(den tar {', '.join(sorted(declared)) or 'inga parametrar'}); inget körs"
            )
        elif declared[name] is not object and type(value) is not declared[name]:
            problems.append(f'parametern "{shown}" har fel typ i manifestet; inget körs')
    if recorded.get("params_file", manifest["params"]["path"]) != manifest["params"]["path"]:
        problems.append("manifestets params_file och params.path anger olika filer; inget körs")
    return problems


def _input_changes(manifest: dict[str, Any], root: Path) -> list[str]:
    found: list[str] = []
    paths = [item["path"] for item in manifest["inputs"]]
    if len(paths) > MAX_INPUTS:
        raise InputError(f"manifestet anger fler än {MAX_INPUTS} underlag; det kontrolleras inte")
    if len(set(paths)) != len(paths):
        raise InputError("manifestet anger samma underlag flera gånger; det kontrolleras inte")
    for item in manifest["inputs"]:
        file = root / item["path"]
        if not _inside(file, root):
            found.append(f"{item['path']}: pekar utanför projektet och läses inte")
            continue
        problem = _regular(file, MAX_INPUT_BYTES)
        if problem is not None:
            found.append(f"{item['path']}: {problem}")
        elif sha256(file) != item["sha256"]:
            old = recorded_content(item)
            if old is None or _regular(file, MAX_DIFF_BYTES) is not None:
                found.append(f"{item['path']}: filen har ändrats sedan bygget")
            else:
                changes = input_changes(item["path"], old, file.read_bytes())
                if len(changes) > MAX_CHANGES_SHOWN:
                    more = len(changes) - MAX_CHANGES_SHOWN
                    changes = [*changes[:MAX_CHANGES_SHOWN], f"{item['path']}: … och {more} till"]
                found += changes
    return found


def _output_changes(manifest: dict[str, Any], folder: Path) -> list[str]:
    found: list[str] = []
    for item in manifest["outputs"]:
        file = folder / item["path"]
        if not _inside(file, folder):
            found.append(f"utdatafilen {item['path']} pekar utanför sin mapp och läses inte")
        elif _regular(file, 10 * MAX_INPUT_BYTES) is not None:
            found.append(f"utdatafilen {item['path']} saknas")
        elif sha256(file) != item["sha256"]:
            found.append(f"utdatafilen {item['path']} har ändrats efter bygget")
    return found


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
    root = _confined_root(manifest, folder, bundle)
    check.inputs = _input_changes(manifest, root)
    check.rules = _rules_changes(manifest, report, bundle)
    check.code = _code_changes(manifest, report, root)
    check.outputs = _output_changes(manifest, folder)
    problems = _checked_parameters(manifest, report)
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


__all__ = ["Check", "as_json", "compare_figures", "compare_tables", "describe", "verify"]
