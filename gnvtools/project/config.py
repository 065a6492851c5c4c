"""The project config file, ``gnv.yaml`` at a project's root: defaults that options override.

```yaml
parameters: parameters        # where gnv build looks for parameter files
output: outputs               # where reports are written
formats: [html, pdf, docx, xlsx]
workers: 2
browser: null                 # a Chromium-family browser for PDF (path or command)
browser_timeout: 30           # seconds the browser may take to start (1–600)
word_template: null           # the organisation's Word template (.docx or .dotx, at most 10 MB)
brand:
  colour: "#0b4f8a"           # headings and accents (HTML, PDF, DOCX); null: none of its own
  font: null                  # a font family name, e.g. "Arial"
  logo: null                  # an image (PNG, JPEG or SVG, at most 2 MB) atop each report
```

Paths are relative to the folder holding ``gnv.yaml``. A command-line option wins over the file.
The logo and the template are someone else's files: they must lie inside the project (symlinks
resolved), be regular files under their size bound and of their type by content; an SVG logo
and the template are cleaned (scripts, external references, attached templates and macros
removed) and ``Project.notes`` says what was removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from gnvtools.errors import InputError
from gnvtools.publish.style import DEFAULT_COLOUR, Style

CONFIG_NAME = "gnv.yaml"
Format = Literal["html", "pdf", "docx", "ipynb", "xlsx"]
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FONT = re.compile(r"[\w .\-]{1,60}")


@dataclass(frozen=True)
class Brand:
    colour: str | None = DEFAULT_COLOUR  # None (``colour: null``): no brand colour of its own
    font: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class ConfigFile:
    """``gnv.yaml`` read and checked; the defaults when a key (or the file) is missing.

    Checked by hand rather than with pydantic (which the parameter files use): ``gnv build``
    reads this file on every run, an unchanged rebuild included, and pydantic's import and
    schema building cost 0,09 s of a no-op build that otherwise takes about 0,1 s.
    """

    parameters: str = "parameters"
    output: str = "outputs"
    formats: tuple[Format, ...] = ("html", "pdf", "ipynb", "xlsx")
    workers: int = 1
    browser: str | None = None
    browser_timeout: int = 30
    word_template: str | None = None
    brand: Brand = field(default_factory=Brand)


def _shown(value: Any) -> str:
    """A value as the file wrote it (YAML's true/false, not Python's)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


class _Invalid(Exception):
    def __init__(self, message: str, loc: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc


def _text(value: Any, loc: tuple[str, ...], *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _Invalid(f'förväntade text (fick "{_shown(value)}")', loc)
    return value


def _mapping(data: Any, allowed: tuple[str, ...], loc: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _Invalid("förväntade en mappning (nyckel: värde)", loc)
    for key in data:
        if key not in allowed:
            raise _Invalid(f'okänd nyckel "{key}"', (*loc, str(key)))
    return data


def _config_from(data: dict[str, Any]) -> ConfigFile:
    """The checked config; ``_Invalid`` names the first wrong key, as a path of keys."""
    _mapping(data, tuple(f.name for f in fields(ConfigFile)), ())
    values: dict[str, Any] = {}
    for key in ("parameters", "output"):
        if key in data:
            values[key] = _text(data[key], (key,))
    for key in ("browser", "word_template"):
        if key in data:
            values[key] = _text(data[key], (key,), optional=True)
    if "formats" in data:
        formats = data["formats"]
        if not isinstance(formats, list):
            raise _Invalid("förväntade en lista", ("formats",))
        allowed = get_args(Format)
        for item in formats:
            if item not in allowed:
                raise _Invalid(
                    f'otillåtet värde; tillåtna: {", ".join(allowed)} (fick "{_shown(item)}")',
                    ("formats",),
                )
        values["formats"] = tuple(formats)
    if "workers" in data:
        workers = data["workers"]
        if not isinstance(workers, int) or isinstance(workers, bool):
            raise _Invalid(f'förväntade ett heltal (fick "{_shown(workers)}")', ("workers",))
        if not 1 <= workers <= 64:
            raise _Invalid(f'antalet ska vara 1–64 (fick "{workers}")', ("workers",))
        values["workers"] = workers
    if "browser_timeout" in data:
        seconds = data["browser_timeout"]
        if not isinstance(seconds, int) or isinstance(seconds, bool):
            raise _Invalid(
                f'förväntade ett heltal, sekunder (fick "{_shown(seconds)}")', ("browser_timeout",)
            )
        if not 1 <= seconds <= 600:
            raise _Invalid(f'sekunderna ska vara 1–600 (fick "{seconds}")', ("browser_timeout",))
        values["browser_timeout"] = seconds
    if "brand" in data:
        brand = _mapping(data["brand"], ("colour", "font", "logo"), ("brand",))
        colour = _text(brand.get("colour", DEFAULT_COLOUR), ("brand", "colour"), optional=True)
        if colour is not None and not _COLOUR.match(colour):
            raise _Invalid(
                f'färgen ska skrivas som "#rrggbb", t.ex. "#0b4f8a" (fick "{colour}")',
                ("brand", "colour"),
            )
        font = _text(brand.get("font"), ("brand", "font"), optional=True)
        if font is not None and not _FONT.fullmatch(font):
            raise _Invalid(
                f'ett typsnittsnamn med bokstäver, siffror och mellanslag (fick "{font}")',
                ("brand", "font"),
            )
        logo = _text(brand.get("logo"), ("brand", "logo"), optional=True)
        values["brand"] = Brand(colour, font, logo)
    return ConfigFile(**values)


@dataclass(frozen=True)
class Project:
    """A project: its root folder and its config (defaults when there is no ``gnv.yaml``)."""

    root: Path
    config: ConfigFile = field(default_factory=ConfigFile)
    config_file: Path | None = None
    notes: tuple[str, ...] = ()  # for the user, once: what was removed from the logo or template

    def path(self, name: str) -> Path:
        given = Path(name)
        return given if given.is_absolute() else self.root / given

    @property
    def word_template(self) -> Path | None:
        """The template, symlinks resolved (``load_project`` has confined it to the project)."""
        return self.path(self.config.word_template).resolve() if self.config.word_template else None

    @property
    def logo(self) -> Path | None:
        """The logo, symlinks resolved (``load_project`` has confined it to the project)."""
        return self.path(self.config.brand.logo).resolve() if self.config.brand.logo else None

    def style(self) -> Style:
        brand = self.config.brand
        # No colour of its own: the default look, and a Word template keeps its colours.
        return Style(brand.colour or DEFAULT_COLOUR, brand.font, self.logo, self.word_template)


# What each file named in gnv.yaml may be, and what the user should do when it is not.
_ASSETS = {
    ("word_template",): (
        "Word-mallen",
        "ange en Word-mall (.dotx eller .docx) på högst 10 MB som ligger i projektmappen",
    ),
    ("brand", "logo"): (
        "logotypen",
        "ange en PNG-, JPEG- eller SVG-bild på högst 2 MB som ligger i projektmappen",
    ),
}


def _check_asset(project: Project, loc: tuple[str, ...]) -> list[str]:
    """Check the logo or Word template named at ``loc``: inside the project (symlinks
    resolved), a regular file, under its size bound, of its type by content. Returns notes
    for the user (what was removed); ``_Invalid`` says what is wrong and what to do."""
    from gnvtools.publish.confine import inside

    config = project.config
    name = config.word_template if loc == ("word_template",) else config.brand.logo
    if name is None:
        return []
    label, advice = _ASSETS[loc]
    given = project.path(name)
    if inside(given, project.root) is None:
        raise _Invalid(
            f"{label} {name} ligger utanför projektmappen {project.root}; "
            f"kopiera filen till projektmappen och ange sökvägen relativt {CONFIG_NAME}",
            loc,
        )
    if not given.exists():
        raise _Invalid(f"{label} {name} finns inte; {advice}", loc)
    try:
        if loc == ("word_template",):
            from gnvtools.publish.docx_template import describe, read_template

            removed = read_template(given.resolve(), rebuild=False).removed
            return [describe(removed, name)] if removed else []
        from gnvtools.publish.logo import read_logo

        cleaned = read_logo(given.resolve()).removed
    except InputError as exc:
        raise _Invalid(f"{label} {name}: {exc.message}; {advice}", loc) from exc
    if cleaned:
        return [
            f"Logotypen {name}: följande togs bort ur SVG-bilden och visas inte: "
            f"{', '.join(cleaned)}."
        ]
    return []


def find_project(start: Path | None = None) -> Project:
    """The project around ``start`` (the working directory): the nearest folder with a
    ``gnv.yaml``, else ``start`` itself with the defaults."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return load_project(candidate)
    return Project(here)


def load_project(path: Path) -> Project:
    from gnvtools.core.yamlio import read_yaml  # only when there is a file: no YAML parser else

    data, node = read_yaml(path, what="projektfilen")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("projektfilen ska bestå av nycklar (output, formats, …)", file=path)
    try:
        config = _config_from(data)
    except _Invalid as exc:
        from gnvtools.core.params import _node_at  # only for the line of the message

        where = _node_at(node, exc.loc)
        raise InputError(
            exc.message,
            file=path,
            row=where.start_mark.line + 1 if where is not None else None,
            key=".".join(exc.loc) or None,
        ) from exc
    project = Project(path.parent.resolve(), config, path)
    notes: list[str] = []
    for loc in (("word_template",), ("brand", "logo")):
        try:
            notes += _check_asset(project, loc)
        except _Invalid as exc:
            from gnvtools.core.params import _node_at  # only for the line of the message

            where = _node_at(node, exc.loc)
            raise InputError(
                exc.message,
                file=path,
                row=where.start_mark.line + 1 if where is not None else None,
                key=".".join(exc.loc),
            ) from exc
    if notes:
        project = replace(project, notes=tuple(notes))
    return project
