"""The command line: ``python -m autograd graph "tanh(x*w + b)" x=2 w=-0.5 b=0.5``.

Parses the expression safely (:mod:`autograd.expr`, never ``eval``), builds the
graph with one leaf per variable, runs ``backward()``, prints every gradient and,
on request, writes the diagram (``--out graph.svg``) and the stepper page
(``--html backprop.html``).

Exit status: 0 on success, 2 for a bad command line or expression (the error
points at the offending token), 1 when the engine refuses a number (``log(-1)``)
or a file cannot be written (Graphviz missing, graph too large).

``--fmt SPEC`` is a Python format spec for floats, bounded (width at most
:data:`MAX_WIDTH`, precision at most :data:`MAX_PRECISION`).  A nonzero number that
SPEC would print as zero (``.3f`` of 4.5e-05 gives ``0.000``) is printed with that
many significant digits instead (``4.5e-05``): a gradient never looks zero when it
is not.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from . import __version__
from .engine import Value
from .expr import EvaluationError, Expression, ExpressionError, function_help, parse

__all__ = ["MAX_PRECISION", "MAX_WIDTH", "build_parser", "main", "number_spec"]

MAX_WIDTH = 40
"""Widest field ``--fmt`` may ask for (characters)."""
MAX_PRECISION = 20
"""Most digits ``--fmt`` may ask for after the point (or significant digits)."""

_SPEC = re.compile(r"(?:(?P<fill>.)?[<>=^])?[-+ ]?z?#?0?(?P<width>\d+)?[,_]?"
                   r"(?:\.(?P<precision>\d+))?(?P<type>[eEfFgGn%])?", re.DOTALL)

EXAMPLES = """examples:
  python -m autograd graph "tanh(x*w + b)" x=2 w=-0.5 b=0.5
  python -m autograd graph "tanh(x*w + b)" x=2 w=-0.5 b=0.5 --out graph.svg --html backprop.html
  python -m autograd graph "sigmoid(x1*w1 + x2*w2)" x1=1 x2=0.5 w1=0.3 w2=-2 --steps
"""

GRAPH_HELP = """Build the graph of EXPRESSION with the given values, run backward() and print
d(result)/d(variable) for every variable.  Optionally draw the graph and write the
step-by-step backprop page.

EXPRESSION may use numbers, variable names, + - * / ** (power), unary minus and the
functions {functions}.  It is
parsed, never executed by Python.  Quote it for the shell; put -- before an
expression that starts with '-':  python -m autograd graph -- "-x**2" x=3
"""


def build_parser() -> argparse.ArgumentParser:
    """The ``autograd`` argument parser (subcommand ``graph``)."""
    parser = argparse.ArgumentParser(
        prog="autograd", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Backprop lab: differentiate an expression, see every gradient, draw "
                    "the computation graph and step through backpropagation.",
        epilog=EXAMPLES)
    parser.add_argument("--version", action="version", version=f"backprop-lab {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    g = commands.add_parser(
        "graph", help="differentiate an expression, print the gradients, draw the graph",
        description=GRAPH_HELP.format(functions=function_help()), epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("expression", metavar="EXPRESSION", help='e.g. "tanh(x*w + b)"')
    g.add_argument("values", metavar="NAME=VALUE", nargs="*", default=[],
                   help="a number for every variable, e.g. x=2 w=-0.5 b=0.5")
    g.add_argument("--out", metavar="FILE",
                   help="write the diagram; format from the extension: .svg .png .pdf .dot")
    g.add_argument("--html", metavar="FILE",
                   help="write the self-contained backprop stepper page (.html)")
    g.add_argument("--rankdir", choices=("LR", "TB"), default="LR",
                   help="diagram direction: left to right (default) or top to bottom")
    g.add_argument("--fmt", metavar="SPEC", default=None,
                   help="number format, e.g. .4f or .3g (default: 4 significant digits); a "
                        "nonzero number that SPEC shows as 0 is shown in significant digits")
    g.add_argument("--edge-labels", choices=("value", "formula", "both"), default=None,
                   help="label diagram edges with the local derivative d(out)/d(in)")
    g.add_argument("--no-grads", action="store_true", help="leave gradients off the diagram")
    g.add_argument("--steps", action="store_true",
                   help="also print every backward step as a chain-rule sentence")
    g.add_argument("--by", choices=("node", "neuron", "layer"), default="node",
                   help="what one backward step is (--steps, --html): a node (default), a "
                        "neuron or a layer; nodes outside any neuron are stepped one by one")
    g.add_argument("--max-nodes", type=int, default=300, metavar="N",
                   help="refuse to draw more boxes than this (default 300)")
    return parser


def number_spec(spec: str) -> str:
    """``spec`` if it is a bounded format spec for floats (the ``--fmt`` check).

    Width at most :data:`MAX_WIDTH`, precision at most :data:`MAX_PRECISION`, a
    printable fill character; anything else raises ``ValueError``.

    >>> number_spec("1000000000")
    Traceback (most recent call last):
      ...
    ValueError: --fmt: width must be at most 40, got 1000000000
    """
    if not isinstance(spec, str):
        raise TypeError(f"--fmt: SPEC must be a str, got {type(spec).__name__}")
    m = _SPEC.fullmatch(spec)
    if m is None or (m["fill"] is not None and not m["fill"].isprintable()):
        raise ValueError(f"--fmt: SPEC must be a format spec for numbers such as '.4f' or "
                         f"'.3g', got {spec[:40]!r}")
    for part, limit in (("width", MAX_WIDTH), ("precision", MAX_PRECISION)):
        digits = m[part]
        if digits is not None and (len(digits) > 3 or int(digits) > limit):
            raise ValueError(f"--fmt: {part} must be at most {limit}, got "
                             f"{digits[:12]}{'…' if len(digits) > 12 else ''}")
    try:
        format(1.5, spec)
    except (ValueError, TypeError):
        raise ValueError(f"--fmt: SPEC must be a format spec for numbers such as '.4f' or "
                         f"'.3g', got {spec!r}") from None
    return spec


def _never_hiding(spec: str | None, number: Callable[[object], str]) -> Callable[[object], str]:
    """``number``, except that a nonzero float it would show as zero is shown in
    significant digits (``.3f``: 4.54e-05 → ``4.54e-05``, not ``0.000``)."""
    if spec is None:
        return number
    m = _SPEC.fullmatch(spec)
    digits = max(1, int(m["precision"])) if m and m["precision"] else 4

    def show(x: object) -> str:
        text = number(x)
        v = getattr(x, "data", x)
        if (isinstance(v, float) and v != 0.0 and math.isfinite(v)
                and not any(c in "123456789" for c in text)):
            return format(v, f".{digits}g")
        return text

    return show


class _Usage(Exception):
    """A command-line mistake: print the message (and pointer), exit with status 2."""


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:   # --help, --version, or argparse's usage error
        return e.code if isinstance(e.code, int) else 2
    if args.command is None:
        parser.print_help(err)
        return 2
    try:
        return _graph(args, out, err)
    except _Usage as e:
        print(f"autograd graph: error: {e}", file=err)
        return 2
    except ExpressionError as e:
        print(f"autograd graph: error: {e}", file=err)
        if e.pointer():
            print(e.pointer(), file=err)
        return 1 if isinstance(e, EvaluationError) else 2


def _values(expr: Expression, items: Sequence[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for item in items:
        name, eq, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not eq or not name.isidentifier():
            raise _Usage(f"{item!r} is not NAME=VALUE (for example x=2)")
        if name in values:
            raise _Usage(f"{name} is given twice")
        try:
            number = float(text)
        except ValueError:
            raise _Usage(f"{name}={text}: {text!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise _Usage(f"{name}={text}: the value must be a finite number")
        if name not in expr.variables:
            known = ", ".join(expr.variables) or "none"
            raise _Usage(f"{name}={text} is given, but the expression has no variable "
                         f"{name!r} (its variables: {known})")
        values[name] = number
    missing = [v for v in expr.variables if v not in values]
    if missing:
        raise expr.error_at(missing[0], f"no value for {', '.join(missing)}: add "
                            + " ".join(f"{v}=<number>" for v in missing))
    return values


def _graph(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .viz.labels import FORMATS, number_format

    if args.out:
        ext = "." + args.out.rsplit(".", 1)[-1].lower() if "." in args.out else ""
        if ext not in FORMATS:
            raise _Usage(f"--out {args.out}: unknown extension {ext or '(none)'!r}; use "
                         + ", ".join(FORMATS))
    if args.max_nodes < 1:
        raise _Usage(f"--max-nodes must be an int ≥ 1, got {args.max_nodes}")
    try:
        spec = None if args.fmt is None else number_spec(args.fmt)
        number = _never_hiding(spec, number_format(spec))
    except ValueError as e:
        raise _Usage(str(e)) from None
    expr = parse(args.expression)
    root = expr.evaluate(_values(expr, args.values))
    taken = set(expr.variables)
    if not root.label:
        root.label = next(n for n in ("f", "out", "result", "y_") if n not in taken)
    name = root.label
    text = " ".join(args.expression.split())
    shown = f"{name} = {number(root.data)}" if text == name else \
        f"{name} = {text} = {number(root.data)}"      # "x" alone: x = 1.0, not x = x = 1.0
    print(shown, file=out)
    leaves = [v for v in _leaves(root) if v.label in taken]
    if not leaves:
        print("(no variables: nothing to differentiate)", file=out)
    if args.steps and root._prev:
        from .explainer import backward_steps
        for step in backward_steps(root, by=args.by):
            print(step.sentence, file=out)
    elif root.requires_grad:
        root.backward()
    for v in sorted(leaves, key=lambda v: expr.variables.index(v.label)):
        print(f"∂{name}/∂{v.label} = {number(v.grad)}", file=out)
    return _write_files(root, args, out, err)


def _leaves(root: Value) -> list[Value]:
    from .graph import topo_order
    return [n for n in topo_order(root) if not n._prev and n.requires_grad]


def _write_files(root: Value, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .viz import draw_graph, save_stepper

    try:
        if args.out:
            diagram = draw_graph(root, rankdir=args.rankdir, fmt=args.fmt,
                                 show_grads=not args.no_grads,
                                 edge_labels=args.edge_labels or False,
                                 max_nodes=args.max_nodes)
            png = args.out.lower().endswith(".png")
            print(f"wrote {diagram.save(args.out, dpi=150 if png else None)}", file=out)
        if args.html:
            page = save_stepper(root, args.html, rankdir=args.rankdir, fmt=args.fmt,
                                max_nodes=args.max_nodes,
                                title=f"{root.label} = {args.expression}")
            print(f"wrote {page}", file=out)
    except (ImportError, RuntimeError, ValueError, OSError) as e:
        print(f"autograd graph: error: {_advice(e, args)}", file=err)
        return 1
    return 0


def _advice(e: Exception, args: argparse.Namespace) -> str:
    """The error's message, with shell advice (not Python's) when ``dot`` is missing."""
    try:
        from .viz.diagram import GraphvizNotFound
    except ImportError:
        return str(e)
    if not isinstance(e, GraphvizNotFound):
        return str(e)
    what = " and ".join(f for f in (args.out, args.html) if f) or "the diagram"
    dot_file = (args.out.rsplit(".", 1)[0] if args.out else "graph") + ".dot"
    return (f"the Graphviz program 'dot' was not found on PATH, so {what} cannot be "
            "written. Install Graphviz: 'sudo apt-get install -y graphviz' (Debian/Ubuntu), "
            "'brew install graphviz' (macOS) or 'conda install graphviz'. Without it you "
            f"can still write the DOT text with --out {dot_file} and render it elsewhere "
            f"(dot -Tsvg {dot_file} -o graph.svg).")
