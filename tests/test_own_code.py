"""This repository's own code stays easy to change: linted and typed, modules small enough
to read at once, no import circle in the package, and tests that share helpers through
helper modules, never through one another."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.support import ROOT

PACKAGE = ROOT / "src" / "gov_service_template"
LONGEST_MODULE = 400  # lines


def modules(folder: Path) -> Iterator[Path]:
    yield from (path for path in sorted(folder.rglob("*.py")) if "__pycache__" not in path.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The package's modules this file imports (relative imports resolved), wherever the
    import is written: inside functions and under TYPE_CHECKING too. `from a import b`
    imports the module a.b when there is one, and otherwise a name from a."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return (found & known) - {name}


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in modules(PACKAGE) if "programs" not in path.parts}
    return {name: imported_modules(path, set(paths)) for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle, found by a depth-first walk (a path back to where it started)."""
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for imported in sorted(graph[node]):
                if imported == start:
                    found.append([*path, start])
                elif imported not in path and imported > start:
                    stack.append((imported, [*path, imported]))
    return found


def test_the_tools_are_ruff_clean_and_typed() -> None:
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        result = subprocess.run(
            [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"


def test_no_module_of_the_tools_is_longer_than_a_reader_holds() -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines()) for path in modules(PACKAGE)
    }
    longest = max(lengths, key=lengths.__getitem__)
    print(f"\nlongest module: {longest}, {lengths[longest]} lines (limit {LONGEST_MODULE})")

    assert {path: n for path, n in lengths.items() if n > LONGEST_MODULE} == {}


def test_the_package_has_no_import_circle() -> None:
    graph = import_graph()

    assert graph["gov_service_template.fleet.update"] >= {
        "gov_service_template.fleet.pull_requests"
    }  # the graph is read: the fleet's update opens pull requests
    assert circles(graph) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert circles(graph) == [["a", "b", "c", "a"]]


def test_no_test_module_imports_another() -> None:
    """Here and in the service the template makes: shared helpers live in helper modules
    (support.py, helpers.py, journeys.py, ...), never in a module of tests."""
    importing = {}
    for folder in (ROOT / "tests", ROOT / "template" / "tests"):
        for path in folder.rglob("*.py*"):
            if path.suffix not in (".py", ".jinja") or "__pycache__" in path.parts:
                continue
            for line in path.read_text().splitlines():
                words = line.replace(",", " ").split()
                if len(words) < 2 or words[0] not in ("from", "import"):
                    continue
                # `from tests.x import test_y` names a module too.
                names = [words[1].rsplit(".", 1)[-1], *words[3:]]
                if any(name.startswith("test_") for name in names):
                    importing[str(path.relative_to(ROOT))] = line.strip()

    assert importing == {}
