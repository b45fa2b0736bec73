"""Module.parameters() is cached, and the cache is never stale: every way of changing a
model's members is seen (attribute assignment and deletion, lists changed in place)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value
from autograd.nn import MLP, Layer, Module, Neuron


def walk(model: Module) -> list[Value]:
    """The parameters found afresh (what parameters() computed before it was cached)."""
    return list(dict.fromkeys(v for m in model.modules()
                              for _, v in m._own_parameters(named=False)))


class Pair(Module):
    def __init__(self) -> None:
        self.a = Value(1.0)
        self.parts = [Neuron(2, seed=0)]


CHANGES: dict[str, Callable[[Any], None]] = {
    "assign a Value": lambda m: setattr(m, "c", Value(3.0)),
    "replace a Value": lambda m: setattr(m, "a", Value(4.0)),
    "delete a Value": lambda m: delattr(m, "a"),
    "assign a Module": lambda m: setattr(m, "extra", Neuron(3, seed=1)),
    "assign a list": lambda m: setattr(m, "more", [Value(5.0), Value(6.0)]),
    "assign a tuple": lambda m: setattr(m, "more", (Value(5.0),)),
    "replace a list": lambda m: setattr(m, "parts", []),
    "append": lambda m: m.parts.append(Neuron(1, seed=2)),
    "extend": lambda m: m.parts.extend([Value(7.0)]),
    "insert": lambda m: m.parts.insert(0, Value(8.0)),
    "+=": lambda m: m.parts.__iadd__([Value(9.0)]),
    "item assignment": lambda m: m.parts.__setitem__(0, Neuron(2, seed=3)),
    "slice assignment": lambda m: m.parts.__setitem__(slice(0, 1), [Value(1.5), Value(2.5)]),
    "del item": lambda m: m.parts.__delitem__(0),
    "pop": lambda m: m.parts.pop(),
    "remove": lambda m: m.parts.remove(m.parts[0]),
    "clear": lambda m: m.parts.clear(),
    "a sub-module's Value": lambda m: setattr(m.parts[0], "b", Value(-1.0)),
    "a sub-module's list": lambda m: m.parts[0].w.append(Value(0.5)),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_of_members_is_seen(change: str) -> None:
    model = Pair()
    before = model.parameters()
    assert before == walk(model)
    CHANGES[change](model)
    after = model.parameters()
    assert after == walk(model)
    assert after != before


def test_the_cache_is_used_and_its_list_is_private() -> None:
    model = MLP(2, [4, 1], seed=0)
    first = model.parameters()
    first.append(Value(0.0))                          # the caller's copy, not the cache
    assert model.parameters() == walk(model) and len(model.parameters()) == 17
    assert model.parameters() is not model.parameters()
    model.train(False)                                # not a change of members
    model.layers[0].neurons[0].w[0].data = 3.0        # neither is a number
    assert model.parameters() == walk(model)


def test_replacing_a_layer_of_an_mlp() -> None:
    model = MLP(2, [4, 1], seed=0)
    old = model.parameters()
    model.layers[0] = Layer(2, 4, seed=9)
    assert model.parameters() == walk(model) != old


def test_copies_and_pickles_have_their_own_parameters() -> None:
    model = MLP(2, [3, 1], seed=0)
    model.parameters()
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model)), copy.copy(model)):
        assert twin.parameters() == walk(twin)
    deep = copy.deepcopy(model)
    assert not set(deep.parameters()) & set(model.parameters())
