"""Counts per split and label, as Markdown tables for data/DATASHEET.md.

    python -m data.build.stats
"""

from collections import Counter
from pathlib import Path

from data.build.labels_io import read_candidates
from model.data import read_examples
from model.labels import LABELS

DATA = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev", "test", "test_articles")


def main() -> None:
    print("| split | sentences | articles | newspapers | " + " | ".join(LABELS) + " |")
    print("| --- | ---: | ---: | ---: |" + " ---: |" * len(LABELS))
    total: Counter = Counter()
    for split in SPLITS:
        examples = read_examples(DATA / f"{split}.jsonl")
        counts = Counter(e.label for e in examples)
        total.update(counts)
        print(f"| {split} | {len(examples)} | {len({e.doc_id for e in examples})} | "
              f"{len({e.source for e in examples})} | " + " | ".join(str(counts[label]) for label in LABELS) + " |")
    print(f"| all | {sum(total.values())} | | | " + " | ".join(str(total[label]) for label in LABELS) + " |")
    sources: Counter = Counter()
    for split in SPLITS:
        sources.update(e.source for e in read_examples(DATA / f"{split}.jsonl"))
    print("\nSentences per newspaper: " + ", ".join(f"{s} {n}" for s, n in sources.most_common()))
    reasons = Counter(row["reason"].split(":")[0] for row in read_candidates())
    print("Why each sentence was sampled: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))


if __name__ == "__main__":
    main()
