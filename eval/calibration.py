"""Calibration: expected calibration error, reliability bins, and temperature scaling."""

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar

BINS = 10


def reliability(confidences: Sequence[float], correct: Sequence[bool], bins: int = BINS) -> list[dict]:
    """Equal-width confidence bins with their count, mean confidence and accuracy."""
    confidences = np.asarray(confidences, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    edges = np.linspace(0, 1, bins + 1)
    # a confidence equal to an upper edge belongs to that bin (the first bin also takes 0)
    which = np.clip(np.searchsorted(edges, confidences, side="left") - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = which == b
        n = int(mask.sum())
        rows.append({
            "low": float(edges[b]),
            "high": float(edges[b + 1]),
            "n": n,
            "confidence": float(confidences[mask].mean()) if n else None,
            "accuracy": float(correct[mask].mean()) if n else None,
        })
    return rows


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = BINS) -> float:
    """ECE: the bin-size-weighted mean gap between confidence and accuracy."""
    total = len(confidences)
    if total == 0:
        raise ValueError("cannot compute ECE on zero predictions")
    return float(sum(r["n"] / total * abs(r["accuracy"] - r["confidence"]) for r in reliability(confidences, correct, bins) if r["n"]))


def rescale(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities as they would be with logits divided by `temperature` (softmax of log p / T)."""
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exps = np.exp(logits)
    return exps / exps.sum(axis=1, keepdims=True)


def fit_temperature(probabilities: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature that minimises the negative log-likelihood of `gold` (fitted on dev)."""
    gold = np.asarray(gold)
    rows = np.arange(len(gold))

    def nll(log_t: float) -> float:
        return float(-np.log(rescale(probabilities, float(np.exp(log_t)))[rows, gold] + 1e-12).mean())

    best = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(best.x))
