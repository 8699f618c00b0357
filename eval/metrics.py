"""Classification metrics over the four labels, computed with scikit-learn."""

from collections.abc import Sequence

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from model.labels import LABELS


def classification_metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """accuracy, macro_f1, per_label (precision, recall, f1, support) and confusion_matrix.

    Macro averages run over all four labels, so a label missing from `gold` counts as 0 F1
    only if it is predicted; scikit-learn's zero_division=0 keeps undefined scores at 0.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} labels but predicted has {len(predicted)}")
    if not gold:
        raise ValueError("cannot compute metrics on zero examples")
    labels = list(LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    return {
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)),
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
