"""Bootstrap confidence intervals that resample whole articles (doc_id), as the test set was drawn.

Sentences of one article are not independent, so every resample draws articles with
replacement and keeps all their sentences. Metrics are computed from summed per-article
confusion counts, which makes 10,000 resamples a few matrix products.
"""

from collections.abc import Sequence

import numpy as np

from model.labels import LABEL2ID, LABELS

RESAMPLES = 10_000
SEED = 12345
K = len(LABELS)


def doc_confusions(doc_ids: Sequence[str], gold: Sequence[str], predicted: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The article ids (sorted) and one flattened KxK confusion matrix per article."""
    docs = sorted(set(doc_ids))
    index = {doc: i for i, doc in enumerate(docs)}
    counts = np.zeros((len(docs), K * K), dtype=np.int64)
    for doc, g, p in zip(doc_ids, gold, predicted):
        counts[index[doc], LABEL2ID[g] * K + LABEL2ID[p]] += 1
    return docs, counts


def scores_from_confusions(totals: np.ndarray, scored: Sequence[str] = LABELS) -> dict[str, np.ndarray]:
    """accuracy, macro_f1 (over the `scored` labels) and f1_LABEL for each row of flattened confusion totals (R x K*K)."""
    matrix = totals.reshape(-1, K, K).astype(np.float64)
    true_positive = np.diagonal(matrix, axis1=1, axis2=2)
    predicted = matrix.sum(axis=1)
    actual = matrix.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        # a resample with no gold and no predicted item of a label found all of none: F1 1, not 0
        f1 = np.where(predicted + actual > 0, 2 * true_positive / (predicted + actual), 1.0)
    scores = {
        "accuracy": true_positive.sum(axis=1) / matrix.sum(axis=(1, 2)),
        "macro_f1": f1[:, [LABEL2ID[label] for label in scored]].mean(axis=1),
    }
    scores.update({f"f1_{label}": f1[:, i] for i, label in enumerate(LABELS)})
    return scores


def resample_weights(n_docs: int, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """How often each article is drawn in each resample (resamples x n_docs)."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_docs, np.full(n_docs, 1 / n_docs), size=resamples)


def scored_labels(counts: np.ndarray) -> list[str]:
    """The labels present in the gold data of per-article confusion counts (the macro-F1 set)."""
    gold_totals = counts.sum(axis=0).reshape(K, K).sum(axis=1)
    return [label for label, total in zip(LABELS, gold_totals) if total > 0]


def confidence_intervals(counts: np.ndarray, resamples: int = RESAMPLES, seed: int = SEED, level: float = 0.95) -> dict:
    """Point estimate and percentile interval of every score, from per-article confusion counts.

    Every resample averages macro-F1 over the labels of the whole file, even if it drew none of one.
    """
    scored = scored_labels(counts)
    point = scores_from_confusions(counts.sum(axis=0, keepdims=True), scored)
    draws = scores_from_confusions(resample_weights(len(counts), resamples, seed) @ counts, scored)
    tail = (1 - level) / 2 * 100
    return {
        name: {
            "value": float(point[name][0]),
            "low": float(np.percentile(draws[name], tail)),
            "high": float(np.percentile(draws[name], 100 - tail)),
        }
        for name in point
    }


def paired_comparison(counts_a: np.ndarray, counts_b: np.ndarray, resamples: int = RESAMPLES, seed: int = SEED,
                      level: float = 0.95) -> dict:
    """B minus A for every score: the delta, its interval and a two-sided bootstrap p-value.

    Both models are scored on the same resampled articles in every draw (a paired test).
    The p-value is the share of draws whose delta falls on the other side of zero, doubled.
    """
    weights = resample_weights(len(counts_a), resamples, seed)
    scored = scored_labels(counts_a)
    point_a = scores_from_confusions(counts_a.sum(axis=0, keepdims=True), scored)
    point_b = scores_from_confusions(counts_b.sum(axis=0, keepdims=True), scored)
    draws_a = scores_from_confusions(weights @ counts_a, scored)
    draws_b = scores_from_confusions(weights @ counts_b, scored)
    tail = (1 - level) / 2 * 100
    result = {}
    for name in point_a:
        delta = draws_b[name] - draws_a[name]
        observed = float(point_b[name][0] - point_a[name][0])
        below, above = (delta <= 0).mean(), (delta >= 0).mean()
        p_value = 1.0 if np.allclose(delta, 0) else min(1.0, 2 * min(below, above) + 1 / resamples)
        result[name] = {
            "a": float(point_a[name][0]),
            "b": float(point_b[name][0]),
            "delta": observed,
            "low": float(np.percentile(delta, tail)),
            "high": float(np.percentile(delta, 100 - tail)),
            "p_value": float(p_value),
        }
    return result
