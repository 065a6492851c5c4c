"""A year's parameter file as the model reads it, and the data files it may name.

``ParamFile`` points an error at the file's line and key path and finds a data file named in
it; ``confine`` keeps every data file inside the parameter file's folder (or the caller's data
folders), so a parameter file from someone else cannot make gnv read a file elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gnvtools.core import options
from gnvtools.core import params as p
from gnvtools.core.params_locations import named_path, node_at
from gnvtools.core.tables import split_sheet
from gnvtools.errors import InputError, ModelError


@dataclass
class ParamFile:
    """A validated parameter file with what is needed to point at its lines."""

    path: Path
    params: p.Params
    node: yaml.Node | None
    shown: str = ""

    def line(self, *loc: int | str) -> int | None:
        where = node_at(self.node, loc)
        return where.start_mark.line + 1 if where is not None else None

    def error(self, message: str, *loc: int | str) -> ModelError:
        return ModelError(
            message + named_path(self.node, loc),
            file=self.shown or self.path,
            row=self.line(*loc) if loc else None,
            key=".".join(str(x) for x in loc) or None,
        )

    def data_path(self, name: str) -> tuple[Path, str]:
        """A data file named in the YAML, relative to the YAML file's folder and inside it.

        Raises for an absolute path, a ``..`` that leads out, or a symlink pointing outside the
        parameter file's folder (see ``confine``), and for a file that does not exist: that
        message names the key and line of the YAML that refers to it.
        """
        shown = str(Path(self.shown or self.path).parent / name)
        file_name, _ = split_sheet(name)  # "data/x.xlsx#Blad2": the sheet is not in the path
        resolved = confine(self.path, file_name, shown)
        if not resolved.exists() and not resolved.is_symlink():
            loc = self.reference(name)
            where = ""
            what = "textfilen" if loc and loc[-1] == "texts" else "filen"
            if loc:
                dotted = ".".join(str(x) for x in loc)
                where = (
                    f" (nämns i {self.shown or self.path}, rad {self.line(*loc)}, "
                    f'nyckel "{dotted}")'
                )
            raise InputError(f"{what} finns inte{where}", file=str(Path(shown)))
        return resolved, shown

    def reference(self, value: str) -> tuple[int | str, ...] | None:
        """The key path of the first place the YAML holds ``value`` (a file name)."""

        def walk(node: yaml.Node | None, path: tuple[int | str, ...]) -> Any:
            if isinstance(node, yaml.ScalarNode):
                return path if node.value == value else None
            if isinstance(node, yaml.MappingNode):
                items = [(k.value, v) for k, v in node.value]
            elif isinstance(node, yaml.SequenceNode):
                items = list(enumerate(node.value))
            else:
                return None
            for part, child in items:
                found = walk(child, (*path, part))
                if found is not None:
                    return found
            return None

        found: tuple[int | str, ...] | None = walk(self.node, ())
        return found


def allowed_roots(params_file: Path) -> list[Path]:
    """Where data may be read from: the parameter file's folder, plus the caller's
    ``data_roots`` (``core.options``; the command line takes them from the environment)."""
    roots = [params_file.resolve().parent]
    roots += [Path(p).resolve() for p in options.current().data_roots if p.strip()]
    return roots


def _data_roots_hint() -> str:
    where = options.current().data_roots_where
    return f" eller ange mappen bland datamapparna ({where})" if where else ""


def confine(params_file: Path, name: str, shown: str) -> Path:
    """Resolve ``name`` (as written in ``params_file``) and keep it inside the allowed folders.

    A parameter file may come from someone else: it must not make gnv read ``/etc/passwd`` or
    a file beside the project. The folder of the parameter file is allowed; the caller's
    ``data_roots`` widen it (see ``allowed_roots``).
    """
    written = Path(name)
    if written.is_absolute() or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise InputError(
            "sökvägen är absolut; ange den relativt till parameterfilens mapp", file=shown
        )
    resolved = (params_file.parent / written).resolve()
    roots = allowed_roots(params_file)
    if not any(resolved.is_relative_to(root) for root in roots):
        raise InputError(
            "filen ligger utanför parameterfilens mapp (via .. eller en symbolisk länk); "
            "flytta den dit" + _data_roots_hint(),
            file=shown,
        )
    return resolved


def open_params(path: Path | str, *, shown: str | None = None) -> ParamFile:
    path = Path(path)
    params, node = p.validate_with_node(p.Params, path)
    return ParamFile(path, params, node, shown or str(path))
