"""A notebook as the text of its ``.ipynb`` file: the bytes ``nbformat.writes`` gives, made
about twice as fast.

``nbformat.writes`` deep-copies the notebook, splits its multi-line strings into lines and
encodes it with ``indent=1``, which makes ``json`` use its pure-Python encoder (a generator per
list and object). A report's notebook carries its document, its figure catalogue and its tables
as JSON beside the HTML, so that encoding was most of the time spent writing the notebook. Here
the lines are split while encoding (nothing is copied) and each string is encoded by json's C
function; the layout is json's own for ``indent=1, sort_keys=True, separators=(",", ": ")``.
Anything this encoder does not know (a key that is not a string, an object json would ask a
``default`` for) is left to ``nbformat.writes``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_string: Callable[[str], str] = json.encoder.encode_basestring

#: Besides ``text/*``, the MIME types whose text nbformat stores as a list of lines.
_SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})
_TRANSIENT = frozenset({"orig_nbformat", "orig_nbformat_minor", "signature"})


class _Unknown(Exception):
    """A value this encoder leaves to ``nbformat.writes``."""


def notebook_text(notebook: Any) -> str:
    """The text ``nbformat.writes(notebook)`` returns (validated as it validates: a problem is
    logged, not raised)."""
    import nbformat

    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as exc:
        from traitlets.log import get_logger

        get_logger().error("Notebook JSON is invalid: %s", exc)  # as nbformat.writes does
    try:
        if notebook.get("nbformat") != 4:  # nbformat writes each version its own way
            raise _Unknown
        out: list[str] = []
        _value(_for_file(notebook), "\n", out)
        return "".join(out)
    except _Unknown:
        return str(nbformat.writes(notebook))  # type: ignore[no-untyped-call]


def _for_file(notebook: Any) -> dict[str, Any]:
    """The notebook as nbformat writes it (``split_lines``, ``strip_transient``), as new
    containers over the same values: the notebook itself is not changed."""
    metadata = {k: v for k, v in notebook["metadata"].items() if k not in _TRANSIENT}
    return {**notebook, "metadata": metadata, "cells": [_cell(c) for c in notebook["cells"]]}


def _cell(cell: Any) -> dict[str, Any]:
    out = dict(cell)
    if "trusted" in cell.get("metadata", {}):
        out["metadata"] = {k: v for k, v in cell["metadata"].items() if k != "trusted"}
    if isinstance(cell.get("source"), str):
        out["source"] = cell["source"].splitlines(True)
    if "attachments" in cell:
        out["attachments"] = {k: _lines(v) for k, v in cell["attachments"].items()}
    if cell.get("cell_type") == "code":
        out["outputs"] = [_output(output) for output in cell.get("outputs", [])]
    return out


def _output(output: Any) -> Any:
    kind = output.get("output_type")
    if kind in ("execute_result", "display_data") and "data" in output:
        return {**output, "data": _lines(output["data"])}
    if kind == "stream" and isinstance(output.get("text"), str):
        return {**output, "text": output["text"].splitlines(True)}
    return output


def _lines(bundle: Any) -> Any:
    if not isinstance(bundle, dict):
        return bundle
    return {
        key: value.splitlines(True)
        if isinstance(value, str) and (key.startswith("text/") or key in _SPLIT_MIMES)
        else value
        for key, value in bundle.items()
    }


def _value(value: Any, newline: str, out: list[str]) -> None:
    """``value`` as json writes it at the depth whose line break (with indent) is ``newline``."""
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(json.dumps(value))
    elif isinstance(value, (list, tuple)):
        _array(value, newline, out)
    elif isinstance(value, dict):
        _object(value, newline, out)
    elif isinstance(value, bytes):  # nbformat's BytesEncoder: base64 text as bytes
        out.append(_string(value.decode("ascii")))
    else:
        raise _Unknown


def _array(items: Any, newline: str, out: list[str]) -> None:
    if not items:
        out.append("[]")
        return
    inner = newline + " "
    out.append("[" + inner)
    for n, item in enumerate(items):
        if n:
            out.append("," + inner)
        _value(item, inner, out)
    out.append(newline + "]")


def _object(mapping: dict[Any, Any], newline: str, out: list[str]) -> None:
    if not mapping:
        out.append("{}")
        return
    if not all(isinstance(key, str) for key in mapping):
        raise _Unknown
    inner = newline + " "
    out.append("{" + inner)
    for n, key in enumerate(sorted(mapping)):
        if n:
            out.append("," + inner)
        out.append(_string(key) + ": ")
        _value(mapping[key], inner, out)
    out.append(newline + "}")
