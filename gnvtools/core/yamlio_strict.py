"""The strict YAML loaders behind ``core.yamlio``: one schema, two parsers.

``StrictLoader`` is PyYAML's pure-Python reader, scanner, parser and composer; it refuses
aliases and anchors while composing and counts nodes. ``compose_fast`` runs libyaml's C parser
and composer instead (about ten times faster) with the same resolvers and the same strict
constructor, but only on texts where both parsers are known to give the same nodes and marks;
it returns None otherwise, and any error it meets is left for ``StrictLoader`` to report, so
every message comes from the same code as before.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: every text takes the pure-Python path
    CParser = None  # type: ignore[assignment,misc]

MAX_NODES = 200_000
FAST_MAX_CHARS = 100_000  # larger texts take the pure-Python path
FAST_MAX_NESTING = 2_000  # bound on nesting libyaml may see (its composer recurses in C)
FAST_MAX_DEPTH = 100  # deeper trees go to the pure-Python path, which may run out of recursion


class Refused(yaml.MarkedYAMLError):
    """A construct this loader does not accept; ``problem`` is already Swedish."""


def _refused(problem: str, mark: Any) -> Refused:
    return Refused(None, None, problem, mark)


class StrictResolver(BaseResolver):
    """YAML 1.2's core schema (filled below), instead of PyYAML's YAML 1.1 resolvers."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012  (filled below)


StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp", re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), list("0123456789")
)
StrictResolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


class StrictConstructor(SafeConstructor):
    """SafeConstructor refusing merge keys and a key written twice in one mapping."""

    def flatten_mapping(self, node: Any) -> None:
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _refused(
                    "sammanslagningsnyckeln << stöds inte; skriv ut nycklarna", key_node.start_mark
                )

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: PyYAML reports it below
                    continue
                if first is not None:
                    raise _refused(
                        f'nyckeln "{key}" förekommer två gånger (första gången på rad {first})',
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark.line + 1
        return SafeConstructor.construct_mapping(self, node, deep=deep)


class StrictLoader(Reader, Scanner, Parser, Composer, StrictConstructor, StrictResolver):
    """The pure-Python loader: YAML 1.2 core schema, no aliases, no duplicate keys, bounded."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        StrictConstructor.__init__(self)
        StrictResolver.__init__(self)
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _refused(
                "alias (*namn) stöds inte i parameterfiler; skriv ut värdet där det behövs",
                event.start_mark,
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None):
            raise _refused(
                "ankare (&namn) stöds inte i parameterfiler; skriv ut värdet där det behövs",
                event.start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _refused(
                f"filen har fler än {MAX_NODES} värden; den är för stor", event.start_mark
            )
        return Composer.compose_node(self, parent, index)


if CParser is not None:

    class FastLoader(CParser, StrictConstructor, StrictResolver):
        """libyaml's parser and composer with the strict schema; only through ``compose_fast``."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            StrictConstructor.__init__(self)
            StrictResolver.__init__(self)


# What the fast path leaves to StrictLoader, where the parsers are known to differ. Anchors,
# aliases and merge keys ("&", "*", "<<": refused while composing, which libyaml cannot do);
# tabs (libyaml accepts some that PyYAML refuses); the line breaks NEL, LS and PS and a lone CR
# (lines counted differently); a byte-order mark inside the text; a tag (a "!" starting a token:
# a bare "!" resolves differently); an empty value before "," "}" or "]" (its mark differs); a
# "#" right after a block scalar's "|" or ">" and its indicators (PyYAML refuses it). A "?" in
# a plain scalar inside a flow collection is found in the tree (``_as_pure``).
# Every character PyYAML's reader refuses is found by its own Reader.NON_PRINTABLE.
_RISKY = re.compile(
    r"[&*\t\x85\u2028\u2029\ufeff]|<<|\r(?!\n)|(?:^|[\s,\[\]{}])!|:\s*[,}\]]|[|>][-+0-9]*#"
)


def _nesting_bound(text: str) -> int:
    """An upper bound on how deep ``text``'s nodes can nest.

    A block collection inside another starts at a greater column, or is a sequence at its parent
    mapping's column whose items then start further right: two levels per column at most. Flow
    collections cannot hold block ones, and each ``[`` or ``{`` opens at most two levels (a list
    and a one-pair mapping ``[a: b]`` in it)."""
    longest = max((len(line) for line in text.splitlines()), default=0)
    return 2 * (longest + 1) + 2 * (text.count("[") + text.count("{")) + 2


def _as_pure(node: Any) -> bool:
    """Whether StrictLoader would compose the same tree, made the same: at most MAX_NODES nodes,
    at most FAST_MAX_DEPTH levels, and no plain scalar with a "?" inside a flow collection
    (PyYAML's scanner ends the scalar there, libyaml's does not). A plain scalar's style and an
    indentless sequence's flow style are set to None, as PyYAML leaves them."""
    count = 0
    stack = [(node, 1, False)]
    while stack:
        item, depth, in_flow = stack.pop()
        count += 1
        if count > MAX_NODES or depth > FAST_MAX_DEPTH:
            return False
        if isinstance(item, yaml.ScalarNode):
            if item.style == "":
                item.style = None
                if in_flow and "?" in item.value:
                    return False
            continue
        inner = in_flow or item.flow_style is True
        if isinstance(item, yaml.SequenceNode):
            stack.extend((child, depth + 1, inner) for child in item.value)
            continue
        for key, value in item.value:
            stack.append((key, depth + 1, inner))
            stack.append((value, depth + 1, inner))
            if _indentless(item, value):
                value.flow_style = None  # libyaml's is False
    return True


def _indentless(mapping: Any, value: Any) -> bool:
    """Whether ``value`` is a block sequence written at its block mapping's own indentation
    (``key:`` then ``- item`` below ``key``): PyYAML gives such a sequence no flow style."""
    return (
        isinstance(value, yaml.SequenceNode)
        and value.flow_style is False
        and mapping.flow_style is False
        and value.start_mark.column == mapping.start_mark.column
    )


def _fits(text: str) -> bool:
    """Whether libyaml may read ``text``: small, shallow, nothing risky, and ending in a line
    break (without one libyaml ends the last nodes a line further down)."""
    return (
        CParser is not None
        and len(text) <= FAST_MAX_CHARS
        and (text == "" or text.endswith("\n"))
        and not _RISKY.search(text)
        and not Reader.NON_PRINTABLE.search(text)
        and _nesting_bound(text) <= FAST_MAX_NESTING
    )


def compose_fast(text: str) -> tuple[Any, yaml.Node | None] | None:
    """``text``'s data and node tree by libyaml, or None: then StrictLoader must read it (the
    text is outside what the fast path handles, or it holds an error StrictLoader reports).

    The text has at most FAST_MAX_CHARS characters, so libyaml composes fewer than MAX_NODES
    nodes before they are counted (each node takes a character of its own, or shares an
    indicator with one other: the densest texts, ``[?,?,…]``, make three nodes from two
    characters); the count is then exact. The nesting bound keeps libyaml's recursive composer
    far from the end of the C stack (it crashes the process at some 40 000 levels)."""
    if not _fits(text):
        return None
    loader = FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and not _as_pure(node):
            return None
        return (loader.construct_document(node) if node is not None else None), node
    except Exception:  # any error: StrictLoader reads the text again and says what it is
        return None
    finally:
        loader.dispose()
