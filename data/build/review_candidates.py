"""Propose train sentences for a second look: where a cross-validated TF-IDF model confidently disagrees with the gold label.

    PYTHONPATH=. python3 -m data.build.review_candidates [N]     # prints the N most confident (default 60)

The model only picks which sentences a person re-reads; the person decides, by the spec,
with the article in view, and records any change in annotation/adjudication.jsonl (pass2
null, the reason in `why`). Only train is reviewed: choosing dev or test sentences with a
model would tilt the evaluation toward that model.
"""

import json
import sys
from pathlib import Path

from sklearn.model_selection import GroupKFold

from model.labels import LABELS
from model.tfidf import TfidfTagger

DATA = Path(__file__).resolve().parents[1]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    rows = [json.loads(line) for line in (DATA / "train.jsonl").open(encoding="utf-8")]
    texts, labels, groups = [r["text"] for r in rows], [r["label"] for r in rows], [r["doc_id"] for r in rows]
    proposals = []
    for fit_index, held_index in GroupKFold(n_splits=5).split(texts, labels, groups):
        tagger = TfidfTagger.fit([texts[i] for i in fit_index], [labels[i] for i in fit_index],
                                 preprocessing="aubmindlab/bert-base-arabertv02")
        for i, prediction in zip(held_index, tagger.predict([texts[i] for i in held_index])):
            if prediction.label != labels[i]:
                proposals.append((prediction.score, rows[i]["id"], labels[i], prediction.label))
    for score, sentence_id, gold, predicted in sorted(proposals, reverse=True)[:n]:
        print(f"{sentence_id}\tgold={gold}\tmodel={predicted}\t{score:.2f}")
    print(f"{len(proposals)} disagreements of {len(rows)}; labels {LABELS}", file=sys.stderr)


if __name__ == "__main__":
    main()
