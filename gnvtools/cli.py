"""The ``gnv`` command line. Its commands and outputs are a public contract (see DESIGN).

Exit codes: 0 success; 1 error-level findings or a failed report; 2 unreadable or invalid input.
Every message a user reads is Swedish; no traceback reaches the user unless GNV_DEBUG=1.
The environment is read once, here (``gnvtools.settings``), and passed down as explicit values.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gnvtools import __version__
from gnvtools.core import options
from gnvtools.core.formatting import count
from gnvtools.errors import GnvError
from gnvtools.publish.atomic import write_text
from gnvtools.settings import Settings

if TYPE_CHECKING:
    from gnvtools.core.reconciliation import Finding


def plain(text: str) -> str:
    """No-break spaces as plain spaces, for terminals (see ``gnvtools.core.formatting.plain``)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# argparse writes its own messages through gettext; these are the ones a user can meet.
_ARGPARSE_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "expected one argument": "förväntade ett värde",
    "expected at most one argument": "förväntade högst ett värde",
    "expected at least one argument": "förväntade minst ett värde",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydig flagga: %(option)s kan vara %(matches)s"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "not allowed with argument %s": "får inte kombineras med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "ignored explicit argument %r": "värdet %r ignoreras",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "okänt kommando %(parser_name)r (välj bland %(choices)s)"
    ),
}


def _sv(message: str) -> str:
    return _ARGPARSE_SV.get(message, message)


def _sv_n(singular: str, plural: str, n: int) -> str:
    return _sv(singular if n == 1 else plural)


argparse._ = _sv  # type: ignore[attr-defined]
argparse.ngettext = _sv_n  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish usage errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"fel: {message}\n")


def _emit(text: str, target: str | None) -> None:
    if target:
        path = Path(target)
        if path.is_dir():
            raise GnvError("utfilen är en mapp; ange ett filnamn", file=path)
        if path.parent.exists() and not path.parent.is_dir():
            raise GnvError("utfilens mapp är en fil", file=path.parent)
        try:
            write_text(path, text)
        except PermissionError as exc:
            raise GnvError("utfilen kan inte skrivas: behörighet saknas", file=path) from exc
        except OSError as exc:
            raise GnvError("utfilen kunde inte skrivas", file=path) from exc
    else:
        sys.stdout.write(text)


def _print_findings(findings: Sequence[Finding]) -> None:
    from gnvtools.core.reconciliation import LEVEL_NAMES
    from gnvtools.reports.common import findings_sentence

    if not findings:
        print("Inga avvikelser.")
    for finding in findings:
        print(f"[{LEVEL_NAMES[finding.level]}] {plain(finding.message)}")
    print()
    print(plain(findings_sentence(findings, listed=False)))


def cmd_check(args: argparse.Namespace) -> int:
    from gnvtools.core.params import is_comparison
    from gnvtools.core.reconciliation import has_errors
    from gnvtools.reports.checks import check_file

    path = Path(args.params)
    _refuse_mapping_file(path)
    findings = check_comparison(path) if is_comparison(path) else check_file(path)
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        _print_findings(findings)
    return 1 if has_errors(findings) else 0


def _refuse_mapping_file(path: Path) -> None:
    """A comparison's mapping file given to ``gnv check`` is named as such, with the comparison
    file that uses it (it is checked with that file), not told its keys are unknown."""
    from gnvtools.core.yamlio import read_yaml

    data, _ = read_yaml(path)
    if not isinstance(data, dict) or "pots" in data or "years" in data:
        return
    if not {"recipient_groups", "areas", "activity_groups"} & set(data):
        return
    users = []
    for other in sorted(path.parent.glob("*.y*ml")):
        try:
            found, _ = read_yaml(other)
        except GnvError:
            continue
        if isinstance(found, dict) and found.get("mapping") == path.name:
            users.append(str(path.parent / other.name))
    how = f"gnv check {users[0]}" if users else "gnv check med jämförelsefilen (years:)"
    raise GnvError(
        "filen är en jämförelses mappningsfil (mapping: i en jämförelsefil), ingen parameterfil; "
        f"den kontrolleras med jämförelsefilen: {how}",
        file=path,
    )


def check_comparison(path: Path) -> list[Finding]:
    """``gnv check`` on a comparison file (top-level ``years:``): the file, its mapping and every
    year's file with its data and texts, as ``gnv build`` would read them for ``multi-year``.

    The findings are the comparison's (each year's, named by year) and the open ``ATT GÖRA``
    markers of the comparison file and of each year's files; an error in any file stops it.
    """
    from gnvtools.core.reconciliation import sort_findings
    from gnvtools.reports.checks import check_file, still_to_do
    from gnvtools.reports.comparison import Comparison

    comparison = Comparison.load(path)
    findings = list(comparison.findings)
    for year in comparison.years:
        if year.spec.file:  # its memo texts and decision items too, named as the file names it
            checked = check_file(path.parent / year.spec.file)
            findings += [f for f in checked if f.code == "todo"]
    findings += still_to_do([(comparison.path, str(path))])
    return sort_findings(findings)


def cmd_figures(args: argparse.Namespace) -> int:
    from gnvtools.reports.checks import figures_file

    catalogue = figures_file(Path(args.params), args.report)
    if args.json:
        print(json.dumps(catalogue.as_json(), ensure_ascii=False, indent=2))
        return 0
    width = max((len(name) for name in catalogue), default=0)
    for figure in catalogue.values():
        mark = " (exempeldata)" if figure.illustrative else ""
        print(f"{figure.name:<{width}}  {plain(figure.text):>18}  {figure.label}{mark}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from gnvtools.project.schema import dumps, load

    sys.stdout.write(dumps(load(args.name)))
    return 0


def csv_safe(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (OWASP): prefix ``'``."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def cmd_allocate(args: argparse.Namespace) -> int:
    from gnvtools.core.model import allocate, build_plan

    result = allocate(build_plan(Path(args.params)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["pot", "step", "recipient", "amount", "ceiling", "requested"])
    for line in result.lines:
        writer.writerow(
            [
                csv_safe(line.pot),
                csv_safe(line.step),
                csv_safe(line.recipient),
                line.amount,
                "" if line.ceiling is None else line.ceiling,
                "" if line.requested is None else line.requested,
            ]
        )
    _emit(buffer.getvalue(), args.csv)
    return 0


def cmd_followup(args: argparse.Namespace) -> int:
    from gnvtools.core.followup import followup_file
    from gnvtools.core.formatting import kr, percent

    if args.params is None and args.json not in (None, "-"):
        # "gnv followup --json PARAMS": the path belongs to PARAMS; JSON goes to stdout.
        args.params, args.json = args.json, "-"
    if args.params is None:
        raise GnvError("ange en parameterfil: gnv followup PARAMS [--json [FIL]]")
    result = followup_file(Path(args.params))
    if args.json is not None:
        text = json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n"
        _emit(text, None if args.json == "-" else args.json)
        return 0
    rows = [
        ("Mottaget", kr(result.received)),
        ("Fördelat", kr(result.allocated)),
        ("Begärt", "–" if result.requested is None else kr(result.requested)),
        (
            "Beviljat (rekvisition)",
            "–" if result.requisitioned is None else kr(result.requisitioned),
        ),
        ("Förbrukat", kr(result.used)),
        ("Outnyttjat", kr(result.unused)),
        ("Nyttjandegrad", percent(result.utilisation)),
        ("Ej tillåten användning", kr(result.ineligible)),
        ("Att betala tillbaka", kr(result.repay)),
    ]
    for label, value in rows:
        print(f"{label:<24}{plain(value):>16}")
    print()
    _print_findings(result.findings)
    return 0


def default_out(params: Path, outputs: Path = Path("outputs")) -> Path:
    """``outputs/<organisation folder>/<year>`` for a year file, ``…/<first>-<last>`` otherwise."""
    from gnvtools.core.params import is_comparison, load_comparison, load_params

    org = params.resolve().parent.name
    if is_comparison(params):
        years = [y.year for y in load_comparison(params).years]
        return outputs / org / f"{min(years)}-{max(years)}"
    return outputs / org / str(load_params(params).year)


def settings_of(args: argparse.Namespace) -> Settings:
    """The command's settings, as ``main`` resolved them (or from the environment)."""
    found = getattr(args, "settings", None)
    return found if isinstance(found, Settings) else Settings.from_environment()


def cmd_render(args: argparse.Namespace) -> int:
    from gnvtools.project.config import find_project
    from gnvtools.publish.notebook_params import convert
    from gnvtools.publish.render import parse_formats, render

    overrides = convert(args.report, args.parameter)  # checked before anything else runs
    project = find_project()
    for note in project.notes:  # what was removed from the logo or the Word template
        print(note, file=sys.stderr)
    params = Path(args.params)
    formats = parse_formats(
        args.to or ",".join(project.config.formats if project.config_file else ["html"])
    )
    outputs = project.path(project.config.output) if project.config_file else Path("outputs")
    out = Path(args.out) if args.out else default_out(params, outputs)
    # Into the project's outputs: the lock a build takes there, so the two never mix files.
    inside = out.resolve().is_relative_to(outputs.resolve())
    result = render(
        args.report,
        params,
        out,
        formats,
        style=project.style(),
        overrides=overrides,
        lock=outputs if inside else True,
        running=settings_of(args).with_project(project.config).running(),
    )
    for fmt, path in result.files.items():
        print(f"{fmt:>5}: {path}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from gnvtools.project.config import find_project
    from gnvtools.publish.build import build, summary
    from gnvtools.publish.render import parse_formats

    project = find_project()
    config = project.config
    results, notes = build(
        Path(args.params) if args.params else project.path(config.parameters),
        Path(args.out) if args.out else project.path(config.output),
        parse_formats(args.to or ",".join(config.formats)),
        workers=args.workers or config.workers,
        force=args.force,
        progress=not args.quiet,
        style=project.style(),
        running=settings_of(args).with_project(project.config).running(),
    )
    for note in (*project.notes, *notes):
        print(note, file=sys.stderr)
    print(summary(results))
    return 1 if any(r.status == "misslyckades" for r in results) else 0


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``timeout``, a service manager) as Ctrl-C: clean-up runs, then exit 130."""
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals as they are
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_verify(args: argparse.Namespace) -> int:
    from gnvtools.publish.verify import as_json, describe, verify

    with _terminate_as_interrupt():  # a stopped verify still removes the unpacked bundle
        checks = verify(Path(args.dir), full=args.full, engine=settings_of(args).engine)
    if args.json:
        print(json.dumps(as_json(checks), ensure_ascii=False, indent=2))
    else:
        for line in describe(checks):
            print(plain(line))
    return 0 if all(c.clean for c in checks) else 1


def cmd_bundle(args: argparse.Namespace) -> int:
    from gnvtools.project.config import CONFIG_NAME, load_project
    from gnvtools.publish.bundle import ProjectConfig, bundle

    def assets(config: Path) -> tuple[Path | None, Path | None]:
        project = load_project(config)  # refuses a logo or template outside the project
        return project.word_template, project.logo

    path, reports = bundle(
        Path(args.dir), Path(args.out), project=ProjectConfig(CONFIG_NAME, assets)
    )
    print(f"Granskningspaket med {count(reports, 'rapport', 'rapporter')}: {path}")
    print(f"Kontrollera det med: gnv verify {path}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from gnvtools.project.init import init_project, lookup

    folder = Path(args.dir)
    org = lookup(args.name)
    created = init_project(folder, args.name, args.year)
    print(f"Nytt projekt för {org.name} ({org.type}, SCB-kod {org.code}) i {folder}:")
    for path in created:
        print(f"  {path}")
    print("Läs README.md i projektmappen: den säger vad som ska fyllas i.")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from gnvtools.project.notebooks import put_notebooks

    written = put_notebooks(Path(args.dir), force=args.force)
    for item in written:
        print(f"  {item.path}: {item.status}")
    return 0


def lab_command(root: Path, options: Sequence[str] = ()) -> list[str]:
    """JupyterLab with ``root`` (the project) as its folder, opened at its ``notebooks/``;
    ``options`` (after ``--`` on the command line) go to JupyterLab as they are."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if (root / "notebooks").is_dir():
        command.append("--LabApp.default_url=/lab/tree/notebooks")
    return [*command, *options]


def cmd_lab(args: argparse.Namespace) -> int:
    import importlib.util
    import subprocess
    import tempfile

    root = Path(args.dir).resolve()
    if not root.is_dir():
        raise GnvError("projektmappen finns inte", file=root)
    if importlib.util.find_spec("jupyterlab") is None:
        raise GnvError(
            "JupyterLab är inte installerat; installera det med: pip install 'gnvtools[lab]'"
        )
    options = list(args.jupyter)  # what followed "--" (``main``)
    print(f"Öppnar JupyterLab i {root}. Avsluta med Ctrl-C.", file=sys.stderr)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in options:
        # JupyterLab refuses root without it (a container often runs as root); it still
        # listens on this machine only, behind its token.
        options.append("--allow-root")
        print(
            "Du kör som root (administratör): JupyterLab startas med --allow-root. Kör hellre "
            "som en vanlig användare.",
            file=sys.stderr,
        )
    if not (root / "notebooks").is_dir():
        print(
            "Projektet har ingen notebooks/: gnv notebooks lägger rapporternas "
            "anteckningsböcker där.",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="gnv-lab-") as folder:
        env = lab_environment(settings_of(args), Path(folder))
        lab = subprocess.Popen(lab_command(root, options), cwd=root, env=env)
        try:
            with _terminate_as_interrupt():  # SIGTERM to gnv ends JupyterLab too
                return lab.wait()
        finally:
            if lab.poll() is None:
                lab.terminate()
                try:
                    lab.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    lab.kill()
                    lab.wait()


def lab_environment(settings: Settings, folder: Path) -> dict[str, str]:
    """JupyterLab's environment: its kernels get this command's options (the data roots) as
    ``gnv render`` gives them to a report, through a startup file in ``folder`` that IPython
    kernels run (``PYTHONSTARTUP``); a startup file of the user's own still runs, first."""
    from gnvtools.publish.render import options_statement

    env = dict(os.environ)
    own = env.get("PYTHONSTARTUP", "")
    startup = folder / "gnv_startup.py"
    startup.write_text(
        f"_gnv_own = {own!r}\n"
        "if _gnv_own:\n"
        "    with open(_gnv_own, encoding='utf-8') as _gnv_file:\n"
        "        exec(compile(_gnv_file.read(), _gnv_own, 'exec'))\n"
        f"{options_statement(settings.options())}\n",
        encoding="utf-8",
    )
    env["PYTHONSTARTUP"] = str(startup)
    return env


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gnv",
        description="Fördela, följ upp och jämför statsbidraget för god och nära vård.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"gnvtools {__version__}",
        help="visa programmets version och avsluta",  # argparse's own default is English
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    check = sub.add_parser("check", help="kontrollera en parameterfil och kör alla kontroller")
    check.add_argument(
        "params",
        metavar="PARAMS",
        help="parameterfil (YAML): en årsfil, eller en jämförelsefil (years:) med sina årsfiler",
    )
    check.add_argument("--json", action="store_true", help="skriv avvikelserna som JSON")
    check.set_defaults(func=cmd_check)

    figs = sub.add_parser(
        "figures", help="lista de namngivna siffror som rapporter och egna texter kan använda"
    )
    figs.add_argument("params", metavar="PARAMS", help="parameterfil (YAML)")
    figs.add_argument("--json", action="store_true", help="skriv siffrorna som JSON")
    figs.add_argument(
        "--report",
        metavar="RAPPORT",
        choices=["allocation-memo", "year-end-followup", "multi-year"],
        help="rapporten vars texter namnen gäller: allocation-memo (standard för en årsfil), "
        "year-end-followup eller multi-year (standard för en jämförelsefil)",
    )
    figs.set_defaults(func=cmd_figures)

    schema = sub.add_parser(
        "schema",
        help="skriv ett JSON-schema (2020-12) för en indatafil eller en utdata",
        description="Skriv ett av de publicerade JSON-schemana (JSON Schema 2020-12). Namn: "
        "params, comparison, comparison-mapping, gnv-yaml, check, figures, followup, manifest, "
        "bundle-index.",
    )
    schema.add_argument("name", metavar="NAMN", help="schemats namn, t.ex. followup eller params")
    schema.set_defaults(func=cmd_schema)

    alloc = sub.add_parser("allocate", help="kör fördelningsmodellen och skriv en CSV")
    alloc.add_argument("params", metavar="PARAMS", help="parameterfil (YAML)")
    alloc.add_argument("--csv", metavar="FIL", help="skriv till FIL i stället för stdout")
    alloc.set_defaults(func=cmd_allocate)

    follow = sub.add_parser(
        "followup", help="årsuppföljning: förbrukning, outnyttjat, återbetalning"
    )
    follow.add_argument("params", metavar="PARAMS", nargs="?", help="parameterfil (YAML)")
    follow.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FIL",
        help="skriv siffrorna som JSON (till FIL, annars stdout)",
    )
    follow.set_defaults(func=cmd_followup)

    rend = sub.add_parser("render", help="kör en rapport med papermill och exportera den")
    rend.add_argument(
        "report",
        metavar="RAPPORT",
        choices=["allocation-memo", "year-end-followup", "multi-year"],
        help="allocation-memo, year-end-followup eller multi-year",
    )
    rend.add_argument("params", metavar="PARAMS", help="parameterfil (YAML)")
    rend.add_argument(
        "--to", metavar="FORMAT", help="html,pdf,docx,ipynb,xlsx (standard: gnv.yaml, annars html)"
    )
    rend.add_argument("--out", metavar="MAPP", help="utmapp (standard outputs/<org>/<år>)")
    rend.add_argument(
        "-p",
        dest="parameter",
        action="append",
        default=[],
        metavar="NAMN=VÄRDE",
        help="en av anteckningsbokens parametrar, t.ex. visa_diagram=nej eller "
        "utelamna=bilaga (kan upprepas)",
    )
    rend.set_defaults(func=cmd_render)

    bld = sub.add_parser("build", help="skapa alla rapporter som parameterfilerna anger")
    bld.add_argument(
        "--workers", type=int, metavar="N", help="antal processer (gnv.yaml, annars 1)"
    )
    bld.add_argument("--to", metavar="FORMAT", help="format (gnv.yaml, annars html,pdf,ipynb,xlsx)")
    bld.add_argument("--out", metavar="MAPP", help="utmapp (gnv.yaml, annars outputs)")
    bld.add_argument("--params", metavar="MAPP", help="parametermapp (gnv.yaml, annars parameters)")
    bld.add_argument("--force", action="store_true", help="bygg om även oförändrade rapporter")
    bld.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")
    bld.set_defaults(func=cmd_build)

    ini = sub.add_parser("init", help="skapa ett nytt projekt för en kommun eller region")
    ini.add_argument("dir", metavar="MAPP", help="projektmappen som skapas")
    ini.add_argument(
        "--name", required=True, metavar="NAMN", help="kommun eller region, eller SCB-kod"
    )
    ini.add_argument(
        "--year", type=int, metavar="ÅR", help="bidragsåret, fyra siffror (standard: nästa år)"
    )
    ini.set_defaults(func=cmd_init)

    nbs = sub.add_parser(
        "notebooks",
        help="lägg rapporternas anteckningsböcker i projektets notebooks/",
        description="Lägger de tre rapporternas anteckningsböcker i projektets notebooks/, med "
        "projektets egen parameterfil som standard. En anteckningsbok som finns och skiljer "
        "sig skrivs inte över utan --force.",
    )
    nbs.add_argument("dir", metavar="MAPP", nargs="?", default=".", help="projektmapp (.)")
    nbs.add_argument(
        "--force", action="store_true", help="skriv över anteckningsböcker som har ändrats"
    )
    nbs.set_defaults(func=cmd_notebooks)

    lab = sub.add_parser(
        "lab",
        help="öppna JupyterLab i projektets anteckningsböcker",
        usage="gnv lab [-h] [MAPP] [-- JUPYTER-FLAGGOR ...]",
        description="Öppnar JupyterLab i projektmappen, i dess notebooks/. Flaggor efter -- "
        "går till JupyterLab som de är, t.ex. gnv lab . -- --no-browser --port 8899.",
    )
    lab.add_argument("dir", metavar="MAPP", nargs="?", default=".", help="projektmapp (.)")
    lab.set_defaults(func=cmd_lab, jupyter=[])

    ver = sub.add_parser(
        "verify", help="räkna om rapporterna i en mapp eller ett granskningspaket och jämför"
    )
    ver.add_argument("dir", metavar="MAPP|PAKET.zip", help="mapp med manifest, eller ett paket")
    ver.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    ver.add_argument(
        "--full",
        action="store_true",
        help="kör den installerade anteckningsboken i stället för att räkna om i processen",
    )
    ver.set_defaults(func=cmd_verify)

    bun = sub.add_parser("bundle", help="samla rapporter, manifest, underlag och regler i en zip")
    bun.add_argument(
        "dir", metavar="MAPP", help="utmapp med rapporter (en organisation och ett år, eller alla)"
    )
    bun.add_argument("--out", required=True, metavar="FIL.zip", help="paketet som skapas")
    bun.set_defaults(func=cmd_bundle)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    passed: list[str] = []
    if words[:1] == ["lab"] and "--" in words:  # gnv lab [DIR] -- JUPYTER_OPTIONS…
        cut = words.index("--")
        words, passed = words[:cut], words[cut + 1 :]
    args = parser.parse_args(words)
    if passed:
        args.jupyter = passed
    func: Callable[[argparse.Namespace], int] = args.func
    settings = args.settings = Settings.from_environment()
    try:
        with options.using(settings.options()):
            return func(args)
    except GnvError as exc:
        print(f"fel: {plain(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("avbrutet", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader (e.g. "| head") stopped reading: not an error of ours
        return 141
    except Exception as exc:  # the user gets one line; GNV_DEBUG=1 shows the traceback
        if settings.debug:
            traceback.print_exc()
        print(
            f"internt fel i gnvtools ({type(exc).__name__}: {exc}). Kör med GNV_DEBUG=1 "
            "för detaljer och rapportera felet.",
            file=sys.stderr,
        )
        return 3


def run() -> None:
    """The ``gnv`` console script.

    Every file has been written atomically and synced by the time ``main`` returns, the kernel
    shut down and the browser closed. Tearing down the interpreter's module graph (papermill,
    nbconvert, zmq) would add about 0,4 s to every command for nothing, so exit directly.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, OSError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
