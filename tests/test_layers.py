"""The package's folders are its layers, and no import runs back up.

core/ (pure: parameters, money, model, follow-up, figures, tables) → reports/ (documents from
figures) → publish/ (executing notebooks, renderers per format, records) → project/ → the
command line (``cli``, ``settings``). A module may import its own layer and the ones before
it, never a later one: at module level, inside a function, relatively, or by a literal
``importlib.import_module``. And only the command line reads ``GNV_*`` variables.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gnvtools"

#: Layer of each top-level part of the package; a module may import only layers <= its own.
LAYERS = {
    "gnvtools": 0,  # the package itself: __version__
    "errors": 0,  # the one error hierarchy, shared by all
    "core": 1,
    "reports": 2,
    "publish": 3,
    "project": 4,
    "settings": 5,
    "commands": 5,  # the commands gnvtools.cli runs
    "cli": 5,
}
#: The only files allowed to name a GNV_* variable.
SETTINGS_FILES = {"cli.py", "settings.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    """The layer of a ``gnvtools`` module; ``None`` for anything outside the package."""
    parts = module.split(".")
    if parts[0] != "gnvtools":
        return None
    if len(parts) == 1:
        return LAYERS["gnvtools"]
    if parts[1] not in LAYERS:
        raise AssertionError(f"{module}: a part of gnvtools with no layer; add it to LAYERS")
    return LAYERS[parts[1]]


def imports_of(path: Path, here: str) -> list[tuple[int, str]]:
    """Every module ``path`` (the module ``here``) imports (line, dotted name), wherever the
    import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                anchor = ".".join(base + ([node.module] if node.module else []))
            else:
                anchor = node.module or ""
            found.append((node.lineno, anchor))
            # ``from gnvtools import publish``: the names may be modules themselves
            found += [(node.lineno, f"{anchor}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in ("importlib.import_module", "import_module", "__import__") and (
                node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((node.lineno, node.args[0].value))
    return found


def upward_imports(path: Path, here: str | None = None) -> list[str]:
    """``file:line imports X (a later layer)`` for each import of a later layer."""
    here = here or module_name(path)
    own = layer_of(here)
    assert own is not None
    problems = []
    named: set[tuple[int, str]] = set()
    for line, target in imports_of(path, here):
        if (line, target.rpartition(".")[0]) in named:
            continue  # ``from X import name`` where X itself is named already
        try:
            theirs = layer_of(target)
        except AssertionError:  # ``from gnvtools import __version__``: a name, not a part
            theirs = None
        if theirs is not None and theirs > own:
            named.add((line, target))
            shown = here.replace(".", "/") + ".py"
            problems.append(f"{shown}:{line} imports {target} (a later layer)")
    return problems


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_import_runs_back_up(path: Path) -> None:
    assert upward_imports(path) == []


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {
        p.name.removesuffix(".py")
        for p in PACKAGE.iterdir()
        if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())
    }
    parts.discard("__init__")
    assert parts <= set(LAYERS), parts - set(LAYERS)


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    """The test itself can fail: function-level, relative and importlib imports are seen."""
    source = (
        "import importlib\n"
        "from .. import cli\n"
        "def f():\n"
        "    from gnvtools.publish.manifest import plan_files\n"
        "    importlib.import_module('gnvtools.project.config')\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    problems = upward_imports(probe, "gnvtools.core.probe")
    assert [p.split(" imports ")[1] for p in problems] == [
        "gnvtools.cli (a later layer)",
        "gnvtools.publish.manifest (a later layer)",
        "gnvtools.project.config (a later layer)",
    ]


def test_only_the_command_line_names_gnv_variables() -> None:
    """``rg GNV_ gnvtools`` finds the variables only in ``cli.py`` and ``settings.py``."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.relative_to(PACKAGE).as_posix() in SETTINGS_FILES:
            continue
        if b"GNV_" in path.read_bytes():
            found.append(path.relative_to(PACKAGE).as_posix())
    assert found == []


def test_settings_are_read_once_from_the_environment() -> None:
    """Each variable read into one frozen value; gnv.yaml fills only what the environment
    leaves open; the layers below get explicit values."""
    import os
    from dataclasses import FrozenInstanceError
    from types import SimpleNamespace

    from gnvtools.settings import Settings

    env = {
        "GNV_DATA_ROOTS": os.pathsep.join(["/delad/a", " ", "/delad/b"]),
        "GNV_NOTEBOOKS": "/egna/anteckningsbocker",
        "GNV_ENGINE": "kernel",
        "GNV_BROWSER": "chromium",
        "GNV_DEBUG": "1",
    }
    settings = Settings.from_environment(env)
    assert settings.data_roots == ("/delad/a", "/delad/b")
    assert settings.options().data_roots == ("/delad/a", "/delad/b")
    running = settings.with_project(SimpleNamespace(browser="edge", browser_timeout=5)).running()
    assert (running.notebooks, running.engine, running.browser) == (
        Path("/egna/anteckningsbocker"),
        "kernel",
        "chromium",  # the environment wins over gnv.yaml
    )
    assert (running.browser_timeout, running.debug) == ("5", True)  # gnv.yaml fills the rest
    defaults = Settings.from_environment({}).running()
    assert (defaults.notebooks, defaults.engine, defaults.browser, defaults.debug) == (
        None,
        "warm",
        None,
        False,
    )
    with pytest.raises(FrozenInstanceError):
        settings.engine = "warm"  # type: ignore[misc]
