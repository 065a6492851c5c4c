"""``gnv verify DIR|FILE.zip``: re-run the recorded reports and say what changed, first.

For each manifest, in this order:

1. **Inputs**: every input whose SHA-256 differs from the build is named with what changed in
   it: the file, the row (or YAML key path), the column, the old and the new value (the
   manifest keeps each input's bytes for this);
2. **Rules and code**: the gnvtools version, the regime data (the rules), the notebook and the
   template recorded at build time against those used now (and, in a bundle, the rules it
   carries);
3. **Outputs**: every output file must still have its recorded SHA-256;
4. **Figures**: the report is re-run from the inputs and its figure catalogue compared by name,
   its tables by row key (not position), in Swedish number format.

A verdict line ends the report, with Swedish number agreement. ``--json`` gives the same.
"""

from __future__ import annotations

import contextlib
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gnvtools.core.formatting import count, plain
from gnvtools.errors import GnvError, InputError
from gnvtools.publish.changes import input_changes
from gnvtools.publish.manifest import (
    code_record,
    figure_tables,
    manifest_root,
    read_manifest,
    recorded_content,
    report_figures,
)
from gnvtools.publish.provenance import sha256
from gnvtools.reports.display import format_cell

MAX_BUNDLE_BYTES = 500_000_000
RULES_IN_BUNDLE = "regler/regimes.yaml"


@dataclass
class Check:
    """What verify found for one manifest."""

    manifest: str
    report: str
    title: str
    inputs: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def differences(self) -> int:
        """Figures, tables and outputs that do not reproduce, and a failed re-run."""
        return len(self.figures) + len(self.tables) + len(self.outputs) + bool(self.error)

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
        for row_key in dict.fromkeys([*rows_before, *rows_after]):
            a, b = rows_before.get(row_key), rows_after.get(row_key)
            if a is None:
                problems.append(f'tabellen "{key}": raden "{row_key}" finns bara vid omkörningen')
            elif b is None:
                problems.append(f'tabellen "{key}": raden "{row_key}" saknas vid omkörningen')
            else:
                for column, kind, x, y in zip(before["columns"], kinds, a, b, strict=True):
                    if x != y:
                        problems.append(
                            f'tabellen "{key}", raden "{row_key}", kolumn "{column}": '
                            f"{_cell(x, kind)} i bygget, {_cell(y, kind)} nu"
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
            problems.append(
                f"{figure.get('label') or name} ({name}): {plain(str(figure['text']))} i "
                f"bygget, {plain(str(other['text']))} nu"
            )
    return problems


def _rules_changes(
    manifest: dict[str, Any], notebook: Path | None, bundle: Path | None
) -> list[str]:
    recorded = manifest.get("code") or {}
    if not recorded:
        return ["manifestet anger inte vilka regler och vilken kod rapporten byggdes med"]
    now = code_record(notebook)
    found = []
    if bundle is not None:
        rules = bundle / RULES_IN_BUNDLE
        if rules.exists() and sha256(rules) != recorded.get("regimes"):
            found.append(
                f"regeldatan i paketet ({RULES_IN_BUNDLE}) har ändrats efter bygget; den "
                "installerade versionen används vid omkörningen"
            )
            installed = Path(__file__).resolve().parent.parent / "data" / "regimes.yaml"
            found += [
                f"  {line}"
                for line in input_changes(
                    RULES_IN_BUNDLE, installed.read_bytes(), rules.read_bytes()
                )
            ]
    labels = {
        "gnvtools": "gnvtools-versionen",
        "regimes": "regeldatan (regimes.yaml)",
        "notebook": "rapportens anteckningsbok",
        "template": "HTML-mallen",
    }
    for key, label in labels.items():
        if key in recorded and key in now and recorded[key] != now[key]:
            shown = f" ({recorded[key]} i bygget, {now[key]} nu)" if key == "gnvtools" else ""
            found.append(f"{label} skiljer sig från bygget{shown}")
    return found


def verify_manifest(path: Path, *, bundle: Path | None = None, shown: str = "") -> Check:
    from gnvtools.publish.render import REPORT_NOTEBOOKS, execute, notebooks_dir, validate_report

    manifest = read_manifest(path)
    check = Check(shown or str(path), manifest["report"], str(manifest.get("title", "")))
    folder = path.parent
    root = manifest_root(manifest, folder)
    for item in manifest["inputs"]:
        file = root / item["path"]
        if not file.exists():
            check.inputs.append(f"{item['path']}: filen finns inte längre")
        elif sha256(file) != item["sha256"]:
            old = recorded_content(item)
            if old is None:
                check.inputs.append(f"{item['path']}: filen har ändrats sedan bygget")
            else:
                check.inputs += input_changes(item["path"], old, file.read_bytes())
    params = root / manifest["params"]["path"]
    notebook = None
    with contextlib.suppress(KeyError, GnvError):
        notebook = notebooks_dir(params) / REPORT_NOTEBOOKS[manifest["report"]]
    check.rules = _rules_changes(manifest, notebook, bundle)
    for item in manifest["outputs"]:
        file = folder / item["path"]
        if not file.exists():
            check.outputs.append(f"utdatafilen {item['path']} saknas")
        elif sha256(file) != item["sha256"]:
            check.outputs.append(f"utdatafilen {item['path']} har ändrats efter bygget")
    try:
        validate_report(manifest["report"], params)
        recorded = manifest.get("parameters", {})
        overrides = {
            k: str(v) for k, v in recorded.items() if k != "params_file" and isinstance(v, str)
        }
        executed = execute(manifest["report"], params, overrides)
    except GnvError as exc:
        check.error = f"rapporten kunde inte köras om: {plain(str(exc))}"
        return check
    check.figures = compare_figures(manifest.get("figures", []), report_figures(executed))
    check.tables = compare_tables(manifest["tables"], figure_tables(executed))
    return check


def _extract(bundle: Path, into: Path) -> Path:
    """Unpack an audit bundle safely (no path leaves the folder; sizes bounded)."""
    try:
        archive = zipfile.ZipFile(bundle)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(
            "filen är inget granskningspaket (ingen läsbar zip-fil)", file=bundle
        ) from exc
    with archive:
        total = 0
        for info in archive.infolist():
            name = Path(info.filename)
            if name.is_absolute() or ".." in name.parts or info.filename.startswith(("/", "\\")):
                raise InputError(
                    f"paketet innehåller en otillåten sökväg: {info.filename}", file=bundle
                )
            total += info.file_size
            if total > MAX_BUNDLE_BYTES:
                raise InputError("paketet är för stort att packa upp", file=bundle)
        archive.extractall(into)
    return into


def verify(target: Path) -> list[Check]:
    """Check every manifest under a folder, or in an audit bundle (a zip from ``gnv bundle``)."""
    if target.is_file() and target.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="gnv-verify-") as tmp:
            root = _extract(target, Path(tmp))
            manifests = sorted(root.rglob("*.manifest.json"))
            if not manifests:
                raise InputError("paketet innehåller inga manifest", file=target)
            return [
                verify_manifest(
                    m, bundle=root, shown=f"{target.name}:{m.relative_to(root).as_posix()}"
                )
                for m in manifests
            ]
    if not target.is_dir():
        raise InputError("mappen eller paketet finns inte", file=target)
    manifests = sorted(target.rglob("*.manifest.json"))
    if not manifests:
        raise InputError("inga manifest (*.manifest.json) i mappen", file=target)
    return [verify_manifest(m) for m in manifests]


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
            continue
        lines.append(f"{check.report}: {check.title} ({check.manifest})")
        sections = [
            ("Ändrat i underlaget sedan bygget", check.inputs),
            ("Regler och kod", check.rules),
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
    lines.append(verdict(checks))
    return lines


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
