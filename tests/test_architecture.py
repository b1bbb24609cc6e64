"""The folder tree is the pipeline: imports flow one way, from the shared
root model through the stages to the command line (ARCHITECTURE.md).

These tests read the source, so a wrong import fails here even when it sits
inside a function that no other test calls."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# lowest first; a module may import its own layer and the layers before it
LAYERS = ["root", "enrich", "ingest", "site", "serve", "cli"]


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[:2] == ["generator", "cli"] or parts[:2] == ["generator", "__main__"]:
        return "cli"
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1] if parts[1] in LAYERS else "root"
    return "root"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every Gazette module `path` imports, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                      if (PACKAGE.parent / f"{node.module}.{alias.name}".replace(".", "/")).is_dir()
                      or (PACKAGE.parent / (f"{node.module}.{alias.name}".replace(".", "/") + ".py")).is_file()]
    return [(line, name) for line, name in found if name == "generator" or name.startswith("generator.")]


SOURCES = sorted(PACKAGE.rglob("*.py"))


def later_imports(path: Path, module: str) -> list[str]:
    here = layer_of(module)
    return [f"{module}:{line}: imports {name} ({layer_of(name)} comes after {here})"
            for line, name in imported(path) if LAYERS.index(layer_of(name)) > LAYERS.index(here)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_imports_a_later_stage(path):
    wrong = later_imports(path, module_name(path))
    assert not wrong, "\n".join(wrong)


def test_the_planner_imports_no_indexer():
    names = {name for _, name in imported(PACKAGE / "site" / "views.py")}
    assert "generator.site.search" not in names


def test_layers_are_the_folders():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"data"}
    assert folders == set(LAYERS) - {"root", "cli"}


def test_the_checker_sees_a_wrong_import(tmp_path):
    # the test above must be able to fail: a lazy import of a later stage is caught
    source = tmp_path / "library.py"
    source.write_text("from generator.records import parse_record\n\n"
                      "def preview():\n    from generator.serve import preview\n", encoding="utf-8")
    wrong = later_imports(source, "generator.site.library")
    assert wrong and all(v.startswith("generator.site.library:4: imports generator.serve") for v in wrong)
    assert later_imports(source, "generator.serve.watch") == []
