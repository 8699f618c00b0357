"""Counts per corpus, split and label, as Markdown tables for data/DATASHEET.md.

    python -m data.build.stats
"""

from collections import Counter, defaultdict
from pathlib import Path

from data.build.labels_io import read_ant_candidates, read_candidates
from model.data import CORPORA, Example, read_examples
from model.labels import LABELS
from model.text import normalize_for_matching

DATA = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev", "test", "test_articles")


def main() -> None:
    examples = {split: read_examples(DATA / f"{split}.jsonl") for split in SPLITS}
    print("| corpus | split | sentences | articles | outlets | " + " | ".join(LABELS) + " |")
    print("| --- | --- | ---: | ---: | ---: |" + " ---: |" * len(LABELS))
    for corpus in (*CORPORA, None):
        total: Counter = Counter()
        for split in SPLITS:
            rows = [e for e in examples[split] if corpus is None or e.corpus == corpus]
            total.update(e.label for e in rows)
            _row(corpus or "both", split, rows)
        print(f"| {corpus or 'both'} | all | {sum(total.values())} | | | "
              + " | ".join(str(total[label]) for label in LABELS) + " |")
    for corpus in CORPORA:
        sources = Counter(e.source for split in SPLITS for e in examples[split] if e.corpus == corpus)
        print(f"\nSentences per outlet ({corpus}): " + ", ".join(f"{s} {n}" for s, n in sources.most_common()))
    for corpus, rows in (("saudinewsnet", read_candidates()), ("ant", read_ant_candidates())):
        reasons = Counter(row["reason"].split(":")[0] for row in rows)
        print(f"Why each {corpus} sentence was sampled: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    held_out = [e for split in SPLITS[1:] for e in examples[split]]
    near = near_duplicates(examples["train"], held_out)
    print(f"Held-out rows with a near-duplicate in train (word Jaccard >= {NEAR}, 5+ words): "
          f"{len(near)} of {len(held_out)}: " + ", ".join(near))


NEAR = 0.8


def near_duplicates(train: list[Example], held_out: list[Example]) -> list[str]:
    """Ids of held-out rows whose word set nearly equals a train row's (exact copies are the validator's job)."""
    words = [set(normalize_for_matching(e.text).split()) for e in train]
    index: dict[str, set[int]] = defaultdict(set)
    for i, row_words in enumerate(words):
        for word in row_words:
            index[word].add(i)
    found = []
    for example in held_out:
        own = set(normalize_for_matching(example.text).split())
        if len(own) < 5:
            continue
        shared: Counter = Counter(i for word in own if len(index[word]) < 300 for i in index[word])
        if any(n / len(own | words[i]) >= NEAR for i, n in shared.items()):
            found.append(example.id)
    return found


def _row(corpus: str, split: str, rows: list[Example]) -> None:
    counts = Counter(e.label for e in rows)
    print(f"| {corpus} | {split} | {len(rows)} | {len({e.doc_id for e in rows})} | {len({e.source for e in rows})} | "
          + " | ".join(str(counts[label]) for label in LABELS) + " |")


if __name__ == "__main__":
    main()
