"""libyaml's fast path (core.yamlio_strict.compose_fast) against the pure-Python StrictLoader:
the same data with the same types, the same node trees with the same marks, and for bad input
the same Swedish message and row, because it is StrictLoader that reports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gnvtools.core import yamlio, yamlio_strict
from gnvtools.core.yamlio_strict import StrictLoader, compose_fast
from gnvtools.errors import InputError
from gnvtools.project.init import init_project

ROOT = Path(__file__).resolve().parent.parent
PATH = Path("test.yaml")


def _pure(text: str) -> tuple[Any, yaml.Node | None]:
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _outcome(text: str, *, fast: bool = True) -> tuple[str, Any]:
    """What load_text makes of ``text`` (without the fast path: what it made before it)."""
    original = yamlio.compose_fast
    try:
        if not fast:
            yamlio.compose_fast = lambda _text: None  # type: ignore[assignment]
        return "ok", yamlio.load_text(text, PATH)
    except InputError as exc:
        return "error", (str(exc), exc.row)
    finally:
        yamlio.compose_fast = original  # type: ignore[assignment]


def _typed(value: Any) -> Any:
    """``value`` with each scalar's type beside it, so 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return {_typed(key): _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _tree(node: yaml.Node | None) -> Any:
    """A node tree as plain data: kind, tag, style, value and both marks (line and column)."""
    if node is None:
        return None
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.style, node.value, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, node.flow_style, marks, [_tree(item) for item in node.value])
    pairs = [(_tree(key), _tree(value)) for key, value in node.value]
    return ("map", node.tag, node.flow_style, marks, pairs)


def _assert_same(text: str) -> None:
    """The fast path, where it answers, gives exactly StrictLoader's data and tree; and
    load_text's outcome (data or message and row) is the pure path's."""
    fast = compose_fast(text)
    if fast is not None:
        data, node = _pure(text)
        assert _typed(fast[0]) == _typed(data)
        assert _tree(fast[1]) == _tree(node)
    kind, got = _outcome(text)
    pure_kind, pure = _outcome(text, fast=False)
    assert kind == pure_kind
    if kind == "ok":
        assert _typed(got[0]) == _typed(pure[0])
        assert _tree(got[1]) == _tree(pure[1])
    else:
        assert got == pure


def _shipped() -> list[Path]:
    found = [
        *ROOT.glob("parameters/**/*.yaml"),
        *ROOT.glob("gnvtools/data/**/*.yaml"),
        *ROOT.glob("gnvtools/project/**/*.yaml"),
        *ROOT.glob("tests/**/*.yaml"),
        *ROOT.glob("examples/**/*.yaml"),
    ]
    return sorted(found)


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_yaml_file_reads_the_same_by_both_paths(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    assert compose_fast(text) is not None, "a shipped file should take the fast path"
    _assert_same(text)
    _assert_same(text.replace("\n", "\r\n"))  # as saved on Windows


def test_the_shipped_files_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _shipped()}
    assert {"parameters/stockholm/2025.yaml", "gnvtools/data/regimes.yaml"} <= names
    assert _typed({"a": 1}) != _typed({"a": 1.0}) and _typed([True]) != _typed([1])


@pytest.mark.parametrize(
    ("name", "year"), [("Umeå kommun", 2026), ("Region Jämtland Härjedalen", 2025)]
)
def test_the_project_templates_read_the_same_by_both_paths(
    tmp_path: Path, name: str, year: int
) -> None:
    written = init_project(tmp_path / "p", name, year)
    texts = [p.read_text("utf-8") for p in written if p.suffix == ".yaml"]
    assert len(texts) == 2  # gnv.yaml and the year's parameter file
    for text in texts:
        assert compose_fast(text) is not None
        _assert_same(text)


BAD = {
    "tab": "a:\n\tb: 1\n",
    "tab after colon": "a:\t1\n",
    "tab in flow": "a: [1,\t2]\n",
    "byte-order mark inside": "a: 1\n\ufeffb: 2\n",
    "control character": "a: 1\nb: x\x07y\n",
    "lone surrogate escape": 'a: "\\ud800"\n',
    "NEL": "a: 1\x85b: 2\n",
    "line separator": "a: x\u2028y\nb: 2\n",
    "lone CR": "a: 1\rb: 2\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "start marker": "---\na: 1\n",
    "directive": "%YAML 1.2\n---\na: 1\n",
    "unhashable key": "? [1, 2]\n: x\n",
    "unhashable flow key": "{[1]: 2}\n",
    "bare tag": "a: !tagg 1\n",
    "str tag": "a: !!str 012\n",
    "non-specific tag": "a: ! 5\n",
    "impossible date": "a: 2025-02-30\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate key deep": "a:\n  x: 1\n  x: 2\n",
    "alias": "a: &x 1\nb: *x\n",
    "merge key": "a: {x: 1}\nb:\n  <<: {y: 2}\n",
    "colon in value": "a: b: c\n",
    "bad indent": "a:\n  b: 1\n c: 2\n",
    "bad list indent": "a:\n  - 1\n - 2\n",
    "open quote": 'a: "abc\n',
    "open flow map": "a: {b: 1\n",
    "key without colon": "a: 1\nb\nc: 2\n",
    "long key": "k" * 1100 + ": 1\n",
    "flow colon": "a: {b:1}\n",
    "flow single pair": "a: [b: 1, ? c, : d]\n",
    "question key": "? a\n: 1\n",
    "empty": "",
    "only comment": "# bara en kommentar\n",
    "null document": "~\n",
    "scalar document": "hej\n",
    "block scalars": "a: |\n  rad 1\n   rad 2\nb: >-\n  en\n  två\n\nc: |+\n  x\n\n",
    "indentation indicator": "a: |2\n   x\n  y\n",
    "multi-line plain": "a: en\n  lång text\n\n  med stycke\n",
    "exclamation in text": "a: Obs! viktigt\nb: '!x'\n",
    "deep flow": "a: " + "[" * 150 + "]" * 150 + "\n",
    "deep block": "".join("  " * i + f"k{i}:\n" for i in range(120)) + "  " * 120 + "x: 1\n",
    "deep dashes": "- " * 3000 + "x\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\n",
    "no final newline": "a: 1\nb: [1, 2]",
    "escapes": 'a: "\\x41\\u00e5\\N\\_\\/\\t\\"x"\n',
    "invalid escape": 'a: "\\q"\n',
    "bare non-specific tag": "\n!\n",
    "indentless list": "k:\n- a\n- b\nl:\n  - c\n",
    "empty value in flow": "r: {group: ,districts}\n",
    "comment after block indicator": "k: >#\n  x\n",
    "question mark in flow": "a: [al?b, c]\n",
    "question mark quoted in flow": '- {s: "Vad gäller?", t: x?y}\n',
    "Swedish": "Region Jämtland Härjedalen:\n  belopp: 1\n  text: 'Åsa öl'\n",
}


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_odd_and_bad_input_gives_todays_data_or_message(text: str) -> None:
    _assert_same(text)


def test_errors_and_risky_texts_leave_the_fast_path() -> None:
    for name in ("tab", "two documents", "bare tag", "impossible date", "duplicate key", "alias"):
        assert compose_fast(BAD[name]) is None, name
    assert compose_fast(BAD["question mark in flow"]) is None
    for name in ("Swedish", "indentless list", "block scalars", "crlf"):
        assert compose_fast(BAD[name]) is not None, name


def test_size_and_depth_leave_the_fast_path() -> None:
    big = "a:\n" + "  - 1\n" * (yamlio_strict.FAST_MAX_CHARS // 6 + 1)
    assert compose_fast(big) is None
    assert len(_pure(big)[0]["a"]) == yamlio_strict.FAST_MAX_CHARS // 6 + 1
    assert compose_fast("a: " + "[" * 40 + "]" * 40 + "\n") is not None
    assert compose_fast("a: " + "[" * 120 + "]" * 120 + "\n") is None  # deeper than FAST_MAX_DEPTH
    assert compose_fast("- " * 30_000 + "x\n") is None  # libyaml would recurse too deep in C


def test_dense_texts_stay_under_the_node_limit() -> None:
    """compose_fast's sizing: the densest texts known make three nodes from two characters, so
    libyaml composes fewer than MAX_NODES before the fast path counts them."""
    dense = ["[" + "?," * 1000 + "]", "{" + "?," * 1000 + "}", "[" + "[?]," * 500 + "]"]
    dense += ["- " * 100 + "x", "? " * 100 + "x", "-\n" * 1000, "[" + "{a}," * 1000 + "]"]
    for text in dense:
        tree = repr(_tree(StrictLoader(text).get_single_node()))
        count = sum(tree.count(f"('{kind}'") for kind in ("scalar", "seq", "map"))
        assert count * 2 <= len(text) * 3, text[:10]
    assert yamlio_strict.FAST_MAX_CHARS * 3 // 2 < yamlio_strict.MAX_NODES


# Small documents of the kinds parameter files hold.
_WORD = st.text(alphabet="abcxyzåäöÅÄÖé_ -.", min_size=1, max_size=8).map(str.strip).filter(bool)
_PLAIN = st.one_of(
    _WORD,
    st.sampled_from(["yes", "no", "on", "off", "true", "False", "null", "~", "Null", "0", "-0"]),
    st.sampled_from(["0123", "007", "1_000", "13:20", "1e3", "1.5", ".5", "+7", "-12", "0x1F"]),
    st.sampled_from(["2025-01-31", "2025-02-30", "2025-1-5", "2024-02-29", "2025-13-01"]),
    st.sampled_from(["2025-01-31 12:00", "2025-01-31T12:00:00Z", "12 %", "a#b", "Obs!"]),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)


def _quoted(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        ['"' + word.replace('"', '\\"') + '"', "'" + word.replace("'", "''") + "'"]
    )


_TEXT = st.text(alphabet="ab: #,-'\"[]{}åÖ€1", max_size=10)
_SCALAR = st.one_of(_PLAIN, _TEXT.flatmap(_quoted), st.just(""), _PLAIN.map(lambda w: w + ": x"))


def _block(depth: int) -> st.SearchStrategy[list[str]]:
    """Lines of a block node at ``depth`` levels of two spaces."""
    pad = "  " * depth
    scalar_line = _SCALAR.map(lambda v: [v])
    if depth >= 3:
        return scalar_line
    child = st.deferred(lambda: _block(depth + 1))
    key = st.one_of(_WORD, _WORD.flatmap(_quoted), st.integers(0, 99).map(str))
    value = st.one_of(_SCALAR.map(lambda v: ("inline", v)), child.map(lambda c: ("block", c)))

    def lines(entries: list[tuple[str, tuple[str, Any]]]) -> list[str]:
        out = []
        for head, (kind, part) in entries:
            if kind == "inline":
                out.append(f"{pad}{head} {part}".rstrip())
            else:
                out.append(pad + head)
                out.extend(_indent(part, pad + "  "))
        return out

    pair = st.tuples(key.map(lambda k: k + ":"), value)
    item = st.tuples(st.just("-"), value)
    flow = st.lists(_SCALAR, max_size=4).map(
        lambda vs: ["[" + ", ".join(v or "''" for v in vs) + "]"]
    )
    return st.one_of(
        scalar_line,
        flow,
        st.lists(pair, min_size=1, max_size=4).map(lines),
        st.lists(item, min_size=1, max_size=4).map(lines),
    )


def _indent(lines: list[str], pad: str) -> list[str]:
    """A child's lines under its parent (the child's own lines start at column 0)."""
    return [line if line.startswith(pad) else pad + line.lstrip() for line in lines]


_COMMENT = st.sampled_from(["", "  # kommentar", " #x"])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines = draw(_block(0))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [line + draw(_COMMENT) if line.strip() and "#" not in line else line for line in lines]
    return ending.join(lines) + draw(st.sampled_from(["", ending, ending, ending]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_generated_documents_read_the_same_by_both_paths(text: str) -> None:
    _assert_same(text)


# Pieces of YAML's syntax, strung together at random: mostly bad input, some of it odd but valid.
_PIECES = [*"ab-?:,[]{}|>#'\"!%&*\t", "k: ", "- ", "? ", "\n", "\n  ", "\n- ", "\n  k:", "  "]
_PIECES += ["'q\n r'", '"d\\\n e"', "|-", ">+", "|2", " #c", "---", "...", "!!str ", "<<: ", "\r\n"]
_PIECES += ["12", "0.5", "2025-01-02", "yes", "null", "é", "\ufeff", "\x85", "\x07", "1:2", "~"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=24), st.booleans())
def test_strings_of_yaml_syntax_read_the_same_by_both_paths(pieces: list[str], end: bool) -> None:
    _assert_same("".join(pieces) + ("\n" if end else ""))


def test_the_package_rules_file_reads_as_yaml_safe_load_did() -> None:
    """regimes.yaml is read by PyYAML's safe loader (YAML 1.1) with libyaml's parser: the same
    data, types included, as yaml.safe_load gave."""
    from gnvtools.core.regimes import SAFE_LOADER

    text = (ROOT / "gnvtools/data/regimes.yaml").read_text("utf-8")
    assert _typed(yaml.load(text, Loader=SAFE_LOADER)) == _typed(yaml.safe_load(text))


def test_a_control_character_is_named_with_its_row() -> None:
    with pytest.raises(InputError) as caught:
        yamlio.load_text("a: 1\nb: x\x07y\n", PATH)
    assert caught.value.row == 2
    assert "otillåtna tecken (styrtecken)" in str(caught.value)
