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


# -- the shape of the house ------------------------------------------------------------------
# Every module of the package belongs to one layer; a module may import its own layer and the
# layers below it, never one above, and the import graph (imports inside functions included)
# has no cycle.  Written once, here.
LAYERS = [
    ("engine", ["validate", "state", "optable", "ops", "graph", "engine", "modes", "nary",
                "functional", "gradcheck", "rng", "compile", "collector", "userops", "install"]),
    ("explainer", ["explainer"]),
    ("diagrams", ["viz"]),
    ("networks", ["nn", "optim"]),
    ("training", ["training"]),
    ("command line", ["expr", "cli", "__main__", "__init__"]),
]
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    # (importer, imported): why a lower layer must reach up.  Empty: none does.
}


def _layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    for rank, (_, members) in enumerate(LAYERS):
        if top in members:
            return rank
    raise AssertionError(f"{module} is in no layer of tests/test_quality.py's LAYERS")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 2:
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every package module that ``path`` imports, at any depth of its code."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    if name == "autograd.__init__":
        package = "autograd"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != "autograd":
                found.add(t)
    found.discard(name)
    return found


def _import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths} | {"autograd"}
    return {_module_name(p): _imports(p, modules) for p in paths}


def test_import_graph_reads_function_level_imports():
    graph = _import_graph()
    assert "autograd.explainer" in graph["autograd.viz.builder"]        # top level
    assert "autograd.viz" in graph["autograd.cli"]                       # inside a function


def test_layers_import_only_downward():
    upward = []
    for importer, imported in _import_graph().items():
        for target in imported:
            if (_layer_of(target) > _layer_of(importer)
                    and (importer, target) not in ALLOWED_UPWARD):
                upward.append(f"{importer} ({LAYERS[_layer_of(importer)][0]}) imports {target} "
                              f"({LAYERS[_layer_of(target)][0]})")
    assert not upward, "imports that reach up a layer:\n" + "\n".join(sorted(upward))


def test_no_import_cycles():
    graph = _import_graph()
    graph.pop("autograd.__init__")   # the facade: imports everything lazily, nothing imports it
    cycles, state = [], dict.fromkeys(graph, 0)
    for start in graph:
        stack = [(start, iter(sorted(graph[start])))]
        if state[start]:
            continue
        state[start], path = 1, [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                cycles.append(" -> ".join([*path[path.index(child):], child]))
            elif state.get(child) == 0:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
