"""Where in a parameter file a problem is: pydantic's error locations as the file's key paths,
the YAML node (and so the line) at a key path, the named items it passes through ("i steget
"Platser""), and the keys a mapping there may hold.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

STEP_KINDS = {"fixed", "each", "key", "requisition", "remainder"}
UNION_MEMBERS = {"int", "str", "float", "bool", "Selection", "constrained-int"}


def node_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """Follow a pydantic error location through the composed YAML to find its line.

    A location ending in a key gives the key's own node (``received:`` rather than the first
    line of the mapping under it); a key that is not there gives the mapping that lacks it.
    """
    for index, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pair: tuple[yaml.Node, yaml.Node] | None = next(
                ((k, v) for k, v in node.value if k.value == part), None
            )
            if pair is None:
                return node
            if index == len(loc) - 1:
                return pair[0]
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            node = node.value[part]
        else:
            return node
    return node


def readable_loc(raw: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """A pydantic error location as keys in the file: ``pots.0.steps.0.key.places``.

    Pydantic adds, for unions, the step kind right after a step's index and member names such
    as ``int`` or ``literal['rest']``; they are not keys in the file. Only the part right after
    ``steps.N`` is a kind: in ``steps.0.key.key.places`` the second ``key`` is the step's key.
    """
    loc: list[int | str] = []
    for index, part in enumerate(raw):
        if isinstance(part, str):
            if is_member(part):
                continue
            after_step = (
                index >= 2 and isinstance(raw[index - 1], int) and raw[index - 2] == "steps"
            )
            if part in STEP_KINDS and after_step:
                continue
        loc.append(part)
    return tuple(loc)


def _members(annotation: Any) -> list[Any]:
    """The types an annotation allows: ``Annotated``, unions and ``None`` unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _members(arg)]
    return [] if annotation is type(None) else [annotation]


def known_keys(model: type[BaseModel] | None, raw: tuple[int | str, ...]) -> list[str]:
    """The keys a mapping at pydantic location ``raw`` may hold (for "menar du …?")."""
    current: list[Any] = [model] if model is not None else []
    for part in raw:
        following: list[Any] = []
        for annotation in current:
            for member in _members(annotation):
                origin = get_origin(member)
                if isinstance(part, int) and origin is list:
                    following += list(get_args(member))
                elif isinstance(part, str) and origin is dict:
                    following.append(get_args(member)[1])
                elif isinstance(part, str) and isinstance(member, type):
                    if not issubclass(member, BaseModel):
                        continue
                    kind = member.model_fields.get("kind")
                    if member.__name__ == part or (
                        kind is not None and get_args(kind.annotation) == (part,)
                    ):
                        following.append(member)  # a union member or a step kind tag
                    elif part in member.model_fields:
                        following.append(member.model_fields[part].annotation)
        current = following
    keys: list[str] = []
    for annotation in current:
        for member in _members(annotation):
            if isinstance(member, type) and issubclass(member, BaseModel):
                keys += [k for k in member.model_fields if k not in keys]
    return keys


def is_member(part: int | str) -> bool:
    """``int``, ``Selection``, ``list[str]``: a union member pydantic names in a location."""
    return isinstance(part, str) and ("[" in part or part in UNION_MEMBERS)


# What an item of a list is called in a sentence: "i steget "Rekvisition" (potten "2025")".
_ITEM_WORDS = {"pots": "potten", "steps": "steget", "recipients": "gruppen"}


def named_path(node: yaml.Node | None, loc: tuple[int | str, ...]) -> str:
    """The named items a key path passes through, for a reader who counts by name, not by 0:
    ``pots.1.steps.0.key`` → ``; i steget "Platser" (potten "Statsbidrag 2023")``."""
    names: list[str] = []
    for index, part in enumerate(loc):
        if not isinstance(part, int) or index == 0 or loc[index - 1] not in _ITEM_WORDS:
            continue
        item = node_at(node, loc[: index + 1])
        if isinstance(item, yaml.MappingNode):
            label = next(
                (
                    v.value
                    for k, v in item.value
                    if k.value in ("name", "group") and isinstance(v, yaml.ScalarNode)
                ),
                None,
            )
            if label:
                names.append(f'{_ITEM_WORDS[str(loc[index - 1])]} "{str(label)[:60]}"')
    if not names:
        return ""
    inner, *outer = reversed(names)
    return f"; i {inner}" + (f" ({', '.join(outer)})" if outer else "")
