"""Reading a parameter file's YAML safely: bounded, unambiguous and in Swedish.

PyYAML's safe loader still follows YAML 1.1, where ``0123`` is an octal number, ``1:20`` is 80
(sexagesimal), ``yes``/``no``/``on``/``off`` are booleans, a repeated key silently replaces the
first, and aliases can expand a small file into billions of nodes. None of that belongs in a file
an analyst edits, so this loader:

- resolves scalars by YAML 1.2's core schema: integers are ``0`` or digits without a leading
  zero, booleans only ``true``/``false``, dates only ``ÅÅÅÅ-MM-DD``; everything else is text (a
  field that needs a number then says so, naming the line);
- rejects a key that occurs twice in a mapping, anchors and aliases (``&``, ``*``) and merge keys
  (``<<``);
- bounds the file size and the number of nodes;
- turns PyYAML's English into Swedish, with the line.

The loaders are in ``core.yamlio_strict``. A text is composed by libyaml's C parser when it
gives exactly the nodes, marks and data of PyYAML's pure-Python parser (``compose_fast``: about
five times faster with construction, ten without); any other text, and every text in which
libyaml or the strict constructor finds an error, is read by the pure-Python ``StrictLoader``,
so each message is the one it gives.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from gnvtools.core import reuse
from gnvtools.core.yamlio_strict import MAX_NODES, Refused, StrictLoader, compose_fast
from gnvtools.errors import InputError

__all__ = ["MAX_NODES", "MAX_YAML_BYTES", "StrictLoader", "load_text", "read_yaml"]

MAX_YAML_BYTES = 2_000_000
_READ = reuse.cache(64)  # parsed files of this process, reused while unchanged (core.reuse)


# PyYAML's problems, as a reader should see them.
_PROBLEMS = [
    ("could not determine a constructor", "okänd YAML-tagg (!…); sådana stöds inte"),
    (
        "found character '\\t' that cannot start any token",
        "tabbtecken får inte användas för indrag; använd mellanslag",
    ),
    ("found character", "otillåtet tecken"),
    ("mapping values are not allowed here", "kolon på fel ställe; sätt texten inom citattecken"),
    ("found undefined alias", "alias (*namn) stöds inte i parameterfiler"),
    ("expected <block end>, but found", "indraget stämmer inte med raderna ovanför"),
    ("did not find expected key", "indraget stämmer inte med raderna ovanför"),
    ("did not find expected '-' indicator", "indraget i listan stämmer inte"),
    ("found unexpected end of stream", "filen tar slut mitt i ett värde (saknas ett citattecken?)"),
    ("found unexpected ':'", "kolon på fel ställe; sätt texten inom citattecken"),
    ("found unhashable key", "en nyckel kan inte vara en lista eller mappning"),
    ("expected a single document", "filen får bara innehålla ett YAML-dokument (inga ---)"),
    ("while scanning a quoted scalar", "ett citattecken är inte avslutat"),
    ("while scanning a simple key", "en nyckel saknar kolon"),
    ("invalid leading UTF-8 octet", "filen är inte sparad som UTF-8"),
    ("unacceptable character", "filen innehåller otillåtna tecken (styrtecken)"),
    ("expected ',' or '}'", "en mappning inom { } är inte avslutad, eller ett kommatecken saknas"),
    ("expected ',' or ']'", "en lista inom [ ] är inte avslutad, eller ett kommatecken saknas"),
    ("timestamp", "ogiltigt datum; skriv ÅÅÅÅ-MM-DD"),
    ("must be in", "ogiltigt datum; skriv ÅÅÅÅ-MM-DD"),
    ("day is out of range", "ogiltigt datum; skriv ÅÅÅÅ-MM-DD"),
]


def _swedish(problem: str | None) -> str:
    text = problem or ""
    for english, swedish in _PROBLEMS:
        if english in text:
            return swedish
    return "filen kan inte tolkas som YAML här"


def read_yaml(path: Path, *, what: str = "parameterfilen") -> tuple[Any, yaml.Node | None]:
    """Read a YAML file into plain data plus its node tree (for line numbers).

    Parsed once per process while the file is unchanged (``core.reuse``); each caller gets its
    own copy of the data (the node tree is shared and read-only)."""
    path = Path(path)
    key = ("yaml", str(path.resolve()))
    kept = _READ.get(key)
    if kept is None:
        found = reuse.stamp(path)
        kept = _parse_file(path, what)
        _READ.put(key, [(key[1], found)], kept)
        reuse.note([(key[1], found)])
    data, node = kept
    return copy.deepcopy(data), node


def _parse_file(path: Path, what: str) -> tuple[Any, yaml.Node | None]:
    try:
        if not path.is_file():
            if not path.exists():
                raise InputError(f"{what} finns inte", file=path)
            if path.is_dir():  # also an empty params_file in a notebook run outside a project
                raise InputError(
                    f"{what} är en mapp, inte en fil; ange filen (i en anteckningsbok: "
                    "params_file i parametercellen)",
                    file=path,
                )
            raise InputError(f"{what} är inte en vanlig fil (en enhet eller liknande)", file=path)
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputError(
                f"{what} är större än {MAX_YAML_BYTES // 1_000_000} MB; det är för stort",
                file=path,
            )
        raw = path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{what} kan inte läsas: behörighet saknas", file=path) from exc
    except OSError as exc:
        raise InputError(f"{what} kunde inte läsas", file=path) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{what} är inte sparad som UTF-8", file=path, row=line) from exc
    return load_text(text, path, what)


def load_text(text: str, path: Path, what: str = "parameterfilen") -> tuple[Any, yaml.Node | None]:
    """A YAML text's data and node tree, or the InputError naming ``path`` and the line.

    libyaml reads it when ``compose_fast`` can; otherwise, and for every error, the pure-Python
    StrictLoader reads it, so each message is the one that loader gives."""
    fast = compose_fast(text)
    if fast is not None:
        return fast
    loader = None
    try:
        loader = StrictLoader(text)  # its reader refuses control characters at once
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except Refused as exc:
        mark = exc.problem_mark
        raise InputError(str(exc.problem), file=path, row=mark.line + 1 if mark else None) from exc
    except (ConstructorError, yaml.MarkedYAMLError) as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(
            f"YAML-syntaxfel: {_swedish(exc.problem)}",
            file=path,
            row=mark.line + 1 if mark else None,
        ) from exc
    except yaml.reader.ReaderError as exc:  # a control character: at its character's row
        row = text[: exc.position].count("\n") + 1
        raise InputError(f"YAML-syntaxfel: {_swedish(str(exc))}", file=path, row=row) from exc
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        raise InputError(f"YAML-syntaxfel: {_swedish(str(exc))}", file=path) from exc
    except RecursionError as exc:
        raise InputError(f"{what} är för djupt nästlad", file=path) from exc
    finally:
        if loader is not None:
            loader.dispose()
    return data, node
