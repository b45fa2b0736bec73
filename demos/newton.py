"""Newton's method vs gradient descent: curvature (the second derivative) tells how far to step.

Gradient descent steps    x ← x − η·f'(x)           (one fixed learning rate η)
Newton's method steps     x ← x − f'(x) / f''(x)     (the step size comes from the curvature)
and in 2-D                θ ← θ − H⁻¹·∇f(θ)          (H: the Hessian, the matrix of 2nd derivatives)

Both derivatives come from the same engine: ``grad(f)`` and ``grad(grad(f))`` / ``hessian(f)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograd import Value, grad, hessian
from autograd.training.plot import PALETTE, plot_trajectories

from ._common import DPI, main_for, say
from ._figures import Pictures, figure

NAME = "newton"
DESCRIPTION = "Newton's method vs gradient descent, 1-D and 2-D (second derivatives)"


def f1(x: Any) -> Any:
    """A 1-D bowl with a flat bottom: f(x) = x⁴/4 − x (minimum at x = 1)."""
    return x ** 4 / 4 - x


def f2(x: Any, y: Any) -> Any:
    """A bent valley (Rosenbrock with b = 10): f = (1 − x)² + 10(y − x²)², minimum (1, 1)."""
    return (1 - x) ** 2 + 10 * (y - x * x) ** 2


def descend_1d(x: float, lr: float | None, steps: int, tol: float = 1e-10) -> list[float]:
    """Newton (lr None) or gradient descent from x until |f'(x)| < tol or ``steps`` steps."""
    d1, d2 = grad(f1), grad(grad(f1))
    path = [x]
    for _ in range(steps):
        g = d1(x)
        if abs(g) < tol:
            break
        x = x - (g / d2(x) if lr is None else lr * g)
        path.append(x)
    return path


def descend_2d(p: tuple[float, float], lr: float | None, steps: int,
               tol: float = 1e-10) -> list[list[float]]:
    """Newton (lr None: θ ← θ − H⁻¹∇f) or gradient descent on f2."""
    gx, gy = grad(f2, argnums=0), grad(f2, argnums=1)
    x, y = p
    path = [[x, y]]
    for _ in range(steps):
        g = (gx(x, y), gy(x, y))
        if max(abs(g[0]), abs(g[1])) < tol:
            break
        if lr is None:
            (a, b), (c, d) = hessian(f2)(x, y)
            det = a * d - b * c  # solve H·s = g for the 2×2 Hessian
            s = ((d * g[0] - b * g[1]) / det, (a * g[1] - c * g[0]) / det)
        else:
            s = (lr * g[0], lr * g[1])
        x, y = x - s[0], y - s[1]
        path.append([x, y])
    return path


def dist(p: list[float]) -> float:
    """Distance from p to the minimum (1, 1) of f2."""
    return float(((p[0] - 1) ** 2 + (p[1] - 1) ** 2) ** 0.5)


def legend_beside(ax: Any) -> None:
    """Put the panel's legend to the right of the plot, where it cannot hide any step."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", borderaxespad=0)


def plot_1d(paths: dict[str, list[float]]) -> Any:
    """f1 with the points each method visited."""
    fig, (ax,) = figure(1, (7.5, 4.2))
    xs = [-0.5 + 3.5 * i / 200 for i in range(201)]
    ax.plot(xs, [f1(x) for x in xs], color="0.4", lw=1.5, label="f(x) = x⁴/4 − x")
    for (label, pts), color in zip(paths.items(), PALETTE):   # as in the 2-D panel
        ax.plot(pts, [f1(x) for x in pts], "-o", color=color, ms=4, lw=1, label=label, gid=label)
    ax.set(xlabel="x", ylabel="f(x)", title="Newton uses f'' to size each step")
    ax.grid(alpha=0.3)
    legend_beside(ax)
    return fig


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Run both methods in 1-D and 2-D; return step counts and final distances."""
    say(__doc__.strip().splitlines()[0], "")
    x0 = 3.0
    newton1 = descend_1d(x0, None, 50)
    gd1 = descend_1d(x0, 0.05, 60 if quick else 400)
    say(f"1-D  f(x) = x⁴/4 − x from x = {x0}:",
        f"     Newton:           {len(newton1) - 1:3d} steps, x = {newton1[-1]:.10f}",
        f"     gradient descent: {len(gd1) - 1:3d} steps, x = {gd1[-1]:.10f}  (η = 0.05)")
    p0 = (-1.2, 1.0)
    newton2 = descend_2d(p0, None, 50)
    gd2 = descend_2d(p0, 0.02, 100 if quick else 1000)
    say(f"2-D  valley (1 − x)² + 10(y − x²)² from {p0}:",
        f"     Newton:           {len(newton2) - 1:3d} steps, distance to (1, 1) = "
        f"{dist(newton2[-1]):.2e}",
        f"     gradient descent: {len(gd2) - 1:3d} steps, distance to (1, 1) = "
        f"{dist(gd2[-1]):.2e}  (η = 0.02)",
        "", "Newton needs the Hessian (n² second derivatives), affordable for a few variables;",
        "networks with millions of weights use first-order methods (SGD, Adam) instead.")
    pictures = Pictures(out, fmt, dpi)
    one = pictures.save(plot_1d({"Newton": newton1, "gradient descent": gd1}), "newton_1d")
    valley = plot_trajectories(lambda a, b: f2(a, b), {"Newton": newton2,
                                                       "gradient descent": gd2},
                               minimum=(1.0, 1.0),
                               title="Newton vs gradient descent on a bent valley")
    legend_beside(valley.axes[0])
    two = pictures.save(valley, "newton_2d")
    say(f"pictures: {one}, {two}")
    curvature = grad(grad(f1))(Value(2.0))
    return {"newton_1d": newton1, "gd_1d": gd1, "newton_2d": newton2, "gd_2d": gd2,
            "dist_newton_2d": dist(newton2[-1]), "dist_gd_2d": dist(gd2[-1]),
            "curvature_at_2": float(curvature), "picture": two, "pictures": pictures.written,
            "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
