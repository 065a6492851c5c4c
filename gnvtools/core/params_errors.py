"""The first problem pydantic finds in a parameter file, told in Swedish: which of its errors to
tell, what it means for the key (a misspelt key with "menar du …?", the allowed values, the step
kinds), and why a value that looks like a number or a yes/no is text in YAML 1.2.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel

from gnvtools.core.params_locations import is_member, known_keys, readable_loc

_TYPE_MESSAGES = {
    "missing": "nyckeln saknas",
    "extra_forbidden": "okänd nyckel",
    "int_type": "förväntade ett heltal",
    "int_parsing": "förväntade ett heltal",
    "int_from_float": "förväntade ett heltal (hela kronor)",
    "string_type": "förväntade text",
    "bool_type": "förväntade true eller false",
    "list_type": "förväntade en lista",
    "dict_type": "förväntade en mappning (nyckel: värde)",
    "model_type": "förväntade en mappning (nyckel: värde)",
    "model_attributes_type": "förväntade en mappning (nyckel: värde)",
    "float_type": "förväntade ett tal (ett heltal eller ett decimaltal som 0.8)",
    "float_parsing": "förväntade ett tal (ett heltal eller ett decimaltal som 0.8)",
    "date_type": "förväntade ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "förväntade ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "förväntade ett datum (ÅÅÅÅ-MM-DD)",
    "greater_than_equal": "värdet får inte vara negativt",
    "greater_than": "värdet måste vara större än noll",
    "literal_error": "otillåtet värde",
    "union_tag_invalid": "okänd stegtyp",
    "union_tag_not_found": "nyckeln saknas",
    "value_error": "ogiltigt värde",
    "less_than_equal": "värdet är för stort; högst 999 999 999 999 kr",
}


def describe(error: Any, model: type[BaseModel] | None = None) -> tuple[str, tuple[int | str, ...]]:
    """A pydantic error as the reader is told it: the Swedish message and the key path."""
    loc = list(readable_loc(tuple(error["loc"])))
    kind = error["type"]
    message = _TYPE_MESSAGES.get(kind, "ogiltigt värde")
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        message = f"otillåtet värde; tillåtna: {_swedish_list(expected)}"
    elif kind == "invalid_key" and loc:  # YAML 1.2 read the key as a number
        message = f"nyckeln {loc[-1]} är ett tal, inte ett namn"
        if isinstance(loc[-1], int):
            message += (
                "; inom { } skiljer ett kommatecken värden åt, så 0,8 blir två: skriv "
                "decimaltal med punkt (0.8)"
            )
    elif kind == "int_or_word":  # amount: a whole number of kronor or rest
        expected = str(error.get("ctx", {}).get("expected", ""))
        message = f"förväntade ett heltal (hela kronor) eller {_swedish_list(expected)}"
    elif kind == "value_error":
        message = str(error.get("ctx", {}).get("error", message))
    elif kind == "union_tag_invalid":
        message = "okänd stegtyp; tillåtna: fixed, each, key, requisition eller remainder"
        tag = error.get("ctx", {}).get("tag")
        if isinstance(tag, str):
            message += f' (fick "{tag}")'
        loc.append("kind")
    elif kind == "union_tag_not_found":
        tag = str(error.get("ctx", {}).get("discriminator", "kind")).strip("'")
        message = (
            f'nyckeln "{tag}" saknas; den anger stegtypen: fixed, each, key, requisition '
            "eller remainder"
        )
        loc.append(tag)
    if kind == "extra_forbidden" and loc:
        message = f'okänd nyckel "{loc[-1]}"'
        known = known_keys(model, tuple(error["loc"])[:-1]) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if close:
            message += f" (menar du {close[0]}?)"
        elif known:
            message += f"; här finns: {', '.join(known)}"
    elif kind == "missing" and loc:
        message = f'nyckeln "{loc[-1]}" saknas'
    got = error.get("input")
    told = ("missing", "extra_forbidden", "invalid_key")  # the key is the value told
    if kind not in told and isinstance(got, str | int | float | bool):
        message += f' (fick "{got}")'
    hinted = ("int_type", "int_parsing", "int_or_word", "bool_type", "float_type")
    if kind in hinted and isinstance(got, str):
        message += _reading_hint(got, kind)
    return message, tuple(loc)


def _swedish_list(expected: str) -> str:
    """Pydantic's list of allowed values in Swedish: ``'a', 'b' or 'c'`` → ``'a', 'b' eller 'c'``.

    Pydantic joins the values with ", " and the last one with " or " (its text is English).
    """
    head, sep, tail = expected.rpartition(" or ")
    return f"{head} eller {tail}" if sep else expected


def number_union(first: Any, errors: list[Any]) -> Any:
    """A value of ``int | float`` (a ``where`` value) that is neither: tell that a number, not
    an integer, is expected; of ``int | Literal["rest"]`` (a step's amount): tell both.
    Pydantic reports each member of a union; the ``int`` one comes first."""
    raw = tuple(first["loc"])
    if first["type"] not in ("int_type", "int_parsing") or not raw or not is_member(raw[-1]):
        return first
    for other in errors:
        if tuple(other["loc"]) == (*raw[:-1], "float") and other["type"].startswith("float"):
            return {**other, "type": "float_type"}
    for other in errors:  # an amount or the word rest: say both
        same = tuple(other["loc"][:-1]) == raw[:-1]
        if same and other["type"] == "literal_error":
            return {**first, "type": "int_or_word", "ctx": other.get("ctx", {})}
    return first


def first_error(errors: list[Any]) -> Any:
    """The error to tell the reader about, of the ones pydantic found.

    A misspelt key gives two errors, the right key missing and the wrong one unknown: the
    unknown one is told (with "menar du …?"). For a union (a list of names or a group), the
    member the value got furthest into is told, not that the value is not a list.
    """
    for error in errors:
        if error["type"] != "missing":
            continue
        parent = error["loc"][:-1]
        for other in errors:
            if other["type"] == "extra_forbidden" and other["loc"][:-1] == parent:
                close = difflib.get_close_matches(
                    str(other["loc"][-1]), [str(error["loc"][-1])], n=1, cutoff=0.6
                )
                if close:
                    return other
    first = errors[0]
    raw = first["loc"]
    member = next(
        (i for i, part in enumerate(raw) if is_member(part)),
        None,
    )
    if member is not None:
        base = raw[:member]
        siblings = [e for e in errors if e["loc"][:member] == base and len(e["loc"]) > member]
        deepest = max(siblings, key=lambda e: len(e["loc"]))
        if len(deepest["loc"]) > len(raw):
            return deepest
    return first


def _reading_hint(text: str, kind: str = "int_type") -> str:
    """Why a value that looks like a number or a yes/no is text here (YAML 1.2 readings).

    The hint fits the type expected (``kind``): ``ja`` where true/false is expected is told to
    write true or false; where a number is (a ``where`` value, ``float_type``) to write 1 or 0,
    as a cell's ``ja``/``nej`` is read; where an amount is, nothing (ja is no amount).
    """
    stripped = text.strip()
    if stripped.lower() in ("yes", "no", "on", "off", "y", "n", "ja", "nej"):
        if kind == "bool_type":
            return "; skriv true eller false"
        if kind == "float_type":
            return "; ja och nej är text här: skriv talet 1 för ja eller 0 för nej"
        return ""
    if re.fullmatch(r"[-+]?0[0-9_]+", stripped):
        return "; en inledande nolla gör värdet till text (skriv talet utan nolla)"
    if re.fullmatch(r"[0-9]+(:[0-5]?[0-9])+", stripped):
        return "; tal med kolon läses inte som tal"
    if kind == "float_type":
        if re.fullmatch(r"[-+]?[0-9]+,[0-9]+", stripped):
            return "; skriv decimaltecknet som punkt, t.ex. 0.8"
        return ""
    if re.fullmatch(r"[0-9 _.,\u00a0]+", stripped):
        return "; skriv hela kronor utan mellanslag eller skiljetecken, t.ex. 1200000"
    return ""
