"""Three spiral arms: softmax turns three scores into probabilities, cross-entropy trains them.

For K classes the network ends in K linear neurons whose outputs z₁ … z_K (the
logits) are raw scores.  Softmax turns them into probabilities that sum to 1:

    softmax(z)ₖ = exp(zₖ) / Σⱼ exp(zⱼ)

and the cross-entropy loss is the "surprise" of the correct class k:

    L = −log softmax(z)ₖ

small when the model puts a high probability on the right answer.  The
predicted class is the one with the largest score, so the plane is cut into K
regions: here three interleaved spiral arms, impossible for straight lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograd import MLP
from autograd.nn import softmax
from autograd.nn.losses import cross_entropy
from autograd.optim import Adam
from autograd.training.data import make_spirals
from autograd.training.fit import History, accuracy, fit
from autograd.training.plot import plot_decision_boundary, plot_history

from ._common import DPI, main_for, say
from ._figures import Pictures

NAME = "spiral_softmax"
DESCRIPTION = "Three-class spiral: softmax and cross-entropy carve three regions"

SEED = 0
CLASSES = 3


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Train MLP(2, [16, 16, 3]) with Adam on cross-entropy; draw the three regions."""
    say(__doc__.strip().splitlines()[0], "")
    per_class, epochs = (30, 25) if quick else (50, 40)
    X, y = make_spirals(per_class, CLASSES, noise=0.2, seed=SEED)
    model = MLP(2, [16, 16, CLASSES], seed=SEED)
    say(f"data:  {CLASSES} spiral arms × {per_class} points (chance level: 1 in {CLASSES})",
        f"model: MLP(2 → 16 → 16 → {CLASSES}), {model.num_parameters()} parameters; "
        "the 3 outputs are logits",
        f"train: cross-entropy, Adam (lr 0.02), mini-batches of 30, {epochs} epochs", "")
    every = max(1, epochs // 8)

    def report(epoch: int, history: History) -> None:
        if epoch == 1 or epoch % every == 0:
            say(f"epoch {epoch:3d}/{epochs}  cross-entropy {history.loss[-1]:.3f}  "
                f"accuracy {history.accuracy[-1]:4.0%}")

    history = fit(model, cross_entropy, (X, y), Adam(model, lr=0.02), epochs, batch_size=30,
                  callbacks=report, seed=SEED, verbose=False)
    final = accuracy(model, X, y)
    say("", f"final accuracy {final:.1%} (chance: {1 / CLASSES:.0%})", "")
    surprise = sorted(((cross_entropy(model(x), k).data, i) for i, (x, k) in enumerate(zip(X, y))))
    say("the least and the most surprising points (−log p of the correct class):")
    for caption, (_, i) in (("easiest", surprise[0]), ("median ", surprise[len(surprise) // 2]),
                            ("hardest", surprise[-1])):
        z, k = model(X[i]), y[i]
        probs = ", ".join(f"{p.data:.3f}" for p in softmax(z))
        say(f"  {caption} class {k}: z = ({', '.join(f'{v.data:+6.2f}' for v in z)})  "
            f"softmax ({probs})  −log p{k} = {cross_entropy(z, k).data:.3f}")
    pictures = Pictures(out, fmt, dpi)
    regions = pictures.save(plot_decision_boundary(
        model, X, y, resolution=40 if quick else 60, padding=0.2,
        title=f"Softmax regions of MLP(2, [16, 16, 3]): {final:.1%} correct"), "spiral_regions")
    curve = pictures.save(plot_history(history, title="Cross-entropy and accuracy per epoch"),
                          "spiral_training")
    say("", f"pictures: {regions}", f"          {curve}")
    return {"accuracy": final, "chance": 1 / CLASSES, "loss": history.loss, "picture": regions,
            "pictures": pictures.written, "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
