"""The Swedish a reader of a memo expects, checked over every section of every example report.

Each report's sections are produced exactly as its notebook produces them (the notebook's own
cells, evaluated without a kernel), so a new section or example is covered without listing it.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter

import pytest

from gnvtools.core.formatting import plain

from .conftest import PARAMS, ROOT

REPORTS = [
    ("allocation_memo.ipynb", "stockholm/2025.yaml"),
    ("allocation_memo.ipynb", "stockholm/2023.yaml"),
    ("allocation_memo.ipynb", "jamtland/2025.yaml"),
    ("allocation_memo.ipynb", "national/2025-kommuner.yaml"),
    ("year_end_followup.ipynb", "stockholm/2025.yaml"),
    ("year_end_followup.ipynb", "stockholm/2023.yaml"),
    ("multi_year_comparison.ipynb", "stockholm/comparison-2023-2025.yaml"),
]
JARGON = ["pott", "sista kronan", "fördelad till sista", "None", "nan"]
CODE = re.compile(r"\b[a-z]+(?:-[a-z]+){1,3}\b")  # pot-unplaced, budget-exceeds-received
ALLOWED_HYPHENATED = {"e-tjänst", "lss-hälsan", "sol-hälsan", "e-tjänsten"}


def report_text(notebook: str, params: str) -> list[str]:
    """The plain text of every cell's result, in order (what the HTML shows, without tables)."""
    nb = json.loads((ROOT / "gnvtools/notebooks" / notebook).read_text(encoding="utf-8"))
    namespace: dict[str, object] = {"params_file": str(PARAMS / params)}
    texts: list[str] = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
            continue
        source = "".join(cell["source"])
        tree = ast.parse(source)
        *body, last = tree.body
        exec(compile(ast.Module(body=body, type_ignores=[]), "<cell>", "exec"), namespace)
        if isinstance(last, ast.Expr):
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            texts.append(plain(repr(value)))
        else:
            exec(compile(ast.Module(body=[last], type_ignores=[]), "<cell>", "exec"), namespace)
    return texts


def sentences(texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip().removeprefix("- ").strip()
            # "12 kap. 1 §" is one reference, not two sentences.
            out += [s for s in re.split(r"(?<=[.!?])(?<!kap\.)\s+", line) if s]
    return out


@pytest.fixture(scope="module", params=REPORTS, ids=lambda r: f"{r[0]}:{r[1]}")
def report(request: pytest.FixtureRequest) -> list[str]:
    return sentences(report_text(*request.param))


def test_no_sentence_opens_with_a_digit(report: list[str]) -> None:
    # Headings like "Steg 1." and list items of the areas are not sentences of prose.
    bad = [s for s in report if s[0].isdigit() and not re.match(r"^\d{4}[:( ]", s)]
    assert bad == []


def test_no_code_jargon_or_internal_codes(report: list[str]) -> None:
    text = " ".join(report)
    for word in JARGON:
        assert not re.search(rf"\b{re.escape(word)}", text, re.IGNORECASE), word
    codes = {c for c in CODE.findall(text) if c.lower() not in ALLOWED_HYPHENATED}
    codes = {c for c in codes if not re.search(r"[åäö]", c)}
    assert codes <= {"sfs", "ram"} or not codes, codes


def test_negative_amounts_use_the_minus_sign(report: list[str]) -> None:
    assert not re.search(r"(?<![\w\d])-\d", " ".join(report))


def test_no_sentence_is_repeated(report: list[str]) -> None:
    # A citation after each of two rules from the same section is not a repeated sentence.
    long_sentences = [s for s in report if len(s) > 60 and not s.startswith("(Källa:")]
    repeated = [s for s, n in Counter(long_sentences).items() if n > 1]
    assert repeated == []
