"""The quality bar, checked by the test suite: ruff and mypy (strict) are clean,
every public function and class has a docstring, and py.typed ships."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograd"


def _tool(name: str) -> list[str]:
    pytest.importorskip(name)
    return [sys.executable, "-m", name]


def test_ruff_is_clean():
    result = subprocess.run([*_tool("ruff"), "check", "autograd", "tests", "demos", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean():
    result = subprocess.run([*_tool("mypy"), "autograd", "demos"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_typed():
    assert (PACKAGE / "py.typed").exists()


def _public_definitions():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                yield path.relative_to(ROOT), node
                if isinstance(node, ast.ClassDef):
                    for sub in node.body:
                        if (isinstance(sub, ast.FunctionDef) and not sub.name.startswith("_")):
                            yield path.relative_to(ROOT), sub


def _exempt(decorator: ast.expr) -> bool:
    """@overload stubs and property setters share the documented definition's docstring."""
    return (isinstance(decorator, ast.Name) and decorator.id == "overload") or (
        isinstance(decorator, ast.Attribute) and decorator.attr in ("setter", "deleter"))


def test_public_api_has_docstrings():
    missing = [f"{path}:{node.lineno} {node.name}" for path, node in _public_definitions()
               if ast.get_docstring(node) is None
               and not any(_exempt(d) for d in getattr(node, "decorator_list", []))]
    assert not missing, "public definitions without a docstring:\n" + "\n".join(missing)


def test_engine_imports_nothing_above_it():
    """The engine layer (ops, graph, engine, modes, nary) imports only itself and the
    standard library."""
    layer = {"ops", "graph", "engine", "modes", "nary"}
    for name in layer:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        top_level = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level]
        for node in top_level:
            assert node.module in layer | {None}, f"{name}.py imports .{node.module}"
