"""Assemble the labelled splits from the candidates, the annotation passes and the adjudication.

    python -m data.build.assemble [--partial]

--partial assembles only the candidates labelled so far and leaves out any
disagreement still waiting for adjudication (it says how many).

Gold is the adjudicated label where the two passes disagreed, else the (agreed or
single) first-pass label. Writes data/{train,dev,test,test_articles}.jsonl, texts
taken from the corpus read in place.
"""

import sys
from collections import Counter, defaultdict
from pathlib import Path

from data.build.corpus import read_corpus
from data.build.labels_io import read_adjudication, read_candidates, read_pass
from model.io import write_jsonl

DATA = Path(__file__).resolve().parents[1]


def gold_labels(partial: bool = False) -> dict[str, str]:
    """id -> gold label; with partial, unadjudicated disagreements are left out.

    The adjudication log decides every disagreement, and also holds the lead's reviews
    of single-labelled sentences (pass2 null) where a later guideline settled the case.
    """
    pass1, pass2, adjudicated = read_pass("pass1"), read_pass("pass2"), read_adjudication()
    gold = {}
    for sentence_id, (label, _) in pass1.items():
        second = pass2.get(sentence_id, (label, ""))[0]
        if sentence_id in adjudicated:
            label = adjudicated[sentence_id]["label"]
        elif second != label:
            if partial:
                continue
            raise ValueError(f"{sentence_id}: passes disagree ({label} / {second}) and no adjudication")
        gold[sentence_id] = label
    return gold


def main() -> None:
    partial = "--partial" in sys.argv[1:]
    candidates = read_candidates()
    gold = gold_labels(partial)
    missing = [row["id"] for row in candidates if row["id"] not in gold]
    if partial:
        print(f"partial: {len(gold)} labelled, {len(missing)} candidates left out")
        candidates = [row for row in candidates if row["id"] in gold]
    elif missing:
        raise SystemExit(f"{len(missing)} candidates have no label yet, e.g. {missing[:3]}")
    dates = sorted({row["doc_id"].split("-", 1)[1][:10] for row in candidates})
    articles = read_corpus(dates)
    splits: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(candidates, key=lambda r: (r["doc_id"], r["position"])):
        text = articles[row["doc_id"]].sentences[row["position"]]
        splits[row["split"]].append(
            {
                "id": row["id"],
                "text": text,
                "label": gold[row["id"]],
                "doc_id": row["doc_id"],
                "source": row["source"],
                "position": row["position"],
            }
        )
    for split, rows in splits.items():
        write_jsonl(DATA / f"{split}.jsonl", rows)
        print(split, len(rows), dict(Counter(r["label"] for r in rows)))


if __name__ == "__main__":
    main()
