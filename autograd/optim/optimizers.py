"""Optimizers: turn gradients into parameter updates.

After ``loss.backward()`` each parameter θ holds ``g = ∂loss/∂θ`` in ``θ.grad``.
An optimizer's ``step()`` moves every θ a little downhill; it works on ``θ.data``
directly and records no graph.  ``zero_grad()`` clears the gradients for the next
pass (they accumulate otherwise).  Per-parameter memory (velocity, running
averages) is in ``opt.state[θ]``, a plain dict you can print while training.

========= ==========================================================================
SGD       θ ← θ − η·g
Momentum  v ← β·v + (1 − β)·g;  θ ← θ − η·v     (``form="classic"``: v ← β·v + g)
RMSProp   s ← β·s + (1 − β)·g²;  θ ← θ − η·g / √(s + ε)
Adam      m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;
          m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η·m̂ / (√v̂ + ε)
AdamW     θ ← θ − η·λ·θ, then the Adam step with the raw gradient (decoupled decay)
========= ==========================================================================

Momentum averages recent gradients, so steps keep going along directions that
agree and cancel along directions that flip sign.  RMSProp divides each
parameter's step by the size of its recent gradients, so steep and flat
directions advance at similar speeds.  Adam does both; its bias correction undoes
the pull of the zero-initialised averages towards 0 in the first steps.

``weight_decay=λ`` (all but AdamW) adds ``λ·θ`` to the gradient first, the gradient
of the penalty ``λ/2·Σθ²`` (PyTorch's convention).

>>> from autograd import Value
>>> from autograd.optim import SGD
>>> w = Value(3.0); loss = w * w; loss.backward()   # g = 2w = 6
>>> opt = SGD([w], lr=0.1); opt.step(); w.data        # 3 − 0.1·6
2.4
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, NamedTuple, cast

from .. import validate
from ..engine import Value
from ..nn.module import Module
from .schedules import CosineLR, LambdaLR, LinearLR, LRSchedule, StepLR

__all__ = ["SGD", "Adam", "AdamW", "CosineLR", "LRSchedule", "LambdaLR", "LRange", "LinearLR",
           "Momentum", "Optimizer", "RMSProp", "StepLR", "clip_grad_norm"]


def _param_list(params: Iterable[Value] | Module, who: str) -> list[Value]:
    if isinstance(params, Value):
        raise TypeError(f"{who}: params must be a list of Values or a Module, got one Value "
                        f"{params!r:.60}")
    if not isinstance(params, (Module, Iterable)) or isinstance(params, (str, bytes)):
        raise TypeError(f"{who}: params must be a list of Values or a Module, got "
                        f"{type(params).__name__} {params!r:.60}")
    items = list(params.parameters() if isinstance(params, Module) else params)
    out: list[Value] = []
    seen: set[int] = set()
    for i, p in enumerate(items):
        if not isinstance(p, Value):
            raise TypeError(f"{who}: params[{i}] must be a Value, got {type(p).__name__} "
                            f"{p!r:.60}")
        if id(p) not in seen:
            seen.add(id(p))
            out.append(p)
    return out


class LRange(NamedTuple):
    """The allowed range of a numeric hyperparameter: ``low ≤ x ≤ high`` (``<`` with
    ``high_open`` / ``low_open``), always a finite number."""

    low: float
    high: float = math.inf
    high_open: bool = False
    low_open: bool = False

    def check(self, who: str, name: str, x: Any) -> float:
        """``x`` as a float if it lies in this range (the message names ``who`` and ``name``)."""
        return validate.real(who, name, x, low=self.low, high=self.high,
                             low_open=self.low_open, high_open=self.high_open)


def _floatable(x: Any) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


class Optimizer:
    """Base class: holds the parameters, ``lr``, ``weight_decay`` and per-parameter state.

    Subclasses list their hyperparameters with allowed ranges in ``limits`` (and
    string options in ``choices``), and define ``_new_state()`` (the initial state
    of one parameter) and ``_update(p, g, state)`` (one step for one parameter with
    gradient ``g``).
    """

    limits: ClassVar[dict[str, tuple[float, ...]]] = {
        "lr": LRange(0.0), "weight_decay": LRange(0.0)}
    """name → :class:`LRange` ``(low, high, high excluded, low excluded)`` for every numeric
    hyperparameter (a plain tuple of the first three works too); all must be finite."""
    choices: ClassVar[dict[str, tuple[str, ...]]] = {}
    """name → allowed values for string hyperparameters."""

    def __init__(self, params: Iterable[Value] | Module, lr: float,
                 weight_decay: float = 0.0) -> None:
        self.params = _param_list(params, type(self).__name__)
        self.lr = lr
        self.weight_decay = self._checked("weight_decay", weight_decay)
        self.state: dict[Value, dict[str, float]] = {p: self._new_state() for p in self.params}
        self.steps = 0

    def _checked(self, name: str, value: Any, who: str = "") -> Any:
        who = who or type(self).__name__
        if name in self.choices:
            return validate.choice(who, name, value, self.choices[name])
        low, high, *flags = self.limits[name]
        return LRange(low, high, *map(bool, flags)).check(who, name, value)

    @property
    def lr(self) -> float:
        """The learning rate η (≥ 0); schedules change it between steps."""
        return float(self._lr)

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = self._checked("lr", value)

    def _new_state(self) -> dict[str, float]:
        return {}

    def _update(self, p: Value, g: float, state: dict[str, float]) -> None:
        raise NotImplementedError

    def state_for(self, p: Value) -> dict[str, float]:
        """The state of parameter ``p`` (same as ``opt.state[p]``)."""
        try:
            return self.state[p]
        except KeyError:
            raise KeyError(f"{type(self).__name__} does not optimize {p!r}") from None

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0."""
        for p in self.params:
            p.grad = 0.0

    def _gradients(self, method: str = "step") -> list[float]:
        """Every parameter's gradient as a float, all read before any parameter moves."""
        try:
            return [float(p.grad) for p in self.params]
        except (TypeError, ValueError):
            bad = next(i for i, p in enumerate(self.params) if not _floatable(p.grad))
            raise TypeError(f"{type(self).__name__}.{method}: params[{bad}].grad must be a "
                            f"number, got {type(self.params[bad].grad).__name__}") from None

    def step(self) -> None:
        """Update every parameter from its current gradient (no graph is recorded).

        Every gradient is read first, so a bad one changes nothing."""
        grads = self._gradients()
        self.steps += 1
        wd, update, state = self.weight_decay, self._update, self.state
        for p, g in zip(self.params, grads):
            if wd:
                g += wd * p.data
            update(p, g, state[p])

    def preview(self) -> dict[Value, float]:
        """Each parameter's value after the next :meth:`step`, changing nothing.

        A copy of this optimizer takes the step on stand-ins: each carries its
        parameter's number and gradient, reads everything else (``label`` …) from the
        parameter and is equal to it as a dict key, with a deep copy of its state.  So
        no parameter, state or step count is written, even for a moment: a preview in
        one thread never disturbs training in another (it shows the numbers it read).
        The stepper page's update frame shows it.  A subclass that keeps other changing
        state in attributes of its own should copy them in ``__copy__``.
        """
        self._gradients("preview")                 # a bad gradient is named as preview's
        stand_ins = [_StandIn(p) for p in self.params]
        twin = copy.copy(self)
        twin.params = cast("list[Value]", stand_ins)
        twin.state = {cast(Value, s): copy.deepcopy(self.state[p])
                      for s, p in zip(stand_ins, self.params)}
        twin.step()
        return {p: s.data for p, s in zip(self.params, stand_ins)}

    def settings(self) -> dict[str, Any]:
        """The hyperparameters by name, e.g. ``{'lr': 0.1, 'weight_decay': 0.0}``."""
        return {name: getattr(self, name) for name in (*self.limits, *self.choices)}

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume: type, hyperparameters, step count and each
        parameter's state (a list in parameter order), all JSON-friendly."""
        return {"type": type(self).__name__, "hyperparameters": self.settings(),
                "steps": self.steps, "state": [dict(self.state[p]) for p in self.params]}

    def load_state_dict(self, sd: Mapping[str, Any]) -> None:
        """Restore :meth:`state_dict` output; checked completely before anything changes."""
        who = f"{type(self).__name__}.load_state_dict"
        fields = {"type", "hyperparameters", "steps", "state"}
        if not isinstance(sd, Mapping) or set(sd) != fields:
            raise ValueError(f"{who}: sd must be a dict with exactly the keys {sorted(fields)}, "
                             f"got {sorted(map(str, sd)) if isinstance(sd, Mapping) else sd!r:.80}")
        if sd["type"] != type(self).__name__:
            raise ValueError(f"{who}: sd['type'] must be {type(self).__name__!r}, got "
                             f"{sd['type']!r:.60}")
        hyper, states, steps = sd["hyperparameters"], sd["state"], sd["steps"]
        names = set(self.settings())
        if not isinstance(hyper, Mapping) or set(hyper) != names:
            raise ValueError(f"{who}: hyperparameters must have exactly the keys {sorted(names)}, "
                             f"got {hyper!r:.80}")
        checked = {k: self._checked(k, v, who) for k, v in hyper.items()}
        steps = validate.count(who, "steps", steps, low=0)
        if not isinstance(states, list) or len(states) != len(self.params):
            raise ValueError(f"{who}: state must be a list of {len(self.params)} dicts, got "
                             f"{type(states).__name__} {states!r:.60}")
        keys = set(self._new_state())
        new_states = []
        for i, s in enumerate(states):
            if not isinstance(s, Mapping) or set(s) != keys:
                raise ValueError(f"{who}: state[{i}] must have exactly the keys {sorted(keys)}, "
                                 f"got {s!r:.60}")
            new_states.append({k: validate.count(who, f"state[{i}][{k!r}]", v, low=0)
                               if k == "step" else validate.real(who, f"state[{i}][{k!r}]", v)
                               for k, v in s.items()})
        for k, v in checked.items():
            setattr(self, k, v)
        self.steps = steps
        for p, s in zip(self.params, new_states):
            self.state[p] = s

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings().items())
        return f"{type(self).__name__}({args}, {len(self.params)} parameters)"


_BETA = LRange(0.0, 1.0, high_open=True)
_EPS = LRange(0.0, low_open=True)   # ε > 0: with ε = 0 a zero gradient divides 0 by 0


class SGD(Optimizer):
    """Plain gradient descent: ``θ ← θ − η·g`` (``g`` includes ``weight_decay·θ``)."""

    def _update(self, p: Value, g: float, state: dict[str, float]) -> None:
        p.data -= self._lr * g


class Momentum(Optimizer):
    """Gradient descent with momentum, state ``{'velocity': v}``.

    ``form="average"`` (default): ``v ← β·v + (1 − β)·g``, a moving average of the
    gradients; ``form="classic"``: ``v ← β·v + g`` (PyTorch's ``SGD(momentum=β)``,
    steps about ``1/(1 − β)`` times larger).  Then ``θ ← θ − η·v``.
    """

    limits: ClassVar[dict[str, tuple[float, ...]]] = {**Optimizer.limits, "beta": _BETA}
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"form": ("average", "classic")}

    def __init__(self, params: Iterable[Value] | Module, lr: float, beta: float = 0.9,
                 weight_decay: float = 0.0, form: str = "average") -> None:
        self.beta = self._checked("beta", beta)
        self.form = self._checked("form", form)
        super().__init__(params, lr, weight_decay)

    def _new_state(self) -> dict[str, float]:
        return {"velocity": 0.0}

    def _update(self, p: Value, g: float, state: dict[str, float]) -> None:
        b = self.beta
        v = b * state["velocity"] + (g if self.form == "classic" else (1.0 - b) * g)
        state["velocity"] = v
        p.data -= self._lr * v


class RMSProp(Optimizer):
    """Per-parameter step sizes, state ``{'mean_square': s}`` (the running E[g²]):
    ``s ← β·s + (1 − β)·g²`` and ``θ ← θ − η·g / √(s + ε)``.

    ε sits inside the square root, as in the update above (PyTorch adds it outside:
    ``g / (√s + ε)``; the two agree unless s is tiny).
    """

    limits: ClassVar[dict[str, tuple[float, ...]]] = {
        **Optimizer.limits, "beta": _BETA, "eps": _EPS}

    def __init__(self, params: Iterable[Value] | Module, lr: float, beta: float = 0.9,
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        self.beta = self._checked("beta", beta)
        self.eps = self._checked("eps", eps)
        super().__init__(params, lr, weight_decay)

    def _new_state(self) -> dict[str, float]:
        return {"mean_square": 0.0}

    def _update(self, p: Value, g: float, state: dict[str, float]) -> None:
        b = self.beta
        s = state["mean_square"] = b * state["mean_square"] + (1.0 - b) * g * g
        p.data -= self._lr * g / math.sqrt(s + self.eps)


class Adam(Optimizer):
    """Adam, state ``{'step': t, 'm': m, 'v': v}`` (first and second moments):

    ``m ← β₁m + (1 − β₁)g``, ``v ← β₂v + (1 − β₂)g²``, ``m̂ = m/(1 − β₁ᵗ)``,
    ``v̂ = v/(1 − β₂ᵗ)``, ``θ ← θ − η·m̂/(√v̂ + ε)``.  Same as ``torch.optim.Adam``.
    """

    limits: ClassVar[dict[str, tuple[float, ...]]] = {
        **Optimizer.limits, "beta1": _BETA, "beta2": _BETA, "eps": _EPS}

    def __init__(self, params: Iterable[Value] | Module, lr: float = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        self.beta1 = self._checked("beta1", beta1)
        self.beta2 = self._checked("beta2", beta2)
        self.eps = self._checked("eps", eps)
        super().__init__(params, lr, weight_decay)

    def _new_state(self) -> dict[str, float]:
        return {"step": 0, "m": 0.0, "v": 0.0}

    def _update(self, p: Value, g: float, state: dict[str, float]) -> None:
        b1, b2 = self.beta1, self.beta2
        t = state["step"] = int(state["step"]) + 1
        m = state["m"] = b1 * state["m"] + (1.0 - b1) * g
        v = state["v"] = b2 * state["v"] + (1.0 - b2) * g * g
        m_hat, v_hat = m / (1.0 - b1 ** t), v / (1.0 - b2 ** t)
        p.data -= self._lr * m_hat / (math.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    """Adam with *decoupled* weight decay (Loshchilov & Hutter): each step first
    shrinks ``θ ← θ − η·λ·θ``, then takes the Adam step with the raw gradient, so
    the decay is not rescaled by Adam's per-parameter step sizes."""

    def __init__(self, params: Iterable[Value] | Module, lr: float = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 0.01) -> None:
        super().__init__(params, lr, beta1, beta2, eps, weight_decay)

    def step(self) -> None:
        """Decay every parameter, then an Adam step with the undecayed gradients."""
        grads = self._gradients()
        self.steps += 1
        shrink, update, state = 1.0 - self._lr * self.weight_decay, self._update, self.state
        for p, g in zip(self.params, grads):
            p.data *= shrink
            update(p, g, state[p])


class _StandIn:
    """A parameter as :meth:`Optimizer.preview` steps it: its own ``data`` and ``grad``;
    any other attribute read from the parameter, and equal to it (with its hash) as a key."""

    __slots__ = ("_param", "data", "grad")

    def __init__(self, param: Value) -> None:
        self.data, self.grad, self._param = param.data, param.grad, param

    def __getattr__(self, name: str) -> Any:
        return getattr(self._param, name)

    def __eq__(self, other: object) -> bool:
        return other is self or other is self._param

    def __hash__(self) -> int:
        return hash(self._param)


def clip_grad_norm(params: Iterable[Value] | Module, max_norm: float) -> float:
    """Rescale gradients so their total norm ‖g‖ = √(Σ g²) is at most ``max_norm``.

    Returns the norm before clipping (PyTorch's ``clip_grad_norm_``: the factor is
    ``max_norm / (‖g‖ + 1e-6)``).  A NaN or infinite norm is returned and the
    gradients are left alone, so the problem stays visible.
    """
    ps = _param_list(params, "clip_grad_norm")
    limit = validate.real("clip_grad_norm", "max_norm", max_norm, low=0, finite=False)
    total = math.hypot(*(float(p.grad) for p in ps))
    if math.isfinite(total) and total > limit:
        scale = limit / (total + 1e-6)
        for p in ps:
            p.grad = float(p.grad) * scale
    return total
