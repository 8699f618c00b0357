"""Classification metrics, computed with scikit-learn.

Macro averages run over the labels present in the gold data (for every model, resample
and comparison on that file, the same set): a label the file does not have can be neither
found nor missed, so it must not pull the average down. Per-label scores are given for
all four labels (support 0 where absent).
"""

from collections.abc import Sequence

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from model.labels import LABELS


def present_labels(gold: Sequence[str]) -> list[str]:
    """The labels `gold` holds, in the package's order: the set macro averages run over."""
    present = set(gold)
    return [label for label in LABELS if label in present]


def classification_metrics(gold: Sequence[str], predicted: Sequence[str], scored: Sequence[str] | None = None) -> dict:
    """accuracy, macro_f1 (over `scored`, by default the labels present in `gold`), per_label (precision,
    recall, f1, support; scikit-learn's zero_division=0 keeps undefined scores at 0) and confusion_matrix."""
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} labels but predicted has {len(predicted)}")
    if not gold:
        raise ValueError("cannot compute metrics on zero examples")
    scored = present_labels(gold) if scored is None else list(scored)
    labels = list(LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    return {
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, labels=scored, average="macro", zero_division=0)),
        "macro_labels": scored,
        "per_label": {
            label: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
        "confusion_matrix": {
            "labels": labels,
            "rows_are": "gold",
            "matrix": confusion_matrix(gold, predicted, labels=labels).tolist(),
        },
    }
