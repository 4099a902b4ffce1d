"""The layout's rules, checked on the source: layers import downward only, no private names
cross modules, modules and functions stay readable (README, "How the code is laid out")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top: a package may import from its own layer and the ones before it, never after.
LAYERS = ("newslib", "eval", "tasks", "flows", "newsflow", "benchmarks")
# The library knows nothing of the orchestrator or the command line.
NOT_IN_THE_LIBRARY = ("prefect", "prefect_dask", "typer", "rich")
# Tables of data, not code: exempt from the module length rule.
DATA_TABLES = {"newslib/text/languages.py", "newslib/text/number_words.py"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def source_files() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (ROOT / layer).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names imported from it, line) of every import in the file, nested ones too."""
    found: list[tuple[str, list[str], int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names], node.lineno))
    return found


def layer_of(module: str) -> int | None:
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def test_layers_import_downward_only() -> None:
    upward = []
    for path in source_files():
        own = layer_of(module_name(path))
        for module, _, line in imports_of(path):
            target = layer_of(module)
            if own is not None and target is not None and target > own:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert upward == []


def test_the_library_knows_nothing_of_prefect_or_the_command_line() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in (ROOT / "newslib").rglob("*.py")
        for module, _, line in imports_of(path)
        if module.split(".")[0] in NOT_IN_THE_LIBRARY
    ]
    assert found == []


def test_no_private_name_is_imported_from_another_module() -> None:
    ours = (*LAYERS, "tests")
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {name} from {module}"
        for path in [*source_files(), *(ROOT / "tests").glob("*.py")]
        for module, names, line in imports_of(path)
        if module.split(".")[0] in ours
        for name in names
        if name.startswith("_")
    ]
    assert found == []


def test_modules_stay_under_the_line_limit() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in source_files()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
        and path.relative_to(ROOT).as_posix() not in DATA_TABLES
    ]
    assert long == []


def test_functions_fit_on_a_screen() -> None:
    long = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {n} lines")
    assert long == []


@pytest.mark.parametrize("bad", ["from flows.pipeline import x", "import newsflow.cli"])
def test_an_upward_import_is_found(tmp_path: Path, bad: str) -> None:
    """The walk itself works: an import of a higher layer is seen as one."""
    probe = tmp_path / "probe.py"
    probe.write_text(f"def f():\n    {bad}\n")
    (module, _, _), *_ = imports_of(probe)
    level = layer_of(module)
    assert level is not None and level > LAYERS.index("tasks")
