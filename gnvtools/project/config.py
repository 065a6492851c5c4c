"""The project config file, ``gnv.yaml`` at a project's root: defaults that options override.

```yaml
parameters: parameters        # where gnv build looks for parameter files
output: outputs               # where reports are written
formats: [html, pdf, docx, xlsx]
workers: 2
browser: null                 # a Chromium-family browser for PDF (path or command)
word_template: null           # the organisation's Word template (.docx or .dotx) for --to docx
brand:
  colour: "#0b4f8a"           # headings and accents (HTML, PDF, DOCX)
  font: null                  # a font family name, e.g. "Arial"
  logo: null                  # an image file (PNG or JPEG) shown at the top of each report
```

Paths are relative to the folder holding ``gnv.yaml``. A command-line option wins over the file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gnvtools.core.params import _describe, _node_at
from gnvtools.core.yamlio import read_yaml
from gnvtools.errors import InputError
from gnvtools.publish.style import Style

CONFIG_NAME = "gnv.yaml"
Format = Literal["html", "pdf", "docx", "ipynb", "xlsx"]
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Brand(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    colour: str = "#0b4f8a"
    font: str | None = None
    logo: str | None = None

    @field_validator("colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError('färgen ska skrivas som "#rrggbb", t.ex. "#0b4f8a"')
        return value

    @field_validator("font")
    @classmethod
    def _font(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[\w .\-]{1,60}", value):
            raise ValueError("ett typsnittsnamn med bokstäver, siffror och mellanslag")
        return value


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    parameters: str = "parameters"
    output: str = "outputs"
    formats: list[Format] = ["html", "pdf", "ipynb", "xlsx"]
    workers: Annotated[int, Field(ge=1, le=64)] = 1
    browser: str | None = None
    word_template: str | None = None
    brand: Brand = Brand()


@dataclass(frozen=True)
class Project:
    """A project: its root folder and its config (defaults when there is no ``gnv.yaml``)."""

    root: Path
    config: ConfigFile = field(default_factory=ConfigFile)
    config_file: Path | None = None

    def path(self, name: str) -> Path:
        given = Path(name)
        return given if given.is_absolute() else self.root / given

    @property
    def word_template(self) -> Path | None:
        return self.path(self.config.word_template) if self.config.word_template else None

    @property
    def logo(self) -> Path | None:
        return self.path(self.config.brand.logo) if self.config.brand.logo else None

    def style(self) -> Style:
        brand = self.config.brand
        return Style(brand.colour, brand.font, self.logo, self.word_template)


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
    data, node = read_yaml(path, what="projektfilen")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("projektfilen ska bestå av nycklar (output, formats, …)", file=path)
    try:
        config = ConfigFile.model_validate(data)
    except ValidationError as exc:
        message, loc = _describe(exc.errors()[0])
        where = _node_at(node, loc)
        raise InputError(
            message,
            file=path,
            row=where.start_mark.line + 1 if where is not None else None,
            column=".".join(str(p) for p in loc) or None,
        ) from exc
    project = Project(path.parent.resolve(), config, path)
    for label, file in (("Word-mallen", project.word_template), ("logotypen", project.logo)):
        if file is not None and not file.is_file():
            raise InputError(f"{label} finns inte: {file}", file=path)
    if config.browser:
        os.environ.setdefault("GNV_BROWSER", config.browser)
    return project
