"""Assemble the labelled splits (corpus v2) from the candidates, the annotation passes and the adjudication.

    python -m data.build.assemble [--partial]

--partial assembles only the candidates labelled so far and leaves out any
disagreement still waiting for adjudication (it says how many).

Two corpora go into the same split files, each row with its `corpus`:
- SaudiNewsNet: release v1's candidates and labels (passes pass1/pass2, v1 ids),
  carried to the v2 splitter's ids by data/annotation/resplit.jsonl; the sentences
  the v2 splitter split were labelled again (pass resplit).
- ANT: candidates-ant.jsonl, labelled in passes ant1 (every sentence) and ant2 (a
  double-labelled sample of test).
Gold is the adjudicated label where two passes disagreed, else the first pass's label.
Texts are read from the corpora in place.
"""

import sys
from collections import Counter, defaultdict
from pathlib import Path

from data.build.corpus import corpus_of, parse_sentence_id, read_articles
from data.build.labels_io import read_adjudication, read_ant_candidates, read_candidates, read_pass, read_resplit
from model.io import write_jsonl

DATA = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev", "test", "test_articles")


def gold_labels(partial: bool = False, first: str = "pass1", second: str = "pass2") -> dict[str, str]:
    """id -> gold label of one corpus's passes; with partial, unadjudicated disagreements are left out.

    The adjudication log decides every disagreement, and also holds the lead's reviews
    of single-labelled sentences (pass2 null) where a later guideline settled the case.
    """
    pass1, pass2, adjudicated = read_pass(first), read_pass(second), read_adjudication()
    gold = {}
    for sentence_id, (label, _) in pass1.items():
        other = pass2.get(sentence_id, (label, ""))[0]
        if sentence_id in adjudicated:
            label = adjudicated[sentence_id]["label"]
        elif other != label:
            if partial:
                continue
            raise ValueError(f"{sentence_id}: passes {first} and {second} disagree ({label} / {other}) and no adjudication")
        gold[sentence_id] = label
    return gold


def saudinewsnet_candidates(partial: bool = False) -> tuple[list[dict], dict[str, str]]:
    """Release v1's candidates under their v2 ids, with gold labels (carried over or relabelled)."""
    v1_rows = {row["id"]: row for row in read_candidates()}
    v1_gold = gold_labels(partial)
    relabelled = {i: label for i, (label, _) in read_pass("resplit").items()}
    adjudicated = read_adjudication()
    rows, gold = [], {}
    for move in read_resplit()["moves"]:
        old = v1_rows[move["old_id"]]
        for new_id in move["new_ids"]:
            doc_id, position = parse_sentence_id(new_id)
            rows.append({**old, "id": new_id, "doc_id": doc_id, "position": position})
            if move["status"] in ("split", "joined"):
                label = adjudicated[new_id]["label"] if new_id in adjudicated else relabelled.get(new_id)
            else:
                label = v1_gold.get(move["old_id"])
            if label is not None:
                gold[new_id] = label
    return rows, gold


def main() -> None:
    partial = "--partial" in sys.argv[1:]
    snn_rows, snn_gold = saudinewsnet_candidates(partial)
    ant_rows, ant_gold = read_ant_candidates(), gold_labels(partial, "ant1", "ant2")
    candidates, gold = snn_rows + ant_rows, {**snn_gold, **ant_gold}
    missing = [row["id"] for row in candidates if row["id"] not in gold]
    if partial:
        print(f"partial: {len(candidates) - len(missing)} labelled, {len(missing)} candidates left out")
        candidates = [row for row in candidates if row["id"] in gold]
    elif missing:
        raise SystemExit(f"{len(missing)} candidates have no label yet, e.g. {missing[:3]}")
    articles = read_articles({row["doc_id"] for row in candidates})
    splits: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(candidates, key=lambda r: (r["doc_id"], r["position"])):
        splits[row["split"]].append(
            {
                "id": row["id"],
                "text": articles[row["doc_id"]].sentences[row["position"]],
                "label": gold[row["id"]],
                "doc_id": row["doc_id"],
                "corpus": corpus_of(row["doc_id"]),
                "source": row["source"],
                "position": row["position"],
            }
        )
    for split in SPLITS:
        rows = splits[split]
        write_jsonl(DATA / f"{split}.jsonl", rows)
        print(split, len(rows), dict(Counter((r["corpus"], r["label"]) for r in rows)))


if __name__ == "__main__":
    main()
