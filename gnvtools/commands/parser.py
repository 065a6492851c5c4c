"""The ``gnv`` arguments, and argparse's own words in Swedish.

Each command's name is ``args.command``; ``gnvtools.cli`` runs the handler of that name.
"""

from __future__ import annotations

import argparse
import sys

from gnvtools import __version__

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


def build_parser() -> argparse.ArgumentParser:
    """``gnv`` and its commands, in the order ``gnv --help`` lists them."""
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
    _add_checking(sub)
    _add_model(sub)
    _add_reports(sub)
    _add_project(sub)
    _add_records(sub)
    return parser


def _add_checking(sub: argparse._SubParsersAction[_Parser]) -> None:
    """check, figures, schema."""
    check = sub.add_parser("check", help="kontrollera en parameterfil och kör alla kontroller")
    check.add_argument(
        "params",
        metavar="PARAMS",
        help="parameterfil (YAML): en årsfil, eller en jämförelsefil (years:) med sina årsfiler",
    )
    check.add_argument("--json", action="store_true", help="skriv avvikelserna som JSON")

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

    schema = sub.add_parser(
        "schema",
        help="skriv ett JSON-schema (2020-12) för en indatafil eller en utdata",
        description="Skriv ett av de publicerade JSON-schemana (JSON Schema 2020-12). Namn: "
        "params, comparison, comparison-mapping, gnv-yaml, check, figures, followup, manifest, "
        "bundle-index.",
    )
    schema.add_argument("name", metavar="NAMN", help="schemats namn, t.ex. followup eller params")


def _add_model(sub: argparse._SubParsersAction[_Parser]) -> None:
    """allocate, followup."""
    alloc = sub.add_parser("allocate", help="kör fördelningsmodellen och skriv en CSV")
    alloc.add_argument("params", metavar="PARAMS", help="parameterfil (YAML)")
    alloc.add_argument("--csv", metavar="FIL", help="skriv till FIL i stället för stdout")

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


def _add_reports(sub: argparse._SubParsersAction[_Parser]) -> None:
    """render, build."""
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

    bld = sub.add_parser("build", help="skapa alla rapporter som parameterfilerna anger")
    bld.add_argument(
        "--workers", type=int, metavar="N", help="antal processer (gnv.yaml, annars 1)"
    )
    bld.add_argument("--to", metavar="FORMAT", help="format (gnv.yaml, annars html,pdf,ipynb,xlsx)")
    bld.add_argument("--out", metavar="MAPP", help="utmapp (gnv.yaml, annars outputs)")
    bld.add_argument("--params", metavar="MAPP", help="parametermapp (gnv.yaml, annars parameters)")
    bld.add_argument("--force", action="store_true", help="bygg om även oförändrade rapporter")
    bld.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")


def _add_project(sub: argparse._SubParsersAction[_Parser]) -> None:
    """init, notebooks, lab."""
    ini = sub.add_parser("init", help="skapa ett nytt projekt för en kommun eller region")
    ini.add_argument("dir", metavar="MAPP", help="projektmappen som skapas")
    ini.add_argument(
        "--name", required=True, metavar="NAMN", help="kommun eller region, eller SCB-kod"
    )
    ini.add_argument(
        "--year", type=int, metavar="ÅR", help="bidragsåret, fyra siffror (standard: nästa år)"
    )

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

    lab = sub.add_parser(
        "lab",
        help="öppna JupyterLab i projektets anteckningsböcker",
        usage="gnv lab [-h] [MAPP] [-- JUPYTER-FLAGGOR ...]",
        description="Öppnar JupyterLab i projektmappen, i dess notebooks/. Flaggor efter -- "
        "går till JupyterLab som de är, t.ex. gnv lab . -- --no-browser --port 8899.",
    )
    lab.add_argument("dir", metavar="MAPP", nargs="?", default=".", help="projektmapp (.)")
    lab.set_defaults(jupyter=[])


def _add_records(sub: argparse._SubParsersAction[_Parser]) -> None:
    """verify, bundle."""
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

    bun = sub.add_parser("bundle", help="samla rapporter, manifest, underlag och regler i en zip")
    bun.add_argument(
        "dir", metavar="MAPP", help="utmapp med rapporter (en organisation och ett år, eller alla)"
    )
    bun.add_argument("--out", required=True, metavar="FIL.zip", help="paketet som skapas")
