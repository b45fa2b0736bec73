"""The report: checks (same first loss everywhere), the table, speed-ups and targets.

A *speed-up* is ``peer time ÷ autograd time`` measured in the same run, so ``40×``
means autograd needs a fortieth of the peer's time; for memory it is
``peer bytes ÷ autograd bytes``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .plan import COLUMNS, TITLES

R = dict[str, dict[str, Any]]
LOSS_TOL = 1e-9
SHORT = {"autograd": "autograd", "autograd_compiled": "compiled", "autograd_relaxed": "relaxed_gc",
         "float_floor": "float floor", "autograd_base": "baseline", "micrograd": "micrograd",
         "micrograd_raised": "micrograd(RL)", "torch_scalar": "torch scalar",
         "torch_batched": "torch batched"}


def fmt_s(x: float | None) -> str:
    """Seconds with a unit that keeps three significant digits."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if x >= 1:
        return f"{x:.2f} s"
    return f"{x * 1e3:.3g} ms" if x >= 1e-3 else f"{x * 1e6:.3g} µs"


def _cell(res: dict[str, Any] | None, show: Callable[[dict[str, Any]], str]) -> str:
    if res is None:
        return ""
    if "skipped" in res:
        return "skipped"
    if "error" in res:
        return "error"
    try:
        return show(res)
    except (KeyError, TypeError):
        return "-"


def _get(results: R, w: str, col: str) -> dict[str, Any] | None:
    res = results.get(w, {}).get(col)
    return res if res and "error" not in res and "skipped" not in res else None


def checks(results: R, reference: float) -> dict[str, Any]:
    """First loss of every W1/W1e run vs the plain-float reference; W1 loss curves vs ours."""
    out: dict[str, Any] = {"reference_first_loss": reference, "first_loss_diff": {}}
    for w in ("W1", "W1e"):
        for col, res in results.get(w, {}).items():
            if "first_loss" in res:
                out["first_loss_diff"][f"{w}/{col}"] = abs(res["first_loss"] - reference)
    diffs = out["first_loss_diff"].values()
    out["first_losses_agree"] = all(d <= LOSS_TOL for d in diffs) if diffs else None
    ours = _get(results, "W1", "autograd")
    out["loss_curve_max_diff"] = {}
    for col in COLUMNS[1:]:
        peer = _get(results, "W1", col)
        if ours and peer:
            out["loss_curve_max_diff"][col] = max(
                abs(a - b) for a, b in zip(ours["losses"], peer["losses"]))
    floor = _get(results, "W1", "float_floor")
    if floor and "check" in floor:
        out["float_floor_equals_engine"] = (floor["check"]["loss_equal"]
                                            and floor["check"]["grads_equal"])
    eager, comp = _get(results, "W6", "autograd"), _get(results, "W6", "autograd_compiled")
    if eager and comp:
        out["W6_compiled_equals_eager"] = (eager["params"] == comp["params"]
                                           and eager["losses"] == comp["losses"])
    return out


def _chain_pair(results: R, col: str) -> tuple[str, float, float] | None:
    """Largest N both autograd and ``col`` finished in W2, with the backward times."""
    ours, peer = _get(results, "W2", "autograd"), _get(results, "W2", col)
    if not ours or not peer:
        return None
    common = [n for n, r in ours["runs"].items()
              if r.get("ok") and peer["runs"].get(n, {}).get("ok")]
    if not common:
        return None
    n = max(common, key=int)
    return n, peer["runs"][n]["backward_s"], ours["runs"][n]["backward_s"]


def ratios(results: R) -> dict[str, dict[str, float]]:
    """Speed-ups (peer ÷ ours) per workload and peer."""
    out: dict[str, dict[str, float]] = {}

    def ratio(w: str, key: str, peers: tuple[str, ...], name: str | None = None) -> None:
        ours = _get(results, w, "autograd")
        for col in peers:
            peer = _get(results, w, col)
            if ours and peer and ours.get(key) and peer.get(key):
                out.setdefault(name or w, {})[col] = peer[key] / ours[key]

    ratio("W1", "step_s", ("micrograd", "torch_scalar", "torch_batched"))
    ratio("W1", "step_cpu_s", ("micrograd", "torch_scalar"), "W1 (CPU time)")
    ratio("W1e", "step_s", ("micrograd", "torch_scalar"))
    ratio("W1e", "step_cpu_s", ("micrograd", "torch_scalar"), "W1e (CPU time)")
    for col in ("micrograd_raised", "torch_scalar"):
        pair = _chain_pair(results, col)
        if pair:
            out.setdefault("W2 backward", {})[col] = pair[1] / pair[2]
    ratio("W3", "bytes_per_node", ("micrograd",), "W3 memory")
    ratio("W4", "total_s", ("micrograd_raised", "torch_scalar"))

    def versus(name: str, w: str, key: str, slow: str, fast: str) -> None:
        a, b = _get(results, w, slow), _get(results, w, fast)
        if a and b and a.get(key) and b.get(key):
            out.setdefault(name, {})[slow] = a[key] / b[key]

    for col in ("micrograd", "torch_scalar", "float_floor", "autograd"):
        versus("W1 compiled", "W1", "step_cpu_s", col, "autograd_compiled")
    versus("W1 compiled, end to end", "W1", "total_cpu_s", "autograd", "autograd_compiled")
    versus("W1 vs baseline", "W1", "step_cpu_s", "autograd_base", "autograd")
    versus("W6 compiled", "W6", "total_cpu_s", "autograd", "autograd_compiled")
    versus("W6 vs baseline", "W6", "total_cpu_s", "autograd_base", "autograd")
    return out


def targets(results: R, chk: dict[str, Any], rat: dict[str, dict[str, float]],
            cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each ``{"target", "ok", "measured"}`` (ok None: not measured)."""
    def t(name: str, ok: bool | None, measured: str) -> dict[str, Any]:
        return {"target": name, "ok": ok, "measured": measured}

    def speed(w: str, col: str, need: float) -> dict[str, Any]:
        r = rat.get(w, {}).get(col)
        return t(f"{w} ≥ {need:g}× faster than {SHORT[col]}", None if r is None else r >= need,
                 "-" if r is None else f"{r:.1f}×")

    def at_least(name: str, r: float | None, need: float) -> dict[str, Any]:
        return t(name, None if r is None else r >= need, "-" if r is None else f"{r:.2f}×")

    compiled = rat.get("W1 compiled", {})
    floor = compiled.get("float_floor")
    base = rat.get("W1 vs baseline", {}).get("autograd_base")
    growth = {col: (_get(results, "W7", col) or {}).get("growth") for col in
              ("autograd", "autograd_relaxed", "micrograd_raised")}
    relaxed = growth["autograd_relaxed"]
    new = [
        at_least("W1 compiled ≥ 300× faster than micrograd", compiled.get("micrograd"), 300),
        t("W1 compiled within 1.3× of the float floor", None if floor is None else
          floor >= 1 / 1.3, "-" if floor is None else f"{1 / floor:.2f}× the floor"),
        at_least("W6 moons end to end: compiled ≥ 3× eager",
                 rat.get("W6 compiled", {}).get("autograd"), 3),
        at_least("W1 ≥ 55× faster than micrograd (CPU time)",
                 rat.get("W1 (CPU time)", {}).get("micrograd"), 55),
        t("W1 within 5 % of the baseline", None if base is None else base >= 1 / 1.05,
          "-" if base is None else f"{1 / base:.3f}× the baseline's time"),
        t("W7 relaxed_gc: time/node at the largest ≤ 1.5× smallest",
          None if not relaxed else max(relaxed.values()) <= 1.5,
          "-" if not relaxed else ", ".join(f"{k} ×{v:.2f}" for k, v in relaxed.items())),
        t("float floor = the engine, bit for bit", chk.get("float_floor_equals_engine"),
          "-" if "float_floor_equals_engine" not in chk else
          str(chk["float_floor_equals_engine"])),
        t("W6 compiled = eager, bit for bit", chk.get("W6_compiled_equals_eager"),
          "-" if "W6_compiled_equals_eager" not in chk else
          str(chk["W6_compiled_equals_eager"])),
    ]
    w1 = _get(results, "W1", "autograd")
    w2 = _get(results, "W2", "autograd")
    w3 = _get(results, "W3", "autograd")
    w4 = _get(results, "W4", "autograd")
    w5 = _get(results, "W5", "autograd")
    big = max(cfg["chain"])
    return [
        speed("W1", "micrograd", 30), speed("W1", "micrograd", 60),
        speed("W1", "torch_scalar", 10),
        t("first losses agree to 1e-9", chk["first_losses_agree"],
          f"max Δ {max(chk['first_loss_diff'].values(), default=math.nan):.1e}"),
        t("W1 accuracy 100%", None if not w1 else w1["final_accuracy"] == 1.0,
          "-" if not w1 else f"{w1['final_accuracy']:.0%} at step {w1['steps']}"),
        speed("W1e", "micrograd", 5),
        t(f"W2 N={big:,} at the default recursion limit",
          None if not w2 else w2["largest_ok"] == big,
          "-" if not w2 else f"largest N {w2['largest_ok']:,}"),
        speed("W2 backward", "micrograd_raised", 1),
        t("W3 < 300 bytes per node", None if not w3 else w3["bytes_per_node"] < 300,
          "-" if not w3 else f"{w3['bytes_per_node']:.0f} B"),
        t("W4 works", None if not w4 else bool(w4.get("ok")), "-" if not w4 else
          ("ok" if w4.get("ok") else w4.get("failure", "wrong gradient"))),
        speed("W4", "micrograd_raised", 1),
        t("W5 RSS flat (final ≤ 1.05 × early)", None if not w5 else w5["ratio"] <= 1.05,
          "-" if not w5 else f"×{w5['ratio']:.3f}"),
        *new,
    ]


def _rows(results: R, cfg: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    def row(label: str, w: str, show: Callable[[dict[str, Any]], str]) -> tuple[str,
                                                                               dict[str, str]]:
        return label, {c: _cell(results.get(w, {}).get(c), show) for c in COLUMNS}

    def chain(n: int) -> Callable[[dict[str, Any]], str]:
        def show(r: dict[str, Any]) -> str:
            run = r["runs"].get(str(n))
            if run is None:
                return ""
            if run.get("skipped"):
                return "not run"
            if not run["ok"]:
                return str(run.get("failure", "failed")).split(":")[0]
            return f"{fmt_s(run['forward_s'])} / {fmt_s(run['backward_s'])}"
        return show

    def largest(r: dict[str, Any]) -> str:
        return f"{r.get('max_steps', r['largest_ok']):,}"

    def w5(r: dict[str, Any]) -> str:
        return f"{r['rss_early'] / 2**20:.1f}→{r['rss_final'] / 2**20:.1f} MB"

    rows = [
        row("W1 step (median)", "W1", lambda r: fmt_s(r["step_s"])),
        row("W1 step CPU time (median)", "W1", lambda r: fmt_s(r["step_cpu_s"])),
        row("   forward", "W1", lambda r: fmt_s(r["forward_s"])),
        row("   zero_grad+backward", "W1", lambda r: fmt_s(r["backward_s"])),
        row("   update", "W1", lambda r: fmt_s(r["update_s"])),
        row("W1 final accuracy", "W1", lambda r: f"{r['final_accuracy']:.0%} @{r['steps']}"),
        row("W1 all steps, end to end (CPU)", "W1", lambda r: fmt_s(r["total_cpu_s"])),
        row("W1e step (median)", "W1e", lambda r: fmt_s(r["step_s"])),
        row("W1e step CPU time (median)", "W1e", lambda r: fmt_s(r["step_cpu_s"])),
    ]
    rows += [row(f"W2 N={n:,} fwd / bwd", "W2", chain(n)) for n in cfg["chain"]]
    rows += [
        row("W2 largest N that works", "W2", largest),
        row("W3 bytes/node (tracemalloc)", "W3", lambda r: f"{r['bytes_per_node']:.0f}"),
        row("W3 bytes/node (RSS)", "W3", lambda r: f"{r['rss_bytes_per_node']:.0f}"),
        row(f"W4 sum of {cfg['w4_n']:,}: sum / bwd", "W4", lambda r: (
            f"{fmt_s(r['sum_s'])} / {fmt_s(r['backward_s'])}" if r.get("ok")
            else r.get("failure", "wrong gradient").split(":")[0])),
        row("W4 autograd.sum: sum+bwd", "W4", lambda r: (
            fmt_s(r["nary_sum_backward_s"]) if "nary_sum_backward_s" in r else "")),
        row(f"W5 RSS step {cfg['w5'][0]}→{cfg['w5'][1]}", "W5", w5),
        row(f"W6 moons demo, {cfg['w6']} steps (CPU)", "W6", lambda r: fmt_s(r["total_cpu_s"])),
    ]
    def per_node(shape: str, n: int) -> Callable[[dict[str, Any]], str]:
        return lambda r: f"{r[shape][str(n)]:.0f}"

    rows += [row(f"W7 {shape} {n:,} nodes: ns/node", "W7", per_node(shape, n))
             for shape in ("chain", "wide") for n in cfg["scaling"]]
    return rows


def table(results: R, cfg: dict[str, Any], chk: dict[str, Any],
          rat: dict[str, dict[str, float]], tgt: list[dict[str, Any]]) -> str:
    """The printed report."""
    rows = [r for r in _rows(results, cfg) if any(r[1].values())]
    cols = [c for c in COLUMNS if any(r[1][c] for r in rows)]
    rows = [r for r in rows if any(r[1][c] for c in cols)]
    width = max(len(label) for label, _ in rows)
    cw = {c: max(len(SHORT[c]), *(len(r[1][c]) for r in rows)) for c in cols}
    lines = ["  ".join([" " * width, *(SHORT[c].rjust(cw[c]) for c in cols)])]
    lines += ["  ".join([label.ljust(width), *(cells[c].rjust(cw[c]) for c in cols)])
              for label, cells in rows]
    lines += ["", "micrograd(RL): micrograd with the recursion limit raised (in a big-stack "
              "thread).", "Workloads: " + "; ".join(f"{k} {v}" for k, v in TITLES.items()), "",
              f"First loss (plain-float reference): {chk['reference_first_loss']!r}; "
              f"every engine within {LOSS_TOL:g}: {chk['first_losses_agree']}"]
    if chk["loss_curve_max_diff"]:
        lines.append("W1 loss curves, max |Δ| vs autograd: " + ", ".join(
            f"{SHORT[c]} {d:.1e}" for c, d in chk["loss_curve_max_diff"].items()))
    lines += ["", "Speed-ups (peer ÷ autograd, same run):"]
    lines += [f"  {w:<15} " + "   ".join(f"vs {SHORT[c]} {r:.3g}×" for c, r in per.items())
              for w, per in rat.items()]
    lines += ["", "Targets:"]
    mark = {True: "PASS", False: "FAIL", None: "n/a "}
    lines += [f"  {mark[x['ok']]}  {x['target']:<46} {x['measured']}" for x in tgt]
    return "\n".join(lines)


def draw_scaling(results: R, path: Any) -> bool:
    """W7's time per node against graph size, as a PNG (False without matplotlib or W7)."""
    runs = {c: r for c in ("autograd", "autograd_relaxed", "micrograd_raised")
            if (r := _get(results, "W7", c))}
    if not runs:
        return False
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
    names = {"autograd": "autograd", "autograd_relaxed": "autograd in relaxed_gc()",
             "micrograd_raised": "micrograd (recursion limit raised)"}
    for ax, shape in zip(axes, ("chain", "wide")):
        for col, r in runs.items():
            sizes = sorted(int(n) for n in r[shape])
            ax.plot(sizes, [r[shape][str(n)] for n in sizes], marker="o", label=names[col])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("nodes")
        ax.set_title({"chain": "chain x = x·a + b", "wide": "wide sum of N values"}[shape])
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("ns per node (build + backward)")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def build(results: R, cfg: dict[str, Any], reference: float) -> dict[str, Any]:
    """Everything the JSON holds besides machine and config."""
    chk = checks(results, reference)
    rat = ratios(results)
    tgt = targets(results, chk, rat, cfg)
    return {"checks": chk, "ratios": rat, "targets": tgt, "results": results,
            "table": table(results, cfg, chk, rat, tgt)}
