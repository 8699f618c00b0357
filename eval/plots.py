"""Report plots, returned as PNG bytes (written to files and inlined in the HTML report)."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay  # noqa: E402

from model.labels import LABELS  # noqa: E402


def confusion_matrix(matrix: list[list[int]]) -> bytes:
    """Heat map of the confusion matrix (rows gold, columns predicted) with counts."""
    figure, axes = plt.subplots(figsize=(5.5, 4.5))
    ConfusionMatrixDisplay(np.array(matrix), display_labels=list(LABELS)).plot(ax=axes, cmap="Blues", colorbar=False)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    return _png(figure)


def reliability(calibration: dict) -> bytes:
    """Reliability diagram: accuracy against confidence per bin, before and after temperature scaling."""
    figure, axes = plt.subplots(figsize=(5, 4.5))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    curves = [("as predicted", calibration)]
    if "before_scaling" in calibration:
        curves = [("before scaling", calibration["before_scaling"]), (f"T = {calibration['temperature']:.2f}", calibration)]
    for name, data in curves:
        points = [(b["confidence"], b["accuracy"]) for b in data["bins"] if b["n"]]
        axes.plot(*zip(*points), marker="o", label=f"{name} (ECE {data['ece']:.3f})")
    axes.set_xlabel("confidence")
    axes.set_ylabel("accuracy")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend(loc="upper left", fontsize=8)
    return _png(figure)


def _png(figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()
