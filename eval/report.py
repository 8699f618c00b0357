"""Build one model's evaluation report and write it: metrics.json, predictions.jsonl, report.md,
report.html (self-contained) and the plots. Every model kind gets the same report."""

import hashlib
from pathlib import Path

import numpy as np

from model.data import Example
from model.io import write_bytes, write_json, write_jsonl, write_text
from model.labels import LABEL2ID, LABELS

from eval import analysis, plots
from eval.bootstrap import RESAMPLES, confidence_intervals, doc_confusions
from eval.calibration import expected_calibration_error, reliability, rescale
from eval.metrics import classification_metrics
from eval.render import render_html, render_markdown


def data_hash(examples: list[Example]) -> str:
    """SHA-256 of the sorted (id, text, label) rows: equal only for the same test data."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: e.id):
        digest.update(f"{example.id}\t{example.text}\t{example.label}\n".encode())
    return digest.hexdigest()


def predict_rows(predictor, examples: list[Example], batch_size: int | None = None) -> list[dict]:
    """One row per example: its fields, the gold label, the prediction and its probabilities."""
    contexts = [e.position for e in examples] if predictor.settings.context else None   # trained with positions
    predictions = predictor.predict([e.text for e in examples], contexts, batch_size=batch_size)
    return [
        {
            "id": e.id,
            "doc_id": e.doc_id,
            "source": e.source,
            "corpus": e.corpus,
            "text": e.text,
            "gold": e.label,
            "label": p.label,
            "score": p.score,
            "probabilities": p.probabilities,
        }
        for e, p in zip(examples, predictions)
    ]


def evaluate(predictor, examples: list[Example], batch_size: int | None = None) -> tuple[dict, list[dict]]:
    """The core metrics of `predictor` on `examples`, and the prediction rows."""
    rows = predict_rows(predictor, examples, batch_size)
    return classification_metrics([r["gold"] for r in rows], [r["label"] for r in rows]), rows


def build_report(predictor, examples: list[Example], meta: dict, seed: list[Example] | None = None,
                 articles: list[Example] | None = None, temperature: float = 1.0,
                 resamples: int = RESAMPLES, batch_size: int | None = None) -> tuple[dict, list[dict]]:
    """Everything a report holds, as one JSON-ready dict, and the test prediction rows."""
    metrics, rows = evaluate(predictor, examples, batch_size)
    _, counts = doc_confusions([r["doc_id"] for r in rows], [r["gold"] for r in rows], [r["label"] for r in rows])
    report = {
        **metrics,
        "intervals": confidence_intervals(counts, resamples=resamples),
        "calibration": calibration(rows, temperature),
        "confusions": analysis.top_confusions(rows),
        "by_source": analysis.by_source(rows),
        "by_corpus": by_corpus(rows, resamples),
        "by_cue": analysis.by_cue(rows),
        "meta": {**meta, "n": len(rows), "data_hash": data_hash(examples), "resamples": resamples},
    }
    if seed:
        seed_rows = predict_rows(predictor, seed, batch_size)
        report["seed_article"] = {
            **classification_metrics([r["gold"] for r in seed_rows], [r["label"] for r in seed_rows]),
            "sentences": [{k: r[k] for k in ("id", "text", "gold", "label", "score")} for r in seed_rows],
        }
    if articles:
        report["test_articles"] = analysis.article_level(predict_rows(predictor, articles, batch_size))
    return report, rows


def by_corpus(rows: list[dict], resamples: int = RESAMPLES) -> dict[str, dict]:
    """Scores with bootstrap intervals on each corpus's rows apart (none when rows carry no corpus)."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("corpus"):
            groups.setdefault(row["corpus"], []).append(row)
    scores = {}
    for corpus, group in sorted(groups.items()):
        _, counts = doc_confusions([r["doc_id"] for r in group], [r["gold"] for r in group], [r["label"] for r in group])
        metrics = classification_metrics([r["gold"] for r in group], [r["label"] for r in group])
        scores[corpus] = {"n": len(group), "accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"],
                          "per_label": metrics["per_label"],
                          "intervals": confidence_intervals(counts, resamples=resamples)}
    return scores


def calibration(rows: list[dict], temperature: float = 1.0) -> dict:
    """ECE and reliability bins of the probabilities as predicted, and before temperature scaling."""
    probabilities = np.array([[r["probabilities"][label] for label in LABELS] for r in rows])
    gold = np.array([LABEL2ID[r["gold"]] for r in rows])
    result = {"temperature": temperature, **_calibration_of(probabilities, gold)}
    if temperature != 1.0:
        # undo the scaling: softmax(T * log p) recovers the uncalibrated probabilities
        result["before_scaling"] = _calibration_of(rescale(probabilities, 1 / temperature), gold)
    return result


def _calibration_of(probabilities: np.ndarray, gold: np.ndarray) -> dict:
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == gold
    return {"ece": expected_calibration_error(confidence, correct), "bins": reliability(confidence, correct)}


def write_report(out_dir: str | Path, report: dict, rows: list[dict]) -> Path:
    """Write every file of a report folder, each atomically, and return the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "metrics.json", report)
    write_jsonl(out / "predictions.jsonl", rows)
    images = {
        "confusion_matrix.png": plots.confusion_matrix(report["confusion_matrix"]["matrix"]),
        "reliability.png": plots.reliability(report["calibration"]),
    }
    for name, png in images.items():
        write_bytes(out / name, png)
    write_text(out / "report.md", render_markdown(report, images))
    write_text(out / "report.html", render_html(report, images))
    return out
