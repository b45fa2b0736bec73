"""A safe parser for arithmetic expressions such as ``"tanh(x*w + b)"``.

The command line (``python -m autograd graph …``) turns text typed by a student into
a graph of :class:`~autograd.Value` nodes.  The text is **never** given to ``eval``:
it is parsed with :mod:`ast` and every syntax node is checked against a short
whitelist —

* numbers (``2``, ``0.5``, ``1e-3``) and variable names (``x``, ``w1``, ``θ``);
* the operators ``+ - * / **`` and unary ``-`` / ``+``;
* calls of the functions in the op table (:func:`autograd.ops.functions`):
  ``exp log sqrt tanh sigmoid relu abs sin cos``, ``leaky_relu(x, alpha)`` with a
  constant ``alpha``, and any op registered later (``autograd.define_op``).

Anything else (attribute access, subscripts, lambdas, strings, unknown functions…)
is refused with an :class:`ExpressionError` that knows the column of the offending
token, so it can be shown with a caret under it.  Implicit multiplication (``2x``,
``3 x``, ``2(x+1)``, ``(x+1)(x-1)``) is not supported, and the error says what to
write instead (``write 2*x``):

>>> try:
...     parse("x.__class__")
... except ExpressionError as e:
...     print(e); print(e.pointer())
attribute access ('.') is not allowed at column 2
  x.__class__
   ^^^^^^^^^^

Parts without variables are computed by the engine itself (``2*3*x`` draws ``6·x``),
under :func:`~autograd.no_grad`, so domain errors and overflow (``9**9**9``) give the
engine's message at once instead of hanging on a huge integer.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import validate
from .engine import Value, apply
from .modes import no_grad
from .ops import Op, functions

__all__ = ["MAX_LENGTH", "EvaluationError", "Expression", "ExpressionError", "evaluate",
           "function_help", "parse"]

MAX_LENGTH = 1000
"""Longest expression accepted (characters): deeper input only burdens the parser."""



def function_help() -> str:
    """The callable functions as the help text lists them: ``exp log … leaky_relu(x, α)``."""
    def shown(name: str, op: Op) -> str:
        inputs = ["x"] if op.arity == 1 else [f"x{i + 1}" for i in range(op.arity or 2)]
        args = inputs + list(op.param_names)
        return name if args == ["x"] else f"{name}({', '.join(args)})"
    return " ".join(shown(name, op) for name, op in functions().items())

_BINARY: dict[type[ast.operator], Callable[[Value, Value | float], Value]] = {
    ast.Add: Value.__add__, ast.Sub: Value.__sub__, ast.Mult: Value.__mul__,
    ast.Div: Value.__truediv__, ast.Pow: Value.__pow__,
}
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "subscripts ('[...]') are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and'/'or' are not allowed",
    ast.IfExp: "'if ... else' is not allowed",
    ast.NamedExpr: "assignment (':=') is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
}
_OPERATOR_HINTS: dict[type[ast.AST], str] = {
    ast.BitXor: "'^' is not a power: write x**2",
    ast.FloorDiv: "'//' is not supported: use /",
    ast.Mod: "'%' is not supported",
    ast.MatMult: "'@' is not supported",
    ast.Invert: "'~' is not supported",
    ast.Not: "'not' is not supported",
}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant,
            ast.Load, ast.operator, ast.unaryop)


class ExpressionError(ValueError):
    """A bad expression; ``col`` (0-based, in characters) marks the offending token.

    ``str(error)`` is one line; :meth:`pointer` adds the text with a caret under it.
    """

    where = " at column {}"

    def __init__(self, message: str, text: str, col: int | None = None,
                 end_col: int | None = None, line: int = 1) -> None:
        super().__init__(message + (self.where.format(col + 1) if col is not None else ""))
        self.message, self.text, self.col, self.line = message, text, col, line
        self.end_col = end_col if end_col is not None and col is not None and end_col > col \
            else (None if col is None else col + 1)

    def pointer(self, indent: str = "  ", width: int = 80) -> str:
        """The offending line of the expression and ``^^^`` under the token.

        A line longer than ``width`` characters is cut to a window around the token
        (``…`` marks the cuts), so a pointer never floods the terminal.
        """
        if self.col is None or self.end_col is None:
            return ""
        lines = self.text.splitlines() or [""]
        shown = lines[min(self.line, len(lines)) - 1]
        col, end = self.col, max(self.col + 1, min(self.end_col, len(shown) + 1))
        if len(shown) > width:
            start = max(0, min(col - 10, len(shown) - width))
            stop = start + width
            shown = ("…" if start else "") + shown[start:stop] + ("…" if stop < len(shown) else "")
            shift = start - (1 if start else 0)          # the cut text and its "…"
            col, end = col - shift, min(end, stop) - shift
        return f"{indent}{shown}\n{indent}{' ' * col}{'^' * max(1, end - col)}"


class EvaluationError(ExpressionError):
    """The expression is fine but the engine refused a number (``log(-1)``, overflow)."""

    where = " (column {})"


def _columns(text: str, node: ast.AST) -> tuple[int | None, int | None, int]:
    """Character columns of an AST node (the AST counts UTF-8 bytes)."""
    line = getattr(node, "lineno", 1)
    src = (text.splitlines() or [""])[line - 1].encode()

    def chars(byte_col: int | None) -> int | None:
        return None if byte_col is None else len(src[:byte_col].decode(errors="replace"))

    return (chars(getattr(node, "col_offset", None)),
            chars(getattr(node, "end_col_offset", None)), line)


def _fail(message: str, text: str, node: ast.AST, kind: type[ExpressionError] = ExpressionError
          ) -> ExpressionError:
    col, end, line = _columns(text, node)
    if getattr(node, "end_lineno", line) != line:
        end = None
    return kind(message, text, col, end, line)


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, syntax tree and variable names (in order)."""

    text: str
    tree: ast.Expression
    variables: tuple[str, ...]

    def evaluate(self, values: Mapping[str, float | Value]) -> Value:
        """Build the graph: each variable becomes a leaf ``Value`` labelled by its name.

        ``values`` maps names to numbers (or to existing Values, used as they are).
        Raises :class:`ExpressionError` for a missing variable and
        :class:`EvaluationError` (with the engine's message) for a domain error.
        """
        leaves: dict[str, Value] = {}
        for name in self.variables:
            if name not in values:
                raise self.error_at(name, f"no value given for variable {name!r}")
            v = values[name]
            leaves[name] = v if isinstance(v, Value) else Value(float(v), label=name)
        result = _run(self, leaves)
        return result if isinstance(result, Value) else Value(result, requires_grad=False)

    def error_at(self, name: str, message: str) -> ExpressionError:
        """An :class:`ExpressionError` pointing at the first use of variable ``name``."""
        uses = [n for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id == name]
        return _fail(message, self.text, min(uses, key=lambda n: (n.lineno, n.col_offset)))


def parse(text: str) -> Expression:
    """Check ``text`` against the whitelist; raises :class:`ExpressionError` if refused."""
    validate.text("parse", "text", text)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text)} characters, at most "
                              f"{MAX_LENGTH})", text)
    if not text.strip():
        raise ExpressionError("empty expression", text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        col = max(0, (e.offset or len(text) + 1) - 1)
        end = (e.end_offset or 0) - 1 if e.lineno == (e.end_lineno or e.lineno) else None
        line = e.lineno or 1
        product = _juxtaposed((text.splitlines() or [""])[line - 1], col)
        if product is not None:      # "2x", "3 x", "(x+1)x": Python's message would puzzle
            message, start, stop = product
            raise ExpressionError(message, text, start, stop, line) from None
        raise ExpressionError(e.msg, text, col, end, line) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression is too deeply nested", text) from None
    callees = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    first_seen: dict[str, tuple[int, int]] = {}
    for node in _reading_order(tree):
        _check(node, text, callees.get(id(node)))
        if isinstance(node, ast.Name) and id(node) not in callees:
            where = (node.lineno, node.col_offset)
            first_seen[node.id] = min(where, first_seen.get(node.id, where))
    return Expression(text, tree, tuple(sorted(first_seen, key=first_seen.__getitem__)))


def _reading_order(tree: ast.AST) -> list[ast.AST]:
    """Every syntax node, as the text reads: by position, innermost first at a tie.

    So the first refused token is reported (``__import__`` in ``__import__('os').system``).
    """
    found: list[tuple[int, int, int, int, ast.AST]] = []
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        key = (getattr(node, "lineno", 1 << 30), getattr(node, "col_offset", 1 << 30))
        found.append((*key, -depth, len(found), node))
        stack.extend((kid, depth + 1) for kid in ast.iter_child_nodes(node))
    return [entry[-1] for entry in sorted(found, key=lambda e: e[:4])]


_TOKEN = re.compile(r"(?P<num>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)"
                    r"|(?P<name>[^\W\d]\w*)|(?P<open>\()|(?P<close>\))|(?P<other>\S)")
_IMPLICIT = "implicit multiplication is not supported: write {}*{}"


def _short(text: str) -> str:
    """An operand as the hint shows it: long ones cut in the middle."""
    return text if len(text) <= 24 else f"{text[:10]}…{text[-10:]}"


def _juxtaposed(line: str, col: int) -> tuple[str, int, int] | None:
    """Two operands side by side (``2x``, ``3 x``, ``(x+1)y``) where Python's syntax error
    points (``col``): the message saying to write ``*``, and the columns of the pair."""
    toks = [(m.lastgroup or "", m.start(), m.end()) for m in _TOKEN.finditer(line)]

    def operand(k: int, first: tuple[str, ...]) -> bool:
        kind, a, b = toks[k]
        return kind in first or (kind == "name" and not keyword.iskeyword(line[a:b]))

    for k in range(1, len(toks)):
        (a, a0, a1), (b, b0, _) = toks[k - 1], toks[k]
        if (a == "name" and b == "open") or not a0 <= col <= b0:   # f(x) is a call
            continue
        if operand(k - 1, ("num", "close")) and operand(k, ("num", "open")):
            start, stop = _group(line, toks, k - 1, -1), _group(line, toks, k, 1)
            return _IMPLICIT.format(_short(line[start:a1]), _short(line[b0:stop])), start, stop
    return None


def _group(line: str, toks: list[tuple[str, int, int]], k: int, step: int) -> int:
    """Where the operand at token ``k`` starts (``step=-1``: a ``(...)`` group or a call
    ending there) or ends (``step=1``: a group or call starting there)."""
    kind, a, b = toks[k]
    if step > 0 and kind == "name" and k + 1 < len(toks) and toks[k + 1][0] == "open":
        k, kind = k + 1, "open"                      # sin(x): the whole call
    if kind not in ("open", "close"):
        return a if step < 0 else b
    depth, j = 0, k
    while 0 <= j < len(toks):
        depth += {"open": 1, "close": -1}.get(toks[j][0], 0) * step
        if depth == 0:
            if step < 0 and j > 0 and toks[j - 1][0] == "name":
                j -= 1                               # f(x)(y): the call f(x)
            return toks[j][1] if step < 0 else toks[j][2]
        j += step
    return a if step < 0 else len(line)


def _implicit_call(call: ast.Call, text: str) -> ExpressionError:
    """``2(x+1)`` or ``(x+1)(x-1)``, read by Python as a call: say to write ``*``."""
    col, end, line = _columns(text, call)
    source = (text.splitlines() or [""])[line - 1]
    if col is None or end is None or getattr(call, "end_lineno", line) != line:
        return _fail("implicit multiplication is not supported: write * between the factors",
                     text, call)
    segment, depth, k = source[col:end], 0, end - col - 1
    while k > 0:                                     # the ( of the argument list
        depth += {")": 1, "(": -1}.get(segment[k], 0)
        if depth == 0:
            break
        k -= 1
    left, right = segment[:k].rstrip(), segment[k:]
    return ExpressionError(_IMPLICIT.format(_short(left), _short(right)), text, col, end, line)


def _check(node: ast.AST, text: str, call: ast.Call | None) -> None:
    """Refuse a syntax node outside the whitelist, naming it (``call``: the call whose
    callee ``node`` is)."""
    is_callee = call is not None
    known = ", ".join(functions())
    if not isinstance(node, _ALLOWED):
        message = _REFUSED.get(type(node), f"{type(node).__name__.lower()} is not allowed: "
                               "use numbers, variables, + - * / ** and " + known)
        if isinstance(node, (ast.Attribute, ast.Subscript)):  # point at '.name' / '[...]'
            _, start, line = _columns(text, node.value)
            raise ExpressionError(message, text, start, _columns(text, node)[1], line)
        raise _fail(message, text, node)
    if call is not None and not isinstance(node, ast.Name):   # 2(x+1), (x+1)(x-1)
        raise _implicit_call(call, text)
    if isinstance(node, ast.Name) and is_callee != _is_function(node.id):
        raise _fail(f"unknown function {node.id!r} (known: {known})" if is_callee
                    else f"{node.id} is a function: call it as {node.id}(...)", text, node)
    if isinstance(node, ast.Constant):
        value = node.value
        if type(value) not in (int, float) or not isinstance(value, (int, float)):
            raise _fail(f"only numbers are allowed, not {value!r}", text, node)
        if not _fits_float(value):
            digits = ast.get_source_segment(text, node) or ""
            shown = digits if len(digits) <= 20 else f"{digits[:8]}…{digits[-4:]} " \
                f"({len(digits)} characters)"
            raise _fail(f"number {shown} is too large (a float holds at most about 1.8e308)",
                        text, node)
    elif isinstance(node, ast.BinOp) and type(node.op) not in _BINARY:
        raise ExpressionError(_OPERATOR_HINTS.get(type(node.op), "operator not supported"),
                              text, _operator_col(text, node), None, node.lineno)
    elif isinstance(node, ast.UnaryOp) and not isinstance(node.op, (ast.USub, ast.UAdd)):
        raise _fail(_OPERATOR_HINTS.get(type(node.op), "operator not supported"), text, node)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        _check_call(node, node.func.id, text)


def _fits_float(value: int | float) -> bool:
    """A finite float, or an int a float can hold (``10**400`` cannot)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_function(name: str) -> bool:
    return name in functions()


def _check_call(node: ast.Call, name: str, text: str) -> None:
    """The arguments of a call of a known function (its name was checked already):
    the op's inputs, then optionally its parameters (constants: no variables)."""
    if node.keywords:
        raise _fail(f"{name}() takes no keyword arguments", text, node.keywords[0])
    op = functions().get(name)
    if op is None:   # not a function: the check of the callee says so
        return
    inputs = op.arity or 1
    wanted = tuple(range(inputs, inputs + len(op.param_names) + 1))
    if len(node.args) not in wanted:
        raise _fail(f"{name}() takes {' or '.join(map(str, wanted))} argument"
                    f"{'s' if wanted[-1] > 1 else ''}, got {len(node.args)}", text, node)
    for param, arg in zip(op.param_names, node.args[inputs:]):
        for n in ast.walk(arg):
            if isinstance(n, ast.Name):
                raise _fail(f"{name}() {param} must be a number, not a variable", text, n)


def _operator_col(text: str, node: ast.BinOp) -> int | None:
    """Column of the operator token between the two operands of ``node``."""
    _, start, _ = _columns(text, node.left)
    col, _, _ = _columns(text, node.right)
    if start is None or col is None or node.left.end_lineno != node.right.lineno:
        return None
    line = (text.splitlines() or [""])[node.right.lineno - 1]
    gap = line[start:col]
    return start + len(gap) - len(gap.lstrip(" ()"))


def _run(expr: Expression, leaves: Mapping[str, Value]) -> Value | float:
    """Evaluate the checked tree bottom-up with an explicit stack (no recursion)."""
    done: dict[ast.AST, Value | float] = {}
    stack: list[ast.AST] = [expr.tree.body]
    while stack:
        node = stack[-1]
        kids = [node.left, node.right] if isinstance(node, ast.BinOp) else \
            [node.operand] if isinstance(node, ast.UnaryOp) else \
            list(node.args) if isinstance(node, ast.Call) else []
        pending = [k for k in kids if k not in done]
        if pending:
            stack.extend(reversed(pending))
            continue
        stack.pop()
        if node not in done:
            done[node] = _apply(expr, node, [done[k] for k in kids], leaves)
    return done[expr.tree.body]


def _apply(expr: Expression, node: ast.AST, args: list[Value | float],
           leaves: Mapping[str, Value]) -> Value | float:
    """One syntax node: numbers combine under no_grad (folded), Values build nodes."""
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, (int, float))  # checked by parse()
        return float(node.value)
    if isinstance(node, ast.Name):
        return leaves[node.id]
    try:
        if any(isinstance(a, Value) for a in args):
            result: Value | float = _compute(node, args)
        else:
            with no_grad():
                result = _compute(node, args).data
    except (ArithmeticError, ValueError) as e:
        raise _fail(str(e), expr.text, node, EvaluationError) from e
    number = result.data if isinstance(result, Value) else result
    if number - number != 0 and all(_finite(a) for a in args):   # the engine gives IEEE ±∞/NaN:
        part = ast.get_source_segment(expr.text, node) or "this part"  # here it is an error
        raise _fail(f"{part} overflows: it gives {number} from finite numbers", expr.text,
                    node, EvaluationError)
    return result


def _finite(a: Value | float) -> bool:
    x = a.data if isinstance(a, Value) else a
    return x - x == 0


def _compute(node: ast.AST, args: list[Value | float]) -> Value:
    """The engine's operation for one syntax node (exponents and alpha stay numbers)."""
    a = args[0] if isinstance(args[0], Value) else Value(args[0], requires_grad=False)
    if isinstance(node, ast.UnaryOp):
        return -a if isinstance(node.op, ast.USub) else a
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](a, args[1])
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    op = functions()[node.func.id]
    inputs = op.arity or 1
    params = [p if isinstance(p, float) else p.data for p in args[inputs:]]
    if inputs == 1:        # the Value method: its defaults fill omitted parameters (α = 0.01)
        return getattr(a, node.func.id)(*params)  # type: ignore[no-any-return]
    return apply(op, *args[:inputs], params=params)


def evaluate(text: str, values: Mapping[str, float | Value]) -> Value:
    """``parse(text).evaluate(values)``: the graph of ``text`` at these numbers.

    >>> y = evaluate("tanh(x*w + b)", {"x": 2, "w": -0.5, "b": 0.5})
    >>> round(y.data, 4)
    -0.4621
    """
    return parse(text).evaluate(values)
