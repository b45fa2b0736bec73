"""Side-by-side benchmarks of `autograd` against micrograd and PyTorch.

Run by hand, never as a timed unit test: ``python -m benchmarks.run --help``.
"""
