"""Write an evaluation report folder: metrics.json, predictions.jsonl, report.md, confusion.png."""

import hashlib
from pathlib import Path

from model.data import Example
from model.io import atomic_open, write_json, write_jsonl, write_text
from model.labels import LABELS

from eval.metrics import classification_metrics


def data_hash(examples: list[Example]) -> str:
    """SHA-256 of the sorted (id, text, label) rows: equal only for the same test data."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: e.id):
        digest.update(f"{example.id}\t{example.text}\t{example.label}\n".encode())
    return digest.hexdigest()


def evaluate(predictor, examples: list[Example], batch_size: int = 32) -> tuple[dict, list[dict]]:
    """Run `predictor.predict` over `examples`; return the metrics and one row per prediction."""
    predictions = predictor.predict([e.text for e in examples], batch_size=batch_size)
    metrics = classification_metrics([e.label for e in examples], [p.label for p in predictions])
    rows = [
        {
            "id": e.id,
            "doc_id": e.doc_id,
            "source": e.source,
            "text": e.text,
            "gold": e.label,
            "label": p.label,
            "score": p.score,
            "probabilities": p.probabilities,
        }
        for e, p in zip(examples, predictions)
    ]
    return metrics, rows


def write_report(out_dir: str | Path, metrics: dict, rows: list[dict], meta: dict) -> Path:
    """Write every file of a report folder (each atomically) and return the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "metrics.json", {**metrics, "meta": meta})
    write_jsonl(out / "predictions.jsonl", rows)
    write_text(out / "report.md", render_markdown(metrics, meta))
    plot_confusion(metrics["confusion_matrix"]["matrix"], out / "confusion_matrix.png")
    return out


def render_markdown(metrics: dict, meta: dict) -> str:
    """The report's tables in Markdown."""
    lines = [
        f"# Evaluation: {meta.get('model', '?')}",
        "",
        f"Data: `{meta.get('data', '?')}` ({meta.get('n', '?')} sentences, hash `{meta.get('data_hash', '?')[:12]}`)",
        "",
        f"- accuracy: **{metrics['accuracy']:.3f}**",
        f"- macro-F1: **{metrics['macro_f1']:.3f}**",
        "",
        "| label | precision | recall | F1 | support |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in LABELS:
        m = metrics["per_label"][label]
        lines.append(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    lines += ["", "Confusion matrix (rows: gold, columns: predicted)", ""]
    lines.append("| gold \\ predicted | " + " | ".join(LABELS) + " |")
    lines.append("| --- |" + " ---: |" * len(LABELS))
    for label, row in zip(LABELS, metrics["confusion_matrix"]["matrix"]):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    lines += ["", "![confusion matrix](confusion_matrix.png)", ""]
    return "\n".join(lines)


def plot_confusion(matrix: list[list[int]], path: Path) -> None:
    """Save the confusion matrix as a PNG heat map with counts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay
    import numpy as np

    figure, axes = plt.subplots(figsize=(5.5, 4.5))
    ConfusionMatrixDisplay(np.array(matrix), display_labels=list(LABELS)).plot(
        ax=axes, cmap="Blues", colorbar=False
    )
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    figure.tight_layout()
    with atomic_open(path, "wb") as handle:
        figure.savefig(handle, format="png", dpi=120)
    plt.close(figure)
