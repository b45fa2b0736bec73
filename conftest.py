"""Root pytest configuration: skip doctest collection of modules whose optional extra is
missing (the test files themselves skip cleanly with pytest.importorskip)."""

import importlib.util

collect_ignore_glob = []
if importlib.util.find_spec("graphviz") is None:
    collect_ignore_glob.append("autograd/viz/*.py")
