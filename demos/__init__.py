"""Classroom demos: each teaches one idea and ends with something to look at.

Run ``python -m demos`` for the list, ``python -m demos NAME`` (or
``python -m demos.NAME``) for one, ``python -m demos all --quick`` for all.
Every demo module defines ``DESCRIPTION`` (one line), ``run(quick, out) -> dict``
(the measured results the tests assert on) and ``main(argv=None) -> int``.
"""

# The order is the teaching order.
DEMOS = [
    "first_neuron",
    "backprop_by_hand",
    "nonlinearity_xor",
    "moons",
    "spiral_softmax",
    "universal_approximation",
    "optimizers",
    "vanishing_gradients",
    "dying_relu",
    "regularization",
    "initialization",
    "newton",
]
